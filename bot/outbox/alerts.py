"""Telling the admins that a message could not be delivered (one alert per admin chat)."""

from __future__ import annotations

import html
import re

from sqlmodel import Session, col, select

from bot.core.events import Outgoing, Reply
from bot.messages import t
from bot.outbox.protocol import OutboxRow
from bot.outbox.recipients import linked_chats, member_for_chat
from storage.enums import Role
from storage.models import Member, Unit
from storage.outbox import enqueue

ALERT_PREFIX = "dead:"  # dedupe keys of alerts: an alert that dies raises no further alert
_TAG = re.compile(r"</?[a-z]+>")
_PREVIEW_CHARS = 80


def _preview(reply: Reply) -> str:
    text = html.unescape(_TAG.sub("", reply.text)).replace("\n", " ").strip()
    if len(text) > _PREVIEW_CHARS:
        text = text[: _PREVIEW_CHARS - 1] + "…"
    return html.escape(text, quote=False)


def _admins_near(session: Session, recipient: Member | None) -> list[Member]:
    """Active admins of the recipient's commune (of the province level for a province
    member); a message to an unknown chat concerns every admin."""
    query = (
        select(Member)
        .join(Unit, col(Unit.id) == col(Member.unit_id))
        .where(col(Member.active).is_(True))
    )
    if recipient is not None:
        unit = session.get(Unit, recipient.unit_id)
        commune_id = unit.commune_id if unit is not None else None
        query = query.where(
            col(Unit.commune_id).is_(None)
            if commune_id is None
            else col(Unit.commune_id) == commune_id
        )
    return [m for m in session.exec(query).all() if Role.ADMIN.value in m.roles]


def alert_admins(session: Session, row: OutboxRow, error: str, *, blocked: bool) -> int:
    """Enqueue one alert per admin chat about the dead ``row``; returns how many were added.

    The dedupe key ``dead:<row id>:<admin id>:<channel>`` makes a second call for the same
    row (a retry of this transaction, another process) add nothing.
    """
    if row.is_callback_answer or (row.dedupe_key or "").startswith(ALERT_PREFIX):
        return 0
    recipient = member_for_chat(session, row.channel, row.chat_id)
    who = html.escape(recipient.full_name if recipient else row.chat_id, quote=False)
    channel_name = t(f"channel.{row.channel}")
    if blocked:
        text = t("outbox.alert.blocked", who=who, channel=channel_name)
    else:
        text = t(
            "outbox.alert.dead",
            who=who,
            channel=channel_name,
            attempts=row.attempts + 1,
            error=html.escape(error[:200], quote=False),
            preview=_preview(row.reply),
        )
    admins = _admins_near(session, recipient)
    added = 0
    for admin in admins:
        if admin.unreachable:
            continue
        for channel, chat_id in linked_chats(admin):
            if channel == row.channel and chat_id == row.chat_id:
                continue  # the chat that just failed cannot carry its own alert
            outgoing = Outgoing(
                channel,
                chat_id,
                Reply(text, urgent=True),
                dedupe_key=f"{ALERT_PREFIX}{row.id}:{admin.id}:{channel}",
            )
            if enqueue(session, outgoing) is not None:
                added += 1
    return added
