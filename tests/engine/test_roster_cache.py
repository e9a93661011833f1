"""The roster cache never lets a stale row through, on SQLite and PostgreSQL.

Members, units and directives are cached in the engine's memory; database triggers bump the
``cache_version`` row on every change to those tables, whoever makes it — here plain SQL
that no application code sees — and the next batch reads the version before trusting a row.
"""

from __future__ import annotations

import pytest
from sqlalchemy import JSON, Engine, bindparam, text
from sqlmodel import Session, select

from bot.core.engine import Outcome
from bot.core.roster_cache import CachedRowError
from bot.messages import t
from storage.cache_version import read_cache_version
from storage.db import transaction
from storage.models import DialogSession, Directive, Member, OutboxMessage, Unit
from tests.engine.harness import Harness, Person


def version(db: Engine) -> int:
    with db.connect() as conn:
        return read_cache_version(conn)


def run_sql(db: Engine, sql: str, **params: object) -> None:
    statement = text(sql)
    if "roles" in params:
        statement = statement.bindparams(bindparam("roles", type_=JSON))
    with db.begin() as conn:
        conn.execute(statement, params)


def police(h: Harness) -> tuple[Member, Person]:
    member = h.members_with_role("police", "police")[0]
    return member, h.link(member, "4001")


def test_every_change_to_a_cached_table_bumps_the_version(harness: Harness) -> None:
    db = harness.db
    member = harness.members_with_role("village_head", "village")[0]
    steps = [
        ("UPDATE member SET full_name = 'Tên mới' WHERE id = :id", {"id": member.id}, 1),
        ("UPDATE member SET full_name = 'x' WHERE id = -1", {}, 0),  # no row: no change
        ("UPDATE unit SET name = 'Thôn mới' WHERE id = :id", {"id": member.unit_id}, 1),
        ("UPDATE directive SET active = false", {}, None),  # one bump per directive row
        ("DELETE FROM invitecode", {}, 0),  # not cached
        ("DELETE FROM member WHERE id = :id", {"id": member.id}, None),
    ]
    with Session(db) as s:
        directives = len(s.exec(select(Directive)).all())
    assert directives > 1
    for sql, params, bump in steps:
        before = version(db)
        run_sql(db, sql, **params)
        expected = bump if bump is not None else (directives if "directive" in sql else 1)
        assert version(db) - before == expected, sql
    with transaction(db) as s:  # and the ORM's writes, of course
        before = version(db)
        s.add(Unit(commune_id=1, name="Thôn Thử", kind="village"))
    assert version(db) == before + 1


def test_a_role_changed_in_the_database_is_seen_by_the_next_update(harness: Harness) -> None:
    member, cop = police(harness)
    cop.text("/tiendo")
    assert t("chat.not_allowed") not in cop.texts()  # allowed, and now cached

    run_sql(
        harness.db,
        "UPDATE member SET roles = :roles WHERE id = :id",
        roles=["village_head"],
        id=member.id,
    )
    cop.text("/tiendo")
    assert cop.texts() == [t("chat.not_allowed")]


def test_a_deactivated_member_is_a_stranger_at_once(harness: Harness) -> None:
    member, cop = police(harness)
    cop.text("/baocao")
    cop.replies()
    run_sql(harness.db, "UPDATE member SET active = false WHERE id = :id", id=member.id)
    cop.text("/baocao")
    assert cop.texts() == [t("chat.unknown_person")]


def test_a_directive_switched_off_no_longer_scopes_new_reports(harness: Harness) -> None:
    head = harness.link(harness.members_with_role("village_head", "village")[0], "4002")

    def started_directive() -> object:
        head.text("/baocao")
        head.tap("kết quả")
        with Session(harness.db) as s:
            row = s.exec(select(DialogSession).where(DialogSession.chat_id == "4002")).one()
        head.text("/huy")
        head.replies()
        return row.state.get("directive_id")

    assert started_directive() is not None
    run_sql(harness.db, "UPDATE directive SET active = false")
    assert started_directive() is None  # filed under the day, no longer under the directive


def test_someone_who_registers_mid_batch_is_a_member_for_the_rest_of_it(
    harness: Harness,
) -> None:
    member = harness.members_with_role("village_head", "village")[1]
    code = harness.invite_code(member)
    newcomer = Person(harness, "4003")
    outcomes = harness.engine.handle_batch(
        [newcomer.text_event(f"/start {code}"), newcomer.text_event("xin chào")]
    )
    assert outcomes == [Outcome.HANDLED, Outcome.HANDLED]
    texts = newcomer.texts()
    assert t("chat.unknown_person") not in texts
    assert texts[-1].startswith(t("menu.greeting", name=member.full_name))


def test_cached_rows_are_read_only(harness: Harness) -> None:
    _, cop = police(harness)
    cop.text("/baocao")  # cached now
    event = cop.text_event("/baocao")
    with harness.db.connect() as conn, conn.begin():
        found = harness.engine.roster.view(conn).member(event)
        assert found is not None
        cached, _unit = found
        assert harness.engine.roster.view(conn).member(event) == found  # the same rows
        with Session(harness.db) as s, pytest.raises(CachedRowError):
            s.add(cached)


def test_a_member_who_blocked_the_bot_is_reachable_again_when_they_write(
    harness: Harness,
) -> None:
    member, cop = police(harness)
    run_sql(harness.db, "UPDATE member SET unreachable = true WHERE id = :id", id=member.id)
    cop.text("/baocao")
    with Session(harness.db) as s:
        assert s.get(Member, member.id).unreachable is False  # type: ignore[union-attr]
        assert s.exec(select(OutboxMessage).where(OutboxMessage.chat_id == "4001")).first()


def test_a_roster_change_inside_a_batch_is_seen_by_its_later_updates(harness: Harness) -> None:
    """The member moves to another Telegram account (a new invite code) in the middle of a
    batch: the old account, cached a moment before, is a stranger for the rest of it."""
    member, old_phone = police(harness)
    old_phone.text("/baocao")  # cached under the old account
    old_phone.replies()
    code = harness.invite_code(member)
    new_phone = Person(harness, "3999")  # its chat comes first in the batch (chat order)
    outcomes = harness.engine.handle_batch(
        [new_phone.text_event(f"/start {code}"), old_phone.text_event("/baocao")]
    )
    assert outcomes == [Outcome.HANDLED, Outcome.HANDLED]
    assert old_phone.texts() == [t("chat.unknown_person")]
