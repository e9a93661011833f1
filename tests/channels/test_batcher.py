"""The webhook batcher: concurrent updates share a commit; each waits for its own commit."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from sqlmodel import Session, select

from bot.channels.batcher import Batcher
from bot.context import AppContext
from bot.core.engine import Engine, Outcome
from bot.core.events import EventKind, InboundEvent
from storage.models import ProcessedUpdate
from tests.engine.harness import Clock, Harness


def events(count: int, first: int = 1) -> list[InboundEvent]:
    """Strangers saying hello (each gets the polite 'not on the roster' answer)."""
    return [
        InboundEvent(
            channel="telegram",
            update_key=str(first + i),
            chat_id=str(90_000 + i),
            user_id=str(90_000 + i),
            kind=EventKind.TEXT,
            received_at=datetime(2025, 9, 10, 2, 0, tzinfo=UTC),
            text="xin chào",
        )
        for i in range(count)
    ]


class GatedEngine:
    """The real engine, held at the gates the test opens: before the transaction, and after
    the commit (where the after-commit work would run)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.before = threading.Event()
        self.after = threading.Event()
        self.sizes: list[int] = []

    def handle_batch(
        self,
        batch: Sequence[InboundEvent],
        on_committed: Callable[[list[Outcome]], None] | None = None,
    ) -> list[Outcome]:
        self.sizes.append(len(batch))
        assert self.before.wait(10)

        def committed(outcomes: list[Outcome]) -> None:
            if on_committed is not None:
                on_committed(outcomes)
            assert self.after.wait(10)

        return self.engine.handle_batch(batch, committed)


def committed_keys(ctx: AppContext) -> set[str]:
    with Session(ctx.engine) as s:
        return set(s.exec(select(ProcessedUpdate.update_key)).all())


async def test_a_lone_update_goes_at_once_and_a_crowd_shares_commits(app_ctx: AppContext) -> None:
    harness = Harness(app_ctx, Clock(datetime(2025, 9, 10, 2, 0, tzinfo=UTC)))
    harness.seed()
    batcher = Batcher(harness.engine)

    assert await batcher.submit(events(1)[0]) is Outcome.HANDLED
    assert (batcher.batches, batcher.events) == (1, 1)

    crowd = events(30, first=100)
    outcomes = await asyncio.gather(*(batcher.submit(e) for e in crowd))
    assert outcomes == [Outcome.HANDLED] * 30
    assert batcher.events == 31
    assert batcher.batches <= 1 + 2  # the first alone, then everything that waited meanwhile
    assert {e.update_key for e in crowd} <= committed_keys(app_ctx)


async def test_an_outcome_is_known_only_after_its_commit(app_ctx: AppContext) -> None:
    gated = GatedEngine(Engine(app_ctx))
    batcher = Batcher(gated)
    first, second = events(2)

    answer = asyncio.create_task(batcher.submit(first))
    await asyncio.sleep(0.2)
    assert not answer.done() and committed_keys(app_ctx) == set()  # not committed: no answer

    gated.before.set()
    assert await asyncio.wait_for(answer, 10) is Outcome.HANDLED
    assert first.update_key in committed_keys(app_ctx)

    # Its after-commit work is still held, yet the next update goes through meanwhile.
    assert await asyncio.wait_for(batcher.submit(second), 10) is Outcome.HANDLED
    assert gated.sizes == [1, 1]
    gated.after.set()


async def test_updates_arriving_during_a_batch_form_the_next_one(app_ctx: AppContext) -> None:
    gated = GatedEngine(Engine(app_ctx))
    gated.after.set()
    batcher = Batcher(gated, max_batch=4)
    first, *rest = events(10)

    answers = [asyncio.create_task(batcher.submit(first))]
    await asyncio.sleep(0.1)  # the first batch (of one) is in the engine
    answers += [asyncio.create_task(batcher.submit(e)) for e in rest]
    await asyncio.sleep(0.1)
    gated.before.set()
    outcomes = await asyncio.wait_for(asyncio.gather(*answers), 20)

    assert outcomes == [Outcome.HANDLED] * 10
    assert gated.sizes == [1, 4, 4, 1]  # in arrival order, at most max_batch at a time
