"""``tinbao run``: the main job (bots on configured channels, or the local playground)."""

from __future__ import annotations

import asyncio
import logging

import typer

from bot.cli.base import app, cli_context, console, err_console
from bot.context import open_context
from bot.core.forms import FormError
from bot.core.forms.loader import load_configured_forms
from bot.messages import t
from bot.runtime import configured_channels, has_communes, playground_settings
from bot.runtime import run as run_runtime


@app.command("run")
def run() -> None:
    """Chạy bot trên các kênh đã có token; không có token: trang thử web trên máy.

    Run the bot on every channel whose token is set; with none, the local web playground."""
    with cli_context() as ctx:
        settings = ctx.settings
        logging.basicConfig(
            level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
        )
        # httpx logs request URLs, and Bot API URLs carry the token.
        logging.getLogger("httpx").setLevel(logging.WARNING)
        logging.getLogger("apscheduler").setLevel(logging.WARNING)
        try:
            load_configured_forms(settings)  # a wrong form file stops start-up, in one line
        except FormError as exc:
            err_console.print(str(exc), soft_wrap=True)
            raise typer.Exit(code=2) from exc
        channels = configured_channels(ctx)
        if channels:
            console.print(t("cli.run.channels", channels=", ".join(channels)))
        elif not has_communes(ctx):
            sample = playground_settings(settings)
            console.print(
                t("cli.run.playground", host=settings.web_host, port=settings.web_port),
                soft_wrap=True,
            )
            console.print(t("cli.run.playground_data", folder=sample.data_dir), soft_wrap=True)
            console.print(t("cli.run.web", host=settings.web_host, port=settings.web_port))
            ctx.close()
            play = open_context(sample)
            try:
                asyncio.run(run_runtime(play))
            finally:
                play.close()
            return
        else:
            console.print(
                t("cli.run.playground_real", host=settings.web_host, port=settings.web_port)
            )
        console.print(t("cli.run.web", host=settings.web_host, port=settings.web_port))
        asyncio.run(run_runtime(ctx))
