"""The Zalo channel: long polling or a webhook, both feeding the one engine.

Zalo's getUpdates hands each update out once and has no offset to confirm, so unlike
Telegram nothing can be left unconfirmed until the commit: an update the process received and
then died on is gone. What we can do we do: the engine runs before the next poll, and a
redelivery (webhook retry, platform hiccup) is recognised by its message id and skipped.

Webhook requests are answered 200 only after the engine committed the batch that holds them
(:mod:`bot.channels.batcher`); a failure answers 500 so the platform retries, and the
engine's processed-update table turns the retry into a no-op.

Start-up (the runtime wires these)::

    client = make_client(settings)
    # polling:
    await poll(engine, client, settings, stop)           # deletes any webhook first
    # or webhook, served by Starlette behind HTTPS:
    routes.append(zalo_webhook_route(engine, client, settings))
    await set_webhook(client, settings, "https://example.org/zalo/webhook")
"""

from __future__ import annotations

import asyncio
import json
import logging

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from bot.channels.batcher import Batcher
from bot.channels.common import secret_ok, sleep_or_stop
from bot.channels.zalo_client import ZaloClient, ZaloUpdate, ZaloWebhookInfo
from bot.channels.zalo_errors import (
    ZaloError,
    ZaloMalformedUpdate,
    ZaloRetryAfter,
    ZaloUnauthorized,
)
from bot.channels.zalo_inbound import read_update
from bot.core.engine import Engine, Outcome
from bot.settings import Settings
from bot.text import small_int

log = logging.getLogger(__name__)

WEBHOOK_PATH = "/zalo/webhook"
SECRET_HEADER = "X-Bot-Api-Secret-Token"
MAX_WEBHOOK_BODY = 64 * 1024  # an update is a few hundred bytes
MAX_BACKOFF = 60.0
DEFAULT_RETRY_AFTER = 5.0


def make_client(settings: Settings) -> ZaloClient:
    """A client aimed at ``ZALO_API_URL`` (Zalo, or a test fake)."""
    if settings.zalo_bot_token is None:
        raise ValueError("ZALO_BOT_TOKEN is not set")
    return ZaloClient(settings.zalo_bot_token.get_secret_value(), settings.zalo_api_url)


async def handle_update(
    engine: Engine,
    client: ZaloClient,
    settings: Settings,
    update: ZaloUpdate,
    batcher: Batcher | None = None,
) -> Outcome | None:
    """Store the photo if any, then hand the event to the engine — through ``batcher`` when
    there is one, so concurrent webhook requests share a commit (the engine runs in a worker
    thread: it blocks on the database). None when the update is one Tin Báo ignores."""
    event = await read_update(client, settings, update)
    if event is None:
        return None
    if batcher is not None:
        return await batcher.submit(event)
    return await asyncio.to_thread(engine.handle, event)


# === polling ===================================================================================


async def poll_once(
    engine: Engine, client: ZaloClient, settings: Settings, *, timeout: int = 25
) -> Outcome | None:
    """One long poll and the update it brought, if any. Raises the client's errors."""
    update = await client.get_updates(timeout=timeout)
    if update is None:
        return None
    return await handle_update(engine, client, settings, update)


async def poll(
    engine: Engine,
    client: ZaloClient,
    settings: Settings,
    stop: asyncio.Event,
    *,
    timeout: int = 25,
    retry_delay: float = 1.0,
) -> None:
    """Long polling until ``stop`` is set (checked between polls: stopping may take up to
    ``timeout`` seconds; cancelling instead may lose the one update being handed out).

    Failed polls are retried after ``retry_delay`` seconds, doubling up to a minute.
    """
    webhook_cleared = False
    backoff = retry_delay
    while not stop.is_set():
        try:
            if not webhook_cleared:  # while a webhook is set, getUpdates delivers nothing
                await delete_webhook(client)
                webhook_cleared = True
            await poll_once(engine, client, settings, timeout=timeout)
            backoff = retry_delay
            continue
        except ZaloRetryAfter as exc:
            wait = exc.retry_after if exc.retry_after is not None else DEFAULT_RETRY_AFTER
            log.warning("zalo polling: slow down for %.0fs", wait)
        except ZaloMalformedUpdate as exc:
            log.warning("zalo: an update could not be read and is dropped: %s", exc)
            continue
        except ZaloUnauthorized as exc:
            # Nothing will work until someone fixes ZALO_BOT_TOKEN; keep trying slowly.
            log.error("zalo polling: the bot token is refused: %s", exc)
            wait = MAX_BACKOFF
        except ZaloError as exc:  # network, 5xx, anything else Zalo said
            log.warning("zalo polling failed: %s; retrying in %.0fs", exc, backoff)
            wait = backoff
            backoff = min(backoff * 2, MAX_BACKOFF)
        except Exception:
            # A bug in handling one update must not stop the channel for everyone.
            log.exception("zalo: handling an update failed")
            wait = backoff
            backoff = min(backoff * 2, MAX_BACKOFF)
        await sleep_or_stop(stop, wait)


# === webhook ===================================================================================


def zalo_webhook_route(
    engine: Engine,
    client: ZaloClient,
    settings: Settings,
    path: str = WEBHOOK_PATH,
    batcher: Batcher | None = None,
) -> Route:
    """``POST /zalo/webhook``: 200 once the update is committed (or known), 403 without the
    secret, 400 for an unreadable update, 500 when handling failed (Zalo retries). With a
    ``batcher`` concurrent requests share a transaction."""
    expected = (
        settings.zalo_webhook_secret.get_secret_value() if settings.zalo_webhook_secret else None
    )

    async def endpoint(request: Request) -> Response:
        if not secret_ok(expected, request.headers.get(SECRET_HEADER)):
            return PlainTextResponse("forbidden", status_code=403)
        body = await _read_capped(request)
        if body is None:
            return PlainTextResponse("too large", status_code=413)
        try:
            data = json.loads(body)
            if not isinstance(data, dict):
                raise ZaloMalformedUpdate("update is not a JSON object")
            update = ZaloUpdate.from_api(data)
        except ValueError as exc:  # bad JSON, or ZaloMalformedUpdate
            log.warning("zalo webhook: unreadable update: %s", exc)
            return PlainTextResponse("bad update", status_code=400)
        outcome = await handle_update(engine, client, settings, update, batcher)
        if outcome is Outcome.FAILED:
            return PlainTextResponse("failed", status_code=500)
        return PlainTextResponse("ok")

    return Route(path, endpoint, methods=["POST"])


async def _read_capped(request: Request) -> bytes | None:
    """The request body, or None once it exceeds :data:`MAX_WEBHOOK_BODY` (not read further)."""
    declared = request.headers.get("content-length", "")
    if (size := small_int(declared, 12)) is not None and size > MAX_WEBHOOK_BODY:
        return None
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_WEBHOOK_BODY:
            return None
    return bytes(body)


async def set_webhook(client: ZaloClient, settings: Settings, url: str) -> ZaloWebhookInfo:
    """Point Zalo at ``url`` (HTTPS, ending in the webhook route's path) with our secret."""
    if settings.zalo_webhook_secret is None:
        raise ValueError("ZALO_WEBHOOK_SECRET is required for a webhook")
    if not url.startswith("https://"):
        raise ValueError("the Zalo webhook URL must be HTTPS")
    return await client.set_webhook(url, settings.zalo_webhook_secret.get_secret_value())


async def delete_webhook(client: ZaloClient) -> ZaloWebhookInfo:
    """Back to polling: Zalo delivers nothing to getUpdates while a webhook is set."""
    return await client.delete_webhook()
