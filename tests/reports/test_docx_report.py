"""The rendered report: header, title, sections 1–5, figures, lists and signature."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from docx.enum.text import WD_COLOR_INDEX

from bot.settings import Settings
from reports.aggregate import Remark, aggregate
from reports.docx_report import document_type, render_report, report_title
from reports.meta import commune_report_meta
from reports.narrative import unit_in_sentence
from storage.db import transaction
from storage.models import Directive
from tests.reports.conftest import NOW, TZ, Filled
from tests.reports.docx_reading import all_text, body_texts, cell_texts, open_docx, run_of


def _render(filled: Filled, settings: Settings, tmp_path: Path, **meta: Any) -> Path:
    return render_report(
        filled.aggregate(), filled.meta(settings, **meta), tmp_path / "out" / "bao_cao.docx"
    )


@pytest.fixture
def report(filled_sqlite: Filled, report_settings: Settings, tmp_path: Path) -> object:
    return open_docx(_render(filled_sqlite, report_settings, tmp_path))


def test_header_block(report: object) -> None:
    left = cell_texts(report, 0, 0)
    right = cell_texts(report, 0, 1)
    assert left[0] == "ỦY BAN NHÂN DÂN"
    assert left[1] == "XÃ TÂY TRÀ"
    assert any(line.startswith("Số:") and line.endswith("/BC-UBND") for line in left)
    assert right[0] == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert right[1] == "Độc lập - Tự do - Hạnh phúc"
    assert right[-1] == "Tây Trà, ngày 15 tháng 9 năm 2025"
    date_run = run_of(report.tables[0].rows[0].cells[1].paragraphs, "ngày")  # type: ignore[attr-defined]
    assert date_run.italic is True


@pytest.mark.parametrize(
    ("day", "line"),
    [
        (date(2026, 1, 5), "Tây Trà, ngày 05 tháng 01 năm 2026"),
        (date(2026, 2, 28), "Tây Trà, ngày 28 tháng 02 năm 2026"),
        (date(2025, 3, 9), "Tây Trà, ngày 09 tháng 3 năm 2025"),
        (date(2025, 12, 31), "Tây Trà, ngày 31 tháng 12 năm 2025"),
    ],
)
def test_date_line_pads_only_january_and_february(
    filled_sqlite: Filled, report_settings: Settings, tmp_path: Path, day: date, line: str
) -> None:
    path = render_report(
        filled_sqlite.aggregate(),
        filled_sqlite.meta(report_settings, report_date=day),
        tmp_path / "d.docx",
    )
    assert cell_texts(open_docx(path), 0, 1)[-1] == line


def test_title_and_opening(report: object) -> None:
    texts = [t for t in body_texts(report) if t.strip()]
    assert texts[0] == "BÁO CÁO"
    assert texts[1] == "Kết quả thực hiện công tác phòng, chống xuất nhập cảnh trái phép"
    assert texts[2] == (
        "Thực hiện Công văn số 1949/UBND-NC ngày 28/8/2025 của UBND tỉnh Quảng Ngãi về việc "
        "tăng cường đấu tranh phòng, chống xuất nhập cảnh trái phép. UBND xã Tây Trà báo cáo "
        "kết quả thực hiện như sau:"
    )
    for text in ("BÁO CÁO", "Kết quả thực hiện công tác"):
        run = run_of(report.paragraphs, text)  # type: ignore[attr-defined]
        assert run.bold is True and run.font.size.pt == 14


def test_sections_one_to_five_in_order(report: object) -> None:
    texts = body_texts(report)
    headings = [
        "1. Công tác lãnh đạo, chỉ đạo",
        "2. Kết quả triển khai thực hiện",
        "a. Nâng cao trách nhiệm trong công tác quản lý địa bàn",
        "b. Phát huy sức mạnh tổng hợp của hệ thống chính trị",
        "c. Tăng cường công tác tuần tra, kiểm soát",
        "3. Đánh giá chung",
        "4. Khó khăn, hạn chế",
        "5. Kiến nghị, đề xuất",
    ]
    positions = [texts.index(h) for h in headings]
    assert positions == sorted(positions)
    closing = texts.index("Nay UBND xã Tây Trà báo cáo để Công an tỉnh nắm, chỉ đạo./.")
    assert closing > positions[-1]


@pytest.mark.parametrize(
    ("issuer", "closing"),
    [
        ("Công an tỉnh Quảng Ngãi", "Nay UBND xã Tây Trà báo cáo để Công an tỉnh nắm, chỉ đạo./."),
        ("UBND xã Tây Trà", "Trên đây là báo cáo của UBND xã Tây Trà./."),
    ],
)
def test_the_closing_line_names_the_province_only_when_it_gave_the_order(
    filled_sqlite: Filled, report_settings: Settings, tmp_path: Path, issuer: str, closing: str
) -> None:
    """The commune's own weekly plan is not reported to the provincial police: saying so
    would be untrue (Sơn Mai's closing is for the province's order)."""
    own = replace(
        filled_sqlite, directive=filled_sqlite.directive.model_copy(update={"issuer": issuer})
    )
    path = render_report(filled_sqlite.aggregate(), own.meta(report_settings), tmp_path / "c.docx")
    texts = body_texts(open_docx(path))
    assert closing in texts
    assert texts.index(closing) > texts.index("5. Kiến nghị, đề xuất")
    assert sum("nắm, chỉ đạo" in text for text in texts) == (1 if "tỉnh" in issuer else 0)


def test_figures(report: object, filled_sqlite: Filled) -> None:
    text = all_text(report)
    f, p = filled_sqlite.expected.figures, filled_sqlite.expected.patrol
    assert f"Tổ chức {f['propaganda_sessions']} buổi tuyên truyền" in text
    assert f"với {f['propaganda_attendees']} lượt người tham dự" in text
    assert (
        f"{f['security_teams']} tổ tự quản an ninh, {f['cameras']} camera an ninh và "
        f"{f['zalo_groups']} nhóm Zalo cộng đồng" in text
    )
    assert f"Trên địa bàn có {f['foreigners_residing']} người nước ngoài cư trú" in text
    forces = p["patrol_police"] + p["patrol_militia"] + p["patrol_security"]
    assert f"tổ chức {p['patrols']} lượt tuần tra, kiểm soát với {forces} lượt người" in text
    assert f"kiểm tra {p['persons_checked']} người, {p['vehicles_checked']} phương tiện" in text
    assert f"trong đó có {p['foreigners_checked']} người nước ngoài" in text
    assert f"Các đơn vị phát hiện {f['cases_detected']} vụ việc" in text


def test_completeness_only_when_asked(
    report: object, filled_sqlite: Filled, report_settings: Settings, tmp_path: Path
) -> None:
    exp = filled_sqlite.expected
    assert "gửi báo cáo kết quả thực hiện (đạt" not in all_text(report)
    plain = all_text(report)
    for name in exp.missing:
        assert name not in plain and unit_in_sentence(name) not in plain
    text = all_text(open_docx(_render(filled_sqlite, report_settings, tmp_path, completeness=True)))
    assert (
        f"có {len(exp.on_time) + len(exp.late)}/{exp.expected} cơ quan, đơn vị, thôn gửi báo cáo"
        in text
    )
    assert "(đạt 70,0%)" in text
    assert (
        f"trong đó {len(exp.on_time)} đơn vị gửi đúng hạn, {len(exp.late)} đơn vị gửi sau hạn "
        "ngày 14/9/2025" in text
    )
    for name in exp.missing:  # mid-sentence: 'thôn Trà …', as 'xã Tây Trà'
        assert unit_in_sentence(name) in text
    assert (
        "Theo loại đơn vị: Thôn 4/6; Công an xã 1/1; Ban CHQS xã 1/1; Cơ quan, ban ngành 1/2."
        in text
    )


def test_tips_counted_and_false_ones_kept_apart(report: object) -> None:
    texts = body_texts(report)
    assert (
        "Tiếp nhận 3 tin báo về người, phương tiện khả nghi: 1 tin đang xác minh, 1 tin đã xử "
        "lý; qua xác minh, 1 tin không chính xác." in texts
    )
    lines = [t for t in texts if t.startswith("- Ngày")]
    assert lines == [
        "- Ngày 07/9/2025, thôn Trà Xinh báo tin phát hiện 2 người khả nghi; đã xử lý.",
        "- Ngày 11/9/2025, thôn Trà Nga báo tin phát hiện 3 người khả nghi; đang xác minh.",
    ]
    text = all_text(report)
    assert "hỏi đường sang Lào" not in text  # the villager's words stay in the annex
    assert "Người lạ thuê trọ" not in text  # a false report is not listed
    assert "Chưa phát hiện trường hợp xuất, nhập cảnh trái phép" not in text  # there are cases


def test_user_text_is_escaped(
    filled_sqlite: Filled, report_settings: Settings, tmp_path: Path
) -> None:
    agg = replace(
        filled_sqlite.aggregate(), difficulties=(Remark("Thiếu <đèn pin> & áo mưa", ("x",)),)
    )
    path = render_report(agg, filled_sqlite.meta(report_settings), tmp_path / "e.docx")
    assert "Thiếu <đèn pin> & áo mưa." in body_texts(open_docx(path))


def test_collected_difficulties_and_proposals(report: object) -> None:
    texts = body_texts(report)
    start = texts.index("4. Khó khăn, hạn chế")
    end = texts.index("5. Kiến nghị, đề xuất")
    section = [t for t in texts[start + 1 : end] if t]
    assert section == [
        "Địa bàn rộng, giao thông đi lại khó khăn.",  # raised by two units: first
        "Người dân còn chủ quan, mất cảnh giác.",
        "Lực lượng còn mỏng, trang thiết bị tuần tra còn hạn chế.",
    ]
    proposals = [t for t in texts[end + 1 :] if t and not t.startswith("Nay UBND")]
    assert proposals == [
        "Đề nghị UBND tỉnh hỗ trợ kinh phí in tờ rơi tuyên truyền.",
        "Đề nghị Công an tỉnh tập huấn nghiệp vụ cho Công an xã.",
    ]


def test_assessment(report: object) -> None:
    texts = body_texts(report)
    start, end = texts.index("3. Đánh giá chung"), texts.index("4. Khó khăn, hạn chế")
    section = [t for t in texts[start + 1 : end] if t]
    assert section[0].startswith("Phần lớn các cơ quan, đơn vị, thôn đã triển khai")  # 7/10
    assert "Còn 1 vụ việc liên quan đến xuất nhập cảnh trái phép" not in section  # 1/1 handled
    assert "Các vụ việc phát hiện trong kỳ đều đã được xử lý." in section
    assert (
        "Còn 1 tin báo về người, phương tiện khả nghi chưa xử lý xong, đang tiếp tục xác minh, "
        "làm rõ." in section
    )


def test_signature_block(report: object) -> None:
    left = report.tables[1].rows[0].cells[0].paragraphs  # type: ignore[attr-defined]
    right = [p.text for p in report.tables[1].rows[0].cells[1].paragraphs]  # type: ignore[attr-defined]
    label = left[0].runs[0]
    assert left[0].text == "Nơi nhận:"
    assert label.bold and label.italic and label.font.size.pt == 12
    assert [p.text for p in left[1:]] == [
        "- Công an tỉnh (Phòng Quản lý xuất nhập cảnh);",
        "- TT. Đảng ủy, HĐND xã;",
        "- CT, các PCT UBND xã;",
        "- Lưu: VT.",
    ]
    assert all(p.runs[0].font.size.pt == 11 for p in left[1:])
    assert right[0] == "TM. ỦY BAN NHÂN DÂN"
    assert right[1] == "CHỦ TỊCH"
    assert right[-1] == "Nguyễn Văn Minh"
    assert "" in right[2:-1]  # blank room for signature and seal
    signer = report.tables[1].rows[0].cells[1].paragraphs[-1].runs[0]  # type: ignore[attr-defined]
    assert signer.bold and signer.font.size.pt == 14


def test_no_template_tags_left(report: object) -> None:
    text = all_text(report)
    assert "{{" not in text and "{%" not in text and "}}" not in text


def test_an_empty_period_says_so(
    filled_sqlite: Filled, report_settings: Settings, tmp_path: Path
) -> None:
    with transaction(filled_sqlite.engine) as s:
        weekly = Directive(
            commune_id=filled_sqlite.commune.id,
            number="15/UBND-NC",
            issued_on=date(2025, 9, 1),
            issuer="UBND xã Tây Trà",
            summary="tăng cường đấu tranh phòng, chống xuất nhập cảnh trái phép",
            target_unit_kinds=["village", "police", "military", "agency"],
            form_ids=["ket_qua_thuc_hien"],
            recurrence="weekly",
            starts_on=date(2025, 9, 1),
        )
        s.add(weekly)
    assert weekly.id is not None
    # the week after the commune's period: no reports, no patrols, no tips
    agg = aggregate(filled_sqlite.engine, weekly.id, "2025-W39", tz=TZ, now=NOW)
    meta = commune_report_meta(
        filled_sqlite.commune, weekly, report_settings, report_date=date(2025, 9, 15)
    )
    path = render_report(agg, meta, tmp_path / "empty.docx")
    doc = open_docx(path)
    texts = body_texts(doc)
    text = "\n".join(texts)
    # every stock or missing part is bracketed and highlighted for the office
    for paragraph in doc.paragraphs:
        if paragraph.text.startswith("[Văn phòng bổ sung:"):
            assert paragraph.runs[0].font.highlight_color == WD_COLOR_INDEX.YELLOW
    assert (
        "[Văn phòng bổ sung: chưa có đơn vị nào gửi báo cáo kết quả thực hiện nên chưa có số "
        "liệu tổng hợp]" in texts
    )
    assert "[Văn phòng bổ sung: đánh giá chung (chưa có số liệu để lập đoạn này)]" in texts
    assert "[Văn phòng bổ sung: khó khăn, hạn chế (các đơn vị không nêu khó khăn nào)]" in texts
    assert "[Văn phòng bổ sung: kiến nghị, đề xuất (các đơn vị không nêu kiến nghị nào)]" in texts
    # nobody reported cases: the report does not claim there were none
    assert "Chưa phát hiện trường hợp xuất, nhập cảnh trái phép" not in text
    assert "Tiếp nhận" not in text and "lượt tuần tra" not in text
    assert "{{" not in text and "{%" not in text


def test_title_and_document_type_from_the_directive() -> None:
    directive = Directive(
        number="12/KH-UBND",
        issued_on=date(2025, 1, 3),
        issuer="UBND xã",
        summary="V/v  đẩy mạnh công tác tuyên truyền pháp luật",
        starts_on=date(2025, 1, 3),
    )
    assert report_title(directive) == "Kết quả thực hiện công tác tuyên truyền pháp luật"
    assert document_type("12/KH-UBND") == "Kế hoạch"
    assert document_type("1949/UBND-NC") == "Công văn"
    assert document_type("5/QĐ-UBND") == "Quyết định"
