"""Drive the Telegram adapter through a fake Bot API server over real HTTP."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from sqlmodel import Session

from bot.channels.telegram_channel import handle_update, make_bot
from bot.channels.telegram_sender import TelegramSender
from bot.context import AppContext
from bot.core.engine import Engine
from bot.outbox.sender import OutboxSender
from storage.db import transaction
from storage.invites import issue_codes
from storage.models import Member
from tests.fakes.telegram_api import FakeTelegram


class VirtualTime:
    """Monotonic time the sender's pacing sleeps through instantly (tests stay fast)."""

    def __init__(self) -> None:
        self.now = time.monotonic()

    def monotonic(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += max(seconds, 0.0)
        await asyncio.sleep(0)


class TelegramDriver:
    channel = "telegram"

    def __init__(self, ctx: AppContext, fake: FakeTelegram, user_id: int):
        self.ctx, self.fake, self.user_id = ctx, fake, user_id
        self.seen = 0
        self.last_update: dict[str, Any] | None = None
        self.restart_sync()

    def restart_sync(self) -> None:
        self.bot = make_bot(self.ctx.settings)
        self.engine = Engine(self.ctx)
        self.time = VirtualTime()
        self.sender = OutboxSender(
            self.ctx.engine,
            {"telegram": TelegramSender(self.bot)},
            self.ctx.settings,
            monotonic=self.time.monotonic,
            sleep=self.time.sleep,
        )

    async def restart(self) -> None:
        await self.bot.shutdown()
        self.restart_sync()

    async def _send(self, update: dict[str, Any]) -> None:
        self.last_update = update
        async with self.bot:  # files are fetched through the bot (getFile) before the engine
            await handle_update(self.engine, self.bot, update)
        await self._flush()

    async def _flush(self) -> None:
        async with self.bot:
            for _ in range(50):
                n = await self.sender.run_once()
                if n == 0:
                    break

    async def link(self, member: Member) -> None:
        with transaction(self.ctx.engine) as s:
            fresh = s.get(Member, member.id)
            assert fresh is not None
            code = issue_codes(s, [fresh])[0].code
        await self.say(f"/start {code}")
        await self.replies()

    async def say(self, text: str) -> None:
        await self._send(self.fake.text_update(self.user_id, text))

    def latest_keyboard(self) -> tuple[int, list[dict[str, Any]]]:
        for message in reversed(self.fake.sent_to(self.user_id)):
            markup = message.get("reply_markup") or {}
            rows = markup.get("inline_keyboard")
            if rows:
                return int(message["message_id"]), [b for row in rows for b in row]
        raise AssertionError("no inline keyboard was sent")

    async def choose(self, label_part: str) -> None:
        message_id, buttons = self.latest_keyboard()
        for button in buttons:
            if label_part in button["text"]:
                await self._send(
                    self.fake.callback_update(self.user_id, button["callback_data"], message_id)
                )
                return
        raise AssertionError(f"no button {label_part!r} in {[b['text'] for b in buttons]}")

    async def send_photo(self) -> None:
        await self._send(self.fake.photo_update(self.user_id, f"photo-{self.user_id}"))

    async def share_location_or_type(self, text: str) -> None:
        await self._send(self.fake.location_update(self.user_id, 15.2, 108.4))

    async def replies(self) -> list[str]:
        texts = self.fake.texts_to(self.user_id)
        new, self.seen = texts[self.seen :], len(texts)
        return new

    async def deliver_last_again(self) -> None:
        assert self.last_update is not None
        await handle_update(self.engine, self.bot, self.last_update)
        await self._flush()

    def member(self) -> Member | None:
        with Session(self.ctx.engine) as s:
            from sqlmodel import select

            return s.exec(
                select(Member).where(Member.telegram_user_id == str(self.user_id))
            ).first()
