"""The aggregator's SQL: every query returns a small frame (per unit, key or incident).

The database does the work that grows with the number of submissions — ranking versions
with window functions and summing figures with GROUP BY — on SQLite (≥ 3.25) and
PostgreSQL alike; pandas only ever sees one row per unit and form, figure key or incident.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd
from sqlalchemy import (
    JSON,
    BigInteger,
    ColumnElement,
    Connection,
    Select,
    and_,
    cast,
    func,
    or_,
    select,
    type_coerce,
)
from sqlalchemy.orm import aliased
from sqlmodel import col

from bot.core.periods import Period
from reports.results import DIFFICULTY_KEY, PATROL_DATE_KEY, PATROL_FORM, PROPOSAL_KEY
from storage.enums import SubmissionStatus
from storage.models import (
    Incident,
    IncidentEvent,
    Member,
    Submission,
    SubmissionFigure,
    SubmissionRevision,
    Unit,
)

AnySelect = Select[*tuple[Any, ...]]
_IN_CHUNK = 5_000  # ids per IN (...) list, well under SQLite's bound-parameter limit


def read(conn: Connection, query: AnySelect) -> pd.DataFrame:
    return pd.read_sql(query, conn)


def read_by_ids(conn: Connection, build: Any, ids: Sequence[int]) -> pd.DataFrame:
    """``build(chunk)`` → query, run for the ids in chunks and concatenated."""
    chunks = [ids[i : i + _IN_CHUNK] for i in range(0, len(ids), _IN_CHUNK)] or [[]]
    return pd.concat([read(conn, build(list(chunk))) for chunk in chunks], ignore_index=True)


def utc_bounds(period: Period, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """[local midnight of the first day, local midnight after the last day) as UTC."""
    start = datetime.combine(period.first_day, time(), tzinfo=tz)
    end = datetime.combine(period.last_day + timedelta(days=1), time(), tzinfo=tz)
    return start, end


def answer(key: str) -> Any:
    """One answer as text: ->> on PostgreSQL, JSON_EXTRACT on SQLite (generic JSON column)."""
    return type_coerce(col(Submission.answers), JSON)[key].as_string()


def scope(directive_id: int, period_key: str, form_ids: list[str]) -> ColumnElement[bool]:
    """Filed (not draft) submissions of the directive's forms for one period."""
    return and_(
        col(Submission.directive_id) == directive_id,
        col(Submission.period_key) == period_key,
        col(Submission.status) != SubmissionStatus.DRAFT,
        col(Submission.form_id).in_(form_ids),
    )


def units_query(commune_id: int) -> AnySelect:
    return select(
        col(Unit.id).label("unit_id"),
        col(Unit.name).label("unit_name"),
        col(Unit.kind).label("kind"),
        col(Unit.active).label("active"),
    ).where(col(Unit.commune_id) == commune_id)


def latest_query(in_scope: ColumnElement[bool]) -> AnySelect:
    """One pass over the scope: per unit and form the newest filed row, plus per unit when it
    first filed and how many rows it has.

    An in-place amendment bumps ``version``; should an amendment ever arrive as a new row,
    the higher version (then the later filing) still wins, so nothing is counted twice.
    """
    by_unit = col(Submission.unit_id)
    filed = func.coalesce(col(Submission.submitted_at), col(Submission.created_at))
    ranked = (
        select(
            col(Submission.id).label("id"),
            func.row_number()
            .over(
                partition_by=(by_unit, col(Submission.form_id)),
                order_by=(
                    col(Submission.version).desc(),
                    col(Submission.submitted_at).desc(),
                    col(Submission.id).desc(),
                ),
            )
            .label("rn"),
            func.min(filed).over(partition_by=by_unit).label("first_at"),
            func.count().over(partition_by=by_unit).label("n"),
        )
        .where(in_scope)
        .subquery("ranked")
    )
    return (
        select(
            col(Submission.id).label("submission_id"),
            col(Submission.unit_id).label("unit_id"),
            col(Submission.form_id).label("form_id"),
            col(Submission.version).label("version"),
            col(Submission.updated_at).label("updated_at"),
            ranked.c.first_at,
            ranked.c.n,
            col(Member.full_name).label("member_name"),
            answer(DIFFICULTY_KEY).label(DIFFICULTY_KEY),
            answer(PROPOSAL_KEY).label(PROPOSAL_KEY),
        )
        .join(ranked, ranked.c.id == col(Submission.id))
        .join(Member, col(Member.id) == col(Submission.member_id))
        .where(ranked.c.rn == 1)
    )


def figures_query(ids: list[int]) -> AnySelect:
    return select(
        col(SubmissionFigure.submission_id).label("submission_id"),
        col(SubmissionFigure.key).label("key"),
        col(SubmissionFigure.value).label("value"),
    ).where(col(SubmissionFigure.submission_id).in_(ids))


def first_revision_query(ids: list[int]) -> AnySelect:
    """When version 1 was filed: kept even if an amendment ever overwrote submitted_at."""
    return (
        select(
            col(SubmissionRevision.submission_id).label("submission_id"),
            func.min(col(SubmissionRevision.created_at)).label("rev_first_at"),
        )
        .where(col(SubmissionRevision.submission_id).in_(ids))
        .group_by(col(SubmissionRevision.submission_id))
    )


def patrol_query(commune_id: int, period: Period, tz: ZoneInfo) -> AnySelect:
    """Patrol figures per unit and key, for the commune's logs of any directive dated in the
    period.

    The log's own date answer wins (a patrol on the 14th logged on the 16th belongs to the
    14th); a log without one falls back to when it was filed.
    """
    start_utc, end_utc = utc_bounds(period, tz)
    day = answer(PATROL_DATE_KEY)
    in_window = or_(
        and_(day >= period.first_day.isoformat(), day <= period.last_day.isoformat()),
        and_(
            day.is_(None),
            col(Submission.submitted_at) >= start_utc,
            col(Submission.submitted_at) < end_utc,
        ),
    )
    logs = select(col(Submission.id)).where(
        col(Submission.commune_id) == commune_id,
        col(Submission.form_id) == PATROL_FORM,
        col(Submission.status) != SubmissionStatus.DRAFT,
        in_window,
    )
    # Filtering the logs in a subquery first lets SQLite use the form_id index instead
    # of walking every submission in unit order (about twice as fast at 60k logs).
    return (
        select(
            col(Submission.unit_id).label("unit_id"),
            col(SubmissionFigure.key).label("key"),
            cast(func.sum(col(SubmissionFigure.value)), BigInteger).label("value"),
        )
        .join(Submission, col(Submission.id) == col(SubmissionFigure.submission_id))
        .where(col(SubmissionFigure.submission_id).in_(logs))
        .group_by(col(Submission.unit_id), col(SubmissionFigure.key))
    )


def incident_query(commune_id: int, period: Period, tz: ZoneInfo) -> AnySelect:
    """The commune's incidents reported in the period, with the latest status change.

    The window is on ``created_at`` (when the tip reached us): that is what the period
    "detected"; ``occurred_at`` is the reporter's estimate and may be missing.
    """
    start_utc, end_utc = utc_bounds(period, tz)
    in_window = and_(
        col(Incident.commune_id) == commune_id,
        col(Incident.created_at) >= start_utc,
        col(Incident.created_at) < end_utc,
    )
    rank = (
        func.row_number()
        .over(
            partition_by=col(IncidentEvent.incident_id),
            order_by=(col(IncidentEvent.at).desc(), col(IncidentEvent.id).desc()),
        )
        .label("rn")
    )
    events = (
        select(
            col(IncidentEvent.incident_id).label("incident_id"),
            col(IncidentEvent.member_id).label("member_id"),
            col(IncidentEvent.at).label("at"),
            rank,
        )
        .where(col(IncidentEvent.incident_id).in_(select(col(Incident.id)).where(in_window)))
        .subquery("events")
    )
    reporter = aliased(Member)
    changer = aliased(Member)
    return (
        select(
            col(Incident.id).label("id"),
            col(Submission.form_id).label("form_id"),
            col(Incident.status).label("status"),
            col(Incident.summary).label("summary"),
            col(Incident.location_text).label("location_text"),
            col(Incident.latitude).label("latitude"),
            col(Incident.longitude).label("longitude"),
            col(Incident.people_count).label("people_count"),
            col(Incident.occurred_at).label("occurred_at"),
            col(Incident.created_at).label("reported_at"),
            col(Unit.name).label("unit_name"),
            col(reporter.full_name).label("reporter_name"),
            col(changer.full_name).label("changed_by"),
            events.c.at.label("changed_at"),
        )
        .join(Unit, col(Unit.id) == col(Incident.unit_id))
        .join(Submission, col(Submission.id) == col(Incident.submission_id))
        .join(reporter, col(reporter.id) == col(Incident.reporter_member_id))
        .outerjoin(events, and_(events.c.incident_id == col(Incident.id), events.c.rn == 1))
        .outerjoin(changer, col(changer.id) == events.c.member_id)
        .where(in_window)
        .order_by(col(Incident.created_at), col(Incident.id))
    )
