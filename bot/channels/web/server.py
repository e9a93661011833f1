"""Run the web channel with uvicorn inside the caller's event loop until ``stop`` is set."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Iterator

import uvicorn

from bot.channels.web.app import create_app, is_loopback
from bot.context import AppContext
from bot.core.engine import Engine

log = logging.getLogger(__name__)


class CallerSignalsServer(uvicorn.Server):
    """A uvicorn server that leaves SIGINT/SIGTERM to its caller (see :func:`serve_web`)."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        # The caller owns SIGINT/SIGTERM (they stop the bots too) and sets ``stop``;
        # uvicorn must neither take them over nor re-raise them after shutting down.
        yield


def make_server(ctx: AppContext, engine: Engine, *, port: int | None = None) -> uvicorn.Server:
    """A uvicorn server for WEB_HOST:WEB_PORT; local mode exactly when the host is loopback."""
    settings = ctx.settings
    local_mode = is_loopback(settings.web_host)
    app = create_app(ctx, engine, local_mode=local_mode)
    config = uvicorn.Config(
        app,
        host=settings.web_host,
        port=settings.web_port if port is None else port,
        log_level=settings.log_level.lower(),
        access_log=False,  # URLs carry member ids; the audit log records what matters
        lifespan="off",
        server_header=False,
    )
    return CallerSignalsServer(config)


async def serve_web(ctx: AppContext, engine: Engine, stop: asyncio.Event) -> None:
    """Serve until ``stop`` is set, then let requests in flight finish."""
    server = make_server(ctx, engine)
    mode = "local playground" if is_loopback(ctx.settings.web_host) else "office login required"
    log.info("web on http://%s:%s (%s)", ctx.settings.web_host, ctx.settings.web_port, mode)
    task = asyncio.create_task(server.serve())
    stopper = asyncio.create_task(stop.wait())
    done, _ = await asyncio.wait({task, stopper}, return_when=asyncio.FIRST_COMPLETED)
    if task in done:
        stopper.cancel()
        task.result()  # the server stopped by itself: a bind error, say — let it surface
        return
    server.should_exit = True
    with contextlib.suppress(asyncio.CancelledError):
        await task
