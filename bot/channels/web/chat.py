"""The web chat adapter: page POSTs → :class:`InboundEvent` → the engine; GET → outbox rows.

Every POST carries a ``uuid`` the page made for that message; the update key is
``<member id>:<uuid>``, so a POST retried after a network error is handled once (the engine
remembers keys), and one member's keys can never collide with another's.
"""

from __future__ import annotations

import asyncio
import json
import math
import uuid
from pathlib import Path
from typing import Any

from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.channels.web import inbox
from bot.channels.web.access import viewer
from bot.channels.web.chat_files import may_receive_reports
from bot.channels.web.deps import deps
from bot.channels.web.errors import error_response
from bot.channels.web.queries import active_member
from bot.core.events import EventKind, InboundEvent
from bot.text import small_int
from storage.enums import Channel
from storage.models import Member

MAX_TEXT = 4000  # about a Telegram message; a report answer is far shorter
MAX_DATA_BYTES = 64  # button data, as on Telegram
MAX_JSON_BYTES = 16 * 1024
MAX_PHOTO_BYTES = 10 * 1024 * 1024
_IMAGE_MAGIC: tuple[tuple[bytes, int, str], ...] = (
    (b"\xff\xd8\xff", 0, ".jpg"),
    (b"\x89PNG\r\n\x1a\n", 0, ".png"),
    (b"GIF87a", 0, ".gif"),
    (b"GIF89a", 0, ".gif"),
    (b"WEBP", 8, ".webp"),
    (b"ftypheic", 4, ".heic"),
    (b"ftypheix", 4, ".heic"),
    (b"ftypmif1", 4, ".heic"),
)


class BadRequest(Exception):
    def __init__(self, error: str, status: int = 400) -> None:
        super().__init__(error)
        self.error = error
        self.status = status


def _error(request: Request, exc: BadRequest) -> Response:
    return error_response(request.scope, exc.error, exc.status)


async def _member_id(request: Request) -> int:
    """The chat's member from the path, if this viewer may talk as them (roster checked)."""
    raw = request.path_params["member_id"]
    if not isinstance(raw, int) or not viewer(request).may_act_as(raw):
        raise BadRequest("forbidden", 403)
    if await deps(request).read(lambda s: active_member(s, raw)) is None:
        raise BadRequest("unknown_member", 404)
    return raw


def _update_key(raw: object) -> str:
    try:
        return str(uuid.UUID(str(raw)))
    except ValueError as exc:
        raise BadRequest("bad_uuid") from exc


async def _json(request: Request) -> dict[str, Any]:
    body = await request.body()
    if len(body) > MAX_JSON_BYTES:
        raise BadRequest("too_large", 413)
    try:
        data = json.loads(body)
    except ValueError as exc:
        raise BadRequest("bad_json") from exc
    if not isinstance(data, dict):
        raise BadRequest("bad_json")
    return data


def make_event(
    member_id: int, key: str, kind: EventKind, request: Request, **fields: Any
) -> InboundEvent:
    return InboundEvent(
        channel=Channel.WEB.value,
        update_key=f"{member_id}:{key}",
        chat_id=str(member_id),
        user_id=str(member_id),
        kind=kind,
        received_at=deps(request).clock(),
        **fields,
    )


async def handle(request: Request, ev: InboundEvent) -> JSONResponse:
    """Hand the event to the engine (in a thread: it blocks on the DB) and report back."""
    d = deps(request)
    outcome = await asyncio.to_thread(d.engine.handle, ev)
    toast = None
    if ev.callback_id is not None:
        toast = await asyncio.to_thread(
            inbox.take_toast, d.ctx.engine, ev.chat_id, ev.callback_id, d.clock()
        )
    return JSONResponse({"outcome": outcome.value, "toast": toast})


async def send_text(request: Request) -> Response:
    try:
        member_id = await _member_id(request)
        body = await _json(request)
        key = _update_key(body.get("uuid"))
        text = body.get("text")
        if not isinstance(text, str) or not text.strip():
            raise BadRequest("empty_text")
        if len(text) > MAX_TEXT:
            raise BadRequest("text_too_long", 413)
    except BadRequest as exc:
        return _error(request, exc)
    return await handle(request, make_event(member_id, key, EventKind.TEXT, request, text=text))


async def press(request: Request) -> Response:
    try:
        member_id = await _member_id(request)
        body = await _json(request)
        key = _update_key(body.get("uuid"))
        data = body.get("data")
        if not isinstance(data, str) or not data or len(data.encode()) > MAX_DATA_BYTES:
            raise BadRequest("bad_data")
        # The message whose button it was (its outbox id): a redraw then replaces it.
        on_message = body.get("message_id")
        message_id = str(on_message) if isinstance(on_message, int) and on_message > 0 else None
    except BadRequest as exc:
        return _error(request, exc)
    ev = make_event(
        member_id,
        key,
        EventKind.BUTTON,
        request,
        data=data,
        callback_id=key,
        message_id=message_id,
    )
    return await handle(request, ev)


def _coordinate(value: object, limit: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise BadRequest("bad_location")
    try:
        number = float(value)
    except ValueError as exc:
        raise BadRequest("bad_location") from exc
    if not math.isfinite(number) or abs(number) > limit:
        raise BadRequest("bad_location")
    return number


async def location(request: Request) -> Response:
    try:
        member_id = await _member_id(request)
        body = await _json(request)
        key = _update_key(body.get("uuid"))
        lat = _coordinate(body.get("lat"), 90.0)
        lon = _coordinate(body.get("lon"), 180.0)
    except BadRequest as exc:
        return _error(request, exc)
    ev = make_event(member_id, key, EventKind.LOCATION, request, latitude=lat, longitude=lon)
    return await handle(request, ev)


def image_suffix(head: bytes) -> str | None:
    """The file type from its first bytes (never from the name or type the browser claims)."""
    for magic, offset, suffix in _IMAGE_MAGIC:
        if head[offset : offset + len(magic)] == magic:
            return suffix
    return None


async def _read_upload(upload: UploadFile) -> bytes:
    data = await upload.read(MAX_PHOTO_BYTES + 1)
    if len(data) > MAX_PHOTO_BYTES:
        raise BadRequest("photo_too_large", 413)
    return data


def _store(folder: Path, name: str, data: bytes) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    # Write then rename: a retried upload never leaves a half-written file behind.
    partial = path.with_suffix(path.suffix + ".part")
    partial.write_bytes(data)
    partial.replace(path)
    return path


async def photo(request: Request) -> Response:
    d = deps(request)
    try:
        member_id = await _member_id(request)
        declared = request.headers.get("content-length", "0")
        if (size := small_int(declared, 12)) is None or size > MAX_PHOTO_BYTES + 64 * 1024:
            raise BadRequest("photo_too_large", 413)
        async with request.form(max_files=1, max_fields=4) as form:
            key = _update_key(form.get("uuid"))
            upload = form.get("photo")
            if not isinstance(upload, UploadFile):
                raise BadRequest("no_photo")
            data = await _read_upload(upload)
        suffix = image_suffix(data[:16])
        if suffix is None:
            raise BadRequest("not_an_image", 415)
    except BadRequest as exc:
        return _error(request, exc)
    name = f"{member_id}-{key}{suffix}"
    folder = d.ctx.settings.attachments_dir / "web"
    path = await asyncio.to_thread(_store, folder, name, data)
    ev = make_event(member_id, key, EventKind.PHOTO, request, file_ref=name, file_path=str(path))
    return await handle(request, ev)


async def messages(request: Request) -> Response:
    try:
        member_id = await _member_id(request)
        after = int(request.query_params.get("after", "0"))
    except BadRequest as exc:
        return _error(request, exc)
    except ValueError:
        return _error(request, BadRequest("bad_after"))
    d = deps(request)
    files = await d.read(lambda s: may_receive_reports(s.get(Member, member_id)))
    found = await asyncio.to_thread(
        lambda: inbox.fetch(
            d.ctx.engine,
            str(member_id),
            max(after, 0),
            d.clock(),
            d.ctx.settings.tz,
            files=files,
        )
    )
    return JSONResponse({"messages": [m.to_json() for m in found]})


ROUTES = [
    Route("/api/chat/{member_id:int}/send", send_text, methods=["POST"]),
    Route("/api/chat/{member_id:int}/press", press, methods=["POST"]),
    Route("/api/chat/{member_id:int}/location", location, methods=["POST"]),
    Route("/api/chat/{member_id:int}/photo", photo, methods=["POST"]),
    Route("/api/chat/{member_id:int}/messages", messages, methods=["GET"]),
]
