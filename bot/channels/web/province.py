"""The province page (/province): the roll-up of a province directive, for province viewers.

Shown to a province account (Công an tỉnh, UBND tỉnh) and in the playground; a commune's
account is refused (403), whatever the URL says. One row per commune: whether it has sent
its report, when, how far its units are, its tips; the totals; the consolidated DOCX and
the per-commune XLSX to download (audited).
"""

from __future__ import annotations

import asyncio
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlmodel import Session
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bot.channels.web.access import viewer
from bot.channels.web.deps import deps, page
from bot.channels.web.downloads import MEDIA_TYPES, Download, record_download
from bot.channels.web.errors import error_response
from bot.text import small_int
from handlers.province import province_directives
from reports.bundle import report_stem
from reports.province import ProvinceAggregate, province_aggregate
from reports.scope import PeriodError, resolve_period
from storage.models import Directive


@dataclass(frozen=True)
class ProvinceData:
    directives: list[Directive]
    directive: Directive | None
    period_key: str
    rollup: ProvinceAggregate | None


def _load(
    session: Session, directive_id: int | None, now: datetime, request: Request
) -> ProvinceData:
    tz = deps(request).ctx.settings.tz
    today = now.astimezone(tz).date()
    found = province_directives(session, today)
    chosen = next((d for d in found if d.id == directive_id), found[0] if found else None)
    if chosen is None or chosen.id is None:
        return ProvinceData(found, None, "", None)
    try:
        key = resolve_period(chosen, request.query_params.get("period", ""), today)
    except PeriodError:
        key = resolve_period(chosen, "", today)
    rollup = province_aggregate(session, chosen.id, key, tz=tz, now=now)
    return ProvinceData(found, chosen, key, rollup)


async def show(request: Request) -> Response:
    if not viewer(request).reach.province_wide:
        return error_response(request.scope, "forbidden", 403)
    d = deps(request)
    now = d.clock()
    wanted = small_int(request.query_params.get("directive", ""))
    data = await d.read(lambda s: _load(s, wanted, now, request))
    return page(request, "province.html", data=data, tz=d.ctx.settings.tz)


async def download(request: Request) -> Response:
    v = viewer(request)
    if not v.reach.province_wide:
        return error_response(request.scope, "forbidden", 403)
    kind: str = request.path_params["kind"]
    if kind not in MEDIA_TYPES:
        return error_response(request.scope, "not_found", 404)
    d = deps(request)
    async with request.form(max_files=0, max_fields=5) as form:
        directive_id = small_int(str(form.get("directive_id") or ""))
        period_key = str(form.get("period") or "")[:32]
    if directive_id is None:
        return error_response(request.scope, "not_found", 404)
    now = d.clock()

    def build() -> Download | None:
        from reports.province_bundle import build_province_files

        with Session(d.ctx.engine) as session:
            province = session.get(Directive, directive_id)
        if province is None or province.commune_id is not None:
            return None
        with tempfile.TemporaryDirectory(prefix="tinbao-tinh-") as folder:
            files = build_province_files(
                d.ctx.engine, d.ctx.settings, directive_id, period_key, now, Path(folder)
            )
            content = (files.docx if kind == "docx" else files.xlsx).read_bytes()
        actor = f"web:{v.username}" if v.username else "web:local"
        details: dict[str, object] = {"directive_id": directive_id, "period": period_key}
        record_download(
            d.ctx.engine,
            v.member_id,
            actor,
            f"province.{kind}",
            province.number,
            details,
            now,
            None,
        )
        name = f"bao-cao-tong-hop-{report_stem(province.number, period_key)}.{kind}"
        return Download(name, MEDIA_TYPES[kind], content)

    try:
        got = await asyncio.to_thread(build)
    except (LookupError, ValueError):
        got = None
    if got is None:
        return error_response(request.scope, "not_found", 404)
    return Response(
        got.content, media_type=got.media_type, headers={"Content-Disposition": got.disposition}
    )


ROUTES = [
    Route("/province", show, methods=["GET"]),
    Route("/province/report.{kind:str}", download, methods=["POST"]),
]
