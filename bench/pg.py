"""A throwaway PostgreSQL schema for a benchmark run (dropped afterwards)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import create_engine, text

from storage.db import normalise_url

DEFAULT_PG_URL = "postgresql://postgres@127.0.0.1:5432/test"


@contextmanager
def fresh_schema(url: str = DEFAULT_PG_URL) -> Iterator[str]:
    """Yield a URL whose connections use a new, empty schema."""
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(normalise_url(url))
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in url else "?"
    try:
        yield f"{url}{sep}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def postgres_available(url: str = DEFAULT_PG_URL) -> bool:
    try:
        engine = create_engine(normalise_url(url), connect_args={"connect_timeout": 3})
        with engine.connect() as conn:
            conn.execute(text("select 1"))
        engine.dispose()
        return True
    except Exception:
        return False
