"""pytest fixtures for the fake Bot APIs. Register with ``pytest_plugins = ["tests.fakes.fixtures"]``.

``fake_telegram`` / ``fake_zalo`` give each test a running fake with fresh state. The server
itself is shared by the whole session and ``reset()`` before each test: stopping uvicorn takes
0.1–0.2 s, which over hundreds of tests would dominate the run. A test that needs its own
configuration (another token, limits, ``errors_as_http_200``) builds one:
``with FakeZalo(errors_as_http_200=True) as zalo: …``.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from .telegram_api import FakeTelegram
from .zalo_api import FakeZalo

__all__ = ["fake_telegram", "fake_zalo"]


@pytest.fixture(scope="session")
def _fake_telegram_server() -> Iterator[FakeTelegram]:
    with FakeTelegram() as server:
        yield server


@pytest.fixture(scope="session")
def _fake_zalo_server() -> Iterator[FakeZalo]:
    with FakeZalo() as server:
        yield server


@pytest.fixture
def fake_telegram(_fake_telegram_server: FakeTelegram) -> Iterator[FakeTelegram]:
    """A running :class:`FakeTelegram` with no calls, updates, faults or limits."""
    _fake_telegram_server.reset()
    yield _fake_telegram_server
    _fake_telegram_server.reset()  # release anything a test left waiting


@pytest.fixture
def fake_zalo(_fake_zalo_server: FakeZalo) -> Iterator[FakeZalo]:
    """A running :class:`FakeZalo` with no calls, updates, faults or limits."""
    _fake_zalo_server.reset()
    yield _fake_zalo_server
    _fake_zalo_server.reset()
