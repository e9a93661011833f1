"""``tinbao report`` (the commune's DOCX report + XLSX annex) and ``tinbao export`` (raw rows).

Both read in their own connection, write the files, then record the export in the audit
log in a short transaction (SQLite's write lock is not held while files are written).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import typer
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn
from sqlalchemy import Engine
from sqlmodel import col, select

from bot.cli.base import app, cli_context, console, err_console
from bot.core.periods import period_name
from bot.messages import t
from reports.bundle import report_stem
from reports.scope import PeriodError, resolve_period
from storage.db import transaction
from storage.models import AuditLog, Commune, Directive
from storage.types import utcnow

PERIOD_HELP = (
    "Kỳ báo cáo (bỏ trống: kỳ hiện tại): once (cả đợt) cho văn bản một lần; "
    "2025-09-10 (ngày), 2025-W37 (tuần), 2025-09 (tháng) cho văn bản lặp lại; "
    "hoặc một ngày dd/mm/yyyy nằm trong kỳ đó."
)


@contextmanager
def _steps() -> Iterator[Progress]:
    progress = Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        console=err_console,
        transient=True,
    )
    with progress:
        yield progress


def _load(engine: Engine, number: str) -> tuple[Directive, Commune | None]:
    with transaction(engine) as session:
        directive = session.exec(select(Directive).where(col(Directive.number) == number)).first()
        commune = session.exec(select(Commune).order_by(col(Commune.id))).first()
    if directive is None:
        err_console.print(t("cli.report.no_directive", number=number))
        raise typer.Exit(code=1)
    return directive, commune


def _period_key(directive: Directive, period: str | None, now: datetime, tz: ZoneInfo) -> str:
    """The asked period (a key, «cả đợt» or a day in it), or the one running now; anything
    else ends here with the forms this directive takes."""
    try:
        return resolve_period(directive, period, now.astimezone(tz).date())
    except PeriodError as exc:
        err_console.print(str(exc), markup=False, soft_wrap=True)
        raise typer.Exit(code=2) from exc


def _audit(engine: Engine, action: str, number: str, period: str, path: Path) -> None:
    with transaction(engine) as session:
        session.add(
            AuditLog(
                actor="cli",
                action=action,
                target=number,
                details={"period": period, "path": str(path)},
            )
        )


@app.command("report")
def report(
    directive_number: str = typer.Option(..., "--directive", help="Số văn bản, e.g. 1949/UBND-NC"),
    period: str | None = typer.Option(None, "--period", help=PERIOD_HELP),
    out: Path = typer.Option(..., "--out", help="Thư mục ghi báo cáo"),
    title: str | None = typer.Option(None, "--title", help="Trích yếu (mặc định theo văn bản)"),
) -> None:
    """Write the commune's DOCX report and its XLSX annex for one directive period."""
    # Heavy libraries (pandas, openpyxl) load only for the commands that need them.
    from reports.aggregate import aggregate
    from reports.docx_report import render_report
    from reports.xlsx_annex import write_annex

    with cli_context() as ctx:
        tz, now = ctx.settings.tz, utcnow()
        directive, commune = _load(ctx.engine, directive_number)
        if commune is None:
            err_console.print(t("cli.db.no_commune"))
            raise typer.Exit(code=1)
        key = _period_key(directive, period, now, tz)
        stem = report_stem(directive.number, key)
        docx_path, xlsx_path = out / f"bao-cao_{stem}.docx", out / f"phu-luc_{stem}.xlsx"
        assert directive.id is not None
        with _steps() as progress:
            task = progress.add_task(t("cli.report.step.aggregate"), total=3)
            agg = aggregate(ctx.engine, directive.id, key, tz=tz, now=now)
            progress.update(task, advance=1, description=t("cli.report.step.docx"))
            render_report(
                agg,
                commune,
                directive,
                ctx.settings,
                docx_path,
                report_date=now.astimezone(tz).date(),
                title=title,
            )
            progress.update(task, advance=1, description=t("cli.report.step.xlsx"))
            write_annex(agg, xlsx_path)
            progress.update(task, advance=1)
        _audit(ctx.engine, "report.docx", directive.number, key, docx_path)
        _audit(ctx.engine, "report.xlsx", directive.number, key, xlsx_path)
    console.print(
        t(
            "cli.report.done",
            number=directive.number,
            period=period_name(key),
            docx=docx_path,
            xlsx=xlsx_path,
        ),
        soft_wrap=True,
    )


@app.command("export")
def export(
    directive_number: str = typer.Option(..., "--directive", help="Số văn bản, e.g. 1949/UBND-NC"),
    period: str | None = typer.Option(None, "--period", help=PERIOD_HELP),
    out: Path = typer.Option(..., "--out", help="Tệp .csv hoặc .xlsx"),
) -> None:
    """Export the period's filed reports, one row each, every answer and figure as columns."""
    from reports.export import export_frame, write_export

    if out.suffix.lower() not in {".csv", ".xlsx"}:
        err_console.print(t("cli.export.bad_suffix", path=out))
        raise typer.Exit(code=2)
    with cli_context() as ctx:
        tz, now = ctx.settings.tz, utcnow()
        directive, _ = _load(ctx.engine, directive_number)
        key = _period_key(directive, period, now, tz)
        with _steps() as progress:
            task = progress.add_task(t("cli.report.step.read"), total=2)
            with ctx.engine.connect() as conn:
                frame = export_frame(conn, directive, key, tz)
            progress.update(task, advance=1, description=t("cli.report.step.write"))
            write_export(frame, out)
            progress.update(task, advance=1)
        _audit(ctx.engine, "export", directive.number, key, out)
    console.print(
        t(
            "cli.export.done",
            rows=len(frame),
            number=directive.number,
            period=period_name(key),
            path=out,
        ),
        soft_wrap=True,
    )
