"""A member's dialog row on one chat, loaded, locked and saved with plain SQL (no ORM).

This runs for nearly every update, so it skips the ORM's identity map and unit of work: one
``SELECT … FOR UPDATE`` to load and lock the row (PostgreSQL; SQLite's ``BEGIN IMMEDIATE``
already serialises writers), and one ``UPDATE`` when the dialog changed. The engine sends
the load together with the update's claim, and the save with its replies — on PostgreSQL as
one statement each (:mod:`storage.update_start`, :func:`storage.outbox.save_dialog_and_enqueue`);
a batch loads and saves all its rows at once (:mod:`storage.batch_rows`). A missing row is
created with ``INSERT … ON CONFLICT DO NOTHING`` and selected again, so two workers creating
the same chat's row at once both end up with the one row, in turn, instead of an error.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, bindparam, select, update

from storage.db import table_of
from storage.models import DialogSession
from storage.prepared import Pending, Prepared, insert_ignoring_conflicts

_TABLE = table_of(DialogSession)
_KEY = ("member_id", "channel", "chat_id")
_COLUMNS = ("form_id", "state", "step", "started_at", "updated_at", "reminded_at")
#: Every column of the row, as :class:`DialogRow` holds them.
ROW_COLUMNS = ("id", *_KEY, *_COLUMNS)

DialogKey = tuple[int, str, str]  # a row's key: member id, channel, chat id
#: The row's load and lock; also run in one statement with the update's claim
#: (``storage.update_start``).
LOAD_STATEMENT = (
    select(_TABLE)
    .where(_TABLE.c.member_id == bindparam("member_id"))
    .where(_TABLE.c.channel == bindparam("channel"))
    .where(_TABLE.c.chat_id == bindparam("chat_id"))
    .with_for_update()
)
_LOAD = Prepared(LOAD_STATEMENT)
_CREATE = insert_ignoring_conflicts(_TABLE, (*_KEY, "state", "step", "updated_at"), _KEY)
#: The row's save; also run in one statement with the replies (``storage.outbox``).
SAVE_STATEMENT = (
    update(_TABLE)
    .where(_TABLE.c.id == bindparam("row_id"))
    .values({name: bindparam(name) for name in _COLUMNS})
)
_SAVE = Prepared(SAVE_STATEMENT)


@dataclass
class DialogRow:
    """The columns of :class:`storage.models.DialogSession`, as the dialog changes them."""

    id: int
    member_id: int
    channel: str
    chat_id: str
    form_id: str | None
    state: dict[str, Any]
    step: int
    started_at: datetime | None
    updated_at: datetime
    reminded_at: datetime | None
    changed: bool = False  # set by whoever changes a column; :func:`save_dialog` writes it


def send_dialog_lock(conn: Connection, member_id: int, channel: str, chat_id: str) -> Pending:
    """Load and lock the row if it exists (may go in a :func:`storage.prepared.pipeline`);
    :func:`locked_dialog` reads it."""
    return _LOAD.send(conn, {"member_id": member_id, "channel": channel, "chat_id": chat_id})


def locked_dialog(sent: Pending) -> DialogRow | None:
    found = sent.first()
    return DialogRow(**found) if found is not None else None


def dialog_from_columns(values: dict[str, Any]) -> DialogRow | None:
    """The row from :data:`LOAD_STATEMENT`'s columns, as an outer join gives them: None when
    ``id`` is NULL (no row)."""
    return DialogRow(**values) if values["id"] is not None else None


def lock_dialog(
    conn: Connection, member_id: int, channel: str, chat_id: str, now: datetime
) -> DialogRow:
    """The member's dialog row on this chat, locked until the transaction ends; created
    (empty) when missing."""
    key = {"member_id": member_id, "channel": channel, "chat_id": chat_id}
    found = _LOAD.first(conn, key)
    if found is None:
        _CREATE.execute(conn, {**key, "state": {}, "step": 0, "updated_at": now})
        found = _LOAD.first(conn, key)
        assert found is not None, "the dialog row was neither found nor created"
    return DialogRow(**found)


def save_params(row: DialogRow) -> dict[str, Any]:
    """The parameters of :data:`SAVE_STATEMENT` for ``row``."""
    return {"row_id": row.id, **{name: getattr(row, name) for name in _COLUMNS}}


def save_dialog(conn: Connection, row: DialogRow) -> None:
    """Write the row back if it changed (one ``UPDATE``; may go in a pipeline)."""
    if not row.changed:
        return
    _SAVE.run(conn, save_params(row))
    row.changed = False
