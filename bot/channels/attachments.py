"""Storing files people send (photos, voice notes) before the engine sees the update."""

from __future__ import annotations

import asyncio
import hashlib
import logging
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path

log = logging.getLogger(__name__)


def stored_name(key: str, suffix: str) -> str:
    """A file name safe whatever the ids hold, and the same on redelivery (a hash of ``key``)."""
    return hashlib.sha256(key.encode()).hexdigest()[:32] + suffix


def write_atomically(target: Path, content: bytes) -> None:
    """Write under a temporary name first: a crash never leaves half a file behind."""
    target.parent.mkdir(parents=True, exist_ok=True)
    # Unique per write: a webhook retry may fetch the same file while the first still runs.
    partial = target.with_name(f".{target.name}.{uuid.uuid4().hex}.part")
    try:
        partial.write_bytes(content)
        partial.replace(target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


async def store(target: Path, fetch: Callable[[], Awaitable[bytes]], what: str) -> Path | None:
    """Fetch and store a file once; None (and a warning) when anything fails.

    A redelivered update finds its file already there and is not fetched again. A failure
    never stops the report: it goes on with the platform's reference alone.
    """
    if target.exists():
        return target
    try:
        content = await fetch()
        await asyncio.to_thread(write_atomically, target, content)
    except Exception as exc:
        log.warning("could not store %s: %s", what, exc)
        return None
    return target
