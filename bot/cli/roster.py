"""``tinbao roster import|template|export``: the commune roster as a spreadsheet."""

from __future__ import annotations

from pathlib import Path
from typing import NoReturn

import typer
from sqlmodel import Session, select

from bot.cli.base import app, cli_context, console
from bot.cli.ui import progress, say, table, warn
from bot.messages import t
from handlers.alert_levels import load_roster, reach, roster_communes
from storage.db import transaction
from storage.models import Commune
from storage.roster import (
    NoCommuneError,
    RosterError,
    export_roster,
    import_rows,
    read_roster,
)
from storage.roster_io import RosterFileError, write_template

roster_app = typer.Typer(
    help="Danh sách cán bộ của xã (XLSX/CSV) / the commune roster.", no_args_is_help=True
)
app.add_typer(roster_app, name="roster")


def _refuse(exc: RosterError) -> NoReturn:
    for problem in exc.problems:
        warn(problem.message)
    if exc.bad_rows:
        warn(t("cli.roster.rejected", count=len(exc.bad_rows)))
    raise typer.Exit(code=1) from exc


@roster_app.command("import")
def roster_import(
    file: Path = typer.Argument(..., help="Tệp .xlsx hoặc .csv có các cột của mẫu danh sách"),
) -> None:
    """Import (or re-import) the roster: all rows are checked first; any error imports nothing."""
    try:
        rows = read_roster(file)
    except RosterError as exc:
        _refuse(exc)
    with cli_context() as ctx:
        try:
            with (
                transaction(ctx.engine) as session,
                progress(t("cli.roster.progress"), len(rows)) as advance,
            ):
                result = import_rows(session, rows, advance)
        except NoCommuneError as exc:
            warn(str(exc))
            raise typer.Exit(code=1) from exc
    say(
        t(
            "cli.roster.imported",
            created=result.created,
            updated=result.updated,
            unchanged=result.unchanged,
            units_created=result.units_created,
        )
    )


@roster_app.command("template")
def roster_template(
    file: Path = typer.Argument(..., help="Tệp .xlsx sẽ tạo"),
) -> None:
    """Write an empty roster spreadsheet with the headers and drop-down lists."""
    try:
        write_template(file)
    except RosterFileError as exc:
        warn(str(exc))
        raise typer.Exit(code=1) from exc
    say(t("cli.roster.template_written", path=file))


@roster_app.command("export")
def roster_export(
    file: Path = typer.Argument(..., help="Tệp .xlsx hoặc .csv sẽ ghi"),
) -> None:
    """Write the current roster (same columns as the template); the export is audited."""
    with cli_context() as ctx:
        try:
            with transaction(ctx.engine) as session:
                count = export_roster(session, file, actor="cli")
        except RosterError as exc:
            _refuse(exc)
    say(t("cli.roster.exported", count=count, path=file))


@roster_app.command("status")
def roster_status(
    commune: int | None = typer.Option(
        None, "--commune", help="Mã xã (ví dụ 21154); mặc định: mọi xã có trong danh sách."
    ),
) -> None:
    """Ai nhận được tin báo khẩn: từng người của Công an xã, Ban CHQS xã, Văn phòng và lãnh
    đạo xã, liên kết kênh nào (Telegram, Zalo, trang web), có liên lạc được không. In cảnh báo
    và thoát với mã 1 khi một đơn vị hay một cấp nhận cảnh báo không có ai liên lạc được."""
    with cli_context() as ctx, Session(ctx.engine) as session:
        if commune is None:
            ids = roster_communes(session)
        else:
            wanted = session.exec(select(Commune.id).where(Commune.code == commune)).first()
            if wanted is None:
                warn(t("cli.roster.unknown_commune", code=commune))
                raise typer.Exit(code=2)
            ids = [wanted]
        warnings: list[str] = [] if ids else [t("cli.roster.no_units")]
        for commune_id in ids:
            found_commune = session.get(Commune, commune_id)
            seen = reach(load_roster(session, commune_id))
            name = found_commune.name if found_commune else str(commune_id)
            say(t("cli.roster.status_title", commune=name))
            headers = [t(f"cli.roster.col.{c}") for c in _STATUS_COLUMNS]
            for unit in seen.units:
                rows = [
                    [p.member.full_name, p.title, p.member.phone, p.channels_label, p.state_label]
                    for p in unit.people
                ]
                console.print(table(unit.unit.name, headers, rows, no_wrap=(2,)))
            warnings += seen.warnings
    for line in warnings:
        warn(line)
    if warnings:
        raise typer.Exit(code=1)
    say(t("cli.roster.all_reachable"))


_STATUS_COLUMNS = ("name", "title", "phone", "channels", "state")
