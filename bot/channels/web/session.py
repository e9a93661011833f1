"""Signed cookie sessions: a small JSON dict in a cookie, signed with HMAC-SHA256.

Written here rather than taken from Starlette's ``SessionMiddleware`` to avoid a dependency
(itsdangerous) for thirty lines. The cookie holds no secret — only ids and the CSRF token —
but nobody can change it without the key (``WEB_SECRET_KEY``). It is HttpOnly and
SameSite=Lax, Secure when the page is served over HTTPS, and expires after ``max_age``.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import time
from typing import Any

from starlette.datastructures import MutableHeaders
from starlette.requests import HTTPConnection
from starlette.types import ASGIApp, Message, Receive, Scope, Send

COOKIE_NAME = "tinbao_session"
MAX_AGE = 12 * 3600  # one working day; then log in again


def _b64encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _b64decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class CookieSigner:
    """Turns a dict into a signed, timestamped cookie value and back."""

    def __init__(self, key: bytes, max_age: int = MAX_AGE) -> None:
        self._key = key
        self.max_age = max_age

    def _sign(self, body: str) -> str:
        return _b64encode(hmac.new(self._key, body.encode("ascii"), hashlib.sha256).digest())

    def dumps(self, data: dict[str, Any], now: float | None = None) -> str:
        stamped = {"d": data, "t": int(now if now is not None else time.time())}
        body = _b64encode(json.dumps(stamped, separators=(",", ":")).encode("utf-8"))
        return f"{body}.{self._sign(body)}"

    def loads(self, value: str | None, now: float | None = None) -> dict[str, Any]:
        """The session in ``value``; empty when missing, tampered with or expired."""
        if not value or value.count(".") != 1:
            return {}
        body, signature = value.split(".")
        try:
            if not hmac.compare_digest(self._sign(body), signature):
                return {}
            stamped = json.loads(_b64decode(body))
        except (ValueError, binascii.Error, UnicodeError):
            return {}
        issued, data = stamped.get("t"), stamped.get("d")
        if not isinstance(issued, int) or not isinstance(data, dict):
            return {}
        if (now if now is not None else time.time()) - issued > self.max_age:
            return {}
        return data


class SignedCookieSessions:
    """ASGI middleware: ``scope["session"]`` (what ``request.session`` reads) from the cookie.

    The cookie is rewritten on every response while the session holds anything (so an active
    user's expiry keeps moving) and deleted when the session was emptied (logout).
    """

    def __init__(self, app: ASGIApp, signer: CookieSigner) -> None:
        self.app = app
        self.signer = signer

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        connection = HTTPConnection(scope)
        had_cookie = COOKIE_NAME in connection.cookies
        scope["session"] = self.signer.loads(connection.cookies.get(COOKIE_NAME))
        secure = "; Secure" if scope.get("scheme") == "https" else ""

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                session: dict[str, Any] = scope["session"]
                if session:
                    value = self.signer.dumps(session)
                    headers.append(
                        "Set-Cookie",
                        f"{COOKIE_NAME}={value}; Path=/; Max-Age={self.signer.max_age}; "
                        f"HttpOnly; SameSite=Lax{secure}",
                    )
                elif had_cookie:
                    headers.append(
                        "Set-Cookie",
                        f"{COOKIE_NAME}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax{secure}",
                    )
            await send(message)

        await self.app(scope, receive, send_with_cookie)
