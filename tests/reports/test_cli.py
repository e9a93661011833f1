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
from bot.cli.report import safe_filename_part
from bot.settings import get_settings
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
    docx = tmp_path / "bc" / "bao-cao_1949-UBND-NC_once.docx"
    xlsx = tmp_path / "bc" / "phu-luc_1949-UBND-NC_once.xlsx"
    assert docx.is_file() and xlsx.is_file()
    line = result.stdout.strip().splitlines()[-1]
    assert line.startswith("Đã lập báo cáo 1949/UBND-NC kỳ once:")
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
    plain = all_text(open_docx(tmp_path / "a" / "bao-cao_1949-UBND-NC_once.docx"))
    result = tinbao(*args, "--completeness", "--out", str(tmp_path / "b"))
    assert result.exit_code == 0, result.output
    shown = all_text(open_docx(tmp_path / "b" / "bao-cao_1949-UBND-NC_once.docx"))
    for name in expected.missing:
        assert name not in plain and name in shown
    assert "Theo loại đơn vị" in shown and "Theo loại đơn vị" not in plain


def test_export_csv_one_row_per_filed_report(db: tuple[str, Expected], tmp_path: Path) -> None:
    url, expected = db
    out = tmp_path / "x" / "raw.csv"
    result = tinbao("export", "--directive", "1949/UBND-NC", "--period", "once", "--out", str(out))
    assert result.exit_code == 0, result.output
    filed = len(expected.on_time) + len(expected.late)
    assert result.stdout.strip().splitlines()[-1] == (
        f"Đã xuất {filed} bản báo cáo của 1949/UBND-NC kỳ once ra {out}"
    )
    with out.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == filed  # the draft is not exported
    by_unit = {r["Đơn vị"]: r for r in rows}
    ong = by_unit["Thôn Trà Ong"]
    assert ong["Phiên bản"] == "2" and ong["Trạng thái"] == "Đã sửa"
    assert ong["Loại đơn vị"] == "Thôn"
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
    assert _audit(db[0]) == []


def test_safe_filename_part() -> None:
    assert safe_filename_part("1949/UBND-NC") == "1949-UBND-NC"
    assert safe_filename_part("05/QĐ-UBND") == "05-QD-UBND"
    assert safe_filename_part("2025-W37") == "2025-W37"
    assert safe_filename_part("../..") == "x"
