"""``tinbao seed-sample``: load the invented Xã Tây Trà roster and directives (for trying out)."""

from __future__ import annotations

import typer

from bot.cli.base import app, cli_context
from bot.cli.ui import say, warn
from bot.messages import t
from storage.db import transaction
from storage.sample import SampleRefused, seed_sample


@app.command("seed-sample")
def seed_sample_command() -> None:
    """Nạp dữ liệu mẫu (Xã Tây Trà, người giả định, báo cáo gần đây).

    Load sample data (Xã Tây Trà, invented people, their recent reports); running it again
    changes nothing. Refused on a database that serves real communes."""
    try:
        with cli_context() as ctx, transaction(ctx.engine) as session:
            result = seed_sample(session, with_history=ctx.settings)
    except SampleRefused as exc:
        warn(str(exc))
        raise typer.Exit(code=1) from exc
    if not result.changed:
        say(t("cli.sample.unchanged", commune=result.commune_name))
        return
    say(
        t(
            "cli.sample.seeded",
            commune=result.commune_name,
            created=result.roster.created,
            updated=result.roster.updated,
            directives=result.directives_created,
            history=result.history_filed,
        )
    )
