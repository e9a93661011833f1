"""The province roll-up of a province directive: one row per commune, and the totals.

The chain in the seeds: the province orders every commune; each commune's units report to the
commune office; the office compiles the commune's report and sends it to the province (its
*answer*, :class:`storage.models.CommuneReport`). So the province sees, per commune:

* whether the commune has answered, and on time (the province's DHIS2-style reporting rate:
  expected, received, on time);
* how far its units are (live: expected, reported, on time — the same rule as the commune's
  own report), which tells the province who to chase before the deadline;
* the figures *as the commune sent them* (never a live number the commune has not signed off;
  a commune that has not answered has no figures, and no figure is printed as 0 for it);
* its tips, live, with their status.

The figures the province adds up are the answers'; the totals say how many communes they
come from. Everything is read with a handful of GROUP BY queries, whatever the number of
submissions in the database.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, Engine, and_, func, type_coerce
from sqlalchemy import select as sql_select
from sqlmodel import Session, col, select

from bot.core.periods import Period
from bot.text import fold
from reports.results import (
    PATROL_FIGURES,
    RESULT_FIGURES,
    STATUS_ORDER,
    Aggregate,
    Completeness,
    IncidentItem,
    Remark,
    UnitResult,
    UnitStatus,
)
from reports.scope import directive_period, unit_deadline
from storage.enums import SubmissionStatus, UnitKind
from storage.models import Commune, CommuneReport, Directive, Incident, Submission, Unit
from storage.types import UTCDateTime

ANSWER_VERSION = 1  # the layout of CommuneReport.answer


# --- the commune's answer, as sent ------------------------------------------------------------
@dataclass(frozen=True)
class CommuneAnswer:
    """What a commune's compiled report said: its units' rate, figures, tips and remarks."""

    units: Completeness
    figures: Mapping[str, int]  # only the keys its units reported
    patrol: Mapping[str, int]
    tips: Mapping[str, int]  # by status
    difficulties: tuple[Remark, ...]
    proposals: tuple[Remark, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "layout": ANSWER_VERSION,
            "units": {
                "expected": self.units.expected,
                "on_time": self.units.on_time,
                "late": self.units.late,
            },
            "figures": dict(self.figures),
            "patrol": dict(self.patrol),
            "tips": dict(self.tips),
            "difficulties": [{"text": r.text, "units": list(r.units)} for r in self.difficulties],
            "proposals": [{"text": r.text, "units": list(r.units)} for r in self.proposals],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> CommuneAnswer:
        units = data.get("units") or {}

        def remarks(key: str) -> tuple[Remark, ...]:
            return tuple(
                Remark(str(r["text"]), tuple(str(u) for u in r.get("units", ())))
                for r in data.get(key) or ()
            )

        return cls(
            units=Completeness.of(
                int(units.get("expected", 0)),
                int(units.get("on_time", 0)),
                int(units.get("late", 0)),
            ),
            figures={str(k): int(v) for k, v in (data.get("figures") or {}).items()},
            patrol={str(k): int(v) for k, v in (data.get("patrol") or {}).items()},
            tips={str(k): int(v) for k, v in (data.get("tips") or {}).items()},
            difficulties=remarks("difficulties"),
            proposals=remarks("proposals"),
        )


def answer_of(agg: Aggregate) -> CommuneAnswer:
    """The answer a commune sends: its compiled report's figures, as they are right now."""
    return CommuneAnswer(
        units=agg.completeness,
        figures=dict(agg.figures),
        patrol=dict(agg.patrol),
        tips={status: n for status, n in agg.incidents_by_status.items() if n},
        difficulties=agg.difficulties,
        proposals=agg.proposals,
    )


# --- the roll-up ------------------------------------------------------------------------------
@dataclass(frozen=True)
class CommuneRow:
    commune_id: int
    name: str
    directive_id: int  # the commune's copy of the province directive
    status: UnitStatus  # of its answer: on time, late, missing
    first_sent_at: datetime | None
    sent_at: datetime | None
    version: int | None
    units: Completeness  # its units, live
    answer: CommuneAnswer | None
    tips: Mapping[str, int]  # its tips in the period, live, by status
    report_id: int | None

    @property
    def answered(self) -> bool:
        return self.answer is not None


@dataclass(frozen=True)
class ProvinceAggregate:
    directive_id: int
    directive_number: str
    period: Period
    deadline: date  # communes answer by this day
    unit_deadline: date  # the communes' units report by this day
    now: datetime
    tz: ZoneInfo
    communes: Completeness  # communes answering: expected, received, on time
    units: Completeness  # every commune's units together, live
    rows: tuple[CommuneRow, ...]
    figures: Mapping[str, int]  # sums over the answers (keys some answer reported)
    patrol: Mapping[str, int]
    tips: Mapping[str, int]  # live, by status, every commune
    incidents: tuple[IncidentItem, ...]  # live, every commune (unit name says the commune)
    difficulties: tuple[Remark, ...]  # from the answers, merged; units = communes
    proposals: tuple[Remark, ...]

    @property
    def answered(self) -> tuple[CommuneRow, ...]:
        return tuple(r for r in self.rows if r.answered)

    @property
    def missing(self) -> tuple[CommuneRow, ...]:
        return tuple(r for r in self.rows if r.status is UnitStatus.MISSING)

    @property
    def past_deadline(self) -> bool:
        return self.now.astimezone(self.tz).date() > self.deadline


def province_aggregate(
    source: Session | Engine | Connection,
    province_directive_id: int,
    period_key: str,
    *,
    tz: ZoneInfo,
    now: datetime,
) -> ProvinceAggregate:
    """Roll up ``period_key`` of the province directive ``province_directive_id``."""
    if isinstance(source, Session):
        return _rollup(source.connection(), province_directive_id, period_key, tz, now)
    if isinstance(source, Connection):
        return _rollup(source, province_directive_id, period_key, tz, now)
    with source.connect() as conn:
        return _rollup(conn, province_directive_id, period_key, tz, now)


def _end_of(day: date, tz: ZoneInfo) -> datetime:
    return datetime.combine(day + timedelta(days=1), time(), tzinfo=tz)


def _rollup(
    conn: Connection, directive_id: int, period_key: str, tz: ZoneInfo, now: datetime
) -> ProvinceAggregate:
    with Session(bind=conn) as session:
        province = session.get(Directive, directive_id)
        if province is None or province.commune_id is not None:
            raise LookupError(f"directive {directive_id} is not a province directive")
        session.expunge(province)
        copies = list(
            session.exec(select(Directive).where(col(Directive.parent_id) == directive_id)).all()
        )
        for copy in copies:
            session.expunge(copy)
        names = {c.id: c.name for c in session.exec(select(Commune)).all()}
    period = directive_period(province, period_key)
    deadline = province.report_deadline or unit_deadline(province, period)
    units_by = _unit_rates(conn, copies, period, period_key, tz)
    answers = _answers(conn, directive_id, period_key)
    tips_by, incidents = _tips(conn, [c.commune_id or 0 for c in copies], period, tz, names)
    end = _end_of(deadline, tz)
    rows = []
    for copy in sorted(copies, key=lambda d: fold(names.get(d.commune_id, ""))):
        commune_id = copy.commune_id or 0
        report = answers.get(commune_id)
        if report is None:
            status = UnitStatus.MISSING
        else:
            status = UnitStatus.ON_TIME if report.first_sent_at < end else UnitStatus.LATE
        rows.append(
            CommuneRow(
                commune_id=commune_id,
                name=names.get(commune_id, str(commune_id)),
                directive_id=copy.id or 0,
                status=status,
                first_sent_at=report.first_sent_at if report else None,
                sent_at=report.sent_at if report else None,
                version=report.version if report else None,
                units=units_by.get(commune_id, Completeness.of(0, 0, 0)),
                answer=CommuneAnswer.from_json(report.answer) if report else None,
                tips=tips_by.get(commune_id, {}),
                report_id=report.id if report else None,
            )
        )
    sent = [r for r in rows if r.answer is not None]
    return ProvinceAggregate(
        directive_id=directive_id,
        directive_number=province.number,
        period=period,
        deadline=deadline,
        unit_deadline=unit_deadline(province, period),
        now=now,
        tz=tz,
        communes=Completeness.of(
            len(rows),
            sum(r.status is UnitStatus.ON_TIME for r in rows),
            sum(r.status is UnitStatus.LATE for r in rows),
        ),
        units=Completeness.of(
            sum(r.units.expected for r in rows),
            sum(r.units.on_time for r in rows),
            sum(r.units.late for r in rows),
        ),
        rows=tuple(rows),
        figures=_sum(r.answer.figures for r in sent if r.answer),
        patrol=_sum(r.answer.patrol for r in sent if r.answer),
        tips=_sum(r.tips for r in rows),
        incidents=tuple(incidents),
        difficulties=_merge([(r.name, r.answer.difficulties) for r in sent if r.answer]),
        proposals=_merge([(r.name, r.answer.proposals) for r in sent if r.answer]),
    )


def _sum(parts: Any) -> dict[str, int]:
    total: Counter[str] = Counter()
    for part in parts:
        total.update(part)
    return dict(total)


def _merge(by_commune: list[tuple[str, tuple[Remark, ...]]]) -> tuple[Remark, ...]:
    """The communes' remarks, the same point raised by several communes listed once with
    every commune that raised it (first wording kept), most-raised first."""
    merged: dict[str, tuple[str, list[str]]] = {}
    for commune, remarks in by_commune:
        for remark in remarks:
            key = fold(remark.text).rstrip(". ")
            _first_wording, communes = merged.setdefault(key, (remark.text, []))
            if commune not in communes:
                communes.append(commune)
    ordered = sorted(merged.values(), key=lambda item: -len(item[1]))
    return tuple(Remark(text, tuple(communes)) for text, communes in ordered)


def _answers(conn: Connection, directive_id: int, period_key: str) -> dict[int, CommuneReport]:
    with Session(bind=conn) as session:
        rows = session.exec(
            select(CommuneReport)
            .where(col(CommuneReport.parent_id) == directive_id)
            .where(col(CommuneReport.period_key) == period_key)
        ).all()
        found = {r.commune_id: r for r in rows}
        for row in found.values():
            session.expunge(row)
    return found


def _unit_rates(
    conn: Connection,
    copies: Sequence[Directive],
    period: Period,
    period_key: str,
    tz: ZoneInfo,
) -> dict[int, Completeness]:
    """Per commune, its expected units (active, of the kinds its copy targets) and how many
    filed the copy's forms for the period, on time or late — two GROUP BY queries."""
    if not copies:
        return {}
    by_commune = {c.commune_id: c for c in copies if c.commune_id is not None}
    kinds = sorted({k for c in copies for k in c.target_unit_kinds} - {UnitKind.PROVINCE.value})
    expected_rows = conn.execute(
        sql_select(col(Unit.commune_id), col(Unit.kind), func.count())
        .where(col(Unit.commune_id).in_(list(by_commune)))
        .where(col(Unit.active).is_(True))
        .where(col(Unit.kind).in_(kinds))
        .group_by(col(Unit.commune_id), col(Unit.kind))
    ).all()
    expected: Counter[int] = Counter()
    for commune_id, kind, count in expected_rows:
        if commune_id in by_commune and kind in by_commune[commune_id].target_unit_kinds:
            expected[int(commune_id)] += int(count)
    forms = sorted({f for c in copies for f in c.form_ids})
    first = type_coerce(
        func.min(func.coalesce(col(Submission.submitted_at), col(Submission.created_at))),
        UTCDateTime,
    )
    filed_rows = conn.execute(
        sql_select(
            col(Submission.commune_id),
            col(Submission.directive_id),
            col(Submission.unit_id),
            first,
        )
        .join(Unit, col(Unit.id) == col(Submission.unit_id))
        .where(col(Submission.directive_id).in_([c.id for c in copies]))
        .where(col(Submission.period_key) == period_key)
        .where(col(Submission.status) != SubmissionStatus.DRAFT.value)
        .where(col(Submission.form_id).in_(forms))
        .where(col(Unit.active).is_(True))
        .group_by(col(Submission.commune_id), col(Submission.directive_id), col(Submission.unit_id))
    ).all()
    ends = {c.id: _end_of(unit_deadline(c, period), tz) for c in copies}
    on_time: Counter[int] = Counter()
    late: Counter[int] = Counter()
    for commune_id, copy_id, _unit_id, at in filed_rows:
        if at is None:
            continue
        (on_time if at < ends[copy_id] else late)[commune_id] += 1
    return {cid: Completeness.of(expected[cid], on_time[cid], late[cid]) for cid in by_commune}


def _tips(
    conn: Connection,
    commune_ids: list[int],
    period: Period,
    tz: ZoneInfo,
    names: Mapping[int | None, str],
) -> tuple[dict[int, dict[str, int]], list[IncidentItem]]:
    """Tips reported in the period, per commune and status, and the list (newest last)."""
    start = datetime.combine(period.first_day, time(), tzinfo=tz)
    end = _end_of(period.last_day, tz)
    in_window = and_(
        col(Incident.commune_id).in_(commune_ids),
        col(Incident.created_at) >= start,
        col(Incident.created_at) < end,
    )
    with Session(bind=conn) as session:
        rows = session.exec(
            select(Incident, Unit.name)
            .join(Unit, col(Unit.id) == col(Incident.unit_id))
            .where(in_window)
            .order_by(col(Incident.created_at), col(Incident.id))
        ).all()
    counts: dict[int, dict[str, int]] = {}
    items = []
    for incident, unit_name in rows:
        by_status = counts.setdefault(incident.commune_id, {})
        by_status[incident.status] = by_status.get(incident.status, 0) + 1
        items.append(
            IncidentItem(
                id=incident.id or 0,
                form_id="",
                status=incident.status,
                summary=incident.summary,
                location_text=incident.location_text,
                latitude=incident.latitude,
                longitude=incident.longitude,
                people_count=incident.people_count,
                occurred_at=incident.occurred_at,
                reported_at=incident.created_at,
                unit_name=f"{unit_name}, {names.get(incident.commune_id, '')}",
                reporter_name="",
                changed_by=None,
                changed_at=None,
            )
        )
    ordered: dict[int, dict[str, int]] = {
        cid: {str(s.value): c[s.value] for s in STATUS_ORDER if s.value in c}
        for cid, c in counts.items()
    }
    return ordered, items


# --- the roll-up in the commune report's shape ------------------------------------------------
def as_aggregate(p: ProvinceAggregate) -> Aggregate:
    """The roll-up as an :class:`Aggregate` whose units are the communes (figures: their
    answers), so the report's sentences and tables serve the province report too."""
    units = tuple(
        UnitResult(
            unit_id=r.commune_id,
            name=r.name,
            kind=UnitKind.OFFICE.value,
            expected=True,
            status=r.status,
            first_submitted_at=r.first_sent_at,
            last_updated_at=r.sent_at,
            version=r.version,
            submissions=1 if r.answered else 0,
            member_name=None,
            figures=dict(r.answer.figures) if r.answer else {},
            patrol=dict(r.answer.patrol) if r.answer else {},
        )
        for r in p.rows
    )
    by_day: Counter[date] = Counter(i.reported_at.astimezone(p.tz).date() for i in p.incidents)
    span = (p.period.last_day - p.period.first_day).days + 1
    days = [p.period.first_day + timedelta(days=n) for n in range(span)]
    return Aggregate(
        directive_id=p.directive_id,
        directive_number=p.directive_number,
        period=p.period,
        deadline=p.deadline,
        now=p.now,
        tz=p.tz,
        completeness=p.communes,
        by_kind=(),
        units=units,
        figures=p.figures,
        patrol=p.patrol,
        incidents_by_status={s.value: p.tips.get(s.value, 0) for s in STATUS_ORDER},
        incidents_by_day={d: by_day.get(d, 0) for d in days},
        incidents=p.incidents,
        difficulties=p.difficulties,
        proposals=p.proposals,
        overdue=tuple(u for u in units if p.past_deadline and u.status is UnitStatus.MISSING),
    )


#: The figure keys a province table shows, in report order.
FIGURE_KEYS = (*RESULT_FIGURES, *PATROL_FIGURES)
