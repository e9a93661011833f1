"""/summary: the key figures in chat, with the DOCX report, the XLSX annex and a chart.

``/summary`` alone takes the member's current directive (the one-off campaign open now, or
the only directive open); with several open it lists them, numbered, to pick from (a button
``sum:<directive id>``, or its number typed on text channels). ``/summary 1949/UBND-NC`` and
``/summary 45/KH-UBND 2025-W37`` (or a day in the period) name it directly.
"""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from bot.core.directives import open_campaign, open_directives
from bot.core.events import Choice, Reply
from bot.core.render import esc
from bot.core.turn import Turn
from bot.messages import t
from handlers.province import (
    PROVINCE_VIEW_ROLES,
    SEND_ROLES,
    pick_province_directive,
    province_summary,
    send_offer,
)
from handlers.registry import command
from reports.bundle import build_bundle
from reports.scope import PeriodError, resolve_period
from storage.directives import find_directive
from storage.enums import Role
from storage.models import AuditLog, Directive

SUMMARY_ROLES = (Role.OFFICE_STAFF, Role.LEADER, Role.ADMIN, *PROVINCE_VIEW_ROLES)
PICK_LABEL_CHARS = 48  # a directive's summary is cut to fit a phone-wide button


def _today(turn: Turn) -> date:
    return turn.now.astimezone(turn.settings.tz).date()


@command("/summary", "cmd.summary", SUMMARY_ROLES)
def summary(turn: Turn, args: str) -> None:
    """``/summary [số văn bản] [kỳ]``, e.g. ``/summary 1949/UBND-NC`` or ``/summary 45/KH-UBND 2025-W37``."""
    today = _today(turn)
    commune_id = turn.commune_id
    number, _, period = args.strip().partition(" ")
    if commune_id is None:
        if not turn.reach.province_wide:
            turn.say(Reply(t("chat.not_allowed")))
            return
        province = pick_province_directive(turn, number)
        if province is not None:
            province_summary(turn, province, period)
        return
    if number:
        directive = find_directive(turn.session, commune_id, number)
        if directive is None:
            turn.say(Reply(t("summary.no_directive", number=esc(number[:40]))))
            _offer_open(turn, commune_id, today)
            return
        summarise(turn, directive, period)
        return
    found = open_directives(turn.active_directives(), today)
    current = open_campaign(found, today) or (found[0] if len(found) == 1 else None)
    if current is not None:
        summarise(turn, current, "")
        return
    if not _offer_open(turn, commune_id, today):
        turn.say(Reply(t("summary.none_open")))


def _offer_open(turn: Turn, commune_id: int, today: date) -> bool:
    """The commune's open directives as numbered choices; False when there are none."""
    found = open_directives(turn.active_directives(), today)
    if not found:
        return False
    choices = [
        Choice(_pick_label(d), f"sum:{d.id}", number=i) for i, d in enumerate(found, 1) if d.id
    ]
    turn.say(Reply(t("summary.pick", count=len(choices)), choices=choices))
    return True


def _pick_label(directive: Directive) -> str:
    text = f"{directive.number} — {directive.summary}"
    return text if len(text) <= PICK_LABEL_CHARS else text[: PICK_LABEL_CHARS - 1] + "…"


def summary_picked(turn: Turn, directive_id: int) -> None:
    """A directive picked from the list (button ``sum:<id>`` or its number typed)."""
    if not turn.has_role(*SUMMARY_ROLES):
        turn.toast(t("chat.not_allowed"))
        turn.say(Reply(t("chat.not_allowed")))
        return
    directive = turn.session.get(Directive, directive_id)
    # A directive of another commune is as unknown as one that does not exist.
    if directive is None or not directive.active or directive.commune_id != turn.commune_id:
        turn.toast(t("chat.stale_button"))
        turn.say(Reply(t("chat.stale_button")))
        return
    summarise(turn, directive, "")


def summarise(turn: Turn, directive: Directive, period: str) -> None:
    """Answer "working on it" now; build the files and send them after the commit."""
    assert directive.id is not None and turn.member is not None
    try:
        period_key = resolve_period(directive, period, _today(turn))
    except PeriodError as exc:
        turn.say(Reply(esc(str(exc))))
        return
    engine = turn.db
    settings, now, member_id = turn.settings, turn.now, turn.member.id
    actor = f"{turn.event.channel}:{turn.event.user_id}"
    directive_id, number, commune_id = directive.id, directive.number, directive.commune_id
    offer = send_offer(directive, period_key) if turn.has_role(*SEND_ROLES) else None
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
            *([offer] if offer else []),
        ]

    turn.after_commit.append(build)
