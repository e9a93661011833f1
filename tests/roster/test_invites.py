"""Invite codes (single use, case-insensitive) and the durable rate limit."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine
from sqlmodel import col, select

from storage.db import transaction
from storage.invites import deep_link, issue_codes, redeem, unlinked_members
from storage.models import InviteCode, Member, RateLimitHit
from storage.ratelimit import allow
from storage.roster import import_roster
from storage.sample import SAMPLE_ROSTER

TELEGRAM_START_PAYLOAD = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


def _members(engine: Engine, count: int) -> list[Member]:
    with transaction(engine) as s:
        import_roster(s, SAMPLE_ROSTER)
        return list(s.exec(select(Member).order_by(col(Member.id))).all())[:count]


def test_codes_are_unambiguous_and_fit_a_telegram_deep_link(commune_engine: Engine) -> None:
    people = _members(commune_engine, 32)
    with transaction(commune_engine) as s:
        codes = [c.code for c in issue_codes(s, people)]
    assert len(set(codes)) == 32
    for code in codes:
        assert len(code) == 8
        assert TELEGRAM_START_PAYLOAD.match(code)
        assert not set(code) & set("0O1IL")
    assert deep_link("@TinBaoBot", codes[0]) == f"https://t.me/TinBaoBot?start={codes[0]}"
    assert deep_link("", codes[0]) is None


def test_redeem_once_in_any_case(commune_engine: Engine) -> None:
    [person] = _members(commune_engine, 1)
    with transaction(commune_engine) as s:
        [invite] = issue_codes(s, [person])
    with transaction(commune_engine) as s:
        member = redeem(s, f"  {invite.code.lower()} ", "telegram")
        assert member is not None and member.id == person.id
    with transaction(commune_engine) as s:
        assert redeem(s, invite.code, "zalo") is None  # used
        row = s.get(InviteCode, invite.code)
        assert row is not None and row.used_at is not None
        assert row.used_channel == "telegram"


def test_unknown_and_malformed_codes_are_refused(commune_engine: Engine) -> None:
    _members(commune_engine, 1)
    with transaction(commune_engine) as s:
        assert redeem(s, "ABCDEFGH", "telegram") is None
        assert redeem(s, "", "telegram") is None
        assert redeem(s, "' OR 1=1 --", "telegram") is None


def test_reissuing_retires_the_older_unused_code(commune_engine: Engine) -> None:
    [person] = _members(commune_engine, 1)
    with transaction(commune_engine) as s:
        [old] = issue_codes(s, [person])
    with transaction(commune_engine) as s:
        [new] = issue_codes(s, [person])
    with transaction(commune_engine) as s:
        assert redeem(s, old.code, "telegram") is None
        assert redeem(s, new.code, "telegram") is not None


def test_inactive_member_cannot_redeem(commune_engine: Engine) -> None:
    [person] = _members(commune_engine, 1)
    with transaction(commune_engine) as s:
        [invite] = issue_codes(s, [person])
        row = s.get(Member, person.id)
        assert row is not None
        row.active = False
    with transaction(commune_engine) as s:
        assert redeem(s, invite.code, "telegram") is None


def test_linked_members_need_no_code(commune_engine: Engine) -> None:
    people = _members(commune_engine, 2)
    with transaction(commune_engine) as s:
        row = s.get(Member, people[0].id)
        assert row is not None
        row.zalo_user_id = "z-1"
    with transaction(commune_engine) as s:
        waiting = {m.id for m in unlinked_members(s)}
    assert people[0].id not in waiting and people[1].id in waiting
    assert len(waiting) == 31


def test_rate_limit_counts_within_the_window(engine: Engine) -> None:
    start = datetime(2025, 9, 10, 1, 0, tzinfo=UTC)
    window = timedelta(minutes=15)
    with transaction(engine) as s:
        results = [
            allow(s, "invite:telegram:42", 3, window, start + timedelta(minutes=i))
            for i in range(5)
        ]
        assert allow(s, "invite:telegram:99", 3, window, start)  # other keys are separate
    assert results == [True, True, True, False, False]
    with transaction(engine) as s:
        # Refused attempts are not recorded, so hits from minutes 0-2 expire after 15 minutes.
        assert not allow(s, "invite:telegram:42", 3, window, start + timedelta(minutes=14))
        assert allow(s, "invite:telegram:42", 3, window, start + timedelta(minutes=15, seconds=1))
    with transaction(engine) as s:
        left = s.exec(select(RateLimitHit).where(RateLimitHit.key == "invite:telegram:42")).all()
    # The minute-0 hit was pruned; minutes 1 and 2 and the new one remain.
    assert len(left) == 3


def test_rate_limit_survives_a_new_session(engine: Engine) -> None:
    now = datetime(2025, 9, 10, 1, 0, tzinfo=UTC)
    for _ in range(2):
        with transaction(engine) as s:
            assert allow(s, "k", 2, timedelta(hours=1), now)
    with transaction(engine) as s:
        assert not allow(s, "k", 2, timedelta(hours=1), now)
