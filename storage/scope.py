"""Which communes a person may see: their own, or — for province roles — every one.

One installation serves a province. Every unit, directive, submission and incident belongs to
a commune; a commune's office and leaders see only their commune, while province roles
(Công an tỉnh, UBND tỉnh, on a province-level unit) see all. Every query that reads
commune data takes a :class:`Reach` (or one commune id) and filters with :meth:`Reach.clause`;
there is no "the commune" anywhere.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, false, true
from sqlmodel import col

from storage.enums import PROVINCE_ROLES
from storage.models import Member, Unit


@dataclass(frozen=True)
class Reach:
    """The communes someone may see; ``commune_ids`` None means every commune."""

    commune_ids: frozenset[int] | None

    @classmethod
    def everywhere(cls) -> Reach:
        return cls(None)

    @classmethod
    def of(cls, *commune_ids: int) -> Reach:
        return cls(frozenset(commune_ids))

    @classmethod
    def nowhere(cls) -> Reach:
        return cls(frozenset())

    @property
    def province_wide(self) -> bool:
        return self.commune_ids is None

    @property
    def single(self) -> int | None:
        """The one commune this reach covers, if it is exactly one."""
        if self.commune_ids is not None and len(self.commune_ids) == 1:
            return next(iter(self.commune_ids))
        return None

    def covers(self, commune_id: int | None) -> bool:
        """May this reach see data of ``commune_id``? Province data (None) needs the province."""
        if self.commune_ids is None:
            return True
        return commune_id is not None and commune_id in self.commune_ids

    def clause(self, column: Any) -> ColumnElement[bool]:
        """SQL filter on a ``commune_id`` column."""
        if self.commune_ids is None:
            return true()
        if not self.commune_ids:
            return false()
        return col(column).in_(sorted(self.commune_ids))

    def narrowed(self, commune_ids: Iterable[int]) -> Reach:
        """This reach limited to ``commune_ids`` (a province viewer picking one commune)."""
        wanted = frozenset(commune_ids)
        return Reach(wanted if self.commune_ids is None else wanted & self.commune_ids)


def reach_of(member: Member, unit: Unit) -> Reach:
    """A member's reach, from the roster only: their unit's commune, or the whole province for
    a province role on a province-level unit (a province role anywhere else counts for nothing:
    the roster import refuses it, and this makes a hand-edited row harmless)."""
    if unit.commune_id is not None:
        return Reach.of(unit.commune_id)
    if PROVINCE_ROLES & set(member.roles):
        return Reach.everywhere()
    return Reach.nowhere()
