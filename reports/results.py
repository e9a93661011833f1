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

#: Figure keys the report always shows (0 when nobody reported them), in report order.
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
    figures: Mapping[str, int] = field(default_factory=dict)
    patrol: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class IncidentItem:
    id: int
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

    def missing_units(self) -> tuple[UnitResult, ...]:
        return tuple(u for u in self.units if u.expected and u.status is UnitStatus.MISSING)
