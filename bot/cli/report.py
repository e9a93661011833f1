"""``tinbao report`` (the commune's DOCX report + XLSX annex) and ``tinbao export`` (raw rows).

Both read in their own connection, write the files, then record the export in the audit
log in a short transaction (SQLite's write lock is not held while files are written).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import typer
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn
from sqlalchemy import Engine

from bot.cli.base import app, cli_context, console, err_console
from bot.cli.communes import commune_option, pick_commune
from bot.core.periods import period_name
from bot.messages import t
from bot.settings import Settings
from reports.bundle import report_stem
from reports.scope import PeriodError, resolve_period
from storage.db import transaction
from storage.directives import find_directive
from storage.models import AuditLog, Commune, Directive
from storage.outbox import enqueue
from storage.types import utcnow

if TYPE_CHECKING:
    from reports.aggregate import Aggregate

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


def _load(engine: Engine, number: str, commune_query: str | None) -> tuple[Directive, Commune]:
    """The commune (``--commune``, or the only one) and its directive ``number``."""
    with transaction(engine) as session:
        commune = pick_commune(session, commune_query)
        directive = find_directive(session, commune.id, number)
    if directive is None:
        err_console.print(t("cli.report.no_directive", number=number, commune=commune.name))
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


def _audit(engine: Engine, action: str, directive: Directive, period: str, path: Path) -> None:
    with transaction(engine) as session:
        session.add(
            AuditLog(
                actor="cli",
                commune_id=directive.commune_id,
                action=action,
                target=directive.number,
                details={"period": period, "path": str(path)},
            )
        )


def _send(
    engine: Engine,
    settings: Settings,
    directive: Directive,
    key: str,
    agg: Aggregate,
    now: datetime,
    docx: Path,
    xlsx: Path,
) -> None:
    from handlers.province import record_answer

    if directive.parent_id is None:
        err_console.print(t("cli.report.not_a_copy", number=directive.number))
        raise typer.Exit(code=1)
    with transaction(engine) as session:
        answer = record_answer(
            session, directive, key, agg, settings=settings, now=now, sent_by="cli", member_id=None
        )
        answer.report.docx_path, answer.report.xlsx_path = str(docx), str(xlsx)
        session.add(answer.report)
        for _member, outgoing in answer.news:
            enqueue(session, outgoing)
    done = t("cli.report.sent", version=answer.report.version)
    if answer.late:
        done += " " + t("province.send.late")
    told = ", ".join(answer.told) if answer.told else t("cli.report.told_nobody")
    console.print(done + " " + t("cli.report.told", names=told), soft_wrap=True)


@app.command("province-report")
def province_report(
    directive_number: str = typer.Option(..., "--directive", help="Số văn bản của tỉnh"),
    period: str | None = typer.Option(None, "--period", help=PERIOD_HELP),
    out: Path = typer.Option(..., "--out", help="Thư mục ghi báo cáo"),
) -> None:
    """Báo cáo tổng hợp của tỉnh (DOCX) và phụ lục theo từng xã (XLSX).

    The province's consolidated report (DOCX) and its annex (XLSX, one row per commune)
    from the communes' answers to a province directive."""
    from reports.province_bundle import build_province_files

    with cli_context() as ctx:
        tz, now = ctx.settings.tz, utcnow()
        with transaction(ctx.engine) as session:
            province = find_directive(session, None, directive_number)
        if province is None or province.id is None:
            err_console.print(t("cli.report.no_province_directive", number=directive_number))
            raise typer.Exit(code=1)
        key = _period_key(province, period, now, tz)
        files = build_province_files(ctx.engine, ctx.settings, province.id, key, now, out)
        _audit(ctx.engine, "province.report.docx", province, key, files.docx)
        _audit(ctx.engine, "province.report.xlsx", province, key, files.xlsx)
    c = files.rollup.communes
    console.print(
        t(
            "cli.report.province_done",
            number=province.number,
            submitted=c.submitted,
            expected=c.expected,
            docx=files.docx,
            xlsx=files.xlsx,
        ),
        soft_wrap=True,
    )


@app.command("report")
def report(
    directive_number: str = typer.Option(..., "--directive", help="Số văn bản, e.g. 1949/UBND-NC"),
    period: str | None = typer.Option(None, "--period", help=PERIOD_HELP),
    out: Path = typer.Option(..., "--out", help="Thư mục ghi báo cáo"),
    title: str | None = typer.Option(None, "--title", help="Trích yếu (mặc định theo văn bản)"),
    commune: str | None = commune_option(),
    completeness: bool | None = typer.Option(
        None,
        "--completeness/--no-completeness",
        help="Thân báo cáo có ghi số đơn vị đã/chưa gửi không (mặc định: theo văn bản; "
        "phụ lục luôn ghi)",
    ),
    send: bool = typer.Option(
        False,
        "--send",
        help="Gửi báo cáo này lên tỉnh (chỉ đạo của tỉnh giao cho xã): tỉnh nhận số liệu vừa lập",
    ),
) -> None:
    """Lập báo cáo của xã (DOCX) và phụ lục (XLSX) cho một văn bản, một kỳ.

    Write the commune's DOCX report and its XLSX annex for one directive period.

    With --send the commune's answer to the province directive is recorded (a new version if
    it was sent before) and the province's members are told."""
    # Heavy libraries (pandas, openpyxl) load only for the commands that need them.
    from reports.aggregate import aggregate
    from reports.docx_report import render_report
    from reports.meta import commune_report_meta
    from reports.xlsx_annex import write_annex

    with cli_context() as ctx:
        tz, now = ctx.settings.tz, utcnow()
        directive, place = _load(ctx.engine, directive_number, commune)
        key = _period_key(directive, period, now, tz)
        stem = report_stem(directive.number, key)
        docx_path, xlsx_path = out / f"bao-cao_{stem}.docx", out / f"phu-luc_{stem}.xlsx"
        assert directive.id is not None
        with _steps() as progress:
            task = progress.add_task(t("cli.report.step.aggregate"), total=3)
            agg = aggregate(ctx.engine, directive.id, key, tz=tz, now=now)
            progress.update(task, advance=1, description=t("cli.report.step.docx"))
            meta = commune_report_meta(
                place,
                directive,
                ctx.settings,
                report_date=now.astimezone(tz).date(),
                title=title,
                completeness=completeness,
            )
            render_report(agg, meta, docx_path)
            progress.update(task, advance=1, description=t("cli.report.step.xlsx"))
            write_annex(agg, meta, xlsx_path)
            progress.update(task, advance=1)
        _audit(ctx.engine, "report.docx", directive, key, docx_path)
        _audit(ctx.engine, "report.xlsx", directive, key, xlsx_path)
        if send:
            _send(ctx.engine, ctx.settings, directive, key, agg, now, docx_path, xlsx_path)
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
    commune: str | None = commune_option(),
) -> None:
    """Xuất các báo cáo đã gửi trong kỳ, mỗi báo cáo một dòng (CSV hoặc XLSX).

    Export the period's filed reports, one row each, every answer and figure as columns."""
    from reports.export import export_frame, write_export

    if out.suffix.lower() not in {".csv", ".xlsx"}:
        err_console.print(t("cli.export.bad_suffix", path=out))
        raise typer.Exit(code=2)
    with cli_context() as ctx:
        tz, now = ctx.settings.tz, utcnow()
        directive, _ = _load(ctx.engine, directive_number, commune)
        key = _period_key(directive, period, now, tz)
        with _steps() as progress:
            task = progress.add_task(t("cli.report.step.read"), total=2)
            with ctx.engine.connect() as conn:
                frame = export_frame(conn, directive, key, tz)
            progress.update(task, advance=1, description=t("cli.report.step.write"))
            write_export(frame, out)
            progress.update(task, advance=1)
        _audit(ctx.engine, "export", directive, key, out)
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
