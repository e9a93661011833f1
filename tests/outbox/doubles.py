"""In-process doubles for outbox tests: a virtual clock and a scripted channel sender."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from datetime import datetime, timedelta

from sqlalchemy import Engine

from bot.outbox.protocol import OutboxRow
from bot.outbox.sender import OutboxSender
from bot.settings import Settings
from storage.types import utcnow


class VirtualTime:
    """Wall clock and monotonic clock that only move when told to, or when slept on."""

    def __init__(self, start: datetime | None = None) -> None:
        # A little ahead of real time, so rows enqueued just now are already due.
        self.current = start or utcnow() + timedelta(seconds=1)
        self.mono = 1000.0
        self.slept: list[float] = []

    def now(self) -> datetime:
        return self.current

    def monotonic(self) -> float:
        return self.mono

    def advance(self, seconds: float) -> None:
        self.current += timedelta(seconds=seconds)
        self.mono += seconds

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.advance(seconds)
        await asyncio.sleep(0)


class ScriptedSender:
    """A ChannelSender that records every attempt and raises scripted errors per chat."""

    def __init__(
        self,
        channel: str = "telegram",
        clock: VirtualTime | None = None,
        journal: list[OutboxRow] | None = None,
    ) -> None:
        self.channel = channel
        self.clock = clock
        self.attempts: list[OutboxRow] = []
        self.delivered: list[OutboxRow] = []
        self.journal = journal if journal is not None else []  # shared between senders
        self.attempt_times: dict[int, list[datetime]] = defaultdict(list)
        self._errors: dict[str, list[Exception]] = defaultdict(list)
        self._always: dict[str, Exception] = {}

    def fail(self, chat_id: str, *errors: Exception) -> None:
        self._errors[chat_id].extend(errors)

    def fail_always(self, chat_id: str, error: Exception) -> None:
        self._always[chat_id] = error

    async def deliver(self, message: OutboxRow) -> str | None:
        self.attempts.append(message)
        if self.clock is not None:
            self.attempt_times[message.id].append(self.clock.now())
        await asyncio.sleep(0)
        if message.chat_id in self._always:
            raise self._always[message.chat_id]
        queue = self._errors[message.chat_id]
        if queue:
            raise queue.pop(0)
        self.delivered.append(message)
        self.journal.append(message)
        return f"p{message.id}"

    def texts_to(self, chat_id: str) -> list[str]:
        return [m.reply.text for m in self.delivered if m.chat_id == chat_id]


def make_sender(
    engine: Engine, settings: Settings, channel_sender: ScriptedSender, clock: VirtualTime
) -> OutboxSender:
    return OutboxSender(
        engine,
        {channel_sender.channel: channel_sender},
        settings,
        clock.now,
        monotonic=clock.monotonic,
        sleep=clock.sleep,
    )
