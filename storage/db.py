"""The database engine and sessions, for SQLite (embedded default) and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, Table, event
from sqlalchemy.engine import make_url
from sqlmodel import Session, SQLModel, create_engine


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets the web/bot/scheduler read while one writes; busy_timeout makes writers wait
    # for the lock instead of failing at once; foreign keys are off by default in SQLite.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def _sqlite_begin_immediate(conn: Any) -> None:
    # Take the write lock at BEGIN so two processes never deadlock upgrading a read lock.
    conn.exec_driver_sql("BEGIN IMMEDIATE")


def normalise_url(url: str) -> str:
    """Use psycopg 3 for ``postgresql://`` URLs (the driver we ship)."""
    parsed = make_url(url)
    if parsed.drivername in {"postgresql", "postgres"}:
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def make_engine(url: str, *, echo: bool = False) -> Engine:
    """Create an engine with the settings each backend needs."""
    url = normalise_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url, echo=echo, connect_args={"check_same_thread": False, "timeout": 30}
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        # pysqlite's own transaction handling is replaced by explicit BEGIN IMMEDIATE.
        event.listen(
            engine, "connect", lambda dbapi_conn, _r: setattr(dbapi_conn, "isolation_level", None)
        )
        event.listen(engine, "begin", _sqlite_begin_immediate)
        return engine
    # No pre-ping (it costs a round trip per transaction); stale connections are recycled,
    # and the engine retries a transaction that fails on a dropped connection.
    return create_engine(url, echo=echo, pool_recycle=1800, pool_size=5, max_overflow=10)


def describe_url(url: str) -> str:
    """A database URL fit to print: the password hidden."""
    return make_url(url).render_as_string(hide_password=True)


def is_postgres(engine: Engine) -> bool:
    return engine.dialect.name == "postgresql"


@contextmanager
def transaction(engine: Engine) -> Iterator[Session]:
    """One unit of work: commit on success, roll back on any error."""
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def table_of(model: type[SQLModel]) -> Table:
    """The Core table behind a model, for statements that skip the ORM (the hot path)."""
    table = model.__table__  # type: ignore[attr-defined]
    assert isinstance(table, Table)
    return table
