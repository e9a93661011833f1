"""Telegram updates → core events (the reading half of the Telegram adapter).

Pure translation: no dialog logic here. Update kinds we do not use give None.

The update is read straight from the Bot API's JSON (a webhook body, a getUpdates result),
not through python-telegram-bot's ``Update.de_json``: building PTB's object tree costs more
CPU than the rest of handling a typical update, and only a dozen fields are needed. The JSON
is untrusted: anything missing or of the wrong type reads as absent, and an update without
a sender or a chat gives None.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from bot.core.events import EventKind, InboundEvent
from storage.enums import Channel

JSON = Mapping[str, Any]


def _object(value: object) -> JSON:
    return value if isinstance(value, Mapping) else {}


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _id(value: object) -> str | None:
    """Telegram ids are integers; bools are not ids."""
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else None


def _number(value: object) -> float | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return None


def _sent_at(message: JSON) -> datetime:
    """When the message was sent; an inaccessible message (date 0) or none: now."""
    date = message.get("date")
    if isinstance(date, int) and not isinstance(date, bool) and date > 0:
        return datetime.fromtimestamp(date, UTC)
    return datetime.now(UTC)


def _full_name(user: JSON) -> str:
    first, last = _text(user.get("first_name")) or "", _text(user.get("last_name"))
    return f"{first} {last}" if last else first


def to_event(update: JSON) -> InboundEvent | None:
    """Translate one update; None for kinds Tin Báo ignores (channel posts, member changes)."""
    update_id = _id(update.get("update_id"))
    if update_id is None:
        return None
    query = _object(update.get("callback_query"))
    if query:
        message = _object(query.get("message"))
        return _event(
            update_id,
            message,
            _object(query.get("from")),
            EventKind.BUTTON,
            data=_text(query.get("data")) or "",
            callback_id=_text(query.get("id")),
            message_id=_id(message.get("message_id")),
        )
    edited = _object(update.get("edited_message"))
    if edited:
        return _event(update_id, edited, _object(edited.get("from")), EventKind.EDITED)
    message = _object(update.get("message"))
    if not message:
        return None
    sender = _object(message.get("from"))
    text = _text(message.get("text"))
    if text is not None:
        return _event(update_id, message, sender, EventKind.TEXT, text=text)
    location = _object(message.get("location"))
    if location:
        return _event(
            update_id,
            message,
            sender,
            EventKind.LOCATION,
            latitude=_number(location.get("latitude")),
            longitude=_number(location.get("longitude")),
        )
    contact = _object(message.get("contact"))
    if contact:
        return _event(
            update_id,
            message,
            sender,
            EventKind.CONTACT,
            contact_phone=_text(contact.get("phone_number")),
            contact_user_id=_id(contact.get("user_id")),
        )
    photo = message.get("photo")
    sizes = photo if isinstance(photo, list) else []
    # Telegram lists a photo's sizes smallest first.
    if sizes and (file_id := _text(_object(sizes[-1]).get("file_id"))) is not None:
        caption = _text(message.get("caption"))
        return _event(update_id, message, sender, EventKind.PHOTO, file_ref=file_id, text=caption)
    if (file_id := _text(_object(message.get("voice")).get("file_id"))) is not None:
        return _event(update_id, message, sender, EventKind.VOICE, file_ref=file_id)
    return _event(update_id, message, sender, EventKind.UNSUPPORTED)


def _event(
    update_id: str, message: JSON, sender: JSON, kind: EventKind, **fields: Any
) -> InboundEvent | None:
    chat = _object(message.get("chat"))
    chat_id, user_id = _id(chat.get("id")), _id(sender.get("id"))
    if chat_id is None or user_id is None:
        return None
    return InboundEvent(
        channel=Channel.TELEGRAM.value,
        update_key=update_id,
        chat_id=chat_id,
        user_id=user_id,
        kind=kind,
        received_at=_sent_at(message),
        private_chat=chat.get("type") == "private",
        display_name=_full_name(sender),
        **fields,
    )
