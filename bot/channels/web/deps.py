"""What every web route needs (context, engine, templates), and the page renderer."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

from sqlmodel import Session
from starlette.requests import HTTPConnection, Request
from starlette.responses import Response
from starlette.templating import Jinja2Templates

from bot.channels.web.access import viewer
from bot.channels.web.csrf import csrf_token
from bot.context import AppContext
from bot.core.engine import Engine
from storage.types import utcnow

HERE = Path(__file__).parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"
T = TypeVar("T")


@dataclass
class WebDeps:
    ctx: AppContext
    engine: Engine
    templates: Jinja2Templates
    local_mode: bool
    key: bytes  # signs the session cookie
    clock: Callable[[], datetime] = utcnow

    async def read(self, work: Callable[[Session], T]) -> T:
        """Run ``work`` with a read session in a worker thread (the DB blocks)."""

        def run() -> T:
            with Session(self.ctx.engine, expire_on_commit=False) as session:
                return work(session)

        return await asyncio.to_thread(run)


def deps(conn: HTTPConnection) -> WebDeps:
    found = conn.app.state.deps
    assert isinstance(found, WebDeps)
    return found


def page(request: Request, name: str, status_code: int = 200, **context: Any) -> Response:
    """Render a template with what every page needs: the viewer, mode and CSRF token."""
    d = deps(request)
    context.update(
        viewer=viewer(request),
        local_mode=d.local_mode,
        csrf=csrf_token(request.session),
    )
    return d.templates.TemplateResponse(request, name, context, status_code=status_code)
