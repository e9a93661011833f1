"""Pacing buckets and backoff: pure arithmetic, no clock but the one passed in."""

from __future__ import annotations

import itertools
import random

import pytest

from bot.outbox.backoff import CAP_SECONDS, backoff_delay
from bot.outbox.limits import ChannelLimits, ChannelPacer, TokenBucket, limits_for
from bot.settings import load_settings


def test_private_chat_allows_a_short_burst_then_one_per_second() -> None:
    pacer = ChannelPacer(ChannelLimits(global_rate=30), now=0.0)
    chat = pacer.chat("101", 0.0)
    sent = []
    now = 0.0
    for _ in range(6):
        now += chat.delay(now)
        chat.take(now)
        sent.append(now)
    assert sent[:2] == [0.0, 0.0]  # burst of two
    gaps = [b - a for a, b in itertools.pairwise(sent[1:])]
    assert all(gap == pytest.approx(1.0) for gap in gaps)


def test_group_chats_are_paced_at_twenty_per_minute() -> None:
    pacer = ChannelPacer(ChannelLimits(global_rate=30), now=0.0)
    group = pacer.chat("-100123", 0.0)
    now, times = 0.0, []
    for _ in range(22):
        now += group.delay(now)
        group.take(now)
        times.append(now)
    # No window of 60 s holds more than 20 + the burst of 2.
    assert max(sum(1 for t in times if s <= t < s + 60) for s in times) <= 22
    assert times[-1] - times[2] == pytest.approx(19 * 3.0)


def test_pause_holds_until_retry_after_then_allows_one() -> None:
    bucket = TokenBucket(rate=1.0, burst=2.0, now=0.0)
    bucket.pause(7.0)
    assert bucket.delay(0.0) == pytest.approx(7.0)
    assert bucket.delay(6.99) > 0
    assert bucket.delay(7.0) == 0
    bucket.take(7.0)
    assert bucket.delay(7.0) == pytest.approx(1.0)


def test_slow_down_halves_and_successes_recover() -> None:
    pacer = ChannelPacer(ChannelLimits(global_rate=30), now=0.0)
    pacer.slow_down()
    pacer.slow_down()
    assert pacer.rate == pytest.approx(7.5)
    for _ in range(100):
        pacer.reward()
    assert pacer.rate == pytest.approx(30.0)


def test_limits_follow_the_settings(tmp_path: object) -> None:
    settings = load_settings(telegram_rate_per_second=12, zalo_rate_per_second=4, _env_file=None)
    assert limits_for("telegram", settings).global_rate == 12
    assert limits_for("zalo", settings).global_rate == 4
    assert limits_for("telegram", settings).chat_rate == 1.0  # Telegram's ask, by default
    faster = load_settings(chat_rate_per_second=50, _env_file=None)
    assert limits_for("telegram", faster).chat_rate == 50
    assert limits_for("zalo", faster).chat_rate == 50


def test_float_rounding_never_blocks_a_due_token() -> None:
    bucket = TokenBucket(rate=30.0, burst=1.0, now=1000.0)
    now = 1000.0
    for _ in range(100):
        wait = bucket.delay(now)
        now += wait
        assert bucket.delay(now) == 0
        bucket.take(now)


@pytest.mark.parametrize("failures", [1, 2, 5, 9, 20])
def test_backoff_is_full_jitter_under_an_exponential_cap(failures: int) -> None:
    rng = random.Random(failures)
    ceiling = min(CAP_SECONDS, 2 ** (failures - 1))
    draws = [backoff_delay(failures, rng) for _ in range(200)]
    assert all(0 <= d <= ceiling for d in draws)
    assert max(draws) > ceiling / 2  # it does spread over the range
