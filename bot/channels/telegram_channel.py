"""The Telegram channel: long polling or webhook, both feeding the one engine.

Polling is our own loop over python-telegram-bot's ``Bot.get_updates``: an update is
confirmed (next offset) only after the engine committed it, so a crash never drops one.
Webhook requests are answered 200 only after the commit; a failure makes Telegram retry, and
the engine's processed-update table turns the retry into a no-op.
"""

from __future__ import annotations

import asyncio
import json
import logging
from dataclasses import replace

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route
from telegram import Bot, Update
from telegram.error import NetworkError, RetryAfter, TimedOut

from bot.channels.attachments import store, stored_name
from bot.channels.common import secret_ok, sleep_or_stop
from bot.channels.telegram_inbound import to_event
from bot.core.engine import Engine, Outcome
from bot.core.events import EventKind, InboundEvent
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


async def read_update(bot: Bot, update: Update, settings: Settings) -> InboundEvent | None:
    """The event for the engine, with a photo or voice note already stored on disk."""
    event = to_event(update)
    if event is None or event.kind not in (EventKind.PHOTO, EventKind.VOICE):
        return event
    file_id = event.file_ref
    assert file_id is not None
    suffix = ".jpg" if event.kind is EventKind.PHOTO else ".ogg"

    async def fetch() -> bytes:
        telegram_file = await bot.get_file(file_id)
        return bytes(await telegram_file.download_as_bytearray())

    target = settings.attachments_dir / "telegram" / stored_name(event.update_key, suffix)
    stored = await store(target, fetch, f"the file of telegram update {event.update_key}")
    return replace(event, file_path=str(stored)) if stored is not None else event


async def handle_update(engine: Engine, bot: Bot, data: dict[str, object]) -> Outcome | None:
    """Parse raw update JSON and hand it to the engine (in a worker thread: it blocks on DB)."""
    return await _handle(engine, bot, Update.de_json(data, bot))


async def _handle(engine: Engine, bot: Bot, update: Update) -> Outcome | None:
    event = await read_update(bot, update, engine.ctx.settings)
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
            await sleep_or_stop(
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
            await sleep_or_stop(stop, backoff)
            backoff = min(backoff * 2, 60.0)
            continue
        for update in updates:
            await _handle(engine, bot, update)
            offset = update.update_id + 1


SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
WEBHOOK_PATH = "/telegram/webhook"
MAX_WEBHOOK_BODY = 1_000_000


def telegram_webhook_route(engine: Engine, bot: Bot, settings: Settings) -> Route:
    """``POST /telegram/webhook``: 200 once the update is committed (or already known), 403
    without the right secret (nothing stored), 500 when handling failed so Telegram retries."""
    expected = (
        settings.telegram_webhook_secret.get_secret_value()
        if settings.telegram_webhook_secret
        else None
    )

    async def endpoint(request: Request) -> Response:
        if not secret_ok(expected, request.headers.get(SECRET_HEADER)):
            return PlainTextResponse("forbidden", status_code=403)
        body = await request.body()
        if len(body) > MAX_WEBHOOK_BODY:
            return PlainTextResponse("too large", status_code=413)
        try:
            data = json.loads(body)
            if not isinstance(data, dict) or "update_id" not in data:
                raise ValueError("not an update")
        except ValueError:
            return PlainTextResponse("bad update", status_code=400)
        outcome = await handle_update(engine, bot, data)
        if outcome is Outcome.FAILED:
            return PlainTextResponse("failed", status_code=500)
        return PlainTextResponse("ok")

    return Route(WEBHOOK_PATH, endpoint, methods=["POST"])


async def set_webhook(bot: Bot, settings: Settings) -> None:
    assert settings.telegram_webhook_url is not None
    secret = settings.telegram_webhook_secret
    await bot.set_webhook(
        settings.telegram_webhook_url,
        secret_token=secret.get_secret_value() if secret else None,
        allowed_updates=ALLOWED_UPDATES,
    )
