"""A batch's rows read and written together: the same rows as one at a time, on both backends
(PostgreSQL: one statement each, arrays as parameters; SQLite: row by row)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from bot.core.events import Outgoing, Reply
from storage.batch_rows import PendingWrites, claim_many, lock_dialogs
from storage.dialog_rows import lock_dialog
from storage.models import DialogSession, Member, OutboxMessage, ProcessedUpdate
from tests.foundation.village import one_village

WHEN = datetime(2025, 9, 10, 2, 0, 0, 123456, tzinfo=UTC)


def _members(engine: Engine, count: int) -> list[int]:
    with Session(engine) as s:
        unit = one_village(s)
        members = [
            Member(unit_id=unit.id or 0, full_name=f"N{i}", phone=f"09123456{i:02d}")
            for i in range(count)
        ]
        s.add_all(members)
        s.commit()
        return [m.id or 0 for m in members]


def test_claims_are_new_once_whether_known_before_or_given_twice(engine: Engine) -> None:
    with engine.begin() as conn:
        assert claim_many(conn, [("telegram", "1", WHEN)]) == {("telegram", "1")}
    with engine.begin() as conn:
        new = claim_many(
            conn,
            [("telegram", "1", WHEN), ("telegram", "2", WHEN), ("zalo", "1", WHEN),
             ("telegram", "2", WHEN)],
        )  # fmt: skip
    assert new == {("telegram", "2"), ("zalo", "1")}
    with Session(engine) as s:
        rows = s.exec(select(ProcessedUpdate)).all()
    assert sorted((r.channel, r.update_key) for r in rows) == [
        ("telegram", "1"), ("telegram", "2"), ("zalo", "1"),
    ]  # fmt: skip
    assert all(r.processed_at == WHEN for r in rows)


def test_dialog_rows_load_or_are_made_by_key_and_are_written_back_with_the_replies_in_order(
    engine: Engine,
) -> None:
    first, second, third = _members(engine, 3)
    with engine.begin() as conn:
        for member in (first, second):
            lock_dialog(conn, member, "telegram", str(member), WHEN)
    later = WHEN + timedelta(minutes=5)
    with engine.begin() as conn:
        found = lock_dialogs(
            conn, [(first, "telegram", str(first)), (second, "telegram", str(second)),
                   (third, "telegram", str(third)), (first, "telegram", str(first))],
            later,
        )  # fmt: skip
        keys = [(member, "telegram", str(member)) for member in (first, second, third)]
        assert sorted(found) == sorted(keys)  # the third's row made for it
        made = found[keys[2]]
        assert (made.state, made.step, made.form_id, made.updated_at) == ({}, 0, None, later)
        row = found[(first, "telegram", str(first))]
        row.form_id, row.state, row.step, row.updated_at = "f", {"q": "x", "a": [1, "ạ"]}, 7, later
        row.changed = True
        pending = PendingWrites()
        pending.add(row, [Outgoing("telegram", "1", Reply("một"), dedupe_key="k")])
        pending.add(found[(second, "telegram", str(second))], [])  # unchanged: not written
        pending.add(None, [
            Outgoing("telegram", "2", Reply("hai")),
            Outgoing("telegram", "1", Reply("lặp"), dedupe_key="k"),  # the same key: skipped
            Outgoing("zalo", "3", Reply("ba")),
        ])  # fmt: skip
        pending.flush(conn)
        assert not row.changed
        pending.flush(conn)  # nothing left: writes nothing more
    with Session(engine) as s:
        saved = {r.member_id: r for r in s.exec(select(DialogSession)).all()}
        texts = [
            (m.chat_id, m.payload["text"], m.status, m.next_attempt_at is not None)
            for m in s.exec(select(OutboxMessage).order_by(col(OutboxMessage.id))).all()
        ]
    one = saved[first]
    assert (one.form_id, one.state, one.step, one.updated_at) == ("f", row.state, 7, later)
    assert one.started_at is None and one.reminded_at is None
    assert (saved[second].step, saved[second].state) == (0, {})
    assert saved[third].id == made.id and saved[third].updated_at == later
    assert len(saved) == 3
    assert texts == [
        ("1", "một", "queued", True), ("2", "hai", "queued", True), ("3", "ba", "queued", True),
    ]  # fmt: skip
