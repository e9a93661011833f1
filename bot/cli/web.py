"""``tinbao web add-user``: an office login for the dashboard (needed off 127.0.0.1)."""

from __future__ import annotations

import typer

from bot.channels.web.accounts import AccountError, save_account
from bot.cli.base import app, cli_context
from bot.cli.ui import say, warn
from bot.messages import t
from storage.db import transaction

web_app = typer.Typer(
    help="Tài khoản trang điều hành web. Web dashboard accounts.", no_args_is_help=True
)
app.add_typer(web_app, name="web")


@web_app.command("add-user")
def add_user(
    phone: str = typer.Option(..., "--phone", help="Số điện thoại của người trong danh sách"),
    username: str = typer.Option(..., "--username", help="Tên đăng nhập (chữ thường, số, . _ -)"),
) -> None:
    """Tạo tài khoản đăng nhập trang điều hành cho văn phòng, lãnh đạo hoặc quản trị.

    Create a dashboard login for an office clerk, leader or admin (or reset its password).

    The password is asked twice and never shown nor stored in clear.
    """
    password: str = typer.prompt(
        t("cli.web.password", username=username), hide_input=True, confirmation_prompt=True
    )
    with cli_context() as ctx:
        try:
            with transaction(ctx.engine) as session:
                member, outcome = save_account(session, phone, username, password)
        except AccountError as exc:
            warn(str(exc))
            raise typer.Exit(code=1) from exc
    key = "cli.web.created" if outcome == "created" else "cli.web.updated"
    say(t(key, username=username.strip().lower(), name=member.full_name))
