"""Small pieces every channel adapter needs: webhook secrets and stoppable sleeps."""

from __future__ import annotations

import asyncio
import contextlib
import hmac


def secret_ok(expected: str | None, given: str | None) -> bool:
    """Constant-time comparison of a webhook secret header; no secret set refuses all."""
    if not expected or given is None:
        return False
    return hmac.compare_digest(expected.encode(), given.encode())


async def sleep_or_stop(stop: asyncio.Event, seconds: float) -> None:
    """Sleep ``seconds``, waking early when ``stop`` is set."""
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), timeout=seconds)
