"""The roster's version number (table ``cache_version``), bumped by database triggers.

Migration ``0014`` installs triggers on ``member``, ``unit`` and ``directive``: every insert,
update or delete of one of their rows adds one, in the same transaction. A process that caches
those rows reads the number before it trusts the cache, and drops the cache when it moved.
"""

from __future__ import annotations

from sqlalchemy import Connection, select

from storage.db import table_of
from storage.models import CacheVersion

ROSTER = "roster"  # the one row the triggers bump
_TABLE = table_of(CacheVersion)
_READ = select(_TABLE.c.version).where(_TABLE.c.name == ROSTER)


def read_cache_version(conn: Connection) -> int:
    """The current version, as this transaction sees it (its own changes included)."""
    return int(conn.execute(_READ).scalar_one())
