"""Where a member can be reached: the chat id columns of :class:`storage.models.Member`."""

from __future__ import annotations

from sqlalchemy import ColumnElement
from sqlmodel import Session, col, select

from storage.enums import Channel
from storage.models import Member


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
