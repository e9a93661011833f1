"""Off loopback: office logins, signed sessions, CSRF on every POST, who may see what."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlmodel import Session, select

from bot.channels.web.accounts import AccountError, save_account
from bot.channels.web.app import is_loopback
from bot.channels.web.passwords import hash_password, verify_password
from bot.channels.web.session import COOKIE_NAME, CookieSigner
from bot.context import AppContext
from storage.db import transaction
from storage.models import Incident, Member, WebAccount
from tests.web.client import WebClient
from tests.web.conftest import PASSWORD, add_account, login, member


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    """SQLite only: these are web-layer rules; the queries behind them run on both backends
    in the chat and dashboard tests."""
    return f"sqlite:///{tmp_path / 'tinbao.db'}"


@pytest.fixture
def office(make_client: Callable[..., WebClient]) -> WebClient:
    """A browser on the app served beyond loopback, not logged in."""
    return make_client(local_mode=False)


@pytest.fixture
def clerk(web_ctx: AppContext) -> Member:
    person = member(web_ctx, "office_staff", "office")
    add_account(web_ctx, person, "lan")
    return person


def test_every_page_but_login_needs_a_login_off_loopback(
    office: WebClient, web_ctx: AppContext
) -> None:
    for path in ("/", "/dashboard", "/dashboard?directive=1"):
        res = office.http.get(path, follow_redirects=False)
        assert res.status_code == 303 and res.headers["location"].startswith("/login?next=/")
    head = member(web_ctx, "village_head", "village")
    assert office.http.get(f"/api/chat/{head.id}/messages").status_code == 401
    assert office.http.get("/login").status_code == 200
    assert office.http.get("/static/style.css").status_code == 200


def test_login_opens_the_dashboard_with_a_hardened_cookie(office: WebClient, clerk: Member) -> None:
    office.open("/login")
    res = office.form_post(
        "/login", {"username": "LAN ", "password": PASSWORD, "next": "/dashboard"}
    )
    assert res.status_code == 303 and res.headers["location"] == "/dashboard"
    cookie = res.headers["set-cookie"]
    assert cookie.startswith(f"{COOKIE_NAME}=")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/" in cookie
    page = office.open("/dashboard")
    assert "Tiến độ báo cáo" in page and "Đăng xuất" in page


def test_wrong_password_and_unknown_user_are_refused_alike(
    office: WebClient, clerk: Member
) -> None:
    assert login(office, "lan", "sai-mat-khau-roi") == 403
    assert login(office, "khong-co-ai", PASSWORD) == 403
    office.open("/login")
    res = office.form_post("/login", {"username": "lan", "password": "sai-mat-khau-roi"})
    assert "Sai tên đăng nhập hoặc mật khẩu" in res.text
    assert office.http.get("/dashboard", follow_redirects=False).status_code == 303


def test_repeated_wrong_passwords_are_throttled(office: WebClient, clerk: Member) -> None:
    codes = [login(office, "lan", f"sai-{i}-mat-khau") for i in range(11)]
    assert codes[:10] == [403] * 10 and codes[10] == 429
    assert login(office, "lan") == 429  # even the right password, for a while


def test_open_redirect_after_login_is_refused(office: WebClient, clerk: Member) -> None:
    office.open("/login")
    res = office.form_post(
        "/login", {"username": "lan", "password": PASSWORD, "next": "//evil.example/x"}
    )
    assert res.status_code == 303 and res.headers["location"] == "/dashboard"


@pytest.mark.parametrize("token", [None, "wrong-token"])
def test_posts_without_the_right_csrf_token_are_refused(
    office: WebClient,
    local: WebClient,
    clerk: Member,
    web_ctx: AppContext,
    token: str | None,
) -> None:
    assert login(office, "lan") == 303
    head = member(web_ctx, "village_head", "village")
    headers = {"X-CSRF-Token": token} if token else {}
    form = {"csrf": token} if token else {}
    for client, member_id in ((office, clerk.id), (local, head.id)):
        api = client.http.post(
            f"/api/chat/{member_id}/send",
            json={"text": "/baocao", "uuid": str(uuid.uuid4())},
            headers=headers,
        )
        assert api.status_code == 403
        for path in (
            "/dashboard/incidents/1/status",
            "/dashboard/report.docx",
            "/dashboard/act-as",
            "/logout",
            "/login",
        ):
            res = client.http.post(path, data={**form, "status": "handled"})
            assert res.status_code == 403, path
    assert local.messages(head.id or 0) == []  # nothing reached the engine
    assert office.http.get("/dashboard", follow_redirects=False).status_code == 200


def test_a_village_head_cannot_open_the_dashboard(office: WebClient, web_ctx: AppContext) -> None:
    head = member(web_ctx, "village_head", "village")
    with transaction(web_ctx.engine) as s, pytest.raises(AccountError):
        save_account(s, head.phone, "truongthon", PASSWORD)
    # Even an account row made by other means does not let a village head in.
    with transaction(web_ctx.engine) as s:
        s.add(
            WebAccount(
                member_id=head.id or 0, username="truongthon", password_hash=hash_password(PASSWORD)
            )
        )
    assert login(office, "truongthon") == 403
    office.open("/login")
    res = office.form_post("/login", {"username": "truongthon", "password": PASSWORD})
    assert "không có quyền" in res.text
    assert office.http.get("/dashboard", follow_redirects=False).status_code == 303


def test_losing_the_office_role_ends_the_session(
    office: WebClient, clerk: Member, web_ctx: AppContext
) -> None:
    assert login(office, "lan") == 303
    with transaction(web_ctx.engine) as s:
        row = s.get(Member, clerk.id)
        assert row is not None
        row.roles = ["village_head"]
        s.add(row)
    res = office.http.get("/dashboard", follow_redirects=False)
    assert res.status_code == 403 and "Không có quyền" in res.text
    assert office.http.get("/dashboard", follow_redirects=False).status_code == 303


def test_a_new_password_ends_the_old_sessions(
    office: WebClient, clerk: Member, web_ctx: AppContext
) -> None:
    assert login(office, "lan") == 303
    with transaction(web_ctx.engine) as s:
        save_account(s, clerk.phone, "lan", "mot-mat-khau-moi-hon")
    assert office.http.get("/dashboard", follow_redirects=False).status_code == 403


def test_logout_ends_the_session(office: WebClient, clerk: Member) -> None:
    assert login(office, "lan") == 303
    res = office.form_post("/logout", {})
    assert res.status_code == 303
    assert office.http.get("/dashboard", follow_redirects=False).status_code == 303


def test_a_tampered_or_expired_cookie_is_no_session() -> None:
    signer = CookieSigner(b"k" * 32, max_age=60)
    value = signer.dumps({"account_id": 1}, now=1000)
    assert signer.loads(value, now=1030) == {"account_id": 1}
    assert signer.loads(value, now=1100) == {}  # expired
    body, sig = value.split(".")
    forged = CookieSigner(b"x" * 32).dumps({"account_id": 2}, now=1000).split(".")[0]
    assert signer.loads(f"{forged}.{sig}", now=1030) == {}
    assert signer.loads(f"{body}.{sig[:-2]}AA", now=1030) == {}
    assert signer.loads("garbage", now=1030) == {}


def test_the_playground_may_talk_as_anyone_an_account_only_as_itself(
    local: WebClient, web_ctx: AppContext
) -> None:
    page = local.open("/")
    assert 'id="member-select"' in page and "Hồ Văn Mên" in page
    cop = member(web_ctx, "police", "police")
    assert local.send(cop.id or 0, "/baocao")["outcome"] == "handled"


def test_the_playground_answers_only_to_loopback_names(local: WebClient) -> None:
    # A site whose name resolves to 127.0.0.1 (DNS rebinding) must not read the playground.
    assert local.http.get("/dashboard", headers={"host": "evil.example:8080"}).status_code == 400
    for host in ("127.0.0.1:8080", "localhost:8080", "[::1]:8080"):
        assert local.http.get("/dashboard", headers={"host": host}).status_code == 200, host


def test_pages_forbid_inline_script_and_framing(local: WebClient) -> None:
    res = local.http.get("/dashboard")
    csp = res.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert res.headers["x-content-type-options"] == "nosniff"
    assert "<script>" not in res.text  # scripts are files: the policy allows nothing inline


def test_passwords_are_salted_scrypt_hashes() -> None:
    first, second = hash_password("mot-mat-khau"), hash_password("mot-mat-khau")
    assert first != second and first.startswith("scrypt$")
    assert verify_password("mot-mat-khau", first)
    assert not verify_password("mot-mat-khaU", first)
    assert not verify_password("mot-mat-khau", "scrypt$broken")


def test_loopback_detection() -> None:
    for host in ("127.0.0.1", "127.0.1.1", "::1", "[::1]", "localhost"):
        assert is_loopback(host), host
    for host in ("0.0.0.0", "192.168.1.10", "::", "tinbao.example.vn", ""):
        assert not is_loopback(host), host


def test_incidents_are_untouched_by_refused_requests(
    office: WebClient, web_ctx: AppContext
) -> None:
    res = office.http.post("/dashboard/incidents/1/status", data={"status": "handled"})
    assert res.status_code == 403
    with Session(web_ctx.engine) as s:
        assert s.exec(select(Incident)).all() == []
