"""A batch's hot-path rows in a few statements: claims, dialog rows, saves and replies.

When a batch of updates goes through in one try (:mod:`bot.core.engine`), its routine
statements need not run update by update: every claim is one ``INSERT … SELECT FROM
unnest(…)``, every dialog row the batch needs is one ``SELECT … FOR UPDATE``, and at the end
every changed dialog row and every reply are one statement (``WITH saved AS (UPDATE …)
INSERT …``). On PostgreSQL that is four round trips for the batch instead of two per update:
a round trip costs the client and the server more than the row it carries.

The arrays travel as one parameter each, so the SQL is the same whatever the batch's size
(one prepared statement, not one per size). SQLite has no round trips to save: it runs the
single-row statements one after the other.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, text

from bot.core.events import Outgoing
from storage.db import json_dumps, table_of
from storage.dialog_rows import ROW_COLUMNS, DialogKey, DialogRow, lock_dialog, save_dialog
from storage.enums import OutboxStatus
from storage.models import DialogSession, ProcessedUpdate
from storage.outbox import enqueue_many
from storage.prepared import Prepared
from storage.processed_updates import claim_update
from storage.types import utcnow

Claim = tuple[str, str, datetime]  # channel, update key, when

_DIALOG = table_of(DialogSession)
_CLAIMS = table_of(ProcessedUpdate)

_CLAIM_MANY = Prepared(
    text(
        "INSERT INTO processedupdate (channel, update_key, processed_at) "
        "SELECT * FROM unnest(CAST(:channels AS varchar[]), CAST(:keys AS varchar[]), "
        "CAST(:times AS timestamptz[])) "
        "ON CONFLICT (channel, update_key) DO NOTHING RETURNING channel, update_key"
    ).columns(_CLAIMS.c.channel, _CLAIMS.c.update_key)
)

# Rows are locked in (channel, chat, member) order — the order a batch handles its chats in,
# so two workers' batches wait for each other instead of deadlocking. Missing rows are made in
# the same statement (``made``; only keys with no row, so no id is spent on the others): a
# data-modifying WITH's rows are not seen by the statement's own SELECT, hence the UNION. A
# row another worker creates meanwhile is in neither half; the turn loads it itself.
_SELECTED = ", ".join(ROW_COLUMNS)
_LOCK_MANY = Prepared(
    text(
        "WITH k AS (SELECT * FROM unnest(CAST(:member_ids AS integer[]), "
        "CAST(:channels AS varchar[]), CAST(:chat_ids AS varchar[])) "
        "AS k(member_id, channel, chat_id)), "
        "locked AS (SELECT " + ", ".join(f"d.{name}" for name in ROW_COLUMNS) + " "
        "FROM dialogsession AS d JOIN k ON d.member_id = k.member_id "
        "AND d.channel = k.channel AND d.chat_id = k.chat_id "
        "ORDER BY d.channel, d.chat_id, d.member_id FOR UPDATE OF d), "
        "made AS (INSERT INTO dialogsession (member_id, channel, chat_id, state, step, "
        "updated_at) SELECT k.member_id, k.channel, k.chat_id, CAST('{}' AS json), 0, :now "
        "FROM k WHERE NOT EXISTS (SELECT 1 FROM dialogsession AS e WHERE "
        "e.member_id = k.member_id AND e.channel = k.channel AND e.chat_id = k.chat_id) "
        "ORDER BY k.channel, k.chat_id, k.member_id "
        "ON CONFLICT (member_id, channel, chat_id) DO NOTHING RETURNING " + _SELECTED + ") "
        "SELECT " + _SELECTED + " FROM locked UNION ALL SELECT " + _SELECTED + " FROM made"
    ).columns(*(_DIALOG.c[name] for name in ROW_COLUMNS))
)

# The replies go in in the order given (``WITH ORDINALITY``): their ids keep each chat's order.
_WRITE_MANY = Prepared(
    text(
        "WITH saved AS (UPDATE dialogsession AS d SET form_id = v.form_id, "
        "state = CAST(v.state AS json), step = v.step, started_at = v.started_at, "
        "updated_at = v.updated_at, reminded_at = v.reminded_at "
        "FROM unnest(CAST(:ids AS integer[]), CAST(:form_ids AS varchar[]), "
        "CAST(:states AS text[]), CAST(:steps AS integer[]), CAST(:started AS timestamptz[]), "
        "CAST(:updated AS timestamptz[]), CAST(:reminded AS timestamptz[])) "
        "AS v(id, form_id, state, step, started_at, updated_at, reminded_at) "
        "WHERE d.id = v.id RETURNING d.id) "
        "INSERT INTO outboxmessage (channel, chat_id, kind, payload, status, attempts, "
        "parts_sent, dedupe_key, next_attempt_at, created_at) "
        "SELECT o.channel, o.chat_id, o.kind, CAST(o.payload AS json), :status, 0, 0, "
        "o.dedupe_key, :now, :now "
        "FROM unnest(CAST(:o_channels AS varchar[]), CAST(:o_chats AS varchar[]), "
        "CAST(:o_kinds AS varchar[]), CAST(:o_payloads AS text[]), "
        "CAST(:o_dedupe AS varchar[])) WITH ORDINALITY "
        "AS o(channel, chat_id, kind, payload, dedupe_key, n) "
        "ORDER BY o.n "
        "ON CONFLICT (dedupe_key) DO NOTHING"
    )
)


def claim_many(conn: Connection, claims: Sequence[Claim]) -> set[tuple[str, str]]:
    """Record the updates as processed, in the order given; the (channel, key) pairs that
    were new. A key given twice is new once."""
    if conn.dialect.name != "postgresql":
        return {(c, k) for c, k, when in claims if claim_update(conn, c, k, when)}
    firsts: dict[tuple[str, str], datetime] = {}
    for channel, key, when in claims:
        firsts.setdefault((channel, key), when)
    params = {
        "channels": [channel for channel, _key in firsts],
        "keys": [key for _channel, key in firsts],
        "times": list(firsts.values()),
    }
    return {(row["channel"], row["update_key"]) for row in _CLAIM_MANY.send(conn, params).all()}


def lock_dialogs(
    conn: Connection, keys: Iterable[DialogKey], now: datetime
) -> dict[DialogKey, DialogRow]:
    """The dialog rows of ``keys``, loaded and locked; a missing one is created (empty).

    A key may still be missing from the answer on PostgreSQL when another transaction was
    creating its row at the same moment: :meth:`bot.core.turn.Turn.dialog` loads it then."""
    wanted = sorted(set(keys), key=lambda key: (key[1], key[2], key[0]))
    if not wanted:
        return {}
    if conn.dialect.name != "postgresql":
        return {key: lock_dialog(conn, *key, now) for key in wanted}
    params = {
        "member_ids": [m for m, _c, _h in wanted],
        "channels": [c for _m, c, _h in wanted],
        "chat_ids": [h for _m, _c, h in wanted],
        "now": now,
    }
    found: dict[DialogKey, DialogRow] = {}
    for values in _LOCK_MANY.send(conn, params).all():
        row = DialogRow(**values)
        found[(row.member_id, row.channel, row.chat_id)] = row
    return found


@dataclass
class PendingWrites:
    """What a batch's turns wrote to their dialog rows and outboxes, not yet in the database.

    :meth:`flush` writes it — before anything else reads those tables in the transaction
    (a turn opening its ORM session) and before the commit.
    """

    dialogs: dict[int, DialogRow] = field(default_factory=dict)  # by row id
    outgoing: list[Outgoing] = field(default_factory=list)

    def add(self, dialog: DialogRow | None, outgoing: Sequence[Outgoing]) -> None:
        if dialog is not None and dialog.changed:
            self.dialogs[dialog.id] = dialog
        self.outgoing.extend(outgoing)

    def flush(self, conn: Connection) -> None:
        rows = [row for row in self.dialogs.values() if row.changed]
        outgoing = self.outgoing
        self.dialogs, self.outgoing = {}, []
        if not rows and not outgoing:
            return
        if conn.dialect.name != "postgresql":
            for row in rows:
                save_dialog(conn, row)
            enqueue_many(conn, outgoing)
            return
        _WRITE_MANY.run(conn, _write_params(rows, outgoing))
        for row in rows:
            row.changed = False


def _write_params(rows: Sequence[DialogRow], outgoing: Sequence[Outgoing]) -> dict[str, Any]:
    return {
        "ids": [row.id for row in rows],
        "form_ids": [row.form_id for row in rows],
        "states": [json_dumps(row.state) for row in rows],
        "steps": [row.step for row in rows],
        "started": [row.started_at for row in rows],
        "updated": [row.updated_at for row in rows],
        "reminded": [row.reminded_at for row in rows],
        "o_channels": [item.channel for item in outgoing],
        "o_chats": [item.chat_id for item in outgoing],
        "o_kinds": [item.kind for item in outgoing],
        "o_payloads": [json_dumps(item.reply.to_payload()) for item in outgoing],
        "o_dedupe": [item.dedupe_key for item in outgoing],
        "status": OutboxStatus.QUEUED.value,
        "now": utcnow(),
    }
