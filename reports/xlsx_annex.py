"""The report's XLSX annex (openpyxl): the unit × figure table, then general information,
progress, incidents, remarks and one sheet per unit.

The first sheet ("Tổng hợp") is the one the province adds up: one row per unit, one column
per known figure (the same columns in every commune's annex), a totals row of SUM formulas,
the annex title citing the report, and print setup (A4 landscape, header rows repeated,
one page wide). A figure a unit did not report is an empty cell, never 0.

Times are shown as the commune sees them: aware UTC values become naive local datetimes
in real date cells (dd/mm/yyyy hh:mm), so sorting and filtering work in Excel.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from bot.messages import CATALOG, t
from reports.aggregate import (
    PATROL_FIGURES,
    RESULT_FIGURES,
    Aggregate,
    Completeness,
    Remark,
    UnitResult,
)
from reports.fmt import decree_date_parts, dmy_hm, local_naive
from reports.meta import ReportMeta
from reports.sheets import Percent, clean, print_setup, sheet_name, write_table

TABLE_FONT = "Times New Roman"
_THIN = Side(style="thin", color="000000")
_GRID = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_FIXED_WIDTHS = (5, 26, 17, 12)  # STT, unit, kind, status
_LINE_HEIGHT = 16  # points per line of 12 pt text: rows are sized, since not every viewer
# grows a row for wrapped text
_FIGURE_WIDTH = 9
HEADER_ROWS = (5, 6)  # group row, figure row: repeated on every printed page
FIRST_UNIT_ROW = 7


def figure_label(key: str) -> str:
    """The Vietnamese name of a figure key (the key itself for one we don't know yet)."""
    catalog_key = f"report.figure.{key}"
    return t(catalog_key) if catalog_key in CATALOG else key


def _col(key: str) -> str:
    return t(f"report.xlsx.col.{key}")


def _ordered(figures: dict[str, int] | Any, known: tuple[str, ...]) -> list[tuple[str, int]]:
    keys = [k for k in known if k in figures] + sorted(k for k in figures if k not in known)
    return [(k, int(figures[k])) for k in keys]


def _rate_row(label: str, rate: Completeness) -> list[Any]:
    return [
        label,
        rate.expected,
        rate.submitted,
        rate.on_time,
        rate.late,
        rate.missing,
        Percent(rate.submitted_pct / 100),
        Percent(rate.on_time_pct / 100),
    ]


def figure_columns(agg: Aggregate) -> tuple[list[str], list[str]]:
    """The table's result and patrol columns: every known key, then any other key reported."""

    def keys(known: tuple[str, ...], per_unit: list[Any]) -> list[str]:
        extra = sorted({k for figures in per_unit for k in figures} - set(known))
        return [*known, *extra]

    return (
        keys(RESULT_FIGURES, [u.figures for u in agg.units]),
        keys(PATROL_FIGURES, [u.patrol for u in agg.units]),
    )


def status_label(unit: UnitResult) -> str:
    if not unit.expected and not unit.submissions:
        return t("report.status.not_expected")
    return t(f"report.status.{unit.status}")


def table_font(**kw: Any) -> Font:
    return Font(name=TABLE_FONT, size=kw.pop("size", 12), **kw)


def _title_rows(ws: Any, agg: Aggregate, meta: ReportMeta) -> list[tuple[str, Font]]:
    day, month, year = decree_date_parts(meta.report_date)
    return [
        (t("report.xlsx.annex.label"), table_font(bold=True, size=13)),
        (t("report.xlsx.annex.title", title=meta.title).upper(), table_font(bold=True, size=13)),
        (
            t(
                "report.xlsx.annex.attached",
                day=day,
                month=month,
                year=year,
                authority=t("report.authority", name=meta.authority_name),
            ),
            table_font(italic=True),
        ),
        (
            t(
                "report.xlsx.annex.period",
                period=agg.period.label(),
                as_of=dmy_hm(agg.now, agg.tz),
            ),
            table_font(italic=True, size=11),
        ),
    ]


def _write_title(ws: Any, lines: list[tuple[str, Font]], width: int) -> None:
    last = get_column_letter(width)
    for row, (text, font) in enumerate(lines, 1):
        ws.merge_cells(f"A{row}:{last}{row}")
        cell = ws.cell(row=row, column=1, value=clean(text))
        cell.font = font
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws.row_dimensions[2].height = 36


@dataclass(frozen=True)
class Column:
    """One of a figure table's leading columns (number, name, status…)."""

    label: str
    width: float
    wrap: bool = False
    total: bool = False  # a count the totals row adds up, like the figures


@dataclass(frozen=True)
class TableRow:
    """One row of a figure table: its leading cells, then its figures (absent = empty)."""

    cells: list[Any]
    figures: Mapping[str, int]
    patrol: Mapping[str, int]


def _header(ws: Any, fixed: list[Column], groups: list[tuple[str, list[str]]]) -> int:
    """The two header rows; returns the number of columns."""
    top, bottom = HEADER_ROWS
    for col, column in enumerate(fixed, 1):
        ws.merge_cells(start_row=top, start_column=col, end_row=bottom, end_column=col)
        ws.cell(row=top, column=col, value=column.label)
    col = len(fixed) + 1
    for label, keys in groups:
        ws.merge_cells(start_row=top, start_column=col, end_row=top, end_column=col + len(keys) - 1)
        ws.cell(row=top, column=col, value=label)
        for key in keys:
            ws.cell(row=bottom, column=col, value=figure_label(key))
            col += 1
    width = col - 1
    for row in HEADER_ROWS:
        for c in range(1, width + 1):
            cell = ws.cell(row=row, column=c)
            cell.font = table_font(bold=True, size=11)
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            cell.border = _GRID
    ws.row_dimensions[bottom].height = 78
    return width


def figure_table(
    ws: Any,
    title: list[tuple[str, Font]],
    fixed: list[Column],
    rows: list[TableRow],
    result_keys: list[str],
    patrol_keys: list[str],
) -> None:
    """A sheet the level above adds up: the title, two header rows, one row per reporting
    body, one column per figure key, a totals row of SUM formulas, print setup (A4
    landscape, header rows repeated, one page wide). An unreported figure is an empty cell."""
    groups = [
        (t("report.xlsx.group.results"), result_keys),
        (t("report.xlsx.group.patrol"), patrol_keys),
    ]
    n_fixed = len(fixed)
    width = n_fixed + len(result_keys) + len(patrol_keys)
    _write_title(ws, title, width)
    _header(ws, fixed, groups)
    row = FIRST_UNIT_ROW
    for item in rows:
        values: list[Any] = list(item.cells)
        values += [item.figures.get(k) for k in result_keys]  # None: not reported → empty
        values += [item.patrol.get(k) for k in patrol_keys]
        lines = max(
            (
                math.ceil(len(str(values[i])) / (column.width * 1.15))
                for i, column in enumerate(fixed)
                if column.wrap
            ),
            default=1,
        )
        ws.row_dimensions[row].height = _LINE_HEIGHT * max(lines, 1)
        for col, value in enumerate(values, 1):
            cell = ws.cell(row=row, column=col, value=clean(value))
            cell.font = table_font()
            cell.border = _GRID
            wrap = col <= n_fixed and fixed[col - 1].wrap
            cell.alignment = Alignment(
                vertical="center", wrap_text=wrap, horizontal="center" if col == 1 else None
            )
            if col > n_fixed:
                cell.number_format = "#,##0"
        row += 1
    last_row = row - 1
    label_end = next((i for i, c in enumerate(fixed) if c.total), n_fixed)
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=label_end)
    ws.cell(row=row, column=1, value=t("report.xlsx.total"))
    reported = {k for r in rows for k in r.figures} | {k for r in rows for k in r.patrol}
    summed = [c + 1 for c, column in enumerate(fixed) if column.total]
    summed += [
        col for col, key in enumerate([*result_keys, *patrol_keys], n_fixed + 1) if key in reported
    ]
    for col in summed:
        letter = get_column_letter(col)
        if last_row >= FIRST_UNIT_ROW:
            # A formula, so a corrected cell updates the total; a column nobody reported
            # stays empty (SUM of empty cells would print 0).
            ws.cell(row=row, column=col, value=f"=SUM({letter}{FIRST_UNIT_ROW}:{letter}{last_row})")
    for col in range(1, width + 1):
        cell = ws.cell(row=row, column=col)
        cell.font = table_font(bold=True)
        cell.border = _GRID
        cell.alignment = Alignment(horizontal="center", vertical="center")
        if col > n_fixed:
            cell.number_format = "#,##0"
    note = ws.cell(row=row + 2, column=1, value=t("report.xlsx.annex.empty_note"))
    note.font = table_font(italic=True, size=11)
    widths = [c.width for c in fixed] + [_FIGURE_WIDTH] * (width - n_fixed)
    for col, w in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(col)].width = w
    ws.freeze_panes = ws.cell(row=FIRST_UNIT_ROW, column=3).coordinate
    print_setup(ws, title_rows=f"{HEADER_ROWS[0]}:{HEADER_ROWS[1]}")


def _unit_table(ws: Any, agg: Aggregate, meta: ReportMeta) -> None:
    """Sheet 1: one row per unit, one column per figure, a totals row the province can add."""
    result_keys, patrol_keys = figure_columns(agg)
    fixed = [
        Column(_col("no"), _FIXED_WIDTHS[0]),
        Column(_col("unit"), _FIXED_WIDTHS[1], wrap=True),
        Column(_col("kind"), _FIXED_WIDTHS[2], wrap=True),
        Column(t("report.xlsx.col.report_status"), _FIXED_WIDTHS[3], wrap=True),
    ]
    rows = [
        TableRow(
            [n, unit.name, t(f"report.kind.{unit.kind}"), status_label(unit)],
            unit.figures,
            unit.patrol,
        )
        for n, unit in enumerate(agg.units, 1)
    ]
    figure_table(ws, _title_rows(ws, agg, meta), fixed, rows, result_keys, patrol_keys)


def _info(ws: Any, agg: Aggregate) -> None:
    c = agg.completeness
    rows: list[list[Any]] = [
        [t("report.xlsx.info.directive"), agg.directive_number],
        [t("report.xlsx.info.period"), agg.period.label()],
        [t("report.xlsx.info.deadline"), agg.deadline],
        [t("report.xlsx.info.generated"), local_naive(agg.now, agg.tz)],
        [_col("expected"), c.expected],
        [_col("submitted"), c.submitted],
        [_col("on_time"), c.on_time],
        [_col("late"), c.late],
        [_col("missing"), c.missing],
        [_col("submitted_pct"), Percent(c.submitted_pct / 100)],
        [_col("on_time_pct"), Percent(c.on_time_pct / 100)],
    ]
    rows += [
        [t("report.xlsx.info.incidents", status=t(f"incident.status.{s}")), n]
        for s, n in agg.incidents_by_status.items()
    ]
    write_table(ws, [_col("item"), _col("value")], rows)


def _progress(ws: Any, agg: Aggregate) -> None:
    headers = [
        _col("no"),
        _col("unit"),
        _col("kind"),
        _col("status"),
        _col("member"),
        _col("first"),
        _col("last"),
        _col("version"),
    ]
    rows = [
        [
            i,
            u.name,
            t(f"report.kind.{u.kind}"),
            status_label(u),
            u.member_name or "",
            local_naive(u.first_submitted_at, agg.tz),
            local_naive(u.last_updated_at, agg.tz),
            u.version,
        ]
        for i, u in enumerate(agg.units, 1)
    ]
    next_row = write_table(ws, headers, rows)
    rate_headers = [
        _col("kind"),
        _col("expected"),
        _col("submitted"),
        _col("on_time"),
        _col("late"),
        _col("missing"),
        _col("submitted_pct"),
        _col("on_time_pct"),
    ]
    rates = [_rate_row(t(f"report.kind.{k.kind}"), k.rate) for k in agg.by_kind]
    rates.append(_rate_row(t("report.xlsx.info.all_units"), agg.completeness))
    write_table(ws, rate_headers, rates, start_row=next_row + 1, freeze=False)


def _incidents(ws: Any, agg: Aggregate) -> None:
    headers = [
        _col("no"),
        _col("id"),
        _col("reported_at"),
        _col("occurred_at"),
        _col("unit"),
        _col("reporter"),
        _col("summary"),
        _col("location"),
        _col("lat"),
        _col("lon"),
        _col("people"),
        _col("incident_status"),
        _col("changed_by"),
        _col("changed_at"),
    ]
    rows = [
        [
            n,
            i.id,
            local_naive(i.reported_at, agg.tz),
            local_naive(i.occurred_at, agg.tz),
            i.unit_name,
            i.reporter_name,
            i.summary,
            i.location_text or "",
            i.latitude,
            i.longitude,
            i.people_count,
            t(f"incident.status.{i.status}"),
            i.changed_by or "",
            local_naive(i.changed_at, agg.tz),
        ]
        for n, i in enumerate(agg.incidents, 1)
    ]
    write_table(ws, headers, rows)


def remarks_sheet(
    ws: Any, difficulties: tuple[Remark, ...], proposals: tuple[Remark, ...], who: str
) -> None:
    """Difficulties, then proposals, each with who raised it (units, or communes)."""
    headers = [_col("no"), _col("remark_kind"), _col("summary"), who]
    kinds = [
        (t("report.xlsx.remark.difficulty"), difficulties),
        (t("report.xlsx.remark.proposal"), proposals),
    ]
    rows = [[label, r.text, ", ".join(r.units)] for label, remarks in kinds for r in remarks]
    write_table(ws, headers, [[i, *row] for i, row in enumerate(rows, 1)])


def _remarks(ws: Any, agg: Aggregate) -> None:
    remarks_sheet(ws, agg.difficulties, agg.proposals, _col("units"))


def _unit(ws: Any, unit: UnitResult, agg: Aggregate) -> None:
    rows: list[list[Any]] = [
        [_col("unit"), unit.name],
        [_col("kind"), t(f"report.kind.{unit.kind}")],
        [_col("status"), status_label(unit)],
        [_col("member"), unit.member_name or ""],
        [_col("first"), local_naive(unit.first_submitted_at, agg.tz)],
        [_col("last"), local_naive(unit.last_updated_at, agg.tz)],
        [_col("version"), unit.version],
    ]
    if unit.submissions:
        rows += [[figure_label(k), v] for k, v in _ordered(unit.figures, RESULT_FIGURES)]
    rows += [[figure_label(k), v] for k, v in _ordered(unit.patrol, PATROL_FIGURES)]
    write_table(ws, [_col("item"), _col("value")], rows)


def write_annex(agg: Aggregate, meta: ReportMeta, out_path: Path) -> Path:
    """Write the annex workbook to ``out_path`` (parents created) and return the path."""
    wb = Workbook()
    wb.properties.creator = "Tin Báo"  # not "openpyxl" in the file's properties
    wb.calculation.fullCalcOnLoad = True  # openpyxl stores formulas without their values
    taken: set[str] = set()
    first = wb.active
    assert first is not None
    first.title = sheet_name(t("report.xlsx.sheet.summary"), taken)
    _unit_table(first, agg, meta)
    sheets = [
        ("report.xlsx.sheet.info", _info),
        ("report.xlsx.sheet.progress", _progress),
        ("report.xlsx.sheet.incidents", _incidents),
        ("report.xlsx.sheet.remarks", _remarks),
    ]
    for key, write in sheets:
        ws = wb.create_sheet(sheet_name(t(key), taken))
        write(ws, agg)
        print_setup(ws)
    for unit in agg.units:
        ws = wb.create_sheet(sheet_name(unit.name, taken))
        _unit(ws, unit, agg)
        print_setup(ws)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(str(out_path))
    return out_path
