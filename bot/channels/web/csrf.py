"""CSRF protection for every POST: a per-session token, sent back in a header or form field.

Pages put the token in a hidden ``csrf`` field (plain forms) and in a ``<meta>`` tag the
scripts copy into the ``X-CSRF-Token`` header (fetch calls, uploads). Enforced in one
middleware, before any route runs, so a new POST route cannot forget it. The playground on
127.0.0.1 is protected too: any web page a user visits could otherwise post to it.
"""

from __future__ import annotations

import hmac
import secrets
from typing import Any
from urllib.parse import parse_qs

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot.channels.web.errors import error_response

HEADER = "x-csrf-token"
FIELD = "csrf"
_SESSION_KEY = "csrf"
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_MAX_FORM_BYTES = 64 * 1024  # plain forms here are a few fields; uploads use the header


def csrf_token(session: dict[str, Any]) -> str:
    """This session's token, created on first use."""
    token = session.get(_SESSION_KEY)
    if not isinstance(token, str) or not token:
        token = secrets.token_urlsafe(32)
        session[_SESSION_KEY] = token
    return token


def rotate(session: dict[str, Any]) -> None:
    """Forget everything and issue a new token (at login and logout: no session fixation)."""
    session.clear()
    csrf_token(session)


def _matches(expected: object, given: str | None) -> bool:
    if not isinstance(expected, str) or not expected or not given:
        return False
    return hmac.compare_digest(expected.encode(), given.encode())


class CsrfGuard:
    """Refuses (403) any unsafe request whose token does not match the session's."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in _SAFE_METHODS:
            await self.app(scope, receive, send)
            return
        expected = scope.get("session", {}).get(_SESSION_KEY)
        headers = Headers(scope=scope)
        given = headers.get(HEADER)
        if given is None and headers.get("content-type", "").startswith(
            "application/x-www-form-urlencoded"
        ):
            body, receive = await _buffer(receive)
            if body is None:
                await error_response(scope, "too_large", 413)(scope, receive, send)
                return
            fields = parse_qs(body.decode("latin-1"), max_num_fields=100)
            values = fields.get(FIELD)
            given = values[0] if values else None
        if not _matches(expected, given):
            await error_response(scope, "csrf", 403)(scope, receive, send)
            return
        await self.app(scope, receive, send)


async def _buffer(receive: Receive) -> tuple[bytes | None, Receive]:
    """Read a small request body, and a ``receive`` that hands it to the route again."""
    chunks: list[bytes] = []
    size = 0
    more = True
    while more:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > _MAX_FORM_BYTES:
            return None, receive
        chunks.append(chunk)
        more = message.get("more_body", False)
    body = b"".join(chunks)
    replayed = False

    async def replay() -> Message:
        nonlocal replayed
        if not replayed:
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return body, replay
