"""The database engine and sessions, for SQLite (embedded default) and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

import orjson
from sqlalchemy import Engine, Table, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import configure_mappers
from sqlalchemy.orm.attributes import manager_of_class
from sqlmodel import Session, SQLModel, create_engine


def json_dumps(value: Any) -> str:
    """A JSON column's text, as every engine writes it (:data:`JSON_CODEC`)."""
    # JSON columns (dialog state, outbox payloads, figures) are written on every update;
    # orjson encodes them ~10× faster than the standard library. Keys need not be str.
    return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS).decode()


#: How every engine encodes and decodes its JSON columns.
JSON_CODEC: dict[str, Any] = {"json_serializer": json_dumps, "json_deserializer": orjson.loads}


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
            url,
            echo=echo,
            connect_args={"check_same_thread": False, "timeout": 30},
            **JSON_CODEC,
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
    return create_engine(
        url, echo=echo, pool_recycle=1800, pool_size=5, max_overflow=10, **JSON_CODEC
    )


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


_Row = TypeVar("_Row", bound=SQLModel)


def row_from_columns(model: type[_Row], values: Mapping[str, Any]) -> _Row:
    """A ``model`` instance holding a database row's ``values`` (every column, as read),
    built as SQLAlchemy builds the rows a query loads: without ``__init__``.

    ``Member(**values)`` validates every field with pydantic (~40 µs a row); a row just read
    from the database needs none of that (~2 µs). The instance is transient, like one made
    with ``__init__``.
    """
    manager = _class_manager(model)
    row: _Row = manager.new_instance()
    row.__dict__.update(values)
    return row


@cache
def _class_manager(model: type[SQLModel]) -> Any:
    configure_mappers()  # the instrumented attributes exist only once mappers are configured
    return manager_of_class(model)
