"""Roster spreadsheets on disk: read XLSX/CSV into text cells, write them back, the template.

This module knows file formats and column headers only; what the cells mean (kinds, roles,
phones) and what goes into the database is :mod:`storage.roster`'s job.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from bot.messages import t
from bot.text import fold, nfc, strip_control
from storage.enums import Role, UnitKind
from storage.vocab import kind_choices, kind_label, role_choices, role_label

# Column order of every file we write; the reader accepts any order and extra columns.
FIELDS: tuple[str, ...] = ("unit", "kind", "name", "phone", "roles")
#: Optional first column: which commune a row belongs to (a province-wide roster file).
COMMUNE: str = "commune"

# Other headers offices commonly type, already folded.
_HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "unit": ("ten don vi", "don vi cong tac"),
    "kind": ("loai",),
    "name": ("ho ten", "ten"),
    "phone": ("sdt", "so dt", "dien thoai", "so dien thoai di dong"),
    "roles": ("vai tro tren tin bao",),
    COMMUNE: ("xa", "phuong", "xa phuong", "xa, phuong", "ten xa", "xa/phuong/dac khu"),
}
_COLUMN_WIDTHS = {"commune": 20, "unit": 28, "kind": 14, "name": 28, "phone": 16, "roles": 30}
# A title or a blank line above the header row is common; look this far down for it.
_HEADER_SEARCH_ROWS = 10
# Drop-downs cover this many data rows of the template (Excel keeps them when rows are added).
_VALIDATION_ROWS = 2000


class RosterFileError(Exception):
    """The file as a whole cannot be read; ``key``/``params`` name the message."""

    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(t(key, **params))
        self.key = key
        self.params = params


@dataclass
class RawSheet:
    """Cells as text, keyed by field, with the row number a spreadsheet program shows."""

    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)


def header(field_name: str) -> str:
    return t(f"roster.header.{field_name}")


def columns(with_commune: bool = False) -> tuple[str, ...]:
    return (COMMUNE, *FIELDS) if with_commune else FIELDS


def headers(with_commune: bool = False) -> list[str]:
    return [header(f) for f in columns(with_commune)]


def _field_for(cell: str) -> str | None:
    key = fold(cell)
    for name in columns(with_commune=True):
        if key == fold(header(name)) or key in _HEADER_ALIASES[name]:
            return name
    return None


def _cell_text(value: object) -> str:
    """A cell as clean text: Excel turns 0912345678 into the number 912345678, keep digits."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.strftime("%d/%m/%Y")
    return " ".join(strip_control(nfc(str(value))).split())


def _find_header(rows: Sequence[tuple[int, Sequence[object]]]) -> tuple[int, dict[str, int]]:
    """Index of the header row among ``rows`` and the column of each field (the commune
    column only when the file has one).

    When no row has every header, the row with the most of them is taken as the intended
    header row and the message names exactly the missing ones.
    """
    best: dict[str, int] = {}
    for index, (_number, values) in enumerate(rows[:_HEADER_SEARCH_ROWS]):
        found: dict[str, int] = {}
        for column, value in enumerate(values):
            name = _field_for(_cell_text(value))
            if name is not None and name not in found:
                found[name] = column
        if all(f in found for f in FIELDS):
            return index, found
        if len(found) > len(best):
            best = found
    missing = [header(f) for f in FIELDS if f not in best]
    raise RosterFileError(
        "roster.error.missing_headers", headers=", ".join(missing), expected=", ".join(headers())
    )


def _sheet_from_rows(rows: Sequence[tuple[int, Sequence[object]]]) -> RawSheet:
    header_index, column_of = _find_header(rows)
    sheet = RawSheet()
    for number, values in rows[header_index + 1 :]:
        cells = [_cell_text(v) for v in values]
        if not any(cells):
            continue
        sheet.rows.append(
            (number, {f: cells[i] if i < len(cells) else "" for f, i in column_of.items()})
        )
    return sheet


def _csv_rows(path: Path) -> list[tuple[int, list[str]]]:
    """Records numbered as a spreadsheet program numbers rows (not physical lines).

    Excel writes ';' instead of ',' in locales whose decimal mark is a comma, and a roles
    cell may itself contain ';' — so the delimiter is the one that yields the header row,
    not a guess from character counts.
    """
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise RosterFileError("roster.error.encoding") from exc
    parsed: list[list[tuple[int, list[str]]]] = []
    for delimiter in (",", ";", "\t"):
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        rows = list(enumerate(reader, start=1))
        try:
            _find_header(rows)
        except RosterFileError:
            parsed.append(rows)
            continue
        return rows
    return parsed[0]


def _xlsx_rows(path: Path) -> Iterator[tuple[int, list[object]]]:
    try:
        workbook = load_workbook(path, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a broken or foreign file
        raise RosterFileError("roster.error.unreadable", name=path.name, reason=str(exc)) from exc
    sheet = workbook.worksheets[0]
    for number, values in enumerate(sheet.iter_rows(min_row=1, values_only=True), start=1):
        yield number, list(values)


def read_sheet(path: Path) -> RawSheet:
    """Read the first sheet of an XLSX, or a CSV (UTF-8, with or without BOM, , ; or tab)."""
    if not path.is_file():
        raise RosterFileError("roster.error.not_found", name=str(path))
    suffix = path.suffix.lower()
    rows: list[tuple[int, Sequence[object]]]
    if suffix == ".csv":
        rows = list(_csv_rows(path))
    elif suffix in (".xlsx", ".xlsm"):
        rows = list(_xlsx_rows(path))
    else:
        raise RosterFileError("roster.error.format", name=path.name)
    sheet = _sheet_from_rows(rows)
    if not sheet.rows:
        raise RosterFileError("roster.error.empty")
    return sheet


def _workbook(rows: Sequence[Sequence[str]], with_commune: bool) -> Workbook:
    fields = columns(with_commune)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = t("roster.sheet_title")
    sheet.append(headers(with_commune))
    for row in rows:
        sheet.append(list(row))
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    for col, name in enumerate(fields, start=1):
        cell = sheet.cell(row=1, column=col)
        cell.font, cell.fill = bold, fill
        letter = cell.column_letter
        sheet.column_dimensions[letter].width = _COLUMN_WIDTHS[name]
    # Text format on the phone column stops Excel from eating the leading zero.
    phone_col = fields.index("phone") + 1
    sheet.column_dimensions[sheet.cell(row=1, column=phone_col).column_letter].number_format = "@"
    for number in range(2, len(rows) + 2):
        sheet.cell(row=number, column=phone_col).number_format = "@"
    sheet.freeze_panes = "A2"
    _add_validations(sheet, fields)
    return workbook


def _add_validations(sheet: Any, fields: tuple[str, ...]) -> None:
    def column(name: str) -> str:
        letter: str = sheet.cell(row=1, column=fields.index(name) + 1).column_letter
        return f"{letter}2:{letter}{_VALIDATION_ROWS + 1}"

    def drop_down(field: str, labels: list[str], style: str, choices: str) -> None:
        rule = DataValidation(
            type="list",
            formula1='"' + ",".join(labels) + '"',
            allow_blank=True,
            showErrorMessage=True,
            errorStyle=style,
        )
        rule.promptTitle = rule.errorTitle = header(field)
        rule.prompt = t(f"roster.template.{field}_prompt")
        rule.error = t(f"roster.template.{field}_error", choices=choices)
        rule.showInputMessage = True
        rule.add(column(field))
        sheet.add_data_validation(rule)

    drop_down("kind", [kind_label(k) for k in UnitKind], "stop", kind_choices())
    # Several roles fit in one cell ('trưởng thôn, dân quân'), which a strict list would
    # refuse: the drop-down offers single roles and the 'information' style lets others pass.
    drop_down("roles", [role_label(r) for r in Role], "information", role_choices())


def write_sheet(path: Path, rows: Sequence[Sequence[str]], *, with_commune: bool = False) -> None:
    """Write rows under the standard headers (with a first commune column if asked): XLSX
    (with drop-downs) or CSV by extension.

    CSV is written with a BOM so Excel opens the diacritics correctly.
    """
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise RosterFileError("roster.error.format", name=path.name)
    path.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".csv":
        with path.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(headers(with_commune))
            writer.writerows(rows)
        return
    _workbook(rows, with_commune).save(path)


def write_template(path: Path) -> None:
    """An empty XLSX roster: headers, frozen header row, widths and drop-down lists."""
    if path.suffix.lower() != ".xlsx":
        raise RosterFileError("roster.error.format", name=path.name)
    write_sheet(path, [])
