"""``serve_web``: uvicorn inside the caller's loop, stopped by the caller's event."""

from __future__ import annotations

import asyncio
import socket
from pathlib import Path

import httpx
import pytest

from bot.channels.web.server import make_server, serve_web
from bot.context import open_context
from bot.core.engine import Engine
from bot.settings import load_settings


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def test_serve_web_until_stopped(tmp_path: Path) -> None:
    port = free_port()
    settings = load_settings(data_dir=tmp_path / "data", web_port=port, _env_file=None)
    ctx = await asyncio.to_thread(open_context, settings)
    stop = asyncio.Event()
    task = asyncio.create_task(serve_web(ctx, Engine(ctx), stop))
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
            for _ in range(100):
                try:
                    res = await client.get("/dashboard", follow_redirects=False)
                    break
                except httpx.ConnectError:
                    await asyncio.sleep(0.05)
            else:
                pytest.fail("the web server did not start")
        assert res.status_code == 200  # 127.0.0.1 by default: the playground, no login
    finally:
        stop.set()
        await asyncio.wait_for(task, timeout=10)
        ctx.close()
    assert task.exception() is None


@pytest.mark.parametrize(
    ("host", "local"), [("127.0.0.1", True), ("::1", True), ("0.0.0.0", False), ("10.0.0.5", False)]
)
def test_local_mode_exactly_on_loopback(tmp_path: Path, host: str, local: bool) -> None:
    settings = load_settings(data_dir=tmp_path / "data", web_host=host, _env_file=None)
    ctx = open_context(settings)
    try:
        server = make_server(ctx, Engine(ctx))  # configured, not started: nothing is bound
        assert server.config.host == host and server.config.port == 8080
        assert server.config.app.state.deps.local_mode is local
    finally:
        ctx.close()
