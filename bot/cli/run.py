"""``tinbao run``: the main job (bots on configured channels, or the local playground)."""

from __future__ import annotations

from bot.cli.base import app, cli_context, console
from bot.messages import t


@app.command("run")
def run() -> None:
    """Run the bot on every channel whose token is set; with none, the local web playground."""
    with cli_context() as ctx:
        settings = ctx.settings
        channels = [
            name
            for name, token in (
                ("Telegram", settings.telegram_bot_token),
                ("Zalo", settings.zalo_bot_token),
            )
            if token is not None
        ]
        if channels:
            console.print(t("cli.run.channels", channels=", ".join(channels)))
        else:
            console.print(t("cli.run.playground", host=settings.web_host, port=settings.web_port))
