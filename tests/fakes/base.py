"""What the Telegram and Zalo fakes share: call log, fault injection, limits, long-poll waits.

Threading model: uvicorn runs the fake's handlers on its own event loop in its own thread,
while the test reads and changes the fake from the main thread (and its own event loop, for
async tests). Every piece of state is therefore guarded by one ``RLock``; handlers hold it
only for short synchronous sections, never across an ``await``. Long polls sleep on
:class:`Wakeup`, which another thread can wake safely.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import json
import threading
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Literal, NamedTuple, Self, TypeVar

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp

from .limits import Limits, RateLimiter
from .server import FakeServer, drop_connection

__all__ = ["ApiError", "Call", "FakeBotApi", "Fault", "FaultKind", "Wakeup", "json_response", "ok"]

T = TypeVar("T")
JSON = dict[str, Any]

FaultKind = int | Literal["drop", "drop_after", "hang"]
"""An HTTP error status (answered with the API's error envelope), or a transport fault:
``drop`` closes the connection before the method runs, ``drop_after`` runs the method and then
closes the connection (the effect happened but the client cannot know — the case that needs
idempotent senders), ``hang`` never answers (until the client times out or the fake stops)."""

_HANG_LIMIT = 60.0


class ApiError(Exception):
    """Raised by a method handler to answer with the API's error envelope."""

    def __init__(
        self, code: int, description: str | None = None, retry_after: float | None = None
    ) -> None:
        super().__init__(description or str(code))
        self.code = code
        self.description = description
        self.retry_after = retry_after


class Call(NamedTuple):
    """One API call as the fake understood it: ``("sendMessage", {"chat_id": 1, ...})``."""

    method: str
    params: JSON


@dataclass
class Fault:
    method: str  # exact method name, or "*" for any
    remaining: int
    kind: FaultKind
    retry_after: float | None
    description: str | None


class Wakeup:
    """Lets handlers on the server's loop sleep until another thread changes the state.

    A waiter is armed *before* it checks the state, so a change made between the check and
    the sleep still wakes it (no lost wake-ups). :meth:`close` ends every wait for good, so a
    stopping server never waits for a long poll to time out.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._waiters: list[tuple[asyncio.AbstractEventLoop, asyncio.Future[None]]] = []
        self._closed = False

    def open(self) -> None:
        with self._lock:
            self._closed = False

    def close(self) -> None:
        with self._lock:
            self._closed = True
        self.notify_all()

    def notify_all(self) -> None:
        with self._lock:
            waiters, self._waiters = self._waiters, []
        for loop, future in waiters:
            with contextlib.suppress(RuntimeError):  # that loop is already closed
                loop.call_soon_threadsafe(_resolve, future)

    async def wait_for(self, ready: Callable[[], T | None], timeout: float) -> T | None:
        """Return ``ready()``'s first non-None value, or None after ``timeout`` or on close."""
        loop = asyncio.get_running_loop()
        deadline = time.monotonic() + timeout
        while True:
            future: asyncio.Future[None] = loop.create_future()
            with self._lock:
                closed = self._closed
                self._waiters.append((loop, future))
            try:
                value = ready()
                remaining = deadline - time.monotonic()
                if value is not None or remaining <= 0 or closed:
                    return value
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(future, remaining)
            finally:
                with self._lock, contextlib.suppress(ValueError):
                    self._waiters.remove((loop, future))


def _resolve(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)


class FakeBotApi(FakeServer):
    """Base of :class:`FakeTelegram` and :class:`FakeZalo`: what both offer a test.

    Read: :attr:`calls`, :meth:`calls_to`, :attr:`count_429`. Misbehave: :meth:`fail_next`,
    :meth:`set_unreachable`, :attr:`enforce_limits` / :meth:`set_limits`. Between tests:
    :meth:`reset`. Handlers answer errors by raising :class:`ApiError`.
    """

    def __init__(
        self,
        *,
        name: str,
        app_factory: Callable[[], ASGIApp],
        limits: Limits,
        enforce_limits: bool,
        max_poll_timeout: float,
    ) -> None:
        self._lock = threading.RLock()
        self._wakeup = Wakeup()
        self._default_limits = (limits, enforce_limits, max_poll_timeout)
        self._calls: list[Call] = []
        self._faults: list[Fault] = []
        self._unreachable = False
        self._generation = 0
        self._count_429 = 0
        self._limiter = RateLimiter(limits)
        self._enforce_limits = enforce_limits
        self.max_poll_timeout = max_poll_timeout
        """Cap on any long poll, in seconds (settable; ``reset()`` restores the default)."""
        self.errors_as_http_200 = False
        """Answer errors with HTTP 200 + ``ok: false`` (for APIs that may do so)."""
        super().__init__(app_factory(), name=name)

    # --- what tests read ------------------------------------------------------------------

    @property
    def calls(self) -> list[Call]:
        """Every call that reached a known method with a valid token, oldest first (a copy)."""
        with self._lock:
            return copy.deepcopy(self._calls)

    def calls_to(self, method: str) -> list[JSON]:
        """The params of every call to ``method``."""
        return [call.params for call in self.calls if call.method == method]

    def count_calls(self, *methods: str) -> int:
        """How many calls reached any of ``methods`` (cheap: nothing is copied)."""
        with self._lock:
            return sum(1 for call in self._calls if call.method in methods)

    @property
    def count_429(self) -> int:
        """How many 429 answers were given (rate limits and injected ones)."""
        with self._lock:
            return self._count_429

    # --- what tests change ----------------------------------------------------------------

    def fail_next(
        self,
        method: str,
        n: int = 1,
        status: FaultKind = 500,
        *,
        retry_after: float | None = None,
        description: str | None = None,
    ) -> None:
        """Make the next ``n`` calls of ``method`` (``"*"``: any method) fail with ``status``.

        For 429, ``retry_after`` goes into ``parameters.retry_after`` (Telegram defaults it to 1).
        """
        with self._lock:
            self._faults.append(Fault(method, n, status, retry_after, description))

    def set_unreachable(self, unreachable: bool = True) -> None:
        """While set, every request's connection is closed without an answer."""
        with self._lock:
            self._unreachable = unreachable

    @property
    def enforce_limits(self) -> bool:
        with self._lock:
            return self._enforce_limits

    @enforce_limits.setter
    def enforce_limits(self, value: bool) -> None:
        with self._lock:
            self._enforce_limits = value

    def set_limits(self, limits: Limits, *, enforce: bool = True) -> None:
        """Replace the rate limits (fresh buckets) and switch enforcement."""
        with self._lock:
            self._limiter = RateLimiter(limits)
            self._enforce_limits = enforce

    def reset(self) -> None:
        """Forget everything a test did: calls, faults, updates, messages, files, settings."""
        with self._lock:
            limits, enforce, poll = self._default_limits
            self._calls.clear()
            self._faults.clear()
            self._unreachable = False
            self._count_429 = 0
            self._limiter = RateLimiter(limits)
            self._enforce_limits = enforce
            self.max_poll_timeout = poll
            self._generation += 1
            self._reset_state()
        self._wakeup.notify_all()

    # --- for subclasses -------------------------------------------------------------------

    def _reset_state(self) -> None:
        """Clear the subclass's own state; called with the lock held."""

    def _too_many_description(self, retry_after: float | None) -> str:
        return "Too Many Requests"

    def _error(
        self, code: int, description: str | None = None, retry_after: float | None = None
    ) -> Response:
        """The API's error envelope; ``retry_after`` becomes ``parameters.retry_after``."""
        if code == 429:
            description = description or self._too_many_description(retry_after)
            with self._lock:
                self._count_429 += 1
        body: JSON = {
            "ok": False,
            "error_code": code,
            "description": description or _DESCRIPTIONS.get(code, "Error"),
        }
        if retry_after is not None:
            body["parameters"] = {"retry_after": retry_after}
        return json_response(body, 200 if self.errors_as_http_200 else code)

    def _before_stop(self) -> None:
        self._wakeup.close()

    def start(self) -> Self:
        self._wakeup.open()
        return super().start()

    def _notify(self) -> None:
        """Wake long polls after a change (call without holding the lock)."""
        self._wakeup.notify_all()

    async def _wait(self, ready: Callable[[], T | None], timeout: float) -> T | None:
        """Long-poll helper: ``timeout`` is capped at :attr:`max_poll_timeout`; stop wakes it."""
        return await self._wakeup.wait_for(ready, min(timeout, self.max_poll_timeout))

    def _check_rate(self, chat_id: object, *, group: bool) -> None:
        """Raise a 429 when limits are on and this chat (or the bot) is sending too fast."""
        with self._lock:
            if not self._enforce_limits:
                return
            wait = self._limiter.acquire(str(chat_id), group=group)
        if wait:
            raise ApiError(429, retry_after=wait)

    async def _serve_call(
        self,
        request: Request,
        method: str,
        params: JSON,
        handler: Callable[[JSON], Awaitable[Response]],
    ) -> Response:
        """Record the call, apply an injected fault if one is due, else run ``handler``."""
        with self._lock:
            self._calls.append(Call(method, copy.deepcopy(params)))
            fault = self._take_fault(method)
        if fault is not None:
            if fault.kind == "drop":
                drop_connection(request)
                return Response()
            if fault.kind == "hang":
                generation = self._generation  # reset() or stop() releases it
                await self._wakeup.wait_for(
                    lambda: True if self._generation != generation else None, _HANG_LIMIT
                )
                drop_connection(request)
                return Response()
            if isinstance(fault.kind, int):
                return self._error(fault.kind, fault.description, self._retry_after(fault))
        try:
            response = await handler(params)
        except ApiError as exc:
            response = self._error(exc.code, exc.description, exc.retry_after)
        if fault is not None and fault.kind == "drop_after":
            drop_connection(request)
        return response

    def _retry_after(self, fault: Fault) -> float | None:
        """``parameters.retry_after`` for an injected fault (Telegram always sends one on 429)."""
        return fault.retry_after

    def _unreachable_now(self, request: Request) -> bool:
        with self._lock:
            unreachable = self._unreachable
        if unreachable:
            drop_connection(request)
        return unreachable

    def _take_fault(self, method: str) -> Fault | None:
        for fault in self._faults:
            if fault.remaining > 0 and fault.method in (method, "*"):
                fault.remaining -= 1
                if fault.remaining == 0:
                    self._faults.remove(fault)
                return fault
        return None


_DESCRIPTIONS = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    408: "Request timeout",
    409: "Conflict",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
}


def ok(result: Any) -> Response:
    """The success envelope shared by both APIs."""
    return json_response({"ok": True, "result": result})


def json_response(body: Any, status: int = 200) -> Response:
    """Compact UTF-8 JSON, as the real APIs send it."""
    text = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
    return Response(text, status_code=status, media_type="application/json")
