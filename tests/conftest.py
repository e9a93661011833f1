"""Shared fixtures: settings on a temp folder, and databases on SQLite and PostgreSQL.

``db_url`` is parametrised over both backends. PostgreSQL is reached at
``TINBAO_TEST_PG_URL`` (default ``postgresql://postgres@127.0.0.1:5432/test``); each test gets
a fresh schema there. When PostgreSQL does not answer, its cases are skipped — except under
``CI=true``, where that is a failure.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text

from bot.context import AppContext
from bot.settings import Settings, load_settings
from storage.db import make_engine, normalise_url
from storage.migrate import upgrade

pytest_plugins = ["tests.fakes.fixtures"]  # fake_telegram, fake_zalo

PG_URL = os.environ.get("TINBAO_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/test")
_pg_ok: bool | None = None


def _postgres_available() -> bool:
    global _pg_ok
    if _pg_ok is None:
        try:
            probe = create_engine(normalise_url(PG_URL), connect_args={"connect_timeout": 3})
            with probe.connect() as conn:
                conn.execute(text("select 1"))
            probe.dispose()
            _pg_ok = True
        except Exception:
            _pg_ok = False
    return _pg_ok


def require_postgres() -> None:
    if not _postgres_available():
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL is required under CI=true but does not answer at {PG_URL}")
        pytest.skip("PostgreSQL not available")


@pytest.fixture
def pg_schema_url() -> Iterator[str]:
    """A URL whose connections live in a fresh, private PostgreSQL schema."""
    require_postgres()
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(normalise_url(PG_URL))
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in PG_URL else "?"
    yield f"{PG_URL}{sep}options=-csearch_path%3D{schema}"
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A database URL on each backend (an empty database, not migrated)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'tinbao.db'}"
    url: str = request.getfixturevalue("pg_schema_url")
    return url


@pytest.fixture
def settings(tmp_path: Path, db_url: str) -> Settings:
    return load_settings(data_dir=tmp_path / "data", database_url=db_url, _env_file=None)


@pytest.fixture
def engine(settings: Settings) -> Iterator[Engine]:
    """A migrated database on each backend."""
    eng = make_engine(settings.effective_database_url)
    upgrade(eng)
    yield eng
    eng.dispose()


@pytest.fixture
def app_ctx(settings: Settings, engine: Engine) -> AppContext:
    return AppContext(settings=settings, engine=engine)
