"""Delivering outbox rows on Telegram (python-telegram-bot), with typed delivery errors.

Build the bot with :func:`bot.channels.telegram_channel.make_bot` so it talks to
``TELEGRAM_API_URL`` (Telegram, a self-hosted Bot API server, or the test fake).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from telegram import Bot, BotCommand, BotCommandScopeChat, Message
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
)

from bot.channels.chat_text import strip_html
from bot.channels.telegram_render import (
    RenderError,
    attachment_parts,
    edit_kwargs,
    message_parts,
    reply_markup,
)
from bot.core.events import Reply
from bot.outbox.errors import DeliveryError, PermanentError, RetryLater, TransientError
from bot.outbox.protocol import OutboxRow

log = logging.getLogger(__name__)
TOAST_LIMIT = 200  # answerCallbackQuery text: 0-200 characters

Step = Callable[[], Awaitable[Message]]


def chat_ref(chat_id: str) -> int | str:
    """Telegram chat ids are integers (negative for groups); keep ``@channel`` names as text."""
    return int(chat_id) if chat_id.lstrip("-").isdigit() else chat_id


def _seconds(value: int | float | timedelta) -> float:
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def map_error(exc: Exception, parts_sent: int) -> DeliveryError:
    """python-telegram-bot's error → the outbox's error types (order matters: subclasses)."""
    if isinstance(exc, RetryAfter):
        return RetryLater(_seconds(exc.retry_after), str(exc), parts_sent=parts_sent)
    if isinstance(exc, Forbidden):  # blocked by the user, kicked from the group
        return PermanentError(str(exc), unreachable=True, parts_sent=parts_sent)
    if isinstance(exc, ChatMigrated):
        return PermanentError(f"group moved to chat {exc.new_chat_id}", parts_sent=parts_sent)
    if isinstance(exc, BadRequest):
        return PermanentError(str(exc), parts_sent=parts_sent)
    if isinstance(exc, InvalidToken):
        # A configuration error, not the message's: keep retrying until someone fixes it.
        return TransientError(f"invalid bot token: {exc}", parts_sent=parts_sent)
    if isinstance(exc, NetworkError | TelegramError):  # TimedOut is a NetworkError
        return TransientError(str(exc), parts_sent=parts_sent)
    if isinstance(exc, RenderError | FileNotFoundError):
        return PermanentError(str(exc), parts_sent=parts_sent)
    return TransientError(f"{type(exc).__name__}: {exc}", parts_sent=parts_sent)


class TelegramSender:
    """:class:`bot.outbox.protocol.ChannelSender` for Telegram."""

    channel = "telegram"

    def __init__(self, bot: Bot) -> None:
        self._bot = bot

    async def deliver(self, message: OutboxRow) -> str | None:
        if message.is_callback_answer:
            await self._answer_callback(message)
            return None
        if message.is_command_menu:
            await self._set_commands(message)
            return None
        reply = message.reply
        edited = await self._try_edit(message)
        if edited is not None:
            return edited
        done = message.parts_sent
        last: Message | None = None
        try:
            for step in self._steps(chat_ref(message.chat_id), reply)[done:]:
                last = await step()
                done += 1
        except Exception as exc:
            raise map_error(exc, done) from exc
        return str(last.message_id) if last is not None else None

    async def _set_commands(self, message: OutboxRow) -> None:
        """This member's menu, in Vietnamese, for their chat only (roles differ per member)."""
        commands = [BotCommand(c.data.lstrip("/"), c.label) for c in message.reply.choices]
        try:
            await self._bot.set_my_commands(
                commands, scope=BotCommandScopeChat(chat_ref(message.chat_id))
            )
        except Exception as exc:
            raise map_error(exc, 0) from exc

    async def _answer_callback(self, message: OutboxRow) -> None:
        toast = strip_html(message.reply.text)[:TOAST_LIMIT] or None
        try:
            query_id = message.reply.callback_id or message.chat_id
            await self._bot.answer_callback_query(callback_query_id=query_id, text=toast)
        except Exception as exc:
            raise map_error(exc, 0) from exc

    async def _try_edit(self, message: OutboxRow) -> str | None:
        """Replace an earlier message in place; None means: send a new message instead."""
        reply = message.reply
        if message.parts_sent or reply.edit_message_id is None:
            return None
        if not reply.edit_message_id.isdigit():
            return None
        try:
            kwargs = edit_kwargs(reply)
            if kwargs is None:
                return None
            await self._bot.edit_message_text(chat_id=chat_ref(message.chat_id), **kwargs)
        except BadRequest as exc:
            if "not modified" in str(exc).lower():
                return reply.edit_message_id  # the same text again: nothing to do
            # Too old to edit, deleted, not ours…: fall back to a new message.
            log.info("telegram: cannot edit message %s (%s)", reply.edit_message_id, exc)
            return None
        except Exception as exc:
            raise map_error(exc, 0) from exc
        return reply.edit_message_id

    def _steps(self, chat_id: int | str, reply: Reply) -> list[Step]:
        """One call per part, in order: the outbox skips those an earlier try delivered."""
        bot = self._bot
        if reply.document_path is None and reply.photo_path is None:
            return [_bind(bot.send_message, chat_id=chat_id, **kw) for kw in message_parts(reply)]
        texts, caption = attachment_parts(reply)
        steps: list[Step] = [
            _bind(bot.send_message, chat_id=chat_id, text=text, parse_mode="HTML") for text in texts
        ]
        extra: dict[str, Any] = {"caption": caption, "parse_mode": "HTML" if caption else None}
        markup = reply_markup(reply)
        if markup is not None:
            extra["reply_markup"] = markup
        if reply.document_path is not None:
            path = Path(reply.document_path)
            steps.append(
                _bind(
                    bot.send_document, chat_id=chat_id, document=path, filename=path.name, **extra
                )
            )
        if reply.photo_path is not None:
            if reply.document_path is not None:  # both: the caption and buttons went already
                extra = {}
            steps.append(
                _bind(bot.send_photo, chat_id=chat_id, photo=Path(reply.photo_path), **extra)
            )
        return steps


def _bind(method: Callable[..., Awaitable[Message]], **kwargs: Any) -> Step:
    async def call() -> Message:
        return await method(**kwargs)

    return call
