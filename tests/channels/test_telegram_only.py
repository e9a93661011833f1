"""Telegram-only behaviour: button presses are acknowledged by their callback query id."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.context import AppContext, open_context
from bot.settings import load_settings
from storage.db import transaction
from storage.sample import seed_sample
from tests.channels.telegram_driver import TelegramDriver
from tests.channels.test_conversations import roster_member
from tests.fakes.telegram_api import FakeTelegram


@pytest.fixture
def tg_ctx(tmp_path: Path, fake_telegram: FakeTelegram, frozen_clock: None) -> Iterator[AppContext]:
    """The sample commune, with Telegram aimed at the fake."""
    ctx = open_context(
        load_settings(
            _env_file=None,
            data_dir=tmp_path,
            telegram_bot_token=fake_telegram.token,
            telegram_api_url=fake_telegram.url,
        )
    )
    with transaction(ctx.engine) as s:
        seed_sample(s)
    yield ctx
    ctx.close()


async def test_button_press_is_answered_with_its_callback_id(
    tg_ctx: AppContext, fake_telegram: FakeTelegram
) -> None:
    ctx = tg_ctx
    chat = TelegramDriver(ctx, fake_telegram, 6100)
    await chat.link(roster_member(ctx, "village_head", "village"))
    await chat.say("/baocao")
    await chat.choose("kết quả")
    assert chat.last_update is not None
    pressed = chat.last_update["callback_query"]["id"]
    answered = fake_telegram.calls_to("answerCallbackQuery")
    assert [str(p["callback_query_id"]) for p in answered] == [pressed]


async def test_each_member_gets_the_command_menu_of_their_role(
    tg_ctx: AppContext, fake_telegram: FakeTelegram
) -> None:
    ctx = tg_ctx
    head = TelegramDriver(ctx, fake_telegram, 6200)
    await head.link(roster_member(ctx, "village_head", "village"))
    office = TelegramDriver(ctx, fake_telegram, 6201)
    await office.link(roster_member(ctx, "office_staff", "office"))

    def menu(chat_id: int) -> list[str]:
        scope = {"type": "chat", "chat_id": chat_id}
        return sorted(c["command"] for c in fake_telegram.commands(scope))

    assert menu(6200) == ["baocao", "help", "huy", "start"]
    assert {"tiendo", "nhacnho", "summary"} <= set(menu(6201))
    descriptions = [
        c["description"] for c in fake_telegram.commands({"type": "chat", "chat_id": 6200})
    ]
    assert "Gửi báo cáo (chọn loại)" in descriptions


async def test_photo_is_downloaded_and_stored_as_an_attachment(
    tg_ctx: AppContext, fake_telegram: FakeTelegram
) -> None:
    ctx = tg_ctx
    from sqlmodel import Session, select

    from storage.models import Attachment
    from tests.engine.flows import SUSPICIOUS

    chat = TelegramDriver(ctx, fake_telegram, 6300)
    await chat.link(roster_member(ctx, "village_head", "village"))
    await chat.say("/baocao")
    await chat.choose("khả nghi")
    for action, value in SUSPICIOUS[:8]:  # up to the photo question
        await (chat.say(value) if action == "say" else chat.choose(value))
    picture = b"\xff\xd8\xff\xe0" + b"jpeg-bytes" * 100
    await chat._send(fake_telegram.photo_update(6300, "tg-photo-9", content=picture))
    await chat._send(fake_telegram.photo_update(6300, "tg-photo-9", content=picture))
    with Session(ctx.engine) as s:
        attachments = s.exec(select(Attachment)).all()
    assert len(attachments) == 2 and attachments[0].file_ref == "tg-photo-9"
    assert attachments[0].local_path is not None
    assert Path(attachments[0].local_path).read_bytes() == picture


async def test_urgent_alert_end_to_end_truthful_receipts_ladder_and_acknowledgement(
    tg_ctx: AppContext, fake_telegram: FakeTelegram
) -> None:
    from datetime import timedelta

    from handlers.alert_ladder import run_ladder
    from storage.types import utcnow
    from tests.channels.test_conversations import run_flow
    from tests.engine.flows import SUSPICIOUS

    ctx = tg_ctx
    chief = TelegramDriver(ctx, fake_telegram, 6301)
    await chief.link(roster_member(ctx, "police", "police", 0))  # Phạm Văn Dũng, the head
    blocker = TelegramDriver(ctx, fake_telegram, 6302)
    await blocker.link(roster_member(ctx, "police", "police", 1))  # Nguyễn Văn Hải
    soldier = TelegramDriver(ctx, fake_telegram, 6303)
    await soldier.link(roster_member(ctx, "militia", "military", 0))
    head = TelegramDriver(ctx, fake_telegram, 6304)
    await head.link(roster_member(ctx, "village_head", "village"))
    fake_telegram.block_user(6302)  # Hải blocked the bot after linking

    await head.say("/baocao")
    await head.choose("khả nghi")
    await run_flow(head, SUSPICIOUS)
    await head.choose("Gửi báo cáo")
    said = await head.replies()
    assert any(
        "đang gửi cảnh báo tới Phạm Văn Dũng (Trưởng Công an xã Tây Trà), Nguyễn Văn Hải "
        "(Công an xã Tây Trà)." in t
        for t in said
    )
    # What reached the fake: one alert to the chief; Hải's answered 403 and died.
    assert [t for t in await chief.replies() if "TIN BÁO KHẨN" in t]
    arrived = [t for t in said if t.startswith("✅ Cảnh báo")]
    assert len(arrived) == 1 and "đã đến Telegram của Phạm Văn Dũng" in arrived[0]
    assert "Nguyễn Văn Hải" not in arrived[0]

    # Five minutes without «Đã tiếp nhận»: the chief is told again, by the scheduler's round.
    later = utcnow() + timedelta(minutes=5, seconds=1)
    assert run_ladder(ctx.engine, ctx.settings, later) > 0
    await chief._flush()
    [escalated] = [t for t in await chief.replies() if "CHƯA AI TIẾP NHẬN" in t]
    assert "sau 5 phút" in escalated
    assert any("Tin Báo đã báo tiếp cho Trưởng Công an xã" in t for t in await head.replies())
    await chief.choose("Đã tiếp nhận")  # on the escalation's own buttons
    assert any("Đã tiếp nhận" in t and "Phạm Văn Dũng" in t for t in await head.replies())
    assert run_ladder(ctx.engine, ctx.settings, later + timedelta(minutes=30)) == 0
    await chief._flush()
    assert not [t for t in await soldier.replies() if "TIN BÁO KHẨN" in t]
