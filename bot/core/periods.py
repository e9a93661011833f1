"""Reporting periods: which period a moment falls in, and its bounds, per recurrence.

Keys: ``once`` (one-off campaign), ``2025-09-10`` (daily), ``2025-W37`` (ISO week),
``2025-09`` (month). All computed on the commune's local calendar.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.messages import t
from storage.enums import Recurrence

ONCE = "once"  # the key of a one-off directive's only period (people read «cả đợt»)


@dataclass(frozen=True)
class Period:
    key: str
    first_day: date
    last_day: date  # inclusive; the period's deadline unless a directive says otherwise

    def label(self) -> str:
        """'10/09/2025' or '08/09/2025–14/09/2025' for people."""
        if self.first_day == self.last_day:
            return self.first_day.strftime("%d/%m/%Y")
        return f"{self.first_day:%d/%m/%Y}–{self.last_day:%d/%m/%Y}"


def local_date(moment: datetime, tz: ZoneInfo) -> date:
    return moment.astimezone(tz).date()


def period_for(
    recurrence: str, day: date, *, starts_on: date | None = None, ends_on: date | None = None
) -> Period:
    """The period of ``recurrence`` that contains ``day``."""
    rec = Recurrence(recurrence)
    if rec is Recurrence.NONE:
        first = starts_on or day
        return Period(ONCE, first, ends_on or first)
    if rec is Recurrence.DAILY:
        return Period(day.isoformat(), day, day)
    if rec is Recurrence.WEEKLY:
        year, week, _ = day.isocalendar()
        monday = day - timedelta(days=day.weekday())
        return Period(f"{year}-W{week:02d}", monday, monday + timedelta(days=6))
    first = day.replace(day=1)
    next_month = (first + timedelta(days=32)).replace(day=1)
    return Period(f"{day:%Y-%m}", first, next_month - timedelta(days=1))


def parse_period_key(recurrence: str, key: str) -> Period:
    """Inverse of :func:`period_for` for recurring periods (``once`` needs the directive)."""
    rec = Recurrence(recurrence)
    if rec is Recurrence.DAILY:
        return period_for(recurrence, date.fromisoformat(key))
    if rec is Recurrence.WEEKLY:
        year, week = key.split("-W")
        return period_for(recurrence, date.fromisocalendar(int(year), int(week), 1))
    if rec is Recurrence.MONTHLY:
        return period_for(recurrence, date.fromisoformat(f"{key}-01"))
    raise ValueError("a one-off period is defined by its directive")


def period_name(key: str) -> str:
    """A period key as people read it: 'once' → 'cả đợt', '2025-W37' → 'tuần 37/2025',
    '2025-09' → 'tháng 09/2025', '2025-09-10' → 'ngày 10/09/2025'. Keys stay ASCII in the
    database and on the command line; what people see is Vietnamese."""
    if key == ONCE:
        return t("period.once")
    parts = key.split("-")
    if len(parts) == 2 and parts[1].startswith("W"):
        return t("period.week", week=int(parts[1][1:]), year=parts[0])
    if len(parts) == 2:
        return t("period.month", month=parts[1], year=parts[0])
    if len(parts) == 3:
        return t("period.day", date=f"{parts[2]}/{parts[1]}/{parts[0]}")
    return key
