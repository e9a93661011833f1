"""Run an ASGI app on 127.0.0.1 in a background thread, for tests and benchmarks.

Why real sockets and a thread rather than ``httpx.ASGITransport``: the code under test
(python-telegram-bot, :class:`bot.channels.zalo_client.ZaloClient`) must exercise its real
transport — connection pools, timeouts, long polls, a connection that dies mid-request — and
an in-process transport skips all of that. A thread (not a subprocess) keeps the fake's state
readable from the test and lets sync and async tests use the same object.

The server binds port 0 itself and hands the socket to uvicorn, so the port is known before
uvicorn starts and two fakes never race for the same port.

Stopping costs about 0.1–0.2 s (uvicorn's tick and shutdown grace sleeps); the pytest
fixtures therefore share one server per session and ``reset()`` it between tests.
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from types import TracebackType
from typing import Self

import uvicorn
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["FakeServer", "drop_connection"]

_DROP_KEY = "tinbao.fake.drop"


def drop_connection(request: Request) -> None:
    """Make the server close this request's connection instead of answering it.

    The endpoint still returns a response (Starlette needs one); :class:`_Dropper` swallows it
    and closes the socket, so the client sees a transport error (httpx ``RemoteProtocolError``
    "Server disconnected without sending a response"), as with a reset proxy or a dead link.
    """
    flag = request.scope.get(_DROP_KEY)
    if isinstance(flag, list):
        flag.append(True)


class _Dropper:
    """Outermost ASGI layer: the only place that sees uvicorn's own ``send``.

    Raising from the endpoint would not work: Starlette turns any exception into a 500 answer
    before uvicorn sees it. So the endpoint marks the request (:func:`drop_connection`) and this
    layer, on the response start, closes the transport behind that ``send``. uvicorn keeps no
    public handle to the transport; if its internals change we fall back to a truncated answer
    (headers promising a body that never comes), which the client reports the same way.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        flag: list[bool] = []
        scope[_DROP_KEY] = flag

        async def guarded_send(message: Message) -> None:
            if not flag:
                await send(message)
                return
            if message["type"] != "http.response.start":
                return
            transport = getattr(getattr(send, "__self__", None), "transport", None)
            if isinstance(transport, asyncio.Transport):
                transport.close()
                # Let connection_lost run so uvicorn knows the client is gone and does not
                # try to answer a 500 on the closed socket.
                await asyncio.sleep(0)
                return
            await send(  # pragma: no cover - fallback for a future uvicorn
                {
                    "type": "http.response.start",
                    "status": 200,
                    "headers": [(b"content-length", b"1")],
                }
            )

        await self.app(scope, receive, guarded_send)


class FakeServer:
    """An ASGI app served by uvicorn on ``127.0.0.1:<free port>`` in a daemon thread.

    Use ``with``/``async with`` or :meth:`start`/:meth:`stop`. Subclasses override
    :meth:`_before_stop` to release requests that are waiting (long polls), so that stopping
    never waits for a poll timeout.
    """

    def __init__(self, app: ASGIApp, *, name: str = "fake-server") -> None:
        self._app = _Dropper(app)
        self._name = name
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._port: int | None = None

    # --- lifecycle ------------------------------------------------------------------------

    def start(self) -> Self:
        """Start serving; returns once the socket accepts connections."""
        if self._thread is not None:
            raise RuntimeError(f"{self._name} is already running")
        # IPPROTO_TCP, not the default 0: asyncio sets TCP_NODELAY on accepted connections
        # only when the proto says TCP; without it Nagle + delayed ACK add ~40 ms per request.
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", 0))
        self._port = int(sock.getsockname()[1])
        config = uvicorn.Config(
            self._app,
            http="h11",
            ws="none",
            lifespan="off",
            loop="asyncio",
            log_config=None,  # never touch the test process's logging configuration
            log_level=None,
            access_log=False,
            timeout_graceful_shutdown=2,
        )
        server = uvicorn.Server(config)
        thread = threading.Thread(
            target=server.run, kwargs={"sockets": [sock]}, name=self._name, daemon=True
        )
        self._server, self._thread = server, thread
        thread.start()
        deadline = time.monotonic() + 10
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                self._server = self._thread = None
                sock.close()
                raise RuntimeError(f"{self._name} did not start")
            time.sleep(0.002)
        return self

    def stop(self) -> None:
        """Stop serving and wait for the thread; safe to call twice."""
        server, thread = self._server, self._thread
        if server is None or thread is None:
            return
        self._before_stop()
        server.should_exit = True
        thread.join(timeout=10)
        self._server = self._thread = None

    def _before_stop(self) -> None:
        """Hook: wake requests that would otherwise keep the server from shutting down."""

    @property
    def running(self) -> bool:
        return self._thread is not None

    @property
    def port(self) -> int:
        if self._port is None or not self.running:
            raise RuntimeError(f"{self._name} is not running; call start() first")
        return self._port

    @property
    def url(self) -> str:
        """Root URL without a trailing slash, e.g. ``http://127.0.0.1:41234``."""
        return f"http://127.0.0.1:{self.port}"

    # --- context managers -----------------------------------------------------------------

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    async def __aenter__(self) -> Self:
        return await asyncio.to_thread(self.start)

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await asyncio.to_thread(self.stop)
