"""The roster's version number (table ``cache_version``), bumped by database triggers.

Migration ``0014`` installs triggers on ``member``, ``unit`` and ``directive``: every insert,
update or delete of one of their rows adds one, in the same transaction. A process that caches
those rows reads the number before it trusts the cache, and drops the cache when it moved.
"""

from __future__ import annotations

from sqlalchemy import Connection, bindparam, select

from storage.db import table_of
from storage.models import CacheVersion
from storage.prepared import Prepared

ROSTER = "roster"  # the one row the triggers bump
_TABLE = table_of(CacheVersion)
_READ = Prepared(select(_TABLE.c.version).where(_TABLE.c.name == bindparam("name")))


def read_cache_version(conn: Connection) -> int:
    """The current version, as this transaction sees it (its own changes included)."""
    row = _READ.first(conn, {"name": ROSTER})
    if row is None:
        raise LookupError("cache_version has no roster row: run the migrations")
    return int(row["version"])
