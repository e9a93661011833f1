"""The Telegram channel: long polling or webhook, both feeding the one engine.

Polling is our own loop over the Bot API's getUpdates: each page of updates is one engine
batch (one commit), confirmed (next offset) only after that commit, so a crash never drops
one. Webhook requests are answered 200 only after the commit of the batch that holds them
(concurrent requests are batched by :class:`bot.channels.batcher.Batcher`); a failure makes
Telegram retry, and the engine's processed-update table turns the retry into a no-op.
"""

from __future__ import annotations

import asyncio
import json
import logging
import warnings
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route
from telegram import Bot
from telegram.error import NetworkError, RetryAfter, TimedOut
from telegram.request import HTTPXRequest
from telegram.warnings import PTBUserWarning

from bot.channels.attachments import store, stored_name
from bot.channels.batcher import Batcher
from bot.channels.common import secret_ok, sleep_or_stop
from bot.channels.telegram_inbound import to_event
from bot.core.engine import Engine, Outcome
from bot.core.events import EventKind, InboundEvent
from bot.outbox.sender import MAX_IN_FLIGHT
from bot.settings import Settings

log = logging.getLogger(__name__)
ALLOWED_UPDATES = ["message", "edited_message", "callback_query"]
POLL_READ_SLACK = 5  # seconds a long poll may take beyond its timeout before we give up on it
# getUpdates is called through do_api_request on purpose: the raw JSON is what we read
# (telegram_inbound), and Bot.get_updates would first build PTB objects nobody uses.
warnings.filterwarnings("ignore", message=r"Please use 'Bot\.getUpdates'", category=PTBUserWarning)


def make_bot(settings: Settings) -> Bot:
    """A Bot aimed at ``TELEGRAM_API_URL`` (Telegram, a self-hosted server, or a test fake)."""
    assert settings.telegram_bot_token is not None
    root = settings.telegram_api_url
    return Bot(
        settings.telegram_bot_token.get_secret_value(),
        base_url=f"{root}/bot",
        base_file_url=f"{root}/file/bot",
        # One connection per concurrent send: PTB's plain Bot has a pool of one, which
        # serialises the outbox's sends and makes httpcore re-scan every queued request each
        # time the connection frees (most of the CPU of a busy sender, by profile).
        request=HTTPXRequest(connection_pool_size=MAX_IN_FLIGHT),
    )


async def read_update(bot: Bot, data: Mapping[str, Any], settings: Settings) -> InboundEvent | None:
    """The event for the engine (from the update's raw JSON), with a photo or voice note
    already stored on disk."""
    event = to_event(data)
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


async def handle_update(
    engine: Engine, bot: Bot, data: Mapping[str, Any], batcher: Batcher | None = None
) -> Outcome | None:
    """Hand one update (raw JSON) to the engine — through ``batcher`` when there is one, so
    concurrent webhook requests share a commit. The engine runs in a worker thread (it
    blocks on the database). None for an update Tin Báo ignores."""
    event = await read_update(bot, data, engine.ctx.settings)
    if event is None:
        return None
    if batcher is not None:
        return await batcher.submit(event)
    return await asyncio.to_thread(engine.handle, event)


async def handle_page(engine: Engine, bot: Bot, page: list[Mapping[str, Any]]) -> None:
    """One getUpdates page as one engine batch (one commit), in order."""
    events = [e for data in page if (e := await read_update(bot, data, engine.ctx.settings))]
    if events:
        await asyncio.to_thread(engine.handle_batch, events)


async def poll(engine: Engine, bot: Bot, stop: asyncio.Event, *, timeout: int = 25) -> None:
    """Long polling until ``stop`` is set. Each page of updates is handled as one batch and
    confirmed (the next offset) only after that batch is committed."""
    await bot.delete_webhook(drop_pending_updates=False)
    offset: int | None = None
    backoff = 1.0
    while not stop.is_set():
        try:
            page = await bot.do_api_request(
                "getUpdates",
                api_kwargs={
                    "offset": offset,
                    "timeout": timeout,
                    "allowed_updates": ALLOWED_UPDATES,
                },
                read_timeout=timeout + POLL_READ_SLACK,
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
        updates = [u for u in page if isinstance(u, Mapping)] if isinstance(page, list) else []
        await handle_page(engine, bot, updates)
        ids = [u["update_id"] for u in updates if isinstance(u.get("update_id"), int)]
        if ids:
            offset = max(ids) + 1


SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
WEBHOOK_PATH = "/telegram/webhook"
MAX_WEBHOOK_BODY = 1_000_000


def telegram_webhook_route(
    engine: Engine, bot: Bot, settings: Settings, batcher: Batcher | None = None
) -> Route:
    """``POST /telegram/webhook``: 200 once the update is committed (or already known), 403
    without the right secret (nothing stored), 500 when handling failed so Telegram retries.

    With a ``batcher`` (the runtime gives one) concurrent requests share a transaction."""
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
        outcome = await handle_update(engine, bot, data, batcher)
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
