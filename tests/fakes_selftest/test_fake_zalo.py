"""FakeZalo speaks the Zalo Bot API as ``shared/reference/zalo-bot-api.md`` describes it.

These talk raw HTTP (not ``ZaloClient``) so that the wire format itself is what is checked.
"""

from __future__ import annotations

import asyncio
import re
import threading
import time
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from tests.fakes import FakeZalo, Limits


@pytest.fixture
async def api(fake_zalo: FakeZalo) -> AsyncIterator[Api]:
    async with httpx.AsyncClient(
        verify=False, base_url=f"{fake_zalo.url}/bot{fake_zalo.token}"
    ) as http:
        yield Api(http)


class Api:
    def __init__(self, http: httpx.AsyncClient) -> None:
        self.http = http

    async def __call__(self, method: str, **body: Any) -> tuple[int, dict[str, Any]]:
        response = await self.http.post(f"/{method}", json=body)
        return response.status_code, response.json()


async def test_get_me(api: Api, fake_zalo: FakeZalo) -> None:
    status, body = await api("getMe")
    assert status == 200 and body["ok"] is True
    assert body["result"]["id"] == fake_zalo.bot_id
    assert set(body["result"]) == {"id", "account_name", "account_type", "can_join_groups"}


async def test_get_updates_hands_out_one_object_per_call(api: Api, fake_zalo: FakeZalo) -> None:
    fake_zalo.max_poll_timeout = 0.1
    first = fake_zalo.push_update(fake_zalo.text_update("u1", "Xin chào"))
    second = fake_zalo.push_update(fake_zalo.text_update("u1", "lần 2"))

    assert (await api("getUpdates", timeout="30"))[1] == {"ok": True, "result": first}
    assert (await api("getUpdates", timeout="30"))[1]["result"] == second
    started = time.monotonic()
    status, body = await api("getUpdates", timeout="30")
    assert status == 408
    assert body == {"ok": False, "error_code": 408, "description": "Request timeout"}
    assert time.monotonic() - started < 2  # capped by max_poll_timeout, not 30 s
    assert fake_zalo.calls_to("getUpdates")[0] == {"timeout": "30"}


async def test_long_poll_wakes_on_push(api: Api, fake_zalo: FakeZalo) -> None:
    fake_zalo.max_poll_timeout = 5
    update = fake_zalo.text_update("u2", "muộn")
    timer = threading.Timer(0.1, fake_zalo.push_update, args=(update,))
    timer.start()
    started = time.monotonic()
    assert (await api("getUpdates", timeout="5"))[1]["result"] == update
    assert time.monotonic() - started < 1.5
    timer.join()


async def test_webhook_blocks_polling(api: Api, fake_zalo: FakeZalo) -> None:
    fake_zalo.max_poll_timeout = 0.1
    update = fake_zalo.push_update(fake_zalo.text_update("u3", "x"))
    assert (await api("setWebhook", url="http://insecure.example/z", secret_token="s" * 8))[
        0
    ] == 400
    assert (await api("setWebhook", url="https://tinbao.example/z", secret_token="short"))[0] == 400

    status, body = await api("setWebhook", url="https://tinbao.example/z", secret_token="s" * 8)
    assert status == 200 and body["result"]["url"] == "https://tinbao.example/z"
    assert isinstance(body["result"]["updated_at"], int)
    assert fake_zalo.webhook == {"url": "https://tinbao.example/z", "secret_token": "s" * 8}
    assert (await api("getWebhookInfo"))[1]["result"]["url"] == "https://tinbao.example/z"
    assert (await api("getUpdates", timeout="1"))[0] == 408  # nothing while a webhook is set

    assert (await api("deleteWebhook"))[1]["result"]["url"] == ""
    assert (await api("getUpdates", timeout="1"))[1]["result"] == update


async def test_send_message_checks_text_and_chat_id(api: Api, fake_zalo: FakeZalo) -> None:
    status, body = await api("sendMessage", chat_id="c1", text="x" * 2000)
    assert status == 200
    assert re.fullmatch(r"[0-9a-f]{32}", body["result"]["message_id"])
    assert abs(body["result"]["date"] - time.time() * 1000) < 60_000  # milliseconds
    for bad in ({"chat_id": "c1", "text": ""}, {"chat_id": "c1", "text": "x" * 2001}):
        status, body = await api("sendMessage", **bad)
        assert status == 400 and body["ok"] is False and body["error_code"] == 400
    assert (await api("sendMessage", chat_id=123, text="int ids are a bug"))[0] == 400
    assert fake_zalo.texts_to("c1") == ["x" * 2000]


async def test_photo_sticker_and_chat_action(api: Api, fake_zalo: FakeZalo) -> None:
    assert (await api("sendPhoto", chat_id="c", photo="/relative.jpg"))[0] == 400
    assert (await api("sendPhoto", chat_id="c", photo="ftp://x/a.jpg"))[0] == 400
    assert (await api("sendPhoto", chat_id="c", photo="https://x/a.jpg", caption="Ảnh"))[0] == 200
    assert (await api("sendSticker", chat_id="c", sticker="abc"))[0] == 200
    assert (await api("sendChatAction", chat_id="c", action="typing"))[1]["result"] is True
    assert (await api("sendChatAction", chat_id="c", action="dancing"))[0] == 400
    sent = fake_zalo.sent_to("c")
    assert [(m["type"], m.get("photo"), m.get("sticker")) for m in sent] == [
        ("photo", "https://x/a.jpg", None),
        ("sticker", None, "abc"),
    ]
    assert sent[0]["caption"] == "Ảnh"


async def test_unknown_token_and_method(fake_zalo: FakeZalo) -> None:
    async with httpx.AsyncClient(verify=False) as http:
        bad_token = await http.post(f"{fake_zalo.url}/bot1:nope/getMe", json={})
        bad_method = await http.post(f"{fake_zalo.url}/bot{fake_zalo.token}/sendPigeon", json={})
    assert bad_token.status_code == 401
    assert bad_token.json() == {"ok": False, "error_code": 401, "description": "Unauthorized"}
    assert bad_method.status_code == 404 and bad_method.json()["error_code"] == 404
    assert fake_zalo.calls == []  # neither reached a method


def test_update_builders_have_real_shapes(fake_zalo: FakeZalo) -> None:
    text = fake_zalo.text_update("e4ea01", "Xin chào", display_name="Nguyễn Văn A")
    assert text["event_name"] == "message.text.received"
    message = text["message"]
    assert re.fullmatch(r"[0-9a-f]{32}", message["message_id"])
    assert abs(message["date"] - time.time() * 1000) < 60_000
    assert message["from"] == {"id": "e4ea01", "display_name": "Nguyễn Văn A", "is_bot": False}
    assert message["chat"] == {"id": "e4ea01", "chat_type": "PRIVATE"}
    assert message["text"] == "Xin chào"

    image = fake_zalo.image_update("u", "https://x/p.jpg", "hiện trường")["message"]
    assert (image["photo_url"], image["caption"]) == ("https://x/p.jpg", "hiện trường")
    assert fake_zalo.image_update("u", "https://x/p.jpg")["message"].get("caption") is None
    assert fake_zalo.sticker_update("u")["event_name"] == "message.sticker.received"
    unsupported = fake_zalo.unsupported_update("u")
    assert unsupported["event_name"] == "message.unsupported.received"
    assert "text" not in unsupported["message"]
    group = fake_zalo.text_update("u", "hi", chat_id="g1", chat_type="GROUP")["message"]
    assert group["chat"] == {"id": "g1", "chat_type": "GROUP"}
    ids = {fake_zalo.text_update("u", "x")["message"]["message_id"] for _ in range(20)}
    assert len(ids) == 20


async def test_static_files(fake_zalo: FakeZalo) -> None:
    url = fake_zalo.add_file("hiện trường.jpg", b"\xff\xd8jpeg")
    async with httpx.AsyncClient(verify=False) as http:
        found = await http.get(url)
        missing = await http.get(f"{fake_zalo.url}/files/none.jpg")
    assert found.content == b"\xff\xd8jpeg" and found.headers["content-type"] == "image/jpeg"
    assert missing.status_code == 404


async def test_injected_faults(api: Api, fake_zalo: FakeZalo) -> None:
    fake_zalo.fail_next("sendMessage", 1, 500)
    fake_zalo.fail_next("sendMessage", 1, 429, retry_after=3)
    fake_zalo.fail_next("sendMessage", 1, 429)
    assert await api("sendMessage", chat_id="c", text="a") == (
        500,
        {"ok": False, "error_code": 500, "description": "Internal Server Error"},
    )
    assert (await api("sendMessage", chat_id="c", text="b"))[1] == {
        "ok": False,
        "error_code": 429,
        "description": "Too Many Requests",
        "parameters": {"retry_after": 3},
    }
    assert "parameters" not in (await api("sendMessage", chat_id="c", text="c"))[1]
    assert (await api("sendMessage", chat_id="c", text="d"))[0] == 200
    assert fake_zalo.count_429 == 2
    assert [p["text"] for p in fake_zalo.calls_to("sendMessage")] == ["a", "b", "c", "d"]


async def test_dropped_connection_and_unreachable(api: Api, fake_zalo: FakeZalo) -> None:
    fake_zalo.fail_next("sendMessage", 1, "drop")
    with pytest.raises(httpx.TransportError):
        await api("sendMessage", chat_id="c", text="lost")
    fake_zalo.set_unreachable(True)
    with pytest.raises(httpx.TransportError):
        await api("getMe")
    fake_zalo.set_unreachable(False)
    assert (await api("getMe"))[0] == 200
    assert fake_zalo.sent_to("c") == []


async def test_errors_as_http_200(api: Api, fake_zalo: FakeZalo) -> None:
    fake_zalo.max_poll_timeout = 0.05
    fake_zalo.errors_as_http_200 = True
    assert await api("getUpdates") == (
        200,
        {"ok": False, "error_code": 408, "description": "Request timeout"},
    )
    fake_zalo.reset()
    assert not fake_zalo.errors_as_http_200


async def test_limits_mode_answers_429(api: Api, fake_zalo: FakeZalo) -> None:
    fake_zalo.set_limits(Limits(chat_rate=0.1, chat_burst=2, global_rate=100, global_burst=100))
    results = await asyncio.gather(
        *(api("sendMessage", chat_id="c", text=str(n)) for n in range(6))
    )
    statuses = sorted(status for status, _ in results)
    assert statuses == [200, 200, 429, 429, 429, 429]
    refused = [body for status, body in results if status == 429]
    assert all(body["parameters"]["retry_after"] >= 1 for body in refused)
    assert fake_zalo.count_429 == 4
    assert (await api("sendMessage", chat_id="other", text="x"))[0] == 200


async def test_concurrent_use_from_threads(fake_zalo: FakeZalo) -> None:
    root = f"{fake_zalo.url}/bot{fake_zalo.token}"

    def worker(chat: str) -> None:
        with httpx.Client(verify=False) as http:
            for n in range(10):
                http.post(f"{root}/sendMessage", json={"chat_id": chat, "text": str(n)})

    threads = [threading.Thread(target=worker, args=(f"c{i}",)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(fake_zalo.calls) == 40
    assert all(fake_zalo.texts_to(f"c{i}") == [str(n) for n in range(10)] for i in range(4))
