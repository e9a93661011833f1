"""``tinbao db …``: database migrations."""

from __future__ import annotations

import typer

from bot.cli.base import app, cli_context, console
from bot.messages import t
from storage.migrate import current_revision, upgrade

db_app = typer.Typer(help="Cơ sở dữ liệu / database migrations.", no_args_is_help=True)
app.add_typer(db_app, name="db")


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply all pending migrations (also done automatically on start)."""
    with cli_context(migrate=False) as ctx:
        upgrade(ctx.engine)
        console.print(t("cli.db.upgraded", revision=current_revision(ctx.engine)))
