"""Who an urgent alert goes to, rung by rung, and whether each of them can be reached.

The ladder of one commune (always the incident's own commune, never another):

0. the commune police — every member of its police unit(s);
1. the police chief — the head of the police unit (told again: nobody has acknowledged yet);
2. the military command — every member of its military unit(s);
3. the office staff and the leaders of the commune.

"Reachable" is what the outbox can honestly try: an active member, not marked unreachable
(a channel refused delivery), with at least one chat — Telegram, Zalo, or the web chat they
use. The same view feeds the alerts, the dashboard's warnings and ``tinbao roster status``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import IntEnum

from sqlmodel import Session, col, select

from bot.core.render import esc
from bot.messages import t
from bot.outbox.recipients import member_chats, member_label, member_title
from storage.enums import Role, UnitKind
from storage.models import Member, Unit

#: How many names a chat message lists before "… và N người khác".
NAMES_SHOWN = 5
#: How many police members a reporter is asked to call when the police unit has no head.
CALL_FALLBACK = 3
#: Unit kinds that receive alerts (the dashboard warns when nobody there can be reached).
ALERT_UNIT_KINDS = (UnitKind.POLICE.value, UnitKind.MILITARY.value, UnitKind.OFFICE.value)
_LEVEL_ROLES = {Role.OFFICE_STAFF.value, Role.LEADER.value}


class Level(IntEnum):
    POLICE = 0
    POLICE_CHIEF = 1
    MILITARY = 2
    OFFICE = 3

    @property
    def label(self) -> str:
        return t(f"alert.level.{self.value}")

    @property
    def next(self) -> Level | None:
        return Level(self + 1) if self < max(Level) else None


@dataclass(frozen=True)
class Person:
    """A roster member as a possible alert recipient."""

    member: Member
    unit: Unit
    chats: tuple[tuple[str, str], ...]  # (channel, chat id), Telegram first, web last

    @property
    def id(self) -> int:
        return self.member.id or 0

    @property
    def reachable(self) -> bool:
        return self.member.active and not self.member.unreachable and bool(self.chats)

    @property
    def state(self) -> str:
        """'ok' (reachable), 'blocked' (a channel refused delivery) or 'unlinked' (no chat)."""
        if self.member.unreachable:
            return "blocked"
        return "ok" if self.chats else "unlinked"

    @property
    def state_label(self) -> str:
        return t(f"alert.state.{self.state}")

    @property
    def channels_label(self) -> str:
        """'Telegram, trang web', or '—' without any chat."""
        listed = dict.fromkeys(t(f"channel.{channel}") for channel, _ in self.chats)
        return ", ".join(listed) or "—"

    @property
    def is_head(self) -> bool:
        return self.unit.head_member_id == self.member.id

    @property
    def title(self) -> str:
        return member_title(self.member, self.unit)

    @property
    def label(self) -> str:
        """'Nguyễn Văn A (Trưởng Công an xã)', escaped for a chat message."""
        return member_label(self.member, self.unit)

    @property
    def phone_label(self) -> str:
        return t(
            "alert.phone",
            name=esc(self.member.full_name),
            title=esc(self.title),
            phone=esc(self.member.phone),
        )


def names(people: Iterable[Person]) -> str:
    """'A (…), B (…) và 3 người khác' — at most :data:`NAMES_SHOWN` names."""
    listed = [p.label for p in people]
    if len(listed) <= NAMES_SHOWN:
        return ", ".join(listed)
    shown = ", ".join(listed[:NAMES_SHOWN])
    return t("alert.more_names", names=shown, count=len(listed) - NAMES_SHOWN)


@dataclass(frozen=True)
class CommuneRoster:
    """The active units and members of one commune, with their chats, read once."""

    commune_id: int
    units: dict[int, Unit]
    people: tuple[Person, ...]  # roster order: by unit, each unit's head first

    def at(self, level: Level) -> list[Person]:
        """Everyone at ``level``, reachable or not."""
        if level is Level.POLICE:
            return [p for p in self.people if p.unit.kind == UnitKind.POLICE]
        if level is Level.POLICE_CHIEF:
            return [p for p in self.people if p.unit.kind == UnitKind.POLICE and p.is_head]
        if level is Level.MILITARY:
            return [p for p in self.people if p.unit.kind == UnitKind.MILITARY]
        return [p for p in self.people if _LEVEL_ROLES & set(p.member.roles)]

    def reachable_at(self, level: Level, *, besides: int | None = None) -> list[Person]:
        """Who an alert at ``level`` can be sent to; ``besides`` (the reporter) is left out."""
        return [p for p in self.at(level) if p.reachable and p.id != besides]

    def call_list(self, *, besides: int | None = None) -> list[Person]:
        """Whom the reporter should phone: the police chief (or, without one, the first
        police members), then the head of the military command. Reachable or not: a phone
        rings even when a chat does not."""
        police = [p for p in self.at(Level.POLICE_CHIEF) if p.id != besides]
        if not police:
            police = [p for p in self.at(Level.POLICE) if p.id != besides][:CALL_FALLBACK]
        military = [p for p in self.at(Level.MILITARY) if p.is_head and p.id != besides]
        return police + military

    def person(self, member_id: int) -> Person | None:
        return next((p for p in self.people if p.id == member_id), None)


def load_roster(session: Session, commune_id: int) -> CommuneRoster:
    units = {
        u.id or 0: u
        for u in session.exec(
            select(Unit).where(Unit.commune_id == commune_id).where(col(Unit.active).is_(True))
        ).all()
    }
    members = list(
        session.exec(
            select(Member)
            .where(col(Member.unit_id).in_(list(units)))
            .where(col(Member.active).is_(True))
            .order_by(col(Member.id))
        ).all()
    )
    chats = member_chats(session, members)
    people = [Person(m, units[m.unit_id], tuple(chats.get(m.id or 0, []))) for m in members]
    people.sort(key=lambda p: (p.unit.id or 0, not p.is_head, p.id))
    return CommuneRoster(commune_id, units, tuple(people))


# --- reachability: the dashboard's and `tinbao roster status`'s view --------------------------


def roster_communes(session: Session) -> list[int]:
    """The communes that have active units (those a province-wide view goes through)."""
    ids = session.exec(
        select(Unit.commune_id)
        .where(col(Unit.active).is_(True))
        .where(col(Unit.commune_id).is_not(None))
        .distinct()
    )
    return sorted(i for i in ids.all() if i is not None)


@dataclass(frozen=True)
class UnitReach:
    unit: Unit
    people: tuple[Person, ...]  # those of the unit on the ladder
    reachable: int

    @property
    def nobody(self) -> bool:
        return self.reachable == 0


@dataclass(frozen=True)
class Reach:
    units: tuple[UnitReach, ...]  # the police, military and office units, roster order
    warnings: tuple[str, ...]  # one line per rung nobody can be reached at


def reach(roster: CommuneRoster) -> Reach:
    on_ladder = {p.id for level in Level for p in roster.at(level)}
    units: list[UnitReach] = []
    for unit in sorted(roster.units.values(), key=lambda u: u.id or 0):
        if unit.kind not in ALERT_UNIT_KINDS:
            continue
        people = tuple(p for p in roster.people if p.unit.id == unit.id and p.id in on_ladder)
        if people:
            units.append(UnitReach(unit, people, sum(p.reachable for p in people)))
    warnings = [
        t("alert.reach.unit_nobody", unit=u.unit.name, count=len(u.people))
        for u in units
        if u.nobody
    ]
    silent = {u.unit.id for u in units if u.nobody}
    for level in Level:
        at_level = roster.at(level)
        if any(p.reachable for p in at_level):
            continue
        if at_level and all(p.unit.id in silent for p in at_level):
            continue  # the unit's own warning already says it
        if not at_level:
            warnings.append(t("alert.reach.level_missing", level=level.label))
        else:
            listed = ", ".join(p.member.full_name for p in at_level[:NAMES_SHOWN])
            warnings.append(t("alert.reach.level_nobody", level=level.label, names=listed))
    return Reach(tuple(units), tuple(warnings))
