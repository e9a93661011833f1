"""The ``tinbao`` command line (Typer). Each command group lives in its own module."""

from __future__ import annotations

from bot.cli import commune as _commune  # noqa: F401  (registers `init`)
from bot.cli import db as _db  # noqa: F401  (registers `db`)
from bot.cli import run as _run  # noqa: F401  (registers `run`)
from bot.cli.base import app

__all__ = ["app"]
