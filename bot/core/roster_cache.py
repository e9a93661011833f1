"""Roster rows kept in memory between updates: members with their unit, active directives.

Nearly every update starts with "who is this?" (the member behind the chat identity, and
their unit) and a busy commune's updates come from people seen moments ago; starting a report
also asks which directives are in force in the member's commune. Those rows change rarely
(a roster import, a role change, a new directive), so they are cached here — and trusted only
while the database's ``cache_version`` row (bumped by triggers on ``member``, ``unit`` and
``directive``, see :mod:`storage.cache_version`) still holds the number they were loaded under.

How a batch of updates uses it (:class:`RosterView`):

- the version is read once, inside the batch's transaction, before any cached row is used;
  a role change or deactivation committed before that moment is seen;
- a row missing from the cache is loaded from the database and cached under that version;
- an update that wrote through the ORM (anything beyond the hot path's own statements) may
  have changed the roster itself: the version is read again, and if it moved the rest of the
  batch neither reads nor fills the cache. The new version is not adopted before it commits —
  a batch that rolls back must leave no row in the cache that the database never had.

Cached rows are shared by every turn and thread, so they are read-only: adding one to a
session raises :class:`CachedRowError` (load the row in the turn's session to change it).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, event, inspect
from sqlalchemy.orm import Session

from bot.core.directives import load_active_directives
from bot.core.events import InboundEvent
from bot.core.identity import load_member
from storage.cache_version import read_cache_version
from storage.models import Directive, Member, Unit

#: Past this many cached identities the cache starts over (a bound, not a tuning knob: a
#: whole province's roster is a few thousand people).
MAX_MEMBERS = 50_000
_CACHED = "tinbao.cached_row"

MemberKey = tuple[str, str]  # (channel, user id)


class CachedRowError(RuntimeError):
    """A cached roster row was added to a session (it is shared: never change it)."""


def _mark_cached(row: Any) -> None:
    inspect(row).info[_CACHED] = True


@event.listens_for(Session, "before_attach")
def _refuse_cached_rows(session: Session, instance: object) -> None:
    if inspect(instance).info.get(_CACHED):
        raise CachedRowError(
            f"{type(instance).__name__} comes from the roster cache and is shared; "
            "load it in the turn's session to change it"
        )


class RosterCache:
    """One process's cache; thread-safe (adapters call the engine from worker threads)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._version: int | None = None
        self._members: dict[MemberKey, tuple[Member, Unit]] = {}
        self._directives: dict[int, tuple[Directive, ...]] = {}

    def view(self, conn: Connection) -> RosterView:
        """The cache as the transaction on ``conn`` may use it (reads the version once)."""
        version = read_cache_version(conn)
        with self._lock:
            if version != self._version:
                self._members.clear()
                self._directives.clear()
                self._version = version
        return RosterView(self, conn, version)

    # Entries are read and added only under the version they belong to: a batch that read
    # an older version than another batch already adopted bypasses the cache.
    def _member(self, key: MemberKey, version: int) -> tuple[Member, Unit] | None:
        with self._lock:
            return self._members.get(key) if version == self._version else None

    def _keep_member(self, key: MemberKey, found: tuple[Member, Unit], version: int) -> None:
        with self._lock:
            if version != self._version:
                return
            if len(self._members) >= MAX_MEMBERS:
                self._members.clear()
            _mark_cached(found[0])
            _mark_cached(found[1])
            self._members[key] = found

    def _active_directives(self, commune_id: int, version: int) -> tuple[Directive, ...] | None:
        with self._lock:
            return self._directives.get(commune_id) if version == self._version else None

    def _keep_directives(
        self, commune_id: int, directives: tuple[Directive, ...], version: int
    ) -> None:
        with self._lock:
            if version == self._version:
                for directive in directives:
                    _mark_cached(directive)
                self._directives[commune_id] = directives


@dataclass
class RosterView:
    """What one batch reads: cached rows valid at ``version``, else fresh ones from ``conn``."""

    cache: RosterCache
    conn: Connection
    version: int
    bypass: bool = field(default=False)  # this batch changed the roster: no cache from here

    def member(self, event: InboundEvent) -> tuple[Member, Unit] | None:
        """The active member behind the event's chat identity, with their unit (read-only)."""
        key = (event.channel, event.user_id)
        if not self.bypass and (hit := self.cache._member(key, self.version)) is not None:
            return hit
        found = load_member(self.conn, event)
        if found is not None and not self.bypass:
            self.cache._keep_member(key, found, self.version)
        return found

    def active_directives(self, commune_id: int) -> tuple[Directive, ...]:
        """The commune's active directives, newest start first (read-only)."""
        if not self.bypass:
            hit = self.cache._active_directives(commune_id, self.version)
            if hit is not None:
                return hit
        directives = tuple(load_active_directives(self.conn, commune_id))
        if not self.bypass:
            self.cache._keep_directives(commune_id, directives, self.version)
        return directives

    def recheck(self) -> None:
        """After an update that wrote through the ORM: did it change the roster?"""
        if not self.bypass and read_cache_version(self.conn) != self.version:
            self.bypass = True
