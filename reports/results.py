"""What an aggregation returns: typed, immutable results (no pandas, no SQL here)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

from bot.core.periods import Period
from reports.fmt import percent
from storage.enums import IncidentStatus, UnitKind

PATROL_FORM = "nhat_ky_tuan_tra"
RESULT_FORM = "ket_qua_thuc_hien"
DIFFICULTY_KEY = "kho_khan"
PROPOSAL_KEY = "de_xuat"
PATROL_DATE_KEY = "ngay"

#: The figure keys the report knows, in report order (the annex has a column for each, so
#: every commune's annex lines up). A key nobody reported is absent from the totals.
RESULT_FIGURES = (
    "propaganda_sessions",
    "propaganda_attendees",
    "security_teams",
    "cameras",
    "zalo_groups",
    "foreigners_residing",
    "residence_checks",
    "cases_detected",
    "cases_handled",
)
PATROL_FIGURES = (
    "patrols",
    "patrol_police",
    "patrol_militia",
    "patrol_security",
    "persons_checked",
    "vehicles_checked",
    "foreigners_checked",
    "findings",
)
KIND_ORDER = tuple(UnitKind)
STATUS_ORDER = tuple(IncidentStatus)


class UnitStatus(StrEnum):
    ON_TIME = "on_time"
    LATE = "late"
    MISSING = "missing"


@dataclass(frozen=True)
class Completeness:
    """DHIS2-style reporting rates: counts and percentages of the expected units."""

    expected: int
    submitted: int
    on_time: int
    late: int
    missing: int
    submitted_pct: float
    on_time_pct: float
    late_pct: float
    missing_pct: float

    @classmethod
    def of(cls, expected: int, on_time: int, late: int) -> Completeness:
        submitted = on_time + late
        missing = expected - submitted
        return cls(
            expected=expected,
            submitted=submitted,
            on_time=on_time,
            late=late,
            missing=missing,
            submitted_pct=percent(submitted, expected),
            on_time_pct=percent(on_time, expected),
            late_pct=percent(late, expected),
            missing_pct=percent(missing, expected),
        )


@dataclass(frozen=True)
class KindCompleteness:
    kind: str
    rate: Completeness


@dataclass(frozen=True)
class UnitResult:
    """One unit: whether and when it reported, who filed it, and its figures."""

    unit_id: int
    name: str
    kind: str
    expected: bool  # targeted by the directive (others may still report; they are listed)
    status: UnitStatus
    first_submitted_at: datetime | None  # aware UTC
    last_updated_at: datetime | None  # aware UTC
    version: int | None
    submissions: int
    member_name: str | None
    #: Only the keys this unit reported (a skipped or never-asked question is absent, not 0).
    figures: Mapping[str, int] = field(default_factory=dict)
    patrol: Mapping[str, int] = field(default_factory=dict)


def reported_sum(figures: Mapping[str, int], *keys: str) -> int | None:
    """The sum of those ``keys`` someone reported; None when nobody reported any of them."""
    present = [figures[k] for k in keys if k in figures]
    return sum(present) if present else None


@dataclass(frozen=True)
class IncidentItem:
    id: int
    form_id: str  # the form the tip came in through (suspicious person, patrol finding…)
    status: str
    summary: str
    location_text: str | None
    latitude: float | None
    longitude: float | None
    people_count: int | None
    occurred_at: datetime | None
    reported_at: datetime
    unit_name: str
    reporter_name: str
    changed_by: str | None  # who set the latest status
    changed_at: datetime | None


@dataclass(frozen=True)
class Remark:
    """A difficulty or proposal, with every unit that wrote the same thing."""

    text: str
    units: tuple[str, ...]


@dataclass(frozen=True)
class Aggregate:
    directive_id: int
    directive_number: str
    period: Period
    deadline: date
    now: datetime
    tz: ZoneInfo
    completeness: Completeness
    by_kind: tuple[KindCompleteness, ...]
    units: tuple[UnitResult, ...]
    #: Totals of the keys at least one unit reported; a key nobody reported is absent, so
    #: nothing ever prints it as 0 (``reported_sum`` and ``.get(key)`` give None).
    figures: Mapping[str, int]
    patrol: Mapping[str, int]
    incidents_by_status: Mapping[str, int]
    incidents_by_day: Mapping[date, int]
    incidents: tuple[IncidentItem, ...]
    difficulties: tuple[Remark, ...]
    proposals: tuple[Remark, ...]
    overdue: tuple[UnitResult, ...]

    @property
    def has_submissions(self) -> bool:
        return any(u.submissions for u in self.units)

    @property
    def past_deadline(self) -> bool:
        return self.now.astimezone(self.tz).date() > self.deadline

    @property
    def false_reports(self) -> int:
        return sum(i.status == IncidentStatus.FALSE_REPORT for i in self.incidents)

    def real_incidents(self) -> tuple[IncidentItem, ...]:
        """Tips not found to be false (a false report is counted apart, never listed)."""
        return tuple(i for i in self.incidents if i.status != IncidentStatus.FALSE_REPORT)

    def missing_units(self) -> tuple[UnitResult, ...]:
        return tuple(u for u in self.units if u.expected and u.status is UnitStatus.MISSING)
