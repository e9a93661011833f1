"""Safe, tidy spreadsheet writing (openpyxl): sheet names, cell values, header, widths.

Shared by the XLSX annex and the raw export so both follow the same rules: what people
typed is never run as a formula, control characters are dropped (openpyxl refuses them),
dates are real date cells in dd/mm/yyyy, and the header row is bold and frozen.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties

DATE_FORMAT = "dd/mm/yyyy"
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"
PERCENT_FORMAT = "0.0%"
MAX_SHEET_NAME = 31
_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_MIN_WIDTH, _MAX_WIDTH, _WRAP_AT = 6, 60, 60


def sheet_name(wanted: str, taken: set[str]) -> str:
    """A legal, unique sheet name (≤ 31 chars, none of []:*?/\\, unique ignoring case).

    ``taken`` holds the case-folded names already used and is updated.
    """
    base = _FORBIDDEN.sub("-", ILLEGAL_CHARACTERS_RE.sub("", wanted)).strip().strip("'")
    base = base or "Sheet"
    name = base[:MAX_SHEET_NAME].rstrip()
    n = 2
    while name.casefold() in taken:
        suffix = f" ({n})"
        name = base[: MAX_SHEET_NAME - len(suffix)].rstrip() + suffix
        n += 1
    taken.add(name.casefold())
    return name


class Percent(float):
    """A share (0.7 = 70 %) that is written with a percent number format."""


def clean(value: Any) -> Any:
    """A cell-safe value: strings lose characters Excel cannot store."""
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def write_table(
    ws: Any,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    start_row: int = 1,
    freeze: bool = True,
) -> int:
    """Write a bold header and ``rows`` from ``start_row``; return the next free row.

    Number formats follow the value's type: dates and datetimes get dd/mm/yyyy (hh:mm),
    :class:`Percent` values a percentage.
    """
    bold = Font(bold=True)
    widths = [len(h) for h in headers]
    for col, header in enumerate(headers, 1):
        cell = ws.cell(row=start_row, column=col, value=header)
        cell.font = bold
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    row_no = start_row
    for row_no, row in enumerate(rows, start_row + 1):
        for col, raw in enumerate(row, 1):
            value = clean(raw)
            cell = ws.cell(row=row_no, column=col, value=value)
            if isinstance(value, str):
                # openpyxl would store "=…" as a formula: typed text must stay text.
                cell.data_type = "s"
                if len(value) > _WRAP_AT:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
                text_len = max(len(line) for line in value.splitlines() or [""])
            elif isinstance(value, Percent):
                cell.number_format = PERCENT_FORMAT
                text_len = 6
            elif isinstance(value, datetime):
                cell.number_format = DATETIME_FORMAT
                text_len = 16
            elif isinstance(value, date):
                cell.number_format = DATE_FORMAT
                text_len = 10
            else:
                text_len = len(str(value)) if value is not None else 0
            if col - 1 < len(widths):
                widths[col - 1] = max(widths[col - 1], text_len)
    for col, width in enumerate(widths, 1):
        letter = get_column_letter(col)
        current = ws.column_dimensions[letter].width or 0
        wanted = min(max(width + 2, _MIN_WIDTH), _MAX_WIDTH)
        ws.column_dimensions[letter].width = max(current, wanted)
    if freeze and start_row == 1:
        ws.freeze_panes = "A2"
    return row_no + 1


def print_setup(ws: Any, *, title_rows: str | None = "1:1") -> None:
    """A4 landscape, one page wide (as many tall as it takes), ``title_rows`` repeated on
    every page and the page number at the top centre (an annex numbers its own pages)."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.75
    ws.page_margins.header = ws.page_margins.footer = 0.3  # the page number clears row 1
    if title_rows:
        ws.print_title_rows = title_rows
    ws.oddHeader.center.text = "&P"
