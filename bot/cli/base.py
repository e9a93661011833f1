"""The root Typer app and helpers every command module shares."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import typer
from rich.console import Console

from bot.context import AppContext, open_context
from bot.settings import SettingsError, load_settings

app = typer.Typer(
    name="tinbao",
    help="Tin Báo — chatbot báo cáo cho xã (Telegram, Zalo, web). Field-reporting bot for communes.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)
console = Console(highlight=False)
err_console = Console(stderr=True, highlight=False)


@contextmanager
def cli_context(*, migrate: bool = True) -> Iterator[AppContext]:
    """Open settings + database for one command; a bad setting ends it with one line."""
    try:
        settings = load_settings()
    except SettingsError as exc:
        err_console.print(str(exc))
        raise typer.Exit(code=2) from exc
    ctx = open_context(settings, migrate=migrate)
    try:
        yield ctx
    finally:
        ctx.close()
