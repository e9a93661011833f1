"""One conversation suite, two channels: the ``chat`` fixture yields a driver per channel."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator, Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import time_machine

from bot.context import AppContext, open_context
from bot.settings import load_settings
from storage.db import transaction
from storage.sample import seed_sample
from tests.channels.driver import ChatDriver
from tests.fakes.telegram_api import FakeTelegram

_users = itertools.count(5000)


@pytest.fixture
def frozen_clock() -> Iterator[None]:
    """09:00 on 10/09/2025 in Hà Nội, inside the sample directive's window."""
    with time_machine.travel(datetime(2025, 9, 10, 2, 0, tzinfo=UTC), tick=True):
        yield


@pytest.fixture(params=["telegram", "zalo"])
def channel(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def channel_ctx(
    tmp_path: Path, channel: str, request: pytest.FixtureRequest, frozen_clock: None
) -> Iterator[AppContext]:
    overrides: dict[str, object] = {"data_dir": tmp_path / "data", "_env_file": None}
    if channel == "telegram":
        fake: FakeTelegram = request.getfixturevalue("fake_telegram")
        overrides.update(telegram_bot_token=fake.token, telegram_api_url=fake.url)
    else:
        fake_zalo = request.getfixturevalue("fake_zalo")
        overrides.update(zalo_bot_token=fake_zalo.token, zalo_api_url=fake_zalo.url)
    ctx = open_context(load_settings(**overrides))
    with transaction(ctx.engine) as s:
        seed_sample(s)
    yield ctx
    ctx.close()


@pytest.fixture
async def make_chat(
    channel: str, channel_ctx: AppContext, request: pytest.FixtureRequest
) -> AsyncIterator[Callable[[], ChatDriver]]:
    """Build drivers for new chat users on the parametrised channel."""
    made: list[ChatDriver] = []

    def build() -> ChatDriver:
        user_id = next(_users)
        driver: ChatDriver
        if channel == "telegram":
            from tests.channels.telegram_driver import TelegramDriver

            driver = TelegramDriver(channel_ctx, request.getfixturevalue("fake_telegram"), user_id)
        else:
            from tests.channels.zalo_driver import ZaloDriver

            driver = ZaloDriver(channel_ctx, request.getfixturevalue("fake_zalo"), user_id)
        made.append(driver)
        return driver

    yield build
