"""The report opens in LibreOffice and converts to PDF (slow; needs libreoffice-writer)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from bot.settings import Settings
from reports.docx_report import render_report
from tests.reports.conftest import Filled

pytestmark = pytest.mark.slow


def test_report_converts_to_pdf(
    filled_sqlite: Filled, report_settings: Settings, tmp_path: Path
) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed (Debian package libreoffice-writer)")
    docx = render_report(
        filled_sqlite.aggregate(), filled_sqlite.meta(report_settings), tmp_path / "bao_cao.docx"
    )
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(docx),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pdf = tmp_path / "bao_cao.pdf"
    assert pdf.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftotext") is None:
        return
    pages = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout.split("\f")
    pages = [p for p in pages if p.strip()]
    assert len(pages) >= 2
    assert "ỦY BAN NHÂN DÂN" in pages[0] and "BÁO CÁO" in pages[0]
    # page numbers start on page 2, centred at the top
    assert not pages[0].strip().startswith("1")
    assert pages[1].strip().splitlines()[0].strip() == "2"
    assert "Nơi nhận:" in pages[-1]
