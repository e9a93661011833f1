"""The Telegram channel: long polling or webhook, both feeding the one engine.

Polling is our own loop over python-telegram-bot's ``Bot.get_updates``: an update is
confirmed (next offset) only after the engine committed it, so a crash never drops one.
Webhook requests are answered 200 only after the commit; a failure makes Telegram retry, and
the engine's processed-update table turns the retry into a no-op.
"""

from __future__ import annotations

import asyncio
import hmac
import logging

from telegram import Bot, Update
from telegram.error import NetworkError, RetryAfter, TimedOut

from bot.channels.telegram_inbound import to_event
from bot.core.engine import Engine, Outcome
from bot.settings import Settings

log = logging.getLogger(__name__)
ALLOWED_UPDATES = ["message", "edited_message", "callback_query"]


def make_bot(settings: Settings) -> Bot:
    """A Bot aimed at ``TELEGRAM_API_URL`` (Telegram, a self-hosted server, or a test fake)."""
    assert settings.telegram_bot_token is not None
    root = settings.telegram_api_url
    return Bot(
        settings.telegram_bot_token.get_secret_value(),
        base_url=f"{root}/bot",
        base_file_url=f"{root}/file/bot",
    )


async def handle_update(engine: Engine, bot: Bot, data: dict[str, object]) -> Outcome | None:
    """Parse raw update JSON and hand it to the engine (in a worker thread: it blocks on DB)."""
    update = Update.de_json(data, bot)
    event = to_event(update)
    if event is None:
        return None
    return await asyncio.to_thread(engine.handle, event)


async def poll(engine: Engine, bot: Bot, stop: asyncio.Event, *, timeout: int = 25) -> None:
    """Long polling until ``stop`` is set. Confirms each update only after it is committed."""
    await bot.delete_webhook(drop_pending_updates=False)
    offset: int | None = None
    backoff = 1.0
    while not stop.is_set():
        try:
            updates = await bot.get_updates(
                offset=offset, timeout=timeout, allowed_updates=ALLOWED_UPDATES
            )
            backoff = 1.0
        except RetryAfter as exc:
            await _sleep(
                stop,
                float(
                    exc.retry_after
                    if isinstance(exc.retry_after, int | float)
                    else exc.retry_after.total_seconds()
                ),
            )
            continue
        except (TimedOut, NetworkError) as exc:
            log.warning("getUpdates failed: %s; retrying in %.0fs", exc, backoff)
            await _sleep(stop, backoff)
            backoff = min(backoff * 2, 60.0)
            continue
        for update in updates:
            event = to_event(update)
            if event is not None:
                await asyncio.to_thread(engine.handle, event)
            offset = update.update_id + 1


async def _sleep(stop: asyncio.Event, seconds: float) -> None:
    try:
        await asyncio.wait_for(stop.wait(), timeout=seconds)
    except TimeoutError:
        pass


def secret_ok(expected: str | None, given: str | None) -> bool:
    """Constant-time comparison of the webhook secret header."""
    if not expected or given is None:
        return False
    return hmac.compare_digest(expected.encode(), given.encode())
