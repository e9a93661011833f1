"""The report's XLSX annex (openpyxl): summary, progress, incidents, remarks, one sheet per unit.

Times are shown as the commune sees them: aware UTC values become naive local datetimes
in real date cells (dd/mm/yyyy hh:mm), so sorting and filtering work in Excel.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import Workbook

from bot.messages import CATALOG, t
from reports.aggregate import (
    PATROL_FIGURES,
    RESULT_FIGURES,
    Aggregate,
    Completeness,
    UnitResult,
)
from reports.fmt import local_naive
from reports.sheets import Percent, sheet_name, write_table


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


def _summary(ws: Any, agg: Aggregate) -> None:
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
    ]
    rows += [
        [_col("submitted_pct"), Percent(c.submitted_pct / 100)],
        [_col("on_time_pct"), Percent(c.on_time_pct / 100)],
    ]
    figures = [[figure_label(k), v] for k, v in _ordered(agg.figures, RESULT_FIGURES)]
    figures += [[figure_label(k), v] for k, v in _ordered(agg.patrol, PATROL_FIGURES)]
    figures += [
        [t("report.xlsx.info.incidents", status=t(f"incident.status.{s}")), n]
        for s, n in agg.incidents_by_status.items()
    ]
    write_table(ws, [_col("item"), _col("value")], rows + figures)


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
            t(f"report.status.{u.status}"),
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


def _remarks(ws: Any, agg: Aggregate) -> None:
    headers = [_col("no"), _col("remark_kind"), _col("summary"), _col("units")]
    kinds = [
        (t("report.xlsx.remark.difficulty"), agg.difficulties),
        (t("report.xlsx.remark.proposal"), agg.proposals),
    ]
    rows = [[label, r.text, ", ".join(r.units)] for label, remarks in kinds for r in remarks]
    write_table(ws, headers, [[i, *row] for i, row in enumerate(rows, 1)])


def _unit(ws: Any, unit: UnitResult, agg: Aggregate) -> None:
    rows: list[list[Any]] = [
        [_col("unit"), unit.name],
        [_col("kind"), t(f"report.kind.{unit.kind}")],
        [_col("status"), t(f"report.status.{unit.status}")],
        [_col("member"), unit.member_name or ""],
        [_col("first"), local_naive(unit.first_submitted_at, agg.tz)],
        [_col("last"), local_naive(unit.last_updated_at, agg.tz)],
        [_col("version"), unit.version],
    ]
    if unit.submissions:
        rows += [[figure_label(k), v] for k, v in _ordered(unit.figures, RESULT_FIGURES)]
    rows += [[figure_label(k), v] for k, v in _ordered(unit.patrol, PATROL_FIGURES)]
    write_table(ws, [_col("item"), _col("value")], rows)


def write_annex(agg: Aggregate, out_path: Path) -> Path:
    """Write the annex workbook to ``out_path`` (parents created) and return the path."""
    wb = Workbook()
    taken: set[str] = set()
    first = wb.active
    assert first is not None
    first.title = sheet_name(t("report.xlsx.sheet.summary"), taken)
    _summary(first, agg)
    _progress(wb.create_sheet(sheet_name(t("report.xlsx.sheet.progress"), taken)), agg)
    _incidents(wb.create_sheet(sheet_name(t("report.xlsx.sheet.incidents"), taken)), agg)
    _remarks(wb.create_sheet(sheet_name(t("report.xlsx.sheet.remarks"), taken)), agg)
    for unit in agg.units:
        _unit(wb.create_sheet(sheet_name(unit.name, taken)), unit, agg)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(str(out_path))
    return out_path
