"""The Xã Tây Trà sample data: what it loads, and that loading it twice changes nothing."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from bot.channels.web.completeness import Cell, Grid, build_grid
from bot.settings import Settings
from handlers.sample_history import seed_sample_history
from storage.db import transaction
from storage.models import (
    AuditLog,
    Commune,
    Directive,
    Incident,
    IncidentEvent,
    Member,
    OutboxMessage,
    Submission,
    SubmissionFigure,
    Unit,
)
from storage.sample import seed_sample

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def test_seed_sample_loads_commune_roster_and_directives(engine: Engine) -> None:
    with transaction(engine) as s:
        result = seed_sample(s)
    assert result.commune_created and result.commune_name == "Xã Tây Trà"
    assert (result.roster.created, result.directives_created) == (32, 3)
    with transaction(engine) as s:
        commune = s.exec(select(Commune)).one()
        directives = {d.number: d for d in s.exec(select(Directive)).all()}
        roles = [r for m in s.exec(select(Member)).all() for r in m.roles]
    assert commune.code == 21154
    assert roles.count("village_head") == 8
    assert roles.count("leader") == 2 and roles.count("admin") == 1
    campaign = directives["1949/UBND-NC"]
    assert campaign.issued_on == date(2025, 8, 28)
    assert campaign.starts_on == date(2025, 9, 5)
    assert (campaign.unit_deadline, campaign.report_deadline) == (
        date(2025, 9, 14),
        date(2025, 9, 15),
    )
    assert campaign.target_unit_kinds == ["village", "police", "military", "agency"]
    assert campaign.form_ids == ["ket_qua_thuc_hien"] and campaign.recurrence == "none"
    weekly = [d for d in directives.values() if d.recurrence == "weekly"]
    assert sorted(tuple(d.form_ids) for d in weekly) == [
        ("khong_phat_hien", "doi_tuong_kha_nghi"),
        ("nhat_ky_tuan_tra",),
    ]


def test_seed_sample_twice_changes_nothing(engine: Engine) -> None:
    with transaction(engine) as s:
        seed_sample(s)
    with transaction(engine) as s:
        before = (
            [(m.id, m.updated_at) for m in s.exec(select(Member)).all()],
            [(u.id, u.head_member_id) for u in s.exec(select(Unit)).all()],
            len(s.exec(select(Directive)).all()),
        )
    with transaction(engine) as s:
        again = seed_sample(s)
    assert not again.changed
    assert again.roster.unchanged == 32
    with transaction(engine) as s:
        after = (
            [(m.id, m.updated_at) for m in s.exec(select(Member)).all()],
            [(u.id, u.head_member_id) for u in s.exec(select(Unit)).all()],
            len(s.exec(select(Directive)).all()),
        )
    assert after == before


NOW = datetime(2025, 10, 22, 2, 0, tzinfo=UTC)  # Wednesday 09:00 in Hà Nội, week 43


def _grid(engine: Engine, number: str, now: datetime = NOW) -> Grid:
    with Session(engine) as s:
        directive = s.exec(select(Directive).where(Directive.number == number)).one()
        return build_grid(s, directive, now=now, tz=TZ)


def _filed(engine: Engine) -> list[tuple[str, str, int, datetime]]:
    with Session(engine) as s:
        rows = s.exec(select(Submission).order_by(col(Submission.id))).all()
    return [(r.form_id, r.period_key, r.unit_id, r.created_at) for r in rows]


def test_sample_history_looks_like_a_commune_in_use(engine: Engine, settings: Settings) -> None:
    with transaction(engine) as s:
        seed_sample(s)
        filed = seed_sample_history(s, settings, NOW)
    assert filed == len(_filed(engine)) > 50
    weekly = _grid(engine, "45/KH-UBND")
    assert [p.key for p in weekly.periods][-1] == "2025-W43" and len(weekly.periods) == 7
    past, current = weekly.periods[:-1], weekly.periods[-1]
    # Most villages report every week, one or two miss a week now and then…
    assert all(p.on_time >= 5 for p in past) and 0 < sum(p.missing for p in past) <= 12
    # …a weekly report cannot be late (it counts for the week it is sent in)…
    assert all(p.late == 0 for p in weekly.periods)
    # …and this week, some have already reported, the others still may.
    assert current.on_time > 0 and current.pending > 0 and current.missing == 0
    habits = {row.unit: row.cells for row in weekly.rows}
    assert all(c is Cell.ON_TIME for c in habits["Thôn Trà Xinh"])  # the reliable one
    assert sum(c is Cell.MISSING for c in habits["Thôn Trà Quân"]) >= 3  # the forgetful one
    campaign = _grid(engine, "1949/UBND-NC").periods[0]
    assert (campaign.on_time, campaign.late, campaign.missing) == (8, 2, 2)
    patrols = _grid(engine, "46/KH-UBND")
    assert sum(p.on_time for p in patrols.periods[:-1]) >= 8
    with Session(engine) as s:
        assert all(r.created_at < NOW for r in s.exec(select(Submission)).all())
        figures = {f.key for f in s.exec(select(SubmissionFigure)).all()}
        incidents = s.exec(select(Incident)).all()
        history = s.exec(
            select(IncidentEvent).order_by(col(IncidentEvent.incident_id), col(IncidentEvent.at))
        ).all()
        police = {m.id for m in s.exec(select(Member)).all() if "police" in m.roles}
        # Nobody is told about a past that did not happen: nothing went to the outbox.
        assert s.exec(select(OutboxMessage)).all() == []
        assert s.exec(select(AuditLog).where(AuditLog.action == "sample.history")).one()
    assert {"patrols", "persons_checked", "propaganda_sessions", "no_incident"} <= figures
    # A tip every four weeks (W38, W42), each taken, checked and closed by the police.
    assert len(incidents) == 2
    assert all(i.status == "handled" and "dữ liệu mẫu" in i.summary for i in incidents)
    assert [e.status for e in history] == ["new", "received", "verifying", "handled"] * 2
    assert all(e.member_id in police for e in history if e.status != "new")


def test_sample_history_is_idempotent_and_grows_with_time(
    engine: Engine, settings: Settings
) -> None:
    with transaction(engine) as s:
        seed_sample(s)
        seed_sample_history(s, settings, NOW)
    first = _filed(engine)
    with transaction(engine) as s:
        assert seed_sample_history(s, settings, NOW) == 0
    assert _filed(engine) == first
    later = NOW + timedelta(days=14)
    with transaction(engine) as s:
        added = seed_sample_history(s, settings, later)
    grown = _filed(engine)
    # The same history, extended: every earlier report is still there, unchanged.
    assert added > 0 and grown[: len(first)] == first
    assert {key for _, key, _, _ in grown[len(first) :]} <= {"2025-W43", "2025-W44", "2025-W45"}
    assert _grid(engine, "45/KH-UBND", later).periods[-1].key == "2025-W45"
