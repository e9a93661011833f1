"""Putting messages in the durable outbox (the sender in :mod:`bot.outbox` delivers them)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from bot.core.events import Outgoing
from storage.enums import OutboxStatus
from storage.models import OutboxMessage
from storage.types import utcnow


def _row(outgoing: Outgoing) -> OutboxMessage:
    return OutboxMessage(
        channel=outgoing.channel,
        chat_id=outgoing.chat_id,
        kind=outgoing.kind,
        payload=outgoing.reply.to_payload(),
        dedupe_key=outgoing.dedupe_key,
    )


def enqueue(session: Session, outgoing: Outgoing) -> OutboxMessage | None:
    """Add one message to the outbox inside the caller's transaction.

    With a ``dedupe_key`` the message is added at most once, ever — across restarts and
    processes (the key is unique in the table). Returns None when it was already there.
    """
    if outgoing.dedupe_key is not None:
        exists = session.exec(
            select(OutboxMessage.id).where(OutboxMessage.dedupe_key == outgoing.dedupe_key)
        ).first()
        if exists is not None:
            return None
    row = _row(outgoing)
    if outgoing.dedupe_key is None:
        session.add(row)
        session.flush()
        return row
    # Another process may insert the same key between our check and insert: a savepoint
    # keeps the caller's transaction alive when the unique constraint says no.
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError:
        return None
    return row


def enqueue_many(session: Session, outgoing: list[Outgoing]) -> None:
    """Add several messages in order; those without a dedupe key go in one batched INSERT.

    Plain rows skip the ORM (building model objects costs more than the INSERT itself, and
    this runs for every update); keyed rows go through :func:`enqueue` and its savepoint.
    """
    plain: list[dict[str, Any]] = []
    for item in outgoing:
        if item.dedupe_key is None:
            plain.append(_values(item))
            continue
        _insert(session, plain)  # keep the order of ids as the order given
        plain = []
        enqueue(session, item)
    _insert(session, plain)


def _values(item: Outgoing) -> dict[str, Any]:
    now = utcnow()
    return {
        "channel": item.channel,
        "chat_id": item.chat_id,
        "kind": item.kind,
        "payload": item.reply.to_payload(),
        "status": OutboxStatus.QUEUED.value,
        "attempts": 0,
        "parts_sent": 0,
        "next_attempt_at": now,
        "created_at": now,
    }


def _insert(session: Session, rows: list[dict[str, Any]]) -> None:
    if rows:
        session.execute(insert(OutboxMessage), rows)
