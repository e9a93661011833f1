"""The roster, invite, directive and seed-sample commands, run as a user would (SQLite)."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from openpyxl import load_workbook
from sqlmodel import col, select
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


#: `tinbao directive add` for the province's 1949/UBND-NC (the README's example).
DIRECTIVE_ARGS = [
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
]


def test_directive_add_and_list(db_path: Path) -> None:
    args = [
        *DIRECTIVE_ARGS,
        "--unit-deadline",
        "14/09/2025",
        "--report-deadline",
        "15/09/2025",
        "--starts",
        "05/09/2025",
    ]
    assert tinbao("init", "--province", "Quảng Ngãi", "--commune", "Tây Trà").exit_code == 0
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


def test_directive_report_fields(db_path: Path) -> None:
    """The commune's own instruction, Nơi nhận lines and the completeness switch are kept."""
    args = [
        *DIRECTIVE_ARGS,
        "--own-instruction",
        "180/UBND-VP ngày 03/09/2025",
        "--own-instruction-summary",
        "tăng cường công tác phòng, chống xuất nhập cảnh trái phép trên địa bàn xã",
        "--recipient",
        "- Công an tỉnh (Phòng Quản lý xuất nhập cảnh);",
        "--recipient",
        "TT. Đảng ủy, HĐND xã",
        "--recipient",
        "Lưu: VT.",
        "--recipient",
        "UBMTTQVN và các Hội đoàn thể xã;",
        "--completeness",
    ]
    tinbao("init", "--province", "Quảng Ngãi", "--commune", "Tây Trà")
    result = tinbao(*args)
    assert result.exit_code == 0, result.output
    engine = make_engine(f"sqlite:///{db_path}")
    with transaction(engine) as s:
        saved = s.exec(select(Directive)).one()
    engine.dispose()
    assert saved.own_instruction_number == "180/UBND-VP"
    assert saved.own_instruction_date == date(2025, 9, 3)
    assert saved.own_instruction_summary is not None
    assert saved.own_instruction_summary.startswith("tăng cường công tác")
    # bullets and closing marks dropped; the file copy («Lưu») moved last
    assert saved.report_recipients == [
        "Công an tỉnh (Phòng Quản lý xuất nhập cảnh)",
        "TT. Đảng ủy, HĐND xã",
        "UBMTTQVN và các Hội đoàn thể xã",
        "Lưu: VT",
    ]
    assert saved.report_completeness is True
    listing = tinbao("directive", "list").stdout
    assert "Văn bản của xã: 180/UBND-VP ngày 03/09/2025" in listing
    assert "Thân báo cáo ghi tiến độ" in listing


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--issued", "2025-08-28", "Ngày «2025-08-28» ở --issued không hợp lệ"),
        ("--targets", "thôn,chợ", "Không hiểu loại đơn vị «chợ»"),
        ("--report-deadline", "01/09/2025", "không được trước ngày bắt đầu"),
        ("--own-instruction", "180/UBND-VP", "cần có số, ký hiệu và ngày ban hành"),
        ("--own-instruction", "03/09/2025", "cần có số, ký hiệu và ngày ban hành"),
        (
            "--own-instruction",
            "180/UBND-VP 31/02/2025",
            "Ở --own-instruction (văn bản của xã): Ngày 31/02/2025 không có trên lịch (tháng 2 "
            "năm 2025 có 28 ngày).",
        ),
        ("--own-instruction", "180/UBND-VP 20/08/2025", "không được trước ngày ban hành"),
        ("--own-instruction-summary", "tăng cường", "thiếu số và ngày văn bản"),
        ("--recipient", " ; ", "Có một dòng Nơi nhận để trống."),
        ("--recipient", "x" * 201, "dài quá 200 ký tự"),
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
    tinbao("init", "--province", "Quảng Ngãi", "--commune", "Tây Trà")
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


PROVINCE_ORDER = [
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
    "--starts",
    "05/09/2025",
    "--report-deadline",
    "15/09/2025",
]


def test_init_all_sets_up_the_whole_province_and_cascades(db_path: Path) -> None:
    """A province installation: every commune of Quảng Ngãi, one province order for all."""
    result = tinbao("init", "--province", "Quảng Ngãi", "--all")
    assert result.exit_code == 0, result.output
    assert last_line(result) == "Đã thiết lập 96 xã/phường của Quảng Ngãi (96 mới)."
    again = tinbao("init", "--province", "Quảng Ngãi", "--all")
    assert last_line(again) == "Đã thiết lập 96 xã/phường của Quảng Ngãi (0 mới)."
    added = tinbao("directive", "add", "--level", "province", *PROVINCE_ORDER)
    assert added.exit_code == 0, added.output
    assert last_line(added) == "Đã giao cho 96 xã/phường (96 xã mới nhận)."
    engine = make_engine(f"sqlite:///{db_path}")
    with transaction(engine) as s:
        rows = s.exec(select(Directive)).all()
    engine.dispose()
    province = [d for d in rows if d.commune_id is None]
    assert len(province) == 1 and len(rows) == 97
    # The units' deadline is a day before the province's, as 14/9 before 15/9 in the seed.
    assert {(d.unit_deadline, d.report_deadline) for d in rows} == {
        (date(2025, 9, 14), date(2025, 9, 15))
    }
    listing = tinbao("directive", "list", "--province")
    assert "Đã giao cho 96 xã/phường." in listing.stdout


def test_commune_commands_ask_which_commune_when_there_are_several(db_path: Path) -> None:
    tinbao("init", "--province", "Quảng Ngãi", "--commune", "Tây Trà", "--commune", "Sơn Mai")
    refused = tinbao("roster", "import", str(SAMPLE_ROSTER))
    assert refused.exit_code == 1
    assert "--commune" in refused.stderr  # every row says it has no commune
    ok = tinbao("roster", "import", str(SAMPLE_ROSTER), "--commune", "son mai")
    assert ok.exit_code == 0, ok.output
    listing = tinbao("directive", "list")
    assert listing.exit_code == 1
    assert "Cài đặt này có 2 xã/phường" in listing.stderr
    assert "Xã Sơn Mai" in listing.stderr and "Xã Tây Trà" in listing.stderr
    unknown = tinbao("directive", "list", "--commune", "Ba Tơ")
    assert unknown.exit_code == 1 and "Không có xã/phường «Ba Tơ»" in unknown.stderr


def test_init_refuses_another_province(db_path: Path) -> None:
    tinbao("init", "--province", "Quảng Ngãi", "--commune", "Tây Trà")
    result = tinbao("init", "--province", "Đà Nẵng", "--commune", "Hải Châu")
    assert result.exit_code == 1
    assert "đang phục vụ Quảng Ngãi" in result.stderr


def test_init_refuses_to_mix_a_real_commune_into_sample_data(db_path: Path) -> None:
    """cp .env.example .env && tinbao seed-sample && tinbao init: refused, with the way out."""
    assert tinbao("seed-sample").exit_code == 0
    result = tinbao("init", "--province", "Quảng Ngãi", "--commune", "Sơn Mai")
    assert result.exit_code == 1
    assert "dữ liệu mẫu (Xã Tây Trà)" in result.stderr
    assert "tinbao db reset --yes" in result.stderr
    confirm = tinbao("db", "reset")
    assert confirm.exit_code == 1 and "--yes" in confirm.stderr
    assert "1 xã/phường, 32 người" in confirm.stderr
    assert tinbao("db", "reset", "--yes").exit_code == 0
    done = tinbao("init", "--province", "Quảng Ngãi", "--commune", "Sơn Mai")
    assert done.exit_code == 0, done.output
    engine = make_engine(f"sqlite:///{db_path}")
    with transaction(engine) as s:
        assert s.exec(select(Member)).all() == []
    engine.dispose()


def test_seed_sample_refuses_a_real_installation(db_path: Path) -> None:
    tinbao("init", "--province", "Quảng Ngãi", "--commune", "Sơn Mai")
    result = tinbao("seed-sample")
    assert result.exit_code == 1
    assert "Xã Sơn Mai" in result.stderr and "DATA_DIR" in result.stderr
    assert "1949" not in tinbao("directive", "list").stdout  # nothing saved
    assert last_line(tinbao("directive", "list")) == "Có 0 chỉ đạo."


def _set_chats(db_path: Path, **telegram_by_name: str | None) -> None:
    engine = make_engine(f"sqlite:///{db_path}")
    with transaction(engine) as s:
        for name, chat in telegram_by_name.items():
            member = s.exec(select(Member).where(Member.full_name == name)).one()
            member.telegram_user_id = member.telegram_chat_id = chat
    engine.dispose()


def test_roster_status_shows_who_receives_alerts_and_warns_where_nobody_can(
    db_path: Path,
) -> None:
    tinbao("seed-sample")
    nobody = tinbao("roster", "status")
    assert nobody.exit_code == 1
    assert "Nhận tin báo khẩn — Xã Tây Trà" in nobody.stdout
    assert "Phạm Văn Dũng" in nobody.stdout and "Chưa liên kết" in nobody.stdout
    assert "Công an xã Tây Trà: không ai nhận được cảnh báo khẩn (4 người" in nobody.stderr
    assert "Ban CHQS xã Tây Trà: không ai nhận được" in nobody.stderr
    assert "Trần Thị Lan" in nobody.stdout and "Hồ Văn Mên" not in nobody.stdout  # no village

    _set_chats(db_path, **{"Nguyễn Văn Hải": "71", "Đinh Văn Lực": "72", "Trần Thị Lan": "73"})
    chief_missing = tinbao("roster", "status")
    assert chief_missing.exit_code == 1
    assert "Công an xã Tây Trà: không ai" not in chief_missing.stderr
    # The police can be reached, but not their chief: rung 1 of the ladder would be skipped.
    assert "Trưởng Công an xã (Phạm Văn Dũng) không nhận được" in chief_missing.stderr
    assert "Telegram" in chief_missing.stdout and "Liên lạc được" in chief_missing.stdout

    _set_chats(db_path, **{"Phạm Văn Dũng": "74"})
    everyone = tinbao("roster", "status", "--commune", "21154")
    assert everyone.exit_code == 0, everyone.output
    assert last_line(everyone) == (
        "Mọi đơn vị và mọi cấp nhận tin báo khẩn đều có người liên lạc được."
    )

    engine = make_engine(f"sqlite:///{db_path}")
    with transaction(engine) as s:
        for member in s.exec(select(Member).where(col(Member.telegram_chat_id).in_(["71", "74"]))):
            member.unreachable = True  # both police members blocked the bot
    engine.dispose()
    blocked = tinbao("roster", "status")
    assert blocked.exit_code == 1 and "Đã chặn bot" in blocked.stdout
    assert "Công an xã Tây Trà: không ai nhận được" in blocked.stderr


def test_roster_status_of_an_unknown_or_empty_commune(db_path: Path) -> None:
    nothing = tinbao("roster", "status")
    assert nothing.exit_code == 1 and "Chưa thiết lập xã nào" in nothing.stderr
    tinbao("init", "--province", "Quảng Ngãi", "--commune", "Sơn Mai")
    empty = tinbao("roster", "status")
    assert empty.exit_code == 1 and "Công an xã" in empty.stderr, empty.output
    tinbao("db", "reset", "--yes")
    tinbao("seed-sample")
    unknown = tinbao("roster", "status", "--commune", "12345")
    assert unknown.exit_code == 1 and "Không có xã/phường «12345»" in unknown.stderr


def test_a_commune_sends_its_report_and_the_province_compiles(
    db_path: Path, tmp_path: Path
) -> None:
    """The CLI path of the chain: province order → commune report sent up → province report."""
    tinbao("init", "--province", "Quảng Ngãi", "--commune", "Tây Trà", "--commune", "Sơn Mai")
    assert tinbao("directive", "add", "--level", "province", *PROVINCE_ORDER).exit_code == 0
    base = ["--directive", "1949/UBND-NC", "--period", "once"]
    sent = tinbao("report", *base, "--commune", "Tây Trà", "--out", str(tmp_path / "x"), "--send")
    assert sent.exit_code == 0, sent.output
    assert "Đã gửi báo cáo lên tỉnh (lần 1)." in sent.stdout
    assert "chưa ai ở cấp tỉnh liên kết Tin Báo" in sent.stdout  # true: nobody to tell
    compiled = tinbao("province-report", *base, "--out", str(tmp_path / "tinh"))
    assert compiled.exit_code == 0, compiled.output
    assert "1/2 xã, phường đã gửi báo cáo" in compiled.stdout
    assert list((tmp_path / "tinh").glob("bao-cao-tong-hop_*.docx"))
    own_args = [*DIRECTIVE_ARGS, "--commune", "Sơn Mai"]
    own_args[own_args.index("1949/UBND-NC")] = "7/KH-UBND"
    own = tinbao(*own_args)
    assert own.exit_code == 0, own.output
    refused = tinbao(
        "report",
        "--directive",
        "7/KH-UBND",
        "--commune",
        "Sơn Mai",
        "--out",
        str(tmp_path),
        "--send",
    )
    assert refused.exit_code == 1 and "không phải chỉ đạo của tỉnh" in refused.stderr
    missing = tinbao("province-report", "--directive", "9/XX", "--out", str(tmp_path))
    assert missing.exit_code == 1 and "Không có chỉ đạo cấp tỉnh số «9/XX»" in missing.stderr


def test_a_commune_sets_its_own_instruction_on_its_copy(db_path: Path) -> None:
    """Sơn Mai adds its own công văn to the province order's copy; the province re-saving
    its order keeps it, and Tây Trà's copy is untouched."""
    tinbao("init", "--province", "Quảng Ngãi", "--commune", "Tây Trà", "--commune", "Sơn Mai")
    tinbao("directive", "add", "--level", "province", *PROVINCE_ORDER)
    done = tinbao(
        "directive", "set", "--commune", "Sơn Mai", "--number", "1949/UBND-NC",
        "--own-instruction", "180/UBND-VP 03/09/2025", "--recipient", "Công an tỉnh",
    )  # fmt: skip
    assert done.exit_code == 0, done.output
    early = tinbao(
        "directive", "set", "--commune", "Sơn Mai", "--number", "1949/UBND-NC",
        "--own-instruction", "10/UBND-VP 01/08/2025",
    )  # fmt: skip
    assert early.exit_code == 1 and "không được trước ngày ban hành" in early.stderr
    assert tinbao("directive", "add", "--level", "province", *PROVINCE_ORDER).exit_code == 0
    engine = make_engine(f"sqlite:///{db_path}")
    with transaction(engine) as s:
        rows = {
            d.commune_id: d for d in s.exec(select(Directive)).all() if d.commune_id is not None
        }
    engine.dispose()
    numbers = sorted(str(d.own_instruction_number) for d in rows.values())
    assert numbers == ["180/UBND-VP", "None"]
    son_mai = next(d for d in rows.values() if d.own_instruction_number)
    assert son_mai.report_recipients == ["Công an tỉnh", "Lưu: VT"]
    assert son_mai.parent_id is not None  # still the province's copy


def test_each_commune_s_report_is_signed_by_its_own_chairman(
    db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One installation, two communes: the signer is the commune's, the setting a default."""
    from tests.reports.docx_reading import all_text, open_docx

    monkeypatch.setenv("REPORT_SIGNER_NAME", "Người Ký Mặc Định")
    get_settings.cache_clear()
    tinbao("init", "--province", "Quảng Ngãi", "--commune", "Tây Trà", "--commune", "Sơn Mai")
    tinbao("directive", "add", "--level", "province", *PROVINCE_ORDER)
    done = tinbao(
        "commune", "set", "--commune", "Sơn Mai", "--signer-name", "Nguyễn  Anh Tuấn",
        "--signer-title", "KT. CHỦ TỊCH\\nPHÓ CHỦ TỊCH",
    )  # fmt: skip
    assert done.exit_code == 0, done.output
    assert "KT. CHỦ TỊCH PHÓ CHỦ TỊCH Nguyễn Anh Tuấn" in done.stdout
    listed = tinbao("commune", "list").stdout
    assert "Xã Sơn Mai (mã" in listed and "Nguyễn Anh Tuấn" in listed
    assert "Xã Tây Trà (mã" in listed and "CHỦ TỊCH Người Ký Mặc Định" in listed
    texts = {}
    for commune in ("Sơn Mai", "Tây Trà"):
        out = tmp_path / commune
        made = tinbao(
            "report", "--directive", "1949/UBND-NC", "--commune", commune, "--out", str(out)
        )
        assert made.exit_code == 0, made.output
        [docx] = out.glob("*.docx")
        texts[commune] = all_text(open_docx(docx))
    assert "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH" in texts["Sơn Mai"]  # two lines, as Decree 30 sets them
    assert "Nguyễn Anh Tuấn" in texts["Sơn Mai"] and "Người Ký Mặc Định" not in texts["Sơn Mai"]
    assert "Người Ký Mặc Định" in texts["Tây Trà"] and "Nguyễn Anh Tuấn" not in texts["Tây Trà"]
    assert tinbao("commune", "set", "--commune", "Sơn Mai").exit_code == 2  # nothing to set
