"""The ``tinbao`` command line (Typer). Each command group lives in its own module."""

from __future__ import annotations

from bot.cli import commune as _commune  # noqa: F401  (registers `init`)
from bot.cli import commune_signer as _commune_signer  # noqa: F401  (registers `commune`)
from bot.cli import db as _db  # noqa: F401  (registers `db`)
from bot.cli import directive as _directive  # noqa: F401  (registers `directive`)
from bot.cli import invite as _invite  # noqa: F401  (registers `invite`)
from bot.cli import outbox as _outbox  # noqa: F401  (registers `outbox`)
from bot.cli import report as _report  # noqa: F401  (registers `report`, `export`)
from bot.cli import roster as _roster  # noqa: F401  (registers `roster`)
from bot.cli import run as _run  # noqa: F401  (registers `run`)
from bot.cli import sample as _sample  # noqa: F401  (registers `seed-sample`)
from bot.cli import web as _web  # noqa: F401  (registers `web add-user`)
from bot.cli.base import app

__all__ = ["app"]
