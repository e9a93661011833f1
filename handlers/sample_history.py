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
from bot.core.roster_cache import RosterCache, RosterView
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
    history = _History(session, settings, load_configured_forms(settings), now)
    directives = {d.number: d for d in session.exec(select(Directive)).all()}
    filings = [
        *history.weekly_reports(directives.get("45/KH-UBND")),
        *history.patrol_logs(directives.get("46/KH-UBND")),
        *history.campaign_results(directives.get("1949/UBND-NC")),
    ]
    filed = sum(history.file(f) for f in sorted(filings, key=lambda f: f.at) if f.at < now)
    if filed:
        session.add(AuditLog(actor="sample", action="sample.history", details={"filed": filed}))
    return filed


class _History:
    """The sample commune's people and forms, and the moment the history runs up to."""

    def __init__(
        self, session: Session, settings: Settings, forms: dict[str, Form], now: datetime
    ) -> None:
        self.session, self.settings, self.forms, self.now = session, settings, forms, now
        self.people = self._sample_people()

    def _sample_people(self) -> list[tuple[Member, Unit]]:
        """The sample roster's members with their units, by id; nobody else is touched."""
        phones = [row.phone for row in read_roster(SAMPLE_ROSTER)]
        rows = self.session.exec(
            select(Member, Unit)
            .join(Unit, col(Unit.id) == col(Member.unit_id))
            .where(col(Member.phone).in_(phones))
            .where(col(Member.active).is_(True))
            .order_by(col(Member.id))
        ).all()
        return [(member, unit) for member, unit in rows]

    def person(self, unit_name: str, role: str, index: int = 0) -> tuple[Member, Unit] | None:
        found = [p for p in self.people if p[1].name == unit_name and role in p[0].roles]
        return found[index] if len(found) > index else None

    def local(self, day: date, hour: int, minute: int) -> datetime:
        return datetime.combine(day, time(hour, minute), tzinfo=self.settings.tz)

    def recent_weeks(self, directive: Directive) -> list[date]:
        """Mondays of the last :data:`WEEKS` weeks and the current one, none before the start."""
        today = self.now.astimezone(self.settings.tz).date()
        monday = period_for(Recurrence.WEEKLY, today).first_day
        weeks = [monday - timedelta(weeks=n) for n in range(WEEKS, -1, -1)]
        return [w for w in weeks if w + timedelta(days=6) >= directive.starts_on]

    # --- what was reported ----------------------------------------------------------------
    def weekly_reports(self, directive: Directive | None) -> list[_Filing]:
        """Each village's «Không phát hiện gì» per week, by its habit; now and then a tip."""
        one_tap, tip = self.forms.get("khong_phat_hien"), self.forms.get("doi_tuong_kha_nghi")
        if directive is None or one_tap is None:
            return []
        weeks = self.recent_weeks(directive)
        tips = self._tip_weeks(directive, weeks) if tip is not None else {}
        filings: list[_Filing] = []
        for village, (share, weekday) in _VILLAGE_HABITS.items():
            head = self.person(village, "village_head")
            if head is None:
                continue
            for monday in weeks:
                if (village, monday) in tips:
                    continue  # that week its report is a tip (below), not «nothing found»
                draw = random.Random(f"{village}|{monday.isoformat()}")
                if draw.random() >= share:
                    continue  # this week the village did not report
                day = max(monday + timedelta(days=weekday), directive.starts_on)
                at = self.local(day, draw.randint(7, 17), draw.choice((0, 15, 30, 45)))
                filings.append(_Filing(one_tap, directive, *head, at, {}))
        for (village, monday), (place, seen) in tips.items():
            head = self.person(village, "village_head")
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
            filings.append(_Filing(tip, directive, *head, self.local(day, 6, 10), typed))
        return filings

    @staticmethod
    def _tip_weeks(
        directive: Directive, weeks: list[date]
    ) -> dict[tuple[str, date], tuple[str, str]]:
        """(village, Monday) → (place, what was seen): every fourth week since the start."""
        first_monday = period_for(Recurrence.WEEKLY, directive.starts_on).first_day
        tips = {}
        for monday in weeks:
            index = (monday - first_monday).days // 7
            if index % _TIP_EVERY_WEEKS == 1:
                village, place, seen = _TIPS[(index // _TIP_EVERY_WEEKS) % len(_TIPS)]
                tips[(village, monday)] = (place, seen)
        return tips

    def patrol_logs(self, directive: Directive | None) -> list[_Filing]:
        """One or two patrols a week by the commune police, most weeks one by the militia."""
        form = self.forms.get("nhat_ky_tuan_tra")
        if directive is None or form is None:
            return []
        crews = (("Công an xã Tây Trà", "police", 1, 2), ("Ban CHQS xã Tây Trà", "militia", 0, 1))
        filings: list[_Filing] = []
        for monday in self.recent_weeks(directive):
            for unit_name, role, fewest, most in crews:
                draw = random.Random(f"{unit_name}|{monday.isoformat()}")
                for n in range(draw.randint(fewest, most)):
                    reporter = self.person(unit_name, role, index=n)
                    if reporter is None:
                        continue
                    day = max(monday + timedelta(days=draw.randint(0, 5)), directive.starts_on)
                    night = draw.random() < 0.4
                    police = role == "police"
                    typed = {
                        "ngay": day.strftime("%d/%m/%Y"),
                        "gio_bat_dau": "21:00" if night else "7h",
                        "gio_ket_thuc": "1h" if night else "10h30",  # 01:00 the next morning
                        "tuyen": f"{draw.choice(_PATROL_ROUTES)} {SAMPLE_NOTE}",
                        "cong_an": str(draw.randint(1, 3) if police else 0),
                        "dan_quan": str(draw.randint(0, 2) if police else draw.randint(2, 4)),
                        "an_ninh_co_so": str(draw.randint(0, 2)),
                        "nguoi_kiem_tra": str(draw.randint(3, 25)),
                        "xe_kiem_tra": str(draw.randint(0, 12)),
                        "nguoi_nuoc_ngoai": "0",
                        "co_phat_hien": "không",
                    }
                    filed_on = day + timedelta(days=1) if night else day
                    at = self.local(filed_on, 8 if night else 11, 5 * n)
                    filings.append(_Filing(form, directive, *reporter, at, typed))
        return filings

    def campaign_results(self, directive: Directive | None) -> list[_Filing]:
        """1949/UBND-NC: most units report before the unit deadline, two late, two never."""
        form = self.forms.get("ket_qua_thuc_hien")
        if directive is None or form is None or directive.unit_deadline is None:
            return []
        late = {"Thôn Trà Trung", "Hội Nông dân xã"}
        never = {"Thôn Trà Quân", "Phòng Văn hóa - Xã hội"}
        reporters: dict[str, tuple[Member, Unit]] = {}
        for member, unit in self.people:
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
            at = self.local(directive.starts_on + timedelta(days=offset), 15, 30)
            filings.append(_Filing(form, directive, member, unit, at, typed))
        return filings

    # --- filing, the way the dialog files -------------------------------------------------
    def turn(self, filing: _Filing) -> Turn:
        member, at = filing.member, filing.at
        event = InboundEvent(
            channel=Channel.WEB.value,
            update_key=f"sample:{member.id}:{at.isoformat()}",
            chat_id=str(member.id),
            user_id=str(member.id),
            kind=EventKind.TEXT,
            received_at=at,
        )
        conn = self.session.connection()
        # No cache: the sample is seeded once, inside one transaction that also writes the
        # roster it reads.
        roster = RosterView(RosterCache(), conn, version=0, bypass=True)
        return Turn(
            conn,
            roster,
            self.settings,
            self.forms,
            event,
            at,
            member=member,
            unit=filing.unit,
            _session=self.session,
        )

    def file(self, filing: _Filing) -> bool:
        """File one report unless the unit already has it for that period; True when filed."""
        turn = self.turn(filing)
        day = filing.at.astimezone(self.settings.tz).date()
        form, unit = filing.form, filing.unit
        scope = resolve_scope(turn.active_directives(), form, unit, day, filing.directive.id)
        if scope is None or self._already(filing, scope.period.key):
            return False
        submission = save_submission(
            turn,
            form,
            _answers(filing, self.settings),
            directive_id=scope.directive_id,
            period_key=scope.period.key,
            amend_id=None,
        )
        opened = maybe_open_incident(turn, form, submission)
        if opened is not None and opened.incident.id is not None:
            self._resolve(filing, opened.incident.id)
        return True

    def _already(self, filing: _Filing, period_key: str) -> bool:
        """One-per-period forms: already filed. Others: this person's report of that moment."""
        form = filing.form
        if form.one_per_period or form.one_tap:
            unit_id = filing.unit.id or 0
            found = existing_submission(
                self.session, form.id, filing.directive.id, period_key, unit_id
            )
            return found is not None
        same = self.session.exec(
            select(func.count())
            .select_from(Submission)
            .where(col(Submission.form_id) == form.id)
            .where(col(Submission.member_id) == filing.member.id)
            .where(col(Submission.created_at) == filing.at)
            .where(col(Submission.status) != SubmissionStatus.DRAFT.value)
        ).one()
        return bool(same)

    def _resolve(self, filing: _Filing, incident_id: int) -> None:
        """The commune police take the tip, check it and close it within the day (as far as
        that day has come by ``now``)."""
        cop = self.person("Công an xã Tây Trà", "police")
        steps = (
            (12, IncidentStatus.RECEIVED),
            (95, IncidentStatus.VERIFYING),
            (420, IncidentStatus.HANDLED),
        )
        if cop is None:
            return
        for minutes, status in steps:
            at = filing.at + timedelta(minutes=minutes)
            if at >= self.now:
                return
            step = _Filing(filing.form, filing.directive, *cop, at, {})
            change_status(self.turn(step), incident_id, status.value)


def _answers(filing: _Filing, settings: Settings) -> dict[str, object]:
    """Walk the form as the dialog does, parsing each typed answer with the chat's parser."""
    form = filing.form
    answers: dict[str, object] = {}
    today = local_today(filing.at, settings.tz)
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
