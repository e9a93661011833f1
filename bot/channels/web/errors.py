"""Every error the web app shows a person, in Vietnamese from the catalog (``web.error.<code>``).

A page or a plain form post gets a small HTML page; the chat script's calls get JSON with
both the code (for programs) and the message (what the page shows): no raw code such as
``not_an_image`` and no Starlette "Not Found" ever reaches a person.
"""

from __future__ import annotations

from pathlib import Path

import jinja2
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.types import Scope

from bot.messages import CATALOG, t

#: Drawn outside any route (middleware, unknown paths), so no request context is needed.
_PAGES = jinja2.Environment(
    loader=jinja2.FileSystemLoader(str(Path(__file__).parent / "templates")), autoescape=True
)

#: HTTP statuses Starlette raises itself, as catalog codes.
_STATUS_CODES = {404: "not_found", 405: "method_not_allowed", 413: "too_large"}


def message(code: str) -> str:
    """The Vietnamese text for ``code``; an unknown code is a bug, but never shown raw."""
    key = f"web.error.{code}"
    return t(key) if key in CATALOG else t("web.error.unknown")


def wants_page(scope: Scope) -> bool:
    """A browser navigating (or posting a plain form), not the chat script's fetch calls."""
    if scope["path"].startswith("/api/"):
        return False
    accept = Headers(scope=scope).get("accept", "")
    return scope["method"] in ("GET", "HEAD") or "text/html" in accept


def error_response(scope: Scope, code: str, status: int) -> Response:
    """The error as a page or as JSON ``{"error": code, "message": …}``, as the caller reads."""
    text = message(code)
    if not wants_page(scope):
        return JSONResponse({"error": code, "message": text}, status_code=status)
    page = _PAGES.get_template("error.html").render(
        title=t("web.error.title"), text=text, home=t("web.error.home")
    )
    return HTMLResponse(page, status_code=status)


async def http_error(request: Request, exc: Exception) -> Response:
    """Starlette's own 404/405/… (unknown path, wrong method), in Vietnamese."""
    status = exc.status_code if isinstance(exc, HTTPException) else 500
    return error_response(request.scope, _STATUS_CODES.get(status, "unknown"), status)


async def server_error(request: Request, exc: Exception) -> Response:
    """A bug: the person hears that it is not their fault (the traceback is in the log)."""
    return error_response(request.scope, "server_error", 500)
