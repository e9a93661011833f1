"""A plausible recent history for the sample commune (Xã Tây Trà), so the playground and demos
look like a commune in use instead of weeks of red «Chưa nộp».

Everything is filed the way a person's report is: answers typed as text and read by the
chat's own parser (:func:`bot.core.answers.parse_typed`), the directive and period found by
:func:`bot.core.directives.resolve_scope` on the day of filing, saved by
:func:`handlers.submissions.save_submission`, an urgent tip opening its incident through
:func:`handlers.incidents.maybe_open_incident` and the police moving it on through
:func:`handlers.incidents.change_status`. What those would send goes nowhere: the sample
members have no chats, and nobody is told about a past that did not happen.

Relative to ``now``: the recent weeks of the weekly directives, and the 1949/UBND-NC campaign
as far as it had gone. Deterministic (one seeded random draw per unit and period, so a later
run extends the same history) and idempotent (a unit's report already filed for a period is
never filed twice). Sample data only: it touches only the sample roster's people, and its
free texts say «dữ liệu mẫu».
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlmodel import Session, col, func, select

from bot.core.answers import Answer, local_today, parse_typed, time_order_refusal
from bot.core.directives import resolve_scope
from bot.core.events import EventKind, InboundEvent
from bot.core.forms.loader import load_configured_forms
from bot.core.forms.schema import Form
from bot.core.periods import period_for
from bot.core.turn import Turn
from bot.settings import Settings
from handlers.incidents import change_status, maybe_open_incident
from handlers.submissions import existing_submission, save_submission
from storage.enums import Channel, IncidentStatus, Recurrence, SubmissionStatus
from storage.models import AuditLog, Directive, Member, Submission, Unit
from storage.roster import read_roster
from storage.sample import SAMPLE_ROSTER

WEEKS = 7  # complete weeks before the current one (the dashboard shows eight periods)
SAMPLE_NOTE = "(dữ liệu mẫu)"
#: How each village files its weekly report: the share of weeks it reports at all, and
#: how many days into the week it usually does. Two are reliable, one forgets now and then,
#: one is often missing — what a commune office really sees.
_VILLAGE_HABITS = {
    "Thôn Trà Xinh": (1.0, 0),
    "Thôn Trà Lãnh": (1.0, 1),
    "Thôn Trà Nham": (0.9, 2),
    "Thôn Trà Khê": (1.0, 0),
    "Thôn Trà Phong": (0.85, 4),
    "Thôn Trà Thọ": (1.0, 3),
    "Thôn Trà Trung": (0.7, 5),
    "Thôn Trà Quân": (0.35, 6),
}
#: Every fourth week since the directive started, one village (in turn) reports strangers
#: instead of «nothing found»; the police resolve each tip the same day.
_TIP_EVERY_WEEKS = 4
_TIPS = (
    (
        "Thôn Trà Phong",
        "Rẫy keo cuối thôn Trà Phong, gần suối",
        "Hai người lạ mang ba lô lớn, hỏi đường sang huyện bên",
    ),
    (
        "Thôn Trà Lãnh",
        "Đầu cầu treo Trà Lãnh",
        "Hai người nói tiếng nước ngoài, đi xe máy không biển số",
    ),
)
_PATROL_ROUTES = (
    "Đường liên xã Trà Xinh – Trà Lãnh",
    "Đường mòn ven suối Trà Khê",
    "Khu vực bến đò Trà Phong",
    "Tuyến rẫy giáp ranh Trà Thọ – Trà Trung",
)


@dataclass
class _Filing:
    """One report to file, as the member would have typed it, at ``at`` (UTC)."""

    form: Form
    directive: Directive
    member: Member
    unit: Unit
    at: datetime
    typed: dict[str, str]  # question id → what was typed (an absent optional one is skipped)


def seed_sample_history(session: Session, settings: Settings, now: datetime) -> int:
    """File the sample commune's recent reports up to ``now``; returns how many were new."""
    forms = load_configured_forms(settings)
    people = _sample_people(session)
    directives = {d.number: d for d in session.exec(select(Directive)).all()}
    filings = [
        *_weekly_reports(forms, directives.get("45/KH-UBND"), people, now, settings),
        *_patrol_logs(forms, directives.get("46/KH-UBND"), people, now, settings),
        *_campaign_results(forms, directives.get("1949/UBND-NC"), people, now, settings),
    ]
    filed = 0
    for filing in sorted(filings, key=lambda f: f.at):
        if filing.at < now and _file(session, settings, forms, filing, people, now):
            filed += 1
    if filed:
        session.add(AuditLog(actor="sample", action="sample.history", details={"filed": filed}))
    return filed


def _sample_people(session: Session) -> dict[str, tuple[Member, Unit]]:
    """The sample roster's members (by phone) with their units; nobody else is touched."""
    phones = [row.phone for row in read_roster(SAMPLE_ROSTER)]
    rows = session.exec(
        select(Member, Unit)
        .join(Unit, col(Unit.id) == col(Member.unit_id))
        .where(col(Member.phone).in_(phones))
        .where(col(Member.active).is_(True))
    ).all()
    return {member.phone: (member, unit) for member, unit in rows}


def _first_with_role(
    people: dict[str, tuple[Member, Unit]], unit_name: str, role: str, index: int = 0
) -> tuple[Member, Unit] | None:
    found = sorted(
        (pair for pair in people.values() if pair[1].name == unit_name and role in pair[0].roles),
        key=lambda pair: pair[0].id or 0,
    )
    return found[index] if len(found) > index else None


def _local(day: date, hour: int, minute: int, settings: Settings) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=settings.tz)


def _recent_weeks(directive: Directive, now: datetime, settings: Settings) -> list[date]:
    """Mondays of the last :data:`WEEKS` weeks and the current one, never before the start."""
    today = now.astimezone(settings.tz).date()
    monday = period_for(Recurrence.WEEKLY, today).first_day
    weeks = [monday - timedelta(weeks=n) for n in range(WEEKS, -1, -1)]
    return [w for w in weeks if w + timedelta(days=6) >= directive.starts_on and w <= today]


def _weekly_reports(
    forms: dict[str, Form],
    directive: Directive | None,
    people: dict[str, tuple[Member, Unit]],
    now: datetime,
    settings: Settings,
) -> list[_Filing]:
    """Each village's «Không phát hiện gì» per week, by its habit; one week an urgent tip."""
    one_tap, tip = forms.get("khong_phat_hien"), forms.get("doi_tuong_kha_nghi")
    if directive is None or one_tap is None:
        return []
    weeks = _recent_weeks(directive, now, settings)
    first_monday = period_for(Recurrence.WEEKLY, directive.starts_on).first_day
    tips: dict[tuple[str, date], tuple[str, str]] = {}
    for monday in weeks:
        index = (monday - first_monday).days // 7
        if tip is not None and index % _TIP_EVERY_WEEKS == 1:
            village, place, seen = _TIPS[(index // _TIP_EVERY_WEEKS) % len(_TIPS)]
            tips[(village, monday)] = (place, seen)
    filings: list[_Filing] = []
    for village, (share, weekday) in _VILLAGE_HABITS.items():
        head = _first_with_role(people, village, "village_head")
        if head is None:
            continue
        for monday in weeks:
            if (village, monday) in tips:
                continue  # that week its report is a tip (below), not «nothing found»
            draw = random.Random(f"{village}|{monday.isoformat()}")
            if draw.random() >= share:
                continue  # this week the village did not report
            day = max(monday + timedelta(days=weekday), directive.starts_on)
            at = _local(day, draw.randint(7, 17), draw.choice((0, 15, 30, 45)), settings)
            filings.append(_Filing(one_tap, directive, *head, at, {}))
    for (village, monday), (place, seen) in tips.items():
        head = _first_with_role(people, village, "village_head")
        if tip is None or head is None:
            continue
        day = monday + timedelta(days=2)
        typed = {
            "dia_diem": place,
            "ngay": day.strftime("%d/%m/%Y"),
            "gio": "5h30",
            "so_nguoi": "2",
            "dau_hieu": "1,2",
            "mo_ta": f"{seen} {SAMPLE_NOTE}",
            "lien_he": "1",  # the registered number, as a person taps it
        }
        filings.append(_Filing(tip, directive, *head, _local(day, 6, 10, settings), typed))
    return filings


def _patrol_logs(
    forms: dict[str, Form],
    directive: Directive | None,
    people: dict[str, tuple[Member, Unit]],
    now: datetime,
    settings: Settings,
) -> list[_Filing]:
    """One or two patrols a week by the commune police, most weeks one by the militia."""
    form = forms.get("nhat_ky_tuan_tra")
    if directive is None or form is None:
        return []
    crews = (("Công an xã Tây Trà", "police", 2), ("Ban CHQS xã Tây Trà", "militia", 1))
    filings: list[_Filing] = []
    for monday in _recent_weeks(directive, now, settings):
        for unit_name, role, most in crews:
            draw = random.Random(f"{unit_name}|{monday.isoformat()}")
            for n in range(draw.randint(0 if role == "militia" else 1, most)):
                reporter = _first_with_role(people, unit_name, role, index=n)
                if reporter is None:
                    continue
                day = max(monday + timedelta(days=draw.randint(0, 5)), directive.starts_on)
                night = draw.random() < 0.4
                start, end = ("21:00", "1h") if night else ("7h", "10h30")
                typed = {
                    "ngay": day.strftime("%d/%m/%Y"),
                    "gio_bat_dau": start,
                    "gio_ket_thuc": end,
                    "tuyen": f"{draw.choice(_PATROL_ROUTES)} {SAMPLE_NOTE}",
                    "cong_an": str(draw.randint(1, 3) if role == "police" else 0),
                    "dan_quan": str(draw.randint(0, 2) if role == "police" else draw.randint(2, 4)),
                    "an_ninh_co_so": str(draw.randint(0, 2)),
                    "nguoi_kiem_tra": str(draw.randint(3, 25)),
                    "xe_kiem_tra": str(draw.randint(0, 12)),
                    "nguoi_nuoc_ngoai": "0",
                    "co_phat_hien": "không",
                }
                filed_on = day + timedelta(days=1) if night else day
                at = _local(filed_on, 8 if night else 11, 5 * n, settings)
                filings.append(_Filing(form, directive, *reporter, at, typed))
    return filings


def _campaign_results(
    forms: dict[str, Form],
    directive: Directive | None,
    people: dict[str, tuple[Member, Unit]],
    now: datetime,
    settings: Settings,
) -> list[_Filing]:
    """1949/UBND-NC: most units report before the unit deadline, two late, two never."""
    form = forms.get("ket_qua_thuc_hien")
    if directive is None or form is None or directive.unit_deadline is None:
        return []
    late = {"Thôn Trà Trung", "Hội Nông dân xã"}
    never = {"Thôn Trà Quân", "Phòng Văn hóa - Xã hội"}
    reporters: dict[str, tuple[Member, Unit]] = {}
    for member, unit in sorted(people.values(), key=lambda pair: pair[0].id or 0):
        if unit.kind in directive.target_unit_kinds and set(form.roles) & set(member.roles):
            reporters.setdefault(unit.name, (member, unit))
    span = (directive.unit_deadline - directive.starts_on).days
    filings: list[_Filing] = []
    for unit_name, (member, unit) in sorted(reporters.items()):
        if unit_name in never:
            continue
        draw = random.Random(f"{unit_name}|{directive.number}")
        offset = span + draw.randint(1, 2) if unit_name in late else draw.randint(2, span)
        sessions = draw.randint(1, 4)
        typed = {
            "buoi_tuyen_truyen": str(sessions),
            "nguoi_tham_du": str(sessions * draw.randint(25, 60)),
            "to_tu_quan": str(draw.randint(1, 3)),
            "camera": str(draw.randint(0, 6)),
            "nhom_zalo": str(draw.randint(1, 2)),
            "nguoi_nuoc_ngoai": "0",
            "kiem_tra_cu_tru": str(draw.randint(2, 15)),
            "vu_phat_hien": "0",
        }
        if draw.random() < 0.5:
            typed["kho_khan"] = f"Địa bàn rộng, đồi núi, đi lại khó khăn {SAMPLE_NOTE}"
        at = _local(directive.starts_on + timedelta(days=offset), 15, 30, settings)
        filings.append(_Filing(form, directive, member, unit, at, typed))
    return filings


def _turn(session: Session, settings: Settings, forms: dict[str, Form], filing: _Filing) -> Turn:
    member, at = filing.member, filing.at
    event = InboundEvent(
        channel=Channel.WEB.value,
        update_key=f"sample:{member.id}:{at.isoformat()}",
        chat_id=str(member.id),
        user_id=str(member.id),
        kind=EventKind.TEXT,
        received_at=at,
    )
    return Turn(session, settings, forms, event, at, member=member, unit=filing.unit)


def _answers(turn: Turn, filing: _Filing) -> dict[str, object]:
    """Walk the form as the dialog does, parsing each typed answer with the chat's parser."""
    form = filing.form
    answers: dict[str, object] = {}
    today = local_today(filing.at, turn.settings.tz)
    question = form.first_unanswered({})
    while question is not None:
        typed = filing.typed.get(question.id)
        if typed is None:
            assert not question.required, f"sample answer missing for {question.id}"
            answers[question.id] = None
        else:
            result = parse_typed(question, typed, today, filing.member.phone)
            assert isinstance(result, Answer), f"sample answer {typed!r} refused: {result}"
            assert time_order_refusal(form, question, result.value, answers) is None
            answers[question.id] = result.value
        question = form.next_question(answers, after=question.id)
    return answers


def _file(
    session: Session,
    settings: Settings,
    forms: dict[str, Form],
    filing: _Filing,
    people: dict[str, tuple[Member, Unit]],
    now: datetime,
) -> bool:
    """File one report unless the unit already has it for that period; True when filed."""
    turn = _turn(session, settings, forms, filing)
    day = filing.at.astimezone(settings.tz).date()
    form, unit = filing.form, filing.unit
    assert unit.id is not None
    scope = resolve_scope(session, form, unit.kind, day, filing.directive.id)
    if scope is None:
        return False
    if _already(session, filing, scope.period.key):
        return False
    submission = save_submission(
        turn,
        form,
        _answers(turn, filing),
        directive_id=scope.directive_id,
        period_key=scope.period.key,
        amend_id=None,
    )
    incident = maybe_open_incident(turn, form, submission)
    if incident is not None and incident.id is not None:
        _resolve(session, settings, forms, filing, incident.id, people, now)
    return True


def _already(session: Session, filing: _Filing, period_key: str) -> bool:
    """One-per-period forms: already filed. Others: a report of this person at this moment."""
    unit_id = filing.unit.id or 0
    if filing.form.one_per_period or filing.form.one_tap:
        found = existing_submission(
            session, filing.form.id, filing.directive.id, period_key, unit_id
        )
        return found is not None
    same = session.exec(
        select(func.count())
        .select_from(Submission)
        .where(col(Submission.form_id) == filing.form.id)
        .where(col(Submission.member_id) == filing.member.id)
        .where(col(Submission.created_at) == filing.at)
        .where(col(Submission.status) != SubmissionStatus.DRAFT.value)
    ).one()
    return bool(same)


def _resolve(
    session: Session,
    settings: Settings,
    forms: dict[str, Form],
    filing: _Filing,
    incident_id: int,
    people: dict[str, tuple[Member, Unit]],
    now: datetime,
) -> None:
    """The commune police take the tip, check it and close it within the day (as far as
    that day has come by ``now``)."""
    cop = _first_with_role(people, "Công an xã Tây Trà", "police")
    if cop is None:
        return
    for minutes, status in (
        (12, IncidentStatus.RECEIVED),
        (95, IncidentStatus.VERIFYING),
        (420, IncidentStatus.HANDLED),
    ):
        step = _Filing(
            filing.form, filing.directive, *cop, filing.at + timedelta(minutes=minutes), {}
        )
        change_status(_turn(session, settings, forms, step), incident_id, status.value)
