"""Reading a rendered report back with python-docx (for the DOCX tests)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from docx import Document


def open_docx(path: Path) -> Any:
    return Document(str(path))


def body_texts(doc: Any) -> list[str]:
    """Body paragraphs (outside tables), as plain text."""
    return [p.text for p in doc.paragraphs]


def cell_texts(doc: Any, table: int, cell: int) -> list[str]:
    return [p.text for p in doc.tables[table].rows[0].cells[cell].paragraphs]


def run_of(paragraphs: Any, text: str) -> Any:
    """The first run whose paragraph text contains ``text``."""
    for paragraph in paragraphs:
        if text in paragraph.text and paragraph.runs:
            return paragraph.runs[0]
    raise AssertionError(f"no paragraph with {text!r}")


def all_text(doc: Any) -> str:
    parts = body_texts(doc)
    for table in doc.tables:
        for cell in table.rows[0].cells:
            parts += [p.text for p in cell.paragraphs]
    return "\n".join(parts)
