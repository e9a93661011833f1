"""What only the Zalo channel has: typed choices, URL photos, its webhook, its update format.

Everything goes over real HTTP to the fake Zalo Bot API (and, for the webhook, to our own
route served on 127.0.0.1), on SQLite and PostgreSQL.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from pydantic import SecretStr
from sqlalchemy import Engine as SAEngine
from sqlmodel import Session, func, select
from starlette.applications import Starlette

from bot.channels.chat_text import strip_html
from bot.channels.zalo_channel import (
    SECRET_HEADER,
    WEBHOOK_PATH,
    delete_webhook,
    make_client,
    poll,
    set_webhook,
    zalo_webhook_route,
)
from bot.channels.zalo_client import ZaloClient, ZaloUpdate
from bot.channels.zalo_inbound import photo_name, store_photo, to_event
from bot.context import AppContext
from bot.core.engine import Engine
from bot.core.events import EventKind
from bot.messages import t
from bot.settings import Settings
from storage.db import transaction
from storage.invites import issue_codes
from storage.models import (
    Attachment,
    DialogSession,
    Directive,
    Member,
    OutboxMessage,
    ProcessedUpdate,
    Submission,
    Unit,
)
from storage.sample import seed_sample
from tests.channels.telegram_driver import TelegramDriver
from tests.channels.zalo_driver import ZaloDriver
from tests.fakes.server import FakeServer
from tests.fakes.telegram_api import FakeTelegram
from tests.fakes.zalo_api import FakeZalo

SECRET = "zalo-webhook-secret-for-tests"
# Dialog behaviour is the engine's and is covered on both backends there; these run once.
sqlite_only = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


# === fixtures ==================================================================================


@pytest.fixture
def zalo_ctx(
    settings: Settings, engine: SAEngine, fake_zalo: FakeZalo, frozen_clock: None
) -> AppContext:
    """The sample commune on each database backend, its Zalo bot on the fake."""
    zalo_settings = settings.model_copy(
        update={
            "zalo_bot_token": SecretStr(fake_zalo.token),
            "zalo_api_url": fake_zalo.url,
            "zalo_webhook_secret": SecretStr(SECRET),
        }
    )
    with transaction(engine) as s:
        seed_sample(s)
    return AppContext(settings=zalo_settings, engine=engine)


@pytest.fixture
async def new_chat(
    zalo_ctx: AppContext, fake_zalo: FakeZalo
) -> AsyncIterator[Callable[[], ZaloDriver]]:
    made: list[ZaloDriver] = []

    def build() -> ZaloDriver:
        made.append(ZaloDriver(zalo_ctx, fake_zalo, 0x7A10 + len(made)))
        return made[-1]

    yield build
    for chat in made:
        await chat.close()


@pytest.fixture
async def client(zalo_ctx: AppContext) -> AsyncIterator[ZaloClient]:
    async with make_client(zalo_ctx.settings) as zalo:
        yield zalo


def member(ctx: AppContext, role: str, unit_kind: str) -> Member:
    with Session(ctx.engine) as s:
        rows = s.exec(select(Member, Unit).join(Unit)).all()
    found = sorted((m for m, u in rows if role in m.roles and u.kind == unit_kind), key=_id)
    return found[0]


def _id(m: Member) -> int:
    return m.id or 0


def dialog_of(chat: ZaloDriver) -> DialogSession:
    with Session(chat.ctx.engine) as s:
        row = s.exec(select(DialogSession).where(DialogSession.chat_id == chat.chat_id)).one()
    return row


def count(ctx: AppContext, table: Any) -> int:
    with Session(ctx.engine) as s:
        return int(s.exec(select(func.count()).select_from(table)).one())


async def village_head(new_chat: Callable[[], ZaloDriver], ctx: AppContext) -> ZaloDriver:
    chat = new_chat()
    await chat.link(member(ctx, "village_head", "village"))
    return chat


async def up_to_signs(chat: ZaloDriver) -> None:
    """Start the urgent report and answer up to the multi-choice «dấu hiệu» question."""
    await chat.say("/baocao")
    await chat.choose("khả nghi")
    for text in ("Bãi đất trống cuối thôn", "1", "7h15", "3"):
        await chat.say(text)
    await chat.replies()


# === typed answers =============================================================================


@sqlite_only
async def test_labels_typed_without_emoji_and_summary_picked_by_number(
    new_chat: Callable[[], ZaloDriver], zalo_ctx: AppContext
) -> None:
    chat = await village_head(new_chat, zalo_ctx)
    await chat.say("/baocao")
    await chat.replies()
    await chat.say("bao tin doi tuong kha nghi")  # «2. 🚨 Báo tin đối tượng khả nghi»
    assert "câu 1/" in (await chat.replies())[-1]
    assert dialog_of(chat).form_id == "doi_tuong_kha_nghi"
    clerk = new_chat()
    await clerk.link(member(zalo_ctx, "office_staff", "office"))
    await clerk.replies()
    with transaction(zalo_ctx.engine) as s:  # the campaign over, two weekly duties open
        campaign = s.exec(select(Directive).where(Directive.number == "1949/UBND-NC")).one()
        campaign.active = False
        s.add(campaign)
    await clerk.say("Tong hop")
    listing = (await clerk.replies())[-1]
    assert "1. 46/KH-UBND — " in listing and "2. 45/KH-UBND — " in listing
    await clerk.say("2")
    texts = "\n".join(await clerk.replies())
    assert "Tổng hợp 45/KH-UBND" in texts and "không gửi được qua Zalo" in texts


@sqlite_only
async def test_menu_and_options_are_numbered_text(
    new_chat: Callable[[], ZaloDriver], zalo_ctx: AppContext
) -> None:
    chat = await village_head(new_chat, zalo_ctx)
    await chat.say("/baocao")
    menu = (await chat.replies())[-1]
    assert "1. Không phát hiện gì" in menu and "2. 🚨 Báo tin đối tượng khả nghi" in menu
    await chat.say("số 2")  # a typed menu number starts that form
    question = (await chat.replies())[-1]
    assert "<b>" not in question  # Zalo shows no markup: tags are dropped
    assert f"Gõ «{t('alias.cancel')}» để" in question
    assert dialog_of(chat).form_id == "doi_tuong_kha_nghi"


@sqlite_only
async def test_choices_by_number_text_and_without_diacritics(
    new_chat: Callable[[], ZaloDriver], zalo_ctx: AppContext
) -> None:
    chat = await village_head(new_chat, zalo_ctx)
    await up_to_signs(chat)
    step = dialog_of(chat).step

    await chat.say("9")  # out of range: refused, nothing changes
    assert await chat.replies() == [strip_html(t("answer.choice", count=7))]
    assert dialog_of(chat).step == step

    await chat.say("khong co giay to")  # the label without diacritics
    assert dialog_of(chat).state["answers"]["dau_hieu"] == ["khong_giay_to"]

    await chat.say("quay lại")
    await chat.say("Nói tiếng nước ngoài")  # the label as shown
    assert dialog_of(chat).state["answers"]["dau_hieu"] == ["tieng_nuoc_ngoai"]

    await chat.say("quay lai")
    await chat.say("1, 3")  # several numbers at once
    answers = dialog_of(chat).state["answers"]
    assert answers["dau_hieu"] == ["tieng_nuoc_ngoai", "nguoi_dan_duong"]
    assert answers["ngay"] == "2025-09-10"  # "1" at the date question meant «Hôm nay»


@sqlite_only
@pytest.mark.parametrize("kind", ["sticker", "unsupported"])
async def test_sticker_or_unsupported_gets_a_polite_answer_and_changes_nothing(
    new_chat: Callable[[], ZaloDriver], zalo_ctx: AppContext, fake_zalo: FakeZalo, kind: str
) -> None:
    chat = await village_head(new_chat, zalo_ctx)
    await up_to_signs(chat)
    before = dialog_of(chat)
    if kind == "sticker":
        await chat.send_update(fake_zalo.sticker_update(chat.user_id))
    else:
        await chat.send_update(fake_zalo.unsupported_update(chat.user_id))
    replies = await chat.replies()
    assert replies[0] == strip_html(t("chat.unsupported_message"))
    assert "1. Nói tiếng nước ngoài" in replies[-1]  # the same question again
    after = dialog_of(chat)
    assert (after.step, after.state) == (before.step, before.state)


@sqlite_only
async def test_group_chats_are_not_served(
    new_chat: Callable[[], ZaloDriver], zalo_ctx: AppContext, fake_zalo: FakeZalo
) -> None:
    chat = await village_head(new_chat, zalo_ctx)
    dialogs = count(zalo_ctx, DialogSession)
    group = fake_zalo.text_update(chat.user_id, "/baocao", chat_type="GROUP")
    await chat.send_update(group)
    group_chat = group["message"]["chat"]["id"]
    assert fake_zalo.texts_to(group_chat) == [strip_html(t("chat.group_not_supported"))]
    assert count(zalo_ctx, DialogSession) == dialogs


@sqlite_only
async def test_start_command_with_code_registers(
    new_chat: Callable[[], ZaloDriver], zalo_ctx: AppContext
) -> None:
    chat = new_chat()
    head = member(zalo_ctx, "village_head", "village")
    with transaction(zalo_ctx.engine) as s:
        code = issue_codes(s, [head])[0].code
    await chat.say(f"/start {code.lower()}")  # codes may be typed in any case
    assert "Xin chào" in (await chat.replies())[0]
    linked = chat.member()
    assert linked is not None and linked.id == head.id and linked.zalo_chat_id == chat.chat_id


# === photos ====================================================================================


async def up_to_photos(chat: ZaloDriver) -> None:
    await up_to_signs(chat)
    await chat.say("1")
    await chat.say("Ba người mang ba lô lớn")
    await chat.replies()


async def test_photo_url_is_downloaded_and_stored_as_an_attachment(
    new_chat: Callable[[], ZaloDriver], zalo_ctx: AppContext
) -> None:
    chat = await village_head(new_chat, zalo_ctx)
    await up_to_photos(chat)
    await chat.send_photo()
    await chat.deliver_last_again()  # a redelivery stores nothing twice
    with Session(zalo_ctx.engine) as s:
        stored = s.exec(select(Attachment)).one()
    assert stored.channel == "zalo" and stored.kind == "photo"
    assert stored.file_ref.startswith(chat.fake.url + "/files/")
    assert stored.local_path is not None
    path = Path(stored.local_path)
    assert path.parent == zalo_ctx.settings.attachments_dir / "zalo"
    assert path.read_bytes().startswith(b"\xff\xd8") and path.suffix == ".jpg"
    assert list(path.parent.iterdir()) == [path]  # no partial files left behind
    await chat.say("xong")
    await chat.say("1")  # the registered phone, offered as option 1
    await chat.say("gửi")
    with Session(zalo_ctx.engine) as s:
        submission = s.exec(select(Submission)).one()
        assert s.exec(select(Attachment)).one().submission_id == submission.id


@sqlite_only
async def test_failed_photo_download_keeps_the_url(
    new_chat: Callable[[], ZaloDriver],
    zalo_ctx: AppContext,
    fake_zalo: FakeZalo,
    caplog: pytest.LogCaptureFixture,
) -> None:
    chat = await village_head(new_chat, zalo_ctx)
    await up_to_photos(chat)
    url = f"{fake_zalo.url}/files/gone.jpg"  # 404
    with caplog.at_level(logging.WARNING, logger="bot.channels.zalo_inbound"):
        await chat.send_update(fake_zalo.image_update(chat.user_id, url, "ảnh"))
    assert "could not store the photo" in caplog.text
    with Session(zalo_ctx.engine) as s:
        stored = s.exec(select(Attachment)).one()
    assert (stored.file_ref, stored.local_path) == (url, None)


@sqlite_only
async def test_photo_over_the_size_cap_is_not_stored(
    zalo_ctx: AppContext, fake_zalo: FakeZalo, tmp_path: Path
) -> None:
    url = fake_zalo.add_file("big.png", b"\x89PNG" + b"x" * 4096, "image/png")
    update = ZaloUpdate.from_api(fake_zalo.image_update("u1", url))
    settings = zalo_ctx.settings
    assert settings.zalo_bot_token is not None
    token = settings.zalo_bot_token.get_secret_value()
    async with ZaloClient(token, settings.zalo_api_url, max_download_bytes=1024) as small:
        assert await store_photo(small, update, tmp_path / "zalo") is None
        assert not (tmp_path / "zalo").exists() or not any((tmp_path / "zalo").iterdir())
    async with ZaloClient(token, settings.zalo_api_url) as normal:
        stored = await store_photo(normal, update, tmp_path / "zalo")
    assert stored is not None and stored.suffix == ".png" and stored.stat().st_size == 4100


# === translation ===============================================================================


def test_updates_become_core_events(fake_zalo: FakeZalo) -> None:
    def event(update: dict[str, Any]) -> Any:
        return to_event(ZaloUpdate.from_api(update))

    text = fake_zalo.text_update("abc123", "/baocao now")
    got = event(text)
    assert got.kind is EventKind.TEXT and got.command == ("/baocao", "now")
    assert got.channel == "zalo" and got.private_chat and got.chat_id == "abc123"
    assert got.update_key == f"abc123:{text['message']['message_id']}"
    assert got.received_at.tzinfo is UTC
    millis = text["message"]["date"]
    assert got.received_at == datetime.fromtimestamp(millis / 1000, tz=UTC)

    photo = event(fake_zalo.image_update("abc123", "https://cdn.example/a.jpg", "chú thích"))
    assert (photo.kind, photo.file_ref, photo.text) == (
        EventKind.PHOTO,
        "https://cdn.example/a.jpg",
        "chú thích",
    )
    assert photo.file_path is None
    assert event(fake_zalo.sticker_update("abc123")).kind is EventKind.UNSUPPORTED
    assert event(fake_zalo.unsupported_update("abc123")).kind is EventKind.UNSUPPORTED
    assert not event(fake_zalo.text_update("abc123", "hi", chat_type="GROUP")).private_chat
    bot = fake_zalo.text_update("abc123", "echo")
    bot["message"]["from"]["is_bot"] = True
    assert event(bot) is None


def test_photo_names_are_safe_whatever_the_ids(fake_zalo: FakeZalo) -> None:
    raw = fake_zalo.image_update("../../etc", "https://cdn.example/x/evil.exe?a=b")
    raw["message"]["message_id"] = "../../passwd"
    name = photo_name(ZaloUpdate.from_api(raw))
    assert name.endswith(".jpg") and "/" not in name and ".." not in name
    assert name == photo_name(ZaloUpdate.from_api(raw))  # a redelivery lands on the same file


# === polling ===================================================================================


@sqlite_only
async def test_polling_survives_errors_and_a_leftover_webhook(
    zalo_ctx: AppContext, fake_zalo: FakeZalo, client: ZaloClient
) -> None:
    await set_webhook(client, zalo_ctx.settings, "https://tinbao.example/zalo/webhook")
    fake_zalo.fail_next("getUpdates", 1, 500)
    fake_zalo.fail_next("deleteWebhook", 1, "drop")  # a network error before the first poll
    for text in ("xin chào", "/baocao"):
        fake_zalo.push_update(fake_zalo.text_update("stranger", text))
    stop = asyncio.Event()
    engine = Engine(zalo_ctx)
    task = asyncio.create_task(
        poll(engine, client, zalo_ctx.settings, stop, timeout=1, retry_delay=0.01)
    )
    for _ in range(500):
        if count(zalo_ctx, ProcessedUpdate) == 2:
            break
        await asyncio.sleep(0.01)
    stop.set()
    await asyncio.wait_for(task, timeout=5)
    assert count(zalo_ctx, ProcessedUpdate) == 2
    assert fake_zalo.webhook is None
    assert len(fake_zalo.calls_to("deleteWebhook")) == 2


@sqlite_only
async def test_webhook_helpers(
    zalo_ctx: AppContext, fake_zalo: FakeZalo, client: ZaloClient
) -> None:
    url = "https://tinbao.example" + WEBHOOK_PATH
    info = await set_webhook(client, zalo_ctx.settings, url)
    assert info.url == url and fake_zalo.webhook == {"url": url, "secret_token": SECRET}
    with pytest.raises(ValueError, match="HTTPS"):
        await set_webhook(client, zalo_ctx.settings, "http://tinbao.example/zalo/webhook")
    no_secret = zalo_ctx.settings.model_copy(update={"zalo_webhook_secret": None})
    with pytest.raises(ValueError, match="ZALO_WEBHOOK_SECRET"):
        await set_webhook(client, no_secret, url)
    assert (await delete_webhook(client)).url == ""
    assert fake_zalo.webhook is None


# === webhook ===================================================================================


class Flaky:
    """An engine clock that fails while ``broken``: handling fails before anything commits."""

    def __init__(self) -> None:
        self.broken = True

    def __call__(self) -> datetime:
        if self.broken:
            raise RuntimeError("database went away")
        return datetime.now(UTC)


@pytest.fixture
def webhook_engine(zalo_ctx: AppContext) -> Engine:
    return Engine(zalo_ctx)


@pytest.fixture
async def webhook_url(
    zalo_ctx: AppContext, client: ZaloClient, webhook_engine: Engine
) -> AsyncIterator[str]:
    app = Starlette(routes=[zalo_webhook_route(webhook_engine, client, zalo_ctx.settings)])
    async with FakeServer(app, name="tinbao-webhook") as server:
        yield server.url + WEBHOOK_PATH


async def post(url: str, body: dict[str, Any] | bytes, secret: str | None) -> int:
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers[SECRET_HEADER] = secret
    content = body if isinstance(body, bytes) else json.dumps(body).encode()
    async with httpx.AsyncClient(timeout=10) as http:
        response = await http.post(url, content=content, headers=headers)
    return response.status_code


async def post_chunked(url: str, body: bytes, secret: str) -> int:
    async def chunks() -> AsyncIterator[bytes]:
        for start in range(0, len(body), 4096):
            yield body[start : start + 4096]

    headers = {"Content-Type": "application/json", SECRET_HEADER: secret}
    async with httpx.AsyncClient(timeout=10) as http:
        response = await http.post(url, content=chunks(), headers=headers)
    return response.status_code


async def test_webhook_refuses_a_wrong_or_missing_secret(
    zalo_ctx: AppContext, fake_zalo: FakeZalo, webhook_url: str
) -> None:
    update = fake_zalo.text_update("intruder", "/start ABCDEFGH")
    for secret in (None, "", "wrong-secret-value", SECRET + "x", SECRET[:-1], SECRET.upper()):
        assert await post(webhook_url, update, secret) == 403, secret
    assert count(zalo_ctx, ProcessedUpdate) == 0
    assert count(zalo_ctx, OutboxMessage) == 0


async def test_webhook_handles_once_and_refuses_garbage(
    zalo_ctx: AppContext, fake_zalo: FakeZalo, webhook_url: str
) -> None:
    update = fake_zalo.text_update("someone", "xin chào")
    assert await post(webhook_url, update, SECRET) == 200
    assert count(zalo_ctx, ProcessedUpdate) == 1
    sent = count(zalo_ctx, OutboxMessage)
    assert sent == 1
    assert await post(webhook_url, update, SECRET) == 200  # Zalo's retry: a no-op
    assert (count(zalo_ctx, ProcessedUpdate), count(zalo_ctx, OutboxMessage)) == (1, sent)
    assert await post(webhook_url, b"{not json", SECRET) == 400
    assert await post(webhook_url, {"event_name": "message.text.received"}, SECRET) == 400
    assert await post(webhook_url, b"x" * 70_000, SECRET) == 413
    assert await post_chunked(webhook_url, b"x" * 70_000, SECRET) == 413  # no Content-Length
    assert count(zalo_ctx, ProcessedUpdate) == 1


async def test_webhook_answers_500_until_the_update_is_committed(
    zalo_ctx: AppContext, fake_zalo: FakeZalo, webhook_url: str, webhook_engine: Engine
) -> None:
    flaky = Flaky()
    webhook_engine.clock = flaky
    update = fake_zalo.text_update("someone", "xin chào")
    assert await post(webhook_url, update, SECRET) == 500
    assert count(zalo_ctx, ProcessedUpdate) == 0
    flaky.broken = False
    assert await post(webhook_url, update, SECRET) == 200  # Zalo's retry is handled
    assert count(zalo_ctx, ProcessedUpdate) == 1
    assert count(zalo_ctx, OutboxMessage) == 1


# === one person, two channels ==================================================================


@pytest.fixture
def both_ctx(zalo_ctx: AppContext, fake_telegram: FakeTelegram) -> AppContext:
    settings = zalo_ctx.settings.model_copy(
        update={
            "telegram_bot_token": SecretStr(fake_telegram.token),
            "telegram_api_url": fake_telegram.url,
        }
    )
    return AppContext(settings=settings, engine=zalo_ctx.engine)


async def test_one_person_on_both_channels_is_one_member(
    both_ctx: AppContext,
    fake_telegram: FakeTelegram,
    fake_zalo: FakeZalo,
    new_chat: Callable[[], ZaloDriver],
) -> None:
    cop = member(both_ctx, "police", "police")
    members_before = count(both_ctx, Member)
    on_telegram = TelegramDriver(both_ctx, fake_telegram, 4242)
    on_zalo = ZaloDriver(both_ctx, fake_zalo, 0x4242)
    try:
        await on_telegram.link(cop)
        await on_zalo.link(cop)
        with Session(both_ctx.engine) as s:
            linked = s.get(Member, cop.id)
        assert linked is not None
        assert (linked.telegram_user_id, linked.zalo_user_id) == ("4242", on_zalo.user_id)
        assert count(both_ctx, Member) == members_before

        # An urgent report reaches this one member on both chats.
        head = await village_head(new_chat, both_ctx)
        await up_to_signs(head)
        for text in ("1", "bỏ qua", "bỏ qua", "1", "gửi"):
            await head.say(text)
        await on_telegram._flush()  # the Telegram sender delivers its own rows
        alerts = [text for text in await on_zalo.replies() if "Bãi đất trống" in text]
        assert len(alerts) == 1
        assert any("Bãi đất trống" in text for text in fake_telegram.texts_to(4242))
    finally:
        await on_zalo.close()
        await on_telegram.bot.shutdown()
