"""One scheduler process at a time.

PostgreSQL: a session advisory lock (``pg_try_advisory_lock``) held on a dedicated
connection for as long as the process runs. If the process dies, PostgreSQL drops the
connection and with it the lock, and the next process to try takes over. The lock key is
(constant, hash of the current schema), so installations in different schemas of one
database do not block each other.

SQLite: a lease row in :class:`storage.models.SchedulerLease`, renewed every ~30 s and
taken over by another process once it has expired.
"""

from __future__ import annotations

import logging
import os
import socket
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Protocol

from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import IntegrityError

from storage.db import is_postgres, transaction
from storage.models import SchedulerLease
from storage.types import utcnow

log = logging.getLogger(__name__)

LOCK_CLASS = 0x54_42  # "TB": the first half of the advisory lock key
LEASE_NAME = "scheduler"
LEASE_TTL = timedelta(seconds=90)  # renewed every ~30 s, so two renewals may be missed


class Leader(Protocol):
    def acquire(self) -> bool:
        """Try to be (or stay) the leader; True while this process leads. Call regularly."""
        ...

    def release(self) -> None:
        """Step down (on shutdown)."""
        ...


def _holder_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class PostgresLeader:
    """Leadership = holding the advisory lock on our own long-lived connection."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._conn: Connection | None = None

    def acquire(self) -> bool:
        if self._conn is not None:
            try:
                self._conn.execute(text("SELECT 1"))
                return True
            except Exception:  # the connection (and so the lock) is gone
                log.warning("scheduler lock connection lost; trying to lead again")
                self._drop()
        conn = self._engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        try:
            got = conn.execute(
                text("SELECT pg_try_advisory_lock(:cls, hashtext(current_schema()))"),
                {"cls": LOCK_CLASS},
            ).scalar_one()
        except Exception:
            conn.close()
            raise
        if got:
            self._conn = conn
            log.info("this process now runs the scheduler (advisory lock)")
            return True
        conn.close()
        return False

    def release(self) -> None:
        if self._conn is None:
            return
        try:
            self._conn.execute(
                text("SELECT pg_advisory_unlock(:cls, hashtext(current_schema()))"),
                {"cls": LOCK_CLASS},
            )
        except Exception:
            log.warning("could not unlock the scheduler lock; closing its connection")
        self._drop()

    def _drop(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            try:
                conn.invalidate()  # never return a connection holding the lock to the pool
                conn.close()
            except Exception:
                log.debug("closing the scheduler lock connection failed", exc_info=True)


class LeaseLeader:
    """Leadership = an unexpired lease row naming us (SQLite)."""

    def __init__(
        self,
        engine: Engine,
        *,
        holder: str | None = None,
        ttl: timedelta = LEASE_TTL,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self._engine = engine
        self.holder = holder or _holder_id()
        self._ttl = ttl
        self._clock = clock

    def acquire(self) -> bool:
        try:
            return self._take(self._clock())
        except IntegrityError:  # another process inserted the first lease at the same time
            return False

    def _take(self, now: datetime) -> bool:
        # One write transaction (BEGIN IMMEDIATE on SQLite): read and take over atomically.
        with transaction(self._engine) as session:
            lease = session.get(SchedulerLease, LEASE_NAME)
            if lease is None:
                session.add(
                    SchedulerLease(name=LEASE_NAME, holder=self.holder, expires_at=now + self._ttl)
                )
                return True
            if lease.holder != self.holder and lease.expires_at > now:
                return False
            if lease.holder != self.holder:
                log.info("scheduler lease of %s expired; taking over", lease.holder)
            lease.holder = self.holder
            lease.expires_at = now + self._ttl
            return True

    def release(self) -> None:
        with transaction(self._engine) as session:
            lease = session.get(SchedulerLease, LEASE_NAME)
            if lease is not None and lease.holder == self.holder:
                session.delete(lease)


def make_leader(engine: Engine) -> Leader:
    return PostgresLeader(engine) if is_postgres(engine) else LeaseLeader(engine)
