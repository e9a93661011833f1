"""Send slots go to the most pressing row: button answers, then alerts, then the rest."""

from __future__ import annotations

import asyncio

from sqlalchemy import Engine

from bot.core.events import Outgoing, Reply
from bot.outbox.priority import CALLBACK, NORMAL, URGENT, PriorityLimiter
from bot.settings import Settings
from storage.db import transaction
from storage.outbox import enqueue
from tests.outbox.doubles import ScriptedSender, VirtualTime, make_sender


async def _holders(limiter: PriorityLimiter, jobs: list[tuple[str, int]]) -> list[str]:
    """Start ``jobs`` (name, priority) while the one slot is taken; the order they got it."""
    order: list[str] = []
    release = asyncio.Event()

    async def hold() -> None:
        async with limiter.turn(NORMAL):
            await release.wait()

    async def job(name: str, priority: int) -> None:
        async with limiter.turn(priority):
            order.append(name)
            await asyncio.sleep(0)

    holder = asyncio.create_task(hold())
    await asyncio.sleep(0)
    tasks = [asyncio.create_task(job(name, p)) for name, p in jobs]
    await asyncio.sleep(0)
    assert limiter.waiting == len(jobs)
    release.set()
    await asyncio.gather(holder, *tasks)
    return order


async def test_a_freed_slot_goes_to_the_most_pressing_waiter_first_come_among_equals() -> None:
    order = await _holders(
        PriorityLimiter(),
        [("reply-1", NORMAL), ("alert-1", URGENT), ("reply-2", NORMAL), ("button", CALLBACK),
         ("alert-2", URGENT)],
    )  # fmt: skip
    assert order == ["button", "alert-1", "alert-2", "reply-1", "reply-2"]


async def test_capacity_holders_at_once_and_a_cancelled_waiter_loses_nothing() -> None:
    limiter = PriorityLimiter(2)
    inside = 0
    most = 0
    gate = asyncio.Event()

    async def job() -> None:
        nonlocal inside, most
        async with limiter.turn(NORMAL):
            inside += 1
            most = max(most, inside)
            await gate.wait()
            inside -= 1

    tasks = [asyncio.create_task(job()) for _ in range(5)]
    await asyncio.sleep(0)
    assert inside == 2 and limiter.waiting == 3
    tasks[3].cancel()  # a waiter gives up: its place is skipped, no slot is lost
    await asyncio.sleep(0)
    gate.set()
    results = await asyncio.gather(*tasks, return_exceptions=True)
    assert most == 2 and inside == 0
    assert sum(isinstance(r, asyncio.CancelledError) for r in results) == 1
    async with limiter.turn(NORMAL), limiter.turn(NORMAL):  # both slots free again
        pass


class HeldTime(VirtualTime):
    """Pacing sleeps wait until the test lets time run (so sends can pile up)."""

    def __init__(self) -> None:
        super().__init__()
        self.running = asyncio.Event()

    async def sleep(self, seconds: float) -> None:
        await self.running.wait()
        await super().sleep(seconds)


async def test_an_alert_claimed_later_overtakes_replies_waiting_for_the_rate_limit(
    engine: Engine, settings: Settings
) -> None:
    settings.telegram_rate_per_second = 1.0  # one message a second, all chats together
    with transaction(engine) as s:
        for chat in range(1, 6):
            enqueue(s, Outgoing("telegram", str(chat), Reply(f"reply {chat}")))
    clock = HeldTime()
    channel = ScriptedSender(clock=clock)
    sender = make_sender(engine, settings, channel, clock)
    replies = asyncio.create_task(sender.run_once())
    for _ in range(20):  # the first reply goes out, the others wait for the global bucket
        await asyncio.sleep(0.01)
    with transaction(engine) as s:
        enqueue(s, Outgoing("telegram", "99", Reply("🚨 alert", urgent=True)))
    alert = asyncio.create_task(sender.run_once())
    for _ in range(20):
        await asyncio.sleep(0.01)
    clock.running.set()
    await asyncio.gather(replies, alert)
    order = [m.reply.text for m in channel.delivered]
    # One reply was sent and one already held the slot, sleeping for its token; the next
    # slot is the alert's, not the three replies' claimed before it.
    assert order[:2] == ["reply 1", "reply 2"] and order[2] == "🚨 alert"
    assert sorted(order[3:]) == ["reply 3", "reply 4", "reply 5"]
