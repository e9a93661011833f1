"""The office dashboard: completeness grid, incidents (with status buttons), roster, reports.

Status buttons do not touch the database here: they become a button press ``inc:<id>:<status>``
from the acting member, handled by the engine like a Telegram press, so who may change a
status is decided in one place (:func:`handlers.incidents.change_status`). The acting member
is the logged-in account's; in the local playground, the member picked in "act as".
"""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from bot.channels.web import inbox
from bot.channels.web.access import viewer
from bot.channels.web.charts import BarChart, stacked_bars
from bot.channels.web.chat import make_event
from bot.channels.web.completeness import Grid, build_grid
from bot.channels.web.deps import WebDeps, deps, page
from bot.channels.web.downloads import MEDIA_TYPES, NotFound, build_download
from bot.channels.web.errors import error_response
from bot.channels.web.queries import (
    IncidentView,
    MemberView,
    ReachView,
    UnitView,
    active_member,
    alert_reach,
    communes_in,
    current_directive,
    directives,
    incidents,
    pick_commune,
    responders,
    roster,
    status_choices,
)
from bot.core.events import EventKind
from bot.messages import t
from bot.text import small_int
from handlers.incidents import status_label
from storage.enums import IncidentStatus, Role
from storage.models import Commune, Directive
from storage.scope import Reach

_ACT_AS = "act_as"
_FLASH = "flash"


@dataclass(frozen=True)
class DashboardData:
    communes: list[Commune]  # what the viewer may pick (a selector when more than one)
    commune: Commune | None
    directives: list[Directive]
    directive: Directive | None
    recurrence_label: str
    grid: Grid | None
    chart: BarChart | None
    incidents: list[IncidentView]
    incident_counts: list[tuple[str, str, int]]  # (status, label, count)
    units: list[UnitView]
    responders: list[MemberView]
    reach: list[ReachView]  # per commune: who receives urgent alerts, and warnings


def _chart(grid: Grid) -> BarChart:
    return stacked_bars(
        [
            (
                p.short,
                [
                    ("on_time", p.on_time),
                    ("late", p.late),
                    ("pending", p.pending),
                    ("missing", p.missing),
                ],
            )
            for p in grid.periods
        ]
    )


def _load(
    session: Session,
    d: WebDeps,
    reach: Reach,
    commune_id: int | None,
    directive_id: int | None,
    now: datetime,
) -> DashboardData:
    tz = d.ctx.settings.tz
    commune = pick_commune(session, reach, commune_id)
    place = commune.id if commune is not None and commune.id is not None else -1
    found = directives(session, place)
    chosen = next((x for x in found if x.id == directive_id), None)
    directive = chosen or current_directive(found, now.astimezone(tz).date())
    grid = build_grid(session, directive, now=now, tz=tz) if directive else None
    listed = incidents(session, tz, place)
    counts = [
        (s.value, status_label(s), sum(1 for i in listed if i.status == s.value))
        for s in IncidentStatus
    ]
    units = roster(session, place)
    return DashboardData(
        communes=communes_in(session, reach),
        commune=commune,
        directives=found,
        directive=directive,
        recurrence_label=t(f"directive.recurrence.{directive.recurrence}") if directive else "",
        grid=grid,
        chart=_chart(grid) if grid else None,
        incidents=listed,
        incident_counts=counts,
        units=units,
        responders=responders(units),
        reach=[alert_reach(session, place)] if commune is not None else [],
    )


def _int(raw: object) -> int | None:
    text = str(raw) if raw is not None else ""
    return small_int(text)


def _default_actor(people: list[MemberView]) -> int | None:
    """The playground acts as the first office clerk unless someone else was picked."""
    office = [m for m in people if Role.OFFICE_STAFF.value in m.roles]
    chosen = office or people
    return chosen[0].id if chosen else None


def acting_member(request: Request) -> int | None:
    v = viewer(request)
    if not v.local:
        return v.member_id
    return _int(request.session.get(_ACT_AS))


def actor_name(request: Request, member_id: int | None) -> str:
    """Audit actor: 'web:<username>' for accounts, 'web:<member id>' in the playground."""
    v = viewer(request)
    return f"web:{v.username}" if v.username else f"web:{member_id or 'local'}"


async def show(request: Request) -> Response:
    d = deps(request)
    directive_id = _int(request.query_params.get("directive"))
    commune_id = _int(request.query_params.get("commune"))
    reach = viewer(request).reach
    now = d.clock()
    data = await d.read(lambda s: _load(s, d, reach, commune_id, directive_id, now))
    if viewer(request).local and _int(request.session.get(_ACT_AS)) is None:
        default = _default_actor(data.responders)
        if default is not None:
            request.session[_ACT_AS] = default
    return page(
        request,
        "dashboard.html",
        data=data,
        act_as=acting_member(request),
        statuses=status_choices(),
        new_uuid=lambda: str(uuid.uuid4()),  # one per status form: a double submit is deduped
        flash=request.session.pop(_FLASH, None),
    )


async def act_as(request: Request) -> Response:
    """Playground only: choose whose button presses the dashboard sends."""
    d = deps(request)
    if not d.local_mode:
        return error_response(request.scope, "forbidden", 403)
    async with request.form(max_files=0, max_fields=5) as form:
        member_id = _int(form.get("member_id"))
    if member_id is None or await d.read(lambda s: active_member(s, member_id)) is None:
        return error_response(request.scope, "unknown_member", 400)
    request.session[_ACT_AS] = member_id
    return RedirectResponse("/dashboard#incidents", status_code=303)


async def change_status(request: Request) -> Response:
    d = deps(request)
    incident_id: int = request.path_params["incident_id"]
    async with request.form(max_files=0, max_fields=5) as form:
        status = str(form.get("status") or "")
        try:
            key = str(uuid.UUID(str(form.get("uuid") or "")))
        except ValueError:
            key = str(uuid.uuid4())  # a form without one still works, just not deduped
    member_id = acting_member(request)
    if member_id is None or await d.read(lambda s: active_member(s, member_id)) is None:
        return error_response(request.scope, "no_actor", 400)
    data = f"inc:{incident_id}:{status}"[:64]
    event = make_event(member_id, key, EventKind.BUTTON, request, data=data, callback_id=key)
    await asyncio.to_thread(d.engine.handle, event)
    toast = await asyncio.to_thread(inbox.take_toast, d.ctx.engine, event.chat_id, key, d.clock())
    if toast:
        request.session[_FLASH] = toast
    return RedirectResponse(f"/dashboard#incident-{incident_id}", status_code=303)


async def download(request: Request) -> Response:
    d = deps(request)
    kind: str = request.path_params["kind"]
    if kind not in MEDIA_TYPES:
        return error_response(request.scope, "not_found", 404)
    async with request.form(max_files=0, max_fields=5) as form:
        directive_id = _int(form.get("directive_id"))
        period_key = str(form.get("period") or "")[:32]
    if directive_id is None:
        return error_response(request.scope, "no_directive", 400)
    member_id = acting_member(request)
    try:
        got = await asyncio.to_thread(
            build_download,
            d.ctx.settings,
            d.ctx.engine,
            directive_id,
            period_key,
            kind,
            now=d.clock(),
            actor=actor_name(request, member_id),
            member_id=member_id,
            reach=viewer(request).reach,
        )
    except NotFound:
        return error_response(request.scope, "no_report", 404)
    return Response(
        got.content, media_type=got.media_type, headers={"Content-Disposition": got.disposition}
    )


ROUTES = [
    Route("/dashboard", show, methods=["GET"]),
    Route("/dashboard/act-as", act_as, methods=["POST"]),
    Route("/dashboard/incidents/{incident_id:int}/status", change_status, methods=["POST"]),
    Route("/dashboard/report.{kind:str}", download, methods=["POST"]),
]
