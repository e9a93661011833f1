"""The dashboard's report downloads: the DOCX report and the XLSX annex of a directive.

Built by :mod:`reports` from the same aggregation as /summary. Every download is written to
the audit log (who, which directive and period) once the file is made: a report leaves the
building with names and phone numbers in it.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from sqlalchemy import Engine
from sqlmodel import Session

from bot.settings import Settings
from reports.bundle import report_stem
from reports.scope import directive_period
from storage.db import transaction
from storage.models import AuditLog, Commune, Directive
from storage.scope import Reach

if TYPE_CHECKING:
    from reports.aggregate import Aggregate

MEDIA_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@dataclass(frozen=True)
class Download:
    filename: str
    media_type: str
    content: bytes

    @property
    def disposition(self) -> str:
        return f"attachment; filename=\"{self.filename}\"; filename*=UTF-8''{quote(self.filename)}"


class NotFound(Exception):
    """No such directive, or a period key that does not belong to it."""


def _filename(directive: Directive, period_key: str, kind: str) -> str:
    prefix = "phu-luc" if kind == "xlsx" else "bao-cao"
    return f"{prefix}_{report_stem(directive.number, period_key)}.{kind}"


def _read(
    db: Engine,
    settings: Settings,
    directive_id: int,
    period_key: str,
    now: datetime,
    reach: Reach,
) -> tuple[Directive, Commune, Aggregate]:
    """Everything the files need, read in one short session (rendering needs no database).

    Another commune's directive is as unknown as a made-up id.
    """
    from reports.aggregate import aggregate  # pandas loads on the first download, not at start

    with Session(db, expire_on_commit=False) as session:
        directive = session.get(Directive, directive_id)
        if (
            directive is None
            or directive.commune_id is None
            or not reach.covers(directive.commune_id)
        ):
            raise NotFound(str(directive_id))
        try:
            directive_period(directive, period_key)
        except ValueError as exc:
            raise NotFound(period_key) from exc
        from reports.meta import report_commune

        commune = report_commune(session, directive)
        if commune is None:
            raise NotFound("no commune")
        agg = aggregate(session, directive_id, period_key, tz=settings.tz, now=now)
        return directive, commune, agg


def build_download(
    settings: Settings,
    db: Engine,
    directive_id: int,
    period_key: str,
    kind: str,
    *,
    now: datetime,
    actor: str,
    member_id: int | None,
    reach: Reach,
) -> Download:
    """Render the file, then record who took it. Raises :class:`NotFound` for a bad choice."""
    assert kind in MEDIA_TYPES
    from reports.docx_report import render_report
    from reports.meta import commune_report_meta
    from reports.xlsx_annex import write_annex

    directive, commune, agg = _read(db, settings, directive_id, period_key, now, reach)
    today = now.astimezone(settings.tz).date()
    meta = commune_report_meta(commune, directive, settings, report_date=today)
    with tempfile.TemporaryDirectory(prefix="tinbao-web-") as folder:
        out = Path(folder) / f"report.{kind}"
        if kind == "xlsx":
            write_annex(agg, meta, out)
        else:
            render_report(agg, meta, out)
        content = out.read_bytes()
    details = {"directive_id": directive_id, "period": period_key}
    record_download(
        db, member_id, actor, kind, directive.number, details, now, directive.commune_id
    )
    return Download(_filename(directive, period_key, kind), MEDIA_TYPES[kind], content)


def record_download(
    db: Engine,
    member_id: int | None,
    actor: str,
    kind: str,
    target: str,
    details: dict[str, object],
    at: datetime,
    commune_id: int | None,
) -> None:
    """Who took which report file, when: one audit row per download (``report.<kind>``)."""
    with transaction(db) as session:
        session.add(
            AuditLog(
                member_id=member_id,
                commune_id=commune_id,
                actor=actor,
                action=f"report.{kind}",
                target=target,
                details=details,
                at=at,
            )
        )
