"""A commune's reports filed through the dialog engine, compiled into the official files.

Every submission here is made by simulated people answering the real forms (no rows written
by hand), so the report proves the whole path: dialog → submission and figures → aggregation
→ DOCX, XLSX and /summary. The checks follow the seven points a clerk raised against the
Sơn Mai report (issue 12); the LibreOffice test renders the files as a clerk would see them.
"""

from __future__ import annotations

import csv
import re
import subprocess
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from docx.enum.text import WD_COLOR_INDEX
from docx.oxml.ns import qn
from openpyxl import load_workbook
from sqlmodel import Session, select

from bot.context import AppContext
from reports import footnotes, narrative
from reports.bundle import ReportBundle, build_bundle
from reports.fmt import vn_int
from reports.narrative import unit_in_sentence
from storage.commune import find_commune
from storage.db import transaction
from storage.directives import OwnInstruction, parse_recipients, save_directive
from storage.models import Directive
from storage.sample import SAMPLE_DIRECTIVES
from tests.engine.flows import PATROL, SUSPICIOUS
from tests.engine.harness import Clock, Harness, Person
from tests.reports.libreoffice import convert, pdf_pages

NUMBER = "1949/UBND-NC"
OWN = OwnInstruction(
    number="180/UBND-VP",
    issued_on=date(2025, 9, 3),
    summary="tăng cường công tác phòng, chống xuất nhập cảnh trái phép trên địa bàn xã",
)
#: Sơn Mai's six Nơi nhận lines, typed the way a clerk pastes them.
RECIPIENTS = [
    "- Công an tỉnh (Phòng Quản lý xuất nhập cảnh);",
    "- TT. Đảng ủy, HĐND xã;",
    "- UBMTTQVN và các Hội đoàn thể xã;",
    "- CT, các PCT UBND xã;",
    "- Các cơ quan, đơn vị thuộc UBND xã;",
    "- Lưu: VT.",
]
#: What the village heads file: (sessions, attendees, teams, difficulty, proposal).
FILED: list[tuple[int, int, int, str | None, str | None]] = [
    (6, 150, 2, "Địa hình đồi núi, đi lại khó khăn", "hỗ trợ kinh phí in tờ rơi tuyên truyền"),
    (4, 90, 1, "địa hình đồi núi , đi lại KHÓ KHĂN", "Hỗ trợ kinh phí in tờ rơi tuyên truyền."),
    (0, 0, 1, None, None),  # no sessions: the attendees question is never asked
    (
        5,
        120,
        3,
        "- Thiếu camera an ninh\n- lực lượng còn mỏng",
        "ĐỀ NGHỊ CÔNG AN TỈNH TẬP HUẤN NGHIỆP VỤ CHO CÔNG AN XÃ",
    ),
]
LATE = (2, 40, 1)
SIGNER = "Nguyễn Anh Tuấn"  # REPORT_SIGNER_NAME, as Sơn Mai's report is signed


def results_flow(
    sessions: int, attendees: int, teams: int, hardship: str | None, proposal: str | None
) -> list[tuple[str, str]]:
    flow = [("say", str(sessions))]
    if sessions:
        flow.append(("say", str(attendees)))
    # teams, cameras 1, Zalo groups 1, foreigners 0, residence checks 2, cases 0 (so the
    # "cases handled" question is never asked: nobody reports that figure)
    flow += [("say", str(teams)), ("say", "1"), ("say", "1"), ("say", "0")]
    flow += [("say", "2"), ("say", "0")]
    flow.append(("say", hardship) if hardship else ("tap", "Bỏ qua"))
    flow.append(("say", proposal) if proposal else ("tap", "Bỏ qua"))
    return [("say", "/baocao"), ("tap", "kết quả"), *flow, ("tap", "Gửi báo cáo")]


def _tip(h: Harness, head: Any, user_id: str, cop: Person, verdict: str) -> None:
    h.link(head, user_id).run(
        [("say", "/baocao"), ("tap", "khả nghi"), *SUSPICIOUS, ("tap", "Gửi báo cáo")]
    )
    cop.tap(verdict)  # the police officer presses a status button on the alert


def set_report_fields(h: Harness, **changes: Any) -> None:
    """What `tinbao directive add … --own-instruction … --recipient …` saves."""
    with transaction(h.db) as s:
        save_directive(s, replace(SAMPLE_DIRECTIVES[0], **changes), find_commune(s, None).id)


def file_reports(app_ctx: AppContext) -> Harness:
    h = Harness(app_ctx, Clock(datetime(2025, 9, 10, 2, 0, tzinfo=UTC)))
    h.seed()
    set_report_fields(h, own_instruction=OWN, report_recipients=parse_recipients(RECIPIENTS))
    heads = h.members_with_role("village_head", "village")
    for i, answers in enumerate(FILED):
        h.link(heads[i], f"70{i}").run(results_flow(*answers))
    cop = h.link(h.members_with_role("police", "police")[0], "800")
    cop.run([("say", "/baocao"), ("tap", "tuần tra"), *PATROL, ("tap", "Gửi báo cáo")])
    _tip(h, heads[4], "704", cop, "Đang xác minh")
    _tip(h, heads[6], "706", cop, "Tin không chính xác")
    h.clock.advance(days=6)  # 16/09: after the 14/09 unit deadline
    h.link(heads[5], "705").run(results_flow(*LATE, None, None))
    return h


def directive_id(h: Harness) -> int:
    with Session(h.db) as s:
        found = s.exec(select(Directive).where(Directive.number == NUMBER)).one()
    assert found.id is not None
    return found.id


def build(h: Harness, out: Path, signer: str = SIGNER) -> ReportBundle:
    settings = h.ctx.settings.model_copy(update={"report_signer_name": signer})
    return build_bundle(h.db, settings, directive_id(h), "once", h.clock.now, out)


@dataclass
class Built:
    harness: Harness
    bundle: ReportBundle
    doc: Any
    text: str  # body paragraphs and table cells


def build_from_dialogs(app_ctx: AppContext, tmp_path: Path) -> ReportBundle:
    return build(file_reports(app_ctx), tmp_path)


def docx_text(doc: Any) -> str:
    cells = [c.text for table in doc.tables for row in table.rows for c in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def section(doc: Any, start: str, end: str) -> list[str]:
    texts = [p.text for p in doc.paragraphs]
    return [t for t in texts[texts.index(start) + 1 : texts.index(end)] if t.strip()]


@pytest.fixture
def built(app_ctx: AppContext, tmp_path: Path) -> Built:
    h = file_reports(app_ctx)
    bundle = build(h, tmp_path)
    doc = Document(str(bundle.docx))
    return Built(h, bundle, doc, docx_text(doc))


def test_figures_reach_the_aggregate(built: Built) -> None:
    agg = built.bundle.aggregate
    answered = [*FILED, (*LATE, None, None)]
    assert agg.figures["propaganda_sessions"] == sum(f[0] for f in answered)
    assert agg.figures["propaganda_attendees"] == sum(f[1] for f in answered if f[0])
    assert agg.completeness.on_time == 4 and agg.completeness.late == 1
    assert agg.patrol["patrols"] == 1 and agg.patrol["persons_checked"] == 12
    assert [i.status for i in agg.incidents] == ["verifying", "false_report"]
    assert "cases_handled" not in agg.figures  # nobody was asked, so nobody reported it
    third = next(u for u in agg.units if u.figures.get("propaganda_sessions") == 0)
    assert "propaganda_attendees" not in third.figures  # not asked: absent, not 0


def test_1_completeness_stays_out_of_the_body_unless_asked(built: Built, tmp_path: Path) -> None:
    agg = built.bundle.aggregate
    assert agg.completeness.missing == 7
    tipped = {i.unit_name for i in agg.incidents}
    silent = [u.name for u in agg.missing_units() if u.name not in tipped]
    assert silent
    for name in silent:  # as a table cell would write it, or mid-sentence ('thôn Trà …')
        assert name not in built.text and unit_in_sentence(name) not in built.text
    for phrase in ("chưa gửi báo cáo", "Theo loại đơn vị", f"/{agg.completeness.expected} "):
        assert phrase not in built.text
    # …but the annex and /summary still say who has not reported
    progress = load_workbook(built.bundle.xlsx)["Tiến độ"]
    statuses = [row[3] for row in progress.iter_rows(min_row=2, values_only=True) if row[1]]
    assert statuses.count("Chưa gửi") == 7
    assert "Quá hạn, chưa gửi (7)" in built.bundle.summary
    # the directive's option (tinbao directive add --completeness) puts it in the body
    set_report_fields(
        built.harness,
        own_instruction=OWN,
        report_recipients=parse_recipients(RECIPIENTS),
        report_completeness=True,
    )
    shown = docx_text(Document(str(build(built.harness, tmp_path / "with").docx)))
    assert "có 5/12 cơ quan, đơn vị, thôn gửi báo cáo" in shown
    assert "còn 7 đơn vị chưa gửi báo cáo" in shown
    assert "Theo loại đơn vị: Thôn 5/8; Công an xã 0/1" in shown


def test_2_assessment_is_derived_from_the_data(built: Built) -> None:
    paragraphs = section(built.doc, "3. Đánh giá chung", "4. Khó khăn, hạn chế")
    text = "\n".join(paragraphs)
    for praise in ("quyết liệt, chặt chẽ", "ngày càng lan tỏa", "nâng lên rõ rệt"):
        assert praise not in text
    # 5 of 12 units reported (under half): not "đầy đủ"
    assert "nhiều cơ quan, đơn vị, thôn chưa báo cáo; cần tiếp tục đôn đốc" in text
    assert "đầy đủ" not in text
    # the tip still being verified is said, so the area is not called calm
    assert "Còn 1 tin báo về người, phương tiện khả nghi chưa xử lý xong" in text
    assert "cơ bản ổn định" not in text
    sessions = vn_int(built.bundle.aggregate.figures["propaganda_sessions"])
    assert f"Công tác tuyên truyền được triển khai với {sessions} buổi" in text
    assert "phối hợp duy trì tuần tra, kiểm soát (1 lượt trong kỳ)" in text


def test_3_own_instruction_is_a_real_footnote(built: Built, tmp_path: Path) -> None:
    doc = built.doc
    assert footnotes.footnote_texts(doc) == {
        1: "Công văn số 180/UBND-VP ngày 03 tháng 9 năm 2025 của UBND xã Tây Trà về tăng "
        "cường công tác phòng, chống xuất nhập cảnh trái phép trên địa bàn xã."
    }
    cited = next(p for p in doc.paragraphs if "ban hành văn bản" in p.text)
    refs = [r.get(qn("w:id")) for r in cited._p.iter(qn("w:footnoteReference"))]
    assert refs == ["1"]
    assert cited.text.startswith("UBND xã Tây Trà ban hành văn bản chỉ đạo")
    style = doc.styles["footnote text"]
    assert style.font.size.pt == 11
    # without an own instruction: a highlighted gap for the office, and no stray footnote
    set_report_fields(built.harness, report_recipients=parse_recipients(RECIPIENTS))
    plain = Document(str(build(built.harness, tmp_path / "plain").docx))
    assert footnotes.footnote_texts(plain) == {}
    gap = next(p for p in plain.paragraphs if "ban hành văn bản" in p.text)
    marked = [r for r in gap.runs if r.font.highlight_color == WD_COLOR_INDEX.YELLOW]
    assert [r.text for r in marked] == ["[Văn phòng bổ sung: số, ngày văn bản chỉ đạo của UBND xã]"]
    assert not list(gap._p.iter(qn("w:footnoteReference")))


def test_4_remarks_and_tips_are_written_as_commune_prose(built: Built) -> None:
    difficulties = section(built.doc, "4. Khó khăn, hạn chế", "5. Kiến nghị, đề xuất")
    assert difficulties == [
        "Địa hình đồi núi, đi lại khó khăn.",  # two units' wording merged, case fixed
        "Thiếu camera an ninh.",  # one answer listing two points: two sentences
        "Lực lượng còn mỏng.",
    ]
    texts = [p.text for p in built.doc.paragraphs]
    closing = next(t for t in texts if t.startswith("Nay UBND"))
    proposals = section(built.doc, "5. Kiến nghị, đề xuất", closing)
    assert proposals == [
        "Đề nghị UBND tỉnh hỗ trợ kinh phí in tờ rơi tuyên truyền.",
        "Đề nghị Công an tỉnh tập huấn nghiệp vụ cho Công an xã.",
    ]
    # tips: administrative summary, no villager's words, the false one counted apart
    agg = built.bundle.aggregate
    verifying = next(i for i in agg.incidents if i.status == "verifying")
    assert (
        "Tiếp nhận 2 tin báo về người, phương tiện khả nghi: 1 tin đang xác minh; qua xác "
        "minh, 1 tin không chính xác." in texts
    )
    lines = [t for t in texts if t.startswith("- Ngày")]
    unit = unit_in_sentence(verifying.unit_name)  # 'thôn Trà …', as 'xã Tây Trà'
    assert unit.startswith("thôn ")
    assert lines == [f"- Ngày 10/9/2025, {unit} báo tin phát hiện 3 người khả nghi; đang xác minh."]
    for raw in ("Ba người mang ba lô lớn", "Bãi đất trống cuối thôn", "Nói tiếng nước ngoài"):
        assert raw not in built.text
    false_unit = next(i.unit_name for i in agg.incidents if i.status == "false_report")
    assert unit_in_sentence(false_unit) not in "\n".join(lines)
    # the raw words stay available to the office in the annex
    rows = list(load_workbook(built.bundle.xlsx)["Sự việc"].iter_rows(values_only=True))
    assert any("Ba người mang ba lô lớn" in str(r[6]) for r in rows[1:])
    # nothing is passed off: the only highlighted paragraphs are bracketed placeholders
    for p in built.doc.paragraphs:
        if any(r.font.highlight_color == WD_COLOR_INDEX.YELLOW for r in p.runs):
            assert "[Văn phòng bổ sung:" in p.text


def test_4_a_force_that_sent_nobody_is_left_out_of_the_patrol_sentence(built: Built) -> None:
    agg = built.bundle.aggregate
    [shown] = narrative.patrols(agg)
    assert "(Công an 2, dân quân 3, an ninh cơ sở 1)" in shown.text
    # the militia reported 0 people on patrol: not 'dân quân 0' in the breakdown
    none_sent = replace(agg, patrol={**agg.patrol, "patrol_militia": 0, "patrol_police": 5})
    [text] = [p.text for p in narrative.patrols(none_sent)]
    assert "với 6 lượt người tham gia (Công an 5, an ninh cơ sở 1)" in text
    assert "dân quân" not in text


def test_4_the_signer_is_named_or_left_visibly_blank(built: Built, tmp_path: Path) -> None:
    right = built.doc.tables[1].rows[0].cells[1].paragraphs
    assert right[-1].text == SIGNER and right[-1].runs[0].bold
    # no REPORT_SIGNER_NAME: a highlighted gap, not an empty line printed under the seal
    unsigned = Document(str(build(built.harness, tmp_path / "unsigned", signer="").docx))
    last = unsigned.tables[1].rows[0].cells[1].paragraphs[-1]
    assert last.text == "[Văn phòng bổ sung: họ tên người ký]"
    assert last.runs[0].font.highlight_color == WD_COLOR_INDEX.YELLOW


_ZERO_FIGURE = re.compile(
    r"(?<![\d.,])0 (?:buổi|lượt|tổ|camera|nhóm|người|vụ|phương tiện|tin)", re.IGNORECASE
)


def test_5_figures_nobody_reported_are_never_zero(built: Built) -> None:
    assert not _ZERO_FIGURE.search(built.text), _ZERO_FIGURE.search(built.text)
    assert "đã xử lý 0" not in built.text and "xử lý" not in "\n".join(
        section(built.doc, "c. Tăng cường công tác tuần tra, kiểm soát", "3. Đánh giá chung")
    ).replace("chưa xử lý", "").replace("đã xử lý", "")
    assert "Trên địa bàn không có người nước ngoài cư trú, làm việc" in built.text  # reported 0
    assert "đã xử lý" not in built.bundle.summary.split("Vụ việc đơn vị báo:")[1].split("\n")[0]
    assert "• Vụ việc đơn vị báo: phát hiện 0" in built.bundle.summary
    ws = load_workbook(built.bundle.xlsx)["Tổng hợp"]
    header = [c.value for c in ws[6]]
    handled = header.index("Vụ việc đã xử lý") + 1
    attendees = header.index("Lượt người dự tuyên truyền") + 1
    units = {
        ws.cell(row=r, column=2).value: r for r in range(7, ws.max_row + 1) if ws.cell(r, 1).value
    }
    total_row = max(units.values()) + 1
    assert all(ws.cell(r, handled).value is None for r in [*units.values(), total_row])
    third = next(
        u for u in built.bundle.aggregate.units if u.figures.get("propaganda_sessions") == 0
    )
    assert ws.cell(units[third.name], attendees).value is None  # not asked → empty, not 0
    sessions = header.index("Buổi tuyên truyền") + 1
    assert ws.cell(units[third.name], sessions).value == 0  # reported 0 stays 0


def test_6_recipients_are_the_directives(built: Built) -> None:
    left = [p.text for p in built.doc.tables[1].rows[0].cells[0].paragraphs if p.text]
    assert left == ["Nơi nhận:", *RECIPIENTS]  # Sơn Mai's six lines, as the clerk typed them


def test_7_annex_table_adds_up_and_prints(built: Built) -> None:
    agg = built.bundle.aggregate
    book = load_workbook(built.bundle.xlsx)
    assert book.sheetnames[0] == "Tổng hợp"
    assert book.properties.creator == "Tin Báo"  # File › Properties: no "openpyxl"
    assert "python-docx" not in (built.doc.core_properties.comments or "")
    ws = book["Tổng hợp"]
    titles = [ws.cell(row=r, column=1).value for r in range(1, 5)]
    assert titles[0] == "Phụ lục"
    assert titles[1] is not None and titles[1].startswith("SỐ LIỆU KẾT QUẢ THỰC HIỆN CÔNG TÁC")
    assert titles[2] is not None and titles[2].startswith("(Kèm theo Báo cáo số")
    assert "/BC-UBND ngày 16 tháng 9 năm 2025 của UBND xã Tây Trà)" in titles[2]
    header = [c.value for c in ws[6]]
    assert header[:4] == [None, None, None, None]  # merged down from the group row
    assert [c.value for c in ws[5]][:4] == ["STT", "Đơn vị", "Loại đơn vị", "Tình trạng báo cáo"]
    rows = list(range(7, 7 + len(agg.units)))
    assert [ws.cell(r, 2).value for r in rows] == [u.name for u in agg.units]
    total = rows[-1] + 1
    assert ws.cell(total, 1).value == "Tổng cộng" and ws.cell(total, 1).font.bold
    for col, label in enumerate(header, 1):
        if label is None:
            continue
        values = [ws.cell(r, col).value for r in rows]
        cell = ws.cell(total, col).value
        reported = [v for v in values if v is not None]
        if not reported:
            assert cell is None, label
            continue
        letter = ws.cell(total, col).column_letter
        assert cell == f"=SUM({letter}{rows[0]}:{letter}{rows[-1]})", label
    by_label = {label: i + 1 for i, label in enumerate(header) if label}
    for key, label in (
        ("propaganda_sessions", "Buổi tuyên truyền"),
        ("security_teams", "Tổ tự quản an ninh"),
    ):
        assert sum(ws.cell(r, by_label[label]).value or 0 for r in rows) == agg.figures[key]
    assert (
        sum(ws.cell(r, by_label["Lượt tuần tra"]).value or 0 for r in rows) == agg.patrol["patrols"]
    )
    setup = ws.page_setup
    assert (setup.orientation, setup.paperSize, setup.fitToWidth, setup.fitToHeight) == (
        "landscape",
        9,
        1,
        0,
    )
    assert ws.sheet_properties.pageSetUpPr.fitToPage is True
    assert ws.print_title_rows == "$5:$6"
    assert ws.freeze_panes == "C7"
    assert all(ws.cell(6, c).alignment.wrap_text for c in range(5, len(header) + 1))
    assert ws.cell(rows[0], 2).alignment.wrap_text


# --- as a clerk sees it: LibreOffice renders the DOCX and the XLSX ----------------------------


@pytest.mark.slow
def test_rendered_by_libreoffice(built: Built, tmp_path: Path) -> None:
    profile = tmp_path / "lo-profile"
    pages = pdf_pages(convert(built.bundle.docx, "pdf", tmp_path / "pdf", profile))
    first = [line.strip() for line in pages[0].splitlines() if line.strip()]
    # the footnote sits at the bottom of the page that cites it, under the body text
    note = next(i for i, line in enumerate(first) if "Công văn số 180/UBND-VP" in line)
    # its number: before the text, or (raised as superscript) on the line above it
    mark = re.sub(r"\s+", " ", " ".join(first[note - 1 : note + 1]))
    assert re.search(r"(^|\s)1 Công văn số 180/UBND-VP ngày 03 tháng 9 năm 2025", mark), mark
    body = next(i for i, line in enumerate(first) if "ban hành văn bản" in line)
    assert re.search(r"văn bản\s*1\s*chỉ đạo", first[body])  # the superscript mark
    # under the page's last body line ("… Nhân dân."), i.e. at the foot of the page
    assert note > body and note >= len(first) - 2
    assert pages[1].strip().splitlines()[0].strip() == "2"  # page numbers from page 2
    last = re.sub(r"\s+", " ", pages[-1])  # a long Nơi nhận line wraps in its column
    assert "Nơi nhận:" in last and "- Các cơ quan, đơn vị thuộc UBND xã; - Lưu: VT." in last
    whole = "\n".join(pages)
    assert "[Văn phòng bổ sung" not in whole  # every part of this report came from the data
    assert SIGNER in last and "TM. ỦY BAN NHÂN DÂN" in last

    # the annex: the totals row adds up in a real spreadsheet, and it prints landscape
    table = convert(
        built.bundle.xlsx,
        "csv:Text - txt - csv (StarCalc):44,34,76",
        tmp_path / "csv",
        profile,
    )
    with table.open(encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    header = rows[5]
    totals = next(r for r in rows if r and r[0] == "Tổng cộng")
    agg = built.bundle.aggregate
    assert int(totals[header.index("Buổi tuyên truyền")]) == agg.figures["propaganda_sessions"]
    assert int(totals[header.index("Lượt tuần tra")]) == agg.patrol["patrols"]
    assert totals[header.index("Vụ việc đã xử lý")] == ""
    annex_pdf = convert(built.bundle.xlsx, "pdf", tmp_path / "xpdf", profile)
    size = subprocess.run(
        ["pdfinfo", str(annex_pdf)], check=True, capture_output=True, text=True
    ).stdout
    width, height = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", size).groups())  # type: ignore[union-attr]
    assert width > height  # landscape
    annex_pages = pdf_pages(annex_pdf)
    # one page wide: the first and the last column are on the first page
    assert "Phụ lục" in annex_pages[0] and "Tổng cộng" in annex_pages[0]
    assert "STT" in annex_pages[0] and "Ca tuần" in annex_pages[0]
