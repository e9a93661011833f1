"""`tinbao report` and `tinbao export`, run as the office would (SQLite)."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlmodel import select
from typer.testing import CliRunner, Result

from bot.cli import app
from bot.settings import get_settings
from reports.bundle import safe_name as safe_filename_part
from reports.narrative import unit_in_sentence
from storage.db import make_engine, transaction
from storage.migrate import upgrade
from storage.models import AuditLog
from tests.reports.commune_data import Expected, fill_commune
from tests.reports.conftest import TZ
from tests.reports.docx_reading import all_text, open_docx

runner = CliRunner()


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, Expected]]:
    """Settings from the environment, pointed at a temp SQLite file holding the commune."""
    monkeypatch.chdir(tmp_path)  # no developer .env is read
    url = f"sqlite:///{tmp_path / 'tinbao.db'}"
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("REPORT_SIGNER_NAME", "Nguyễn Văn Minh")
    get_settings.cache_clear()
    engine = make_engine(url)
    upgrade(engine)
    expected = fill_commune(engine, TZ)
    engine.dispose()
    yield url, expected
    get_settings.cache_clear()


def tinbao(*args: str) -> Result:
    return runner.invoke(app, list(args))


def _audit(url: str) -> list[AuditLog]:
    engine = make_engine(url)
    with transaction(engine) as s:
        rows = list(s.exec(select(AuditLog).order_by(AuditLog.id)).all())  # type: ignore[arg-type]
    engine.dispose()
    return rows


def test_report_writes_both_files_and_audits(db: tuple[str, Expected], tmp_path: Path) -> None:
    url, _ = db
    result = tinbao("report", "--directive", "1949/UBND-NC", "--out", str(tmp_path / "bc"))
    assert result.exit_code == 0, result.output
    # The one-off's only period is «cả đợt» to people, in the file name too ("once" is a key).
    docx = tmp_path / "bc" / "bao-cao_1949-UBND-NC_ca-dot.docx"
    xlsx = tmp_path / "bc" / "phu-luc_1949-UBND-NC_ca-dot.xlsx"
    assert docx.is_file() and xlsx.is_file()
    line = result.stdout.strip().splitlines()[-1]
    assert line.startswith("Đã lập báo cáo 1949/UBND-NC (cả đợt):")
    assert "once" not in result.stdout
    assert str(docx) in line and str(xlsx) in line
    text = all_text(open_docx(docx))
    assert "XÃ TÂY TRÀ" in text and "Nguyễn Văn Minh" in text
    assert "Tiến độ" in load_workbook(xlsx).sheetnames
    audit = _audit(url)
    assert [(a.actor, a.action, a.target) for a in audit] == [
        ("cli", "report.docx", "1949/UBND-NC"),
        ("cli", "report.xlsx", "1949/UBND-NC"),
    ]
    assert audit[0].details == {"period": "once", "path": str(docx)}


def test_report_completeness_option(db: tuple[str, Expected], tmp_path: Path) -> None:
    _, expected = db
    args = ["report", "--directive", "1949/UBND-NC", "--period", "once"]
    assert tinbao(*args, "--out", str(tmp_path / "a")).exit_code == 0
    [plain_file] = (tmp_path / "a").glob("bao-cao_*.docx")
    plain = all_text(open_docx(plain_file))
    result = tinbao(*args, "--completeness", "--out", str(tmp_path / "b"))
    assert result.exit_code == 0, result.output
    [shown_file] = (tmp_path / "b").glob("bao-cao_*.docx")
    shown = all_text(open_docx(shown_file))
    for name in expected.missing:
        in_sentence = unit_in_sentence(name)  # 'thôn Trà …' mid-sentence
        assert name not in plain and in_sentence not in plain and in_sentence in shown
    assert "Theo loại đơn vị" in shown and "Theo loại đơn vị" not in plain


def test_export_csv_one_row_per_filed_report(db: tuple[str, Expected], tmp_path: Path) -> None:
    url, expected = db
    out = tmp_path / "x" / "raw.csv"
    result = tinbao("export", "--directive", "1949/UBND-NC", "--period", "once", "--out", str(out))
    assert result.exit_code == 0, result.output
    filed = len(expected.on_time) + len(expected.late)
    assert result.stdout.strip().splitlines()[-1] == (
        f"Đã xuất {filed} bản báo cáo của 1949/UBND-NC (cả đợt) ra {out}"
    )
    with out.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == filed  # the draft is not exported
    by_unit = {r["Đơn vị"]: r for r in rows}
    ong = by_unit["Thôn Trà Ong"]
    assert ong["Phiên bản"] == "2" and ong["Trạng thái"] == "Đã sửa"
    assert ong["Loại đơn vị"] == "Thôn" and ong["Kỳ báo cáo"] == "cả đợt"
    assert ong["Gửi lúc"] == "11/09/2025 10:00"  # local time
    assert ong["[Buổi tuyên truyền]"] == "3"
    assert ong["Khó khăn, hạn chế"].strip().startswith("địa bàn")
    assert _audit(url)[-1].action == "export"


def test_export_xlsx(db: tuple[str, Expected], tmp_path: Path) -> None:
    out = tmp_path / "raw.xlsx"
    result = tinbao("export", "--directive", "1949/UBND-NC", "--out", str(out))
    assert result.exit_code == 0, result.output
    ws = load_workbook(out).active
    assert ws is not None
    header = [c.value for c in ws[1]]
    assert header[:4] == ["Đơn vị", "Loại đơn vị", "Người gửi", "Biểu mẫu"]
    assert ws.max_row == 1 + 7
    assert ws.freeze_panes == "A2"


def test_bad_input_is_refused(db: tuple[str, Expected], tmp_path: Path) -> None:
    result = tinbao("export", "--directive", "1949/UBND-NC", "--out", str(tmp_path / "x.pdf"))
    assert result.exit_code == 2
    result = tinbao("report", "--directive", "9/XX", "--out", str(tmp_path))
    assert result.exit_code == 1 and "Xã Tây Trà không có văn bản «9/XX»" in result.output
    result = tinbao(
        "report", "--directive", "1949/UBND-NC", "--period", "2025-09", "--out", str(tmp_path)
    )
    assert result.exit_code == 2
    # The refusal says which periods this directive has, not just "invalid".
    assert "Kỳ «2025-09» không hợp lệ cho văn bản 1949/UBND-NC (một lần)" in result.output
    assert "chỉ có một kỳ: «once» (cả đợt)" in result.output
    assert _audit(db[0]) == []


def _add_weekly() -> None:
    added = tinbao(
        *("directive", "add", "--number", "45/KH-UBND", "--issued", "01/09/2025"),
        *("--issuer", "UBND xã Tây Trà", "--summary", "Báo cáo hằng tuần"),
        *("--targets", "thôn", "--forms", "khong_phat_hien", "--recurrence", "weekly"),
        *("--starts", "08/09/2025"),
    )
    assert added.exit_code == 0, added.output


def test_period_forms_are_listed_and_a_day_names_its_week(
    db: tuple[str, Expected], tmp_path: Path
) -> None:
    _add_weekly()
    bad = tinbao("report", "--directive", "45/KH-UBND", "--period", "tuan 37", "--out", ".")
    assert bad.exit_code == 2
    assert "Kỳ «tuan 37» không hợp lệ cho văn bản 45/KH-UBND (hằng tuần)" in bad.output
    assert "dạng 2025-W37 (tuần 37 năm 2025)" in bad.output and "Kỳ hiện tại: 20" in bad.output
    impossible = tinbao(
        "report", "--directive", "45/KH-UBND", "--period", "31/02/2025", "--out", "."
    )
    assert impossible.exit_code == 2
    assert "Ngày 31/02/2025 không có trên lịch (tháng 2 năm 2025 có 28 ngày)" in impossible.output
    # A day inside the week is as good as the week's key; the file says «tuần 37/2025».
    out = tmp_path / "w"
    by_day = tinbao(
        "report", "--directive", "45/KH-UBND", "--period", "10/09/2025", "--out", str(out)
    )
    assert by_day.exit_code == 0, by_day.output
    assert "(tuần 37/2025)" in by_day.stdout
    assert (out / "bao-cao_45-KH-UBND_tuan-37-2025.docx").is_file()
    assert _audit(db[0])[-1].details["period"] == "2025-W37"
    once = tinbao("export", "--directive", "1949/UBND-NC", "--period", "cả đợt", "--out", "o.csv")
    assert once.exit_code == 0, once.output


def test_safe_filename_part() -> None:
    assert safe_filename_part("1949/UBND-NC") == "1949-UBND-NC"
    assert safe_filename_part("05/QĐ-UBND") == "05-QD-UBND"
    assert safe_filename_part("2025-W37") == "2025-W37"
    assert safe_filename_part("../..") == "x"
