"""Real Word footnotes (python-docx has no footnote API): the part, the styles, the marks.

A footnote is three things in a .docx: the ``word/footnotes.xml`` part (with the separator
line Word and LibreOffice draw above the notes), a ``footnoteReference`` run in the body
where the superscript number goes, and the two styles that size them. The template build
adds the part and the styles once (:func:`add_footnotes_part`); the body paragraph holds a
:func:`reference_run`. After rendering, :func:`drop_unreferenced` removes a note whose mark
the template left out, so a report without one carries no stray footnote.
"""

from __future__ import annotations

from typing import Any

from docx.opc.constants import CONTENT_TYPE, RELATIONSHIP_TYPE
from docx.opc.oxml import serialize_part_xml
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn

REFERENCE_STYLE = "FootnoteReference"
TEXT_STYLE = "FootnoteText"
# settings.xml children that come after w:footnotePr in the schema's sequence.
_AFTER_FOOTNOTE_PR = {
    qn(f"w:{tag}")
    for tag in (
        "endnotePr",
        "compat",
        "docVars",
        "rsids",
        "attachedSchema",
        "themeFontLang",
        "clrSchemeMapping",
        "doNotIncludeSubdocsInStats",
        "doNotAutoCompressPictures",
        "forceUpgrade",
        "captions",
        "readModeInkLockDown",
        "smartTagType",
        "shapeDefaults",
        "doNotEmbedSmartTags",
        "decimalSymbol",
        "listSeparator",
    )
} | {"{http://schemas.openxmlformats.org/officeDocument/2006/math}mathPr"}


def _separator(kind: str, note_id: int) -> str:
    return (
        f'<w:footnote w:type="{kind}" w:id="{note_id}"><w:p><w:pPr>'
        '<w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>'
        f"<w:r><w:{kind}/></w:r></w:p></w:footnote>"
    )


def _note(note_id: int, text: str) -> str:
    return (
        f'<w:footnote w:id="{note_id}"><w:p><w:pPr><w:pStyle w:val="{TEXT_STYLE}"/></w:pPr>'
        f'<w:r><w:rPr><w:rStyle w:val="{REFERENCE_STYLE}"/><w:vertAlign w:val="superscript"/>'
        '</w:rPr><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> </w:t></w:r>'
        f"<w:r><w:t>{text}</w:t></w:r></w:p></w:footnote>"
    )


def _styles(document: Any, size_pt: float) -> None:
    styles = document.styles.element
    half_points = str(int(size_pt * 2))
    styles.append(
        parse_xml(
            f'<w:style {nsdecls("w")} w:type="paragraph" w:styleId="{TEXT_STYLE}">'
            '<w:name w:val="footnote text"/><w:basedOn w:val="Normal"/><w:uiPriority w:val="99"/>'
            '<w:pPr><w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/>'
            '<w:ind w:firstLine="0"/><w:jc w:val="both"/></w:pPr>'
            f'<w:rPr><w:sz w:val="{half_points}"/><w:szCs w:val="{half_points}"/></w:rPr>'
            "</w:style>"
        )
    )
    styles.append(
        parse_xml(
            f'<w:style {nsdecls("w")} w:type="character" w:styleId="{REFERENCE_STYLE}">'
            '<w:name w:val="footnote reference"/><w:uiPriority w:val="99"/>'
            '<w:rPr><w:vertAlign w:val="superscript"/></w:rPr></w:style>'
        )
    )


def _settings(document: Any) -> None:
    """Word lists the separator notes in settings.xml (it repairs a file that doesn't)."""
    settings = document.settings.element
    pr = parse_xml(
        f'<w:footnotePr {nsdecls("w")}><w:footnote w:id="-1"/><w:footnote w:id="0"/></w:footnotePr>'
    )
    for child in settings:
        if child.tag in _AFTER_FOOTNOTE_PR:
            child.addprevious(pr)
            return
    settings.append(pr)


def add_footnotes_part(document: Any, notes: dict[int, str], *, size_pt: float = 11) -> None:
    """Give ``document`` a footnotes part holding ``notes`` ({id ≥ 1: text}) and the styles.

    ``text`` goes into one run as is, so a docxtpl tag (``{{ note }}``) stays renderable.
    """
    body = "".join(_note(note_id, text) for note_id, text in sorted(notes.items()))
    xml = (
        f"<w:footnotes {nsdecls('w', 'r')}>"
        f"{_separator('separator', -1)}{_separator('continuationSeparator', 0)}{body}"
        "</w:footnotes>"
    )
    part = Part(
        PackURI("/word/footnotes.xml"),
        CONTENT_TYPE.WML_FOOTNOTES,
        ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + xml).encode(),
        document.part.package,
    )
    document.part.relate_to(part, RELATIONSHIP_TYPE.FOOTNOTES)
    _styles(document, size_pt)
    _settings(document)


def reference_run(note_id: int) -> Any:
    """The superscript mark of footnote ``note_id``, as a run to put in a body paragraph."""
    run = OxmlElement("w:r")
    rpr = OxmlElement("w:rPr")
    style = OxmlElement("w:rStyle")
    style.set(qn("w:val"), REFERENCE_STYLE)
    align = OxmlElement("w:vertAlign")
    align.set(qn("w:val"), "superscript")
    rpr.append(style)
    rpr.append(align)
    run.append(rpr)
    ref = OxmlElement("w:footnoteReference")
    ref.set(qn("w:id"), str(note_id))
    run.append(ref)
    return run


def footnotes_part(document: Any) -> Part | None:
    for rel in document.part.rels.values():
        if rel.reltype == RELATIONSHIP_TYPE.FOOTNOTES and not rel.is_external:
            part: Part = rel.target_part
            return part
    return None


def _parse(part: Part) -> Any:
    return parse_xml(part.blob)


def referenced_ids(document: Any) -> set[int]:
    return {
        int(ref.get(qn("w:id"))) for ref in document.element.body.iter(qn("w:footnoteReference"))
    }


def drop_unreferenced(document: Any) -> None:
    """Remove notes (id ≥ 1) that no body mark points at; the separators stay."""
    part = footnotes_part(document)
    if part is None:
        return
    root = _parse(part)
    used = referenced_ids(document)
    for note in root.findall(qn("w:footnote")):
        note_id = int(note.get(qn("w:id")))
        if note_id >= 1 and note_id not in used:
            root.remove(note)
    # A generic (blob) part: docxtpl renders it the same way, by replacing the bytes.
    part._blob = serialize_part_xml(root)


def footnote_texts(document: Any) -> dict[int, str]:
    """{id: text} of the real notes (for checks and tests)."""
    part = footnotes_part(document)
    if part is None:
        return {}
    root = _parse(part)
    return {
        int(note.get(qn("w:id"))): "".join(t.text or "" for t in note.iter(qn("w:t"))).strip()
        for note in root.findall(qn("w:footnote"))
        if int(note.get(qn("w:id"))) >= 1
    }
