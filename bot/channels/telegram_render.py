"""A core :class:`~bot.core.events.Reply` drawn for Telegram (python-telegram-bot kwargs).

Pure functions, no network: :func:`message_parts` gives the ``send_message`` keyword
arguments of each part (text split at 4096 characters, buttons on the last part), and
:func:`reply_markup` the keyboard for a reply.
"""

from __future__ import annotations

from typing import Any

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
)
from telegram.constants import ParseMode

from bot.channels.chat_text import split_text
from bot.core.events import Choice, Reply, RequestKind
from bot.messages import t

TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024
CALLBACK_DATA_LIMIT = 64  # bytes, UTF-8

Markup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove


class RenderError(ValueError):
    """The reply cannot be drawn on Telegram (a bug upstream, e.g. callback data too long)."""


def _rows(items: list[Any], columns: int) -> list[list[Any]]:
    width = max(1, columns)
    return [items[i : i + width] for i in range(0, len(items), width)]


def _inline_button(choice: Choice) -> InlineKeyboardButton:
    if not 1 <= len(choice.data.encode("utf-8")) <= CALLBACK_DATA_LIMIT:
        raise RenderError(f"callback data must be 1-64 bytes: {choice.data!r}")
    return InlineKeyboardButton(choice.label, callback_data=choice.data)


def reply_markup(reply: Reply) -> Markup | None:
    """The keyboard for ``reply``.

    A share request needs a reply keyboard (inline buttons cannot ask for a location or a
    contact); the reply's choices then become plain keyboard buttons under it, which send
    their label as text — the engine accepts a typed label as the answer.
    """
    if reply.request is not None:
        if reply.request is RequestKind.LOCATION:
            share = KeyboardButton(t("telegram.share_location"), request_location=True)
        else:
            share = KeyboardButton(t("telegram.share_contact"), request_contact=True)
        others = [KeyboardButton(c.label) for c in reply.choices]
        return ReplyKeyboardMarkup(
            [[share], *_rows(others, reply.columns)], one_time_keyboard=True, resize_keyboard=True
        )
    if reply.choices:
        buttons = [_inline_button(c) for c in reply.choices]
        return InlineKeyboardMarkup(_rows(buttons, reply.columns))
    if reply.remove_keyboard:
        return ReplyKeyboardRemove()
    return None


def message_parts(reply: Reply, *, skip: int = 0) -> list[dict[str, Any]]:
    """``send_message`` kwargs (without ``chat_id``) for each part, from part ``skip`` on."""
    texts = split_text(reply.text, TEXT_LIMIT, html=True)
    markup = reply_markup(reply)
    parts: list[dict[str, Any]] = [{"text": text, "parse_mode": ParseMode.HTML} for text in texts]
    if markup is not None:
        parts[-1]["reply_markup"] = markup
    return parts[skip:]


def attachment_parts(reply: Reply) -> tuple[list[str], str | None]:
    """For a document/photo: the texts to send first, and the caption of the file itself.

    A text that fits in a caption (1024) rides on the file; a longer one goes as messages
    before it, and the file carries the buttons.
    """
    if len(reply.text) <= CAPTION_LIMIT:
        return [], reply.text or None
    return split_text(reply.text, TEXT_LIMIT, html=True), None


def edit_kwargs(reply: Reply) -> dict[str, Any] | None:
    """``edit_message_text`` kwargs, or None when the reply cannot replace a message.

    Only a single-part text with inline buttons (or none) can be edited in place.
    """
    if reply.edit_message_id is None or not reply.edit_message_id.isdigit():
        return None
    if reply.document_path or reply.photo_path:
        return None
    if reply.request is not None or reply.remove_keyboard or len(reply.text) > TEXT_LIMIT:
        return None
    markup = reply_markup(reply)
    kwargs: dict[str, Any] = {
        "message_id": int(reply.edit_message_id),
        "text": reply.text,
        "parse_mode": ParseMode.HTML,
    }
    if isinstance(markup, InlineKeyboardMarkup):
        kwargs["reply_markup"] = markup
    return kwargs
