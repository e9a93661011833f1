"""``tinbao roster import|template|export``: the commune roster as a spreadsheet."""

from __future__ import annotations

from pathlib import Path
from typing import NoReturn

import typer
from sqlmodel import Session

from bot.cli.base import app, cli_context, console
from bot.cli.communes import commune_option, pick_commune
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
from storage.scope import Reach

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
    commune: str | None = commune_option(),
) -> None:
    """Nhập (hoặc nhập lại) danh sách cán bộ: kiểm tra mọi dòng trước, có dòng sai thì không nhập gì.

    Import (or re-import) the roster: all rows are checked first; any error imports nothing.

    Rows go to the commune in their own "Xã/phường" column if the file has one, else to
    --commune; "cấp tỉnh" units (Công an tỉnh, UBND tỉnh) belong to no commune.
    """
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
                commune_id = pick_commune(session, commune).id if commune else None
                result = import_rows(session, rows, advance, commune_id=commune_id)
        except NoCommuneError as exc:
            warn(str(exc))
            raise typer.Exit(code=1) from exc
        except RosterError as exc:
            _refuse(exc)
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
    """Tạo tệp danh sách trống (XLSX) có sẵn tiêu đề và danh sách chọn.

    Write an empty roster spreadsheet with the headers and drop-down lists."""
    try:
        write_template(file)
    except RosterFileError as exc:
        warn(str(exc))
        raise typer.Exit(code=1) from exc
    say(t("cli.roster.template_written", path=file))


@roster_app.command("export")
def roster_export(
    file: Path = typer.Argument(..., help="Tệp .xlsx hoặc .csv sẽ ghi"),
    commune: str | None = commune_option(),
    all_communes: bool = typer.Option(
        False, "--all", help="Cả tỉnh, thêm cột Xã/phường / every commune"
    ),
) -> None:
    """Xuất danh sách cán bộ (cùng cột với tệp mẫu, nhập lại được).

    Write the roster (same columns as the template); the export is audited."""
    with cli_context() as ctx:
        try:
            with transaction(ctx.engine) as session:
                reach = (
                    Reach.everywhere()
                    if all_communes
                    else Reach.of(pick_commune(session, commune).id or 0)
                )
                count = export_roster(session, file, reach, actor="cli")
        except RosterError as exc:
            _refuse(exc)
    say(t("cli.roster.exported", count=count, path=file))


@roster_app.command("status")
def roster_status(
    commune: str | None = commune_option(),
    all_communes: bool = typer.Option(False, "--all", help="Mọi xã có trong danh sách"),
) -> None:
    """Ai nhận được tin báo khẩn: từng người của Công an xã, Ban CHQS xã, Văn phòng và lãnh
    đạo xã, liên kết kênh nào (Telegram, Zalo, trang web), có liên lạc được không. In cảnh báo
    và thoát với mã 1 khi một đơn vị hay một cấp nhận cảnh báo không có ai liên lạc được."""
    with cli_context() as ctx, Session(ctx.engine) as session:
        ids = roster_communes(session) if all_communes else [pick_commune(session, commune).id or 0]
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
