"""``/tiendo`` (who has and has not reported) and ``/nhacnho`` (remind now) for the engine.

The engine checks roles before calling (``/tiendo``: office staff, police, leaders, admins;
``/nhacnho``: office staff, admins).
"""

from __future__ import annotations

from datetime import datetime
from html import escape

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from bot.messages import t
from bot.scheduler.plan import DirectiveSpec, UnitInfo, periods_in_play
from bot.scheduler.reminders import expected_units, run_round, submitted_units
from bot.settings import Settings
from storage.models import Directive, Member


def _esc(text: str) -> str:
    return escape(text, quote=False)


def _names(units: list[UnitInfo]) -> str:
    return ", ".join(_esc(u.name) for u in units) or t("progress.nobody")


def progress_text(
    session: Session, member: Member, commune_id: int, settings: Settings, now: datetime
) -> str:
    """Per active directive of ``commune_id``, its current period: which units reported,
    which did not.

    HTML with ``<b>`` only. ``member``'s own unit gets a line of its own when it is expected.
    """
    local = now.astimezone(settings.tz)
    today = local.date()
    directives = session.exec(
        select(Directive)
        .where(col(Directive.active).is_(True))
        .where(col(Directive.commune_id) == commune_id)
        .where(Directive.starts_on <= today)
        .order_by(col(Directive.id))
    ).all()
    blocks: list[str] = []
    for directive in directives:
        assert directive.id is not None
        in_play = periods_in_play(DirectiveSpec.from_model(directive), today)
        if not in_play:
            continue
        period, deadline = in_play[-1]  # the current period (the one still open)
        units = expected_units(session, directive)
        if not units:
            continue
        done_ids = submitted_units(session, directive.id, {period.key}).get(period.key, set())
        done = [u for u in units if u.id in done_ids]
        missing = [u for u in units if u.id not in done_ids]
        late = t("progress.late") if deadline is not None and today > deadline and missing else ""
        if deadline is None:
            when = t("progress.no_deadline")
        elif period.key == "once":
            when = t("progress.deadline", deadline=f"{deadline:%d/%m/%Y}", late=late)
        else:
            when = t(
                "progress.period_deadline",
                period=period.label(),
                deadline=f"{deadline:%d/%m/%Y}",
                late=late,
            )
        lines = [
            t("progress.directive", number=_esc(directive.number), summary=_esc(directive.summary)),
            when,
            t("progress.done", count=len(done), total=len(units), units=_names(done)),
            t("progress.missing", count=len(missing), total=len(units), units=_names(missing)),
        ]
        if any(u.id == member.unit_id for u in units):
            own_done = member.unit_id in done_ids
            lines.append(t("progress.own_done" if own_done else "progress.own_missing"))
        blocks.append("\n".join(lines))
    if not blocks:
        return t("progress.none")
    return "\n\n".join([t("progress.title", date=f"{today:%d/%m/%Y}"), *blocks])


def remind_now(engine: Engine, settings: Settings, now: datetime, commune_id: int) -> int:
    """``/nhacnho``: a round right away for ``commune_id``, plus one extra reminder today to every unit still
    missing a report (at most once a day per member and channel; nothing in quiet hours).

    Returns the number of messages enqueued; the engine answers with ``progress.reminded``
    or, for 0, ``progress.nothing_to_remind``.
    """
    return run_round(engine, settings, now, manual=True, commune_id=commune_id).enqueued
