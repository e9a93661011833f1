"""The outbox sender with the real clients — python-telegram-bot and ``ZaloClient`` — against
the local fake Bot APIs over HTTP, with injected faults and the fakes' flood limits."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import telegram
from sqlalchemy import Engine

from bot.channels.telegram_sender import TelegramSender
from bot.channels.zalo_client import ZaloClient
from bot.channels.zalo_sender import ZaloSender
from bot.core.events import Choice, Outgoing, Reply
from bot.outbox.protocol import ChannelSender
from bot.outbox.sender import OutboxSender
from bot.settings import Settings
from storage.db import transaction
from storage.enums import OutboxStatus
from storage.models import Member
from storage.outbox import enqueue
from tests.fakes import FakeTelegram, FakeZalo
from tests.outbox.doubles import VirtualTime
from tests.outbox.test_sender import row, rows
from tests.scheduler.seed import seed_commune


def put(engine: Engine, channel: str, chat_id: str, reply: Reply, kind: str = "message") -> int:
    with transaction(engine) as s:
        added = enqueue(s, Outgoing(channel, chat_id, reply, kind=kind))
        assert added is not None and added.id is not None
        return added.id


@pytest.fixture
async def bot(fake_telegram: FakeTelegram) -> AsyncIterator[telegram.Bot]:
    tg = telegram.Bot(
        fake_telegram.token,
        base_url=fake_telegram.base_url,
        base_file_url=fake_telegram.base_file_url,
    )
    yield tg
    await tg.shutdown()


@pytest.fixture
async def zalo(fake_zalo: FakeZalo) -> AsyncIterator[ZaloClient]:
    async with ZaloClient(fake_zalo.token, fake_zalo.url) as client:
        yield client


def virtual_sender(
    engine: Engine, settings: Settings, channel: ChannelSender, clock: VirtualTime
) -> OutboxSender:
    return OutboxSender(
        engine,
        {channel.channel: channel},
        settings,
        clock.now,
        monotonic=clock.monotonic,
        sleep=clock.sleep,
    )


async def drain(sender: OutboxSender, clock: VirtualTime, rounds: int = 20) -> None:
    for _ in range(rounds):
        await sender.run_once()
        clock.advance(5)


async def test_telegram_text_buttons_and_long_text(
    engine: Engine, settings: Settings, bot: telegram.Bot, fake_telegram: FakeTelegram
) -> None:
    long_text = "\n".join(["<b>Thôn An</b> — " + "x" * 90] * 60)
    put(engine, "telegram", "101", Reply("Xin chào &amp; <i>chúc</i> một ngày tốt lành"))
    msg = put(engine, "telegram", "101", Reply(long_text, choices=[Choice("Có", "a:1:yes")]))
    clock = VirtualTime()
    await drain(virtual_sender(engine, settings, TelegramSender(bot), clock), clock)
    sent = fake_telegram.sent_to(101)
    assert [m["text"][:9] for m in sent] == ["Xin chào ", "Thôn An —", "Thôn An —"]
    assert "reply_markup" not in sent[1]
    assert sent[2]["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "a:1:yes"
    assert row(engine, msg).provider_message_id == str(sent[2]["message_id"])


async def test_telegram_5xx_and_dropped_connections_are_retried(
    engine: Engine, settings: Settings, bot: telegram.Bot, fake_telegram: FakeTelegram
) -> None:
    fake_telegram.fail_next("sendMessage", 2, 500)
    fake_telegram.fail_next("sendMessage", 1, "drop")
    msg = put(engine, "telegram", "101", Reply("Nhắc báo cáo"))
    clock = VirtualTime()
    await drain(virtual_sender(engine, settings, TelegramSender(bot), clock), clock)
    assert fake_telegram.texts_to(101) == ["Nhắc báo cáo"]
    assert len(fake_telegram.calls_to("sendMessage")) == 4
    state = row(engine, msg)
    assert state.status == OutboxStatus.SENT and state.attempts == 3


async def test_telegram_429_waits_retry_after(
    engine: Engine, settings: Settings, bot: telegram.Bot, fake_telegram: FakeTelegram
) -> None:
    fake_telegram.fail_next("sendMessage", 1, 429, retry_after=7)
    msg = put(engine, "telegram", "101", Reply("x"))
    clock = VirtualTime()
    sender = virtual_sender(engine, settings, TelegramSender(bot), clock)
    start = clock.now()
    await sender.run_once()
    state = row(engine, msg)
    assert state.status == OutboxStatus.RETRYING
    assert state.next_attempt_at - start >= timedelta(seconds=7)
    clock.advance(6.5)
    await sender.run_once()
    assert len(fake_telegram.calls_to("sendMessage")) == 1
    clock.advance(1)
    await sender.run_once()
    assert fake_telegram.texts_to(101) == ["x"]


async def test_telegram_blocked_user_becomes_unreachable(
    engine: Engine, settings: Settings, bot: telegram.Bot, fake_telegram: FakeTelegram
) -> None:
    roster = seed_commune(engine)
    fake_telegram.block_user(201)
    msg = put(engine, "telegram", "201", Reply("x"))
    clock = VirtualTime()
    await drain(virtual_sender(engine, settings, TelegramSender(bot), clock), clock, rounds=3)
    assert row(engine, msg).status == OutboxStatus.DEAD
    assert "blocked" in (row(engine, msg).last_error or "")
    with transaction(engine) as s:
        member = s.get(Member, roster.members["binh_head"])
        assert member is not None and member.unreachable
    # The admin heard about it on Telegram.
    assert any("đã chặn bot" in t for t in fake_telegram.texts_to(503))


async def test_telegram_callback_answer_and_document(
    engine: Engine,
    settings: Settings,
    bot: telegram.Bot,
    fake_telegram: FakeTelegram,
    tmp_path: Path,
) -> None:
    report = tmp_path / "bao_cao.docx"
    report.write_bytes(b"PK\x03\x04 not really a docx")
    put(engine, "telegram", "cbq-9", Reply("Đã ghi nhận"), kind="callback_answer")
    put(engine, "telegram", "101", Reply("<b>Báo cáo tuần</b>", document_path=str(report)))
    clock = VirtualTime()
    await drain(virtual_sender(engine, settings, TelegramSender(bot), clock), clock, rounds=3)
    (answer,) = fake_telegram.calls_to("answerCallbackQuery")
    assert answer["callback_query_id"] == "cbq-9" and answer["text"] == "Đã ghi nhận"
    (doc,) = fake_telegram.calls_to("sendDocument")
    assert doc["caption"] == "<b>Báo cáo tuần</b>"
    assert all(r.status == OutboxStatus.SENT for r in rows(engine).values())


class _FailSecondSend:
    """Wraps a Bot: the second sendMessage fails with a timeout (a split message half-sent)."""

    def __init__(self, bot: telegram.Bot) -> None:
        self._bot = bot
        self.sends = 0

    async def send_message(self, **kwargs: Any) -> telegram.Message:
        self.sends += 1
        if self.sends == 2:
            raise telegram.error.TimedOut("timed out")
        return await self._bot.send_message(**kwargs)


async def test_a_split_message_resumes_after_the_parts_already_sent(
    engine: Engine, settings: Settings, bot: telegram.Bot, fake_telegram: FakeTelegram
) -> None:
    text = "\n".join(["dòng " + "y" * 95] * 100)  # three parts
    msg = put(engine, "telegram", "101", Reply(text))
    clock = VirtualTime()
    wrapped = _FailSecondSend(bot)
    await drain(virtual_sender(engine, settings, TelegramSender(wrapped), clock), clock)  # type: ignore[arg-type]
    assert len(fake_telegram.texts_to(101)) == 3  # no part twice
    assert row(engine, msg).parts_sent == 1  # recorded by the failed attempt


async def test_pacing_provokes_no_429_under_telegram_limits(
    engine: Engine, settings: Settings, bot: telegram.Bot, fake_telegram: FakeTelegram
) -> None:
    fake_telegram.enforce_limits = True
    for chat in range(1000, 1060):
        put(engine, "telegram", str(chat), Reply(f"tin {chat}"))
    for i in range(4):
        put(engine, "telegram", "101", Reply(f"chuỗi {i}"))
    for i in range(3):
        put(engine, "telegram", "-100500", Reply(f"nhóm {i}"))
    sender = OutboxSender(engine, {"telegram": TelegramSender(bot)}, settings)
    for _ in range(200):
        if all(r.status == OutboxStatus.SENT for r in rows(engine).values()):
            break
        if not await sender.run_once():
            await asyncio.sleep(0.2)
    assert all(r.status == OutboxStatus.SENT for r in rows(engine).values())
    assert fake_telegram.count_429 == 0
    assert fake_telegram.texts_to(101) == [f"chuỗi {i}" for i in range(4)]


async def test_zalo_plain_text_retries_and_flood_control(
    engine: Engine, settings: Settings, zalo: ZaloClient, fake_zalo: FakeZalo
) -> None:
    fake_zalo.fail_next("sendMessage", 1, 500)
    fake_zalo.fail_next("sendMessage", 1, 429, retry_after=4)
    long_text = "\n".join(["<b>dòng</b> " + "z" * 90] * 30)
    msg = put(
        engine,
        "zalo",
        "z102",
        Reply(long_text, choices=[Choice("Có", "a:1:yes", number=1)]),
    )
    clock = VirtualTime()
    sender = virtual_sender(engine, settings, ZaloSender(zalo), clock)
    await sender.run_once()  # 500
    state = row(engine, msg)
    assert state.attempts == 1 and state.status == OutboxStatus.RETRYING
    clock.advance(2)
    await sender.run_once()  # 429, retry after 4 s
    retry_at = row(engine, msg).next_attempt_at
    assert retry_at - clock.now() >= timedelta(seconds=3.99)
    await drain(sender, clock)
    texts = fake_zalo.texts_to("z102")
    assert len(texts) == 2 and all(len(t) <= 2000 for t in texts)
    assert "<b>" not in texts[0] and texts[-1].endswith("1. Có")


async def test_zalo_forbidden_marks_member_unreachable(
    engine: Engine, settings: Settings, zalo: ZaloClient, fake_zalo: FakeZalo
) -> None:
    roster = seed_commune(engine)
    fake_zalo.fail_next("sendMessage", 1, 403)
    msg = put(engine, "zalo", "z102", Reply("x"))
    clock = VirtualTime()
    await virtual_sender(engine, settings, ZaloSender(zalo), clock).run_once()
    assert row(engine, msg).status == OutboxStatus.DEAD
    with transaction(engine) as s:
        member = s.get(Member, roster.members["an_2"])
        assert member is not None and member.unreachable
