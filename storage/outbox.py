"""Putting messages in the durable outbox (the sender in :mod:`bot.outbox` delivers them)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from bot.core.events import Outgoing
from storage.db import table_of
from storage.dialog_rows import SAVE_STATEMENT, DialogRow, save_dialog, save_params
from storage.enums import OutboxStatus
from storage.models import OutboxMessage
from storage.prepared import MultiRowInsert, insert_ignoring_conflicts
from storage.types import utcnow

#: The columns :func:`enqueue_many` writes (the rest keep their defaults).
COLUMNS = (
    "channel",
    "chat_id",
    "kind",
    "payload",
    "status",
    "attempts",
    "parts_sent",
    "dedupe_key",
    "next_attempt_at",
    "created_at",
)
_INSERT = MultiRowInsert(table_of(OutboxMessage), COLUMNS, unique=("dedupe_key",))
# SQLite: one prepared INSERT run per row is quicker there than a statement per row count.
_INSERT_EACH = insert_ignoring_conflicts(table_of(OutboxMessage), COLUMNS, ("dedupe_key",))
# PostgreSQL: the dialog row's save rides in the same statement (``WITH first AS (UPDATE …)``).
_INSERT_AFTER_SAVE = MultiRowInsert(
    table_of(OutboxMessage), COLUMNS, unique=("dedupe_key",), first=SAVE_STATEMENT
)


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


def enqueue_many(conn: Connection, outgoing: Sequence[Outgoing]) -> None:
    """Add several messages, in the order given: one multi-row Core ``INSERT`` on PostgreSQL,
    one prepared ``INSERT`` run per row on SQLite.

    This runs for every update, so it skips the ORM (building model objects costs more than
    the INSERT itself). A message whose ``dedupe_key`` is already in the table is skipped by
    ``ON CONFLICT DO NOTHING`` — no savepoint, no error to recover from.
    """
    now = utcnow()
    rows = [_values(item, now) for item in outgoing]
    if conn.dialect.name == "postgresql":
        _INSERT.run(conn, rows)
    else:
        _INSERT_EACH.execute_many(conn, rows)


def save_dialog_and_enqueue(conn: Connection, row: DialogRow, outgoing: Sequence[Outgoing]) -> None:
    """The dialog row's save (if it changed) and the replies, as :func:`save_dialog` and
    :func:`enqueue_many` would write them — on PostgreSQL in one statement when there are
    both: nearly every update saves its dialog and answers, and each statement costs the
    client and the server ~50 µs here (SQLite, without round trips, takes them one by one)."""
    together = row.changed and 0 < len(outgoing) <= MultiRowInsert.MAX_ROWS
    if not together or conn.dialect.name != "postgresql":
        save_dialog(conn, row)
        enqueue_many(conn, outgoing)
        return
    now = utcnow()
    _INSERT_AFTER_SAVE.run(conn, [_values(item, now) for item in outgoing], save_params(row))
    row.changed = False


def _values(item: Outgoing, now: datetime) -> dict[str, Any]:
    return {
        "channel": item.channel,
        "chat_id": item.chat_id,
        "kind": item.kind,
        "payload": item.reply.to_payload(),
        "status": OutboxStatus.QUEUED.value,
        "attempts": 0,
        "parts_sent": 0,
        "dedupe_key": item.dedupe_key,
        "next_attempt_at": now,
        "created_at": now,
    }
