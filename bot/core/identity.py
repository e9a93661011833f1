"""Who is writing: find the roster member behind a chat identity, or register one.

Roles always come from the roster row found here, never from anything in the message.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from bot.core.events import EventKind, InboundEvent
from bot.text import normalise_phone, small_int
from storage.enums import Channel
from storage.invites import redeem
from storage.models import Member, Unit
from storage.ratelimit import allow

INVITE_ATTEMPTS = 5
INVITE_WINDOW = timedelta(minutes=15)


def find_member(session: Session, event: InboundEvent) -> tuple[Member, Unit] | None:
    """The active member linked to this channel identity (web: the member id itself), with
    their unit — one query, since every update needs both."""
    if event.channel == Channel.TELEGRAM:
        identity = Member.telegram_user_id == event.user_id
    elif event.channel == Channel.ZALO:
        identity = Member.zalo_user_id == event.user_id
    elif event.channel == Channel.WEB and (member_id := small_int(event.user_id)) is not None:
        identity = Member.id == member_id
    else:
        return None
    query = (
        select(Member, Unit)
        .join(Unit, col(Unit.id) == col(Member.unit_id))
        .where(identity)
        .where(col(Member.active).is_(True))
    )
    found = session.exec(query).first()
    return (found[0], found[1]) if found is not None else None


def link(member: Member, event: InboundEvent) -> None:
    """Attach this chat identity to ``member`` (one person may use Telegram and Zalo)."""
    if event.channel == Channel.TELEGRAM:
        member.telegram_user_id, member.telegram_chat_id = event.user_id, event.chat_id
    elif event.channel == Channel.ZALO:
        member.zalo_user_id, member.zalo_chat_id = event.user_id, event.chat_id
    member.unreachable = False


def _identity_taken(session: Session, event: InboundEvent) -> bool:
    return find_member(session, event) is not None


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
