"""Putting messages in the durable outbox (the sender in :mod:`bot.outbox` delivers them)."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from bot.core.events import Outgoing
from storage.models import OutboxMessage


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
    """Add several messages in order; those without a dedupe key go in one batched INSERT."""
    plain: list[OutboxMessage] = []
    for item in outgoing:
        if item.dedupe_key is None:
            plain.append(_row(item))
            continue
        session.add_all(plain)  # keep the order of ids as the order given
        plain = []
        enqueue(session, item)
    session.add_all(plain)
