"""Rows built from columns (the roster's hot path) equal the rows the ORM loads."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Engine, inspect
from sqlmodel import select

from bot.core.events import EventKind, InboundEvent
from bot.core.identity import load_member
from storage.db import transaction
from storage.models import Member, Unit
from tests.foundation.village import one_village


def test_member_and_unit_built_from_columns_match_the_orm(engine: Engine) -> None:
    with transaction(engine) as s:
        unit = one_village(s)
        s.add(
            Member(
                unit_id=unit.id or 0,
                full_name="Hồ Văn Ba",
                phone="0912345678",
                roles=["village_head", "office"],
                telegram_user_id="77",
                telegram_chat_id="77",
            )
        )
    event = InboundEvent(
        channel="telegram",
        update_key="1",
        chat_id="77",
        user_id="77",
        kind=EventKind.TEXT,
        received_at=datetime.now(UTC),
        text="hi",
    )
    with engine.connect() as conn:
        found = load_member(conn, event)
    assert found is not None
    member, unit_row = found
    with transaction(engine) as s:
        orm_member = s.exec(select(Member).where(Member.phone == "0912345678")).one()
        orm_unit = s.exec(select(Unit)).one()
        assert member.model_dump() == orm_member.model_dump()
        assert unit_row.model_dump() == orm_unit.model_dump()
    assert member.roles == ["village_head", "office"] and member.created_at.tzinfo is not None
    assert inspect(member).transient  # as Member(**values) would be: no session owns it
