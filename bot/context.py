"""What a running Tin Báo process holds: its settings and its database engine."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine

from bot.settings import Settings, get_settings
from storage.db import make_engine
from storage.migrate import upgrade


@dataclass
class AppContext:
    settings: Settings
    engine: Engine

    def close(self) -> None:
        self.engine.dispose()


def open_context(settings: Settings | None = None, *, migrate: bool = True) -> AppContext:
    """Connect to the configured database and (by default) apply pending migrations."""
    settings = settings or get_settings()
    engine = make_engine(settings.effective_database_url)
    if migrate:
        upgrade(engine)
    return AppContext(settings=settings, engine=engine)
