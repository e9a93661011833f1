"""``tinbao commune set`` / ``list``: what belongs to one commune rather than to the
installation — who signs its official report.

In a province installation every commune's report is signed by that commune's chairman (or
a vice-chairman, «KT. CHỦ TỊCH / PHÓ CHỦ TỊCH»); the REPORT_SIGNER_* settings are only the
defaults for a commune that has not set its own.
"""

from __future__ import annotations

import typer
from sqlmodel import col, select

from bot.cli.base import app, cli_context
from bot.cli.communes import commune_option, pick_commune
from bot.cli.ui import say, warn
from bot.messages import t
from storage.db import transaction
from storage.models import Commune

commune_app = typer.Typer(
    help="Thông tin riêng của từng xã (người ký báo cáo) / per-commune details.",
    no_args_is_help=True,
)
app.add_typer(commune_app, name="commune")


def _clean(value: str) -> str | None:
    """Spaces collapsed in each line (a typed «\\n» starts a new one); empty: None, which
    clears the commune's own setting."""
    lines = (" ".join(line.split()) for line in value.replace("\\n", "\n").splitlines())
    return "\n".join(line for line in lines if line) or None


@commune_app.command("set")
def commune_set(
    commune: str | None = commune_option(),
    signer_name: str | None = typer.Option(
        None,
        "--signer-name",
        help="Họ tên người ký báo cáo của xã, e.g. 'Nguyễn Anh Tuấn' (\"\" để dùng mặc định)",
    ),
    signer_title: str | None = typer.Option(
        None,
        "--signer-title",
        help="Chức vụ người ký, e.g. 'CHỦ TỊCH' hoặc 'KT. CHỦ TỊCH\\nPHÓ CHỦ TỊCH'",
    ),
) -> None:
    """Đặt người ký báo cáo của xã (họ tên, chức vụ).

    Set who signs this commune's official report (options left out stay as they are)."""
    if signer_name is None and signer_title is None:
        warn(t("cli.commune.set.nothing"))
        raise typer.Exit(code=2)
    with cli_context() as ctx, transaction(ctx.engine) as session:
        row = pick_commune(session, commune)
        if signer_name is not None:
            row.signer_name = _clean(signer_name.replace("\\n", " "))
        if signer_title is not None:
            row.signer_title = _clean(signer_title)
        session.add(row)
        name, title = row.signer_name, row.signer_title
        settings = ctx.settings
    say(
        t(
            "cli.commune.set.done",
            commune=row.name,
            title=(title or settings.report_signer_title).replace("\n", " "),
            name=name or settings.report_signer_name or t("cli.commune.no_signer"),
        )
    )


@commune_app.command("list")
def commune_list() -> None:
    """Các xã/phường của cài đặt này và người ký báo cáo của từng xã.

    The communes this installation serves, with who signs each one's report."""
    with cli_context() as ctx, transaction(ctx.engine) as session:
        rows = session.exec(select(Commune).order_by(col(Commune.name))).all()
        settings = ctx.settings
        if not rows:
            warn(t("cli.commune.none"))
            raise typer.Exit(code=1)
        for row in rows:
            name = row.signer_name or settings.report_signer_name or t("cli.commune.no_signer")
            title = (row.signer_title or settings.report_signer_title).replace("\n", " ")
            say(t("cli.commune.line", commune=row.name, code=row.code, title=title, name=name))
