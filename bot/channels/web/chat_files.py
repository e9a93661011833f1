"""Files the bot sent to a web chat (the /summary chart, DOCX report and XLSX annex).

A reply in the outbox names its file by path; the page gets a link to
``/api/chat/<member>/files/<message id>`` instead, and this route hands the file over only
when, at the moment of the download:

- the viewer may act as that member (the playground, or the member's own account),
- the member's roster roles still allow /summary (a report carries names and phone numbers),
- the message was sent to that member's web chat, and its file lies in the reports folder.

Each DOCX/XLSX download is written to the audit log, as the dashboard's downloads are.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path

from sqlmodel import Session
from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import Route

from bot.channels.web.access import viewer
from bot.channels.web.deps import deps
from bot.channels.web.downloads import record_download
from bot.channels.web.errors import error_response
from bot.core.events import Reply
from handlers.summary import SUMMARY_ROLES
from storage.enums import Channel
from storage.models import Member, OutboxMessage, Unit

_MEDIA_TYPES = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".png": "image/png",
}
_REPORT_ROLES = frozenset(r.value for r in SUMMARY_ROLES)


def may_receive_reports(member: Member | None) -> bool:
    """The roster still gives this member a role that may ask for /summary."""
    return member is not None and member.active and bool(_REPORT_ROLES & set(member.roles))


def file_url(member_id: int | str, message_id: int) -> str:
    return f"/api/chat/{member_id}/files/{message_id}"


@dataclass(frozen=True)
class SentFile:
    path: Path
    is_document: bool  # a DOCX/XLSX to download (audited), not a picture shown inline


def sent_file(
    session: Session, member_id: int, message_id: int, reports_dir: Path
) -> SentFile | None:
    """The file of message ``message_id`` if it went to ``member_id``'s web chat and lies in
    the reports folder (never a path elsewhere on the disk, whatever a payload says)."""
    row = session.get(OutboxMessage, message_id)
    if row is None or row.channel != Channel.WEB.value or row.chat_id != str(member_id):
        return None
    reply = Reply.from_payload(row.payload)
    raw = reply.document_path or reply.photo_path
    if not raw:
        return None
    path = Path(raw).resolve()
    if not path.is_relative_to(reports_dir.resolve()) or path.suffix not in _MEDIA_TYPES:
        return None
    return SentFile(path, is_document=reply.document_path is not None)


async def download(request: Request) -> Response:
    d = deps(request)
    member_id: int = request.path_params["member_id"]
    message_id: int = request.path_params["message_id"]
    v = viewer(request)
    if not v.may_act_as(member_id):
        return error_response(request.scope, "forbidden", 403)
    reports_dir = d.ctx.settings.reports_dir

    def find(session: Session) -> tuple[SentFile, int | None] | str:
        member = session.get(Member, member_id)
        if member is None or not may_receive_reports(member):
            return "forbidden"
        found = sent_file(session, member_id, message_id, reports_dir)
        if found is None or not found.path.is_file():
            return "no_file"
        unit = session.get(Unit, member.unit_id)
        return found, unit.commune_id if unit is not None else None

    answer = await d.read(find)
    if answer == "forbidden":
        return error_response(request.scope, "forbidden", 403)
    if isinstance(answer, str):
        return error_response(request.scope, "no_file", 404)
    found, commune_id = answer
    if found.is_document:
        actor = f"web:{v.username}" if v.username else f"web:{member_id}"
        path = found.path
        details = {"message_id": message_id, "path": str(path), "via": "web_chat"}
        kind = path.suffix.lstrip(".")
        await asyncio.to_thread(
            record_download,
            d.ctx.engine,
            member_id,
            actor,
            kind,
            path.name,
            details,
            d.clock(),
            commune_id,
        )
        return FileResponse(
            found.path, media_type=_MEDIA_TYPES[found.path.suffix], filename=found.path.name
        )
    return FileResponse(found.path, media_type=_MEDIA_TYPES[found.path.suffix])


ROUTES = [
    Route("/api/chat/{member_id:int}/files/{message_id:int}", download, methods=["GET"]),
]
