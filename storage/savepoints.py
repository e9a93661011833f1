"""Savepoints by plain SQL, for the engine's one savepoint per update of a batch.

SQLAlchemy's ``Connection.begin_nested()`` compiles and tracks every savepoint (~40 µs a
pair on this machine); the engine opens one per update, so it issues the statements itself
(~1 µs). They are nested inside the connection's SQLAlchemy transaction, which still begins,
commits and rolls back as ever; a savepoint a handler opens through the ORM nests inside ours.
"""

from __future__ import annotations

from sqlalchemy import Connection, text

from storage.prepared import Prepared

_NAME = "tinbao_update"
_BEGIN = Prepared(text(f"SAVEPOINT {_NAME}"))
_RELEASE = Prepared(text(f"RELEASE SAVEPOINT {_NAME}"))
_ROLLBACK = Prepared(text(f"ROLLBACK TO SAVEPOINT {_NAME}"))


def begin_savepoint(conn: Connection) -> None:
    """Open the update's savepoint (may go in a :func:`storage.prepared.pipeline`)."""
    _BEGIN.run(conn, {})


def release_savepoint(conn: Connection) -> None:
    """Keep what was done since :func:`begin_savepoint` (it commits with the transaction);
    may go in a pipeline."""
    _RELEASE.run(conn, {})


def rollback_to_savepoint(conn: Connection) -> None:
    """Undo everything since :func:`begin_savepoint`; the transaction goes on."""
    _ROLLBACK.run(conn, {})
    _RELEASE.run(conn, {})  # ROLLBACK TO keeps the savepoint; drop it
