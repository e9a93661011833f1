"""``tinbao outbox status`` and ``tinbao outbox retry-dead``, run as an operator would."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import select
from typer.testing import CliRunner

from bot.cli import app
from bot.core.events import Outgoing, Reply
from bot.outbox.admin import retry_dead, status_counts
from bot.settings import get_settings
from storage.db import make_engine, transaction
from storage.enums import OutboxStatus
from storage.migrate import upgrade
from storage.models import OutboxMessage
from storage.outbox import enqueue
from storage.types import utcnow

runner = CliRunner()


def _fill(engine: Engine) -> None:
    with transaction(engine) as s:
        for channel, chat, status, kind in [
            ("telegram", "1", OutboxStatus.SENT, "message"),
            ("telegram", "2", OutboxStatus.DEAD, "message"),
            ("telegram", "cbq", OutboxStatus.DEAD, "callback_answer"),
            ("telegram", "3", OutboxStatus.QUEUED, "message"),
            ("zalo", "z1", OutboxStatus.RETRYING, "message"),
        ]:
            row = enqueue(s, Outgoing(channel, chat, Reply("x"), kind=kind))
            assert row is not None
            row.status = status
            row.attempts = 8 if status == OutboxStatus.DEAD else 0


def test_counts_and_retry_dead(engine: Engine) -> None:
    _fill(engine)
    counts = status_counts(engine)
    assert counts["telegram"] == {
        "queued": 1,
        "sending": 0,
        "retrying": 0,
        "sent": 1,
        "dead": 2,
    }
    assert counts["zalo"]["retrying"] == 1
    assert retry_dead(engine, utcnow(), channel="zalo") == 0
    assert retry_dead(engine, utcnow()) == 1  # the stale callback answer stays dead
    with transaction(engine) as s:
        revived = s.exec(select(OutboxMessage).where(OutboxMessage.chat_id == "2")).one()
    assert revived.status == OutboxStatus.QUEUED and revived.attempts == 0


@pytest.fixture
def cli_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Engine]:
    monkeypatch.chdir(tmp_path)  # no developer .env is read
    url = f"sqlite:///{tmp_path / 'tinbao.db'}"
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("DATABASE_URL", url)
    get_settings.cache_clear()
    engine = make_engine(url)
    upgrade(engine)
    yield engine
    engine.dispose()
    get_settings.cache_clear()


def test_cli_status_table_and_retry(cli_db: Engine) -> None:
    empty = runner.invoke(app, ["outbox", "status"])
    assert empty.exit_code == 0 and "Hộp thư đi trống." in empty.stdout
    _fill(cli_db)
    status = runner.invoke(app, ["outbox", "status"])
    assert status.exit_code == 0, status.output
    header = next(line for line in status.stdout.splitlines() if "Kênh" in line)
    for column in ("Chờ gửi", "Đang gửi", "Chờ thử lại", "Đã gửi", "Hỏng"):
        assert column in header
    cells = {
        line.split("│")[1].strip(): [c.strip() for c in line.split("│")[2:-1]]
        for line in status.stdout.splitlines()
        if line.startswith("│")
    }
    assert cells == {"telegram": ["1", "0", "0", "1", "2"], "zalo": ["0", "0", "1", "0", "0"]}
    retried = runner.invoke(app, ["outbox", "retry-dead"])
    assert retried.exit_code == 0
    assert "Đã đưa 1 tin nhắn hỏng trở lại hàng đợi." in retried.stdout
