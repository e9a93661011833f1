"""Login and logout for office accounts (only used when served beyond loopback).

A failed login says only "wrong username or password", whichever was wrong, and takes as
long either way. Attempts are rate-limited per username and per client address in the
database (shared by every worker, kept across restarts).
"""

from __future__ import annotations

import asyncio
from datetime import timedelta
from enum import StrEnum

from sqlmodel import select
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from bot.channels.web.access import may_open_dashboard, start_session, viewer
from bot.channels.web.csrf import rotate
from bot.channels.web.deps import WebDeps, deps, page
from bot.channels.web.passwords import burn_time, verify_password
from storage.db import transaction
from storage.models import AuditLog, Member, WebAccount
from storage.ratelimit import allow

ATTEMPTS = 10
WINDOW = timedelta(minutes=15)
MAX_FIELD = 200


class LoginResult(StrEnum):
    OK = "ok"
    WRONG = "wrong"  # unknown user or wrong password: the page does not say which
    NOT_ALLOWED = "not_allowed"  # right password, but not an office account (any more)
    THROTTLED = "throttled"


def safe_next(target: str | None) -> str:
    """Only a path on this site (no '//host' or 'http://…' open redirect)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/dashboard"
    return target


def check_login(
    d: WebDeps, username: str, password: str, client: str
) -> tuple[LoginResult, WebAccount | None]:
    now = d.clock()
    with transaction(d.ctx.engine) as session:
        user_ok = allow(session, f"web-login:user:{username.lower()}", ATTEMPTS, WINDOW, now)
        client_ok = allow(session, f"web-login:ip:{client}", ATTEMPTS * 3, WINDOW, now)
        if not (user_ok and client_ok):
            return LoginResult.THROTTLED, None
        account = session.exec(select(WebAccount).where(WebAccount.username == username)).first()
        if account is None:
            burn_time(password)
            return LoginResult.WRONG, None
        if not verify_password(password, account.password_hash):
            return LoginResult.WRONG, None
        member = session.get(Member, account.member_id)
        if member is None or not may_open_dashboard(member):
            return LoginResult.NOT_ALLOWED, None
        session.add(
            AuditLog(member_id=member.id, actor=f"web:{account.username}", action="web.login")
        )
        return LoginResult.OK, account


async def login_form(request: Request) -> Response:
    if deps(request).local_mode or viewer(request).logged_in:
        return RedirectResponse(safe_next(request.query_params.get("next")), status_code=303)
    return page(request, "login.html", next=safe_next(request.query_params.get("next")))


async def login(request: Request) -> Response:
    d = deps(request)
    async with request.form(max_files=0, max_fields=10) as form:
        username = str(form.get("username") or "").strip().lower()[:MAX_FIELD]
        password = str(form.get("password") or "")[:MAX_FIELD]
        target = safe_next(str(form.get("next") or ""))
    if d.local_mode:
        return RedirectResponse(target, status_code=303)
    client = request.client.host if request.client else "?"
    result, account = await asyncio.to_thread(check_login, d, username, password, client)
    if result is not LoginResult.OK or account is None:
        status = 429 if result is LoginResult.THROTTLED else 403
        return page(
            request, "login.html", status, next=target, error=result.value, username=username
        )
    rotate(request.session)  # a new session (and CSRF token) at login: no fixation
    start_session(request.session, d.key, account)
    return RedirectResponse(target, status_code=303)


async def logout(request: Request) -> Response:
    rotate(request.session)
    return RedirectResponse("/login", status_code=303)


ROUTES = [
    Route("/login", login_form, methods=["GET"]),
    Route("/login", login, methods=["POST"]),
    Route("/logout", logout, methods=["POST"]),
]
