"""Delivering outbox rows on Zalo through :class:`bot.channels.zalo_client.ZaloClient`.

Zalo can send text and photos by public URL only, so files and images are announced in text
(see :mod:`bot.channels.zalo_render`). Zalo publishes no rate limits: pacing comes from
``ZALO_RATE_PER_SECOND`` in the outbox sender.
"""

from __future__ import annotations

from typing import Any, Protocol

from bot.channels.zalo_errors import (
    ZaloBadRequest,
    ZaloForbidden,
    ZaloNetworkError,
    ZaloRetryAfter,
    ZaloServerError,
    ZaloUnauthorized,
)
from bot.channels.zalo_render import render_texts
from bot.outbox.errors import DeliveryError, PermanentError, RetryLater, TransientError
from bot.outbox.protocol import OutboxRow

DEFAULT_RETRY_AFTER = 10.0  # Zalo may answer 429 without saying how long to wait


class ZaloMessaging(Protocol):
    """The part of ``ZaloClient`` the sender needs."""

    async def send_message(self, chat_id: str, text: str) -> Any: ...


def map_error(exc: Exception, parts_sent: int) -> DeliveryError:
    """A Zalo client error → the outbox's error types."""
    if isinstance(exc, ZaloRetryAfter):
        wait = exc.retry_after if exc.retry_after is not None else DEFAULT_RETRY_AFTER
        return RetryLater(wait, str(exc), parts_sent=parts_sent)
    if isinstance(exc, ZaloForbidden):  # the person blocked or left the bot
        return PermanentError(str(exc), unreachable=True, parts_sent=parts_sent)
    if isinstance(exc, ZaloBadRequest):
        return PermanentError(str(exc), parts_sent=parts_sent)
    if isinstance(exc, ZaloUnauthorized):
        # A configuration error, not the message's: keep retrying until someone fixes it.
        return TransientError(f"Zalo token refused: {exc}", parts_sent=parts_sent)
    if isinstance(exc, ZaloServerError | ZaloNetworkError):
        return TransientError(str(exc), parts_sent=parts_sent)
    return TransientError(f"{type(exc).__name__}: {exc}", parts_sent=parts_sent)


def _message_id(result: Any) -> str | None:
    """The id from whatever the client returns: a string, a dict, or an object."""
    if result is None or isinstance(result, str):
        return result
    if isinstance(result, dict):
        value = result.get("message_id")
    else:
        value = getattr(result, "message_id", None)
    return None if value is None else str(value)


class ZaloSender:
    """:class:`bot.outbox.protocol.ChannelSender` for Zalo."""

    channel = "zalo"

    def __init__(self, client: ZaloMessaging) -> None:
        self._client = client

    async def deliver(self, message: OutboxRow) -> str | None:
        if message.is_callback_answer or message.is_command_menu:
            return None  # Zalo has no buttons and no command menu: nothing to draw
        done = message.parts_sent
        last: str | None = None
        try:
            for text in render_texts(message.reply)[done:]:
                last = _message_id(await self._client.send_message(message.chat_id, text))
                done += 1
        except Exception as exc:
            raise map_error(exc, done) from exc
        return last
