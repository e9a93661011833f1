"""Fixtures for the report tests: the filled commune on each backend, or on SQLite only."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine
from sqlmodel import select

from bot.settings import Settings, load_settings
from reports.aggregate import Aggregate, aggregate
from reports.meta import ReportMeta, commune_report_meta
from storage.db import make_engine, transaction
from storage.migrate import upgrade
from storage.models import Commune, Directive
from tests.reports.commune_data import Expected, fill_commune

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
#: 10:00 local on 15/09/2025: the day the commune's report is due, after the unit deadline.
NOW = datetime(2025, 9, 15, 3, 0, tzinfo=UTC)


@dataclass
class Filled:
    engine: Engine
    expected: Expected
    commune: Commune
    directive: Directive

    def aggregate(self, now: datetime = NOW, period_key: str = "once") -> Aggregate:
        return aggregate(self.engine, self.expected.directive_id, period_key, tz=TZ, now=now)

    def meta(self, settings: Settings, **kw: Any) -> ReportMeta:
        kw.setdefault("report_date", date(2025, 9, 15))
        return commune_report_meta(self.commune, self.directive, settings, **kw)


def _filled(engine: Engine) -> Filled:
    expected = fill_commune(engine, TZ)
    with transaction(engine) as s:
        commune = s.exec(select(Commune)).one()
        directive = s.exec(select(Directive)).one()
    return Filled(engine, expected, commune, directive)


@pytest.fixture
def filled(engine: Engine) -> Filled:
    """The commune on SQLite and on PostgreSQL (the aggregation must agree on both)."""
    return _filled(engine)


@pytest.fixture
def filled_sqlite(tmp_path: Path) -> Iterator[Filled]:
    """The commune on SQLite only, for tests of the files made from an aggregate."""
    engine = make_engine(f"sqlite:///{tmp_path / 'reports.db'}")
    upgrade(engine)
    yield _filled(engine)
    engine.dispose()


@pytest.fixture
def report_settings(tmp_path: Path) -> Settings:
    return load_settings(
        data_dir=tmp_path / "data", report_signer_name="Nguyễn Văn Minh", _env_file=None
    )
