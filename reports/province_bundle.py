"""The province's files for one province directive and period: consolidated DOCX + annex."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from bot.settings import Settings
from reports.bundle import report_stem
from reports.province import ProvinceAggregate, province_aggregate
from reports.province_docx import province_meta, render_province_report
from reports.province_xlsx import write_province_annex
from storage.models import Commune, Directive


@dataclass(frozen=True)
class ProvinceFiles:
    rollup: ProvinceAggregate
    docx: Path
    xlsx: Path


def build_province_files(
    engine: Engine,
    settings: Settings,
    directive_id: int,
    period_key: str,
    now: datetime,
    out_dir: Path | None = None,
) -> ProvinceFiles:
    with Session(engine, expire_on_commit=False) as session:
        province = session.get(Directive, directive_id)
        any_commune = session.exec(select(Commune).order_by(col(Commune.id))).first()
    if province is None or province.commune_id is not None or any_commune is None:
        raise LookupError(f"no province directive {directive_id}")
    rollup = province_aggregate(engine, directive_id, period_key, tz=settings.tz, now=now)
    meta = province_meta(
        province, any_commune, settings, report_date=now.astimezone(settings.tz).date()
    )
    stem = report_stem(province.number, period_key)
    folder = out_dir or settings.reports_dir / now.astimezone(settings.tz).strftime(
        "tinh-%Y%m%d-%H%M%S"
    )
    docx = render_province_report(rollup, meta, folder / f"bao-cao-tong-hop_{stem}.docx")
    xlsx = write_province_annex(rollup, meta, folder / f"phu-luc-tong-hop_{stem}.xlsx")
    return ProvinceFiles(rollup, docx, xlsx)
