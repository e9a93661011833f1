"""Looking at and repairing the outbox by hand (``tinbao outbox …``)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Engine, func, select, update

from bot.outbox.protocol import CALLBACK_ANSWER
from storage.db import transaction
from storage.enums import OutboxStatus
from storage.models import OutboxMessage

_T = OutboxMessage.__table__  # type: ignore[attr-defined]


def status_counts(engine: Engine) -> dict[str, dict[str, int]]:
    """``{channel: {status: count}}`` with every status present (zeros included)."""
    with transaction(engine) as session:
        rows = session.execute(
            select(_T.c.channel, _T.c.status, func.count()).group_by(_T.c.channel, _T.c.status)
        ).all()
    counts: dict[str, dict[str, int]] = {}
    for channel, status, count in rows:
        per = counts.setdefault(channel, {s.value: 0 for s in OutboxStatus})
        per[status] = per.get(status, 0) + int(count)
    return dict(sorted(counts.items()))


def retry_dead(engine: Engine, now: datetime, channel: str | None = None) -> int:
    """Queue dead messages again (attempts reset). Stale callback answers stay dead."""
    stmt = (
        update(_T)
        .where(_T.c.status == OutboxStatus.DEAD.value, _T.c.kind != CALLBACK_ANSWER)
        .values(
            status=OutboxStatus.QUEUED.value,
            attempts=0,
            next_attempt_at=now,
            claimed_by=None,
            claimed_until=None,
        )
    )
    if channel is not None:
        stmt = stmt.where(_T.c.channel == channel)
    with transaction(engine) as session:
        return int(session.execute(stmt).rowcount)  # type: ignore[attr-defined]
