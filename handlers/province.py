"""The province level in chat: a commune sends its compiled report up; the province sees the
roll-up.

* A commune office (office staff, leaders, admins) that asked for ``/summary`` of its copy of a
  province directive gets «📤 Gửi báo cáo lên tỉnh» under the files: pressing it asks once more
  (an official act), then records the commune's answer (:class:`storage.models.CommuneReport`,
  the figures as compiled now), tells the province's members, and says who was told.
* Province members (Công an tỉnh, UBND tỉnh) ask ``/summary`` and ``/tiendo``: the roll-up of
  the province directive open now, with the DOCX and XLSX for ``/summary``.

Button data: ``ans:<directive>:<period>`` (ask), ``ans!:<directive>:<period>`` (send),
``ans-`` (not now), ``psum:<province directive>`` (pick a province directive).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlmodel import Session, col, select

from bot.core.directives import still_open
from bot.core.events import Choice, Outgoing, Reply
from bot.core.render import esc
from bot.core.turn import Turn
from bot.messages import t
from bot.outbox.recipients import member_chats
from bot.settings import Settings
from reports.scope import PeriodError, resolve_period
from storage.enums import PROVINCE_ROLES, Role
from storage.models import AuditLog, Commune, CommuneReport, Directive, Member, Unit

if TYPE_CHECKING:
    from reports.results import Aggregate

SEND_ROLES = (Role.OFFICE_STAFF, Role.LEADER, Role.ADMIN)
PROVINCE_VIEW_ROLES = (Role.PROVINCE_POLICE, Role.PROVINCE_LEADER)


def _local(turn: Turn) -> date:
    return turn.now.astimezone(turn.settings.tz).date()


def _at(turn: Turn) -> str:
    return turn.now.astimezone(turn.settings.tz).strftime("%H:%M %d/%m/%Y")


# --- a commune sends its report up ------------------------------------------------------------
def send_offer(directive: Directive, period_key: str) -> Reply | None:
    """The «send to the province» button under a commune's /summary, for a province copy."""
    if directive.parent_id is None or directive.id is None:
        return None
    return Reply(
        t("province.send.offer"),
        choices=[Choice(t("province.send.button"), f"ans:{directive.id}:{period_key}", number=1)],
    )


def _own_copy(turn: Turn, directive_id: int, period_key: str) -> Directive | None:
    """The member's commune's copy of a province directive, if the button says so truly."""
    directive = turn.session.get(Directive, directive_id)
    if directive is None or directive.parent_id is None or not directive.active:
        return None
    if directive.commune_id is None or directive.commune_id != turn.commune_id:
        return None
    try:
        resolve_period(directive, period_key, _local(turn))
    except PeriodError:
        return None
    return directive


def _refuse(turn: Turn, key: str) -> None:
    turn.toast(t(key))
    turn.say(Reply(t(key)))


def ask_send(turn: Turn, directive_id: int, period_key: str) -> None:
    """First press: say what will be sent, and ask once more."""
    if not turn.has_role(*SEND_ROLES):
        _refuse(turn, "chat.not_allowed")
        return
    directive = _own_copy(turn, directive_id, period_key)
    if directive is None:
        _refuse(turn, "chat.stale_button")
        return
    sent = turn.session.exec(
        select(CommuneReport)
        .where(CommuneReport.directive_id == directive_id)
        .where(CommuneReport.period_key == period_key)
    ).first()
    key = "province.send.confirm_again" if sent is not None else "province.send.confirm"
    turn.say(
        Reply(
            t(key, number=esc(directive.number), version=(sent.version + 1) if sent else 1),
            choices=[
                Choice(t("province.send.yes"), f"ans!:{directive_id}:{period_key}", number=1),
                Choice(t("province.send.no"), "ans-", number=2),
            ],
        )
    )


@dataclass(frozen=True)
class SentAnswer:
    report: CommuneReport
    late: bool
    news: list[tuple[Member, Outgoing]]  # one message per province member's chat
    told: list[str]  # the names of the province members it reaches


def record_answer(
    session: Session,
    directive: Directive,
    period_key: str,
    agg: Aggregate,
    *,
    settings: Settings,
    now: datetime,
    sent_by: str,
    member_id: int | None,
) -> SentAnswer:
    """Record the commune's answer (a new version if it was sent before) with the figures of
    ``agg``, and the news for the province's members (the caller enqueues it)."""
    from reports.province import answer_of

    assert directive.id is not None and directive.parent_id is not None
    assert directive.commune_id is not None
    report = session.exec(
        select(CommuneReport)
        .where(CommuneReport.directive_id == directive.id)
        .where(CommuneReport.period_key == period_key)
        .with_for_update()
    ).first()
    if report is None:
        report = CommuneReport(
            commune_id=directive.commune_id,
            directive_id=directive.id,
            parent_id=directive.parent_id,
            period_key=period_key,
            first_sent_at=now,
            sent_at=now,
            sent_by=sent_by,
        )
    else:
        report.version += 1
        report.sent_at = now
    report.answer = answer_of(agg).to_json()
    report.sent_by = sent_by
    report.sent_by_member_id = member_id
    session.add(report)
    session.flush()
    assert report.id is not None
    commune = session.get(Commune, directive.commune_id)
    province = session.get(Directive, directive.parent_id)
    assert commune is not None and province is not None
    deadline = province.report_deadline
    first = report.first_sent_at.astimezone(settings.tz).date()
    late = deadline is not None and first > deadline
    c = agg.completeness
    text = t(
        "province.send.news_late" if late else "province.send.news",
        commune=esc(commune.name),
        number=esc(directive.number),
        at=now.astimezone(settings.tz).strftime("%H:%M %d/%m/%Y"),
        version=report.version,
        submitted=c.submitted,
        expected=c.expected,
    )
    members = province_members(session)
    chats = member_chats(session, members)
    news = []
    told = []
    for member in members:
        for channel, chat_id in chats.get(member.id or 0, []):
            key = f"answer:{report.id}:{report.version}:{member.id}:{channel}"
            news.append((member, Outgoing(channel, chat_id, Reply(text), dedupe_key=key)))
        if chats.get(member.id or 0):
            told.append(member.full_name)
    session.add(
        AuditLog(
            member_id=member_id,
            commune_id=directive.commune_id,
            actor=sent_by,
            action="report.send",
            target=directive.number,
            details={"period": period_key, "version": report.version},
            at=now,
        )
    )
    return SentAnswer(report, late, news, told)


def sent_text(answer: SentAnswer, directive: Directive, settings: Settings) -> str:
    """What the sender is told: when, which version, late or not, and who was told."""
    report = answer.report
    text = t(
        "province.send.done",
        number=esc(directive.number),
        at=report.sent_at.astimezone(settings.tz).strftime("%H:%M %d/%m/%Y"),
        version=report.version,
    )
    if answer.late:
        text += "\n" + t("province.send.late")
    names = ", ".join(esc(n) for n in answer.told)
    return (
        text
        + "\n"
        + (t("province.send.told", names=names) if answer.told else t("province.send.nobody"))
    )


def send(turn: Turn, directive_id: int, period_key: str) -> None:
    """Second press: record the commune's answer as compiled now, tell the province."""
    from reports.aggregate import aggregate  # pandas loads on the first send

    if not turn.has_role(*SEND_ROLES):
        _refuse(turn, "chat.not_allowed")
        return
    directive = _own_copy(turn, directive_id, period_key)
    if directive is None:
        _refuse(turn, "chat.stale_button")
        return
    assert turn.member is not None
    agg = aggregate(turn.session, directive_id, period_key, tz=turn.settings.tz, now=turn.now)
    answer = record_answer(
        turn.session,
        directive,
        period_key,
        agg,
        settings=turn.settings,
        now=turn.now,
        sent_by=f"{turn.event.channel}:{turn.event.user_id}",
        member_id=turn.member.id,
    )
    turn.outgoing.extend(outgoing for _member, outgoing in answer.news)
    turn.toast(t("province.send.toast"))
    turn.say(Reply(sent_text(answer, directive, turn.settings)))


def not_now(turn: Turn) -> None:
    turn.say(Reply(t("province.send.not_now")))


def province_members(session: Session) -> list[Member]:
    """Active members of the province-level units who hold a province role."""
    rows = session.exec(
        select(Member)
        .join(Unit, col(Unit.id) == col(Member.unit_id))
        .where(col(Unit.commune_id).is_(None))
        .where(col(Member.active).is_(True))
        .order_by(col(Member.id))
    ).all()
    return [m for m in rows if PROVINCE_ROLES & set(m.roles)]


# --- the province sees the roll-up ----------------------------------------------------------
def province_directives(session: Session, today: date) -> list[Directive]:
    """The province's directives still open today, newest start first."""
    rows = session.exec(
        select(Directive)
        .where(col(Directive.commune_id).is_(None))
        .where(col(Directive.active).is_(True))
        .order_by(col(Directive.starts_on).desc(), col(Directive.id).desc())
    ).all()
    return [d for d in rows if still_open(d, today)]


def pick_province_directive(turn: Turn, number: str) -> Directive | None:
    """The named province directive, the one open now, or None after offering the list."""
    today = _local(turn)
    if number:
        found = turn.session.exec(
            select(Directive)
            .where(col(Directive.commune_id).is_(None))
            .where(Directive.number == " ".join(number.split()))
        ).first()
        if found is None:
            turn.say(Reply(t("summary.no_directive", number=esc(number[:40]))))
        return found
    open_now = province_directives(turn.session, today)
    if len(open_now) == 1:
        return open_now[0]
    if not open_now:
        turn.say(Reply(t("province.none_open")))
        return None
    choices = [
        Choice(f"{d.number} — {d.summary}"[:48], f"psum:{d.id}", number=i)
        for i, d in enumerate(open_now, 1)
    ]
    turn.say(Reply(t("summary.pick", count=len(choices)), choices=choices))
    return None


def province_summary(turn: Turn, directive: Directive, period: str) -> None:
    """The roll-up in chat now; the province DOCX and XLSX after the commit."""
    from reports.province import province_aggregate
    from reports.province_summary import province_summary_text

    assert directive.id is not None and turn.member is not None
    try:
        period_key = resolve_period(directive, period, _local(turn))
    except PeriodError as exc:
        turn.say(Reply(esc(str(exc))))
        return
    rollup = province_aggregate(
        turn.session, directive.id, period_key, tz=turn.settings.tz, now=turn.now
    )
    turn.say(Reply(province_summary_text(rollup)))
    engine, settings, now, member_id = turn.db, turn.settings, turn.now, turn.member.id
    actor = f"{turn.event.channel}:{turn.event.user_id}"
    directive_id, number = directive.id, directive.number

    def build() -> list[Reply]:
        from reports.province_bundle import build_province_files

        files = build_province_files(engine, settings, directive_id, period_key, now)
        with Session(engine) as session:
            for action, path in (("report.docx", files.docx), ("report.xlsx", files.xlsx)):
                session.add(
                    AuditLog(
                        member_id=member_id,
                        actor=actor,
                        action=f"province.{action}",
                        target=number,
                        at=now,
                        details={"period": period_key, "path": str(path)},
                    )
                )
            session.commit()
        return [
            Reply(t("province.docx_caption"), document_path=str(files.docx)),
            Reply(t("province.xlsx_caption"), document_path=str(files.xlsx)),
        ]

    turn.after_commit.append(build)


def province_picked(turn: Turn, directive_id: int) -> None:
    if not turn.reach.province_wide:
        _refuse(turn, "chat.not_allowed")
        return
    directive = turn.session.get(Directive, directive_id)
    if directive is None or directive.commune_id is not None or not directive.active:
        _refuse(turn, "chat.stale_button")
        return
    province_summary(turn, directive, "")


def province_progress(turn: Turn) -> None:
    """/tiendo for the province: the roll-up's text of the directive open now."""
    from reports.province import province_aggregate
    from reports.province_summary import province_summary_text

    directive = pick_province_directive(turn, "")
    if directive is None or directive.id is None:
        return
    try:
        period_key = resolve_period(directive, "", _local(turn))
    except PeriodError as exc:
        turn.say(Reply(esc(str(exc))))
        return
    rollup = province_aggregate(
        turn.session, directive.id, period_key, tz=turn.settings.tz, now=turn.now
    )
    turn.say(Reply(province_summary_text(rollup)))
