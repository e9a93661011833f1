"""The aggregation against independently worked-out figures, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlmodel import select

from reports.aggregate import UnitStatus, aggregate
from storage.db import transaction
from storage.models import Directive, Submission, SubmissionFigure
from tests.reports.commune_data import KEYS, utc
from tests.reports.conftest import NOW, TZ, Filled


def _by_status(filled: Filled, now: datetime = NOW) -> dict[str, set[str]]:
    agg = filled.aggregate(now)
    out: dict[str, set[str]] = {s.value: set() for s in UnitStatus}
    for unit in agg.units:
        if unit.expected:
            out[unit.status.value].add(unit.name)
    return out


def test_completeness_per_unit(filled: Filled) -> None:
    exp = filled.expected
    statuses = _by_status(filled)
    assert statuses["on_time"] == set(exp.on_time)
    assert statuses["late"] == set(exp.late)
    assert statuses["missing"] == set(exp.missing)
    c = filled.aggregate().completeness
    assert (c.expected, c.submitted, c.on_time, c.late, c.missing) == (
        exp.expected,
        len(exp.on_time) + len(exp.late),
        len(exp.on_time),
        len(exp.late),
        len(exp.missing),
    )
    # 7/10, 5/10, 2/10, 3/10
    assert (c.submitted_pct, c.on_time_pct, c.late_pct, c.missing_pct) == (70.0, 50.0, 20.0, 30.0)


def test_completeness_per_kind_rounds_to_one_decimal(filled: Filled) -> None:
    agg = filled.aggregate()
    by_kind = {k.kind: k.rate for k in agg.by_kind}
    assert list(by_kind) == ["village", "police", "military", "agency"]  # office not targeted
    for kind, (expected, on_time, late, missing) in filled.expected.by_kind.items():
        rate = by_kind[kind]
        assert (rate.expected, rate.on_time, rate.late, rate.missing) == (
            expected,
            on_time,
            late,
            missing,
        )
    village = by_kind["village"]  # 4/6, 3/6, 1/6, 2/6
    assert (village.submitted_pct, village.on_time_pct, village.late_pct, village.missing_pct) == (
        66.7,
        50.0,
        16.7,
        33.3,
    )


def test_deadline_is_the_local_day(filled: Filled) -> None:
    units = {u.name: u for u in filled.aggregate().units}
    # 23:30 on the 14th in Việt Nam (16:30 UTC) is on time; 00:30 on the 15th is late
    assert units["Thôn Trà Nga"].status is UnitStatus.ON_TIME
    assert units["Thôn Trà Lãnh"].status is UnitStatus.LATE


def test_drafts_count_as_nothing(filled: Filled) -> None:
    units = {u.name: u for u in filled.aggregate().units}
    assert units["Thôn Trà Bung"].status is UnitStatus.MISSING
    assert units["Thôn Trà Bung"].submissions == 0


def test_figure_totals_take_the_amended_version_once(filled: Filled) -> None:
    agg = filled.aggregate()
    assert dict(agg.figures) == filled.expected.figures
    units = {u.name: u for u in agg.units}
    amended = units["Thôn Trà Ong"]
    assert amended.version == 2
    assert dict(amended.figures) == filled.expected.unit_figures["Thôn Trà Ong"]
    # on time is judged by when it was first filed, not when it was corrected
    assert amended.first_submitted_at == utc(2025, 9, 11, 3)
    for name, figures in filled.expected.unit_figures.items():
        assert dict(units[name].figures) == figures


def test_an_amendment_filed_as_a_new_row_replaces_the_old(filled: Filled) -> None:
    xinh = filled.expected.unit_ids["Thôn Trà Xinh"]
    new_values = dict.fromkeys(KEYS, 1)
    with transaction(filled.engine) as s:
        old = s.exec(
            select(Submission).where(
                Submission.unit_id == xinh, Submission.form_id == "ket_qua_thuc_hien"
            )
        ).one()
        row = Submission(
            commune_id=old.commune_id,
            form_id=old.form_id,
            directive_id=old.directive_id,
            period_key="once",
            unit_id=xinh,
            member_id=old.member_id,
            channel="web",
            status="amended",
            answers={"buoi_tuyen_truyen": 1},
            version=2,
            submitted_at=utc(2025, 9, 16, 1),  # after the deadline: must not make it late
        )
        s.add(row)
        s.flush()
        for key, value in new_values.items():
            s.add(SubmissionFigure(submission_id=row.id, key=key, value=value))
    agg = filled.aggregate()
    old_values = filled.expected.unit_figures["Thôn Trà Xinh"]
    for key in KEYS:
        assert agg.figures[key] == filled.expected.figures[key] - old_values[key] + 1
    unit = next(u for u in agg.units if u.name == "Thôn Trà Xinh")
    assert unit.status is UnitStatus.ON_TIME
    assert unit.version == 2


def test_patrol_totals_by_patrol_date(filled: Filled) -> None:
    assert dict(filled.aggregate().patrol) == filled.expected.patrol


def test_incidents_in_the_window_with_outcome(filled: Filled) -> None:
    agg = filled.aggregate()
    assert dict(agg.incidents_by_status) == filled.expected.incidents_by_status
    assert [i.summary for i in agg.incidents] == filled.expected.incident_summaries
    for item in agg.incidents:
        status, by = filled.expected.incident_outcome[item.summary]
        assert (item.status, item.changed_by) == (status, by)
        assert item.changed_at is not None and item.changed_at.tzinfo is not None
    assert sum(agg.incidents_by_day.values()) == len(agg.incidents)
    assert min(agg.incidents_by_day) == date(2025, 9, 5)
    assert max(agg.incidents_by_day) == date(2025, 9, 14)


def test_difficulties_and_proposals_merged_with_their_units(filled: Filled) -> None:
    agg = filled.aggregate()
    got = {" ".join(r.text.split()).casefold(): list(r.units) for r in agg.difficulties}
    assert {k: set(v) for k, v in got.items()} == {
        k: set(v) for k, v in filled.expected.difficulties.items()
    }
    merged = next(r for r in agg.difficulties if len(r.units) == 2)
    assert merged.text == "Địa bàn rộng, giao thông đi lại khó khăn."  # the first filer's words
    proposals = {" ".join(r.text.split()).casefold(): set(r.units) for r in agg.proposals}
    assert proposals == {k: set(v) for k, v in filled.expected.proposals.items()}


def test_overdue_only_after_the_deadline(filled: Filled) -> None:
    before = filled.aggregate(now=datetime(2025, 9, 14, 16, 0, tzinfo=UTC))  # 23:00 on the 14th
    assert before.overdue == ()
    assert {u.name for u in before.missing_units()} == set(filled.expected.missing)
    after = filled.aggregate()
    assert {u.name for u in after.overdue} == set(filled.expected.missing)


def test_a_period_without_reports(filled: Filled) -> None:
    with transaction(filled.engine) as s:
        weekly = Directive(
            commune_id=filled.commune.id,
            number="12/KH-UBND",
            issued_on=date(2025, 9, 1),
            issuer="UBND xã Tây Trà",
            summary="báo cáo tuần",
            target_unit_kinds=["village"],
            form_ids=["ket_qua_thuc_hien"],
            recurrence="weekly",
            starts_on=date(2025, 9, 1),
        )
        s.add(weekly)
        s.flush()
        weekly_id = weekly.id
    assert weekly_id is not None
    agg = aggregate(filled.engine, weekly_id, "2025-W38", tz=TZ, now=NOW + timedelta(days=14))
    assert not agg.has_submissions
    assert (agg.completeness.expected, agg.completeness.submitted) == (6, 0)
    assert agg.completeness.missing_pct == 100.0
    assert dict(agg.figures) == {} and dict(agg.patrol) == {}  # nobody reported: absent, not 0
    assert agg.period.first_day == date(2025, 9, 15)
    assert len(agg.overdue) == 6
    assert agg.difficulties == () and agg.proposals == ()


def test_inside_the_callers_transaction(filled: Filled) -> None:
    """A chat handler aggregates in its own unit of work and goes on writing in it."""
    from storage.models import AuditLog

    with transaction(filled.engine) as s:
        agg = aggregate(s, filled.expected.directive_id, "once", tz=TZ, now=NOW)
        s.add(AuditLog(actor="test", action="summary", target=agg.directive_number))
    with transaction(filled.engine) as s:
        assert s.exec(select(AuditLog)).one().target == "1949/UBND-NC"
    assert agg.completeness.submitted == 7
