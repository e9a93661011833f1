"""FakeTelegram behaves like the Bot API as python-telegram-bot 22 sees it.

If these pass, a test that drives the real PTB stack against the fake exercises the same
parsing, error mapping and transport paths as production.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import AsyncIterator
from datetime import timedelta

import httpx
import pytest
import telegram
from telegram import (
    BotCommand,
    BotCommandScopeChat,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Update,
)
from telegram.error import (
    BadRequest,
    Conflict,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)
from telegram.ext import ApplicationBuilder, CommandHandler, ContextTypes

from tests.fakes import FakeTelegram, Limits, Upload

KEYBOARD = InlineKeyboardMarkup([[InlineKeyboardButton("Có", callback_data="a:1:yes")]])


@pytest.fixture
async def bot(fake_telegram: FakeTelegram) -> AsyncIterator[telegram.Bot]:
    async with _bot(fake_telegram) as ptb_bot:
        yield ptb_bot


def _bot(fake: FakeTelegram, read_timeout: float = 5.0) -> telegram.Bot:
    return fake.ptb_bot(read_timeout=read_timeout)


def _seconds(value: int | timedelta) -> float:
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


# --- basics -------------------------------------------------------------------------------


async def test_get_me_parses_as_ptb_user(bot: telegram.Bot, fake_telegram: FakeTelegram) -> None:
    me = await bot.get_me()
    assert me.id == fake_telegram.bot_id
    assert me.is_bot and me.username == "tinbao_test_bot"


async def test_send_message_with_inline_keyboard(
    bot: telegram.Bot, fake_telegram: FakeTelegram
) -> None:
    message = await bot.send_message(42, "Chọn:", reply_markup=KEYBOARD)

    assert message.chat.id == 42 and message.chat.type == "private"
    assert message.from_user is not None and message.from_user.id == fake_telegram.bot_id
    assert message.reply_markup == KEYBOARD
    params = fake_telegram.calls_to("sendMessage")[-1]
    assert params["chat_id"] == 42  # form string "42" decoded to int
    assert params["reply_markup"] == {
        "inline_keyboard": [[{"text": "Có", "callback_data": "a:1:yes"}]]
    }
    [sent] = fake_telegram.sent_to(42)
    assert sent["message_id"] == message.message_id and sent["text"] == "Chọn:"


async def test_html_is_parsed_like_telegram(bot: telegram.Bot, fake_telegram: FakeTelegram) -> None:
    message = await bot.send_message(7, "<b>Tổ 3</b> &amp; <i>Tổ 4</i>", parse_mode="HTML")
    assert message.text == "Tổ 3 & Tổ 4"
    with pytest.raises(BadRequest, match=r"(?i)can't parse entities"):
        await bot.send_message(7, "Tom & Jerry <3", parse_mode="HTML")
    with pytest.raises(BadRequest, match=r"(?i)message is too long"):
        await bot.send_message(7, "x" * 4097)


async def test_callback_data_over_64_bytes_is_refused(bot: telegram.Bot) -> None:
    ok_data = "n:ấp_1:" + "x" * (64 - len("n:ấp_1:".encode()))
    long_data = ok_data + "x"
    for data, fine in ((ok_data, True), (long_data, False)):
        markup = InlineKeyboardMarkup([[InlineKeyboardButton("A", callback_data=data)]])
        if fine:
            await bot.send_message(7, "ok", reply_markup=markup)
        else:
            with pytest.raises(BadRequest, match=r"(?i)BUTTON_DATA_INVALID"):
                await bot.send_message(7, "too long", reply_markup=markup)


async def test_calls_accept_every_encoding(fake_telegram: FakeTelegram) -> None:
    root = f"{fake_telegram.base_url}{fake_telegram.token}"
    markup = '{"inline_keyboard": [[{"text": "A", "callback_data": "x"}]]}'
    async with httpx.AsyncClient(verify=False) as http:
        by_query = await http.get(f"{root}/sendMessage", params={"chat_id": "5", "text": "q"})
        by_json = await http.post(
            f"{root}/sendMessage", json={"chat_id": 5, "text": "j", "reply_markup": markup}
        )
        by_form = await http.post(
            f"{root}/sendMessage", data={"chat_id": "5", "text": "f", "reply_markup": markup}
        )
    assert [r.status_code for r in (by_query, by_json, by_form)] == [200, 200, 200]
    calls = fake_telegram.calls_to("sendMessage")
    assert [c["text"] for c in calls] == ["q", "j", "f"]
    assert all(c["chat_id"] == 5 for c in calls)
    assert (
        calls[1]["reply_markup"]
        == calls[2]["reply_markup"]
        == {"inline_keyboard": [[{"text": "A", "callback_data": "x"}]]}
    )
    assert by_json.json()["result"]["reply_markup"]["inline_keyboard"][0][0]["text"] == "A"


async def test_unknown_token_and_unknown_method(fake_telegram: FakeTelegram) -> None:
    async with httpx.AsyncClient(verify=False) as http:
        bad_token = await http.post(f"{fake_telegram.base_url}1:nope/getMe")
        bad_method = await http.post(f"{fake_telegram.base_url}{fake_telegram.token}/sendPigeon")
    assert bad_token.status_code == 401
    assert bad_token.json() == {"ok": False, "error_code": 401, "description": "Unauthorized"}
    assert bad_method.status_code == 404
    assert bad_method.json()["error_code"] == 404
    with pytest.raises(InvalidToken):  # PTB's initialize() calls getMe
        async with fake_telegram.ptb_bot(token="1:nope"):
            pass


# --- receiving updates -------------------------------------------------------------------------


async def test_get_updates_offset_confirms(bot: telegram.Bot, fake_telegram: FakeTelegram) -> None:
    for text in ("/start", "a", "b"):
        fake_telegram.push_update(fake_telegram.text_update(42, text))

    first = await bot.get_updates(timeout=0)
    assert [u.message.text for u in first if u.message] == ["/start", "a", "b"]
    ids = [u.update_id for u in first]
    assert ids == sorted(ids) and len(set(ids)) == 3

    again = await bot.get_updates(offset=ids[1], timeout=0)  # confirms only the first
    assert [u.update_id for u in again] == ids[1:]
    assert await bot.get_updates(offset=ids[-1] + 1, timeout=0) == ()
    assert fake_telegram.pending_updates == []


async def test_get_updates_limit_and_negative_offset(
    bot: telegram.Bot, fake_telegram: FakeTelegram
) -> None:
    for n in range(5):
        fake_telegram.push_update(fake_telegram.text_update(1, str(n)))
    assert len(await bot.get_updates(limit=2, timeout=0)) == 2
    last = await bot.get_updates(offset=-1, timeout=0)
    assert [u.message.text for u in last if u.message] == ["4"]
    assert len(fake_telegram.pending_updates) == 1


async def test_long_poll_waits_then_wakes_on_push(
    bot: telegram.Bot, fake_telegram: FakeTelegram
) -> None:
    fake_telegram.max_poll_timeout = 0.2
    started = time.monotonic()
    assert await bot.get_updates(timeout=30) == ()
    assert 0.15 <= time.monotonic() - started < 2  # capped, not 30 s

    fake_telegram.max_poll_timeout = 5
    timer = threading.Timer(
        0.1, lambda: fake_telegram.push_update(fake_telegram.text_update(9, "hi"))
    )
    timer.start()
    started = time.monotonic()
    updates = await bot.get_updates(timeout=5)
    assert [u.message.text for u in updates if u.message] == ["hi"]
    assert time.monotonic() - started < 1.5  # woken by the push, not by the timeout
    timer.join()


async def test_webhook_excludes_get_updates(bot: telegram.Bot, fake_telegram: FakeTelegram) -> None:
    fake_telegram.push_update(fake_telegram.text_update(1, "x"))
    assert await bot.set_webhook("https://tinbao.example/tg", secret_token="s3cret_-X")
    info = await bot.get_webhook_info()
    assert info.url == "https://tinbao.example/tg" and info.pending_update_count == 1
    assert fake_telegram.webhook is not None
    assert fake_telegram.webhook["secret_token"] == "s3cret_-X"
    with pytest.raises(Conflict):
        await bot.get_updates(timeout=0)
    assert await bot.delete_webhook(drop_pending_updates=True)
    assert await bot.get_updates(timeout=0) == ()
    with pytest.raises(BadRequest, match=r"(?i)HTTPS"):
        await bot.set_webhook("http://tinbao.example/tg")
    with pytest.raises(BadRequest, match=r"(?i)ports"):
        await bot.set_webhook("https://tinbao.example:9000/tg")


async def test_update_builders_parse_in_ptb(bot: telegram.Bot, fake_telegram: FakeTelegram) -> None:
    sent = await bot.send_message(5, "Chọn:", reply_markup=KEYBOARD)
    fake = fake_telegram
    raw = [
        fake.text_update(5, "/start abc"),
        fake.text_update(5, "hello", chat_id=-100, chat_type="group"),
        fake.callback_update(5, "a:1:yes", sent.message_id),
        fake.location_update(5, 21.0, 105.8, horizontal_accuracy=20),
        fake.contact_update(5, "+84901234567", 5),
        fake.photo_update(5, "ph-1", caption="hiện trường", content=b"jpeg"),
        fake.voice_update(5),
        fake.sticker_update(5),
        fake.edited_text_update(5, "sửa", 1),
        fake.my_chat_member_update(5, "kicked"),
    ]
    ids = [u["update_id"] for u in raw]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    u = [Update.de_json(data, bot) for data in raw]

    assert u[0].message and u[0].message.entities[0].type == "bot_command"
    assert u[0].message.entities[0].length == len("/start")
    assert u[1].message and u[1].message.chat.type == "group" and u[1].message.chat.id == -100
    query = u[2].callback_query
    assert query and query.data == "a:1:yes" and query.from_user.id == 5
    assert isinstance(query.message, telegram.Message)
    assert query.message.reply_markup == KEYBOARD  # the stored message, with its buttons
    assert u[3].message and u[3].message.location
    assert u[3].message.location.horizontal_accuracy == 20
    assert u[4].message and u[4].message.contact and u[4].message.contact.user_id == 5
    assert u[5].message and u[5].message.photo[-1].file_id == "ph-1"
    assert u[5].message.caption == "hiện trường"
    assert u[6].message and u[6].message.voice
    assert u[7].message and u[7].message.sticker
    assert u[8].edited_message and u[8].edited_message.text == "sửa"
    assert u[9].my_chat_member and u[9].my_chat_member.new_chat_member.status == "kicked"
    assert fake.text_update(1, "no command")["message"].get("entities") is None


# --- editing, callbacks, actions, commands ---------------------------------------------------


async def test_edits_and_callbacks(bot: telegram.Bot, fake_telegram: FakeTelegram) -> None:
    message = await bot.send_message(3, "Câu 1?", reply_markup=KEYBOARD)
    assert await bot.answer_callback_query("123", text="Đã ghi")

    edited = await bot.edit_message_text("Câu 1: Có", chat_id=3, message_id=message.message_id)
    assert isinstance(edited, telegram.Message)
    assert edited.text == "Câu 1: Có" and edited.reply_markup is None  # keyboard removed
    with pytest.raises(BadRequest, match=r"(?i)not modified"):
        await bot.edit_message_text("Câu 1: Có", chat_id=3, message_id=message.message_id)

    marked = await bot.edit_message_reply_markup(3, message.message_id, reply_markup=KEYBOARD)
    assert isinstance(marked, telegram.Message) and marked.reply_markup == KEYBOARD
    with pytest.raises(BadRequest, match=r"(?i)not found"):
        await bot.edit_message_text("x", chat_id=3, message_id=999)
    assert fake_telegram.sent_to(3)[0]["text"] == "Câu 1: Có"
    assert await bot.send_chat_action(3, "typing")


async def test_commands_are_stored_per_scope(
    bot: telegram.Bot, fake_telegram: FakeTelegram
) -> None:
    everyone = [BotCommand("start", "Bắt đầu"), BotCommand("huy", "Hủy")]
    leader = [*everyone, BotCommand("tonghop", "Tổng hợp")]
    assert await bot.set_my_commands(everyone, language_code="vi")
    assert await bot.set_my_commands(leader, scope=BotCommandScopeChat(42), language_code="vi")

    assert [c.command for c in await bot.get_my_commands(language_code="vi")] == ["start", "huy"]
    got = await bot.get_my_commands(scope=BotCommandScopeChat(42), language_code="vi")
    assert [c.command for c in got] == ["start", "huy", "tonghop"]
    assert fake_telegram.commands({"type": "chat", "chat_id": 42}, "vi")[-1]["command"] == "tonghop"
    with pytest.raises(BadRequest, match=r"(?i)BOT_COMMAND_INVALID"):
        await bot.set_my_commands([BotCommand("Bad-Name", "x")])


# --- files ------------------------------------------------------------------------------------


async def test_send_document_upload_and_download(
    bot: telegram.Bot, fake_telegram: FakeTelegram
) -> None:
    content = b"PK\x03\x04 bao cao" * 100
    message = await bot.send_document(42, content, filename="bao-cao.docx", caption="Báo cáo")

    params = fake_telegram.calls_to("sendDocument")[-1]
    upload = params["document"]
    assert isinstance(upload, Upload)
    assert upload.filename == "bao-cao.docx" and upload.size == len(content)
    assert message.document and message.document.file_name == "bao-cao.docx"
    assert message.caption == "Báo cáo"

    file = await bot.get_file(message.document.file_id)
    assert file.file_size == len(content)
    assert bytes(await file.download_as_bytearray()) == content


async def test_send_photo_and_get_file_of_registered_file(
    bot: telegram.Bot, fake_telegram: FakeTelegram
) -> None:
    message = await bot.send_photo(42, b"\xff\xd8jpeg", filename="a.jpg")
    assert message.photo and message.photo[-1].file_size == 6
    assert fake_telegram.calls_to("sendPhoto")[-1]["photo"].filename == "a.jpg"

    fake_telegram.add_file("user-photo", b"photo bytes")
    file = await bot.get_file("user-photo")
    assert bytes(await file.download_as_bytearray()) == b"photo bytes"
    with pytest.raises(BadRequest, match=r"(?i)invalid file_id"):
        await bot.get_file("missing")


# --- faults, limits, blocking --------------------------------------------------------------------


async def test_injected_429_surfaces_as_retry_after(
    bot: telegram.Bot, fake_telegram: FakeTelegram
) -> None:
    fake_telegram.fail_next("sendMessage", 1, 429, retry_after=7)
    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(1, "x")
    assert _seconds(caught.value.retry_after) == 7
    assert fake_telegram.count_429 == 1
    await bot.send_message(1, "x")  # only the next one failed


async def test_injected_500_and_any_method(bot: telegram.Bot, fake_telegram: FakeTelegram) -> None:
    fake_telegram.fail_next("*", 2, 500)
    with pytest.raises(TelegramError, match=r"(?i)Internal Server Error"):
        await bot.get_me()
    with pytest.raises(TelegramError):
        await bot.send_message(1, "x")
    assert (await bot.get_me()).is_bot


async def test_dropped_connection_is_a_network_error(
    bot: telegram.Bot, fake_telegram: FakeTelegram
) -> None:
    fake_telegram.fail_next("sendMessage", 1, "drop")
    with pytest.raises(NetworkError):
        await bot.send_message(1, "lost")
    assert fake_telegram.sent_to(1) == []  # dropped before it took effect

    fake_telegram.fail_next("sendMessage", 1, "drop_after")
    with pytest.raises(NetworkError):
        await bot.send_message(1, "sent but unconfirmed")
    assert fake_telegram.texts_to(1) == ["sent but unconfirmed"]

    fake_telegram.set_unreachable(True)
    with pytest.raises(NetworkError):
        await bot.get_me()
    fake_telegram.set_unreachable(False)
    assert (await bot.get_me()).is_bot


async def test_hanging_request_times_out(fake_telegram: FakeTelegram) -> None:
    fake_telegram.fail_next("sendMessage", 1, "hang")
    async with _bot(fake_telegram, read_timeout=0.1) as impatient:
        with pytest.raises(TimedOut):
            await impatient.send_message(1, "x")
    fake_telegram.reset()  # frees the hanging handler


async def test_limits_mode_answers_429_when_hammering_one_chat(
    bot: telegram.Bot, fake_telegram: FakeTelegram
) -> None:
    fake_telegram.enforce_limits = True
    results = await asyncio.gather(
        *(bot.send_message(77, f"m{n}") for n in range(8)), return_exceptions=True
    )
    refused = [r for r in results if isinstance(r, RetryAfter)]
    sent = [r for r in results if isinstance(r, telegram.Message)]
    # A burst of 3, plus at most one refill if this machine is slow (1 per second).
    assert 3 <= len(sent) <= 4 and len(sent) + len(refused) == 8
    assert all(_seconds(r.retry_after) >= 1 for r in refused)
    assert fake_telegram.count_429 == len(refused)
    await bot.send_message(78, "another chat is not affected")


async def test_group_and_global_limits(bot: telegram.Bot, fake_telegram: FakeTelegram) -> None:
    fake_telegram.set_limits(
        Limits(chat_rate=100, chat_burst=100, group_rate=0.01, group_burst=2, global_burst=100)
    )
    await bot.send_message(-500, "1")
    await bot.send_message(-500, "2")
    with pytest.raises(RetryAfter):
        await bot.send_message(-500, "3")
    await bot.send_message(500, "private chats have no group bucket")

    fake_telegram.set_limits(Limits(chat_burst=10, global_rate=0.1, global_burst=3))
    for chat_id in (1, 2, 3):
        await bot.send_message(chat_id, "x")
    with pytest.raises(RetryAfter):
        await bot.send_message(4, "x")


async def test_blocked_user_is_forbidden(bot: telegram.Bot, fake_telegram: FakeTelegram) -> None:
    fake_telegram.block_user(13)
    with pytest.raises(Forbidden, match=r"(?i)bot was blocked by the user"):
        await bot.send_message(13, "x")
    fake_telegram.unblock_user(13)
    await bot.send_message(13, "x")


async def test_concurrent_senders_are_all_recorded(
    bot: telegram.Bot, fake_telegram: FakeTelegram
) -> None:
    async def burst(chat_id: int) -> None:
        for n in range(10):
            await bot.send_message(chat_id, str(n))

    reader = threading.Thread(target=lambda: [fake_telegram.calls for _ in range(50)])
    reader.start()
    await asyncio.gather(*(burst(chat_id) for chat_id in range(1, 6)))
    reader.join()
    assert len(fake_telegram.calls_to("sendMessage")) == 50
    for chat_id in range(1, 6):
        sent = fake_telegram.sent_to(chat_id)
        assert [m["text"] for m in sent] == [str(n) for n in range(10)]
        assert len({m["message_id"] for m in sent}) == 10


# --- lifecycle ----------------------------------------------------------------------------------


def test_sync_context_manager_and_stop() -> None:
    with FakeTelegram(token="42:abc") as fake:
        url = fake.url
        answer = httpx.get(f"{url}/bot42:abc/getMe", verify=False)
        assert answer.json()["result"]["id"] == 42
    assert not fake.running
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{url}/bot42:abc/getMe", verify=False)


async def test_async_context_manager_stops_while_a_poll_waits() -> None:
    async with FakeTelegram(max_poll_timeout=30) as fake, _bot(fake) as ptb_bot:
        poll = asyncio.create_task(ptb_bot.get_updates(timeout=30))
        await asyncio.sleep(0.1)
        started = time.monotonic()
        await asyncio.to_thread(fake.stop)
        assert time.monotonic() - started < 2  # the poll was released, not waited for
        assert await poll == ()


def test_reset_forgets_everything(fake_telegram: FakeTelegram) -> None:
    fake_telegram.push_update(fake_telegram.text_update(1, "x"))
    fake_telegram.fail_next("getMe", 5)
    fake_telegram.block_user(1)
    fake_telegram.enforce_limits = True
    fake_telegram.reset()
    assert fake_telegram.pending_updates == [] and fake_telegram.calls == []
    assert not fake_telegram.enforce_limits
    answer = httpx.post(
        f"{fake_telegram.base_url}{fake_telegram.token}/sendMessage",
        json={"chat_id": 1, "text": "ok"},
        verify=False,
    )
    assert answer.json()["ok"] is True


async def test_ptb_application_polls_and_replies(fake_telegram: FakeTelegram) -> None:
    """The whole PTB polling loop (deleteWebhook, getUpdates with offsets) works on the fake."""

    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_chat is not None
        await context.bot.send_message(update.effective_chat.id, "Xin chào")

    app = (
        ApplicationBuilder()
        .token(fake_telegram.token)
        .base_url(fake_telegram.base_url)
        .base_file_url(fake_telegram.base_file_url)
        .build()
    )  # built the way production builds it, default requests included
    app.add_handler(CommandHandler("start", start))
    fake_telegram.push_update(fake_telegram.text_update(42, "/start"))
    async with app:
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0, timeout=1)
        for _ in range(100):
            if fake_telegram.texts_to(42):
                break
            await asyncio.sleep(0.02)
        await app.updater.stop()
        await app.stop()
    assert fake_telegram.texts_to(42) == ["Xin chào"]
