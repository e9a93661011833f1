"""Telegram updates → core events (the reading half of the Telegram adapter).

Pure translation: no dialog logic here. Update kinds we do not use give None.
"""

from __future__ import annotations

from datetime import UTC, datetime

from telegram import Message, Update

from bot.core.events import EventKind, InboundEvent
from storage.enums import Channel


def _base(update: Update, message: Message | None, kind: EventKind, **kw: object) -> InboundEvent:
    user = update.effective_user
    chat = update.effective_chat
    assert user is not None and chat is not None
    received = message.date if message is not None and message.date else datetime.now(UTC)
    return InboundEvent(
        channel=Channel.TELEGRAM.value,
        update_key=str(update.update_id),
        chat_id=str(chat.id),
        user_id=str(user.id),
        kind=kind,
        received_at=received,
        private_chat=chat.type == "private",
        display_name=user.full_name,
        **kw,  # type: ignore[arg-type]
    )


def to_event(update: Update) -> InboundEvent | None:
    """Translate one update; None for kinds Tin Báo ignores (channel posts, member changes)."""
    if update.effective_user is None or update.effective_chat is None:
        return None
    if update.callback_query is not None:
        query = update.callback_query
        message = query.message if isinstance(query.message, Message) else None
        return _base(
            update,
            message,
            EventKind.BUTTON,
            data=query.data or "",
            callback_id=query.id,
            message_id=str(query.message.message_id) if query.message else None,
        )
    if update.edited_message is not None:
        return _base(update, update.edited_message, EventKind.EDITED)
    message = update.message
    if message is None:
        return None
    if message.text is not None:
        return _base(update, message, EventKind.TEXT, text=message.text)
    if message.location is not None:
        return _base(
            update,
            message,
            EventKind.LOCATION,
            latitude=message.location.latitude,
            longitude=message.location.longitude,
        )
    if message.contact is not None:
        contact = message.contact
        return _base(
            update,
            message,
            EventKind.CONTACT,
            contact_phone=contact.phone_number,
            contact_user_id=str(contact.user_id) if contact.user_id else None,
        )
    if message.photo:
        largest = message.photo[-1]  # Telegram lists sizes smallest first
        return _base(
            update, message, EventKind.PHOTO, file_ref=largest.file_id, text=message.caption
        )
    if message.voice is not None:
        return _base(update, message, EventKind.VOICE, file_ref=message.voice.file_id)
    return _base(update, message, EventKind.UNSUPPORTED)
