"""Group commit for webhooks: concurrent requests become one engine batch.

Each webhook request hands its event to :meth:`Batcher.submit` and waits for the outcome.
When the engine is idle the event goes at once, alone — a lone update waits for nothing.
While a batch is in the database, the events arriving meanwhile queue up, and the moment that
batch commits they go together as the next one (up to :data:`MAX_BATCH`): the busier the
webhook, the more updates share a commit, with no timer to tune.

An outcome is handed back only after the commit of the batch that holds the event, so a
webhook answers 200 only for a committed update; a crash before the commit leaves the request
unanswered and the platform delivers it again (the engine's processed-update claim then makes
the copy a no-op). Batches run one at a time, in arrival order, so a chat's updates take
effect in the order they came. The slow after-commit work of a batch (report files, a
reminder round) runs on in its worker thread while the next batch starts.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from typing import Protocol

from bot.core.engine import Outcome
from bot.core.events import InboundEvent

log = logging.getLogger(__name__)

#: The largest batch: it bounds how long the first update of a batch waits for the commit.
MAX_BATCH = 50


class BatchEngine(Protocol):
    """What the batcher needs of :class:`bot.core.engine.Engine`."""

    def handle_batch(
        self,
        events: Sequence[InboundEvent],
        on_committed: Callable[[list[Outcome]], None] | None = None,
    ) -> list[Outcome]: ...


class Batcher:
    """Collects events submitted concurrently into batches for one engine (one event loop)."""

    def __init__(self, engine: BatchEngine, max_batch: int = MAX_BATCH) -> None:
        self._engine = engine
        self._max_batch = max_batch
        self._waiting: list[tuple[InboundEvent, asyncio.Future[Outcome]]] = []
        self._drainer: asyncio.Task[None] | None = None
        self._workers: set[asyncio.Task[None]] = set()  # batches still in their threads
        self.batches = 0  # how many batches went to the engine (for benchmarks and tests)
        self.events = 0

    async def submit(self, event: InboundEvent) -> Outcome:
        """The event's outcome, once the transaction holding it has committed."""
        outcome: asyncio.Future[Outcome] = asyncio.get_running_loop().create_future()
        self._waiting.append((event, outcome))
        if self._drainer is None or self._drainer.done():
            self._drainer = asyncio.create_task(self._drain())
        return await asyncio.shield(outcome)  # a client hanging up does not cancel the batch

    async def _drain(self) -> None:
        while self._waiting:
            batch = self._waiting[: self._max_batch]
            del self._waiting[: self._max_batch]
            await self._run(batch)

    async def _run(self, batch: list[tuple[InboundEvent, asyncio.Future[Outcome]]]) -> None:
        loop = asyncio.get_running_loop()
        committed: asyncio.Future[None] = loop.create_future()
        events = [event for event, _ in batch]

        def settle(outcomes: list[Outcome] | BaseException) -> None:  # on the event loop
            for index, (_, future) in enumerate(batch):
                if future.done():
                    continue
                if isinstance(outcomes, BaseException):
                    future.set_exception(outcomes)
                else:
                    future.set_result(outcomes[index])
            if not committed.done():
                committed.set_result(None)

        def committed_in_thread(outcomes: list[Outcome]) -> None:
            loop.call_soon_threadsafe(settle, outcomes)

        def work() -> None:  # in a worker thread
            try:
                self._engine.handle_batch(events, committed_in_thread)
            except Exception as exc:
                loop.call_soon_threadsafe(settle, exc)
                raise

        self.batches += 1
        self.events += len(batch)
        worker = asyncio.create_task(asyncio.to_thread(work))
        self._workers.add(worker)
        worker.add_done_callback(self._forget)
        # The next batch may start once this one is committed (every outcome known), while
        # this one's after-commit work goes on in its thread.
        await committed

    def _forget(self, worker: asyncio.Task[None]) -> None:
        self._workers.discard(worker)
        if not worker.cancelled() and (error := worker.exception()) is not None:
            log.error("a batch of updates failed", exc_info=error)
