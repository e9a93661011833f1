"""``tinbao init``: set the commune this installation serves."""

from __future__ import annotations

import typer

from bot.cli.base import app, cli_context, console, err_console
from bot.messages import t
from storage.commune import CommuneMatch, ResolveError, resolve_commune, save_commune
from storage.db import transaction


@app.command("init")
def init(
    province: str = typer.Option(..., "--province", help="Tỉnh/thành, e.g. 'Quảng Ngãi'"),
    commune: str = typer.Option(..., "--commune", help="Xã/phường, e.g. 'Tây Trà'"),
) -> None:
    """Resolve the official post-2025 commune by name and save it (nothing changes on doubt)."""
    try:
        match = resolve_commune(province, commune)
    except ResolveError as exc:
        err_console.print(t(f"cli.init.{exc.kind}", query=exc.query))
        for candidate in exc.candidates:
            if isinstance(candidate, CommuneMatch):
                err_console.print(
                    t(
                        "cli.init.candidate",
                        name=candidate.name,
                        code=candidate.code,
                        province=candidate.province_name,
                    )
                )
            else:
                err_console.print(f"  - {candidate}")
        raise typer.Exit(code=1) from exc
    with cli_context() as ctx, transaction(ctx.engine) as session:
        save_commune(session, match)
    console.print(
        t("cli.init.done", name=match.name, province=match.province_name, code=match.code)
    )
