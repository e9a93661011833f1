"""Token buckets that make the fakes answer 429 the way a flood-controlled API does.

The sender (``bot/outbox``) is supposed to pace itself; these buckets let a test or benchmark
prove it does, by counting the 429s a run provoked. Numbers default to Telegram's Bots FAQ
(about 1 message/s per chat with short bursts, 20/min per group, about 30/s overall).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass

__all__ = ["TELEGRAM_LIMITS", "ZALO_LIMITS", "Limits", "RateLimiter", "TokenBucket"]


class TokenBucket:
    """``burst`` tokens, refilled at ``rate`` per second; one message costs one token."""

    def __init__(self, rate: float, burst: float, clock: Callable[[], float]) -> None:
        self.rate = rate
        self.burst = burst
        self._clock = clock
        self._tokens = burst
        self._updated = clock()

    def _refill(self) -> None:
        now = self._clock()
        self._tokens = min(self.burst, self._tokens + (now - self._updated) * self.rate)
        self._updated = now

    def wait_time(self) -> float:
        """Seconds until a token is available (0 when one is available now)."""
        self._refill()
        return 0.0 if self._tokens >= 1 else (1 - self._tokens) / self.rate

    def take(self) -> None:
        self._tokens -= 1


@dataclass(frozen=True)
class Limits:
    """Rates in messages per second; ``group_*`` applies on top of ``chat_*`` in groups."""

    chat_rate: float = 1.0
    chat_burst: float = 3
    group_rate: float = 20 / 60
    group_burst: float = 20
    global_rate: float = 30.0
    global_burst: float = 30


TELEGRAM_LIMITS = Limits()
# Zalo publishes no limits; these are a guess that matches the default ZALO_RATE_PER_SECOND.
ZALO_LIMITS = Limits(global_rate=20.0, global_burst=20)


class RateLimiter:
    """Per-chat, per-group and global buckets. Not thread-safe: the fake holds its lock."""

    def __init__(self, limits: Limits, clock: Callable[[], float] = time.monotonic) -> None:
        self.limits = limits
        self._clock = clock
        self._global = TokenBucket(limits.global_rate, limits.global_burst, clock)
        self._chats: dict[Hashable, TokenBucket] = {}
        self._groups: dict[Hashable, TokenBucket] = {}

    def acquire(self, chat_id: Hashable, *, group: bool) -> int:
        """Take a token from every bucket that applies, or none of them.

        Returns 0 when the message may go, else the whole seconds to wait (``retry_after``).
        All-or-nothing matters: a message refused by the global bucket must not also use up
        its chat's burst.
        """
        lim = self.limits
        buckets = [self._global, self._bucket(self._chats, chat_id, lim.chat_rate, lim.chat_burst)]
        if group:
            buckets.append(self._bucket(self._groups, chat_id, lim.group_rate, lim.group_burst))
        wait = max(bucket.wait_time() for bucket in buckets)
        if wait > 0:
            return max(1, math.ceil(wait))
        for bucket in buckets:
            bucket.take()
        return 0

    def _bucket(
        self, table: dict[Hashable, TokenBucket], key: Hashable, rate: float, burst: float
    ) -> TokenBucket:
        bucket = table.get(key)
        if bucket is None:
            bucket = table[key] = TokenBucket(rate, burst, self._clock)
        return bucket
