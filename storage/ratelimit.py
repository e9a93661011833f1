"""A durable rate limit shared by every process: hits are rows in ``RateLimitHit``.

Used for things an attacker could repeat, such as guessing invite codes. Rows live in the
database (not in memory) so a limit holds across restarts and across webhook workers.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, text
from sqlmodel import Session, col, delete, select

from storage.models import RateLimitHit


def allow(session: Session, key: str, limit: int, window: timedelta, now: datetime) -> bool:
    """Count one attempt for ``key`` if fewer than ``limit`` fell within ``window`` before ``now``.

    Returns True (and records the hit) when allowed, False otherwise (nothing recorded, so a
    blocked caller does not extend his own ban). Hits older than the window are pruned.
    """
    since = now - window
    if session.get_bind().dialect.name == "postgresql":
        # Two workers counting the same key at once must not both see 'limit - 1'. SQLite
        # serialises writers already (BEGIN IMMEDIATE); on PostgreSQL a transaction-scoped
        # advisory lock on the key does the same without locking the table.
        session.connection().execute(
            text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"), {"key": key}
        )
    session.exec(
        delete(RateLimitHit)
        .where(col(RateLimitHit.key) == key)
        .where(col(RateLimitHit.at) <= since)
    )
    hits = session.exec(
        select(func.count())
        .select_from(RateLimitHit)
        .where(col(RateLimitHit.key) == key)
        .where(col(RateLimitHit.at) > since)
    ).one()
    if hits >= limit:
        return False
    session.add(RateLimitHit(key=key, at=now))
    session.flush()
    return True
