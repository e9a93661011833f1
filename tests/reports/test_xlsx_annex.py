"""The XLSX annex: sheets, headers, figures, local date cells, safe sheet names and text."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from bot.settings import Settings
from reports.sheets import sheet_name, write_table
from reports.xlsx_annex import write_annex
from tests.reports.conftest import Filled


@pytest.fixture
def annex(filled_sqlite: Filled, report_settings: Settings, tmp_path: Path) -> Any:
    meta = filled_sqlite.meta(report_settings)
    path = write_annex(filled_sqlite.aggregate(), meta, tmp_path / "out" / "phu_luc.xlsx")
    return load_workbook(path)


def _rows(ws: Any) -> list[tuple[Any, ...]]:
    return list(ws.iter_rows(values_only=True))


def _pairs(ws: Any) -> dict[Any, Any]:
    return {row[0]: row[1] for row in _rows(ws)[1:] if row[0] is not None}


def test_sheets(annex: Any, filled_sqlite: Filled) -> None:
    names = annex.sheetnames
    assert names[:5] == ["Tổng hợp", "Thông tin chung", "Tiến độ", "Sự việc", "Khó khăn - Đề xuất"]
    exp = filled_sqlite.expected
    reported_or_expected = set(exp.on_time + exp.late + exp.missing)
    assert set(names[5:]) == reported_or_expected
    assert len({n.casefold() for n in names}) == len(names)
    assert all(len(n) <= 31 for n in names)


def test_every_sheet_has_a_bold_frozen_header_and_prints_landscape(annex: Any) -> None:
    for ws in annex.worksheets:
        assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1
        if ws.title == "Tổng hợp":  # title rows above a two-row header (see below)
            assert ws.freeze_panes == "C7" and ws["A5"].font.bold
            continue
        assert ws.freeze_panes == "A2", ws.title
        assert all(cell.font.bold for cell in ws[1] if cell.value is not None), ws.title
        assert ws.column_dimensions["A"].width >= 6


def test_unit_table_one_row_per_unit(annex: Any, filled_sqlite: Filled) -> None:
    ws = annex["Tổng hợp"]
    exp = filled_sqlite.expected
    header = [c.value for c in ws[6]]
    col = {label: i + 1 for i, label in enumerate(header) if label}
    units = {
        ws.cell(r, 2).value: r
        for r in range(7, ws.max_row + 1)
        if isinstance(ws.cell(r, 1).value, int)
    }
    assert set(units) == set(exp.on_time + exp.late + exp.missing)
    for name, figures in exp.unit_figures.items():
        assert (
            ws.cell(units[name], col["Buổi tuyên truyền"]).value == figures["propaganda_sessions"]
        )
        assert ws.cell(units[name], col["Camera an ninh"]).value == figures["cameras"]
    for name in exp.missing:  # nothing filed: empty cells, not zeros
        assert ws.cell(units[name], col["Buổi tuyên truyền"]).value is None
    police = units["Công an xã"]
    assert ws.cell(police, col["Lượt tuần tra"]).value == 3
    total = max(units.values()) + 1
    assert ws.cell(total, 1).value == "Tổng cộng"
    letter = ws.cell(total, col["Buổi tuyên truyền"]).column_letter
    assert ws.cell(total, col["Buổi tuyên truyền"]).value == f"=SUM({letter}7:{letter}{total - 1})"


def test_summary_totals(annex: Any, filled_sqlite: Filled) -> None:
    pairs = _pairs(annex["Thông tin chung"])
    exp = filled_sqlite.expected
    assert pairs["Văn bản"] == "1949/UBND-NC"
    assert pairs["Phải báo cáo"] == exp.expected
    assert pairs["Chưa gửi"] == len(exp.missing)
    assert pairs["Tỷ lệ đã gửi"] == pytest.approx(0.7)
    assert pairs["Tin báo: Đã xử lý"] == 1
    deadline = annex["Thông tin chung"]["B4"]
    assert isinstance(deadline.value, datetime) and deadline.number_format == "dd/mm/yyyy"
    assert deadline.value.date().isoformat() == "2025-09-14"


def test_progress_sheet_uses_local_time(annex: Any, filled_sqlite: Filled) -> None:
    ws = annex["Tiến độ"]
    header = _rows(ws)[0]
    assert header == (
        "STT",
        "Đơn vị",
        "Loại đơn vị",
        "Tình trạng",
        "Người gửi",
        "Gửi lần đầu",
        "Cập nhật lần cuối",
        "Phiên bản",
    )
    units = {row[1]: row for row in _rows(ws)[1:] if isinstance(row[0], int)}
    exp = filled_sqlite.expected
    assert {n for n, r in units.items() if r[3] == "Đúng hạn"} == set(exp.on_time)
    assert {n for n, r in units.items() if r[3] == "Trễ hạn"} == set(exp.late)
    assert {n for n, r in units.items() if r[3] == "Chưa gửi"} == set(exp.missing)
    # filed 16:30 UTC on the 14th = 23:30 in Việt Nam, shown as a naive local datetime
    assert units["Thôn Trà Nga"][5] == datetime(2025, 9, 14, 23, 30)
    cell = next(c for c in ws["F"] if c.value == datetime(2025, 9, 14, 23, 30))
    assert cell.number_format == "dd/mm/yyyy hh:mm"
    kinds = {row[0]: row for row in _rows(ws) if row[0] in ("Thôn", "Tất cả đơn vị")}
    assert kinds["Thôn"][1:6] == (6, 4, 3, 1, 2)
    assert kinds["Tất cả đơn vị"][1:6] == (10, 7, 5, 2, 3)


def test_incidents_sheet(annex: Any, filled_sqlite: Filled) -> None:
    rows = _rows(annex["Sự việc"])
    assert rows[0][:3] == ("STT", "Mã", "Thời điểm báo")
    body = rows[1:]
    assert [r[6] for r in body] == filled_sqlite.expected.incident_summaries
    assert [r[11] for r in body] == ["Đã xử lý", "Đang xác minh", "Tin không chính xác"]
    assert body[0][2] == datetime(2025, 9, 7, 10, 0)  # 03:00 UTC
    assert body[0][12] == "Người báo Công an xã"


def test_unit_sheet(annex: Any, filled_sqlite: Filled) -> None:
    pairs = _pairs(annex["Thôn Trà Ong"])
    figures = filled_sqlite.expected.unit_figures["Thôn Trà Ong"]
    assert pairs["Tình trạng"] == "Đúng hạn"
    assert pairs["Phiên bản"] == 2
    assert pairs["Buổi tuyên truyền"] == figures["propaganda_sessions"]
    assert pairs["Gửi lần đầu"] == datetime(2025, 9, 11, 10, 0)
    police = _pairs(annex["Công an xã"])
    assert police["Lượt tuần tra"] == 3


def test_remarks_sheet(annex: Any) -> None:
    rows = _rows(annex["Khó khăn - Đề xuất"])[1:]
    merged = next(r for r in rows if r[2] == "Địa bàn rộng, giao thông đi lại khó khăn.")
    assert set(merged[3].split(", ")) == {"Thôn Trà Xinh", "Thôn Trà Ong"}


def test_sheet_names_are_legal_and_unique() -> None:
    taken: set[str] = {"tổng hợp"}
    assert sheet_name("Tổng hợp", taken) == "Tổng hợp (2)"
    assert sheet_name("Thôn 1/2: [mới]?*", taken) == "Thôn 1-2- -mới---"
    long = "Văn phòng Hội đồng nhân dân và Ủy ban nhân dân xã"
    first = sheet_name(long, taken)
    second = sheet_name(long.upper(), taken)
    assert len(first) <= 31 and len(second) <= 31
    assert first.casefold() != second.casefold()
    assert second.endswith("(2)")


def test_typed_text_is_never_a_formula(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    write_table(ws, ["Nội dung"], [['=HYPERLINK("http://x","bấm")'], ["bell\x07"]])
    wb.save(tmp_path / "x.xlsx")
    back = load_workbook(tmp_path / "x.xlsx")["Sheet"]
    assert back["A2"].data_type == "s"
    assert back["A2"].value == '=HYPERLINK("http://x","bấm")'
    assert back["A3"].value == "bell"
