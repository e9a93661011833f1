"""Local fakes of the Telegram and Zalo Bot APIs, served over real HTTP on 127.0.0.1.

Tests and benchmarks point the real clients (python-telegram-bot, ``ZaloClient``) at these
instead of the internet. Each fake records every call, lets the test push updates, and can
misbehave on demand (errors, 429s, dropped connections, flood limits)::

    with FakeTelegram() as tg:
        bot = telegram.Bot(tg.token, base_url=tg.base_url, base_file_url=tg.base_file_url)
        tg.push_update(tg.text_update(42, "/start"))
        ...
        assert tg.sent_to(42)[-1]["text"] == "Xin chào"

In pytest, use the ``fake_telegram`` / ``fake_zalo`` fixtures from :mod:`tests.fakes.fixtures`.
"""

from .base import Call, FaultKind
from .limits import TELEGRAM_LIMITS, ZALO_LIMITS, Limits
from .server import FakeServer
from .telegram_api import FakeTelegram, Upload
from .zalo_api import FakeZalo

__all__ = [
    "TELEGRAM_LIMITS",
    "ZALO_LIMITS",
    "Call",
    "FakeServer",
    "FakeTelegram",
    "FakeZalo",
    "FaultKind",
    "Limits",
    "Upload",
]
