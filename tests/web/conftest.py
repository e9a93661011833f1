"""Web channel fixtures: the sample commune, an engine on a fixed clock, and HTTP clients.

The clock is 09:00 on 10/09/2025 in Hà Nội (inside the sample directives' windows), the same
as the engine tests, so flows from :mod:`tests.engine.flows` answer the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime

import pytest
from sqlmodel import Session, col, select

from bot.channels.web import create_app
from bot.channels.web.accounts import save_account
from bot.context import AppContext
from bot.core.engine import Engine
from storage.db import transaction
from storage.models import Member, Unit
from storage.sample import seed_sample
from tests.engine.harness import Clock
from tests.web.client import TestClient, WebClient

PASSWORD = "mat-khau-thu-nghiem"


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime(2025, 9, 10, 2, 0, tzinfo=UTC))


@pytest.fixture
def web_ctx(app_ctx: AppContext) -> AppContext:
    """The sample Tây Trà roster and directives, on SQLite and PostgreSQL."""
    with transaction(app_ctx.engine) as s:
        seed_sample(s)
    return app_ctx


@pytest.fixture
def make_client(web_ctx: AppContext, clock: Clock) -> Iterator[Callable[..., WebClient]]:
    """``make_client(local_mode=…)``: a fresh browser on a fresh app over the same data."""
    opened: list[TestClient] = []

    def build(*, local_mode: bool) -> WebClient:
        app = create_app(web_ctx, Engine(web_ctx, clock=clock), local_mode=local_mode)
        # The playground only answers to loopback names (see create_app).
        http = TestClient(app, base_url="http://127.0.0.1:8080")
        opened.append(http)
        return WebClient(http)

    yield build
    for http in opened:
        http.close()


@pytest.fixture
def local(make_client: Callable[..., WebClient]) -> WebClient:
    """The playground on 127.0.0.1: no login, talk as anyone."""
    client = make_client(local_mode=True)
    client.open("/")
    return client


def member(ctx: AppContext, role: str, unit_kind: str | None = None, index: int = 0) -> Member:
    with Session(ctx.engine) as s:
        rows = s.exec(select(Member, Unit).join(Unit, col(Unit.id) == col(Member.unit_id))).all()
    found = [m for m, u in rows if role in m.roles and unit_kind in (None, u.kind)]
    return sorted(found, key=lambda m: m.id or 0)[index]


def add_account(ctx: AppContext, person: Member, username: str) -> None:
    with transaction(ctx.engine) as s:
        save_account(s, person.phone, username, PASSWORD, actor="test")


def login(client: WebClient, username: str, password: str = PASSWORD) -> int:
    client.open("/login")
    res = client.form_post("/login", {"username": username, "password": password})
    if res.status_code == 303:
        client.open("/dashboard")  # the new session has a new CSRF token
    return int(res.status_code)
