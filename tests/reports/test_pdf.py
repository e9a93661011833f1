"""The report opens in LibreOffice and converts to PDF (slow; needs libreoffice-writer)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.settings import Settings
from reports.docx_report import render_report
from tests.reports.conftest import Filled
from tests.reports.libreoffice import convert, pdf_pages

pytestmark = pytest.mark.slow


def test_report_converts_to_pdf(
    filled_sqlite: Filled, report_settings: Settings, tmp_path: Path
) -> None:
    docx = render_report(
        filled_sqlite.aggregate(), filled_sqlite.meta(report_settings), tmp_path / "bao_cao.docx"
    )
    pdf = convert(docx, "pdf", tmp_path, tmp_path / "lo-profile")
    assert pdf.read_bytes().startswith(b"%PDF")
    pages = pdf_pages(pdf)
    assert len(pages) >= 2
    assert "ỦY BAN NHÂN DÂN" in pages[0] and "BÁO CÁO" in pages[0]
    # page numbers start on page 2, centred at the top
    assert not pages[0].strip().startswith("1")
    assert pages[1].strip().splitlines()[0].strip() == "2"
    assert "Nơi nhận:" in pages[-1]
