"""Storage basics on both backends: migrations, schema parity, UTC timestamps, WAL."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import Engine, inspect
from sqlmodel import select

from bot.core.events import Outgoing, Reply
from storage.db import make_engine, transaction
from storage.migrate import current_revision, upgrade
from storage.models import Commune, OutboxMessage
from storage.outbox import enqueue


def test_migrations_reach_head(engine: Engine) -> None:
    from alembic.script import ScriptDirectory

    from storage.migrate import alembic_config

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None and head != "0001"  # the alert tables' migration is applied
    assert current_revision(engine) == head
    upgrade(engine)  # running again is a no-op
    assert current_revision(engine) == head


def test_sqlite_runs_in_wal_mode(tmp_path: object) -> None:
    eng = make_engine(f"sqlite:///{tmp_path}/w.db")
    with eng.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    eng.dispose()


def test_timestamps_come_back_aware_utc(engine: Engine) -> None:
    hanoi = timezone(timedelta(hours=7))
    moment = datetime(2025, 9, 14, 7, 30, tzinfo=hanoi)
    with transaction(engine) as s:
        s.add(
            Commune(
                code=1,
                name="Xã A",
                short_name="A",
                province_code=51,
                province_name="Q",
                created_at=moment,
            )
        )
    with transaction(engine) as s:
        row = s.exec(select(Commune)).one()
    assert row.created_at == moment
    assert row.created_at.tzinfo is not None
    assert row.created_at.utcoffset() == timedelta(0)
    assert row.created_at.hour == 0


def test_naive_datetimes_are_refused(engine: Engine) -> None:
    with pytest.raises(Exception, match="naive"), transaction(engine) as s:
        s.add(
            Commune(
                code=2,
                name="Xã B",
                short_name="B",
                province_code=51,
                province_name="Q",
                created_at=datetime(2025, 1, 1),
            )
        )
        s.flush()


def test_outbox_dedupe_key_adds_once(engine: Engine) -> None:
    out = Outgoing("telegram", "42", Reply("Nhắc"), dedupe_key="reminder:1:once:3:7")
    with transaction(engine) as s:
        assert enqueue(s, out) is not None
        assert enqueue(s, out) is None
    with transaction(engine) as s:
        assert enqueue(s, out) is None
        assert enqueue(s, Outgoing("telegram", "42", Reply("Khác"))) is not None
    with transaction(engine) as s:
        rows = s.exec(select(OutboxMessage)).all()
    assert len(rows) == 2
    assert Reply.from_payload(rows[0].payload).text == "Nhắc"


def _schema(engine: Engine) -> dict[str, object]:
    insp = inspect(engine)
    tables = {}
    for name in sorted(insp.get_table_names()):
        cols = {
            c["name"]: (c["nullable"], type(c["type"]).__name__.upper().replace("VARCHAR", "STR"))
            for c in insp.get_columns(name)
        }
        uniques = sorted(
            tuple(sorted(u["column_names"])) for u in insp.get_unique_constraints(name)
        )
        uniques += sorted(
            tuple(sorted(i["column_names"])) for i in insp.get_indexes(name) if i["unique"]
        )
        indexes = sorted(
            tuple(i["column_names"]) for i in insp.get_indexes(name) if not i["unique"]
        )
        pk = tuple(insp.get_pk_constraint(name)["constrained_columns"])
        tables[name] = {
            "cols": {k: v[0] for k, v in cols.items()},
            "pk": pk,
            "uniques": sorted(set(uniques)),
            "indexes": indexes,
        }
    return tables


def test_sqlite_and_postgres_get_the_same_schema(tmp_path: object, pg_schema_url: str) -> None:
    lite = make_engine(f"sqlite:///{tmp_path}/s.db")
    pg = make_engine(pg_schema_url)
    upgrade(lite)
    upgrade(pg)
    try:
        assert _schema(lite) == _schema(pg)
        assert "submission" in _schema(lite)
    finally:
        lite.dispose()
        pg.dispose()


def test_models_match_migrations(engine: Engine) -> None:
    """Autogenerate against the migrated DB finds nothing: models and migrations agree."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlmodel import SQLModel

    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": False})
        diff = compare_metadata(ctx, SQLModel.metadata)
    assert diff == []
