"""Run one reminder round in a separate process (for the two-processes test)."""

from __future__ import annotations

from datetime import datetime

from bot.scheduler.reminders import run_round
from bot.settings import load_settings
from storage.db import make_engine


def run_in_process(database_url: str, iso_now: str) -> int:
    settings = load_settings(database_url=database_url, _env_file=None)
    engine = make_engine(database_url)
    try:
        return run_round(engine, settings, datetime.fromisoformat(iso_now)).enqueued
    finally:
        engine.dispose()
