"""The web channel's Starlette app: the chat playground, the office dashboard, login.

Middleware, outermost first: security headers → Host check (playground) → signed-cookie
session → CSRF check on every POST → login gate (off loopback) → routes. The order matters: the CSRF check and the gate
both read the session.
"""

from __future__ import annotations

import ipaddress
import secrets

from starlette.applications import Starlette
from starlette.datastructures import Headers, MutableHeaders
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot.channels.web import chat, chat_files, dashboard, login, pages, province
from bot.channels.web.access import LoginGate
from bot.channels.web.csrf import CsrfGuard
from bot.channels.web.deps import STATIC, TEMPLATES, WebDeps
from bot.channels.web.errors import error_response, http_error, server_error
from bot.channels.web.session import CookieSigner, SignedCookieSessions
from bot.context import AppContext
from bot.core.engine import Engine

LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")
# Everything is served from here: no inline script, no CDN, no framing by other sites.
_SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; script-src 'self'; "
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
}


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        static = scope["path"].startswith("/static/") or scope["path"] == "/favicon.ico"

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in _SECURITY_HEADERS.items():
                    if name == "Cache-Control" and static:
                        continue  # scripts and styles may be cached; pages hold personal data
                    headers.setdefault(name, value)
            await send(message)

        await self.app(scope, receive, send_with_headers)


class LoopbackHostsOnly:
    """The playground answers only to the names in ``allowed`` (the Host header, port aside):
    a web page whose own hostname resolves to 127.0.0.1 (DNS rebinding) is refused, in
    Vietnamese."""

    def __init__(self, app: ASGIApp, allowed: set[str]) -> None:
        self.app = app
        self.allowed = {name.lower() for name in allowed}

    @staticmethod
    def host_name(host: str) -> str:
        """'127.0.0.1:8080' → '127.0.0.1'; '[::1]:8080' → '[::1]'."""
        host = host.strip().lower()
        if host.startswith("["):
            return host.split("]", 1)[0] + "]"
        return host.rsplit(":", 1)[0] if ":" in host else host

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket"):
            host = self.host_name(Headers(scope=scope).get("host", ""))
            if host not in self.allowed:
                await error_response(scope, "bad_host", 400)(scope, receive, send)
                return
        await self.app(scope, receive, send)


async def favicon(request: Request) -> Response:
    """Browsers ask for /favicon.ico whatever the page says; without it every page logs a 404."""
    return FileResponse(STATIC / "favicon.ico", media_type="image/x-icon")


def is_loopback(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 and 'localhost': only this machine can connect."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def session_key(ctx: AppContext) -> bytes:
    """WEB_SECRET_KEY, or a random key for this process (logins then end at restart)."""
    configured = ctx.settings.web_secret_key
    if configured is not None:
        return configured.get_secret_value().encode("utf-8")
    return secrets.token_bytes(32)


def create_app(ctx: AppContext, engine: Engine, *, local_mode: bool) -> Starlette:
    """The web app. ``local_mode``: served on loopback only — no login, talk as anyone."""
    key = session_key(ctx)
    templates = Jinja2Templates(directory=str(TEMPLATES))
    middleware = [Middleware(SecurityHeaders)]
    if local_mode:
        # The playground trusts whoever reaches it, so it must be reached by a loopback name:
        # a web page whose own hostname resolves to 127.0.0.1 (DNS rebinding) is refused.
        names = {*LOOPBACK_NAMES, ctx.settings.web_host.strip().lower()}  # e.g. 127.0.0.2
        middleware.append(Middleware(LoopbackHostsOnly, allowed=names))
    middleware += [
        Middleware(SignedCookieSessions, signer=CookieSigner(key)),
        Middleware(CsrfGuard),
        Middleware(
            LoginGate,
            db=ctx.engine,
            key=key,
            local_mode=local_mode,
            forbidden_page=pages.forbidden_page,
        ),
    ]
    routes = [
        *pages.ROUTES,
        *chat.ROUTES,
        *chat_files.ROUTES,
        *dashboard.ROUTES,
        *province.ROUTES,
        *login.ROUTES,
        Route("/favicon.ico", favicon, methods=["GET"]),
        Mount("/static", StaticFiles(directory=str(STATIC)), name="static"),
    ]
    app = Starlette(
        routes=routes,
        middleware=middleware,
        exception_handlers={HTTPException: http_error, Exception: server_error},
    )
    # The engine's clock, so pages and the events they send agree on "now" (tests move it).
    app.state.deps = WebDeps(
        ctx=ctx,
        engine=engine,
        templates=templates,
        local_mode=local_mode,
        key=key,
        clock=engine.clock,
    )
    return app
