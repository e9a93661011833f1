"""A small commune for reminder and outbox tests: villages, police, an agency, the office."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from sqlalchemy import Engine
from sqlmodel import col, select

from storage.db import transaction
from storage.enums import Role, UnitKind
from storage.models import Commune, Directive, Member, Unit


@dataclass
class Roster:
    units: dict[str, int] = field(default_factory=dict)  # name → id
    members: dict[str, int] = field(default_factory=dict)  # key → id
    commune_id: int = 0


def _person(
    unit_id: int | None,
    key: str,
    phone: str,
    roles: list[str],
    *,
    telegram: str | None = None,
    zalo: str | None = None,
) -> Member:
    assert unit_id is not None
    return Member(
        unit_id=unit_id,
        full_name=f"Người {key}",
        phone=phone,
        roles=roles,
        telegram_user_id=telegram,
        telegram_chat_id=telegram,
        zalo_user_id=zalo,
        zalo_chat_id=zalo,
    )


def seed_commune(engine: Engine, *, code: int = 1, name: str = "Xã Thử", shift: int = 0) -> Roster:
    """Units: Thôn An, Thôn Bình (villages), Công an xã, Hội Nông dân (agency), Văn phòng.

    Members (telegram chat ids in brackets): an_head [101] + an_2 [102, zalo z102];
    binh_head [201]; police_chief [301] + police_2 [302]; agency_head [401];
    office staff [501], leader [502], admin [503] (also zalo z503), admin_nochat (no chat).
    A second commune in the same database takes another ``code`` and a ``shift`` (e.g.
    1000) added to every chat id and phone number, so nobody is on both rosters.
    """
    roster = Roster()

    def _member(
        unit_id: int | None,
        key: str,
        phone: str,
        roles: list[str],
        *,
        telegram: str | None = None,
        zalo: str | None = None,
    ) -> Member:
        return _person(
            unit_id,
            key,
            f"09{int(phone[2:]) + shift:08d}",
            roles,
            telegram=str(int(telegram) + shift) if telegram else None,
            zalo=f"z{int(zalo[1:]) + shift}" if zalo else None,
        )

    with transaction(engine) as s:
        commune = Commune(
            code=code,
            name=name,
            short_name=name.removeprefix("Xã "),
            province_code=1,
            province_name="T",
        )
        s.add(commune)
        s.flush()
        assert commune.id is not None
        specs = [
            ("Thôn An", UnitKind.VILLAGE),
            ("Thôn Bình", UnitKind.VILLAGE),
            ("Công an xã", UnitKind.POLICE),
            ("Hội Nông dân", UnitKind.AGENCY),
            ("Văn phòng", UnitKind.OFFICE),
        ]
        units = {name: Unit(commune_id=commune.id, name=name, kind=kind) for name, kind in specs}
        s.add_all(units.values())
        s.flush()
        uid = {name: u.id for name, u in units.items()}
        members = {
            "an_2": _member(
                uid["Thôn An"],
                "an_2",
                "0900000102",
                [Role.VILLAGE_HEAD],
                telegram="102",
                zalo="z102",
            ),
            "an_head": _member(
                uid["Thôn An"], "an_head", "0900000101", [Role.VILLAGE_HEAD], telegram="101"
            ),
            "binh_head": _member(
                uid["Thôn Bình"], "binh_head", "0900000201", [Role.VILLAGE_HEAD], telegram="201"
            ),
            "police_chief": _member(
                uid["Công an xã"], "police_chief", "0900000301", [Role.POLICE], telegram="301"
            ),
            "police_2": _member(
                uid["Công an xã"], "police_2", "0900000302", [Role.POLICE], telegram="302"
            ),
            "agency_head": _member(
                uid["Hội Nông dân"],
                "agency_head",
                "0900000401",
                [Role.AGENCY_STAFF],
                telegram="401",
            ),
            "office": _member(
                uid["Văn phòng"], "office", "0900000501", [Role.OFFICE_STAFF], telegram="501"
            ),
            "leader": _member(
                uid["Văn phòng"], "leader", "0900000502", [Role.LEADER], telegram="502"
            ),
            "admin": _member(
                uid["Văn phòng"], "admin", "0900000503", [Role.ADMIN], telegram="503", zalo="z503"
            ),
            "admin_nochat": _member(uid["Văn phòng"], "admin_nochat", "0900000504", [Role.ADMIN]),
        }
        s.add_all(members.values())
        s.flush()
        mid = {key: m.id for key, m in members.items()}
        units["Thôn An"].head_member_id = mid["an_head"]
        units["Thôn Bình"].head_member_id = mid["binh_head"]
        units["Công an xã"].head_member_id = mid["police_chief"]
        units["Hội Nông dân"].head_member_id = mid["agency_head"]
        roster.units = {k: v for k, v in uid.items() if v is not None}
        roster.members = {k: v for k, v in mid.items() if v is not None}
        roster.commune_id = commune.id
    return roster


def add_directive(
    engine: Engine,
    *,
    number: str = "1949/UBND-NC",
    recurrence: str = "none",
    starts_on: date = date(2025, 9, 1),
    unit_deadline: date | None = date(2025, 9, 15),
    targets: tuple[str, ...] = (UnitKind.VILLAGE, UnitKind.POLICE, UnitKind.AGENCY),
    forms: tuple[str, ...] = ("ket_qua_thuc_hien", "khong_phat_hien"),
    offsets: tuple[int, ...] = (3, 1, 0),
    created_at: datetime = datetime(2025, 8, 30, 3, 0, tzinfo=UTC),
    commune_id: int | None = None,
) -> int:
    """A directive of ``commune_id`` (default: the first commune seeded)."""
    with transaction(engine) as s:
        if commune_id is None:
            commune_id = s.exec(select(Commune.id).order_by(col(Commune.id))).first()
        directive = Directive(
            commune_id=commune_id,
            number=number,
            issued_on=starts_on,
            issuer="UBND tỉnh Quảng Ngãi",
            summary="Tăng cường phòng, chống tội phạm & vi phạm <pháp luật>",
            target_unit_kinds=list(targets),
            form_ids=list(forms),
            recurrence=recurrence,
            starts_on=starts_on,
            unit_deadline=unit_deadline,
            report_deadline=unit_deadline,
            reminder_offsets_days=list(offsets),
            created_at=created_at,
        )
        s.add(directive)
        s.flush()
        assert directive.id is not None
        return directive.id
