"""Chasing the communes' answers to a province directive (the last link of the chain).

The commune's own round (:mod:`bot.scheduler.reminders`) chases its units; this one chases the
commune office for the report it owes the province: at 07:30 on the day before the province's
deadline and on the deadline day, and every morning after it, the office staff and leaders
of each commune that has not sent its answer get a reminder with a button to compile it
(``sum:<copy>``). After the deadline the province members get one list a day of the
communes still missing. Nothing in quiet hours; every message once (outbox dedupe keys).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from html import escape

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from bot.core.events import Choice, Outgoing, Reply
from bot.messages import t
from bot.outbox.recipients import member_chats
from bot.scheduler.plan import REMINDER_TIME
from bot.scheduler.quiet import in_quiet
from bot.settings import Settings
from handlers.province import province_members
from storage.db import transaction
from storage.enums import Recurrence, Role
from storage.models import Commune, CommuneReport, Directive, Member, Unit
from storage.outbox import enqueue

PERIOD = "once"  # province campaigns are one-off; a recurring one is chased by its units' round
_STAFF = frozenset({Role.OFFICE_STAFF.value, Role.LEADER.value})


def _step(today: date, deadline: date) -> str | None:
    if today == deadline - timedelta(days=1):
        return "before"
    if today == deadline:
        return "due"
    if today > deadline:
        return f"overdue:{today.isoformat()}"
    return None


def answer_round(engine: Engine, settings: Settings, now: datetime) -> int:
    """Enqueue what is due at ``now``; returns how many messages were added."""
    local = now.astimezone(settings.tz)
    if in_quiet(local, settings.quiet_window) or local.time() < REMINDER_TIME:
        return 0
    today = local.date()
    added = 0
    with transaction(engine) as session:
        provinces = session.exec(
            select(Directive)
            .where(col(Directive.commune_id).is_(None))
            .where(col(Directive.active).is_(True))
            .where(Directive.recurrence == Recurrence.NONE.value)
            .where(col(Directive.report_deadline).is_not(None))
            .where(Directive.starts_on <= today)
        ).all()
        for province in provinces:
            assert province.report_deadline is not None
            step = _step(today, province.report_deadline)
            if step is not None:
                added += _chase(session, province, province.report_deadline, step, today)
    return added


def _chase(session: Session, province: Directive, deadline: date, step: str, today: date) -> int:
    copies = session.exec(
        select(Directive)
        .where(col(Directive.parent_id) == province.id)
        .where(col(Directive.active).is_(True))
    ).all()
    answered = set(
        session.exec(
            select(CommuneReport.commune_id)
            .where(col(CommuneReport.parent_id) == province.id)
            .where(CommuneReport.period_key == PERIOD)
        ).all()
    )
    missing = [c for c in copies if c.commune_id is not None and c.commune_id not in answered]
    if not missing:
        return 0
    names = {c.id: c.name for c in session.exec(select(Commune)).all()}
    added = 0
    for copy in missing:
        staff = [
            m
            for m in session.exec(
                select(Member)
                .join(Unit, col(Unit.id) == col(Member.unit_id))
                .where(col(Unit.commune_id) == copy.commune_id)
                .where(col(Member.active).is_(True))
                .where(col(Member.unreachable).is_(False))
            ).all()
            if _STAFF & set(m.roles)
        ]
        key = "answers.overdue" if step.startswith("overdue") else f"answers.{step}"
        reply = Reply(
            t(key, number=escape(copy.number, quote=False), deadline=f"{deadline:%d/%m/%Y}"),
            choices=[Choice(t("answers.button"), f"sum:{copy.id}", number=1)],
        )
        stem = f"answer-remind:{copy.id}:{PERIOD}:{step}"
        added += _send(session, staff, reply, stem)
    if step.startswith("overdue"):
        listed = ", ".join(escape(names.get(c.commune_id, ""), quote=False) for c in missing)
        reply = Reply(
            t(
                "answers.province_late",
                count=len(missing),
                total=len(copies),
                number=escape(province.number, quote=False),
                deadline=f"{deadline:%d/%m/%Y}",
                names=listed[:3000],
            )
        )
        stem = f"answer-late:{province.id}:{PERIOD}:{today.isoformat()}"
        added += _send(session, province_members(session), reply, stem)
    return added


def _send(session: Session, members: list[Member], reply: Reply, stem: str) -> int:
    added = 0
    chats = member_chats(session, members)
    for member in members:
        for channel, chat_id in chats.get(member.id or 0, []):
            key = f"{stem}:{member.id}:{channel}"
            if enqueue(session, Outgoing(channel, chat_id, reply, dedupe_key=key)) is not None:
                added += 1
    return added
