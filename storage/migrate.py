"""Apply Alembic migrations programmatically (``tinbao db upgrade`` and start-up)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, MetaData

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def alembic_config(url: str | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if url is not None:
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the database behind ``engine`` to ``revision`` (default: the newest)."""
    config = alembic_config()
    with engine.connect() as connection, migration_transaction(connection):
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


@contextmanager
def migration_transaction(connection: Connection) -> Iterator[None]:
    """One transaction for the migrations; on SQLite with foreign-key checks off meanwhile.

    Batch migrations rebuild SQLite tables (copy, drop, rename), and dropping a table that
    other rows point at fails the checks although the copy brings every row back. SQLite
    only lets the checks be switched off outside a transaction: off, migrate, verify every
    reference still resolves (else roll back), commit, on again.
    """
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        _sqlite_foreign_keys(connection, on=False)
    try:
        with connection.begin():
            yield
            if sqlite:
                broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise RuntimeError(f"migration left dangling references: {broken[:5]}")
    finally:
        if sqlite:
            _sqlite_foreign_keys(connection, on=True)


def _sqlite_foreign_keys(connection: Connection, *, on: bool) -> None:
    # On the DB-API connection: SQLAlchemy would open a transaction first, where the
    # pragma is silently ignored.
    dbapi = connection.connection.dbapi_connection
    assert dbapi is not None
    dbapi.execute(f"PRAGMA foreign_keys={'ON' if on else 'OFF'}")


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def reset(engine: Engine) -> None:
    """Drop every table (data and migration history), then migrate an empty database."""
    with engine.connect() as connection, migration_transaction(connection):
        tables = MetaData()
        tables.reflect(connection)
        tables.drop_all(connection)
    upgrade(engine)
