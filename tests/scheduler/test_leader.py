"""One scheduler at a time: the PostgreSQL advisory lock and the SQLite lease."""

from __future__ import annotations

import time
from datetime import timedelta
from pathlib import Path

from sqlalchemy import Engine

from bot.scheduler.leader import LeaseLeader, PostgresLeader, make_leader
from storage.db import make_engine
from storage.migrate import upgrade
from tests.outbox.doubles import VirtualTime


def test_two_engines_on_one_postgres_only_one_wins(pg_schema_url: str) -> None:
    first, second = make_engine(pg_schema_url), make_engine(pg_schema_url)
    upgrade(first)
    a, b = PostgresLeader(first), PostgresLeader(second)
    try:
        assert a.acquire() is True
        assert b.acquire() is False
        assert a.acquire() is True  # staying leader is cheap and idempotent
        a.release()
        assert b.acquire() is True
        assert a.acquire() is False
    finally:
        a.release()
        b.release()
        first.dispose()
        second.dispose()


def test_postgres_lock_dies_with_its_connection(pg_schema_url: str) -> None:
    first, second = make_engine(pg_schema_url), make_engine(pg_schema_url)
    a, b = PostgresLeader(first), PostgresLeader(second)
    try:
        assert a.acquire()
        assert not b.acquire()
        # The process dies: its connection goes, and the lock with it.
        assert a._conn is not None
        a._conn.invalidate()
        a._conn = None
        # The server notices the closed socket a moment later; the runner retries every 30 s.
        for _ in range(100):
            if b.acquire():
                break
            time.sleep(0.05)
        assert b._conn is not None
    finally:
        b.release()
        first.dispose()
        second.dispose()


def test_lock_is_per_schema(pg_schema_url: str, tmp_path: Path) -> None:
    # Another schema on the same server (another installation) leads on its own.
    from tests.conftest import PG_URL

    here, elsewhere = make_engine(pg_schema_url), make_engine(PG_URL)
    a, b = PostgresLeader(here), PostgresLeader(elsewhere)
    try:
        assert a.acquire() and b.acquire()
    finally:
        a.release()
        b.release()
        here.dispose()
        elsewhere.dispose()


def test_sqlite_lease_is_taken_over_only_after_it_expires(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'lease.db'}")
    upgrade(engine)
    clock = VirtualTime()
    ttl = timedelta(seconds=90)
    a = LeaseLeader(engine, holder="a", ttl=ttl, clock=clock.now)
    b = LeaseLeader(engine, holder="b", ttl=ttl, clock=clock.now)
    try:
        assert a.acquire() and not b.acquire()
        clock.advance(60)
        assert a.acquire()  # renewed: 90 s from now
        clock.advance(60)
        assert not b.acquire()
        clock.advance(31)  # a missed its renewals
        assert b.acquire() and not a.acquire()
        b.release()
        assert a.acquire()
    finally:
        engine.dispose()


def test_make_leader_picks_the_backend(engine: Engine) -> None:
    leader = make_leader(engine)
    expected = PostgresLeader if engine.dialect.name == "postgresql" else LeaseLeader
    assert isinstance(leader, expected)
    assert leader.acquire()
    leader.release()
