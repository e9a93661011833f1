"""Fixtures of the fault tests: several fresh databases on one backend, and SQLite contexts."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from bot.context import AppContext
from bot.settings import load_settings
from storage.db import normalise_url
from tests.conftest import PG_URL, require_postgres
from tests.faults.support import migrated

MakeCtx = Callable[[], AppContext]


@pytest.fixture(params=["sqlite", "postgres"])
def make_ctx(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[MakeCtx]:
    """Build fresh, migrated databases on the parametrised backend (as many as a test needs)."""
    made: list[AppContext] = []
    schemas: list[str] = []
    if request.param == "postgres":
        require_postgres()
    admin = create_engine(normalise_url(PG_URL)) if request.param == "postgres" else None

    def make() -> AppContext:
        n = len(made)
        if admin is None:
            url = f"sqlite:///{tmp_path / f'db{n}' / 'tinbao.db'}"
        else:
            schema = f"t_{uuid.uuid4().hex[:12]}"
            with admin.begin() as conn:
                conn.execute(text(f'CREATE SCHEMA "{schema}"'))
            schemas.append(schema)
            sep = "&" if "?" in PG_URL else "?"
            url = f"{PG_URL}{sep}options=-csearch_path%3D{schema}"
        settings = load_settings(data_dir=tmp_path / f"data{n}", database_url=url, _env_file=None)
        ctx = AppContext(settings=settings, engine=migrated(url))
        made.append(ctx)
        return ctx

    yield make
    for ctx in made:
        ctx.close()
    if admin is not None:
        with admin.begin() as conn:
            for schema in schemas:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def sqlite_ctx(tmp_path: Path) -> Iterator[AppContext]:
    """One migrated SQLite database (for tests whose subject is not the database)."""
    url = f"sqlite:///{tmp_path / 'lite' / 'tinbao.db'}"
    settings = load_settings(data_dir=tmp_path / "lite", database_url=url, _env_file=None)
    ctx = AppContext(settings=settings, engine=migrated(url))
    yield ctx
    ctx.close()
