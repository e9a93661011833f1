"""A commune's reports filed through the dialog engine, compiled into the official files.

Every submission here is made by simulated people answering the real forms (no rows written
by hand), so the report proves the whole path: dialog → submission and figures → aggregation
→ DOCX, XLSX and /summary.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from docx import Document
from openpyxl import load_workbook
from sqlmodel import Session, select

from bot.context import AppContext
from reports.bundle import build_bundle
from reports.fmt import vn_int
from storage.models import Directive
from tests.engine.flows import PATROL, SUSPICIOUS
from tests.engine.harness import Clock, Harness


def results_flow(
    sessions: int, attendees: int, teams: int, hardship: str | None
) -> list[tuple[str, str]]:
    flow = [
        ("say", str(sessions)),
        ("say", str(attendees)),
        ("say", str(teams)),
        ("say", "1"),
        ("say", "1"),
        ("say", "0"),
        ("say", "2"),
        ("say", "0"),
    ]
    flow.append(("say", hardship) if hardship else ("tap", "Bỏ qua"))
    flow.append(("tap", "Bỏ qua"))
    return [("say", "/baocao"), ("tap", "kết quả"), *flow, ("tap", "Gửi báo cáo")]


def docx_text(path: Path) -> str:
    doc = Document(str(path))
    cells = [c.text for table in doc.tables for row in table.rows for c in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def test_commune_report_from_dialogs(app_ctx: AppContext, tmp_path: Path) -> None:
    h = Harness(app_ctx, Clock(datetime(2025, 9, 10, 2, 0, tzinfo=UTC)))
    h.seed()
    heads = h.members_with_role("village_head", "village")
    filed = [
        (6, 150, 2, "Địa hình đồi núi, đi lại khó khăn"),
        (4, 90, 1, "Địa hình đồi núi, đi lại khó khăn"),
        (3, 60, 1, None),
        (5, 120, 3, "Thiếu camera an ninh"),
    ]
    for i, (sessions, attendees, teams, hardship) in enumerate(filed):
        h.link(heads[i], f"70{i}").run(results_flow(sessions, attendees, teams, hardship))
    cop = h.link(h.members_with_role("police", "police")[0], "800")
    cop.run([("say", "/baocao"), ("tap", "tuần tra"), *PATROL, ("tap", "Gửi báo cáo")])
    h.link(heads[4], "705").run(
        [("say", "/baocao"), ("tap", "khả nghi"), *SUSPICIOUS, ("tap", "Gửi báo cáo")]
    )
    h.clock.advance(days=6)  # 16/09: after the 14/09 unit deadline
    late = h.link(heads[5], "706")
    late.run(results_flow(2, 40, 1, None))

    with Session(h.db) as s:
        directive = s.exec(select(Directive).where(Directive.number == "1949/UBND-NC")).one()
    assert directive.id is not None
    bundle = build_bundle(h.db, app_ctx.settings, directive.id, "once", h.clock.now, tmp_path)

    sessions = sum(f[0] for f in filed) + 2
    attendees = sum(f[1] for f in filed) + 40
    teams = sum(f[2] for f in filed) + 1
    agg = bundle.aggregate
    assert agg.figures["propaganda_sessions"] == sessions
    assert agg.figures["propaganda_attendees"] == attendees
    assert agg.completeness.on_time == 4 and agg.completeness.late == 1
    assert agg.patrol["patrols"] == 1 and agg.patrol["persons_checked"] == 12
    assert len(agg.incidents) == 1 and agg.incidents[0].people_count == 3

    text = docx_text(bundle.docx)
    assert f"Tổ chức {vn_int(sessions)} buổi tuyên truyền" in text
    assert f"{vn_int(attendees)} lượt người tham dự" in text
    assert f"{vn_int(teams)} tổ tự quản" in text
    assert "Thực hiện Công văn số 1949/UBND-NC" in text
    assert text.count("Địa hình đồi núi, đi lại khó khăn") == 1  # merged duplicate
    assert "Thiếu camera an ninh" in text

    book = load_workbook(bundle.xlsx)
    cells = [
        str(c.value)
        for ws in book.worksheets
        for row in ws.iter_rows()
        for c in row
        if c.value is not None
    ]
    assert cells.count("Trễ hạn") >= 1 and cells.count("Đúng hạn") >= 4
    assert "1949/UBND-NC" in bundle.summary and str(sessions) in bundle.summary
    assert bundle.chart.stat().st_size > 10_000
