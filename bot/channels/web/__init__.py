"""The web channel: a chat playground and the office dashboard (Starlette + Jinja2)."""

from __future__ import annotations

from bot.channels.web.app import create_app

__all__ = ["create_app"]
