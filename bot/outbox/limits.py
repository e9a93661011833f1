"""In-process pacing so a healthy round provokes no flood control (HTTP 429) at all.

Each channel has one global token bucket; each chat has its own (groups a slower one).
Our bursts are kept smaller than the platform's: the platform counts by the time a request
*arrives*, and network jitter can bunch requests we spaced evenly, so we leave its buckets
some slack instead of draining them.

On a 429 the channel's rate is halved and then creeps back with every success (AIMD), and
the chat is paused for ``retry_after`` seconds — never less.

The buckets live in this process only. Several sender processes on one bot token share
the platform's limits: give each a share of the rate in the settings.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.settings import Settings


@dataclass(frozen=True)
class ChannelLimits:
    """Messages per second; ``*_burst`` is how many may go back to back."""

    global_rate: float
    global_burst: float = 1.0
    chat_rate: float = 1.0
    chat_burst: float = 2.0
    group_rate: float = 20 / 60
    group_burst: float = 2.0
    min_rate_fraction: float = 0.05  # never slow below this share of global_rate


def limits_for(channel: str, settings: Settings) -> ChannelLimits:
    """Telegram: Bots FAQ numbers (≈1/s per chat, 20/min per group, 30/s overall); the per
    chat and overall rates are settings.

    Zalo publishes no limits; its overall rate is a setting and chats are paced like Telegram's.
    """
    chat = settings.chat_rate_per_second
    if channel == "telegram":
        return ChannelLimits(global_rate=settings.telegram_rate_per_second, chat_rate=chat)
    if channel == "zalo":
        return ChannelLimits(global_rate=settings.zalo_rate_per_second, chat_rate=chat)
    # The web channel delivers into our own database/page: pace it only to stay polite.
    return ChannelLimits(global_rate=100.0, global_burst=10.0, chat_rate=50.0, chat_burst=10.0)


_EPSILON = 1e-9


class TokenBucket:
    """``burst`` tokens refilled at ``rate`` per second; times are monotonic seconds."""

    def __init__(self, rate: float, burst: float, now: float) -> None:
        self.rate = rate
        self.burst = burst
        self._tokens = burst
        self._updated = now
        self._paused_until = now

    def _refill(self, now: float) -> None:
        if now > self._updated:
            self._tokens = min(self.burst, self._tokens + (now - self._updated) * self.rate)
            self._updated = now

    def delay(self, now: float) -> float:
        """Seconds until one token is available (0.0 when it is available now)."""
        self._refill(now)
        pause = max(0.0, self._paused_until - now)
        # The epsilon absorbs float rounding: after sleeping exactly the computed delay the
        # bucket may hold 0.9999999…, which must count as a whole token (else: endless waits).
        refill = 0.0 if self._tokens >= 1 - _EPSILON else (1 - self._tokens) / self.rate
        return max(pause, refill)

    def take(self, now: float) -> None:
        self._refill(now)
        self._tokens -= 1

    def pause(self, until: float) -> None:
        """Hold every token until ``until`` (a 429's retry_after); then allow one message."""
        self._paused_until = max(self._paused_until, until)
        self._tokens = min(self._tokens, 1.0)
        self._updated = max(self._updated, until)  # no refill while paused

    def is_full(self, now: float) -> bool:
        self._refill(now)
        return now >= self._paused_until and self._tokens >= self.burst


class ChannelPacer:
    """The buckets of one channel: one global, one per chat, and the adaptive rate."""

    def __init__(self, limits: ChannelLimits, now: float) -> None:
        self.limits = limits
        self.rate = limits.global_rate
        self.global_bucket = TokenBucket(limits.global_rate, limits.global_burst, now)
        self.chats: dict[str, TokenBucket] = {}

    def chat(self, chat_id: str, now: float) -> TokenBucket:
        bucket = self.chats.get(chat_id)
        if bucket is None:
            lim = self.limits
            # Telegram group and supergroup chat ids are negative numbers.
            if chat_id.startswith("-"):
                bucket = TokenBucket(lim.group_rate, lim.group_burst, now)
            else:
                bucket = TokenBucket(lim.chat_rate, lim.chat_burst, now)
            self.chats[chat_id] = bucket
        return bucket

    def slow_down(self) -> None:
        floor = self.limits.global_rate * self.limits.min_rate_fraction
        self.rate = max(floor, self.rate / 2)
        self.global_bucket.rate = self.rate

    def reward(self) -> None:
        """One success: creep back towards the configured rate (about 50 successes)."""
        if self.rate < self.limits.global_rate:
            self.rate = min(self.limits.global_rate, self.rate + self.limits.global_rate / 50)
            self.global_bucket.rate = self.rate

    def forget_idle(self, now: float) -> None:
        """Drop chat buckets that are full again (they carry no information any more)."""
        for chat_id, bucket in list(self.chats.items()):
            if bucket.is_full(now):
                del self.chats[chat_id]
