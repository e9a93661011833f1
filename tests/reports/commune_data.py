"""One commune's worth of report data, in exactly the shape the dialog engine stores.

``fill_commune(engine, tz)`` creates Tây Trà (21154), its units and members, the directive
1949/UBND-NC and the submissions, patrol logs and incidents of its one-off period. It
returns :class:`Expected`: the figures a correct aggregation must produce, worked out here
from the same plain tables the rows are made from, never by calling the aggregator.

The lead will switch the set-up to drive the real dialog engine; the tables below then
become the answers typed into it, and ``Expected`` stays as it is.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Engine

from storage.commune import resolve_commune, save_commune
from storage.db import transaction
from storage.models import (
    Directive,
    Incident,
    IncidentEvent,
    Member,
    Submission,
    SubmissionFigure,
    SubmissionRevision,
    Unit,
)

NUMBER = "1949/UBND-NC"
STARTS_ON = date(2025, 9, 5)
UNIT_DEADLINE = date(2025, 9, 14)
REPORT_DEADLINE = date(2025, 9, 15)
TARGET_KINDS = ["village", "police", "military", "agency"]

#: (unit name, kind) — 6 villages, police, military, 2 agencies, the office (not targeted).
UNITS: list[tuple[str, str]] = [
    ("Thôn Trà Xinh", "village"),
    ("Thôn Trà Ong", "village"),
    ("Thôn Trà Lãnh", "village"),
    ("Thôn Trà Nga", "village"),
    ("Thôn Trà Bung", "village"),
    ("Thôn Gò Rô", "village"),
    ("Công an xã", "police"),
    ("Ban CHQS xã", "military"),
    ("Hội Phụ nữ xã", "agency"),
    ("Đoàn Thanh niên xã", "agency"),
    ("Văn phòng HĐND&UBND xã", "office"),
]

#: Result-form figure keys in the order of the tables below.
KEYS = (
    "propaganda_sessions",
    "propaganda_attendees",
    "security_teams",
    "cameras",
    "zalo_groups",
    "foreigners_residing",
    "residence_checks",
    "cases_detected",
    "cases_handled",
)
#: The result form's question ids for those figures (bot/forms/04_ket_qua_thuc_hien.yaml).
QUESTION_IDS = (
    "buoi_tuyen_truyen",
    "nguoi_tham_du",
    "to_tu_quan",
    "camera",
    "nhom_zalo",
    "nguoi_nuoc_ngoai",
    "kiem_tra_cu_tru",
    "vu_phat_hien",
    "vu_xu_ly",
)


def utc(y: int, mo: int, d: int, h: int, mi: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, tzinfo=UTC)


@dataclass(frozen=True)
class Filed:
    """A unit's result report: when it was first filed and its figure versions."""

    unit: str
    first_at: datetime  # UTC
    versions: list[tuple[int, ...]]  # one tuple of KEYS values per version
    kho_khan: str | None = None
    de_xuat: str | None = None


# Local time is UTC+7. The deadline is 14/09 (local), so 14/09 16:30 UTC (23:30 local) is
# still on time and 14/09 17:30 UTC (00:30 on the 15th, local) is already late.
FILED: list[Filed] = [
    Filed(
        "Thôn Trà Xinh",
        utc(2025, 9, 10, 2),
        [(2, 120, 3, 1, 1, 0, 4, 0, 0)],
        kho_khan="Địa bàn rộng, giao thông đi lại khó khăn.",
        de_xuat="Hỗ trợ kinh phí in tờ rơi tuyên truyền.",
    ),
    Filed(
        "Thôn Trà Ong",
        utc(2025, 9, 11, 3),
        # amended: version 1 said 1 session / 50 people; version 2 corrects it
        [(1, 50, 2, 0, 1, 0, 2, 0, 0), (3, 150, 2, 0, 1, 0, 3, 0, 0)],
        kho_khan="  địa bàn  rộng, giao thông đi lại KHÓ KHĂN. ",
        de_xuat="Không",
    ),
    Filed(
        "Thôn Trà Lãnh",
        utc(2025, 9, 14, 17, 30),
        [(1, 40, 2, 0, 1, 0, 1, 0, 0)],
        kho_khan="Người dân còn chủ quan, mất cảnh giác.",
    ),
    Filed("Thôn Trà Nga", utc(2025, 9, 14, 16, 30), [(2, 90, 3, 2, 1, 0, 2, 0, 0)]),
    Filed(
        "Công an xã",
        utc(2025, 9, 12, 8),
        [(4, 300, 0, 4, 2, 3, 12, 1, 1)],
        kho_khan="Lực lượng còn mỏng, trang thiết bị tuần tra còn hạn chế.",
        de_xuat="Đề nghị Công an tỉnh tập huấn nghiệp vụ cho Công an xã.",
    ),
    Filed("Ban CHQS xã", utc(2025, 9, 16, 1), [(1, 30, 0, 0, 0, 0, 0, 0, 0)]),
    Filed(
        "Hội Phụ nữ xã",
        utc(2025, 9, 9, 4),
        [(2, 110, 0, 0, 3, 0, 0, 0, 0)],
        de_xuat="Hỗ trợ kinh phí in tờ rơi tuyên truyền.",
    ),
]
#: Thôn Trà Bung has only a draft (ignored); Thôn Gò Rô and Đoàn Thanh niên xã have nothing.
DRAFT_ONLY = "Thôn Trà Bung"

PATROL_KEYS = (
    "patrol_police",
    "patrol_militia",
    "patrol_security",
    "persons_checked",
    "vehicles_checked",
    "foreigners_checked",
    "findings",
)
PATROL_QUESTIONS = (
    "cong_an",
    "dan_quan",
    "an_ninh_co_so",
    "nguoi_kiem_tra",
    "xe_kiem_tra",
    "nguoi_nuoc_ngoai",
    "co_phat_hien",
)


@dataclass(frozen=True)
class Patrol:
    unit: str
    day: date  # the log's own date answer
    filed_at: datetime
    values: tuple[int, ...]  # PATROL_KEYS
    counted: bool  # in the period window and not a draft
    draft: bool = False


PATROLS: list[Patrol] = [
    Patrol("Công an xã", date(2025, 9, 6), utc(2025, 9, 6, 14), (3, 4, 2, 12, 5, 0, 0), True),
    Patrol("Công an xã", date(2025, 9, 9), utc(2025, 9, 9, 13), (2, 3, 1, 8, 6, 2, 1), True),
    # patrolled on the 14th, logged on the 16th: dated in the window, so it counts
    Patrol("Công an xã", date(2025, 9, 14), utc(2025, 9, 16, 2), (2, 2, 2, 5, 3, 0, 0), True),
    Patrol("Ban CHQS xã", date(2025, 9, 8), utc(2025, 9, 8, 12), (1, 6, 0, 4, 2, 0, 0), True),
    Patrol("Ban CHQS xã", date(2025, 9, 12), utc(2025, 9, 12, 12), (0, 5, 1, 6, 1, 1, 0), True),
    # before the period: not counted
    Patrol("Công an xã", date(2025, 9, 3), utc(2025, 9, 3, 12), (9, 9, 9, 99, 99, 9, 1), False),
    # a draft in the window: not counted
    Patrol(
        "Công an xã",
        date(2025, 9, 10),
        utc(2025, 9, 10, 12),
        (7, 7, 7, 77, 77, 7, 1),
        False,
        draft=True,
    ),
]


@dataclass(frozen=True)
class Tip:
    unit: str
    reported_at: datetime
    summary: str
    location: str | None
    people: int | None
    history: list[tuple[str, str, datetime]]  # (status, by member of unit, at)
    counted: bool = True


TIPS: list[Tip] = [
    Tip(
        "Thôn Trà Xinh",
        utc(2025, 9, 7, 3),
        "2 người lạ nói tiếng nước ngoài hỏi đường sang Lào",
        "Đường liên thôn Trà Xinh – Trà Ong",
        2,
        [
            ("new", "Thôn Trà Xinh", utc(2025, 9, 7, 3)),
            ("received", "Công an xã", utc(2025, 9, 7, 3, 20)),
            ("handled", "Công an xã", utc(2025, 9, 8, 9)),
        ],
    ),
    Tip(
        "Thôn Trà Nga",
        utc(2025, 9, 11, 10),
        "Xe máy lạ chở 3 người đi vào rừng lúc tối",
        None,
        3,
        [
            ("new", "Thôn Trà Nga", utc(2025, 9, 11, 10)),
            ("verifying", "Ban CHQS xã", utc(2025, 9, 11, 12)),
        ],
    ),
    Tip(
        "Thôn Trà Lãnh",
        utc(2025, 9, 13, 1),
        "Người lạ thuê trọ <không khai báo> & bỏ đi",
        "Nhà trọ cuối thôn",
        1,
        [
            ("new", "Thôn Trà Lãnh", utc(2025, 9, 13, 1)),
            ("received", "Công an xã", utc(2025, 9, 13, 2)),
            ("false_report", "Công an xã", utc(2025, 9, 13, 6)),
        ],
    ),
    # after the window: not in this period's incidents
    Tip(
        "Thôn Gò Rô",
        utc(2025, 9, 20, 1),
        "Tin báo sau kỳ",
        None,
        None,
        [("new", "Thôn Gò Rô", utc(2025, 9, 20, 1))],
        counted=False,
    ),
]


@dataclass
class Expected:
    commune_name: str
    directive_id: int
    unit_ids: dict[str, int]
    member_names: dict[str, str]  # unit → its member's name
    expected: int
    on_time: list[str]
    late: list[str]
    missing: list[str]
    by_kind: dict[str, tuple[int, int, int, int]]  # kind → expected, on time, late, missing
    figures: dict[str, int]
    unit_figures: dict[str, dict[str, int]]
    patrol: dict[str, int]
    incidents_by_status: dict[str, int]
    incident_summaries: list[str]
    incident_outcome: dict[str, tuple[str, str]]  # summary → (latest status, changed by)
    difficulties: dict[str, list[str]] = field(default_factory=dict)  # normalised → units
    proposals: dict[str, list[str]] = field(default_factory=dict)


def _member_name(unit: str) -> str:
    return f"Người báo {unit}"


def _answers(values: tuple[int, ...], filed: Filed) -> dict[str, Any]:
    answers: dict[str, Any] = dict(zip(QUESTION_IDS, values, strict=True))
    if filed.kho_khan is not None:
        answers["kho_khan"] = filed.kho_khan
    if filed.de_xuat is not None:
        answers["de_xuat"] = filed.de_xuat
    return answers


def fill_commune(engine: Engine, tz: ZoneInfo) -> Expected:
    """Create the commune and its reports; return what the aggregation must find."""
    del tz  # the rows are all UTC; ``tz`` is the caller's, kept for the engine-driven version
    with transaction(engine) as s:
        commune = save_commune(s, resolve_commune("Quảng Ngãi", "Tây Trà"))
        assert commune.id is not None
        units: dict[str, Unit] = {}
        members: dict[str, Member] = {}
        for i, (name, kind) in enumerate(UNITS):
            unit = Unit(commune_id=commune.id, name=name, kind=kind)
            s.add(unit)
            s.flush()
            assert unit.id is not None
            member = Member(
                unit_id=unit.id,
                full_name=_member_name(name),
                phone=f"09{i:08d}",
                roles=["police"] if kind == "police" else ["village_head"],
            )
            s.add(member)
            s.flush()
            units[name], members[name] = unit, member
        directive = Directive(
            commune_id=commune.id,
            number=NUMBER,
            issued_on=date(2025, 8, 28),
            issuer="UBND tỉnh Quảng Ngãi",
            summary="tăng cường đấu tranh phòng, chống xuất nhập cảnh trái phép",
            target_unit_kinds=TARGET_KINDS,
            form_ids=["ket_qua_thuc_hien"],
            recurrence="none",
            starts_on=STARTS_ON,
            unit_deadline=UNIT_DEADLINE,
            report_deadline=REPORT_DEADLINE,
        )
        s.add(directive)
        s.flush()
        assert directive.id is not None

        for filed in FILED:
            _file_result(s, directive.id, units[filed.unit], members[filed.unit], filed)
        draft = Submission(
            commune_id=commune.id,
            form_id="ket_qua_thuc_hien",
            directive_id=directive.id,
            period_key="once",
            unit_id=_id(units[DRAFT_ONLY]),
            member_id=_id(members[DRAFT_ONLY]),
            channel="telegram",
            status="draft",
            answers={"buoi_tuyen_truyen": 50},
            submitted_at=None,
        )
        s.add(draft)
        for patrol in PATROLS:
            _file_patrol(s, units[patrol.unit], members[patrol.unit], patrol)
        for tip in TIPS:
            _file_tip(s, units, members, tip)
        directive_id = directive.id
        unit_ids = {name: _id(u) for name, u in units.items()}
        commune_name = commune.name
    return _expected(commune_name, directive_id, unit_ids)


def _id(row: Unit | Member) -> int:
    assert row.id is not None
    return row.id


def _file_result(s: Any, directive_id: int, unit: Unit, member: Member, filed: Filed) -> None:
    n = len(filed.versions)
    last = filed.versions[-1]
    row = Submission(
        commune_id=unit.commune_id or 0,
        form_id="ket_qua_thuc_hien",
        directive_id=directive_id,
        period_key="once",
        unit_id=_id(unit),
        member_id=_id(member),
        channel="telegram",
        status="submitted" if n == 1 else "amended",
        answers=_answers(last, filed),
        version=n,
        created_at=filed.first_at,
        submitted_at=filed.first_at,
        updated_at=filed.first_at.replace(hour=(filed.first_at.hour + n - 1) % 24),
    )
    s.add(row)
    s.flush()
    for key, value in zip(KEYS, last, strict=True):
        s.add(SubmissionFigure(submission_id=row.id, key=key, value=value))
    for version, values in enumerate(filed.versions, 1):
        s.add(
            SubmissionRevision(
                submission_id=row.id,
                version=version,
                answers=_answers(values, filed),
                member_id=_id(member),
                created_at=filed.first_at.replace(hour=(filed.first_at.hour + version - 1) % 24),
            )
        )


def _file_patrol(s: Any, unit: Unit, member: Member, patrol: Patrol) -> None:
    answers: dict[str, Any] = {
        "ngay": patrol.day.isoformat(),
        "gio_bat_dau": "19:00",
        "gio_ket_thuc": "22:30",
        "tuyen": "Đường liên xã",
    }
    for qid, value in zip(PATROL_QUESTIONS, patrol.values, strict=True):
        answers[qid] = bool(value) if qid == "co_phat_hien" else value
    row = Submission(
        commune_id=unit.commune_id or 0,
        form_id="nhat_ky_tuan_tra",
        directive_id=None,
        period_key=patrol.day.isoformat(),
        unit_id=_id(unit),
        member_id=_id(member),
        channel="zalo",
        status="draft" if patrol.draft else "submitted",
        answers=answers,
        created_at=patrol.filed_at,
        submitted_at=None if patrol.draft else patrol.filed_at,
        updated_at=patrol.filed_at,
    )
    s.add(row)
    s.flush()
    if patrol.draft:
        return
    s.add(SubmissionFigure(submission_id=row.id, key="patrols", value=1))
    for key, value in zip(PATROL_KEYS, patrol.values, strict=True):
        s.add(SubmissionFigure(submission_id=row.id, key=key, value=value))


def _file_tip(s: Any, units: dict[str, Unit], members: dict[str, Member], tip: Tip) -> None:
    row = Submission(
        commune_id=units[tip.unit].commune_id or 0,
        form_id="doi_tuong_kha_nghi",
        directive_id=None,
        period_key=tip.reported_at.date().isoformat(),
        unit_id=_id(units[tip.unit]),
        member_id=_id(members[tip.unit]),
        channel="telegram",
        status="submitted",
        answers={
            "mo_ta": tip.summary,
            "vi_tri": {"text": tip.location, "lat": 15.1, "lon": 108.4},
            "so_nguoi": tip.people,
        },
        created_at=tip.reported_at,
        submitted_at=tip.reported_at,
        updated_at=tip.reported_at,
    )
    s.add(row)
    s.flush()
    s.add(SubmissionFigure(submission_id=row.id, key="suspects_reported", value=tip.people or 0))
    incident = Incident(
        commune_id=row.commune_id,
        submission_id=row.id,
        unit_id=_id(units[tip.unit]),
        reporter_member_id=_id(members[tip.unit]),
        status=tip.history[-1][0],
        summary=tip.summary,
        location_text=tip.location,
        latitude=15.1,
        longitude=108.4,
        people_count=tip.people,
        occurred_at=tip.reported_at,
        created_at=tip.reported_at,
        updated_at=tip.history[-1][2],
    )
    s.add(incident)
    s.flush()
    for status, by, at in tip.history:
        s.add(
            IncidentEvent(incident_id=incident.id, status=status, member_id=_id(members[by]), at=at)
        )


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


def _expected(commune_name: str, directive_id: int, unit_ids: dict[str, int]) -> Expected:
    filed = {f.unit: f for f in FILED}
    kinds = dict(UNITS)
    targets = [name for name, kind in UNITS if kind in TARGET_KINDS]
    on_time = [u for u in targets if u in filed and filed[u].first_at < utc(2025, 9, 14, 17)]
    late = [u for u in targets if u in filed and u not in on_time]
    missing = [u for u in targets if u not in filed]
    by_kind = {}
    for kind in TARGET_KINDS:
        names = [u for u in targets if kinds[u] == kind]
        by_kind[kind] = (
            len(names),
            sum(u in on_time for u in names),
            sum(u in late for u in names),
            sum(u in missing for u in names),
        )
    unit_figures = {f.unit: dict(zip(KEYS, f.versions[-1], strict=True)) for f in FILED}
    figures = {k: sum(f[k] for f in unit_figures.values()) for k in KEYS}
    counted = [p for p in PATROLS if p.counted]
    patrol = {k: sum(p.values[i] for p in counted) for i, k in enumerate(PATROL_KEYS)}
    patrol["patrols"] = len(counted)
    statuses = {"new": 0, "received": 0, "verifying": 0, "handled": 0, "false_report": 0}
    outcome = {}
    for tip in TIPS:
        if tip.counted:
            statuses[tip.history[-1][0]] += 1
            outcome[tip.summary] = (tip.history[-1][0], _member_name(tip.history[-1][1]))
    difficulties: dict[str, list[str]] = {}
    proposals: dict[str, list[str]] = {}
    for name in [n for n, _ in UNITS if n in filed]:
        f = filed[name]
        if f.kho_khan:
            difficulties.setdefault(_norm(f.kho_khan), []).append(name)
        if f.de_xuat and f.de_xuat != "Không":
            proposals.setdefault(_norm(f.de_xuat), []).append(name)
    return Expected(
        commune_name=commune_name,
        directive_id=directive_id,
        unit_ids=unit_ids,
        member_names={name: _member_name(name) for name, _ in UNITS},
        expected=len(targets),
        on_time=on_time,
        late=late,
        missing=missing,
        by_kind=by_kind,
        figures=figures,
        unit_figures=unit_figures,
        patrol=patrol,
        incidents_by_status=statuses,
        incident_summaries=[t.summary for t in TIPS if t.counted],
        incident_outcome=outcome,
        difficulties=difficulties,
        proposals=proposals,
    )
