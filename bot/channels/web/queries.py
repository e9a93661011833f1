"""What the web pages read: the roster, incidents with their history, directives.

Plain read-only queries returning small frozen views, so templates never touch a session.
Times are turned into local dd/mm/yyyy hh:mm strings here, once.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from bot.core.directives import open_campaign
from bot.messages import t
from bot.outbox.recipients import member_chats
from bot.text import fold
from handlers.alert_ladder import alert_steps
from handlers.alert_levels import Level, load_roster, reach
from handlers.incidents import RESPONDER_ROLES, STATUS_BUTTONS, status_label
from storage.enums import Recurrence, UnitKind
from storage.models import (
    Attachment,
    Commune,
    Directive,
    Incident,
    IncidentAlert,
    IncidentEvent,
    Member,
    Unit,
)
from storage.scope import Reach
from storage.vocab import kind_label, roles_label

_KIND_ORDER = {kind.value: i for i, kind in enumerate(UnitKind)}
_DIGITS = re.compile(r"\d+")


def unit_order(unit: Unit) -> tuple[int, str]:
    """Report order: villages, police, military, agencies, office; by name within a kind
    ("Thôn 2" before "Thôn 10", on folded text so diacritics do not reorder)."""
    name = _DIGITS.sub(lambda m: m.group().zfill(8), fold(unit.name))
    return _KIND_ORDER.get(unit.kind, 99), name


def local_time(moment: datetime | None, tz: ZoneInfo) -> str:
    return moment.astimezone(tz).strftime("%d/%m/%Y %H:%M") if moment else ""


@dataclass(frozen=True)
class MemberView:
    id: int
    full_name: str
    phone: str
    roles: tuple[str, ...]
    roles_label: str
    channels: tuple[str, ...]  # "telegram", "zalo" where the member linked a chat


@dataclass(frozen=True)
class UnitView:
    id: int
    name: str
    kind: str
    kind_label: str
    members: tuple[MemberView, ...]


def _member_view(member: Member, chats: list[tuple[str, str]]) -> MemberView:
    channels = tuple(dict.fromkeys(channel for channel, _ in chats))  # telegram, zalo, web
    return MemberView(
        id=member.id or 0,
        full_name=member.full_name,
        phone=member.phone,
        roles=tuple(member.roles),
        roles_label=roles_label(member.roles),
        channels=channels,
    )


def roster(session: Session, commune_id: int) -> list[UnitView]:
    """The commune's active units with their active members: villages first, then police…"""
    units = session.exec(
        select(Unit).where(col(Unit.active).is_(True)).where(col(Unit.commune_id) == commune_id)
    ).all()
    members = session.exec(
        select(Member)
        .where(col(Member.active).is_(True))
        .where(col(Member.unit_id).in_([u.id for u in units]))
        .order_by(col(Member.id))
    ).all()
    chats = member_chats(session, members)
    by_unit: dict[int, list[MemberView]] = {}
    for member in members:
        by_unit.setdefault(member.unit_id, []).append(
            _member_view(member, chats.get(member.id or 0, []))
        )
    ordered = sorted(units, key=unit_order)
    return [
        UnitView(u.id or 0, u.name, u.kind, kind_label(u.kind), tuple(by_unit[u.id or 0]))
        for u in ordered
        if by_unit.get(u.id or 0)
    ]


def responders(units: list[UnitView]) -> list[MemberView]:
    """Members who may change an incident's status (the engine checks again)."""
    allowed = {r.value for r in RESPONDER_ROLES}
    return [m for u in units for m in u.members if allowed & set(m.roles)]


def active_member(session: Session, member_id: int) -> Member | None:
    member = session.get(Member, member_id)
    return member if member is not None and member.active else None


def communes_in(session: Session, reach: Reach) -> list[Commune]:
    """The communes a viewer may pick, by name."""
    rows = session.exec(select(Commune).where(reach.clause(Commune.id))).all()
    return sorted(rows, key=lambda c: fold(c.name))


def pick_commune(session: Session, reach: Reach, wanted: int | None) -> Commune | None:
    """The commune a page shows: the one asked for if the viewer may see it, else the
    viewer's own (or the first they may see); None when they may see none."""
    allowed = communes_in(session, reach)
    chosen = next((c for c in allowed if c.id == wanted), None)
    return chosen or (allowed[0] if allowed else None)


@dataclass(frozen=True)
class HistoryView:
    status: str
    status_label: str
    who: str
    at: str


@dataclass(frozen=True)
class IncidentView:
    id: int
    status: str
    status_label: str
    unit: str
    reporter: str
    reporter_phone: str
    summary: str
    location: str
    latitude: float | None
    longitude: float | None
    people: int | None
    occurred_at: str
    reported_at: str
    photos: int
    history: tuple[HistoryView, ...]


def status_choices() -> list[tuple[str, str]]:
    """(value, label) of the statuses a responder can set."""
    return [(s.value, status_label(s)) for s in STATUS_BUTTONS]


def incidents(
    session: Session, tz: ZoneInfo, commune_id: int, limit: int = 50
) -> list[IncidentView]:
    """The commune's newest incidents, each with every status change (who, when)."""
    rows = session.exec(
        select(Incident)
        .where(col(Incident.commune_id) == commune_id)
        .order_by(col(Incident.created_at).desc(), col(Incident.id).desc())
        .limit(limit)
    ).all()
    if not rows:
        return []
    ids = [r.id for r in rows]
    events = session.exec(
        select(IncidentEvent)
        .where(col(IncidentEvent.incident_id).in_(ids))
        .order_by(col(IncidentEvent.at), col(IncidentEvent.id))
    ).all()
    people_ids = {r.reporter_member_id for r in rows} | {e.member_id for e in events if e.member_id}
    people = {
        m.id: m for m in session.exec(select(Member).where(col(Member.id).in_(people_ids))).all()
    }
    units = {
        u.id: u.name
        for u in session.exec(select(Unit).where(col(Unit.commune_id) == commune_id)).all()
    }
    photos: dict[int, int] = {}
    for attachment in session.exec(
        select(Attachment).where(col(Attachment.incident_id).in_(ids))
    ).all():
        key = attachment.incident_id or 0
        photos[key] = photos.get(key, 0) + 1
    history: dict[int, list[tuple[datetime, HistoryView]]] = {}
    for event in events:
        who = people.get(event.member_id) if event.member_id else None
        history.setdefault(event.incident_id, []).append(
            (
                event.at,
                HistoryView(
                    event.status,
                    status_label(event.status),
                    who.full_name if who else "",
                    local_time(event.at, tz),
                ),
            )
        )
    for incident_id, moment, view in ladder_history(session, rows, tz):
        history.setdefault(incident_id, []).append((moment, view))
    out = []
    for row in rows:
        reporter = people.get(row.reporter_member_id)
        out.append(
            IncidentView(
                id=row.id or 0,
                status=row.status,
                status_label=status_label(row.status),
                unit=units.get(row.unit_id, ""),
                reporter=reporter.full_name if reporter else "",
                reporter_phone=reporter.phone if reporter else "",
                summary=row.summary,
                location=row.location_text or "",
                latitude=row.latitude,
                longitude=row.longitude,
                people=row.people_count,
                occurred_at=local_time(row.occurred_at, tz),
                reported_at=local_time(row.created_at, tz),
                photos=photos.get(row.id or 0, 0),
                history=tuple(v for _, v in sorted(history.get(row.id or 0, []), key=_when)),
            )
        )
    return out


def _when(item: tuple[datetime, HistoryView]) -> datetime:
    return item[0]


def ladder_history(
    session: Session, rows: Sequence[Incident], tz: ZoneInfo
) -> list[tuple[int, datetime, HistoryView]]:
    """(incident id, when, entry): each alert rung — whom it went to, or that nobody could be
    reached — and the moment the first alert arrived."""
    ids = [r.id for r in rows if r.id is not None]
    alerts = session.exec(
        select(IncidentAlert)
        .where(col(IncidentAlert.incident_id).in_(ids))
        .order_by(col(IncidentAlert.id))
    ).all()
    names = {
        m.id: m.full_name
        for m in session.exec(
            select(Member).where(col(Member.id).in_({a.member_id for a in alerts}))
        ).all()
    }
    sent_to: dict[tuple[int, int], dict[str, None]] = {}  # (incident, level) → names, in order
    for alert in alerts:
        seen = sent_to.setdefault((alert.incident_id, alert.level), {})
        seen[names.get(alert.member_id, "")] = None
    out: list[tuple[int, datetime, HistoryView]] = []
    for step in alert_steps(session, ids):
        label = t(f"alert.history.{_STEP_KEYS[step.reason]}", level=Level(step.level).label)
        listed = ", ".join(sent_to.get((step.incident_id, step.level), {}))
        badge = "alert" if step.recipients else "alert-none"
        who = listed or t("alert.history.nobody")
        out.append(
            (step.incident_id, step.at, HistoryView(badge, label, who, local_time(step.at, tz)))
        )
    first = {r.id: r.alert_delivered_at for r in rows if r.alert_delivered_at is not None}
    for alert in alerts:
        if alert.delivered_at is None or first.get(alert.incident_id) != alert.delivered_at:
            continue
        del first[alert.incident_id]  # one first arrival per incident
        who = t("alert.history.delivered_to", name=names.get(alert.member_id, ""),
                channel=t(f"channel.{alert.channel}"))  # fmt: skip
        view = HistoryView(
            "delivered", t("alert.history.delivered"), who, local_time(alert.delivered_at, tz)
        )
        out.append((alert.incident_id, alert.delivered_at, view))
    return out


_STEP_KEYS = {"submit": "step", "timeout": "step_timeout", "unreachable": "step_unreachable"}


# --- who receives urgent alerts, and can they be reached -----------------------------------------


@dataclass(frozen=True)
class ReachMemberView:
    full_name: str
    title: str
    phone: str
    channels: str  # 'Telegram, trang web' or '—'
    state: str  # ok, blocked, unlinked
    state_label: str


@dataclass(frozen=True)
class ReachUnitView:
    name: str
    members: tuple[ReachMemberView, ...]
    nobody: bool  # a unit that receives alerts and nobody there can be reached


@dataclass(frozen=True)
class ReachView:
    units: tuple[ReachUnitView, ...]
    warnings: tuple[str, ...]


def alert_reach(session: Session, commune_id: int) -> ReachView:
    """The alert-receiving units of one commune, who is linked on which channel, warnings."""
    found = reach(load_roster(session, commune_id))
    units = tuple(
        ReachUnitView(
            u.unit.name,
            tuple(
                ReachMemberView(
                    p.member.full_name,
                    p.title,
                    p.member.phone,
                    p.channels_label,
                    p.state,
                    p.state_label,
                )
                for p in u.people
            ),
            u.nobody,
        )
        for u in found.units
    )
    return ReachView(units, found.warnings)


def directives(session: Session, commune_id: int) -> list[Directive]:
    """The commune's active directives, newest start first."""
    return list(
        session.exec(
            select(Directive)
            .where(col(Directive.active).is_(True))
            .where(col(Directive.commune_id) == commune_id)
            .order_by(col(Directive.starts_on).desc(), col(Directive.id).desc())
        ).all()
    )


def current_directive(found: list[Directive], today: date) -> Directive | None:
    """What the office watches now: a one-off campaign still open (nearest deadline first),
    else the oldest recurring duty in force, else whatever starts next."""
    started = [d for d in found if d.starts_on <= today]
    campaign = open_campaign(started, today)
    if campaign is not None:
        return campaign
    recurring = [d for d in started if d.recurrence != Recurrence.NONE]
    if recurring:
        return min(recurring, key=lambda d: d.id or 0)
    if started:
        return started[0]
    return min(found, key=lambda d: d.starts_on) if found else None
