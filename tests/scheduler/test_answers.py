"""Chasing the communes' reports to the province: their offices, then the province."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from bot.scheduler.answers import answer_round
from bot.settings import Settings
from storage.cascade import save_province_directive
from storage.db import transaction
from storage.directives import DirectiveFields
from storage.enums import Role, UnitKind
from storage.models import CommuneReport, Directive, Member, OutboxMessage, Unit
from tests.scheduler.seed import seed_commune

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
ORDER = DirectiveFields(
    number="1949/UBND-NC",
    issued_on=date(2025, 8, 28),
    issuer="UBND tỉnh Quảng Ngãi",
    summary="Tăng cường đấu tranh phòng, chống xuất nhập cảnh trái phép",
    target_unit_kinds=(UnitKind.VILLAGE,),
    form_ids=("ket_qua_thuc_hien",),
    starts_on=date(2025, 9, 5),
    unit_deadline=date(2025, 9, 14),
    report_deadline=date(2025, 9, 15),
)


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2025, 9, day, hour, minute, tzinfo=TZ).astimezone(UTC)


def _sent(engine: Engine) -> list[tuple[str, str]]:
    with Session(engine) as s:
        rows = s.exec(select(OutboxMessage).order_by(col(OutboxMessage.id))).all()
    return [(r.chat_id, r.payload["text"]) for r in rows]


def test_offices_then_the_province_are_chased_until_the_commune_answers(
    engine: Engine, settings: Settings
) -> None:
    a = seed_commune(engine)
    b = seed_commune(engine, code=2, name="Xã Bên", shift=1000)
    with transaction(engine) as s:
        unit = Unit(commune_id=None, name="Công an tỉnh", kind=UnitKind.PROVINCE)
        s.add(unit)
        s.flush()
        s.add(
            Member(
                unit_id=unit.id or 0,
                full_name="Cán bộ tỉnh",
                phone="0909999999",
                roles=[Role.PROVINCE_POLICE],
                telegram_user_id="9001",
                telegram_chat_id="9001",
            )
        )
        result = save_province_directive(s, ORDER)
    assert answer_round(engine, settings, at(13, 9)) == 0  # two days before: nothing
    assert answer_round(engine, settings, at(14, 7, 29)) == 0  # not before 07:30
    assert answer_round(engine, settings, at(14, 7, 30)) == 4  # office + leader, both communes
    assert answer_round(engine, settings, at(14, 9)) == 0  # once
    office_a = "501"
    assert any(chat == office_a and "Ngày mai (15/09/2025)" in text for chat, text in _sent(engine))
    with transaction(engine) as s:  # commune A sends its report
        copy_a = s.exec(select(Directive).where(Directive.commune_id == a.commune_id)).one()
        s.add(
            CommuneReport(
                commune_id=a.commune_id,
                directive_id=copy_a.id or 0,
                parent_id=result.province.id or 0,
                period_key="once",
                sent_by="test",
            )
        )
    assert answer_round(engine, settings, at(15, 7, 30)) == 2  # only B's office and leader
    assert answer_round(engine, settings, at(16, 22)) == 0  # quiet hours
    assert answer_round(engine, settings, at(16, 7, 30)) == 3  # B's two + the province list
    last = _sent(engine)[-3:]
    [province_news] = [text for chat, text in last if chat == "9001"]
    assert "Còn 1/2 xã, phường chưa gửi báo cáo 1949/UBND-NC" in province_news
    assert "Xã Bên" in province_news and "Xã Thử" not in province_news
    assert {chat for chat, _ in last} == {"1501", "1502", "9001"}
    assert answer_round(engine, settings, at(16, 10)) == 0
    assert b.commune_id != a.commune_id
