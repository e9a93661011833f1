"""An update's first trip to the database: its claim, and its sender's dialog row loaded.

Nearly every update claims its key (:mod:`storage.processed_updates`) and then loads and locks
the sender's dialog row on that chat (:mod:`storage.dialog_rows`). On PostgreSQL both travel
as one statement::

    WITH claim AS (INSERT … ON CONFLICT DO NOTHING RETURNING 1),
         dialog AS (SELECT … FROM dialogsession WHERE … FOR UPDATE)
    SELECT (SELECT count(*) FROM claim) AS claimed, dialog.* FROM (VALUES (1)) LEFT JOIN dialog

Why one statement and not two in a pipeline: each statement costs psycopg and the server
~50 µs here, and a pipeline costs more client work than the statement it saves a trip for.
PostgreSQL runs a data-modifying ``WITH`` exactly once, and ``FOR UPDATE`` still waits for
another transaction holding the row and then returns its newest version — as the two
statements did. SQLite has no round trips (and no data-modifying ``WITH``): it runs the two
statements one after the other.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Integer, bindparam, column, func, literal_column, select, true
from sqlalchemy import values as values_clause
from sqlalchemy.dialects import postgresql
from sqlalchemy.sql.base import Executable

from storage.db import table_of
from storage.dialog_rows import (
    LOAD_STATEMENT,
    DialogKey,
    DialogRow,
    dialog_from_columns,
    locked_dialog,
    send_dialog_lock,
)
from storage.models import ProcessedUpdate
from storage.prepared import Pending, Prepared
from storage.processed_updates import CLAIM_COLUMNS, CLAIM_KEY, claimed, send_claim


def _claim_and_load(dialect: str) -> Executable:
    assert dialect == "postgresql", "SQLite has no data-modifying WITH"
    claim = (
        postgresql.insert(table_of(ProcessedUpdate))
        .values({name: bindparam(name) for name in CLAIM_COLUMNS})
        .on_conflict_do_nothing(index_elements=list(CLAIM_KEY))
        .returning(literal_column("1").label("one"))
        .cte("claim")
    )
    dialog = LOAD_STATEMENT.cte("dialog")
    base = values_clause(column("one", Integer), name="base").data([(1,)])
    return select(
        select(func.count()).select_from(claim).scalar_subquery().label("claimed"),
        *dialog.c,
    ).select_from(base.outerjoin(dialog, true()))


_CLAIM_AND_LOAD = Prepared(_claim_and_load)


@dataclass(frozen=True)
class Started:
    """What the first trip found: whether the update is new, and the locked dialog row
    (None when none was asked for, or the member has none on this chat yet)."""

    claimed: bool
    dialog: DialogRow | None


class StartSent:
    """The first trip, sent (perhaps inside a :func:`storage.prepared.pipeline`); read it with
    :meth:`result` once the pipeline has ended."""

    def __init__(
        self, together: Pending | None, claim: Pending | None, load: Pending | None
    ) -> None:
        self._together, self._claim, self._load = together, claim, load

    def result(self) -> Started:
        if self._together is not None:
            found = self._together.first()
            assert found is not None, "the claim-and-load statement always returns a row"
            is_new = found.pop("claimed") == 1
            return Started(is_new, dialog_from_columns(found))
        assert self._claim is not None
        is_new = claimed(self._claim)
        if self._load is None:
            return Started(is_new, None)
        return Started(is_new, locked_dialog(self._load))


def send_start(
    conn: Connection,
    channel: str,
    update_key: str,
    now: datetime,
    dialog: DialogKey | None,
) -> StartSent:
    """Claim the update and, with ``dialog`` (a row on the same channel), load and lock that
    dialog row."""
    assert dialog is None or dialog[1] == channel, "an update's dialog row is on its channel"
    if dialog is not None and conn.dialect.name == "postgresql":
        params: dict[str, Any] = {
            "channel": channel,
            "update_key": update_key,
            "processed_at": now,
            "member_id": dialog[0],
            "chat_id": dialog[2],
        }
        return StartSent(_CLAIM_AND_LOAD.send(conn, params), None, None)
    claim = send_claim(conn, channel, update_key, now)
    load = send_dialog_lock(conn, *dialog) if dialog is not None else None
    return StartSent(None, claim, load)
