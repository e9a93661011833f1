"""The chart is a PNG of the size a phone shows well."""

from __future__ import annotations

import struct
from datetime import date
from pathlib import Path

from reports.aggregate import aggregate
from reports.chart import render_chart
from storage.db import transaction
from storage.models import Directive
from tests.reports.conftest import NOW, TZ, Filled


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_chart_png(filled_sqlite: Filled, tmp_path: Path) -> None:
    path = render_chart(filled_sqlite.aggregate(), tmp_path / "c" / "chart.png")
    assert _png_size(path) == (800, 1000)
    assert path.stat().st_size > 10_000  # something was drawn


def test_chart_of_an_empty_month(filled_sqlite: Filled, tmp_path: Path) -> None:
    with transaction(filled_sqlite.engine) as s:
        monthly = Directive(
            commune_id=filled_sqlite.commune.id,
            number="7/UBND-VP",
            issued_on=date(2025, 9, 1),
            issuer="UBND xã",
            summary="báo cáo tháng",
            target_unit_kinds=["village"],
            form_ids=["ket_qua_thuc_hien"],
            recurrence="monthly",
            starts_on=date(2025, 9, 1),
        )
        s.add(monthly)
    assert monthly.id is not None
    agg = aggregate(filled_sqlite.engine, monthly.id, "2025-10", tz=TZ, now=NOW)
    assert len(agg.incidents_by_day) == 31
    assert _png_size(render_chart(agg, tmp_path / "empty.png")) == (800, 1000)
