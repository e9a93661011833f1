"""The chat page (the phone-sized playground) and the small pages around it."""

from __future__ import annotations

from sqlmodel import Session
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import Scope

from bot.channels.web.access import Viewer, viewer
from bot.channels.web.deps import deps, page
from bot.channels.web.queries import MemberView, UnitView, communes_in, pick_commune, roster
from bot.text import small_int
from storage.models import Commune, Member, Unit


def _find(units: list[UnitView], member_id: int | None) -> tuple[UnitView, MemberView] | None:
    for unit in units:
        for member in unit.members:
            if member.id == member_id:
                return unit, member
    return None


def _people(
    session: Session, v: Viewer, commune_id: int | None, member_id: int | None
) -> tuple[list[Commune], Commune | None, list[UnitView]]:
    """The communes to pick from, the one shown, and its roster (the member's own commune
    when a member is named, so a link to a person always opens their commune)."""
    if member_id is not None and (member := session.get(Member, member_id)) is not None:
        unit = session.get(Unit, member.unit_id)
        commune_id = unit.commune_id if unit is not None else commune_id
    commune = pick_commune(session, v.reach, commune_id)
    units = roster(session, commune.id or 0) if commune is not None else []
    return communes_in(session, v.reach), commune, units


async def chat_page(request: Request) -> Response:
    """Local mode: pick anyone on the roster and talk as them. Otherwise: yourself only."""
    v = viewer(request)
    wanted = v.member_id if not v.local else small_int(request.query_params.get("member", ""))
    commune_id = small_int(request.query_params.get("commune", ""))
    communes, commune, units = await deps(request).read(lambda s: _people(s, v, commune_id, wanted))
    found = _find(units, wanted)
    return page(
        request,
        "chat.html",
        communes=communes if v.local else [],
        commune=commune,
        units=units if v.local else [],
        unit=found[0] if found else None,
        member=found[1] if found else None,
    )


def forbidden_page(scope: Scope) -> Response:
    """Shown (403) to a session whose account may no longer open the office pages."""
    request = Request(scope)
    return deps(request).templates.TemplateResponse(request, "forbidden.html", {}, status_code=403)


ROUTES = [Route("/", chat_page, methods=["GET"])]
