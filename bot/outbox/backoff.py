"""When to try a failed delivery again: exponential backoff with full jitter.

Full jitter (a uniform draw between 0 and the exponential cap) spreads the retries of many
messages that failed together — e.g. during a short Telegram outage — so they do not all
come back in the same second.
"""

from __future__ import annotations

import random

BASE_SECONDS = 1.0
CAP_SECONDS = 300.0


def backoff_delay(failures: int, rng: random.Random | None = None) -> float:
    """Seconds to wait after the ``failures``-th failure (1 = the first)."""
    ceiling = min(CAP_SECONDS, BASE_SECONDS * 2 ** max(0, failures - 1))
    return (rng or random).uniform(0.0, ceiling)
