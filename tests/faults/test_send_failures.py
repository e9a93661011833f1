"""The outbox sender through a storm: 429s with retry_after, 5xx answers, dropped
connections and the Bot API unreachable for a while — the real TelegramSender
(python-telegram-bot over HTTP) against the fake Telegram, time virtual.

tests/outbox covers each fault alone; here they come together, on many chats at once, and
the check is end to end: what the fake Telegram received per chat, in order, against the
outbox rows.
"""

from __future__ import annotations

import random
from collections.abc import AsyncIterator, Callable

import pytest
import telegram
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from bot.channels.telegram_render import message_parts
from bot.channels.telegram_sender import TelegramSender
from bot.context import AppContext
from bot.core.events import Choice, Outgoing, Reply
from bot.outbox.sender import OutboxSender
from bot.settings import Settings
from storage.db import transaction
from storage.enums import OutboxStatus
from storage.models import OutboxMessage
from storage.outbox import enqueue
from tests.fakes.telegram_api import FakeTelegram
from tests.fakes.telegram_html import plain_text
from tests.faults.conftest import MakeCtx
from tests.faults.support import collapse_repeats, sized
from tests.outbox.doubles import VirtualTime

ROUND_SECONDS = 2.0  # virtual seconds between two rounds of the sender


@pytest.fixture
async def bot(fake_telegram: FakeTelegram) -> AsyncIterator[telegram.Bot]:
    async with fake_telegram.ptb_bot(read_timeout=5) as tg:
        yield tg


def fill_outbox(engine: Engine, chats: list[int], per_chat: int, rng: random.Random) -> None:
    """Short texts, texts with buttons, and some long enough to go out in three parts."""
    with transaction(engine) as s:
        for n in range(per_chat):
            for chat in chats:
                kind = rng.random()
                if kind < 0.15:
                    text = "\n".join([f"<b>Phần {n}</b> — chat {chat} — " + "x" * 80] * 100)
                    reply = Reply(text)
                elif kind < 0.5:
                    reply = Reply(f"Câu {n} cho {chat}", choices=[Choice("Bỏ qua", f"n:{n}:skip")])
                else:
                    reply = Reply(f"Tin {n} gửi {chat} &amp; <i>đúng thứ tự</i>")
                enqueue(s, Outgoing("telegram", str(chat), reply))


def rows(engine: Engine) -> list[OutboxMessage]:
    with Session(engine) as s:
        return list(s.exec(select(OutboxMessage).order_by(col(OutboxMessage.id))).all())


def expected_texts(engine: Engine, chat: int) -> list[str]:
    """Every part of every row for the chat, in row order, as Telegram stores it."""
    out = []
    for row in rows(engine):
        if row.chat_id == str(chat):
            for part in message_parts(Reply.from_payload(row.payload)):
                out.append(plain_text(part["text"]))
    return out


def storm_settings(ctx: AppContext) -> Settings:
    # A minute and a half without Telegram takes a message through more failures than the
    # default eight attempts (full-jitter backoff from 1 s): giving up is tested in
    # tests/outbox; here every message must survive the outage.
    return ctx.settings.model_copy(update={"outbox_max_attempts": 30})


async def drain(
    sender: OutboxSender, clock: VirtualTime, engine: Engine, script: dict[int, Callable[[], None]]
) -> None:
    """Run rounds until nothing is pending; ``script[round]()`` changes the weather."""
    for round_no in range(600):
        action = script.get(round_no)
        if action is not None:
            action()
        await sender.run_once()
        clock.advance(ROUND_SECONDS)
        if round_no > max(script) and all(r.status == OutboxStatus.SENT for r in rows(engine)):
            return
    states = {r.id: (r.status, r.attempts, r.last_error) for r in rows(engine)}
    raise AssertionError(f"not everything was delivered: {states}")


async def test_storms_errors_and_an_outage_deliver_everything_once_in_order(
    make_ctx: MakeCtx, fake_telegram: FakeTelegram, bot: telegram.Bot
) -> None:
    ctx = make_ctx()
    rng = random.Random(7)
    chats = list(range(30_001, 30_001 + sized(8, 40)))
    fill_outbox(ctx.engine, chats, sized(6, 20), rng)
    clock = VirtualTime()
    sender = OutboxSender(
        ctx.engine,
        {"telegram": TelegramSender(bot)},
        storm_settings(ctx),
        clock.now,
        monotonic=clock.monotonic,
        sleep=clock.sleep,
        rng=random.Random(1),
    )
    pending_at_outage_end: list[int] = []

    def storm() -> None:
        fake_telegram.fail_next("sendMessage", 12, 429, retry_after=5)
        fake_telegram.fail_next("sendMessage", 4, 502)
        fake_telegram.fail_next("sendMessage", 3, "drop")
        fake_telegram.fail_next("sendMessage", 2, 500)

    def outage_ends() -> None:
        pending_at_outage_end.append(sum(r.status != OutboxStatus.SENT for r in rows(ctx.engine)))
        fake_telegram.set_unreachable(False)
        fake_telegram.fail_next("*", 8, 429, retry_after=3)  # everyone rushes back: flood

    outage_rounds = int(90 / ROUND_SECONDS)
    await drain(
        sender,
        clock,
        ctx.engine,
        {
            0: storm,
            3: lambda: fake_telegram.set_unreachable(True),
            3 + outage_rounds: outage_ends,
            3 + outage_rounds + 4: storm,
        },
    )

    assert pending_at_outage_end[0] > 0, "the outage ended before it held anything up"
    assert fake_telegram.count_429 >= 12 + 8 + 12
    for chat in chats:
        assert fake_telegram.texts_to(chat) == expected_texts(ctx.engine, chat), chat
    assert all(r.status == OutboxStatus.SENT and r.provider_message_id for r in rows(ctx.engine))
    assert max(r.attempts for r in rows(ctx.engine)) > 1  # the outage was felt, and survived


async def test_a_connection_lost_after_telegram_accepted_repeats_that_message_once(
    make_ctx: MakeCtx, fake_telegram: FakeTelegram, bot: telegram.Bot
) -> None:
    """``drop_after``: Telegram stored the message, then the connection died before the
    answer. The sender cannot tell this from a message that never arrived, so it sends it
    again: one extra copy per lost answer, right after the original (the chat's later rows
    wait behind it), never a reordering and never a loss."""
    ctx = make_ctx()
    chats = list(range(31_001, 31_006))
    fill_outbox(ctx.engine, chats, 5, random.Random(3))
    clock = VirtualTime()
    sender = OutboxSender(
        ctx.engine,
        {"telegram": TelegramSender(bot)},
        storm_settings(ctx),
        clock.now,
        monotonic=clock.monotonic,
        sleep=clock.sleep,
        rng=random.Random(2),
    )
    lost_answers = 4
    await drain(
        sender,
        clock,
        ctx.engine,
        {0: lambda: fake_telegram.fail_next("sendMessage", lost_answers, "drop_after")},
    )
    extra = 0
    for chat in chats:
        delivered = fake_telegram.texts_to(chat)
        merged, longest = collapse_repeats(delivered)
        assert merged == collapse_repeats(expected_texts(ctx.engine, chat))[0], chat
        assert longest <= 2
        extra += len(delivered) - len(expected_texts(ctx.engine, chat))
    assert extra == lost_answers
