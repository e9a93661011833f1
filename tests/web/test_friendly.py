"""What a person sees when something is wrong, and the /summary files in the web chat.

Every error reaching a person is Vietnamese from the catalog (never ``not_an_image`` or
Starlette's "Not Found"); the playground's /summary draws its chart and links its DOCX/XLSX,
only for members whose roles allow /summary, and each download is audited.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlmodel import Session, select

from bot.channels.web import create_app
from bot.context import AppContext
from bot.core.engine import Engine
from bot.messages import CATALOG
from storage.db import transaction
from storage.models import AuditLog, Member
from tests.engine.harness import Clock
from tests.web.client import TestClient, WebClient
from tests.web.conftest import add_account, login, member

WEB = Path(__file__).resolve().parents[2] / "bot" / "channels" / "web"
PAGE = {"accept": "text/html,application/xhtml+xml"}
_CODE_SITES = (
    re.compile(r'BadRequest\(\s*"([a-z_]+)"'),
    re.compile(r'error_response\([^,()]+(?:\([^)]*\))?,\s*"([a-z_]+)"'),
    re.compile(r'\d{3}: "([a-z_]+)"'),  # Starlette's own statuses (errors._STATUS_CODES)
)


def test_every_error_code_the_web_app_uses_has_vietnamese_text() -> None:
    used: set[str] = set()
    for path in WEB.glob("*.py"):
        source = path.read_text(encoding="utf-8")
        for pattern in _CODE_SITES:
            used |= set(pattern.findall(source))
    assert {"not_an_image", "csrf", "bad_host", "no_actor", "forbidden"} <= used  # found them
    missing = sorted(code for code in used if f"web.error.{code}" not in CATALOG)
    assert missing == []


def test_a_refused_chat_post_says_why_in_vietnamese(local: WebClient, web_ctx: AppContext) -> None:
    cop = member(web_ctx, "police", "police")
    empty = local.post_json(cop.id or 0, "send", {"text": " ", "uuid": str(uuid.uuid4())})
    assert empty.status_code == 400
    assert empty.json() == {"error": "empty_text", "message": "Vui lòng gõ nội dung trước khi gửi."}


def test_unknown_pages_and_methods_get_vietnamese_pages(local: WebClient) -> None:
    page = local.http.get("/khong-co", headers=PAGE)
    assert page.status_code == 404 and "text/html" in page.headers["content-type"]
    assert "Không có trang này" in page.text and "Not Found" not in page.text
    assert 'lang="vi"' in page.text and "/favicon.ico" in page.text
    api = local.http.get("/api/khong-co")
    assert api.status_code == 404 and api.json()["message"].startswith("Không có trang này")
    wrong = local.http.post("/", data={"csrf": local.csrf}, headers=PAGE)  # "/" is GET only
    assert wrong.status_code == 405 and "không nhận thao tác đó" in wrong.text


def test_a_stale_form_and_a_wrong_host_are_explained(local: WebClient) -> None:
    stale = local.http.post(
        "/dashboard/act-as", data={"member_id": "1", "csrf": "old"}, headers=PAGE
    )
    assert stale.status_code == 403 and "Vui lòng tải lại trang" in stale.text
    assert "CSRF" not in stale.text
    rebound = local.http.get("/", headers={"host": "evil.example:8080", **PAGE})
    assert rebound.status_code == 400 and "http://127.0.0.1" in rebound.text
    assert local.http.get("/", headers={"host": "[::1]:8080"}).status_code == 200


def test_a_bug_is_an_apology_not_a_traceback(
    web_ctx: AppContext, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot.channels.web import dashboard

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(dashboard, "_load", broken)
    app = create_app(web_ctx, Engine(web_ctx, clock=clock), local_mode=True)
    with TestClient(app, base_url="http://127.0.0.1:8080", raise_server_exceptions=False) as http:
        res = http.get("/dashboard", headers=PAGE)
    assert res.status_code == 500 and "Không phải do anh/chị" in res.text
    assert "boom" not in res.text and "Traceback" not in res.text


def test_a_dashboard_form_error_is_a_page(local: WebClient, web_ctx: AppContext) -> None:
    local.open("/dashboard")
    res = local.http.post(
        "/dashboard/report.docx",
        data={"csrf": local.csrf, "directive_id": "999", "period": "once"},
        headers=PAGE,
    )
    assert res.status_code == 404 and "Không có báo cáo này" in res.text
    assert "error" not in res.headers["content-type"]


def test_favicon_is_served_to_anyone(make_client: Callable[..., WebClient]) -> None:
    office = make_client(local_mode=False)  # not logged in
    res = office.http.get("/favicon.ico")
    assert res.status_code == 200 and res.headers["content-type"] == "image/x-icon"
    assert res.content[:4] == b"\x00\x00\x01\x00"  # an ICO file


def _summary_messages(client: WebClient, member_id: int) -> list[dict[str, object]]:
    client.send(member_id, "/summary 1949/UBND-NC")
    return client.messages(member_id)


def test_summary_in_the_web_chat_shows_the_chart_and_links_the_files(
    local: WebClient, web_ctx: AppContext
) -> None:
    clerk = member(web_ctx, "office_staff", "office")
    shown = _summary_messages(local, clerk.id or 0)
    photos = [m["photo"] for m in shown if m["photo"]]
    documents = [m["document"] for m in shown if m["document"]]
    assert len(photos) == 1 and len(documents) == 2
    chart = local.http.get(str(photos[0]))
    assert chart.status_code == 200 and chart.headers["content-type"] == "image/png"
    assert chart.content[:8] == b"\x89PNG\r\n\x1a\n"
    names = [d["name"] for d in documents]  # type: ignore[index]
    assert names == ["bao-cao_1949-UBND-NC_ca-dot.docx", "phu-luc_1949-UBND-NC_ca-dot.xlsx"]
    for document in documents:
        got = local.http.get(document["url"])  # type: ignore[index]
        assert got.status_code == 200 and "attachment" in got.headers["content-disposition"]
        assert got.content[:2] == b"PK"  # DOCX and XLSX are zip files
    with Session(web_ctx.engine) as s:
        audit = s.exec(select(AuditLog).where(AuditLog.actor == f"web:{clerk.id}")).all()
    # Made (by /summary) and then taken (each download), both on record.
    downloads = [a for a in audit if a.details.get("via") == "web_chat"]
    assert {a.action for a in audit} >= {"summary.view", "report.docx", "report.xlsx"}
    assert sorted((a.action, a.target) for a in downloads) == [
        ("report.docx", "bao-cao_1949-UBND-NC_ca-dot.docx"),
        ("report.xlsx", "phu-luc_1949-UBND-NC_ca-dot.xlsx"),
    ]


def test_summary_files_follow_the_roster_and_the_chat(
    local: WebClient, web_ctx: AppContext, make_client: Callable[..., WebClient]
) -> None:
    clerk = member(web_ctx, "office_staff", "office")
    head = member(web_ctx, "village_head", "village")
    shown = _summary_messages(local, clerk.id or 0)
    [document] = [m["document"] for m in shown if m["document"]][:1]
    url = str(document["url"])  # type: ignore[index]
    message_id = url.rsplit("/", 1)[1]
    # Another member's chat does not hold that message (and may not have reports anyway).
    assert local.http.get(f"/api/chat/{head.id}/files/{message_id}").status_code == 403
    # An office account sees its own files only, never the playground clerk's.
    other = member(web_ctx, "leader", "office")
    add_account(web_ctx, other, "lanhdao")
    account = make_client(local_mode=False)
    assert login(account, "lanhdao") == 303
    assert account.http.get(url).status_code == 403
    # Roles taken away on the roster: the links go, and so does the file.
    with transaction(web_ctx.engine) as s:
        row = s.get(Member, clerk.id)
        assert row is not None
        row.roles = ["agency_staff"]
        s.add(row)
    refused = local.http.get(url)
    assert refused.status_code == 403 and "không có quyền" in refused.json()["message"]
    local.last_id[clerk.id or 0] = 0
    assert all(m["document"] is None for m in local.messages(clerk.id or 0))
