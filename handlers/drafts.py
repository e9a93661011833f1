"""Unfinished drafts are kept, never dropped: remind their owner once after a while."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from bot.core.events import Choice, Outgoing, Reply
from bot.core.forms.schema import Form
from bot.core.render import esc
from bot.messages import t
from bot.scheduler.quiet import in_quiet
from bot.settings import Settings
from storage.db import transaction
from storage.models import DialogSession
from storage.outbox import enqueue

#: How long a draft sits untouched before its owner is reminded (once per pause).
DRAFT_IDLE = timedelta(hours=2)


def remind_stale_drafts(
    engine: Engine, forms: dict[str, Form], now: datetime, settings: Settings | None = None
) -> int:
    """Enqueue one reminder per draft idle for :data:`DRAFT_IDLE`; returns how many.

    ``reminded_at`` is set in the same transaction, and any new answer clears it (the dialog
    saves with ``reminded_at = None``), so a draft is reminded once per pause, not every round.
    With ``settings``, nothing is sent in quiet hours: the drafts wait for the morning.
    """
    if settings is not None and in_quiet(now.astimezone(settings.tz), settings.quiet_window):
        return 0
    with Session(engine) as session:
        ids = session.exec(
            select(DialogSession.id)
            .where(col(DialogSession.form_id).is_not(None))
            .where(col(DialogSession.reminded_at).is_(None))
            .where(col(DialogSession.updated_at) < now - DRAFT_IDLE)
        ).all()
    sent = 0
    for session_id in ids:
        with transaction(engine) as session:
            row = session.get(DialogSession, session_id, with_for_update=True)
            if row is None or row.form_id is None or row.reminded_at is not None:
                continue
            form = forms.get(row.form_id)
            if form is None:
                continue
            reply = Reply(
                t("dialog.draft_reminder", title=esc(form.title)),
                choices=[
                    Choice(
                        t("button.resume_draft"), f"n:{row.step}:resume", alias=t("alias.resume")
                    ),
                    Choice(t("button.cancel"), f"n:{row.step}:cancel", alias=t("alias.cancel")),
                ],
            )
            enqueue(
                session,
                Outgoing(row.channel, row.chat_id, reply, dedupe_key=f"draft:{row.id}:{row.step}"),
            )
            row.reminded_at = now
            session.add(row)
            sent += 1
    return sent
