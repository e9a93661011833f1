"""Number and date formats for Vietnamese documents and chat (one place, so all agree)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo


def percent(part: int, whole: int) -> float:
    """``part`` of ``whole`` in percent, one decimal, half rounded up (0.0 when whole is 0).

    Decimal, not ``round()``: banker's rounding would print 12.25 % as 12,2 %, which a
    clerk checking by hand reads as a mistake.
    """
    if whole <= 0:
        return 0.0
    value = Decimal(part) * 100 / Decimal(whole)
    return float(value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def vn_int(value: int) -> str:
    """1234567 → '1.234.567' (Vietnamese groups thousands with a dot)."""
    return f"{value:,}".replace(",", ".")


def vn_pct(value: float) -> str:
    """66.7 → '66,7%' (decimal comma)."""
    return f"{value:.1f}".replace(".", ",") + "%"


def dmy(day: date) -> str:
    """The project's date format: dd/mm/yyyy."""
    return day.strftime("%d/%m/%Y")


def dmy_hm(moment: datetime, tz: ZoneInfo) -> str:
    """An aware moment as local 'dd/mm/yyyy hh:mm'."""
    return moment.astimezone(tz).strftime("%d/%m/%Y %H:%M")


def decree_month(day: date) -> str:
    """Decree 30/2020: only months 1 and 2 take a leading zero ('01', '02', '9', '12')."""
    return f"{day.month:02d}" if day.month < 3 else str(day.month)


def decree_date_parts(day: date) -> tuple[str, str, str]:
    """(day, month, year) for 'ngày DD tháng M năm YYYY': days are always two digits."""
    return f"{day.day:02d}", decree_month(day), str(day.year)


def decree_short_date(day: date) -> str:
    """A cited document's date in the same style: 28/8/2025, 05/9/2025, 15/01/2026."""
    return f"{day.day:02d}/{decree_month(day)}/{day.year}"


def local_naive(moment: datetime | None, tz: ZoneInfo) -> datetime | None:
    """Aware UTC → naive local wall time (what a spreadsheet cell should show)."""
    if moment is None:
        return None
    return moment.astimezone(tz).replace(tzinfo=None)
