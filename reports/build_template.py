"""Build ``reports/templates/bao_cao.docx``, the docxtpl template of the commune's report.

Run ``python -m reports.build_template`` to rebuild it. The .docx is committed: the office
edits its wording and layout in Word, and the report keeps whatever they change. This
script is the reproducible starting point, following Decree 30/2020/NĐ-CP (Appendix I):
A4, margins 20/20/30/15 mm, Times New Roman 14 pt body, a borderless two-column header,
``BÁO CÁO`` + trích yếu, the signature block with Nơi nhận, page numbers from page 2.

The fixed sentences are the template's; the sentences that depend on the data are lists of
paragraphs from :mod:`reports.narrative` (``{%p for p in … %}``), a placeholder among them
highlighted in yellow. ``{%p … %}`` paragraphs are removed by docxtpl when rendered. The
commune's own instruction is a real footnote (``word/footnotes.xml``, :mod:`reports.footnotes`).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

from reports import footnotes

TEMPLATE = Path(__file__).parent / "templates" / "bao_cao.docx"
#: The province's consolidated report on the communes' answers (same layout, its own body).
PROVINCE_TEMPLATE = Path(__file__).parent / "templates" / "bao_cao_tinh.docx"
FONT = "Times New Roman"
HEADER_WIDTHS = (Cm(6.5), Cm(10.0))  # Mẫu 1.4, fitted to the 16.5 cm text width
SIGNATURE_WIDTHS = (Cm(6.0), Cm(10.5))
OWN_INSTRUCTION_NOTE = 1  # footnote id of the commune's own instruction

Container = Any  # a Document or a table cell: both have add_paragraph()


# --- low-level formatting ---------------------------------------------------------------------


def _set_fonts(rpr: Any) -> None:
    """All four rFonts slots, or Word falls back to another font for Vietnamese (cs/eastAsia)."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for slot in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(slot), FONT)


def _base_styles(doc: Any) -> None:
    styles_el = doc.styles.element
    defaults = styles_el.find(qn("w:docDefaults"))
    rpr_default = defaults.find(qn("w:rPrDefault"))
    rpr = rpr_default.find(qn("w:rPr"))
    _set_fonts(rpr)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "vi-VN")

    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(14)
    _set_fonts(normal.element.get_or_add_rPr())
    fmt = normal.paragraph_format
    fmt.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    fmt.first_line_indent = Cm(1)
    fmt.space_before = Pt(6)
    fmt.space_after = Pt(0)
    fmt.line_spacing = 1.15
    fmt.widow_control = True
    for name in ("Header", "Footer"):
        style = doc.styles[name]
        style.paragraph_format.first_line_indent = Cm(0)
        style.paragraph_format.space_before = Pt(0)
        style.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _page_setup(doc: Any) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.header_distance, section.footer_distance = Mm(10), Mm(10)


def _page_numbers(doc: Any) -> None:
    """Page 1 has no number; from page 2 a centred 14 pt PAGE field in the top margin."""
    section = doc.sections[0]
    section.different_first_page_header_footer = True
    section.first_page_header.is_linked_to_previous = False  # an explicit, empty header
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.first_line_indent = Cm(0)

    def field_run(kind: str, text: str | None = None) -> None:
        run = paragraph.add_run()
        run.font.size = Pt(14)
        if kind == "instr":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = " PAGE "
            run._r.append(instr)
        elif kind == "text":
            run.text = text or ""
        else:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)

    for kind, text in (("begin", None), ("instr", None), ("separate", None), ("text", "2")):
        field_run(kind, text)
    field_run("end")


def para(
    container: Container,
    text: str = "",
    *,
    size: float = 14,
    bold: bool = False,
    italic: bool = False,
    align: WD_ALIGN_PARAGRAPH | None = None,
    indent: bool = True,
    before: float = 6,
    single: bool = False,
    keep_next: bool = False,
) -> Any:
    """A paragraph with one run (tags must stay inside one run for docxtpl)."""
    paragraph = container.add_paragraph()
    fmt = paragraph.paragraph_format
    if align is not None:
        paragraph.alignment = align
    if not indent:
        fmt.first_line_indent = Cm(0)
    fmt.space_before = Pt(before)
    if single:
        fmt.line_spacing = 1.0
    if keep_next:
        fmt.keep_with_next = True
    if text:
        run = paragraph.add_run(text)
        run.font.size = Pt(size)
        run.bold = bold or None
        run.italic = italic or None
    _mark_size(paragraph, size)
    return paragraph


def _mark_size(paragraph: Any, size: float) -> None:
    # The paragraph mark's size sets an empty line's height (the blank signature lines).
    ppr = paragraph._p.get_or_add_pPr()
    rpr = ppr.find(qn("w:rPr"))
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        ppr.append(rpr)
    sz = OxmlElement("w:sz")
    sz.set(qn("w:val"), str(int(size * 2)))
    rpr.append(sz)


def rule(container: Container, *, left: Cm, right: Cm) -> Any:
    """A short solid line: an empty, tiny paragraph with a bottom border, sized by indents."""
    paragraph = para(container, size=2, indent=False, before=0, single=True)
    fmt = paragraph.paragraph_format
    fmt.left_indent, fmt.right_indent = left, right
    ppr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    # pBdr must come before spacing/ind/jc in pPr (schema order), or Word calls it corrupt.
    ppr.insert(0, borders)
    _reorder(ppr, _PPR_ORDER)
    return paragraph


_PPR_ORDER = [
    "w:pStyle",
    "w:keepNext",
    "w:keepLines",
    "w:pageBreakBefore",
    "w:framePr",
    "w:widowControl",
    "w:numPr",
    "w:suppressLineNumbers",
    "w:pBdr",
    "w:shd",
    "w:tabs",
    "w:suppressAutoHyphens",
    "w:kinsoku",
    "w:wordWrap",
    "w:overflowPunct",
    "w:topLinePunct",
    "w:autoSpaceDE",
    "w:autoSpaceDN",
    "w:bidi",
    "w:adjustRightInd",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
]


_TBLPR_ORDER = [
    "w:tblStyle",
    "w:tblpPr",
    "w:tblOverlap",
    "w:bidiVisual",
    "w:tblStyleRowBandSize",
    "w:tblStyleColBandSize",
    "w:tblW",
    "w:jc",
    "w:tblCellSpacing",
    "w:tblInd",
    "w:tblBorders",
    "w:shd",
    "w:tblLayout",
    "w:tblCellMar",
    "w:tblLook",
]


def _reorder(parent: Any, order: list[str]) -> None:
    """Put children in the schema's order (Word rejects out-of-order properties)."""
    rank = {qn(tag): i for i, tag in enumerate(order)}
    children = sorted(parent, key=lambda el: rank.get(el.tag, len(rank)))
    for child in children:
        parent.remove(child)
        parent.append(child)


def _borderless_table(doc: Any, widths: tuple[Cm, Cm]) -> Any:
    """A fixed 1×2 table with no borders (explicit 'none', so no base style can add lines)."""
    table = doc.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "none")
        el.set(qn("w:sz"), "0")
        el.set(qn("w:space"), "0")
        el.set(qn("w:color"), "auto")
        borders.append(el)
    tbl_pr.append(borders)
    margins = OxmlElement("w:tblCellMar")
    for edge in ("left", "right"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:w"), str(int(Cm(0.15).twips)))
        el.set(qn("w:type"), "dxa")
        margins.append(el)
    tbl_pr.append(margins)
    width = OxmlElement("w:tblW")
    width.set(qn("w:w"), str(int(sum(w.twips for w in widths))))
    width.set(qn("w:type"), "dxa")
    for old in tbl_pr.findall(qn("w:tblW")):
        tbl_pr.remove(old)
    tbl_pr.append(width)
    _reorder(tbl_pr, _TBLPR_ORDER)
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    for cell, width in zip(table.rows[0].cells, widths, strict=True):
        cell.width = width
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.TOP
        cell._tc.remove(cell.paragraphs[0]._p)  # start empty; para() adds the lines
    tr_pr = table.rows[0]._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:cantSplit"))
    return table


# --- the document -----------------------------------------------------------------------------

CENTER = WD_ALIGN_PARAGRAPH.CENTER
LEFT = WD_ALIGN_PARAGRAPH.LEFT


def _header(doc: Any) -> None:
    table = _borderless_table(doc, HEADER_WIDTHS)
    left, right = table.rows[0].cells
    head: dict[str, Any] = {"align": CENTER, "indent": False, "before": 0, "single": True}
    para(left, "ỦY BAN NHÂN DÂN", size=13, bold=True, **head)
    para(left, "{{ commune_upper }}", size=13, bold=True, **head)
    rule(left, left=Cm(1.9), right=Cm(1.9))
    para(left, "Số:      /BC-UBND", size=13, align=CENTER, indent=False, before=6, single=True)
    para(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", size=13, bold=True, **head)
    para(right, "Độc lập - Tự do - Hạnh phúc", size=14, bold=True, **head)
    rule(right, left=Cm(1.7), right=Cm(1.7))
    para(
        right,
        "{{ place }}, ngày {{ day }} tháng {{ month }} năm {{ year }}",
        size=14,
        italic=True,
        align=CENTER,
        indent=False,
        before=6,
        single=True,
    )


def _title(doc: Any) -> None:
    para(doc, "BÁO CÁO", bold=True, align=CENTER, indent=False, before=18, single=True)
    para(doc, "{{ title }}", bold=True, align=CENTER, indent=False, before=0, single=True)
    rule(doc, left=Cm(5.5), right=Cm(5.5))
    para(doc, "", before=6)


def _heading(doc: Any, text: str) -> None:
    para(doc, text, bold=True, keep_next=True)


def _paragraphs(container: Container, name: str, *, size: float = 14) -> None:
    """The paragraphs of one context list: a placeholder one is highlighted for the office."""
    para(container, f"{{%p for p in {name} %}}")
    para(container, "{%p if p.placeholder %}")
    marked = para(container, "{{ p.text }}", size=size)
    marked.runs[0].font.highlight_color = WD_COLOR_INDEX.YELLOW
    para(container, "{%p else %}")
    para(container, "{{ p.text }}", size=size)
    para(container, "{%p endif %}")
    para(container, "{%p endfor %}")


def _leadership(doc: Any) -> None:
    """Section 1. The commune's own instruction is cited in a real footnote (Sơn Mai's
    footnote 1); without one, a highlighted gap asks the office for its number and date."""
    _heading(doc, "1. Công tác lãnh đạo, chỉ đạo")
    lead = "UBND {{ commune_name }} ban hành văn bản"
    rest = (
        " chỉ đạo các cơ quan, đơn vị, lực lượng chức năng triển khai nhiệm vụ; đưa nội dung "
        "phòng, chống xuất nhập cảnh trái phép vào kế hoạch công tác bảo đảm an ninh, trật tự "
        "thường xuyên."
    )
    para(doc, "{%p if own_instruction_note %}")
    cited = para(doc, lead)
    cited._p.append(footnotes.reference_run(OWN_INSTRUCTION_NOTE))
    cited.add_run(rest).font.size = Pt(14)
    para(doc, "{%p else %}")
    gap = para(doc, lead + " ")
    missing = gap.add_run("{{ own_instruction_missing }}")
    missing.font.size = Pt(14)
    missing.font.highlight_color = WD_COLOR_INDEX.YELLOW
    gap.add_run(rest).font.size = Pt(14)
    para(doc, "{%p endif %}")
    para(
        doc,
        "Giao nhiệm vụ và yêu cầu báo cáo kết quả đến {{ expected }} cơ quan, đơn vị, thôn; "
        "xác định rõ trách nhiệm của người đứng đầu, gắn trách nhiệm quản lý địa bàn với công "
        "tác phòng, chống xuất nhập cảnh trái phép.",
    )


def _body(doc: Any) -> None:
    para(
        doc,
        "Thực hiện {{ doc_type }} số {{ doc_number }} ngày {{ doc_date }} của {{ doc_issuer }} "
        "về việc {{ doc_summary }}. UBND {{ commune_name }} báo cáo kết quả thực hiện như sau:",
    )
    _leadership(doc)

    _heading(doc, "2. Kết quả triển khai thực hiện")
    para(doc, "a. Nâng cao trách nhiệm trong công tác quản lý địa bàn", keep_next=True)
    para(
        doc,
        "Các cơ quan, đơn vị, lực lượng chức năng xã thường xuyên nắm tình hình, kịp thời phát "
        "hiện, đấu tranh, ngăn chặn các biểu hiện nghi vấn liên quan đến hoạt động xuất nhập "
        "cảnh trái phép.",
    )
    # Who has reported goes to the annex and /summary; here only when the directive asks.
    _paragraphs(doc, "completeness")
    _paragraphs(doc, "residents")

    para(doc, "b. Phát huy sức mạnh tổng hợp của hệ thống chính trị", keep_next=True)
    para(
        doc,
        "Huy động sự vào cuộc đồng bộ của các ban, ngành, đoàn thể trong công tác tuyên truyền.",
    )
    _paragraphs(doc, "propaganda")

    para(doc, "c. Tăng cường công tác tuần tra, kiểm soát", keep_next=True)
    para(
        doc,
        "Công an xã chủ trì, phối hợp Ban Chỉ huy Quân sự xã, lực lượng dân quân và an ninh cơ sở "
        "tuần tra, kiểm soát thường xuyên.",
    )
    _paragraphs(doc, "patrols")
    _paragraphs(doc, "tips")
    _paragraphs(doc, "cases")

    _heading(doc, "3. Đánh giá chung")
    _paragraphs(doc, "assessment")
    _heading(doc, "4. Khó khăn, hạn chế")
    _paragraphs(doc, "difficulties")
    _heading(doc, "5. Kiến nghị, đề xuất")
    _paragraphs(doc, "proposals")
    para(doc, "{{ closing }}", keep_next=True)
    para(doc, "", before=0, keep_next=True)


def _signature(doc: Any) -> None:
    table = _borderless_table(doc, SIGNATURE_WIDTHS)
    left, right = table.rows[0].cells
    block: dict[str, Any] = {"indent": False, "before": 0, "single": True}
    para(left, "Nơi nhận:", size=12, bold=True, italic=True, align=LEFT, **block)
    # The directive's own list (Sơn Mai sends to 6), else the default one.
    para(left, "{%p for line in recipients %}", size=11, align=LEFT, **block)
    para(left, "{{ line }}", size=11, align=LEFT, **block)
    para(left, "{%p endfor %}", size=11, align=LEFT, **block)
    para(right, "{{ signer_authority }}", bold=True, align=CENTER, **block)
    para(right, "{{ signer_title }}", bold=True, align=CENTER, **block)
    for _ in range(5):  # room for the signature and the seal (about 3 cm)
        para(right, "", align=CENTER, **block)
    # No name in the settings: a highlighted gap, not a blank the office may print as is.
    para(right, "{%p if signer_name %}", align=CENTER, **block)
    para(right, "{{ signer_name }}", bold=True, align=CENTER, **block)
    para(right, "{%p else %}", align=CENTER, **block)
    missing = para(right, "{{ signer_missing }}", bold=True, align=CENTER, **block)
    missing.runs[0].font.highlight_color = WD_COLOR_INDEX.YELLOW
    para(right, "{%p endif %}", align=CENTER, **block)


def _province_body(doc: Any) -> None:
    """The province's consolidated report: what the communes answered, added up."""
    para(
        doc,
        "Thực hiện {{ doc_type }} số {{ doc_number }} ngày {{ doc_date }} của {{ doc_issuer }} "
        "về việc {{ doc_summary }}; trên cơ sở báo cáo của UBND các xã, phường, UBND "
        "{{ commune_name }} tổng hợp kết quả thực hiện như sau:",
    )
    _heading(doc, "1. Tình hình triển khai và báo cáo của các xã, phường")
    _paragraphs(doc, "communes")
    _heading(doc, "2. Kết quả triển khai thực hiện")
    para(doc, "a. Quản lý địa bàn, cư trú", keep_next=True)
    _paragraphs(doc, "residents")
    para(doc, "b. Công tác tuyên truyền", keep_next=True)
    _paragraphs(doc, "propaganda")
    para(doc, "c. Tuần tra, kiểm soát, tiếp nhận tin báo", keep_next=True)
    _paragraphs(doc, "patrols")
    _paragraphs(doc, "tips")
    _paragraphs(doc, "cases")
    _heading(doc, "3. Đánh giá chung")
    _paragraphs(doc, "assessment")
    _heading(doc, "4. Khó khăn, hạn chế")
    _paragraphs(doc, "difficulties")
    _heading(doc, "5. Kiến nghị, đề xuất")
    _paragraphs(doc, "proposals")
    para(doc, "(Số liệu chi tiết của từng xã, phường theo Phụ lục kèm theo.)", italic=True)
    para(
        doc,
        "Trên đây là báo cáo tổng hợp kết quả thực hiện của UBND {{ commune_name }}./.",
        keep_next=True,
    )
    para(doc, "", before=0, keep_next=True)


def build(path: Path = TEMPLATE, *, province: bool = False) -> Path:
    """Write the commune's template (or, with ``province``, the province's consolidated
    report's) to ``path`` and return it."""
    doc = Document()
    _base_styles(doc)
    _page_setup(doc)
    _page_numbers(doc)
    body = doc.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    _header(doc)
    _title(doc)
    if province:
        _province_body(doc)
    else:
        _body(doc)
    _signature(doc)
    if not province:
        footnotes.add_footnotes_part(doc, {OWN_INSTRUCTION_NOTE: "{{ own_instruction_note }}"})
    props = doc.core_properties
    props.title = "Báo cáo tổng hợp" if province else "Báo cáo kết quả thực hiện"
    props.author = "Tin Báo"
    props.comments = ""  # python-docx's "generated by python-docx" shows in Word's properties
    props.language = "vi-VN"
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
    return path


def main(argv: list[str] | None = None) -> None:
    """``python -m reports.build_template [DIR]``: both templates (into DIR if given)."""
    args = sys.argv[1:] if argv is None else argv
    folder = Path(args[0]) if args else TEMPLATE.parent
    print(build(folder / TEMPLATE.name))
    print(build(folder / PROVINCE_TEMPLATE.name, province=True))


if __name__ == "__main__":
    main()
