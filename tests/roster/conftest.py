"""Roster fixtures: a migrated database with the commune saved, and spreadsheet writers."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import Engine

from storage.commune import resolve_commune, save_commune
from storage.db import transaction

HEADERS = ["Đơn vị", "Loại đơn vị", "Họ và tên", "Số điện thoại", "Vai trò"]


@pytest.fixture
def commune_engine(engine: Engine) -> Engine:
    """A migrated database (SQLite and PostgreSQL) where `tinbao init` has been run."""
    with transaction(engine) as session:
        save_commune(session, resolve_commune("Quảng Ngãi", "Tây Trà"))
    return engine


def write_csv(
    path: Path, rows: Sequence[Sequence[object]], headers: Sequence[str] = HEADERS
) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(headers)
        writer.writerows(rows)
    return path


def write_xlsx(
    path: Path, rows: Sequence[Sequence[object]], headers: Sequence[str] = HEADERS
) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    workbook.save(path)
    return path
