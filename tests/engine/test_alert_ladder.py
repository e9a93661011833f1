"""Urgent alerts must be true: who is told at submit, the escalation ladder, acknowledgement,
delivery receipts and commune scoping — through the engine, on SQLite and PostgreSQL.

The sample Tây Trà roster: police Phạm Văn Dũng (head), Nguyễn Văn Hải, Trần Minh Tuấn,
Lê Thị Thu; military Đinh Văn Thạch (head), Hồ Văn Tài, Đinh Văn Lực; office Nguyễn Văn Thành
and Hồ Văn Phúc (leaders), Trần Thị Lan, Phạm Thị Ngọc, Lê Văn Khoa. Nobody is linked to a
chat until a test links them, so each test decides exactly who is reachable.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session, col, select

from bot.outbox.errors import PermanentError
from handlers.alert_ladder import run_ladder
from storage.db import transaction
from storage.enums import OutboxStatus, Role, UnitKind
from storage.models import (
    Commune,
    Incident,
    IncidentAlert,
    IncidentAlertStep,
    Member,
    OutboxMessage,
    Unit,
)
from tests.engine.flows import SUSPICIOUS
from tests.engine.harness import Harness, Person
from tests.outbox.doubles import ScriptedSender, VirtualTime, make_sender

REPORT = [("say", "/baocao"), ("tap", "khả nghi"), *SUSPICIOUS, ("tap", "Gửi báo cáo")]


def by_name(h: Harness, name: str) -> Member:
    return h.member(full_name=name)


def link(h: Harness, name: str, user_id: str) -> Person:
    return h.link(by_name(h, name), user_id)


def reporter(h: Harness) -> Person:
    return link(h, "Hồ Văn Mên", "1001")  # head of Thôn Trà Xinh


def report(h: Harness, head: Person) -> tuple[Incident, str]:
    """File the urgent form; returns the incident and the reporter's confirmation."""
    head.run(REPORT)
    [filed] = [r.text for r in head.inbox if "Đã gửi «Báo tin" in r.text]
    with Session(h.db) as s:
        incident = s.exec(select(Incident).order_by(col(Incident.id).desc())).first()
    assert incident is not None
    return incident, filed


def fresh(h: Harness, incident: Incident) -> Incident:
    with Session(h.db) as s:
        got = s.get(Incident, incident.id)
    assert got is not None
    return got


def steps(h: Harness, incident: Incident) -> list[tuple[int, str, int]]:
    with Session(h.db) as s:
        rows = s.exec(
            select(IncidentAlertStep)
            .where(IncidentAlertStep.incident_id == incident.id)
            .order_by(col(IncidentAlertStep.level))
        ).all()
    return [(r.level, r.reason, r.recipients) for r in rows]


def alerts_of(h: Harness, person: Person) -> list[str]:
    return [t for t in person.texts() if "TIN BÁO KHẨN" in t]


def ladder(h: Harness, minutes: float) -> int:
    """One scheduler round, ``minutes`` after the harness clock's current time."""
    h.clock.advance(minutes=minutes)
    return run_ladder(h.db, h.ctx.settings, h.clock.now)


# --- the truth at submit -------------------------------------------------------------------------


def test_the_confirmation_names_exactly_the_linked_police_members(harness: Harness) -> None:
    chief = link(harness, "Phạm Văn Dũng", "2001")
    hai = link(harness, "Nguyễn Văn Hải", "2002")
    soldier = link(harness, "Đinh Văn Thạch", "3001")
    incident, filed = report(harness, reporter(harness))
    assert (
        f"Sự việc số {incident.id}: đang gửi cảnh báo tới Phạm Văn Dũng (Trưởng Công an xã "
        "Tây Trà), Nguyễn Văn Hải (Công an xã Tây Trà)."
    ) in filed
    assert "Trần Minh Tuấn" not in filed and "Đã báo ngay" not in filed  # no chat, not named
    assert len(alerts_of(harness, chief)) == 1 and len(alerts_of(harness, hai)) == 1
    assert alerts_of(harness, soldier) == []  # the military command comes later, if at all
    with Session(harness.db) as s:
        rows = s.exec(select(IncidentAlert).where(IncidentAlert.incident_id == incident.id)).all()
    expected = [
        (0, by_name(harness, n).id, "telegram") for n in ("Phạm Văn Dũng", "Nguyễn Văn Hải")
    ]
    assert sorted((a.level, a.member_id, a.channel) for a in rows) == sorted(expected)
    assert all(a.delivered_at is None for a in rows)  # nothing has been sent yet
    got = fresh(harness, incident)
    assert got.alert_level == 0
    assert got.alert_next_at == harness.clock.now + timedelta(minutes=5)
    assert steps(harness, incident) == [(0, "submit", 2)]


def test_an_unreachable_member_is_not_named(harness: Harness) -> None:
    link(harness, "Phạm Văn Dũng", "2001")
    hai = link(harness, "Nguyễn Văn Hải", "2002")
    with transaction(harness.db) as s:
        member = s.get(Member, by_name(harness, "Phạm Văn Dũng").id)
        assert member is not None
        member.unreachable = True  # a channel refused delivery: he blocked the bot
    _, filed = report(harness, reporter(harness))
    assert "đang gửi cảnh báo tới Nguyễn Văn Hải (Công an xã Tây Trà)." in filed
    assert "Phạm Văn Dũng" not in filed
    assert len(alerts_of(harness, hai)) == 1


def test_nobody_at_the_police_says_so_gives_the_chief_s_phone_and_goes_up_at_once(
    harness: Harness,
) -> None:
    soldier = link(harness, "Đinh Văn Thạch", "3001")
    incident, filed = report(harness, reporter(harness))
    assert f"Sự việc số {incident.id}: hiện <b>không liên lạc được với ai ở Công an xã</b>" in (
        filed
    )
    assert "Vui lòng gọi ngay: Phạm Văn Dũng (Trưởng Công an xã Tây Trà): 0914321401" in filed
    assert "Đinh Văn Thạch (Chỉ huy trưởng Ban CHQS xã Tây Trà): 0914521501" in filed
    assert (
        "Tin Báo đang gửi cảnh báo tới Ban Chỉ huy quân sự xã: Đinh Văn Thạch "
        "(Chỉ huy trưởng Ban CHQS xã Tây Trà)."
    ) in filed
    assert "đang gửi cảnh báo tới" not in filed.split("\n")[0]
    [alert] = alerts_of(harness, soldier)
    assert "Không liên lạc được với Công an xã, Trưởng Công an xã" in alert
    assert steps(harness, incident) == [
        (0, "submit", 0),
        (1, "unreachable", 0),
        (2, "unreachable", 1),
    ]
    assert fresh(harness, incident).alert_level == 2


def test_nobody_reachable_at_all_is_said_plainly_and_the_ladder_stops(harness: Harness) -> None:
    head = reporter(harness)
    incident, filed = report(harness, head)
    [intro] = [r.text for r in head.inbox if r.text.startswith("🚨 Báo tin khẩn.")]
    assert "không liên lạc được thì tới cấp trên" in intro  # no unconditional promise
    assert "không liên lạc được với ai ở Công an xã" in filed
    assert "Tin Báo cũng không liên lạc được với ai khác" in filed
    assert "0914321401" in filed  # a phone still rings
    got = fresh(harness, incident)
    assert got.alert_next_at is None and got.alert_level == 3
    assert [s[2] for s in steps(harness, incident)] == [0, 0, 0, 0]
    with Session(harness.db) as s:
        assert s.exec(select(IncidentAlert)).all() == []
    assert ladder(harness, 60) == 0


# --- the ladder ---------------------------------------------------------------------------------


def test_each_rung_once_after_the_wait_then_the_reporter_is_told_to_call(
    harness: Harness,
) -> None:
    hai = link(harness, "Nguyễn Văn Hải", "2002")
    chief = link(harness, "Phạm Văn Dũng", "2001")
    soldier = link(harness, "Hồ Văn Tài", "3002")
    clerk = link(harness, "Trần Thị Lan", "4001")
    head = reporter(harness)
    incident, _ = report(harness, head)
    for person in (hai, chief, soldier, clerk):
        person.texts()  # read what they got so far
    assert ladder(harness, 4.9) == 0  # not yet
    assert ladder(harness, 0.1) > 0  # 5 minutes: the police chief
    [escalated] = alerts_of(harness, chief)
    assert "CHƯA AI TIẾP NHẬN</b> tin báo khẩn" in escalated and "sau 5 phút" in escalated
    assert (
        "(đã báo: Phạm Văn Dũng (Trưởng Công an xã Tây Trà), Nguyễn Văn Hải (Công an xã Tây Trà))"
    ) in escalated
    assert chief.inbox[-1].choices[0].data == f"inc:{incident.id}:received"
    assert alerts_of(harness, soldier) == []
    told = head.texts()
    assert told == [
        f"⏰ Sự việc số {incident.id}: sau 5 phút chưa ai bấm «Đã tiếp nhận». Tin Báo đã báo "
        "tiếp cho Trưởng Công an xã: Phạm Văn Dũng (Trưởng Công an xã Tây Trà)."
    ]
    assert ladder(harness, 0) == 0 and ladder(harness, 1) == 0  # never twice
    assert ladder(harness, 4) > 0  # 10 minutes: the military command
    assert len(alerts_of(harness, soldier)) == 1 and "sau 10 phút" in soldier.inbox[-1].text
    assert ladder(harness, 5) > 0  # 15 minutes: the office and leaders
    assert len(alerts_of(harness, clerk)) == 1
    assert ladder(harness, 5) > 0  # 20 minutes: nobody left: call them
    [last] = head.texts()[-1:]
    assert "đã báo tất cả các cấp nhưng sau 20 phút" in last and "0914321401" in last
    assert fresh(harness, incident).alert_next_at is None
    assert ladder(harness, 30) == 0
    assert [s[:2] for s in steps(harness, incident)] == [
        (0, "submit"),
        (1, "timeout"),
        (2, "timeout"),
        (3, "timeout"),
    ]
    with Session(harness.db) as s:
        keys = [
            r.dedupe_key for r in s.exec(select(OutboxMessage)).all() if r.dedupe_key is not None
        ]
    assert len(keys) == len(set(keys))
    assert len([k for k in keys if k.startswith(f"alert:{incident.id}:")]) == 5


def test_acknowledging_stops_the_ladder_and_tells_who_took_it(harness: Harness) -> None:
    hai = link(harness, "Nguyễn Văn Hải", "2002")
    chief = link(harness, "Phạm Văn Dũng", "2001")
    soldier = link(harness, "Hồ Văn Tài", "3002")
    head = reporter(harness)
    incident, _ = report(harness, head)
    assert ladder(harness, 5) > 0  # the chief is told again
    chief.replies()
    harness.clock.advance(minutes=1)
    chief.tap("Đã tiếp nhận")
    got = fresh(harness, incident)
    assert got.acknowledged_at == harness.clock.now
    assert got.acknowledged_by_member_id == by_name(harness, "Phạm Văn Dũng").id
    assert got.alert_next_at is None and got.status == "received"
    hai_texts = hai.texts()
    assert (
        f"✅ Tin báo khẩn #{incident.id} đã được Phạm Văn Dũng (Trưởng Công an xã Tây Trà) "
        "tiếp nhận lúc 09:06."
    ) in hai_texts
    assert any("Đã tiếp nhận" in t and "Phạm Văn Dũng" in t for t in head.texts())
    assert ladder(harness, 60) == 0  # nobody further is bothered
    assert alerts_of(harness, soldier) == []
    chief.press(f"inc:{incident.id}:verifying")  # a later status: still one acknowledgement
    assert hai.texts() == []
    assert fresh(harness, incident).acknowledged_at == got.acknowledged_at


def test_any_later_status_acknowledges_too(harness: Harness) -> None:
    link(harness, "Nguyễn Văn Hải", "2002")
    hai = link(harness, "Trần Minh Tuấn", "2003")
    incident, _ = report(harness, reporter(harness))
    hai.press(f"inc:{incident.id}:verifying")
    got = fresh(harness, incident)
    assert got.acknowledged_by_member_id == by_name(harness, "Trần Minh Tuấn").id
    assert got.alert_next_at is None


def test_alerts_and_escalations_ignore_quiet_hours(harness: Harness) -> None:
    harness.clock.now = datetime(2025, 9, 10, 16, 0, tzinfo=UTC)  # 23:00 in Hà Nội
    link(harness, "Nguyễn Văn Hải", "2002")
    chief = link(harness, "Phạm Văn Dũng", "2001")
    incident, filed = report(harness, reporter(harness))
    assert "đang gửi cảnh báo tới" in filed
    assert ladder(harness, 5) > 0  # 23:05: still climbs
    assert len(alerts_of(harness, chief)) == 2
    assert steps(harness, incident)[-1][:2] == (1, "timeout")


def test_the_ack_wait_is_a_setting(harness: Harness) -> None:
    harness.ctx.settings.alert_ack_minutes = 2
    link(harness, "Nguyễn Văn Hải", "2002")
    incident, _ = report(harness, reporter(harness))
    assert fresh(harness, incident).alert_next_at == harness.clock.now + timedelta(minutes=2)


# --- failures: every message of a rung dead ------------------------------------------------------


@pytest.mark.parametrize(
    "failure",
    [
        # Blocked while older messages of his chat were still queued: the alert dies with them.
        "blocked",
        # The alert itself refused (a 400) after his older messages went out.
        "refused",
    ],
)
async def test_a_rung_whose_messages_all_died_is_passed_at_once(
    harness: Harness, failure: str
) -> None:
    hai = link(harness, "Nguyễn Văn Hải", "2002")
    soldier = link(harness, "Đinh Văn Thạch", "3001")
    head = reporter(harness)
    clock = VirtualTime()  # the sender runs on real time: rows are due when enqueued
    channel = ScriptedSender(clock=clock)
    sender = make_sender(harness.db, harness.ctx.settings, channel, clock)
    if failure == "refused":
        while await sender.run_once():  # his welcome goes out first
            pass
    incident, _ = report(harness, head)
    error = (
        PermanentError("Forbidden: bot was blocked", unreachable=True)
        if failure == "blocked"
        else PermanentError("Bad Request: chat not found")
    )
    channel.fail_always(hai.user_id, error)
    while await sender.run_once():
        pass
    with Session(harness.db) as s:
        [alert] = s.exec(select(IncidentAlert).where(IncidentAlert.level == 0)).all()
        assert alert.failed_at is not None and alert.delivered_at is None
        assert s.get(OutboxMessage, alert.outbox_message_id).status == OutboxStatus.DEAD  # type: ignore[union-attr]
    head.texts()
    assert ladder(harness, 0.25) > 0  # fifteen seconds later, not five minutes
    [told] = head.texts()
    assert f"Sự việc số {incident.id}: cảnh báo <b>không gửi được</b> tới Nguyễn Văn Hải" in told
    assert "Vui lòng gọi ngay: Phạm Văn Dũng (Trưởng Công an xã Tây Trà): 0914321401" in told
    assert "đang gửi cảnh báo tới Ban Chỉ huy quân sự xã: Đinh Văn Thạch" in told
    [alert_text] = alerts_of(harness, soldier)
    assert "Không liên lạc được với Công an xã" in alert_text
    # The chief has no chat: rung 1 had nobody and was passed in the same step.
    assert steps(harness, incident) == [
        (0, "submit", 1),
        (1, "unreachable", 0),
        (2, "unreachable", 1),
    ]
    assert ladder(harness, 0.25) == 0


# --- delivery receipts ----------------------------------------------------------------------------


async def test_the_reporter_is_told_once_when_the_first_alert_arrives(harness: Harness) -> None:
    link(harness, "Nguyễn Văn Hải", "2002")
    link(harness, "Phạm Văn Dũng", "2001")
    head = reporter(harness)
    incident, _ = report(harness, head)
    head.texts()
    clock = VirtualTime()
    channel = ScriptedSender(clock=clock)
    sender = make_sender(harness.db, harness.ctx.settings, channel, clock)
    while await sender.run_once():  # both alerts, behind the chats' older messages
        pass
    arrived = [t for t in head.texts() if t.startswith("✅ Cảnh báo")]
    with Session(harness.db) as s:
        alerts = s.exec(select(IncidentAlert)).all()
        first = s.get(Incident, incident.id).alert_delivered_at  # type: ignore[union-attr]
        # The first arrival *recorded* (two deliveries may commit in either order): the one
        # the reporter is told about, and the one the dashboard shows.
        [told_of] = [a for a in alerts if a.delivered_at == first]
        reached = s.get(Member, told_of.member_id)
    assert len(alerts) == 2 and all(a.delivered_at is not None for a in alerts)
    assert first is not None and reached is not None
    assert len(arrived) == 1
    assert arrived[0].startswith(
        f"✅ Cảnh báo sự việc số {incident.id} đã đến Telegram của {reached.full_name} ("
    )
    at = first.astimezone(harness.ctx.settings.tz).strftime("%H:%M")
    assert arrived[0].endswith(f"lúc {at}.")
    await sender.run_once()
    assert [t for t in head.texts() if t.startswith("✅ Cảnh báo")] == []


# --- one province, many communes ---------------------------------------------------------------


def _second_commune(h: Harness) -> tuple[Member, Member]:
    """Xã Thử Hai: its own police member and village head, both on Telegram."""
    with transaction(h.db) as s:
        commune = Commune(
            code=99001, name="Xã Thử Hai", short_name="Thử Hai", province_code=51,
            province_name="Quảng Ngãi",
        )  # fmt: skip
        s.add(commune)
        s.flush()
        assert commune.id is not None
        police = Unit(commune_id=commune.id, name="Công an xã Thử Hai", kind=UnitKind.POLICE)
        village = Unit(commune_id=commune.id, name="Thôn Hai", kind=UnitKind.VILLAGE)
        office = Unit(commune_id=commune.id, name="Văn phòng xã Thử Hai", kind=UnitKind.OFFICE)
        s.add_all([police, village, office])
        s.flush()
        cop = Member(unit_id=police.id or 0, full_name="Công An Hai", phone="0911000001",
                     roles=[Role.POLICE])  # fmt: skip
        head = Member(unit_id=village.id or 0, full_name="Trưởng Thôn Hai", phone="0911000002",
                      roles=[Role.VILLAGE_HEAD])  # fmt: skip
        leader = Member(unit_id=office.id or 0, full_name="Lãnh Đạo Hai", phone="0911000003",
                        roles=[Role.LEADER])  # fmt: skip
        s.add_all([cop, head, leader])
        s.flush()
        police.head_member_id = cop.id
        village.head_member_id = head.id
        return cop, leader


def test_an_alert_never_crosses_into_another_commune(harness: Harness) -> None:
    other_cop, other_leader = _second_commune(harness)
    cop_b = harness.link(other_cop, "9001")
    leader_b = harness.link(other_leader, "9002")
    link(harness, "Nguyễn Văn Hải", "2002")
    incident, filed = report(harness, reporter(harness))
    assert "Công An Hai" not in filed
    for minutes in (5, 5, 5, 5):
        ladder(harness, minutes)
    assert cop_b.texts() == [] and leader_b.texts() == []
    with Session(harness.db) as s:
        reached = {a.member_id for a in s.exec(select(IncidentAlert)).all()}
    assert other_cop.id not in reached and other_leader.id not in reached
    # Nor can the other commune's police take it with a crafted button.
    cop_b.press(f"inc:{incident.id}:received")
    got = fresh(harness, incident)
    assert got.status == "new" and got.acknowledged_at is None


def test_the_other_commune_s_own_alert_stays_there(harness: Harness) -> None:
    other_cop, _ = _second_commune(harness)
    cop_b = harness.link(other_cop, "9001")
    head_b = harness.link(harness.member(full_name="Trưởng Thôn Hai"), "9003")
    tay_tra_cop = link(harness, "Nguyễn Văn Hải", "2002")
    incident, filed = report(harness, head_b)
    assert "đang gửi cảnh báo tới Công An Hai (Trưởng Công an xã Thử Hai)." in filed
    assert len(alerts_of(harness, cop_b)) == 1
    ladder(harness, 5)
    assert alerts_of(harness, tay_tra_cop) == []
    assert fresh(harness, incident).alert_level == 1


def test_two_processes_climbing_at_once_open_each_rung_once(harness: Harness) -> None:
    from concurrent.futures import ThreadPoolExecutor

    from storage.db import make_engine

    link(harness, "Nguyễn Văn Hải", "2002")
    chief = link(harness, "Phạm Văn Dũng", "2001")
    head = reporter(harness)
    incident, _ = report(harness, head)
    chief.texts()
    head.texts()
    harness.clock.advance(minutes=5)
    other = make_engine(harness.ctx.settings.effective_database_url)  # another process's pool
    try:
        with ThreadPoolExecutor(2) as pool:
            added = list(
                pool.map(lambda db: run_ladder(db, harness.ctx.settings, harness.clock.now),
                         [harness.db, other])
            )  # fmt: skip
    finally:
        other.dispose()
    assert sorted(added) == [0, 2]  # one climbed (the chief's alert, the reporter's notice)
    assert len(alerts_of(harness, chief)) == 1 and len(head.texts()) == 1
    assert [s[:2] for s in steps(harness, incident)] == [(0, "submit"), (1, "timeout")]
