"""The main job (`tinbao run`) end to end: polling and webhook against a fake Telegram."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Callable, Sequence
from pathlib import Path

import httpx
from sqlmodel import Session, select

from bot.channels import telegram_channel
from bot.context import AppContext, open_context
from bot.core.engine import Engine, Outcome
from bot.core.events import InboundEvent
from bot.runtime import run
from bot.settings import load_settings
from storage.models import OutboxMessage, ProcessedUpdate
from tests.fakes.telegram_api import FakeTelegram
from tests.fakes.zalo_api import FakeZalo


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def context(tmp_path: Path, fake: FakeTelegram, **extra: object) -> AppContext:
    return open_context(
        load_settings(
            _env_file=None,
            data_dir=tmp_path / "data",
            telegram_bot_token=fake.token,
            telegram_api_url=fake.url,
            web_port=free_port(),
            **extra,
        )
    )


async def wait_for(condition: object, seconds: float = 15.0) -> None:
    deadline = asyncio.get_running_loop().time() + seconds
    while not condition():  # type: ignore[operator]
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("timed out")
        await asyncio.sleep(0.05)


async def test_polling_answers_a_stranger_and_confirms_the_update(
    tmp_path: Path, fake_telegram: FakeTelegram
) -> None:
    ctx = context(tmp_path, fake_telegram)
    stop = asyncio.Event()
    task = asyncio.create_task(run(ctx, stop))
    fake_telegram.push_update(fake_telegram.text_update(4242, "/start"))
    await wait_for(lambda: fake_telegram.texts_to(4242))
    assert "chưa có trong danh sách" in fake_telegram.texts_to(4242)[0]
    await wait_for(lambda: not fake_telegram.pending_updates)  # confirmed after commit
    stop.set()
    await asyncio.wait_for(task, 30)
    with Session(ctx.engine) as s:
        assert len(s.exec(select(ProcessedUpdate)).all()) == 1
        assert {r.status for r in s.exec(select(OutboxMessage)).all()} == {"sent"}
    ctx.close()


async def test_webhook_refuses_a_wrong_secret_and_handles_a_right_one(
    tmp_path: Path, fake_telegram: FakeTelegram
) -> None:
    port = free_port()
    ctx = context(
        tmp_path,
        fake_telegram,
        telegram_webhook_url="https://tinbao.example.vn:8443/telegram/webhook",
        telegram_webhook_secret="s3cret-token_1",
        webhook_host="127.0.0.1",
        webhook_port=port,
    )
    stop = asyncio.Event()
    task = asyncio.create_task(run(ctx, stop))
    url = f"http://127.0.0.1:{port}/telegram/webhook"
    update = fake_telegram.text_update(4343, "/start")
    async with httpx.AsyncClient() as http:
        for _ in range(100):
            try:
                await http.get(f"http://127.0.0.1:{port}/")
                break
            except httpx.TransportError:
                await asyncio.sleep(0.1)
        assert fake_telegram.webhook is not None
        assert fake_telegram.webhook["secret_token"] == "s3cret-token_1"
        wrong = await http.post(
            url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": "nope"}
        )
        missing = await http.post(url, json=update)
        assert (wrong.status_code, missing.status_code) == (403, 403)
        with Session(ctx.engine) as s:
            assert s.exec(select(ProcessedUpdate)).all() == []
        headers = {"X-Telegram-Bot-Api-Secret-Token": "s3cret-token_1"}
        first = await http.post(url, json=update, headers=headers)
        again = await http.post(url, json=update, headers=headers)  # Telegram retrying
        assert (first.status_code, again.status_code) == (200, 200)
    await wait_for(lambda: fake_telegram.texts_to(4343))
    stop.set()
    await asyncio.wait_for(task, 30)
    assert len(fake_telegram.texts_to(4343)) == 1
    ctx.close()


async def test_playground_seeds_the_sample_commune_without_tokens(tmp_path: Path) -> None:
    ctx = open_context(load_settings(_env_file=None, data_dir=tmp_path / "d", web_port=free_port()))
    stop = asyncio.Event()
    task = asyncio.create_task(run(ctx, stop))
    async with httpx.AsyncClient() as http:
        for _ in range(100):
            try:
                page = await http.get(f"http://127.0.0.1:{ctx.settings.web_port}/")
                break
            except httpx.TransportError:
                await asyncio.sleep(0.1)
    stop.set()
    await asyncio.wait_for(task, 30)
    assert page.status_code == 200 and "Tây Trà" in page.text
    ctx.close()


async def test_zalo_and_telegram_run_side_by_side(
    tmp_path: Path, fake_telegram: FakeTelegram, fake_zalo: FakeZalo
) -> None:
    ctx = context(
        tmp_path, fake_telegram, zalo_bot_token=fake_zalo.token, zalo_api_url=fake_zalo.url
    )
    stop = asyncio.Event()
    task = asyncio.create_task(run(ctx, stop))
    fake_zalo.push_update(fake_zalo.text_update("zalo-user-1", "xin chào"))
    fake_telegram.push_update(fake_telegram.text_update(4545, "/start"))
    await wait_for(lambda: fake_zalo.texts_to("zalo-user-1") and fake_telegram.texts_to(4545))
    assert "chưa có trong danh sách" in fake_zalo.texts_to("zalo-user-1")[0]
    stop.set()
    await asyncio.wait_for(task, 40)
    ctx.close()


async def test_a_getupdates_page_is_one_batch_confirmed_after_its_commit(
    tmp_path: Path, fake_telegram: FakeTelegram
) -> None:
    batches: list[int] = []

    class Recording(Engine):
        def handle_batch(
            self,
            events: Sequence[InboundEvent],
            on_committed: Callable[[list[Outcome]], None] | None = None,
        ) -> list[Outcome]:
            # Nothing of this page is confirmed while it is being handled.
            assert len(fake_telegram.pending_updates) == len(events)
            batches.append(len(events))
            return super().handle_batch(events, on_committed)

    ctx = context(tmp_path, fake_telegram)
    for uid in range(5):  # queued before the first poll: they come as one page
        fake_telegram.push_update(fake_telegram.text_update(4300 + uid, "xin chào"))
    stop = asyncio.Event()
    async with fake_telegram.ptb_bot() as bot:
        task = asyncio.create_task(telegram_channel.poll(Recording(ctx), bot, stop, timeout=1))
        await wait_for(lambda: not fake_telegram.pending_updates)
        stop.set()
        await asyncio.wait_for(task, 30)
    assert batches[0] == 5
    with Session(ctx.engine) as s:
        assert len(s.exec(select(ProcessedUpdate)).all()) == 5
    ctx.close()
