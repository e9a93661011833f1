"""The web channel's delivery: the chat page fetches its outbox rows, which marks them sent.

There is no push and no sender task for the web: a row counts as delivered once a page has
fetched it. A page reloaded later fetches the recent history again (``after=0``), so the
conversation survives a reload; only rows not yet sent change status.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, update
from sqlmodel import col, select

from bot.channels.web.chat_files import file_url
from bot.core.events import Reply
from bot.outbox.protocol import CALLBACK_ANSWER, COMMAND_MENU
from bot.outbox.receipts import ALERT_KEY_PREFIX, alerts_delivered
from bot.text import small_int
from storage.db import transaction
from storage.enums import Channel, OutboxStatus
from storage.models import OutboxMessage

HISTORY = 100  # messages a freshly opened page shows
BATCH = 200  # most rows one fetch returns
_PENDING = (OutboxStatus.QUEUED, OutboxStatus.SENDING, OutboxStatus.RETRYING)
_ALLOWED_TAG = re.compile(r"(</?[bi]>)")


@dataclass(frozen=True)
class WebMessage:
    id: int
    text: str  # HTML: only <b> and <i>, everything else escaped
    choices: list[dict[str, str]]
    columns: int
    request: str | None
    urgent: bool
    replaces: int | None  # an earlier message this one redraws (a multi-choice toggle)
    photo: str | None = None  # URL of a picture to show (the /summary chart)
    document: dict[str, str] | None = None  # {"url", "name"} of a file to download

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "text": self.text,
            "choices": self.choices,
            "columns": self.columns,
            "request": self.request,
            "urgent": self.urgent,
            "replaces": self.replaces,
            "photo": self.photo,
            "document": self.document,
        }


#: Rows that are not chat messages: button-press answers and command menus.
_NOT_SHOWN = (CALLBACK_ANSWER, COMMAND_MENU)


def safe_html(text: str) -> str:
    """Keep ``<b>``/``<i>``; neutralise any other markup.

    The core already escapes what users typed; this is a second line of defence in case a
    template or a handler ever lets something through (the page inserts the text as HTML).
    Entities survive: each segment is unescaped and escaped again, so ``&amp;`` stays.
    """
    parts = _ALLOWED_TAG.split(text)
    return "".join(
        part if _ALLOWED_TAG.fullmatch(part) else html.escape(html.unescape(part), quote=False)
        for part in parts
    )


def _render(row: OutboxMessage, files: bool) -> WebMessage:
    """``files``: the member may fetch the report files (else only the captions show)."""
    reply = Reply.from_payload(row.payload)
    url = file_url(row.chat_id, row.id or 0)
    photo = url if files and reply.photo_path else None
    document = (
        {"url": url, "name": Path(reply.document_path).name}
        if files and reply.document_path
        else None
    )
    return WebMessage(
        id=row.id or 0,
        text=safe_html(reply.text),
        choices=[{"label": c.label, "data": c.data} for c in reply.choices],
        columns=max(1, min(reply.columns, 4)),
        request=reply.request.value if reply.request else None,
        urgent=reply.urgent,
        replaces=small_int(reply.edit_message_id or ""),
        photo=photo,
        document=document,
    )


def fetch(
    db: Engine, chat_id: str, after: int, now: datetime, tz: ZoneInfo, *, files: bool = False
) -> list[WebMessage]:
    """Messages for this web chat newer than ``after`` (the recent history when 0); with
    links to the files they carry when ``files`` (see :mod:`bot.channels.web.chat_files`)."""
    with transaction(db) as session:
        query = (
            select(OutboxMessage)
            .where(OutboxMessage.channel == Channel.WEB.value)
            .where(OutboxMessage.chat_id == chat_id)
        )
        if after > 0:
            rows = list(
                session.exec(
                    query.where(col(OutboxMessage.id) > after)
                    .order_by(col(OutboxMessage.id))
                    .limit(BATCH)
                ).all()
            )
        else:
            newest = session.exec(
                query.where(col(OutboxMessage.kind).not_in(_NOT_SHOWN))
                .order_by(col(OutboxMessage.id).desc())
                .limit(HISTORY)
            ).all()
            rows = list(reversed(newest))
        if rows:
            _mark_delivered(session, chat_id, rows[-1].id or 0, now, tz)
        return [_render(row, files) for row in rows if row.kind not in _NOT_SHOWN]


def _mark_delivered(session: Any, chat_id: str, up_to: int, now: datetime, tz: ZoneInfo) -> None:
    # One UPDATE for everything up to the newest row shown, including button-press answers
    # (the page has no spinner to stop) and rows older than the history window.
    mine = (
        col(OutboxMessage.channel) == Channel.WEB.value,
        col(OutboxMessage.chat_id) == chat_id,
        col(OutboxMessage.id) <= up_to,
        col(OutboxMessage.status).in_([s.value for s in _PENDING]),
    )
    alerts = session.exec(
        select(OutboxMessage.id).where(
            *mine, col(OutboxMessage.dedupe_key).startswith(ALERT_KEY_PREFIX)
        )
    ).all()
    session.exec(
        update(OutboxMessage)
        .where(*mine)
        .values(status=OutboxStatus.SENT.value, sent_at=now, attempts=OutboxMessage.attempts + 1)
    )
    alerts_delivered(session, list(alerts), now, tz)  # the page showed them: they arrived


def take_toast(db: Engine, chat_id: str, callback_id: str, now: datetime) -> str | None:
    """The short answer the engine gave to one button press (shown on the dashboard)."""
    with transaction(db) as session:
        rows = session.exec(
            select(OutboxMessage)
            .where(OutboxMessage.channel == Channel.WEB.value)
            .where(col(OutboxMessage.chat_id).in_([chat_id, callback_id]))
            .where(OutboxMessage.kind == CALLBACK_ANSWER)
            .order_by(col(OutboxMessage.id).desc())
            .limit(20)
        ).all()
        for row in rows:
            if row.payload.get("callback_id") == callback_id:
                row.status = OutboxStatus.SENT.value
                row.sent_at = now
                session.add(row)
                return str(row.payload.get("text") or "") or None
    return None
