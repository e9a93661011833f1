"""``tinbao web add-user``, run as a user would (SQLite, password typed at the prompt)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import Session, select
from typer.testing import CliRunner, Result

from bot.channels.web.passwords import verify_password
from bot.cli import app
from bot.settings import get_settings
from storage.db import make_engine, transaction
from storage.migrate import upgrade
from storage.models import AuditLog, WebAccount
from storage.sample import seed_sample

runner = CliRunner()
CLERK_PHONE = "0935721703"  # Trần Thị Lan, văn phòng (sample roster)
HEAD_PHONE = "0905211301"  # Hồ Văn Mên, trưởng thôn


@pytest.fixture
def db_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.chdir(tmp_path)  # no developer .env is read
    path = tmp_path / "tinbao.db"
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{path}")
    get_settings.cache_clear()
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    with transaction(engine) as s:
        seed_sample(s)
    engine.dispose()
    yield path
    get_settings.cache_clear()


def add_user(phone: str, username: str, password: str, confirm: str | None = None) -> Result:
    typed = f"{password}\n{confirm if confirm is not None else password}\n"
    return runner.invoke(
        app, ["web", "add-user", "--phone", phone, "--username", username], input=typed
    )


def accounts(path: Path) -> list[WebAccount]:
    engine = make_engine(f"sqlite:///{path}")
    with Session(engine) as s:
        found = list(s.exec(select(WebAccount)).all())
    engine.dispose()
    return found


def test_add_user_creates_an_account_with_a_hashed_password(db_path: Path) -> None:
    result = add_user(CLERK_PHONE, "Lan", "mat-khau-van-phong")
    assert result.exit_code == 0, result.output
    assert "Đã tạo tài khoản web «lan» cho Trần Thị Lan." in result.stdout
    assert "mat-khau-van-phong" not in result.output  # hidden input
    [account] = accounts(db_path)
    assert account.username == "lan" and account.password_hash.startswith("scrypt$")
    assert verify_password("mat-khau-van-phong", account.password_hash)
    engine = make_engine(f"sqlite:///{db_path}")
    with Session(engine) as s:
        log = s.exec(select(AuditLog).where(AuditLog.action == "web.account.created")).one()
    engine.dispose()
    assert log.actor == "cli" and log.target == "lan"


def test_add_user_again_resets_the_password(db_path: Path) -> None:
    assert add_user(CLERK_PHONE, "lan", "mat-khau-van-phong").exit_code == 0
    again = add_user(CLERK_PHONE, "lan", "mat-khau-moi-nhe-123")
    assert again.exit_code == 0 and "mật khẩu mới" in again.stdout
    [account] = accounts(db_path)
    assert verify_password("mat-khau-moi-nhe-123", account.password_hash)


def test_add_user_refuses_who_may_not_open_the_dashboard(db_path: Path) -> None:
    result = add_user(HEAD_PHONE, "men", "mat-khau-truong-thon")
    assert result.exit_code == 1
    assert "không phải văn phòng, lãnh đạo hay quản trị" in result.stderr
    assert accounts(db_path) == []


@pytest.mark.parametrize(
    ("phone", "username", "password", "message"),
    [
        ("0999999999", "ai-do", "mat-khau-dai-du", "Không có ai đang hoạt động"),
        (CLERK_PHONE, "x", "mat-khau-dai-du", "không hợp lệ"),
        (CLERK_PHONE, "lan", "ngan", "ít nhất 10 ký tự"),
    ],
)
def test_add_user_explains_bad_input(
    db_path: Path, phone: str, username: str, password: str, message: str
) -> None:
    result = add_user(phone, username, password)
    assert result.exit_code == 1 and message in result.stderr
    assert accounts(db_path) == []


def test_add_user_refuses_a_taken_username(db_path: Path) -> None:
    assert add_user(CLERK_PHONE, "lan", "mat-khau-van-phong").exit_code == 0
    other = add_user("0399721704", "lan", "mat-khau-van-phong")
    assert other.exit_code == 1 and "đã có người dùng" in other.stderr
