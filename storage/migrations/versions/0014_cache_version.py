"""cache_version: a counter bumped by triggers whenever roster or directive rows change

The engine keeps members, units and directives in memory and reads this one row once per
batch of updates: a different number means something changed, and the cache is dropped.
Triggers (not application code) bump it, so no write path — the CLI, the web dashboard, a
roster import, a hand-written SQL fix — can forget to.

On SQLite a later migration that rebuilds one of these tables (Alembic's batch mode copies
it into a new table) drops its triggers with the old table: such a migration must create
them again (tests/engine/test_roster_cache.py checks every watched table at head).

Revision ID: 0014
Revises: 0011_incident_alerts
Create Date: 2026-11-24 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0011_incident_alerts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: The tables whose rows the engine caches (storage.cache_version.WATCHED_TABLES).
WATCHED = ("member", "unit", "directive")
ROW = "roster"
_BUMP = f"UPDATE cache_version SET version = version + 1 WHERE name = '{ROW}'"


def upgrade() -> None:
    op.create_table(
        "cache_version",
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )
    op.execute(f"INSERT INTO cache_version (name, version) VALUES ('{ROW}', 1)")
    if op.get_bind().dialect.name == "postgresql":
        _postgres_triggers()
    else:
        _sqlite_triggers()


def _sqlite_triggers() -> None:
    # SQLite has row-level triggers only, one per event.
    for table in WATCHED:
        for event in ("INSERT", "UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER {table}_{event.lower()}_bumps_cache AFTER {event} ON {table} "
                f"FOR EACH ROW BEGIN {_BUMP}; END"
            )


def _postgres_triggers() -> None:
    # Row level like SQLite's: a statement that changes no row (an UPDATE matching nothing)
    # leaves the caches alone. TRUNCATE has no rows, so it gets a statement-level trigger.
    op.execute(
        "CREATE FUNCTION bump_cache_version() RETURNS trigger LANGUAGE plpgsql AS "
        f"$$ BEGIN {_BUMP}; RETURN NULL; END $$"
    )
    for table in WATCHED:
        op.execute(
            f"CREATE TRIGGER {table}_bumps_cache AFTER INSERT OR UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION bump_cache_version()"
        )
        op.execute(
            f"CREATE TRIGGER {table}_truncate_bumps_cache AFTER TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION bump_cache_version()"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in WATCHED:
            op.execute(f"DROP TRIGGER {table}_bumps_cache ON {table}")
            op.execute(f"DROP TRIGGER {table}_truncate_bumps_cache ON {table}")
        op.execute("DROP FUNCTION bump_cache_version()")
    else:
        for table in WATCHED:
            for event in ("insert", "update", "delete"):
                op.execute(f"DROP TRIGGER {table}_{event}_bumps_cache")
    op.drop_table("cache_version")
