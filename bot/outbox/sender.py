"""The outbox sender: delivers queued rows with per-chat order, pacing and retries.

One :class:`OutboxSender` per process; several processes may run against one database (see
:mod:`bot.outbox.store` for how claims stay disjoint and ordered).

Delivery is at-least-once, as close to exactly-once as a remote API allows: a row is marked
sent — with the provider's message id — in its own transaction right after the send
returns. If the process dies (or the database is unreachable) between the platform
accepting a message and that commit, the row's claim lapses and the message is sent again:
at most that one message per chat, since the chat's later rows wait behind it.
"""

from __future__ import annotations

import asyncio
import logging
import math
import random
import time
import uuid
from collections.abc import Awaitable, Callable, Mapping
from datetime import datetime, timedelta

from sqlalchemy import Engine

from bot.outbox.backoff import backoff_delay
from bot.outbox.errors import PermanentError, RetryLater, TransientError
from bot.outbox.limits import ChannelPacer, limits_for
from bot.outbox.priority import PriorityLimiter, row_priority
from bot.outbox.protocol import ChannelSender, OutboxRow
from bot.outbox.store import Claim, claim_due, mark_dead, mark_sent, release, reschedule
from bot.settings import Settings
from storage.types import utcnow

log = logging.getLogger(__name__)

LEASE_SLACK = timedelta(seconds=60)  # claim lifetime beyond the batch's planned duration
LEASE_MARGIN = timedelta(seconds=5)  # do not start a send this close to the claim's end
RELEASE_AFTER = 5.0  # a chat paused longer than this goes back to the table, untried
MIN_RETRY_AFTER = 1.0  # a 429 asking for 0 s must not turn into a busy loop
MAX_IN_FLIGHT = 32  # sends under way at once per channel (the HTTP pool is sized to match)
PREFETCH_SECONDS = 1.0  # claim the next batch when this much of the current one is left


class _Pacing:
    """Counts the rows of a batch still waiting for their send slot.

    ``low`` is set once at most ``low_water`` are left: time to claim the next batch, so the
    claim's database round trip overlaps the end of this one instead of idling the channel.
    """

    def __init__(self, total: int, low_water: int) -> None:
        self.left = total
        self.low_water = low_water
        self.low = asyncio.Event()
        self._check()

    def one_done(self) -> None:
        self.left -= 1
        self._check()

    def _check(self) -> None:
        if self.left <= self.low_water:
            self.low.set()


class OutboxSender:
    """Delivers due outbox rows through one :class:`ChannelSender` per channel.

    ``clock`` gives the database's notion of now (aware UTC); ``monotonic`` and ``sleep``
    drive the pacing. Tests replace all three to control time.
    """

    def __init__(
        self,
        engine: Engine,
        senders: Mapping[str, ChannelSender],
        settings: Settings,
        clock: Callable[[], datetime] = utcnow,
        *,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        rng: random.Random | None = None,
        batch_seconds: float = 5.0,
        poll_seconds: float = 1.0,
        max_in_flight: int = MAX_IN_FLIGHT,
    ) -> None:
        self._engine = engine
        self._senders = dict(senders)
        self._settings = settings
        self._clock = clock
        self._monotonic = monotonic
        self._sleep = sleep
        self._rng = rng or random.Random()
        self._batch_seconds = batch_seconds
        self._poll_seconds = poll_seconds
        now = monotonic()
        self._pacers = {ch: ChannelPacer(limits_for(ch, settings), now) for ch in self._senders}
        # Both hand a free slot to the most pressing row first (button answers, then alerts),
        # so an alert never waits behind ordinary replies claimed before it.
        self._pace_locks = {ch: PriorityLimiter() for ch in self._senders}
        self._in_flight = {ch: PriorityLimiter(max_in_flight) for ch in self._senders}
        self._wakes = {ch: asyncio.Event() for ch in self._senders}
        self._background: dict[str, set[asyncio.Task[None]]] = {ch: set() for ch in self._senders}
        self._loop: asyncio.AbstractEventLoop | None = None

    # --- driving ------------------------------------------------------------------------

    def wake(self) -> None:
        """Look at the outbox now (call after enqueueing). Safe from any thread."""
        loop = self._loop
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        for event in self._wakes.values():
            if loop is None or running is loop:
                event.set()
            else:
                loop.call_soon_threadsafe(event.set)

    async def run_forever(self, stop_event: asyncio.Event, *, limit: int = 500) -> None:
        """Deliver until ``stop_event`` is set.

        Each channel runs its own loop, so a channel that times out (Zalo down) never holds
        up another. An idle channel looks again after ``poll_seconds`` or on :meth:`wake`.
        """
        self._loop = asyncio.get_running_loop()
        if not self._senders:
            await stop_event.wait()
            return
        await asyncio.gather(*(self._channel_loop(ch, stop_event, limit) for ch in self._senders))

    async def _channel_loop(self, channel: str, stop_event: asyncio.Event, limit: int) -> None:
        try:
            await self._poll_channel(channel, stop_event, limit)
        finally:
            # Let sends already started finish and be recorded before we return.
            if self._background[channel]:
                await asyncio.gather(*self._background[channel], return_exceptions=True)

    async def _poll_channel(self, channel: str, stop_event: asyncio.Event, limit: int) -> None:
        wake = self._wakes[channel]
        failures = 0
        while not stop_event.is_set():
            wake.clear()
            try:
                handled = await self._run_channel(channel, limit, overlap=True)
                failures = 0
            except Exception:  # the database may be restarting: keep the sender alive
                failures += 1
                log.exception("outbox round on %s failed (%d in a row)", channel, failures)
                await _wait_any(stop_event, None, min(30.0, float(2**failures)))
                continue
            if handled:
                await asyncio.sleep(0)  # let other tasks run between busy rounds
                continue
            await _wait_any(stop_event, wake, self._poll_seconds)

    async def run_once(self, limit: int = 500) -> int:
        """Claim and handle one batch per channel; returns how many rows were handled."""
        counts = await asyncio.gather(*(self._run_channel(ch, limit) for ch in self._senders))
        return sum(counts)

    # --- one channel's batch --------------------------------------------------------------

    async def _run_channel(self, channel: str, limit: int, *, overlap: bool = False) -> int:
        """Claim one batch and deliver it.

        Without ``overlap`` (``run_once``) this returns when every row is settled. With it
        (``run_forever``) it returns as soon as the batch is nearly through its pacing, and
        the sends finish in the background while the next batch is claimed; rows of chats
        still in flight stay 'sending', so the next claim cannot overtake them.
        """
        pacer = self._pacers[channel]
        # Claim no more than the pace lets us send in about ``batch_seconds``, so claims
        # never lapse while rows wait for their turn.
        batch = max(1, min(limit, math.ceil(pacer.rate * self._batch_seconds)))
        lease = timedelta(seconds=2 * self._batch_seconds) + LEASE_SLACK
        claim = await asyncio.to_thread(
            claim_due, self._engine, channel, batch, self._clock(), lease, uuid.uuid4().hex
        )
        if claim.rows:
            low_water = math.ceil(pacer.rate * PREFETCH_SECONDS) if overlap else 0
            pacing = _Pacing(len(claim.rows), low_water)
            tasks = [
                asyncio.create_task(self._handle(channel, row, claim, pacing)) for row in claim.rows
            ]
            if overlap:
                running = self._background[channel]
                running.update(tasks)
                for task in tasks:
                    task.add_done_callback(running.discard)
                await pacing.low.wait()
            else:
                await asyncio.gather(*tasks)
        if len(pacer.chats) > 5000:
            pacer.forget_idle(self._monotonic())
        return len(claim.rows) + claim.dropped

    async def _handle(self, channel: str, row: OutboxRow, claim: Claim, pacing: _Pacing) -> None:
        paced = False

        def done_pacing() -> None:
            nonlocal paced
            if not paced:
                paced = True
                pacing.one_done()

        try:
            await self._deliver(channel, row, claim, done_pacing)
        except Exception:  # a database error while recording: the claim lapses, retried
            log.exception("outbox row %s: could not record the outcome", row.id)
        finally:
            done_pacing()

    async def _deliver(
        self, channel: str, row: OutboxRow, claim: Claim, done_pacing: Callable[[], None]
    ) -> None:
        pacer = self._pacers[channel]
        chat = None if row.is_callback_answer else pacer.chat(row.chat_id, self._monotonic())
        if chat is not None:
            wait = chat.delay(self._monotonic())
            if wait > RELEASE_AFTER:
                done_pacing()
                next_at = self._clock() + timedelta(seconds=wait)
                await asyncio.to_thread(release, self._engine, row, claim.token, next_at)
                return
            if wait > 0:
                await self._sleep(wait)
        priority = row_priority(row)
        async with self._in_flight[channel].turn(priority):
            async with self._pace_locks[channel].turn(priority):
                # Each send waits its turn (by priority) for the channel's global bucket.
                while (wait := pacer.global_bucket.delay(self._monotonic())) > 0:
                    await self._sleep(wait)
                now = self._monotonic()
                pacer.global_bucket.take(now)
                if chat is not None:
                    chat.take(now)
            done_pacing()
            if self._clock() >= claim.until - LEASE_MARGIN:
                await asyncio.to_thread(release, self._engine, row, claim.token, self._clock())
                return
            await self._attempt(channel, row, claim.token)

    async def _attempt(self, channel: str, row: OutboxRow, token: str) -> None:
        pacer = self._pacers[channel]
        engine = self._engine
        try:
            provider_id = await self._senders[channel].deliver(row)
        except RetryLater as exc:
            retry_after = max(MIN_RETRY_AFTER, exc.retry_after)
            if not row.is_callback_answer:
                pacer.chat(row.chat_id, self._monotonic()).pause(self._monotonic() + retry_after)
            pacer.slow_down()
            log.warning("outbox row %s: 429, retry after %.1fs", row.id, retry_after)
            await asyncio.to_thread(
                reschedule,
                engine,
                row,
                token,
                next_at=self._clock() + timedelta(seconds=retry_after),
                error=str(exc),
                attempts=row.attempts,  # flood control is our pace, not the message's fault
                parts_sent=max(row.parts_sent, exc.parts_sent),
            )
            return
        except PermanentError as exc:
            log.warning("outbox row %s: permanent failure: %s", row.id, exc)
            await asyncio.to_thread(
                mark_dead,
                engine,
                row,
                token,
                error=str(exc),
                attempts=row.attempts + 1,
                parts_sent=max(row.parts_sent, exc.parts_sent),
                now=self._clock(),
                unreachable=exc.unreachable,
            )
            return
        except Exception as exc:
            if not isinstance(exc, TransientError):
                log.exception("outbox row %s: unexpected error from the %s sender", row.id, channel)
            await self._failed(row, token, exc)
            return
        pacer.reward()
        if not await asyncio.to_thread(
            mark_sent, engine, row, token, provider_id, self._clock(), self._settings.tz
        ):
            log.warning("outbox row %s was sent but its claim had lapsed", row.id)

    async def _failed(self, row: OutboxRow, token: str, exc: Exception) -> None:
        attempts = row.attempts + 1
        error = f"{type(exc).__name__}: {exc}"
        parts_sent = max(row.parts_sent, getattr(exc, "parts_sent", 0))
        if attempts >= self._settings.outbox_max_attempts:
            log.warning("outbox row %s: dead after %d attempts: %s", row.id, attempts, error)
            await asyncio.to_thread(
                mark_dead,
                self._engine,
                row,
                token,
                error=error,
                attempts=attempts,
                parts_sent=parts_sent,
                now=self._clock(),
            )
            return
        delay = backoff_delay(attempts, self._rng)
        await asyncio.to_thread(
            reschedule,
            self._engine,
            row,
            token,
            next_at=self._clock() + timedelta(seconds=delay),
            error=error,
            attempts=attempts,
            parts_sent=parts_sent,
        )


async def _wait_any(stop: asyncio.Event, wake: asyncio.Event | None, timeout: float) -> None:
    """Return when ``stop`` or ``wake`` is set, or after ``timeout`` seconds."""
    waiters = [asyncio.ensure_future(stop.wait())]
    if wake is not None:
        waiters.append(asyncio.ensure_future(wake.wait()))
    try:
        await asyncio.wait(waiters, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for waiter in waiters:
            waiter.cancel()
