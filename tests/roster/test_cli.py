"""The roster, invite, directive and seed-sample commands, run as a user would (SQLite)."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from openpyxl import load_workbook
from sqlmodel import select
from typer.testing import CliRunner, Result

from bot.cli import app
from bot.settings import get_settings
from storage.db import make_engine, transaction
from storage.invites import redeem
from storage.models import AuditLog, Directive, Member
from storage.sample import SAMPLE_ROSTER
from tests.roster.conftest import write_csv

runner = CliRunner()
TZ = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def db_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Each command reads settings from the environment: point them at a temp SQLite file."""
    monkeypatch.chdir(tmp_path)  # no developer .env is read
    path = tmp_path / "tinbao.db"
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{path}")
    monkeypatch.delenv("TELEGRAM_BOT_USERNAME", raising=False)
    get_settings.cache_clear()
    yield path
    get_settings.cache_clear()


def tinbao(*args: str) -> Result:
    return runner.invoke(app, list(args))


def last_line(result: Result) -> str:
    return result.stdout.strip().splitlines()[-1]


def test_import_before_init_says_to_run_init(db_path: Path) -> None:
    result = tinbao("roster", "import", str(SAMPLE_ROSTER))
    assert result.exit_code == 1
    assert "tinbao init" in result.stderr


def test_init_import_and_reimport(db_path: Path) -> None:
    assert tinbao("init", "--province", "Quảng Ngãi", "--commune", "Tây Trà").exit_code == 0
    first = tinbao("roster", "import", str(SAMPLE_ROSTER))
    assert first.exit_code == 0, first.output
    assert last_line(first) == (
        "Đã nhập danh sách: 32 người mới, 0 người cập nhật, 0 người không đổi; 13 đơn vị mới."
    )
    again = tinbao("roster", "import", str(SAMPLE_ROSTER))
    assert "0 người mới, 0 người cập nhật, 32 người không đổi" in last_line(again)


def test_bad_file_lists_rows_and_exits_non_zero(db_path: Path, tmp_path: Path) -> None:
    tinbao("init", "--province", "Quảng Ngãi", "--commune", "Tây Trà")
    path = write_csv(
        tmp_path / "r.csv",
        [
            ["Thôn A", "thôn", "Lê Văn A", "0905000001", "trưởng thôn"],
            ["Thôn A", "thôn", "", "0905000002", "dân quân"],
            ["Thôn A", "thôn", "Lê Văn C", "abc", "dân quân"],
        ],
    )
    result = tinbao("roster", "import", str(path))
    assert result.exit_code == 1
    assert "Dòng 3: thiếu họ và tên." in result.stderr
    assert "Dòng 4: số điện thoại «abc» không hợp lệ" in result.stderr
    assert "Không nhập gì: 2 dòng có lỗi." in result.stderr
    engine = make_engine(f"sqlite:///{db_path}")
    with transaction(engine) as s:
        assert s.exec(select(Member)).all() == []
    engine.dispose()


def test_template_and_export(db_path: Path, tmp_path: Path) -> None:
    result = tinbao("roster", "template", str(tmp_path / "mau.xlsx"))
    assert result.exit_code == 0
    assert load_workbook(tmp_path / "mau.xlsx").active["E1"].value == "Vai trò"
    assert tinbao("roster", "template", str(tmp_path / "mau.csv")).exit_code == 1

    assert tinbao("seed-sample").exit_code == 0
    result = tinbao("roster", "export", str(tmp_path / "ds.xlsx"))
    assert result.exit_code == 0
    assert last_line(result) == f"Đã xuất 32 người ra tệp {tmp_path / 'ds.xlsx'}"
    engine = make_engine(f"sqlite:///{db_path}")
    with transaction(engine) as s:
        actions = [a.action for a in s.exec(select(AuditLog)).all()]
    assert actions == ["sample.history", "roster.export"]
    engine.dispose()


def test_seed_sample_twice(db_path: Path) -> None:
    with time_machine.travel(datetime(2025, 10, 22, 9, 0, tzinfo=TZ), tick=False):
        first = tinbao("seed-sample")
        assert first.exit_code == 0
        filed = re.fullmatch(
            r"Đã nạp dữ liệu mẫu Xã Tây Trà: 32 người mới, 0 người cập nhật, 3 chỉ đạo mới, "
            r"(\d+) báo cáo mẫu của các tuần gần đây\.",
            last_line(first),
        )
        assert filed is not None and int(filed[1]) > 50, last_line(first)
        assert last_line(tinbao("seed-sample")) == (
            "Dữ liệu mẫu Xã Tây Trà đã có sẵn, không thay đổi gì."
        )
    with time_machine.travel(datetime(2025, 11, 5, 9, 0, tzinfo=TZ), tick=False):
        later = tinbao("seed-sample")  # two weeks on: the history grows, nothing else
    assert re.search(
        r"0 người mới, 0 người cập nhật, 0 chỉ đạo mới, [1-9]\d* báo cáo", last_line(later)
    )


def test_invite_writes_codes_and_deep_links_for_a_mail_merge(
    db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tinbao("seed-sample")
    monkeypatch.setenv("TELEGRAM_BOT_USERNAME", "@TinBaoTayTraBot")
    result = tinbao("invite", "--unit", "thon tra xinh", "--csv", str(tmp_path / "moi.csv"))
    assert result.exit_code == 0, result.output
    assert last_line(result) == f"Đã cấp 2 mã mời và ghi vào tệp {tmp_path / 'moi.csv'}"
    with (tmp_path / "moi.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["Họ và tên"] for r in rows] == ["Hồ Văn Mên", "Đinh Văn Tới"]
    assert rows[0]["Vai trò"] == "trưởng thôn"
    code = rows[0]["Mã mời"]
    assert rows[0]["Đường link mời"] == f"https://t.me/TinBaoTayTraBot?start={code}"
    engine = make_engine(f"sqlite:///{db_path}")
    with transaction(engine) as s:
        member = redeem(s, code, "telegram")
        assert member is not None and member.phone == "0905211301"
    engine.dispose()


def test_invite_without_bot_username_prints_codes_only(db_path: Path) -> None:
    tinbao("seed-sample")
    result = tinbao("invite", "--member", "+84 905 211 301")
    assert result.exit_code == 0
    assert "TELEGRAM_BOT_USERNAME" in result.stderr
    assert "t.me" not in result.stdout
    assert last_line(result) == "Đã cấp 1 mã mời."


def test_invite_unknown_filters_fail(db_path: Path) -> None:
    tinbao("seed-sample")
    assert tinbao("invite", "--unit", "Thôn Không Có").exit_code == 1
    result = tinbao("invite", "--member", "0900000000")
    assert result.exit_code == 1
    assert "Không có ai với số điện thoại «0900000000»." in result.stderr


def test_directive_add_and_list(db_path: Path) -> None:
    args = [
        "directive",
        "add",
        "--number",
        "1949/UBND-NC",
        "--issued",
        "28/08/2025",
        "--issuer",
        "UBND tỉnh Quảng Ngãi",
        "--summary",
        "Tăng cường đấu tranh phòng, chống xuất nhập cảnh trái phép",
        "--targets",
        "thôn,công an,quân sự,cơ quan",
        "--forms",
        "ket_qua_thuc_hien",
        "--unit-deadline",
        "14/09/2025",
        "--report-deadline",
        "15/09/2025",
        "--starts",
        "05/09/2025",
    ]
    first = tinbao(*args)
    assert first.exit_code == 0, first.output
    assert last_line(first) == "Đã thêm chỉ đạo số 1949/UBND-NC."
    assert last_line(tinbao(*args)) == "Chỉ đạo số 1949/UBND-NC đã có, không thay đổi gì."
    engine = make_engine(f"sqlite:///{db_path}")
    with transaction(engine) as s:
        saved = s.exec(select(Directive)).one()
    engine.dispose()
    assert saved.target_unit_kinds == ["village", "police", "military", "agency"]
    assert saved.recurrence == "none"
    listing = tinbao("directive", "list")
    assert listing.exit_code == 0
    assert "1949/UBND-NC" in listing.stdout
    assert last_line(listing) == "Có 1 chỉ đạo."


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--issued", "2025-08-28", "Ngày «2025-08-28» ở --issued không hợp lệ"),
        ("--targets", "thôn,chợ", "Không hiểu loại đơn vị «chợ»"),
        ("--report-deadline", "01/09/2025", "không được trước ngày bắt đầu"),
        # Written the right way round but not on the calendar: say so, not "type dd/mm/yyyy".
        (
            "--issued",
            "31/02/2025",
            "Ở --issued: Ngày 31/02/2025 không có trên lịch (tháng 2 năm 2025 có 28 ngày).",
        ),
        ("--starts", "29/02/2026", "tháng 2 năm 2026 có 28 ngày"),
        ("--unit-deadline", "05/13/2025", "không có tháng 13: tháng từ 1 đến 12"),
        # A form nobody can fill in would make a directive nobody can report on.
        (
            "--forms",
            "khong_phat_hien,ket_qua",
            "Không có biểu mẫu «ket_qua». Các mã biểu mẫu dùng được: khong_phat_hien, "
            "doi_tuong_kha_nghi, nhat_ky_tuan_tra, ket_qua_thuc_hien.",
        ),
    ],
)
def test_directive_add_refuses_bad_input(
    db_path: Path, option: str, value: str, message: str
) -> None:
    options = {
        "--number": "12/KH-UBND",
        "--issued": "28/08/2025",
        "--issuer": "UBND xã Tây Trà",
        "--summary": "Thử",
        "--targets": "thôn",
        "--forms": "khong_phat_hien",
        "--starts": "05/09/2025",
    }
    options[option] = value
    result = tinbao("directive", "add", *[x for pair in options.items() for x in pair])
    assert result.exit_code == 1
    assert message in result.stderr
    assert last_line(tinbao("directive", "list")) == "Có 0 chỉ đạo."  # nothing was saved


def test_directive_add_help_lists_the_form_ids(db_path: Path) -> None:
    shown = tinbao("directive", "add", "--help").stdout
    for form_id in (
        "khong_phat_hien",
        "doi_tuong_kha_nghi",
        "nhat_ky_tuan_tra",
        "ket_qua_thuc_hien",
    ):
        assert form_id in shown
