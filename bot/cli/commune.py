"""``tinbao init``: set the communes this installation serves (one, several, or a province)."""

from __future__ import annotations

import typer
from sqlmodel import col, select

from bot.cli.base import app, cli_context, console, err_console
from bot.messages import t
from storage.cascade import cascade_to_commune
from storage.commune import (
    CommuneMatch,
    ResolveError,
    installation_province,
    province_communes,
    resolve_commune,
    save_commune,
)
from storage.db import describe_url, transaction
from storage.models import Commune


def _explain(exc: ResolveError) -> None:
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


@app.command("init")
def init(
    province: str = typer.Option(..., "--province", help="Tỉnh/thành, e.g. 'Quảng Ngãi'"),
    commune: list[str] = typer.Option(
        [], "--commune", help="Xã/phường, e.g. 'Tây Trà'; lặp lại để thêm nhiều xã"
    ),
    all_communes: bool = typer.Option(
        False, "--all", help="Mọi xã, phường, đặc khu của tỉnh (danh sách chính thức sau 2025)"
    ),
    keep_sample: bool = typer.Option(
        False, "--keep-sample", help="Vẫn thêm dù cơ sở dữ liệu đang có dữ liệu mẫu (không nên)"
    ),
) -> None:
    """Thêm xã/phường từ danh sách chính thức sau 2025 (có nghi ngờ thì không đổi gì).

    Add communes from the official post-2025 list (nothing changes on any doubt).

    Running it again is safe: communes already set up stay as they are. A commune added later
    receives the province directives still open.
    """
    if all_communes == bool(commune):
        err_console.print(t("cli.init.pick_one"))
        raise typer.Exit(code=2)
    try:
        matches = (
            province_communes(province)
            if all_communes
            else [resolve_commune(province, name) for name in commune]
        )
    except ResolveError as exc:
        _explain(exc)
        raise typer.Exit(code=1) from exc
    with cli_context() as ctx, transaction(ctx.engine) as session:
        served = installation_province(session)
        if served is not None and served[0] != matches[0].province_code:
            err_console.print(t("cli.init.other_province", province=served[1]))
            raise typer.Exit(code=1)
        samples = session.exec(select(Commune.name).where(col(Commune.sample).is_(True))).all()
        if samples and not keep_sample:
            err_console.print(
                t(
                    "cli.init.sample_present",
                    communes=", ".join(samples),
                    database=describe_url(ctx.settings.effective_database_url),
                ),
                soft_wrap=True,
            )
            raise typer.Exit(code=1)
        known = set(session.exec(select(Commune.code)).all())
        added = []
        for match in matches:
            row = save_commune(session, match)
            if match.code not in known:
                cascade_to_commune(session, row)
                added.append(match)
    if all_communes:
        console.print(
            t(
                "cli.init.done_many",
                count=len(matches),
                added=len(added),
                province=matches[0].province_name,
            )
        )
        return
    for match in matches:
        key = "cli.init.done" if match in added else "cli.init.already"
        console.print(t(key, name=match.name, province=match.province_name, code=match.code))
