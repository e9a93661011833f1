"""``tinbao db …``: database migrations."""

from __future__ import annotations

import shutil

import typer
from sqlmodel import Session, func, select

from bot.cli.base import app, cli_context, console, err_console
from bot.messages import t
from storage.db import describe_url
from storage.migrate import current_revision, reset, upgrade
from storage.models import Commune, Member

db_app = typer.Typer(help="Cơ sở dữ liệu / database migrations.", no_args_is_help=True)
app.add_typer(db_app, name="db")


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Cập nhật cấu trúc cơ sở dữ liệu (cũng tự chạy mỗi lần khởi động).

    Apply all pending migrations (also done automatically on start)."""
    with cli_context(migrate=False) as ctx:
        upgrade(ctx.engine)
        console.print(t("cli.db.upgraded", revision=current_revision(ctx.engine)))


@db_app.command("reset")
def db_reset(
    yes: bool = typer.Option(False, "--yes", help="Xác nhận xoá hết / confirm: delete everything"),
) -> None:
    """Xoá TOÀN BỘ dữ liệu (xã, danh sách, báo cáo, tệp đính kèm) để bắt đầu lại.

    Delete ALL data (communes, roster, reports, attachments) and start from empty.

    For the sample data or a trial run; without --yes it only says what would be deleted.
    """
    with cli_context() as ctx:
        settings = ctx.settings
        with Session(ctx.engine) as session:
            communes = session.exec(select(func.count()).select_from(Commune)).one()
            members = session.exec(select(func.count()).select_from(Member)).one()
        where = describe_url(settings.effective_database_url)
        if not yes:
            err_console.print(
                t("cli.db.reset_confirm", database=where, communes=communes, members=members),
                soft_wrap=True,
            )
            raise typer.Exit(code=1)
        reset(ctx.engine)
        for folder in (settings.attachments_dir, settings.reports_dir):
            shutil.rmtree(folder, ignore_errors=True)
        console.print(t("cli.db.reset_done", database=where), soft_wrap=True)
