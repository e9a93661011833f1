"""Reminder rounds on SQLite and PostgreSQL: who is reminded, when, and never twice."""

from __future__ import annotations

import multiprocessing
import threading
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from bot.core.events import Outgoing, Reply
from bot.scheduler import reminders
from bot.scheduler.reminders import run_round
from bot.settings import Settings
from storage.db import make_engine, transaction
from storage.models import Directive, Member, OutboxMessage, Submission
from tests.scheduler.round_worker import run_in_process
from tests.scheduler.seed import Roster, add_directive, seed_commune

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def at(y: int, m: int, d: int, hh: int, mm: int = 0) -> datetime:
    """A local Vietnam time, as the aware UTC value the app passes around."""
    return datetime(y, m, d, hh, mm, tzinfo=TZ).astimezone(UTC)


def outbox(engine: Engine) -> list[OutboxMessage]:
    with transaction(engine) as s:
        return list(s.exec(select(OutboxMessage).order_by(col(OutboxMessage.id))).all())


def keys_for(engine: Engine, step: str) -> list[str]:
    return [r.dedupe_key or "" for r in outbox(engine) if f":{step}:" in (r.dedupe_key or "")]


def submit(
    engine: Engine, roster: Roster, directive_id: int, unit: str, period: str = "once"
) -> None:
    with transaction(engine) as s:
        member_id = next(
            m.id for m in s.exec(select(Member)).all() if m.unit_id == roster.units[unit]
        )
        assert member_id is not None
        s.add(
            Submission(
                commune_id=roster.commune_id,
                form_id="ket_qua_thuc_hien",
                directive_id=directive_id,
                period_key=period,
                unit_id=roster.units[unit],
                member_id=member_id,
                channel="telegram",
                status="submitted",
            )
        )


def test_reminders_at_half_past_seven_to_each_member_of_missing_units(
    engine: Engine, settings: Settings
) -> None:
    roster = seed_commune(engine)
    did = add_directive(engine)
    assert run_round(engine, settings, at(2025, 9, 1, 7, 30)).by_kind["announce"] == 7
    assert run_round(engine, settings, at(2025, 9, 12, 7, 29)).enqueued == 0
    result = run_round(engine, settings, at(2025, 9, 12, 7, 30))
    assert result.enqueued == 7 and result.by_kind == {"before": 7}
    m = roster.members
    assert keys_for(engine, "before:3d") == [
        f"remind:{did}:once:before:3d:{m['an_head']}:telegram",  # the unit head first
        f"remind:{did}:once:before:3d:{m['an_2']}:telegram",
        f"remind:{did}:once:before:3d:{m['an_2']}:zalo",  # on every linked channel
        f"remind:{did}:once:before:3d:{m['binh_head']}:telegram",
        f"remind:{did}:once:before:3d:{m['police_chief']}:telegram",
        f"remind:{did}:once:before:3d:{m['police_2']}:telegram",
        f"remind:{did}:once:before:3d:{m['agency_head']}:telegram",
    ]
    row = next(r for r in outbox(engine) if r.dedupe_key and "before:3d" in r.dedupe_key)
    assert (row.channel, row.chat_id) == ("telegram", "101")
    reply = Reply.from_payload(row.payload)
    assert "1949/UBND-NC" in reply.text and "15/09/2025" in reply.text
    assert "Thôn An" in reply.text and "còn 3 ngày" in reply.text
    assert "&amp; vi phạm &lt;pháp luật&gt;" in reply.text  # directive text escaped
    assert [(c.label, c.data) for c in reply.choices] == [
        ("Báo cáo ngay", f"go:ket_qua_thuc_hien:{did}"),
        ("Không phát hiện gì", f"go:khong_phat_hien:{did}"),
    ]
    assert [c.number for c in reply.choices] == [1, 2]


def test_a_second_round_adds_nothing(engine: Engine, settings: Settings) -> None:
    seed_commune(engine)
    add_directive(engine)
    now = at(2025, 9, 14, 7, 30)
    assert run_round(engine, settings, now).enqueued == 7
    assert run_round(engine, settings, now).enqueued == 0
    assert run_round(engine, settings, now + timedelta(hours=3)).enqueued == 0
    assert len(outbox(engine)) == 7


def test_rounds_in_two_threads_enqueue_each_reminder_once(
    engine: Engine, settings: Settings
) -> None:
    seed_commune(engine)
    add_directive(engine)
    now = at(2025, 9, 15, 8, 0)
    results: list[int] = []
    barrier = threading.Barrier(2)

    def worker() -> None:
        own = make_engine(settings.effective_database_url)  # its own pool, like a process
        try:
            barrier.wait()
            results.append(run_round(own, settings, now).enqueued)
        finally:
            own.dispose()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results)[1] <= 7 and sum(results) == 7
    assert len(outbox(engine)) == 7


def test_rounds_in_two_processes_enqueue_each_reminder_once(
    engine: Engine, settings: Settings
) -> None:
    seed_commune(engine)
    add_directive(engine)
    now = at(2025, 9, 15, 8, 0).isoformat()
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(2) as pool:
        counts = pool.starmap(run_in_process, [(settings.effective_database_url, now)] * 2)
    assert sum(counts) == 7
    assert len(outbox(engine)) == 7


def test_units_that_reported_are_not_reminded(engine: Engine, settings: Settings) -> None:
    roster = seed_commune(engine)
    did = add_directive(engine)
    submit(engine, roster, did, "Thôn An")
    submit(engine, roster, did, "Công an xã")
    assert run_round(engine, settings, at(2025, 9, 12, 7, 30)).enqueued == 2  # Bình, agency
    assert {r.chat_id for r in outbox(engine)} == {"201", "401"}


def test_escalation_lists_exactly_the_overdue_units(engine: Engine, settings: Settings) -> None:
    roster = seed_commune(engine)
    did = add_directive(engine)
    submit(engine, roster, did, "Thôn An")
    result = run_round(engine, settings, at(2025, 9, 16, 7, 30))
    assert result.by_kind == {"overdue": 4, "escalate": 3}
    escalations = {
        r.chat_id: Reply.from_payload(r.payload).text
        for r in outbox(engine)
        if ":escalate:2025-09-16:" in (r.dedupe_key or "")
    }
    assert set(escalations) == {"501", "502", "301"}  # office, leader, police chief
    for staff in ("501", "502"):
        assert "• Thôn Bình\n• Công an xã\n• Hội Nông dân" in escalations[staff]
        assert "Thôn An" not in escalations[staff]
        assert "3 đơn vị" in escalations[staff]
    assert escalations["301"].endswith("• Thôn Bình\n• Công an xã")
    overdue = [r for r in outbox(engine) if ":overdue:" in (r.dedupe_key or "")]
    assert {r.chat_id for r in overdue} == {"201", "301", "302", "401"}
    assert "đã quá 1 ngày" in Reply.from_payload(overdue[0].payload).text
    # The next morning it all comes again, once.
    assert run_round(engine, settings, at(2025, 9, 17, 7, 30)).enqueued == 7
    assert run_round(engine, settings, at(2025, 9, 17, 9, 0)).enqueued == 0


def test_quiet_hours_hold_a_night_directive_until_half_past_six(
    engine: Engine, settings: Settings
) -> None:
    seed_commune(engine)
    created = at(2025, 9, 10, 22, 0)
    add_directive(engine, starts_on=created.astimezone(TZ).date(), created_at=created)
    assert run_round(engine, settings, at(2025, 9, 10, 22, 0)).enqueued == 0
    assert run_round(engine, settings, at(2025, 9, 11, 3, 0)).enqueued == 0
    assert run_round(engine, settings, at(2025, 9, 11, 6, 29)).enqueued == 0
    assert run_round(engine, settings, at(2025, 9, 11, 6, 30)).by_kind == {"announce": 7}
    assert {Reply.from_payload(r.payload).text.split("\n")[0] for r in outbox(engine)} == {
        "📢 <b>Văn bản 1949/UBND-NC</b> của UBND tỉnh Quảng Ngãi"
    }


def test_blocked_inactive_and_unlinked_members_are_skipped(
    engine: Engine, settings: Settings
) -> None:
    roster = seed_commune(engine)
    add_directive(engine)
    with transaction(engine) as s:
        blocked = s.get(Member, roster.members["an_head"])
        gone = s.get(Member, roster.members["police_2"])
        assert blocked is not None and gone is not None
        blocked.unreachable = True
        gone.active = False
    run_round(engine, settings, at(2025, 9, 12, 7, 30))
    assert {r.chat_id for r in outbox(engine)} == {"102", "z102", "201", "301", "401"}


def test_inactive_directives_are_silent(engine: Engine, settings: Settings) -> None:
    seed_commune(engine)
    did = add_directive(engine)
    with transaction(engine) as s:
        directive = s.get(Directive, did)
        assert directive is not None
        directive.active = False
    assert run_round(engine, settings, at(2025, 9, 12, 7, 30)).enqueued == 0


def test_weekly_directive_uses_period_keys(engine: Engine, settings: Settings) -> None:
    roster = seed_commune(engine)
    did = add_directive(
        engine, number="12/KH-UBND", recurrence="weekly", unit_deadline=None, offsets=(0,)
    )
    submit(engine, roster, did, "Thôn An", period="2025-W37")
    # Sunday 14/09 07:30: the week's deadline; week 36 is overdue for everyone.
    result = run_round(engine, settings, at(2025, 9, 14, 7, 30))
    keys = [r.dedupe_key or "" for r in outbox(engine)]
    assert any(k.startswith(f"remind:{did}:2025-W37:before:0d:") for k in keys)
    assert any(k.startswith(f"remind:{did}:2025-W36:overdue:2025-09-14:") for k in keys)
    assert not any(
        k.startswith(f"remind:{did}:2025-W37:")
        and k.endswith(f":{roster.members['an_head']}:telegram")
        for k in keys
    )
    assert result.by_kind["before"] == 4  # Bình, police ×2, agency (An reported)
    text = next(
        Reply.from_payload(r.payload).text
        for r in outbox(engine)
        if "2025-W37" in (r.dedupe_key or "")
    )
    assert "kỳ 08/09/2025–14/09/2025" in text


def test_an_interrupted_round_is_completed_by_the_next_without_duplicates(
    engine: Engine, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed_commune(engine)
    did = add_directive(engine)
    monkeypatch.setattr(reminders, "WRITE_CHUNK", 2)
    calls = {"n": 0}
    real_enqueue = reminders.enqueue

    def failing_enqueue(session: Session, outgoing: Outgoing) -> OutboxMessage | None:
        calls["n"] += 1
        if calls["n"] == 5:  # the database goes away in the third chunk
            raise RuntimeError("connection lost")
        return real_enqueue(session, outgoing)

    monkeypatch.setattr(reminders, "enqueue", failing_enqueue)
    now = at(2025, 9, 12, 7, 30)
    first = run_round(engine, settings, now)
    assert first.failed == [did] and len(outbox(engine)) == 4  # two chunks committed
    second = run_round(engine, settings, now)
    assert second.enqueued == 3 and second.failed == []
    keys = [r.dedupe_key for r in outbox(engine)]
    assert len(keys) == len(set(keys)) == 7
