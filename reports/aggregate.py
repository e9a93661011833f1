"""Aggregate one directive's period: completeness, figures, patrols, incidents, remarks.

``aggregate(session_or_engine, directive_id, period_key, tz=…, now=…)`` reads with SQL
(:mod:`reports.queries`), shapes with pandas (:mod:`reports.frames`) and returns the typed
:class:`Aggregate` (:mod:`reports.results`). The cost grows with the rows in the period's
scope, summed inside the database; memory grows with the number of units and incidents.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, Engine
from sqlmodel import Session

from reports import frames, queries
from reports.results import (
    DIFFICULTY_KEY,
    KIND_ORDER,
    PATROL_FIGURES,
    PATROL_FORM,
    PROPOSAL_KEY,
    RESULT_FIGURES,
    RESULT_FORM,
    STATUS_ORDER,
    Aggregate,
    Completeness,
    IncidentItem,
    KindCompleteness,
    Remark,
    UnitResult,
    UnitStatus,
)
from reports.scope import directive_period, unit_deadline
from storage.models import Directive

__all__ = [
    "KIND_ORDER",
    "PATROL_FIGURES",
    "PATROL_FORM",
    "RESULT_FIGURES",
    "RESULT_FORM",
    "STATUS_ORDER",
    "Aggregate",
    "Completeness",
    "IncidentItem",
    "KindCompleteness",
    "Remark",
    "UnitResult",
    "UnitStatus",
    "aggregate",
]


def aggregate(
    source: Session | Engine | Connection,
    directive_id: int,
    period_key: str,
    *,
    tz: ZoneInfo,
    now: datetime,
) -> Aggregate:
    """Aggregate ``directive_id`` for ``period_key`` as of ``now`` (aware).

    Given a Session, it reads inside that session's transaction (a chat handler can go on
    writing in the same unit of work); given an Engine, it opens its own connection.
    """
    if isinstance(source, Session):
        return _aggregate(source.connection(), directive_id, period_key, tz=tz, now=now)
    if isinstance(source, Connection):
        return _aggregate(source, directive_id, period_key, tz=tz, now=now)
    with source.connect() as conn:
        return _aggregate(conn, directive_id, period_key, tz=tz, now=now)


def _load_directive(conn: Connection, directive_id: int) -> Directive:
    with Session(bind=conn) as session:
        directive = session.get(Directive, directive_id)
        if directive is None:
            raise LookupError(f"no directive {directive_id}")
        session.expunge(directive)
        return directive


def _rate(units: list[UnitResult]) -> Completeness:
    return Completeness.of(
        len(units),
        sum(u.status is UnitStatus.ON_TIME for u in units),
        sum(u.status is UnitStatus.LATE for u in units),
    )


def _aggregate(
    conn: Connection, directive_id: int, period_key: str, *, tz: ZoneInfo, now: datetime
) -> Aggregate:
    directive = _load_directive(conn, directive_id)
    commune_id = directive.commune_id
    if commune_id is None:
        raise LookupError(f"directive {directive_id} is a province directive, not a commune's")
    period = directive_period(directive, period_key)
    deadline = unit_deadline(directive, period)
    in_scope = queries.scope(directive_id, period_key, list(directive.form_ids))

    units = frames.order_units(
        queries.read(conn, queries.units_query(commune_id)),
        list(directive.target_unit_kinds),
    )
    latest = queries.read(conn, queries.latest_query(in_scope))
    ids = [int(i) for i in latest["submission_id"]]
    revisions = queries.read_by_ids(conn, queries.first_revision_query, ids)
    figures = frames.unit_figures(queries.read_by_ids(conn, queries.figures_query, ids), latest)
    patrol = queries.read(conn, queries.patrol_query(commune_id, period, tz))
    incidents = queries.read(conn, queries.incident_query(commune_id, period, tz))

    unit_rows = frames.unit_status(units, latest, revisions, deadline, tz, also=patrol["unit_id"])
    results = frames.unit_results(
        unit_rows, frames.figure_table(figures), frames.figure_table(patrol)
    )
    expected = [u for u in results if u.expected]
    past = now.astimezone(tz).date() > deadline
    named = latest.drop(columns=["first_at"]).merge(
        unit_rows[["unit_id", "unit_name", "order", "first_at"]], on="unit_id"
    )
    return Aggregate(
        directive_id=directive_id,
        directive_number=directive.number,
        period=period,
        deadline=deadline,
        now=now,
        tz=tz,
        completeness=_rate(expected),
        by_kind=tuple(
            KindCompleteness(kind, _rate(members))
            for kind in KIND_ORDER
            if (members := [u for u in expected if u.kind == kind])
        ),
        units=tuple(results),
        figures=frames.totals(figures, RESULT_FIGURES),
        patrol=frames.totals(patrol, PATROL_FIGURES),
        incidents_by_status=frames.status_counts(incidents),
        incidents_by_day=frames.per_day(incidents, period, tz),
        incidents=tuple(frames.incident_items(incidents)),
        difficulties=frames.remarks(named, DIFFICULTY_KEY),
        proposals=frames.remarks(named, PROPOSAL_KEY),
        overdue=tuple(u for u in expected if past and u.status is UnitStatus.MISSING),
    )
