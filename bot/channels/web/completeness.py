"""The dashboard's completeness grid: units × periods, each cell on time / late / missing.

One GROUP BY over all the periods shown (rather than one full aggregation per period). The
rules are the report's (:mod:`reports.aggregate`): a unit's first filing of any of the
directive's forms counts, drafts do not, on time means on or before the unit deadline
(:func:`reports.scope.unit_deadline`) in the commune's local calendar. A one-off directive
has the single period ``once``; a recurring one shows its last :data:`RECENT` periods (never
before it started).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from sqlalchemy import func, type_coerce
from sqlmodel import Session, col, select

from bot.channels.web.queries import unit_order
from bot.core.periods import Period, period_for
from reports.scope import unit_deadline
from storage.enums import Recurrence, SubmissionStatus
from storage.models import Directive, Submission, Unit
from storage.types import UTCDateTime

RECENT = 8


class Cell(StrEnum):
    ON_TIME = "on_time"
    LATE = "late"
    MISSING = "missing"  # the deadline passed without a report
    PENDING = "pending"  # not reported yet, still before the deadline
    NONE = ""  # not expected and did not report


@dataclass(frozen=True)
class GridRow:
    unit_id: int
    unit: str
    kind: str
    expected: bool  # targeted by the directive (others appear only if they reported)
    cells: tuple[Cell, ...]


@dataclass(frozen=True)
class PeriodTotals:
    key: str
    label: str  # '08/09/2025–14/09/2025'
    short: str  # 'W37' (a one-off: its full label)
    on_time: int
    late: int
    missing: int
    pending: int

    @property
    def expected(self) -> int:
        return self.on_time + self.late + self.missing + self.pending


@dataclass(frozen=True)
class Grid:
    periods: tuple[PeriodTotals, ...]  # oldest first
    rows: tuple[GridRow, ...]


def recent_periods(directive: Directive, today: date, count: int = RECENT) -> list[Period]:
    """The directive's periods up to today's, oldest first (the first one if not started)."""
    if directive.recurrence == Recurrence.NONE:
        ends = directive.unit_deadline or directive.report_deadline
        return [period_for(Recurrence.NONE, today, starts_on=directive.starts_on, ends_on=ends)]
    day = max(today, directive.starts_on)
    periods: list[Period] = []
    while len(periods) < count:
        period = period_for(directive.recurrence, day)
        if periods and period.last_day < directive.starts_on:
            break
        periods.append(period)
        day = period.first_day - timedelta(days=1)
    return list(reversed(periods))


def _first_filed(
    session: Session, directive: Directive, keys: list[str]
) -> dict[tuple[str, int], datetime]:
    """When each unit first filed each period (drafts do not count), by (period, unit)."""
    first = func.min(func.coalesce(col(Submission.submitted_at), col(Submission.created_at)))
    rows = session.exec(
        select(
            col(Submission.period_key),
            col(Submission.unit_id),
            type_coerce(first, UTCDateTime),
        )
        .where(col(Submission.directive_id) == directive.id)
        .where(col(Submission.period_key).in_(keys))
        .where(col(Submission.status) != SubmissionStatus.DRAFT.value)
        .where(col(Submission.form_id).in_(list(directive.form_ids)))
        .group_by(col(Submission.period_key), col(Submission.unit_id))
    ).all()
    return {(key, unit_id): at for key, unit_id, at in rows if at is not None}


def _units(session: Session, commune_id: int | None) -> list[Unit]:
    """The commune's units in report order: by kind (villages first), then by name."""
    units = session.exec(select(Unit).where(col(Unit.commune_id) == commune_id)).all()
    return sorted(units, key=unit_order)


def build_grid(session: Session, directive: Directive, *, now: datetime, tz: ZoneInfo) -> Grid:
    today = now.astimezone(tz).date()
    periods = recent_periods(directive, today)
    deadlines = [unit_deadline(directive, p) for p in periods]
    filed = _first_filed(session, directive, [p.key for p in periods])
    reported = {unit_id for _, unit_id in filed}
    targets = set(directive.target_unit_kinds)
    rows = []
    for unit in _units(session, directive.commune_id):
        expected = unit.active and unit.kind in targets
        if not expected and unit.id not in reported:
            continue
        cells = []
        for period, deadline in zip(periods, deadlines, strict=True):
            at = filed.get((period.key, unit.id or 0))
            if at is not None:
                on_time = at.astimezone(tz).date() <= deadline
                cells.append(Cell.ON_TIME if on_time else Cell.LATE)
            elif expected:
                cells.append(Cell.MISSING if today > deadline else Cell.PENDING)
            else:
                cells.append(Cell.NONE)
        rows.append(GridRow(unit.id or 0, unit.name, unit.kind, expected, tuple(cells)))
    totals = []
    for index, period in enumerate(periods):
        # Counted over the expected units only, like the report's completeness rates.
        counted = [row.cells[index] for row in rows if row.expected]
        totals.append(
            PeriodTotals(
                key=period.key,
                label=period.label(),
                short=short_period(period),
                on_time=counted.count(Cell.ON_TIME),
                late=counted.count(Cell.LATE),
                missing=counted.count(Cell.MISSING),
                pending=counted.count(Cell.PENDING),
            )
        )
    return Grid(tuple(totals), tuple(rows))


def short_period(period: Period) -> str:
    """Column label: '2025-W37' → 'W37', '2025-09-10' → '10/09', '2025-09' → '09/2025'."""
    key = period.key
    if key == "once":
        return period.label()
    if "-W" in key:
        return key.split("-")[-1]
    parts = key.split("-")
    if len(parts) == 3:
        return f"{parts[2]}/{parts[1]}"
    if len(parts) == 2:
        return f"{parts[1]}/{parts[0]}"
    return key
