"""Who is writing: find the roster member behind a chat identity, or register one.

Roles always come from the roster row found here, never from anything in the message.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Column, Connection, Select, bindparam, update
from sqlmodel import Session, col, select

from bot.core.events import EventKind, InboundEvent
from bot.text import normalise_phone, small_int
from storage.db import row_from_columns, table_of
from storage.enums import Channel
from storage.invites import redeem
from storage.models import Member, Unit
from storage.ratelimit import allow

INVITE_ATTEMPTS = 5
INVITE_WINDOW = timedelta(minutes=15)
_MEMBER = table_of(Member)
_UNIT = table_of(Unit)


def _lookup(identity: Column[Any]) -> Select[Any]:
    query: Select[Any] = (
        select(*_MEMBER.c, *_UNIT.c)
        .join(_UNIT, _UNIT.c.id == _MEMBER.c.unit_id)
        .where(identity == bindparam("identity"))
        .where(_MEMBER.c.active.is_(True))
    )
    return query


#: One prepared lookup per channel: which member column holds that channel's identity.
_LOOKUPS = {
    Channel.TELEGRAM.value: _lookup(_MEMBER.c.telegram_user_id),
    Channel.ZALO.value: _lookup(_MEMBER.c.zalo_user_id),
    Channel.WEB.value: _lookup(_MEMBER.c.id),  # the web chat's user id is the member id
}


def load_member(conn: Connection, event: InboundEvent) -> tuple[Member, Unit] | None:
    """The active member linked to this channel identity, with their unit — one query.

    The rows are built from plain columns (no session): the caller decides whether they are
    cached (:mod:`bot.core.roster_cache`) or used once.
    """
    lookup = _LOOKUPS.get(event.channel)
    identity: object = event.user_id
    if event.channel == Channel.WEB.value:
        identity = small_int(event.user_id)
    if lookup is None or identity is None:
        return None
    row = conn.execute(lookup, {"identity": identity}).first()
    if row is None:
        return None
    values = row._mapping
    member = row_from_columns(Member, {c.name: values[c] for c in _MEMBER.c})
    unit = row_from_columns(Unit, {c.name: values[c] for c in _UNIT.c})
    return member, unit


def link(member: Member, event: InboundEvent) -> None:
    """Attach this chat identity to ``member`` (one person may use Telegram and Zalo)."""
    if event.channel == Channel.TELEGRAM:
        member.telegram_user_id, member.telegram_chat_id = event.user_id, event.chat_id
    elif event.channel == Channel.ZALO:
        member.zalo_user_id, member.zalo_chat_id = event.user_id, event.chat_id
    member.unreachable = False


def mark_reachable(session: Session, member: Member) -> None:
    """They wrote again after blocking the bot: messages may go to them again.

    An UPDATE, not a change to ``member``: the row may be the roster cache's shared copy.
    """
    session.execute(update(Member).where(col(Member.id) == member.id).values(unreachable=False))


def _identity_taken(session: Session, event: InboundEvent) -> bool:
    return load_member(session.connection(), event) is not None


def register_by_code(
    session: Session, event: InboundEvent, code: str, now: datetime
) -> Member | str | None:
    """Redeem an invite code for this identity.

    Returns the member, None for a wrong code, or ``"throttled"`` when this identity has
    guessed too often (a durable limit shared by every worker).
    """
    key = f"invite:{event.channel}:{event.user_id}"
    if not allow(session, key, INVITE_ATTEMPTS, INVITE_WINDOW, now):
        return "throttled"
    member = redeem(session, code.strip(), event.channel)
    if member is None or _identity_taken(session, event):
        return None
    link(member, event)
    session.add(member)
    return member


def register_by_contact(session: Session, event: InboundEvent) -> Member | None:
    """A shared contact proves the phone only when it is the sender's own card."""
    if event.kind is not EventKind.CONTACT or not event.contact_phone:
        return None
    if event.contact_user_id != event.user_id:
        return None
    phone = normalise_phone(event.contact_phone)
    if phone is None:
        return None
    member = session.exec(
        select(Member).where(Member.phone == phone).where(col(Member.active).is_(True))
    ).first()
    if member is None or _identity_taken(session, event):
        return None
    link(member, event)
    session.add(member)
    return member
