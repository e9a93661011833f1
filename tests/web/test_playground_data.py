"""`tinbao run` with no bot token: the sample playground lives apart from real data.

A newcomer runs `make run` first (the playground), then sets up the real commune. The real
database must stay empty of the invented sample people, and once a commune is set up the
playground shows that commune instead of the sample.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from sqlmodel import Session, select
from typer.testing import CliRunner

from bot.cli import app
from bot.settings import get_settings
from storage.db import make_engine
from storage.models import Commune


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _run_until_served(data: Path, path: str = "/") -> str:
    """Start `tinbao run`, fetch ``path`` once it answers, stop it; returns the page."""
    port = _free_port()
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "ZALO_", "DATABASE"))
    }
    env.update(DATA_DIR=str(data), WEB_PORT=str(port), LOG_LEVEL="WARNING")
    proc = subprocess.Popen(
        [sys.executable, "-c", "from bot.cli import app; app(['run'])"],
        cwd=data.parent,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        for _ in range(300):
            try:
                page = httpx.get(f"http://127.0.0.1:{port}{path}", timeout=2).text
                return page
            except httpx.HTTPError:
                time.sleep(0.1)
        raise AssertionError("tinbao run did not serve")
    finally:
        proc.send_signal(signal.SIGINT)
        out, _ = proc.communicate(timeout=30)
        print(out)


def _communes(db: Path) -> list[str]:
    engine = make_engine(f"sqlite:///{db}")
    try:
        with Session(engine) as s:
            return [c.name for c in s.exec(select(Commune)).all()]
    finally:
        engine.dispose()


def test_the_playground_sample_never_enters_the_real_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data"
    page = _run_until_served(data)
    assert "Hồ Văn Mên" in page  # the sample roster, to talk as
    assert _communes(data / "playground" / "tinbao.db") == ["Xã Tây Trà"]
    assert _communes(data / "tinbao.db") == []  # the real one stays empty
    monkeypatch.setenv("DATA_DIR", str(data))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.chdir(tmp_path)  # no developer .env
    get_settings.cache_clear()
    result = CliRunner().invoke(app, ["init", "--province", "Quảng Ngãi", "--commune", "Sơn Mai"])
    get_settings.cache_clear()
    assert result.exit_code == 0, result.output  # nothing to refuse: no sample there
    assert _communes(data / "tinbao.db") == ["Xã Sơn Mai"]
    again = _run_until_served(data)
    assert "Hồ Văn Mên" not in again  # now the playground shows the real commune
