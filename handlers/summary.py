"""/summary: the key figures in chat, with the DOCX report, the XLSX annex and a chart."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, col, select

from bot.core.events import Reply
from bot.core.turn import Turn
from bot.messages import t
from handlers.registry import command
from reports.bundle import build_bundle
from reports.scope import current_period_key, directive_period
from storage.directives import find_directive
from storage.enums import Recurrence, Role
from storage.models import AuditLog, Directive

SUMMARY_ROLES = (Role.OFFICE_STAFF, Role.LEADER, Role.ADMIN)


def current_directive(session: Session, commune_id: int, today: date) -> Directive | None:
    """The commune's campaign being reported on: the newest active one-off directive already
    started, else the newest active recurring one."""
    started = session.exec(
        select(Directive)
        .where(col(Directive.active).is_(True))
        .where(col(Directive.commune_id) == commune_id)
        .where(Directive.starts_on <= today)
        .order_by(col(Directive.starts_on).desc(), col(Directive.id).desc())
    ).all()
    one_off = [d for d in started if d.recurrence == Recurrence.NONE]
    candidates = one_off or list(started)
    return candidates[0] if candidates else None


@command("/summary", "cmd.summary", SUMMARY_ROLES)
def summary(turn: Turn, args: str) -> None:
    """``/summary [số văn bản] [kỳ]``, e.g. ``/summary 1949/UBND-NC`` or ``/summary 45/KH-UBND 2025-W37``."""
    today = turn.now.astimezone(turn.settings.tz).date()
    words = args.split()
    commune_id = turn.commune_id
    if commune_id is None:
        turn.say(Reply(t("chat.not_allowed")))
        return
    if words:
        directive = find_directive(turn.session, commune_id, words[0])
    else:
        directive = current_directive(turn.session, commune_id, today)
    if directive is None or directive.id is None:
        turn.say(Reply(t("summary.no_directive", number=words[0] if words else "")))
        return
    period_key = words[1] if len(words) > 1 else current_period_key(directive, today)
    try:
        directive_period(directive, period_key)
    except ValueError:
        turn.say(Reply(t("summary.bad_period", period=period_key[:20])))
        return
    assert turn.member is not None
    engine = turn.db
    settings, now, member_id = turn.settings, turn.now, turn.member.id
    actor = f"{turn.event.channel}:{turn.event.user_id}"
    directive_id, number = directive.id, directive.number
    turn.say(Reply(t("summary.working")))

    def build() -> list[Reply]:
        bundle = build_bundle(engine, settings, directive_id, period_key, now)
        with Session(engine) as session:
            for action, path in (
                ("summary.view", None),
                ("report.docx", bundle.docx),
                ("report.xlsx", bundle.xlsx),
            ):
                session.add(
                    AuditLog(
                        member_id=member_id,
                        commune_id=commune_id,
                        actor=actor,
                        action=action,
                        target=number,
                        at=now,
                        details={"period": period_key, "path": str(path or "")},
                    )
                )
            session.commit()
        return [
            Reply(bundle.summary),
            Reply(t("summary.chart_caption"), photo_path=str(bundle.chart)),
            Reply(t("summary.docx_caption"), document_path=str(bundle.docx)),
            Reply(t("summary.xlsx_caption"), document_path=str(bundle.xlsx)),
        ]

    turn.after_commit.append(build)
