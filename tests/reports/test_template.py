"""The Word template follows Decree 30/2020 (format facts in shared/reference).

Checked on the committed template (which the office may edit in Word) and on a freshly
built one (so the build script stays right).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from reports.build_template import TEMPLATE, build
from tests.reports.docx_reading import open_docx, run_of


@pytest.fixture(params=["committed", "rebuilt"])
def template(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Any]:
    path = TEMPLATE if request.param == "committed" else build(tmp_path / "bao_cao.docx")
    yield open_docx(path)


def test_page_is_a4_with_decree_margins(template: Any) -> None:
    section = template.sections[0]
    # stored in twips, so compare to a tenth of a millimetre
    assert (round(section.page_width.mm, 1), round(section.page_height.mm, 1)) == (210, 297)
    margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    assert tuple(round(m.mm, 1) for m in margins) == (20, 20, 30, 15)


def test_body_style(template: Any) -> None:
    normal = template.styles["Normal"]
    fonts = normal.element.rPr.find(qn("w:rFonts"))
    for slot in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        assert fonts.get(qn(slot)) == "Times New Roman"
    assert normal.font.size == Pt(14)
    fmt = normal.paragraph_format
    assert fmt.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    assert abs(fmt.first_line_indent - Cm(1)) < Cm(0.01)
    assert fmt.space_before == Pt(6)
    defaults = template.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault"))
    default_fonts = defaults.find(qn("w:rPr")).find(qn("w:rFonts"))
    assert {default_fonts.get(qn(s)) for s in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia")} == {
        "Times New Roman"
    }


def test_page_numbers_from_page_two(template: Any) -> None:
    section = template.sections[0]
    assert section.different_first_page_header_footer is True
    assert all(p.text == "" for p in section.first_page_header.paragraphs)
    header = section.header._element
    instr = "".join(el.text for el in header.iter(qn("w:instrText")))
    assert instr.strip() == "PAGE"
    paragraph = section.header.paragraphs[0]
    assert paragraph.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert {r.font.size for r in paragraph.runs} == {Pt(14)}


def _borders_none(table: Any) -> bool:
    borders = table._tbl.tblPr.find(qn("w:tblBorders"))
    return borders is not None and all(el.get(qn("w:val")) == "none" for el in borders)


def test_header_table(template: Any) -> None:
    table = template.tables[0]
    assert (len(table.rows), len(table.columns)) == (1, 2)
    assert _borders_none(table)
    left, right = table.rows[0].cells
    assert abs(left.width - Cm(6.5)) < Cm(0.01) and abs(right.width - Cm(10)) < Cm(0.01)
    checks = [
        (left.paragraphs, "ỦY BAN NHÂN DÂN", 13, True, None),
        (left.paragraphs, "{{ commune_upper }}", 13, True, None),
        (left.paragraphs, "Số:", 13, None, None),
        (right.paragraphs, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 13, True, None),
        (right.paragraphs, "Độc lập - Tự do - Hạnh phúc", 14, True, None),
        (right.paragraphs, "{{ place }}, ngày {{ day }}", 14, None, True),
    ]
    for paragraphs, text, size, bold, italic in checks:
        run = run_of(paragraphs, text)
        assert run.font.size == Pt(size), text
        assert run.bold == bold, text
        assert run.italic == italic, text
    for cell in (left, right):
        rules = [p for p in cell.paragraphs if p._p.pPr.find(qn("w:pBdr")) is not None]
        assert len(rules) == 1  # the short line under the name / the tiêu ngữ


def test_title_block(template: Any) -> None:
    for text in ("BÁO CÁO", "{{ title }}"):
        paragraph = next(p for p in template.paragraphs if p.text == text)
        assert paragraph.alignment == WD_ALIGN_PARAGRAPH.CENTER
        assert paragraph.runs[0].bold is True and paragraph.runs[0].font.size == Pt(14)


def test_signature_table(template: Any) -> None:
    table = template.tables[1]
    assert _borders_none(table)
    left, right = table.rows[0].cells
    assert left.paragraphs[0].text == "Nơi nhận:"
    label = left.paragraphs[0].runs[0]
    assert (label.bold, label.italic, label.font.size) == (True, True, Pt(12))
    assert {p.runs[0].font.size for p in left.paragraphs[1:]} == {Pt(11)}
    # the directive's own Nơi nhận lines (or the default list) fill the loop
    assert [p.text for p in left.paragraphs[1:]] == [
        "{%p for line in recipients %}",
        "{{ line }}",
        "{%p endfor %}",
    ]
    texts = [p.text for p in right.paragraphs]
    assert texts[:2] == ["{{ signer_authority }}", "{{ signer_title }}"]
    # the name, or (none in the settings) a highlighted gap for the office
    assert texts[-5:] == [
        "{%p if signer_name %}",
        "{{ signer_name }}",
        "{%p else %}",
        "{{ signer_missing }}",
        "{%p endif %}",
    ]
    assert right.paragraphs[-2].runs[0].font.highlight_color == WD_COLOR_INDEX.YELLOW
    assert table._tbl.find(qn("w:tr")).find(qn("w:trPr")).find(qn("w:cantSplit")) is not None


def test_narrative_is_in_the_template(template: Any) -> None:
    text = "\n".join(p.text for p in template.paragraphs)
    for heading in ("1. Công tác lãnh đạo, chỉ đạo", "3. Đánh giá chung", "5. Kiến nghị, đề xuất"):
        assert heading in text
    for block in ("assessment", "difficulties", "proposals", "tips", "completeness"):
        assert f"{{%p for p in {block} %}}" in text
    assert "{{ closing }}" in text
    for praise in ("quyết liệt, chặt chẽ", "ngày càng lan tỏa"):  # section 3 comes from data
        assert praise not in text


def test_placeholders_are_highlighted(template: Any) -> None:
    texts = [p.text for p in template.paragraphs]
    marked = [
        p
        for p in template.paragraphs
        if p.runs and p.runs[0].font.highlight_color == WD_COLOR_INDEX.YELLOW
    ]
    # each block's placeholder branch: the one right after "{%p if p.placeholder %}"
    assert len(marked) == texts.count("{%p if p.placeholder %}")
    gap = next(p for p in template.paragraphs if "{{ own_instruction_missing }}" in p.text)
    assert [r.font.highlight_color for r in gap.runs if "own_instruction" in r.text] == [
        WD_COLOR_INDEX.YELLOW
    ]


def test_footnote_part_and_reference(template: Any) -> None:
    from reports import footnotes

    assert footnotes.footnote_texts(template) == {1: "{{ own_instruction_note }}"}
    cited = next(
        p
        for p in template.paragraphs
        if p.text.startswith("UBND {{ commune_name }} ban hành văn bản chỉ đạo")
    )
    assert [r.get(qn("w:id")) for r in cited._p.iter(qn("w:footnoteReference"))] == ["1"]
    assert template.styles["footnote text"].font.size == Pt(11)
    settings = template.settings.element
    assert settings.find(qn("w:footnotePr")) is not None
