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
from storage.models import Attachment, AuditLog, Incident, IncidentEvent
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


# --- phone widths: nothing wider than the screen, every control a thumb wide ------------------

WIDTHS = (360, 412)  # a small Android phone, and the common 412 px one
TOUCH_PX = 44
#: Layout facts of the page now: horizontal overflow, controls smaller than a thumb, and where
#: the completeness grid's current (last) column is on the screen.
MEASURE = """() => {
  const small = [];
  const controls = 'a, button, select, input:not([type=hidden]), summary, label.chip, .choice';
  for (const e of document.querySelectorAll(controls)) {
    const r = e.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    if (r.height < 44 || r.width < 44) {
      small.push(`${e.tagName}.${e.className} «${(e.textContent || e.id).trim().slice(0, 30)}» `
        + `${Math.round(r.width)}×${Math.round(r.height)}`);
    }
  }
  const current = document.querySelector('#completeness thead th:last-child');
  const box = current ? current.getBoundingClientRect() : null;
  return {
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
    small: small,
    current: box ? {left: box.left, right: box.right, text: current.textContent} : null,
  };
}"""
NOW_IN_USE = datetime(2025, 10, 22, 2, 0, tzinfo=UTC)  # 09:00 Wednesday, week 43 of 2025


@pytest.fixture
def in_use(tmp_path: Path) -> Iterator[Served]:
    """The playground on the sample commune with its recent history, at 09:00 22/10/2025."""
    from handlers.sample_history import seed_sample_history

    ctx = open_context(load_settings(data_dir=tmp_path / "data", _env_file=None))
    with transaction(ctx.engine) as s:
        seed_sample(s)
        seed_sample_history(s, ctx.settings, NOW_IN_USE)
    engine = Engine(ctx, clock=Clock(NOW_IN_USE))
    with FakeServer(create_app(ctx, engine, local_mode=True), name="web") as server:
        yield Served(ctx, server.url)
    ctx.close()


def assert_fits_a_phone(page: Any, what: str) -> dict[str, Any]:
    facts: dict[str, Any] = page.evaluate(MEASURE)
    assert facts["scrollWidth"] <= facts["innerWidth"], f"{what}: wider than the screen"
    assert facts["small"] == [], f"{what}: touch targets under {TOUCH_PX} px"
    return facts


def test_phone_layout_and_summary_files_in_the_web_chat(in_use: Served, tmp_path: Path) -> None:
    sync_playwright = _require_browser()
    ARTIFACTS.mkdir(exist_ok=True)
    head = member(in_use.ctx, "village_head", "village")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        try:
            for index, width in enumerate(WIDTHS):
                clerk = member(in_use.ctx, "office_staff", "office", index)  # a fresh chat
                context = browser.new_context(
                    viewport={"width": width, "height": 780},
                    device_scale_factor=2,
                    is_mobile=True,
                    has_touch=True,
                    locale="vi-VN",
                    accept_downloads=True,
                )
                page = context.new_page()
                page.set_default_timeout(TIMEOUT_MS)
                errors: list[str] = []
                page.on("pageerror", lambda exc, errors=errors: errors.append(str(exc)))

                # --- the dashboard: readable, the current week shown first ---------------
                page.goto(f"{in_use.url}/dashboard")
                facts = assert_fits_a_phone(page, f"dashboard at {width} px")
                current = facts["current"]
                assert current is not None and current["text"] == "W43"
                assert current["left"] >= 0 and current["right"] <= width, current
                assert page.locator("#completeness .cell.on_time").count() > 30  # in use
                page.screenshot(path=str(ARTIFACTS / f"web-dashboard-{width}.png"), full_page=True)

                # --- the chat: /summary lists the open directives, then draws the chart ----
                page.goto(f"{in_use.url}/?member={clerk.id}")
                chat = ChatPage(page)
                chat.say("/summary")
                assert "Có 2 văn bản đang cần báo cáo" in chat.last_text()
                assert_fits_a_phone(page, f"chat at {width} px")
                chat.tap("45/KH-UBND")
                page.wait_for_selector("a.sent-file >> nth=1")
                page.wait_for_function(
                    "() => { const i = document.querySelector('img.sent-photo');"
                    " return i && i.complete && i.naturalWidth > 0; }"
                )
                links = page.locator("a.sent-file")
                assert "phu-luc_45-KH-UBND_tuan-43-2025.xlsx" in links.nth(1).inner_text()
                assert_fits_a_phone(page, f"chat with report files at {width} px")
                page.screenshot(path=str(ARTIFACTS / f"web-chat-summary-{width}.png"))
                with page.expect_download() as download:
                    links.nth(0).click()
                saved = tmp_path / f"{width}.docx"
                download.value.save_as(saved)
                assert download.value.suggested_filename == "bao-cao_45-KH-UBND_tuan-43-2025.docx"
                assert saved.read_bytes()[:2] == b"PK"

                # --- a refused upload says why, in Vietnamese --------------------------
                page.goto(f"{in_use.url}/?member={head.id}")
                page.set_input_files(
                    "#photo-input",
                    files=[{"name": "ghi-chu.txt", "mimeType": "image/png", "buffer": b"abc"}],
                )
                toast = page.locator("#toast")
                toast.wait_for(state="visible")
                assert "Tệp này không phải ảnh" in toast.inner_text()
                assert "not_an_image" not in toast.inner_text()

                # --- no English pages, an icon in the tab -------------------------------
                missing = page.goto(f"{in_use.url}/khong-co")
                assert missing is not None and missing.status == 404
                assert "Không có trang này" in page.inner_text("body")
                assert_fits_a_phone(page, f"404 page at {width} px")
                icon = page.request.get(f"{in_use.url}/favicon.ico")
                assert icon.status == 200 and icon.headers["content-type"] == "image/x-icon"
                assert errors == []
                context.close()
        finally:
            browser.close()
    with Session(in_use.ctx.engine) as s:
        taken = [a for a in s.exec(select(AuditLog)).all() if a.details.get("via") == "web_chat"]
    assert [a.action for a in taken] == ["report.docx", "report.docx"]  # one per width


def test_the_province_page_and_the_commune_picker_fit_a_phone(
    served: Served, tmp_path: Path
) -> None:
    """Two communes and a province order: the dashboard's commune picker and the province
    page at 360 and 412 px — no page wider than the screen, every control ≥ 44 px."""
    from dataclasses import replace

    from storage.cascade import save_province_directive, with_commune_lead
    from storage.sample import SAMPLE_DIRECTIVES
    from tests.engine.two_communes import add_son_mai

    add_son_mai(served.ctx.engine, tmp_path)
    with transaction(served.ctx.engine) as s:
        save_province_directive(
            s, with_commune_lead(replace(SAMPLE_DIRECTIVES[0], unit_deadline=None))
        )
    sync_playwright = _require_browser()
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        try:
            for width in WIDTHS:
                context = browser.new_context(
                    viewport={"width": width, "height": 780}, is_mobile=True, has_touch=True
                )
                page = context.new_page()
                page.set_default_timeout(TIMEOUT_MS)
                page.goto(f"{served.url}/dashboard")
                assert page.locator("#commune-select option").count() == 2
                assert_fits_a_phone(page, f"dashboard with two communes at {width} px")
                page.goto(f"{served.url}/province")
                assert "Đã gửi: 0/2 xã, phường" in page.inner_text("#rates")
                assert page.locator("#communes tbody tr").count() == 2
                assert_fits_a_phone(page, f"province page at {width} px")
                page.screenshot(path=str(ARTIFACTS / f"web-province-{width}.png"), full_page=True)
                context.close()
        finally:
            browser.close()
