"""``/tiendo`` text and ``/nhacnho`` on both databases."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import Engine
from sqlmodel import select

from bot.settings import Settings
from handlers.progress import progress_text, remind_now
from storage.db import transaction
from storage.models import Member, OutboxMessage
from tests.scheduler.seed import add_directive, seed_commune
from tests.scheduler.test_reminders import submit

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def at(y: int, m: int, d: int, hh: int, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=TZ).astimezone(UTC)


def test_progress_lists_who_reported_and_who_did_not(engine: Engine, settings: Settings) -> None:
    roster = seed_commune(engine)
    did = add_directive(engine)
    submit(engine, roster, did, "Thôn An")
    with transaction(engine) as s:
        chief = s.get(Member, roster.members["police_chief"])
        assert chief is not None
        text = progress_text(s, chief, roster.commune_id, settings, at(2025, 9, 16, 9, 0))
    lines = text.split("\n")
    assert lines[0] == "📊 <b>Tiến độ báo cáo</b> — 16/09/2025"
    assert "<b>1949/UBND-NC</b> — " in text
    assert "Hạn: 15/09/2025 (đã quá hạn)" in text
    assert "Đã báo cáo (1/4): Thôn An" in text
    assert "Chưa báo cáo (3/4): Thôn Bình, Công an xã, Hội Nông dân" in text
    assert "Đơn vị của anh/chị: <b>chưa báo cáo</b>." in text
    for tag in ("<i>", "<a ", "<u>"):
        assert tag not in text


def test_progress_with_nothing_active(engine: Engine, settings: Settings) -> None:
    roster = seed_commune(engine)
    with transaction(engine) as s:
        office = s.get(Member, roster.members["office"])
        assert office is not None
        assert progress_text(s, office, roster.commune_id, settings, at(2025, 9, 16, 9, 0)) == (
            "Hiện không có văn bản nào đang cần báo cáo."
        )


def test_remind_now_sends_once_a_day_and_never_at_night(engine: Engine, settings: Settings) -> None:
    mine = seed_commune(engine).commune_id
    add_directive(engine)
    assert remind_now(engine, settings, at(2025, 9, 13, 23, 0), mine) == 0  # quiet hours
    # 13/09: no scheduled step that day, so only the manual reminder (7 chats).
    assert remind_now(engine, settings, at(2025, 9, 13, 15, 0), mine) == 7
    assert remind_now(engine, settings, at(2025, 9, 13, 16, 0), mine) == 0
    assert remind_now(engine, settings, at(2025, 9, 14, 16, 0), mine) == 14  # before:1d + manual


def test_progress_and_remind_now_stay_in_the_askers_commune(
    engine: Engine, settings: Settings
) -> None:
    """Two communes answer the same province number; each office sees and reminds its own."""
    a = seed_commune(engine)
    b = seed_commune(engine, code=2, name="Xã Bên", shift=1000)
    add_directive(engine, commune_id=a.commune_id)
    add_directive(engine, commune_id=b.commune_id)
    submit(engine, a, 1, "Thôn An")
    with transaction(engine) as s:
        office_b = s.get(Member, b.members["office"])
        assert office_b is not None
        text = progress_text(s, office_b, b.commune_id, settings, at(2025, 9, 16, 9, 0))
    assert "Đã báo cáo (0/4)" in text  # commune A's report is not B's
    assert remind_now(engine, settings, at(2025, 9, 13, 15, 0), b.commune_id) == 7
    with transaction(engine) as s:
        keys = s.exec(select(OutboxMessage.chat_id)).all()
    # Only B's people were reminded (their chat ids are shifted by 1000).
    assert keys and all(int(chat.lstrip("z")) > 1000 for chat in keys)
