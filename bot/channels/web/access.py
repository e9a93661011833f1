"""Who is asking: the local playground's owner, or a logged-in office account.

On a loopback address (local mode) the person at the keyboard owns the machine and the
database, so nobody logs in and the playground may talk as anyone. Anywhere else every page
but ``/login`` needs an office account (office staff, leader, admin), checked again on each
request against the roster: a member made inactive or given other roles loses access at
once, and a password change ends the sessions opened with the old one.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from sqlalchemy import Engine
from sqlmodel import Session
from starlette.requests import HTTPConnection
from starlette.responses import RedirectResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send

from bot.channels.web.errors import error_response
from storage.enums import PROVINCE_ROLES, Role
from storage.models import Member, Unit, WebAccount
from storage.scope import Reach, reach_of

DASHBOARD_ROLES = frozenset(
    {Role.OFFICE_STAFF.value, Role.LEADER.value, Role.ADMIN.value, *PROVINCE_ROLES}
)
PUBLIC_PREFIXES = ("/login", "/static/", "/favicon.ico")
_SCOPE_KEY = "tinbao.viewer"


@dataclass(frozen=True)
class Viewer:
    local: bool
    member_id: int | None = None
    username: str | None = None
    full_name: str = ""
    #: Communes this viewer may see: the playground's owner sees all; an account its own
    #: commune (a province account: every commune), from the roster on each request.
    reach: Reach = field(default_factory=Reach.everywhere)

    @property
    def logged_in(self) -> bool:
        return self.member_id is not None

    def may_act_as(self, member_id: int) -> bool:
        """Only the playground talks as anyone; an account acts as its own member."""
        return self.local or self.member_id == member_id


def viewer(conn: HTTPConnection) -> Viewer:
    found = conn.scope.get(_SCOPE_KEY)
    assert isinstance(found, Viewer), "LoginGate must be installed"
    return found


def may_open_dashboard(member: Member) -> bool:
    return member.active and bool(DASHBOARD_ROLES & set(member.roles))


def fingerprint(key: bytes, password_hash: str) -> str:
    """Ties a session to the password it was opened with, without putting the hash in it."""
    return hmac.new(key, password_hash.encode(), hashlib.sha256).hexdigest()[:32]


def start_session(session: dict[str, Any], key: bytes, account: WebAccount) -> None:
    session["account_id"] = account.id
    session["pw"] = fingerprint(key, account.password_hash)


def _load(db: Engine, key: bytes, session: dict[str, Any]) -> Viewer | bool | None:
    """The logged-in viewer; None when nobody is; False when the session lost its rights."""
    account_id = session.get("account_id")
    if not isinstance(account_id, int):
        return None
    with Session(db) as s:
        account = s.get(WebAccount, account_id)
        member = s.get(Member, account.member_id) if account is not None else None
        if account is None or member is None:
            return False
        if not hmac.compare_digest(
            str(session.get("pw", "")), fingerprint(key, account.password_hash)
        ):
            return False
        unit = s.get(Unit, member.unit_id)
        if unit is None or not may_open_dashboard(member):
            return False
        return Viewer(False, member.id, account.username, member.full_name, reach_of(member, unit))


class LoginGate:
    """ASGI middleware: puts the :class:`Viewer` in the scope; off loopback, demands a login."""

    def __init__(
        self,
        app: ASGIApp,
        db: Engine,
        key: bytes,
        *,
        local_mode: bool,
        forbidden_page: Callable[[Scope], Response],
    ) -> None:
        self.app = app
        self.db = db
        self.key = key
        self.local_mode = local_mode
        self.forbidden_page = forbidden_page

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if self.local_mode:
            scope[_SCOPE_KEY] = Viewer(local=True)
            await self.app(scope, receive, send)
            return
        session: dict[str, Any] = scope["session"]
        found = await asyncio.to_thread(_load, self.db, self.key, session)
        if isinstance(found, Viewer):
            scope[_SCOPE_KEY] = found
            await self.app(scope, receive, send)
            return
        scope[_SCOPE_KEY] = Viewer(local=False)
        path: str = scope["path"]
        if found is False:
            session.clear()  # roles changed, account gone or password changed: log out
            if not path.startswith(PUBLIC_PREFIXES):
                await self._refuse(scope, 403)(scope, receive, send)
                return
        if path.startswith(PUBLIC_PREFIXES):
            await self.app(scope, receive, send)
            return
        await self._refuse(scope, 401)(scope, receive, send)

    def _refuse(self, scope: Scope, status: int) -> Response:
        """Pages go to the login form (and back afterwards) or say no; the API gets JSON."""
        path: str = scope["path"]
        page = scope["method"] == "GET" and not path.startswith("/api/")
        if page and status == 401:
            query = scope.get("query_string", b"").decode("latin-1")
            target = f"{path}?{query}" if query else path
            return RedirectResponse(f"/login?next={quote(target, safe='/')}", status_code=303)
        if page:
            return self.forbidden_page(scope)
        return error_response(scope, "login_required" if status == 401 else "forbidden", status)
