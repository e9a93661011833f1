"""Where a member can be reached — the chat id columns of :class:`storage.models.Member` and
the web chat of someone who uses the web page (the playground, an office PC) — and how a
message names them ('Nguyễn Văn A (Trưởng Công an xã Tây Trà)').
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import ColumnElement
from sqlmodel import Session, col, select

from bot.core.render import esc
from bot.messages import t
from storage.enums import Channel, Role, UnitKind
from storage.models import DialogSession, Member, Unit


def chat_filter(channel: str, chat_id: str) -> ColumnElement[bool] | None:
    """Members reached at ``chat_id`` on ``channel`` (None for the web channel)."""
    if channel == Channel.TELEGRAM:
        return col(Member.telegram_chat_id) == chat_id
    if channel == Channel.ZALO:
        return col(Member.zalo_chat_id) == chat_id
    return None


def member_for_chat(session: Session, channel: str, chat_id: str) -> Member | None:
    where = chat_filter(channel, chat_id)
    if where is None:
        return None
    return session.exec(select(Member).where(where)).first()


def linked_chats(member: Member) -> list[tuple[str, str]]:
    """(channel, chat id) pairs where this member can be reached, Telegram first."""
    chats: list[tuple[str, str]] = []
    if member.telegram_chat_id:
        chats.append((Channel.TELEGRAM.value, member.telegram_chat_id))
    if member.zalo_chat_id:
        chats.append((Channel.ZALO.value, member.zalo_chat_id))
    return chats


def member_chats(session: Session, members: Sequence[Member]) -> dict[int, list[tuple[str, str]]]:
    """Member id → every chat that reaches them: their linked chats, then their web chat.

    One query for all the web chats, however many members are asked about.
    """
    ids = [m.id for m in members if m.id is not None]
    web: dict[int, str] = {}
    if ids:
        for member_id, chat_id in session.exec(
            select(DialogSession.member_id, DialogSession.chat_id)
            .where(col(DialogSession.member_id).in_(ids))
            .where(DialogSession.channel == Channel.WEB.value)
            .order_by(col(DialogSession.id))
        ).all():
            web.setdefault(member_id, chat_id)
    chats: dict[int, list[tuple[str, str]]] = {}
    for member in members:
        if member.id is None:
            continue
        found = linked_chats(member)
        if member.id in web:
            found.append((Channel.WEB.value, web[member.id]))
        chats[member.id] = found
    return chats


def member_title(member: Member, unit: Unit) -> str:
    """Role and unit in words: 'Trưởng Công an xã Tây Trà', 'Ban CHQS xã Tây Trà'…"""
    is_head = unit.head_member_id is not None and unit.head_member_id == member.id
    if is_head and unit.kind == UnitKind.POLICE:
        return t("alert.title.police_head", unit=unit.name)
    if is_head and unit.kind == UnitKind.MILITARY:
        return t("alert.title.military_head", unit=unit.name)
    if Role.LEADER.value in member.roles:
        return t("alert.title.leader", unit=unit.name)
    return unit.name


def member_label(member: Member, unit: Unit) -> str:
    """'Nguyễn Văn A (Trưởng Công an xã)', escaped for a chat message."""
    return t("alert.person", name=esc(member.full_name), title=esc(member_title(member, unit)))
