"""LibreOffice and poppler for the slow report tests: convert, then read the PDF back."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest


def soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        pytest.skip("LibreOffice is not installed (Debian package libreoffice-writer)")
    return found


def convert(src: Path, fmt: str, out: Path, profile: Path) -> Path:
    """``soffice --convert-to fmt`` into ``out``; returns the converted file's path."""
    subprocess.run(
        [
            soffice(),
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            fmt,
            "--outdir",
            str(out),
            str(src),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return out / f"{src.stem}.{fmt.split(':')[0]}"


def pdf_pages(pdf: Path) -> list[str]:
    """The non-empty pages of ``pdf`` as laid-out text (pdftotext -layout)."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext is not installed (Debian package poppler-utils)")
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    return [p for p in text.split("\f") if p.strip()]
