"""The province's annex (XLSX): one row per commune, the figures as each commune sent them.

Sheet "Tổng hợp": whether and when each commune answered, how far its units are (live), one
column per figure (empty where the commune's answer has no such figure, or where it has not
answered: nothing is printed as 0), tips so far, and a totals row of SUM formulas — the same
table layout and print setup as a commune's annex (:func:`reports.xlsx_annex.figure_table`).
Then the tips of every commune and the communes' difficulties and proposals.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import Workbook

from bot.messages import t
from reports.fmt import decree_date_parts, dmy_hm, local_naive
from reports.meta import ReportMeta
from reports.province import ProvinceAggregate, as_aggregate
from reports.sheets import print_setup, sheet_name, write_table
from reports.xlsx_annex import (
    Column,
    TableRow,
    figure_columns,
    figure_table,
    remarks_sheet,
    table_font,
)


def _title(p: ProvinceAggregate, meta: ReportMeta) -> list[tuple[str, Any]]:
    day, month, year = decree_date_parts(meta.report_date)
    return [
        (t("report.xlsx.annex.label"), table_font(bold=True, size=13)),
        (t("province.xlsx.title").upper(), table_font(bold=True, size=13)),
        (
            t(
                "province.xlsx.attached",
                day=day,
                month=month,
                year=year,
                authority=meta.authority_name,
            ),
            table_font(italic=True),
        ),
        (
            t("report.xlsx.annex.period", period=p.period.label(), as_of=dmy_hm(p.now, p.tz)),
            table_font(italic=True, size=11),
        ),
    ]


def _summary(ws: Any, p: ProvinceAggregate, meta: ReportMeta) -> None:
    result_keys, patrol_keys = figure_columns(as_aggregate(p))
    fixed = [
        Column(t("report.xlsx.col.no"), 5),
        Column(t("province.xlsx.col.commune"), 22, wrap=True),
        Column(t("report.xlsx.col.report_status"), 14, wrap=True),
        Column(t("province.xlsx.col.sent_at"), 16),
        Column(t("province.xlsx.col.units_expected"), 10, total=True),
        Column(t("province.xlsx.col.units_submitted"), 10, total=True),
        Column(t("province.xlsx.col.units_on_time"), 10, total=True),
        Column(t("province.xlsx.col.tips"), 10, total=True),
    ]
    rows = [
        TableRow(
            [
                n,
                r.name,
                t(f"province.status.{r.status}"),
                local_naive(r.first_sent_at, p.tz),
                r.units.expected,
                r.units.submitted,
                r.units.on_time,
                sum(r.tips.values()),
            ],
            r.answer.figures if r.answer else {},
            r.answer.patrol if r.answer else {},
        )
        for n, r in enumerate(p.rows, 1)
    ]
    figure_table(ws, _title(p, meta), fixed, rows, result_keys, patrol_keys)
    ws.column_dimensions["D"].number_format = "dd/mm/yyyy hh:mm"
    for row in range(7, 7 + len(rows)):
        ws.cell(row=row, column=4).number_format = "dd/mm/yyyy hh:mm"


def _tips(ws: Any, p: ProvinceAggregate) -> None:
    headers = [
        t("report.xlsx.col.no"),
        t("report.xlsx.col.reported_at"),
        t("report.xlsx.col.unit"),
        t("report.xlsx.col.summary"),
        t("report.xlsx.col.location"),
        t("report.xlsx.col.people"),
        t("report.xlsx.col.incident_status"),
    ]
    rows = [
        [
            n,
            local_naive(i.reported_at, p.tz),
            i.unit_name,
            i.summary,
            i.location_text or "",
            i.people_count,
            t(f"incident.status.{i.status}"),
        ]
        for n, i in enumerate(p.incidents, 1)
    ]
    write_table(ws, headers, rows)


def _remarks(ws: Any, p: ProvinceAggregate) -> None:
    remarks_sheet(ws, p.difficulties, p.proposals, t("province.xlsx.col.commune"))


def write_province_annex(p: ProvinceAggregate, meta: ReportMeta, out_path: Path) -> Path:
    wb = Workbook()
    wb.properties.creator = "Tin Báo"  # not "openpyxl" in the file's properties
    wb.calculation.fullCalcOnLoad = True  # openpyxl stores formulas without their values
    taken: set[str] = set()
    first = wb.active
    assert first is not None
    first.title = sheet_name(t("report.xlsx.sheet.summary"), taken)
    _summary(first, p, meta)
    for key, write in (
        ("province.xlsx.sheet.tips", _tips),
        ("province.xlsx.sheet.remarks", _remarks),
    ):
        ws = wb.create_sheet(sheet_name(t(key), taken))
        write(ws, p)
        print_setup(ws)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(str(out_path))
    return out_path
