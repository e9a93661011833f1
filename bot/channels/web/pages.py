"""The chat page (the phone-sized playground) and the small pages around it."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import Scope

from bot.channels.web.access import viewer
from bot.channels.web.deps import deps, page
from bot.channels.web.queries import MemberView, UnitView, roster
from bot.text import small_int


def _find(units: list[UnitView], member_id: int | None) -> tuple[UnitView, MemberView] | None:
    for unit in units:
        for member in unit.members:
            if member.id == member_id:
                return unit, member
    return None


async def chat_page(request: Request) -> Response:
    """Local mode: pick anyone on the roster and talk as them. Otherwise: yourself only."""
    v = viewer(request)
    units = await deps(request).read(roster)
    raw = request.query_params.get("member", "")
    wanted = v.member_id if not v.local else small_int(raw)
    found = _find(units, wanted)
    return page(
        request,
        "chat.html",
        units=units if v.local else [],
        unit=found[0] if found else None,
        member=found[1] if found else None,
    )


def forbidden_page(scope: Scope) -> Response:
    """Shown (403) to a session whose account may no longer open the office pages."""
    request = Request(scope)
    return deps(request).templates.TemplateResponse(request, "forbidden.html", {}, status_code=403)


ROUTES = [Route("/", chat_page, methods=["GET"])]
