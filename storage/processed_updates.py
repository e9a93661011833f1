"""The processed-update claim: the first write of every update, and why a redelivery is a no-op.

The claim is an ``INSERT … ON CONFLICT DO NOTHING`` of (channel, update key) inside the
update's own transaction: it commits with the update's effects or not at all. A key already
there — committed by an earlier delivery, or claimed earlier in the same batch — inserts
nothing, and the update is skipped. On PostgreSQL a second worker claiming a key that another
transaction holds uncommitted waits for that transaction, then sees the outcome.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection

from storage.db import table_of
from storage.models import ProcessedUpdate
from storage.prepared import Pending, insert_ignoring_conflicts

#: The claim's columns and the key a repeat delivery collides on.
CLAIM_COLUMNS = ("channel", "update_key", "processed_at")
CLAIM_KEY = ("channel", "update_key")
_CLAIM = insert_ignoring_conflicts(table_of(ProcessedUpdate), CLAIM_COLUMNS, CLAIM_KEY)


def send_claim(conn: Connection, channel: str, update_key: str, now: datetime) -> Pending:
    """Record the update as processed (may go in a :func:`storage.prepared.pipeline`);
    :func:`claimed` then tells whether it was new."""
    return _CLAIM.send(conn, {"channel": channel, "update_key": update_key, "processed_at": now})


def claimed(sent: Pending) -> bool:
    """False when the update was already processed (a duplicate)."""
    return sent.rowcount() == 1


def claim_update(conn: Connection, channel: str, update_key: str, now: datetime) -> bool:
    """Record the update as processed; False when it already was (a duplicate)."""
    return claimed(send_claim(conn, channel, update_key, now))
