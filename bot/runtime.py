"""The main job (``tinbao run``): every configured channel, the outbox sender, the scheduler
and the web dashboard, in one asyncio process.

With no bot token the web playground runs alone. On an installation that has set up its
communes it shows their real roster; on a fresh one it runs on the invented sample commune in
a database of its own (``<DATA_DIR>/playground``), so trying Tin Báo out never mixes
invented people into the data a real commune sets up later.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Awaitable

import uvicorn
from sqlmodel import Session, select
from starlette.applications import Starlette
from starlette.routing import Route

from bot.channels import telegram_channel, zalo_channel
from bot.channels.batcher import Batcher
from bot.channels.telegram_sender import TelegramSender
from bot.channels.web.server import CallerSignalsServer, serve_web
from bot.channels.zalo_sender import ZaloSender
from bot.context import AppContext
from bot.core.engine import Engine
from bot.outbox.protocol import ChannelSender
from bot.outbox.sender import OutboxSender
from bot.scheduler.runner import SchedulerRunner
from bot.settings import Settings
from storage.db import transaction
from storage.models import Commune
from storage.sample import seed_sample

log = logging.getLogger(__name__)
PLAYGROUND_DIR = "playground"


def has_communes(ctx: AppContext) -> bool:
    with Session(ctx.engine) as session:
        return session.exec(select(Commune.id)).first() is not None


def playground_settings(settings: Settings) -> Settings:
    """Settings for the sample playground: the same, with a data folder of its own (SQLite)."""
    return settings.model_copy(
        update={"data_dir": settings.data_dir / PLAYGROUND_DIR, "database_url": ""}
    )


def seed_if_empty(ctx: AppContext) -> bool:
    """Give the playground the sample Tây Trà commune when the database has no commune."""
    with Session(ctx.engine) as session:
        if session.exec(select(Commune)).first() is not None:
            return False
    with transaction(ctx.engine) as session:
        seed_sample(session, with_history=ctx.settings)
    return True


def configured_channels(ctx: AppContext) -> list[str]:
    settings = ctx.settings
    names = []
    if settings.telegram_bot_token is not None:
        names.append("telegram")
    if settings.zalo_bot_token is not None:
        names.append("zalo")
    return names


async def run(ctx: AppContext, stop: asyncio.Event | None = None) -> None:
    """Run until SIGINT/SIGTERM (or ``stop``)."""
    settings = ctx.settings
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)

    senders: dict[str, ChannelSender] = {}
    sender_ref: list[OutboxSender] = []
    engine = Engine(ctx, on_enqueued=lambda: sender_ref[0].wake() if sender_ref else None)
    batcher = Batcher(engine)  # concurrent webhook requests share one commit
    tasks: list[Awaitable[None]] = []
    webhook_routes: list[Route] = []
    closers: list[Awaitable[None]] = []

    if settings.telegram_bot_token is not None:
        bot = telegram_channel.make_bot(settings)
        await bot.initialize()
        closers.append(bot.shutdown())
        senders["telegram"] = TelegramSender(bot)
        if settings.telegram_webhook_url:
            await telegram_channel.set_webhook(bot, settings)
            webhook_routes.append(
                telegram_channel.telegram_webhook_route(engine, bot, settings, batcher)
            )
        else:
            tasks.append(telegram_channel.poll(engine, bot, stop))
    if settings.zalo_bot_token is not None:
        client = zalo_channel.make_client(settings)
        closers.append(client.aclose())
        senders["zalo"] = ZaloSender(client)
        if settings.zalo_webhook_url:
            await zalo_channel.set_webhook(client, settings, settings.zalo_webhook_url)
            webhook_routes.append(
                zalo_channel.zalo_webhook_route(engine, client, settings, batcher=batcher)
            )
        else:
            tasks.append(zalo_channel.poll(engine, client, settings, stop))
    if not senders and seed_if_empty(ctx):
        log.info("no bot token: seeded the sample commune Xã Tây Trà for the playground")

    sender = OutboxSender(ctx.engine, senders, settings)
    sender_ref.append(sender)
    tasks.append(sender.run_forever(stop))
    tasks.append(serve_web(ctx, engine, stop))
    if webhook_routes:
        tasks.append(_serve_webhooks(ctx, webhook_routes, stop))
    scheduler = SchedulerRunner(ctx.engine, settings, on_enqueued=sender.wake, forms=engine.forms)
    scheduler.start()
    try:
        await asyncio.gather(*tasks)
    finally:
        stop.set()
        await scheduler.shutdown()
        for close in closers:
            with contextlib.suppress(Exception):
                await close


async def _serve_webhooks(ctx: AppContext, routes: list[Route], stop: asyncio.Event) -> None:
    settings = ctx.settings
    config = uvicorn.Config(
        Starlette(routes=routes),
        host=settings.webhook_host,
        port=settings.webhook_port,
        log_level=settings.log_level.lower(),
        access_log=False,
        lifespan="off",
    )
    server = CallerSignalsServer(config)  # SIGINT/SIGTERM belong to run(), which sets stop
    task = asyncio.create_task(server.serve())
    await stop.wait()
    server.should_exit = True
    await task
