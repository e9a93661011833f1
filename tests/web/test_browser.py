"""A real browser (Debian's Chromium, driven by Playwright) on the served web channel.

A village head files an urgent tip in the phone-sized chat page — location from the
browser's geolocation, a photo upload, buttons and typed answers — then the police change
the incident's status on the dashboard. Screenshots go to ``artifacts/`` for people to look
at. No browser is ever downloaded: without /usr/bin/chromium (or the playwright package)
the test is skipped, except under ``CI=true`` where that is a failure.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session, select

from bot.channels.web import create_app
from bot.context import AppContext, open_context
from bot.core.engine import Engine
from bot.settings import load_settings
from storage.db import transaction
from storage.models import Attachment, Incident, IncidentEvent
from storage.sample import seed_sample
from tests.engine.harness import Clock
from tests.fakes.server import FakeServer
from tests.web.conftest import member
from tests.web.test_chat_api import PNG

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"
PHONE = {"width": 390, "height": 844}
TIMEOUT_MS = 15_000


def _require_browser() -> Any:
    """The Playwright sync API, or a skip (a failure under CI=true) when it cannot run."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        reason = "the playwright package is not installed (pip install -e '.[dev]')"
    else:
        if CHROMIUM.exists():
            return sync_playwright
        reason = f"{CHROMIUM} is missing (apt-get install chromium)"
    if os.environ.get("CI") == "true":
        pytest.fail(f"browser test required under CI=true: {reason}")
    pytest.skip(reason)


@dataclass
class Served:
    ctx: AppContext
    url: str


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    """The playground (local mode) on 127.0.0.1:<free port>, sample data, 09:00 10/09/2025."""
    ctx = open_context(load_settings(data_dir=tmp_path / "data", _env_file=None))
    with transaction(ctx.engine) as s:
        seed_sample(s)
    engine = Engine(ctx, clock=Clock(datetime(2025, 9, 10, 2, 0, tzinfo=UTC)))
    with FakeServer(create_app(ctx, engine, local_mode=True), name="web") as server:
        yield Served(ctx, server.url)
    ctx.close()


class ChatPage:
    """The chat page as a person uses it; each action waits for the bot's next message."""

    def __init__(self, page: Any) -> None:
        self.page = page

    def _newest(self) -> int:
        return int(
            self.page.evaluate(
                "Math.max(0, ...Array.from(document.querySelectorAll('.bubble.bot'))"
                ".map(e => Number(e.id.slice(2))))"
            )
        )

    def _then_wait(self, action: Any) -> None:
        before = self._newest()
        action()
        self.page.wait_for_function(
            "prev => Array.from(document.querySelectorAll('.bubble.bot'))"
            ".some(e => Number(e.id.slice(2)) > prev)",
            arg=before,
        )

    def say(self, text: str) -> None:
        def type_it() -> None:
            self.page.fill("#text-input", text)
            self.page.press("#text-input", "Enter")

        self._then_wait(type_it)

    def tap(self, label: str) -> None:
        button = self.page.locator(".bubble.bot .choice", has_text=label).last
        self._then_wait(button.click)

    def click(self, selector: str) -> None:
        self._then_wait(lambda: self.page.click(selector))

    def upload_photo(self) -> None:
        self._then_wait(
            lambda: self.page.set_input_files(
                "#photo-input", files=[{"name": "anh.png", "mimeType": "image/png", "buffer": PNG}]
            )
        )

    def last_text(self) -> str:
        return str(self.page.locator(".bubble.bot .text").last.inner_text())


def test_report_in_chat_then_police_act_on_dashboard(served: Served) -> None:
    sync_playwright = _require_browser()
    ARTIFACTS.mkdir(exist_ok=True)
    head = member(served.ctx, "village_head", "village")
    cop = member(served.ctx, "police", "police")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        try:
            context = browser.new_context(
                viewport=PHONE,
                device_scale_factor=2,
                is_mobile=True,
                has_touch=True,
                locale="vi-VN",
                geolocation={"latitude": 15.1621, "longitude": 108.3753},
                permissions=["geolocation"],
            )
            page = context.new_page()
            page.set_default_timeout(TIMEOUT_MS)
            errors: list[str] = []
            page.on("pageerror", lambda exc: errors.append(str(exc)))

            # --- the village head files an urgent tip in the chat page -------------------
            page.goto(f"{served.url}/")
            with page.expect_navigation():
                page.select_option("#member-select", str(head.id))
            chat = ChatPage(page)
            chat.click("[data-send='/baocao']")
            chat.tap("khả nghi")
            assert "ở <b>đâu</b>" in page.locator(".bubble.bot .text").last.inner_html()
            chat.click("#send-location")  # the browser's geolocation
            chat.tap("Hôm nay")
            chat.say("7h15")
            chat.say("3")
            chat.tap("Nói tiếng nước ngoài")
            chat.tap("Không có giấy tờ")
            page.screenshot(path=str(ARTIFACTS / "web-chat-choices.png"))
            chat.tap("Xong")
            chat.say("Ba người mang ba lô lớn, đi về phía suối")
            chat.upload_photo()
            chat.tap("Xong")
            chat.tap("09")  # the registered phone, offered as a button
            assert "Xem lại" in chat.last_text()
            chat.tap("Gửi báo cáo")
            # Nobody in the police has opened a chat yet: the page says so, with the phone.
            page.wait_for_selector("text=Vui lòng gọi ngay")
            page.screenshot(path=str(ARTIFACTS / "web-chat.png"))

            with Session(served.ctx.engine) as s:
                incident = s.exec(select(Incident)).one()
                photos = s.exec(select(Attachment)).all()
            assert incident.latitude == pytest.approx(15.1621)
            assert incident.people_count == 3 and len(photos) == 1

            # --- the police change its status on the dashboard --------------------------
            page.goto(f"{served.url}/dashboard")
            card = page.locator(f"#incident-{incident.id}")
            assert "Mới" in card.inner_text() and head.full_name in card.inner_text()
            page.select_option("#act-as", str(cop.id))
            with page.expect_navigation():
                page.click("#act-as-form button")
            with page.expect_navigation():
                card.locator("button", has_text="Đã tiếp nhận").click()
            assert "Đã cập nhật: Đã tiếp nhận" in page.locator("#flash").inner_text()
            history = page.locator(f"#incident-{incident.id} .history").inner_text()
            assert cop.full_name in history and "Đã tiếp nhận" in history
            page.evaluate("window.scrollTo(0, 0)")  # the sticky bar at the top of the picture
            page.screenshot(path=str(ARTIFACTS / "web-dashboard.png"), full_page=True)

            wide = browser.new_page(viewport={"width": 1280, "height": 900})
            wide.goto(f"{served.url}/dashboard")
            wide.screenshot(path=str(ARTIFACTS / "web-dashboard-desktop.png"), full_page=True)
            assert errors == []
        finally:
            browser.close()

    with Session(served.ctx.engine) as s:
        events = s.exec(select(IncidentEvent).order_by(IncidentEvent.id)).all()  # type: ignore[arg-type]
    assert [(e.status, e.member_id) for e in events] == [("new", head.id), ("received", cop.id)]
