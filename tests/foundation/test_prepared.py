"""Prepared statements write and read exactly what SQLAlchemy would, on both backends."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine, bindparam, insert, select, text
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from storage.db import table_of
from storage.models import OutboxMessage, ProcessedUpdate
from storage.outbox import COLUMNS
from storage.prepared import Prepared, insert_ignoring_conflicts
from tests.foundation.village import one_village

_OUTBOX = table_of(OutboxMessage)
WHEN = datetime(2025, 9, 10, 2, 0, 0, 123456, tzinfo=UTC)


def test_json_and_utc_timestamps_round_trip_like_the_orm(engine: Engine) -> None:
    write = insert_ignoring_conflicts(_OUTBOX, COLUMNS, ("dedupe_key",))
    payload = {"text": "Chào <b>bà</b> 🌾", "choices": [{"n": 1}], "urgent": True}
    row = dict(
        channel="telegram", chat_id="1", kind="message", payload=payload, status="queued",
        attempts=0, parts_sent=0, dedupe_key="k1", next_attempt_at=WHEN, created_at=WHEN,
    )  # fmt: skip
    with engine.begin() as conn:
        assert write.execute(conn, row) == 1
        assert write.execute(conn, {**row, "chat_id": "2"}) == 0  # same key: skipped, no error
        read = Prepared(select(_OUTBOX).where(_OUTBOX.c.dedupe_key == bindparam("key")))
        got = read.first(conn, {"key": "k1"})
        assert read.first(conn, {"key": "nope"}) is None
    assert got is not None
    assert got["payload"] == payload and got["created_at"] == WHEN and got["chat_id"] == "1"
    with Session(engine) as s:  # and the ORM reads the row back the same
        model = s.get(OutboxMessage, got["id"])
        assert model is not None and model.payload == payload and model.next_attempt_at == WHEN
    if engine.dialect.name == "postgresql":  # stored as JSON, not as a JSON string
        with engine.connect() as conn:
            kind = conn.execute(text("SELECT json_typeof(payload) FROM outboxmessage")).scalar()
        assert kind == "object"


def test_driver_errors_come_back_as_sqlalchemy_errors(engine: Engine) -> None:
    plain = Prepared(
        insert(table_of(ProcessedUpdate)).values(
            channel=bindparam("channel"), update_key=bindparam("key"), processed_at=bindparam("at")
        )
    )
    with engine.begin() as conn:
        plain.execute(conn, {"channel": "telegram", "key": "1", "at": WHEN})
        with pytest.raises(IntegrityError):
            plain.execute(conn, {"channel": "telegram", "key": "1", "at": WHEN})
        conn.rollback()


def test_many_rows_in_one_call_keep_their_order(engine: Engine) -> None:
    many = insert_ignoring_conflicts(_OUTBOX, COLUMNS, ("dedupe_key",))
    rows = [
        dict(channel="web", chat_id="9", kind="message", payload={"text": str(i)}, status="queued",
             attempts=0, parts_sent=0, next_attempt_at=WHEN, created_at=WHEN, dedupe_key=None)
        for i in range(5)
    ]  # fmt: skip
    with engine.begin() as conn:
        many.execute_many(conn, rows)
        texts = conn.execute(select(_OUTBOX.c.payload).order_by(_OUTBOX.c.id)).scalars().all()
    assert [p["text"] for p in texts] == ["0", "1", "2", "3", "4"]


def test_multi_row_insert_keeps_order_and_skips_known_keys_in_one_statement(
    engine: Engine,
) -> None:
    from storage.prepared import MultiRowInsert

    insert_rows = MultiRowInsert(_OUTBOX, COLUMNS, ("dedupe_key",))
    rows = [
        dict(channel="web", chat_id="9", kind="message", payload={"text": str(i)}, status="queued",
             attempts=0, parts_sent=0, next_attempt_at=WHEN, created_at=WHEN,
             dedupe_key="dup" if i in (3, 20) else None)
        for i in range(MultiRowInsert.MAX_ROWS + 5)  # two statements: 16 rows, then 5
    ]  # fmt: skip
    with engine.begin() as conn:
        insert_rows.run(conn, rows)
        texts = conn.execute(select(_OUTBOX.c.payload).order_by(_OUTBOX.c.id)).scalars().all()
    assert [p["text"] for p in texts] == [str(i) for i in range(21) if i != 20]


def test_the_dialog_save_and_the_replies_are_written_together(engine: Engine) -> None:
    """One statement on PostgreSQL (two on SQLite), the same rows either way; a reply whose
    dedupe key is known is skipped, and the dialog is saved all the same."""
    from bot.core.events import Outgoing, Reply
    from storage.dialog_rows import lock_dialog
    from storage.models import DialogSession, Member
    from storage.outbox import save_dialog_and_enqueue

    with Session(engine) as s:
        unit = one_village(s)
        member = Member(unit_id=unit.id or 0, full_name="A", phone="0912345678")
        s.add(member)
        s.commit()
        member_id = member.id or 0
    replies = [
        Outgoing("telegram", "5", Reply("một"), dedupe_key="seen"),
        Outgoing("telegram", "5", Reply("hai")),
    ]
    with engine.begin() as conn:
        save_dialog_and_enqueue(conn, lock_dialog(conn, member_id, "telegram", "5", WHEN), [])
        row = lock_dialog(conn, member_id, "telegram", "5", WHEN)
        row.state, row.step, row.changed = {"q": "q2"}, 3, True
        save_dialog_and_enqueue(conn, row, replies[:1])
        row.state, row.step, row.changed = {"q": "q3"}, 4, True
        save_dialog_and_enqueue(conn, row, replies)  # "seen" again: skipped
        assert not row.changed
    with Session(engine) as s:
        [saved] = s.exec(select(DialogSession)).scalars().all()  # type: ignore[call-overload]
        texts = [
            m.payload["text"]
            for m in s.exec(select(OutboxMessage).order_by(OutboxMessage.id)).scalars()
        ]  # type: ignore[call-overload,arg-type]
    assert (saved.state, saved.step) == ({"q": "q3"}, 4)
    assert texts == ["một", "hai"]
