"""The outbox sender with an in-process channel double, on SQLite and PostgreSQL.

Time is virtual (:class:`VirtualTime`): the sender's clock, its monotonic pacing clock and
its sleeps all use it, so "not retried before retry_after" is checked exactly.
"""

from __future__ import annotations

import asyncio
import random
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlmodel import col, select

from bot.core.events import Outgoing, Reply
from bot.outbox.errors import PermanentError, RetryLater, TransientError
from bot.outbox.protocol import OutboxRow
from bot.outbox.sender import OutboxSender
from bot.outbox.store import claim_due, mark_sent
from bot.settings import Settings, load_settings
from storage.db import make_engine, transaction
from storage.enums import OutboxStatus
from storage.migrate import upgrade
from storage.models import Member, OutboxMessage
from storage.outbox import enqueue
from tests.outbox.doubles import ScriptedSender, VirtualTime, make_sender
from tests.scheduler.seed import seed_commune


def put(
    engine: Engine, chat_id: str, text: str, *, kind: str = "message", channel: str = "telegram"
) -> int:
    with transaction(engine) as s:
        row = enqueue(s, Outgoing(channel, chat_id, Reply(text), kind=kind))
        assert row is not None and row.id is not None
        return row.id


def rows(engine: Engine) -> dict[int, OutboxMessage]:
    with transaction(engine) as s:
        return {r.id: r for r in s.exec(select(OutboxMessage)).all() if r.id is not None}


def row(engine: Engine, row_id: int) -> OutboxMessage:
    return rows(engine)[row_id]


async def test_delivers_once_and_records_provider_id(engine: Engine, settings: Settings) -> None:
    a, b = put(engine, "101", "một"), put(engine, "201", "hai")
    clock = VirtualTime()
    channel = ScriptedSender(clock=clock)
    sender = make_sender(engine, settings, channel, clock)
    assert await sender.run_once() == 2
    assert await sender.run_once() == 0
    assert sorted(m.id for m in channel.delivered) == [a, b]
    sent = row(engine, a)
    assert sent.status == OutboxStatus.SENT
    assert sent.provider_message_id == f"p{a}"
    assert sent.sent_at is not None and sent.claimed_by is None


async def test_chat_order_is_kept_while_an_older_message_retries(
    engine: Engine, settings: Settings
) -> None:
    a1, a2, a3 = (put(engine, "101", f"A{i}") for i in (1, 2, 3))
    b1 = put(engine, "201", "B1")
    clock = VirtualTime()
    channel = ScriptedSender(clock=clock)
    channel.fail("101", TransientError("502 Bad Gateway"), TransientError("timed out"))
    sender = make_sender(engine, settings, channel, clock)
    for _ in range(30):
        await sender.run_once()
        clock.advance(1)
    order_a = [m.id for m in channel.delivered if m.chat_id == "101"]
    assert order_a == [a1, a2, a3]
    assert [m.id for m in channel.delivered if m.chat_id == "201"] == [b1]
    # A2 was never even tried before A1 had been delivered.
    first_a2_try = next(i for i, m in enumerate(channel.attempts) if m.id == a2)
    a1_success = max(i for i, m in enumerate(channel.attempts) if m.id == a1)
    assert first_a2_try > a1_success
    assert row(engine, a1).attempts == 2


async def test_retry_after_is_honoured_never_sooner(engine: Engine, settings: Settings) -> None:
    msg = put(engine, "101", "chào")
    clock = VirtualTime()
    channel = ScriptedSender(clock=clock)
    channel.fail("101", RetryLater(30))
    sender = make_sender(engine, settings, channel, clock)
    await sender.run_once()
    waiting = row(engine, msg)
    assert waiting.status == OutboxStatus.RETRYING
    assert waiting.attempts == 0  # flood control is not the message's failure
    clock.advance(29)
    await sender.run_once()
    assert len(channel.attempts) == 1
    clock.advance(1)
    await sender.run_once()
    assert [m.id for m in channel.delivered] == [msg]
    first, second = channel.attempt_times[msg]
    assert second - first >= timedelta(seconds=30)


async def test_retry_after_slows_the_channel_down(engine: Engine, settings: Settings) -> None:
    put(engine, "101", "x")
    clock = VirtualTime()
    channel = ScriptedSender(clock=clock)
    channel.fail("101", RetryLater(3))
    sender = make_sender(engine, settings, channel, clock)
    await sender.run_once()
    pacer = sender._pacers["telegram"]
    assert pacer.rate == settings.telegram_rate_per_second / 2
    clock.advance(3)
    await sender.run_once()
    assert pacer.rate > settings.telegram_rate_per_second / 2  # creeping back


async def test_transient_errors_back_off_exponentially_then_deliver(
    engine: Engine, settings: Settings
) -> None:
    msg = put(engine, "101", "chào")
    clock = VirtualTime()
    channel = ScriptedSender(clock=clock)
    channel.fail("101", TransientError("500"), TransientError("dropped"), TransientError("503"))
    sender = OutboxSender(
        engine,
        {"telegram": channel},
        settings,
        clock.now,
        monotonic=clock.monotonic,
        sleep=clock.sleep,
        rng=random.Random(7),
    )
    for failures in (1, 2, 3):
        tried_at = clock.now()
        await sender.run_once()
        state = row(engine, msg)
        assert state.status == OutboxStatus.RETRYING and state.attempts == failures
        delay = (state.next_attempt_at - tried_at).total_seconds()
        assert 0 <= delay <= 2 ** (failures - 1) + 0.01  # full jitter below the cap
        clock.advance(delay + 0.01)
    await sender.run_once()
    assert row(engine, msg).status == OutboxStatus.SENT
    assert len(channel.attempts) == 4


@pytest.fixture
def strict_settings(tmp_path: Path, db_url: str) -> Settings:
    return load_settings(
        data_dir=tmp_path / "data", database_url=db_url, outbox_max_attempts=3, _env_file=None
    )


def alert_rows(engine: Engine) -> list[OutboxMessage]:
    return [r for r in rows(engine).values() if (r.dedupe_key or "").startswith("dead:")]


async def test_dead_after_max_attempts_and_each_admin_alerted_once(
    engine: Engine, strict_settings: Settings
) -> None:
    roster = seed_commune(engine)
    msg = put(engine, "201", "Nhắc <b>báo cáo</b>")
    clock = VirtualTime()
    channel = ScriptedSender(clock=clock)
    channel.fail_always("201", TransientError("503 Service Unavailable"))
    sender = make_sender(engine, strict_settings, channel, clock)
    for _ in range(12):
        await sender.run_once()
        clock.advance(10)
    dead = row(engine, msg)
    assert dead.status == OutboxStatus.DEAD
    assert dead.attempts == 3
    assert "503" in (dead.last_error or "")
    assert len([m for m in channel.attempts if m.id == msg]) == 3
    alerts = alert_rows(engine)
    admin = roster.members["admin"]
    assert sorted(a.dedupe_key or "" for a in alerts) == [
        f"dead:{msg}:{admin}:telegram",
        f"dead:{msg}:{admin}:zalo",
    ]
    text = Reply.from_payload(alerts[0].payload).text
    assert "Người binh_head" in text and "3 lần" in text
    # The Telegram alert went out (there is no Zalo sender in this test).
    assert any("Không gửi được" in t for t in channel.texts_to("503"))


async def test_a_dead_alert_raises_no_alert_about_itself(
    engine: Engine, strict_settings: Settings
) -> None:
    seed_commune(engine)
    put(engine, "201", "x")
    clock = VirtualTime()
    channel = ScriptedSender(clock=clock)
    channel.fail_always("201", TransientError("down"))
    channel.fail_always("503", TransientError("down"))  # the admin's chat fails as well
    sender = make_sender(engine, strict_settings, channel, clock)
    for _ in range(25):
        await sender.run_once()
        clock.advance(10)
    alerts = alert_rows(engine)
    assert len(alerts) == 2  # telegram + zalo for the first message, nothing more
    assert any(a.status == OutboxStatus.DEAD for a in alerts)


async def test_blocked_user_is_marked_unreachable_and_chat_drained(
    engine: Engine, settings: Settings
) -> None:
    roster = seed_commune(engine)
    first, second, third = (put(engine, "201", f"tin {i}") for i in range(3))
    other = put(engine, "101", "khác")
    clock = VirtualTime()
    channel = ScriptedSender(clock=clock)
    channel.fail("201", PermanentError("Forbidden: bot was blocked by the user", unreachable=True))
    sender = make_sender(engine, settings, channel, clock)
    await sender.run_once()
    state = rows(engine)
    assert state[first].status == OutboxStatus.DEAD
    assert state[second].status == state[third].status == OutboxStatus.DEAD
    assert state[other].status == OutboxStatus.SENT
    with transaction(engine) as s:
        member = s.get(Member, roster.members["binh_head"])
        assert member is not None and member.unreachable
    alerts = alert_rows(engine)
    assert len(alerts) == 2
    assert all("đã chặn bot" in Reply.from_payload(a.payload).text for a in alerts)
    assert [m.id for m in channel.attempts if m.chat_id == "201"] == [first]


async def test_bad_request_is_dead_at_once(engine: Engine, settings: Settings) -> None:
    msg = put(engine, "101", "x")
    clock = VirtualTime()
    channel = ScriptedSender(clock=clock)
    channel.fail("101", PermanentError("Bad Request: can't parse entities"))
    sender = make_sender(engine, settings, channel, clock)
    await sender.run_once()
    assert row(engine, msg).status == OutboxStatus.DEAD
    assert row(engine, msg).attempts == 1


async def test_callback_answers_jump_the_queue(engine: Engine, settings: Settings) -> None:
    put(engine, "101", "câu hỏi")
    put(engine, "201", "câu hỏi")
    answer = put(engine, "cbq-1", "Đã ghi nhận", kind="callback_answer")
    clock = VirtualTime()
    channel = ScriptedSender(clock=clock)
    await make_sender(engine, settings, channel, clock).run_once()
    assert channel.attempts[0].id == answer
    assert row(engine, answer).status == OutboxStatus.SENT


async def test_stale_callback_answers_are_dropped_quietly(
    engine: Engine, settings: Settings
) -> None:
    seed_commune(engine)
    answer = put(engine, "cbq-1", "Đã ghi nhận", kind="callback_answer")
    clock = VirtualTime()
    clock.advance(11)  # Telegram refuses answers to presses older than ~10 s
    channel = ScriptedSender(clock=clock)
    assert await make_sender(engine, settings, channel, clock).run_once() == 1
    assert channel.attempts == []
    dead = row(engine, answer)
    assert dead.status == OutboxStatus.DEAD and "stale" in (dead.last_error or "")
    assert alert_rows(engine) == []


async def test_claim_of_a_crashed_sender_lapses_and_is_retried(
    engine: Engine, settings: Settings
) -> None:
    msg = put(engine, "101", "x")
    clock = VirtualTime()
    crashed = claim_due(engine, "telegram", 10, clock.now(), timedelta(seconds=70), "crashed")
    assert [r.id for r in crashed.rows] == [msg]
    channel = ScriptedSender(clock=clock)
    sender = make_sender(engine, settings, channel, clock)
    clock.advance(60)
    assert await sender.run_once() == 0  # still claimed
    clock.advance(11)
    assert await sender.run_once() == 1
    assert [m.id for m in channel.delivered] == [msg]
    # The crashed sender, should it come back, cannot overwrite the outcome.
    assert not mark_sent(engine, crashed.rows[0], "crashed", "late", clock.now(), settings.tz)
    assert row(engine, msg).provider_message_id == f"p{msg}"


async def test_two_senders_deliver_each_message_once_in_chat_order(
    engine: Engine, settings: Settings
) -> None:
    ids = {
        chat: [put(engine, chat, f"{chat}-{i}") for i in range(3)]
        for chat in map(str, range(1, 11))
    }
    second_engine = make_engine(settings.effective_database_url)  # as another process would
    clock = VirtualTime()
    journal: list[OutboxRow] = []
    one = ScriptedSender(clock=clock, journal=journal)
    two = ScriptedSender(clock=clock, journal=journal)
    one.fail("3", TransientError("x"))
    two.fail("3", TransientError("x"))
    s1 = make_sender(engine, settings, one, clock)
    s2 = make_sender(second_engine, settings, two, clock)
    try:
        for _ in range(20):
            await asyncio.gather(s1.run_once(), s2.run_once())
            clock.advance(3)
    finally:
        second_engine.dispose()
    delivered = [m.id for m in journal]
    assert sorted(delivered) == sorted(i for chat in ids.values() for i in chat)
    for chat, chat_ids in ids.items():
        assert [m.id for m in journal if m.chat_id == chat] == chat_ids


def test_postgres_claims_skip_rows_another_sender_has_locked(pg_schema_url: str) -> None:
    first, second = make_engine(pg_schema_url), make_engine(pg_schema_url)
    upgrade(first)
    try:
        a, b = put(first, "1", "a"), put(first, "2", "b")
        clock = VirtualTime()
        with first.connect() as conn, conn.begin():
            # Sender one is in the middle of its claim: row a is locked.
            conn.execute(text("SELECT id FROM outboxmessage WHERE id = :id FOR UPDATE"), {"id": a})
            claim = claim_due(second, "telegram", 10, clock.now(), timedelta(seconds=60), "two")
            assert [r.id for r in claim.rows] == [b]  # no waiting, no double claim
        later = claim_due(second, "telegram", 10, clock.now(), timedelta(seconds=60), "two")
        assert [r.id for r in later.rows] == [a]
    finally:
        first.dispose()
        second.dispose()


async def test_run_forever_sends_on_wake_and_stops(engine: Engine, settings: Settings) -> None:
    channel = ScriptedSender()
    sender = OutboxSender(engine, {"telegram": channel}, settings, poll_seconds=30)
    stop = asyncio.Event()
    task = asyncio.create_task(sender.run_forever(stop))
    await asyncio.sleep(0.05)
    msg = put(engine, "101", "x")
    sender.wake()
    for _ in range(200):  # a functional wait, not a speed assertion
        if channel.delivered:
            break
        await asyncio.sleep(0.05)
    stop.set()
    await asyncio.wait_for(task, 10)
    assert [m.id for m in channel.delivered] == [msg]


async def test_urgent_messages_are_claimed_first(engine: Engine, settings: Settings) -> None:
    for chat in range(1, 6):
        put(engine, str(chat), "thường")
    with transaction(engine) as s:
        urgent = enqueue(s, Outgoing("telegram", "99", Reply("khẩn", urgent=True)))
        assert urgent is not None
    clock = VirtualTime()
    claim = claim_due(engine, "telegram", 2, clock.now(), timedelta(seconds=60), "t")
    assert claim.rows[0].id == urgent.id


def test_sending_rows_count_as_pending_for_order(engine: Engine) -> None:
    first = put(engine, "101", "1")
    put(engine, "101", "2")
    clock = VirtualTime()
    claim = claim_due(engine, "telegram", 10, clock.now(), timedelta(seconds=60), "a")
    assert [r.id for r in claim.rows] == [first]
    assert claim_due(engine, "telegram", 10, clock.now(), timedelta(seconds=60), "b").rows == []
    with transaction(engine) as s:
        statuses = s.exec(select(OutboxMessage.status).order_by(col(OutboxMessage.id))).all()
    assert statuses == [OutboxStatus.SENDING, OutboxStatus.QUEUED]


async def test_run_forever_overlapping_batches_keep_chat_order(
    engine: Engine, settings: Settings
) -> None:
    ids = {chat: [put(engine, chat, f"{chat}-{i}") for i in range(3)] for chat in ("1", "2", "3")}
    for chat in range(10, 20):
        put(engine, str(chat), "một lần")
    channel = ScriptedSender()
    channel.fail("2", TransientError("x"))
    # Tiny batches (about 3 rows each) so that claims overlap the sends of earlier batches.
    sender = OutboxSender(
        engine, {"telegram": channel}, settings, batch_seconds=0.1, poll_seconds=0.05
    )
    stop = asyncio.Event()
    task = asyncio.create_task(sender.run_forever(stop))
    for _ in range(400):  # a functional wait, not a speed assertion
        if len(channel.delivered) == 19:
            break
        await asyncio.sleep(0.05)
    stop.set()
    await asyncio.wait_for(task, 10)
    assert len(channel.delivered) == 19
    for chat, chat_ids in ids.items():
        assert [m.id for m in channel.delivered if m.chat_id == chat] == chat_ids
