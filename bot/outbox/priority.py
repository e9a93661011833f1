"""Who sends next when sends queue up: button answers, then urgent alerts, then the rest.

The claim already orders rows this way (:func:`bot.outbox.store.claim_due`), but rows claimed
by earlier batches are already waiting for the channel's send slots. With a plain FIFO lock
an alert claimed now would queue behind them — at Telegram's 30 messages/s overall, a busy
minute puts a second or more of ordinary replies ahead of it. :class:`PriorityLimiter` hands
each free slot to the most pressing waiter instead (FIFO among equals).

Order within a chat is not at stake: a chat never has two rows in flight (the claim skips a
chat's row while an older one is pending), so only rows of different chats are reordered.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from bot.outbox.protocol import OutboxRow

CALLBACK = 0  # a button press waits for its answer (and Telegram drops it after seconds)
URGENT = 1  # an incident alert
NORMAL = 2


def row_priority(row: OutboxRow) -> int:
    if row.is_callback_answer:
        return CALLBACK
    return URGENT if row.reply.urgent else NORMAL


class PriorityLimiter:
    """At most ``capacity`` holders at once; a freed slot goes to the waiter with the lowest
    priority number, the earliest first among equal numbers."""

    def __init__(self, capacity: int = 1) -> None:
        self._free = capacity
        self._waiters: list[tuple[int, int, asyncio.Future[None]]] = []
        self._order = itertools.count()

    @property
    def waiting(self) -> int:
        return sum(1 for *_, future in self._waiters if not future.done())

    @asynccontextmanager
    async def turn(self, priority: int) -> AsyncIterator[None]:
        await self._acquire(priority)
        try:
            yield
        finally:
            self._release()

    async def _acquire(self, priority: int) -> None:
        if self._free > 0 and not self.waiting:
            self._free -= 1
            return
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._waiters, (priority, next(self._order), future))
        try:
            await future
        except asyncio.CancelledError:
            if future.done() and not future.cancelled():
                self._release()  # the slot was handed to us just as we were cancelled
            raise

    def _release(self) -> None:
        while self._waiters:
            *_, future = heapq.heappop(self._waiters)
            if not future.done():
                future.set_result(None)  # the slot passes straight to the waiter
                return
        self._free += 1
