"""Everything `/summary` and `tinbao report` produce for one directive and period, in one go."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine
from sqlmodel import Session

from bot.core.periods import Period, period_name
from bot.settings import Settings
from reports.meta import commune_report_meta, report_commune
from reports.scope import directive_period
from storage.models import Directive

if TYPE_CHECKING:
    from reports.aggregate import Aggregate


@dataclass(frozen=True)
class ReportBundle:
    aggregate: Aggregate
    period: Period
    summary: str
    docx: Path
    xlsx: Path
    chart: Path


def safe_name(text: str) -> str:
    """'1949/UBND-NC' → '1949-UBND-NC': ASCII letters, digits, '.', '_', '-' only."""
    text = text.replace("đ", "d").replace("Đ", "D")
    plain = "".join(
        ch for ch in unicodedata.normalize("NFKD", text) if unicodedata.category(ch) != "Mn"
    )
    return re.sub(r"[^A-Za-z0-9._-]+", "-", plain).strip("-.") or "x"


def report_stem(directive_number: str, period_key: str) -> str:
    """'1949/UBND-NC', 'once' → '1949-UBND-NC_ca-dot'; '2025-W37' → '…_tuan-37-2025':
    the period in the file name is the one people read, not the database key."""
    return f"{safe_name(directive_number)}_{safe_name(period_name(period_key))}"


def build_bundle(
    engine: Engine,
    settings: Settings,
    directive_id: int,
    period_key: str,
    now: datetime,
    out_dir: Path | None = None,
) -> ReportBundle:
    """Aggregate once, then write the DOCX, the XLSX and the chart from that one result."""
    # Imported here: pandas, matplotlib and openpyxl cost seconds at start-up, and a bot
    # restarting after a crash should answer again before anyone asks for a report.
    from reports.aggregate import aggregate
    from reports.chart import render_chart
    from reports.docx_report import render_report
    from reports.summary import summary_text
    from reports.xlsx_annex import write_annex

    with Session(engine) as session:
        directive = session.get(Directive, directive_id)
        commune = report_commune(session, directive) if directive else None
    if directive is None or commune is None:
        raise LookupError("directive or commune missing")
    period = directive_period(directive, period_key)
    agg = aggregate(engine, directive_id, period_key, tz=settings.tz, now=now)
    stem = report_stem(directive.number, period_key)
    folder = out_dir or settings.reports_dir / now.astimezone(settings.tz).strftime("%Y%m%d-%H%M%S")
    folder.mkdir(parents=True, exist_ok=True)
    meta = commune_report_meta(
        commune, directive, settings, report_date=now.astimezone(settings.tz).date()
    )
    docx = render_report(agg, meta, folder / f"bao-cao_{stem}.docx")
    xlsx = write_annex(agg, meta, folder / f"phu-luc_{stem}.xlsx")
    chart = render_chart(agg, folder / f"bieu-do_{stem}.png")
    return ReportBundle(agg, period, summary_text(agg, directive, period), docx, xlsx, chart)
