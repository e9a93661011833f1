"""Who may do what: every chat command and every kind of button against every role.

The tables below are the specification. Each persona has exactly one role, in a unit of its
own of the kind named, so that no other role or unit can make a refusal pass. A command,
form or button added later without a row here fails the test until its rule is written down.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlmodel import Session, col, select
from starlette.applications import Starlette

from bot.channels import telegram_channel, zalo_channel
from bot.channels.zalo_client import ZaloClient
from bot.context import AppContext
from bot.core.engine import Engine
from bot.core.forms import load_forms
from bot.messages import t
from bot.settings import load_settings
from handlers.registry import COMMANDS, load_all
from storage.db import transaction
from storage.enums import IncidentStatus
from storage.invites import issue_codes
from storage.models import (
    Commune,
    DialogSession,
    Incident,
    IncidentEvent,
    Member,
    OutboxMessage,
    ProcessedUpdate,
    RateLimitHit,
    Submission,
    Unit,
)
from tests.engine.flows import SUSPICIOUS
from tests.engine.harness import Clock, Harness, Person
from tests.fakes.telegram_api import FakeTelegram
from tests.fakes.zalo_api import FakeZalo
from tests.faults.support import migrated

START = datetime(2025, 9, 10, 2, 0, tzinfo=UTC)  # 09:00 in Hà Nội, inside the sample campaign

#: persona → (its one role, the kind of its unit). ``stranger`` is on no roster.
PERSONAS = {
    "village_head": ("village_head", "village"),
    "police": ("police", "police"),
    "police_in_village": ("police", "village"),  # công an viên at a thôn
    "militia": ("militia", "military"),
    "agency_staff": ("agency_staff", "agency"),
    "office_staff": ("office_staff", "office"),
    "leader": ("leader", "office"),
    "admin": ("admin", "office"),
}

COMMANDS_SPEC = """
                    /start  /help  /baocao  /huy  /tiendo  /nhacnho  /summary
village_head          Y       Y      Y       Y      .        .         .
police                Y       Y      Y       Y      Y        .         .
police_in_village     Y       Y      Y       Y      Y        .         .
militia               Y       Y      Y       Y      .        .         .
agency_staff          Y       Y      Y       Y      .        .         .
office_staff          Y       Y      Y       Y      Y        Y         Y
leader                Y       Y      Y       Y      Y        .         Y
admin                 Y       Y      Y       Y      Y        Y         Y
stranger              .       .      .       .      .        .         .
"""

#: ``go:<form>`` from the menu or a reminder (the form's ``roles`` and ``unit_kinds``).
FORMS_SPEC = """
                    khong_phat_hien  doi_tuong_kha_nghi  nhat_ky_tuan_tra  ket_qua_thuc_hien
village_head              Y                  Y                  .                  Y
police                    Y                  Y                  Y                  Y
police_in_village         Y                  Y                  Y                  Y
militia                   Y                  Y                  Y                  Y
agency_staff              Y                  Y                  .                  Y
office_staff              .                  Y                  .                  .
leader                    .                  Y                  .                  .
admin                     .                  .                  .                  .
stranger                  .                  .                  .                  .
"""

#: ``inc:<id>:<status>`` on an alert; ``a:``/``n:`` on the person's own open dialog (admin
#: may fill in no form, so has no dialog for them to act on: they are answered as stale).
BUTTONS_SPEC = """
                    inc  nav
village_head         .    Y
police               Y    Y
police_in_village    Y    Y
militia              Y    Y
agency_staff         .    Y
office_staff         Y    Y
leader               Y    Y
admin                Y    .
stranger             .    .
"""


def table(spec: str) -> dict[str, dict[str, bool]]:
    lines = [line.split() for line in spec.strip().splitlines()]
    columns = lines[0]
    out = {}
    for row in lines[1:]:
        assert len(row) == len(columns) + 1, row
        out[row[0]] = {c: v == "Y" for c, v in zip(columns, row[1:], strict=True)}
    return out


COMMAND_RULES = table(COMMANDS_SPEC)
FORM_RULES = table(FORMS_SPEC)
BUTTON_RULES = table(BUTTONS_SPEC)
EVERYONE = [*PERSONAS, "stranger"]


# === the cast ==================================================================================


@dataclass
class Cast:
    harness: Harness
    people: dict[str, Person]
    incident_id: int

    def member(self, persona: str) -> Member | None:
        if persona == "stranger":
            return None
        return self.harness.member(telegram_user_id=self.people[persona].user_id)


def add_personas(harness: Harness) -> dict[str, Person]:
    people = {}
    with transaction(harness.db) as s:
        commune = s.exec(select(Commune)).one()
        for n, (persona, (role, kind)) in enumerate(PERSONAS.items()):
            unit = Unit(commune_id=commune.id or 0, name=f"Đơn vị thử {persona}", kind=kind)
            s.add(unit)
            s.flush()
            uid = str(6100 + n)
            s.add(
                Member(
                    unit_id=unit.id or 0,
                    full_name=f"Người thử {n}",
                    phone=f"09123400{n:02d}",
                    roles=[role],
                    telegram_user_id=uid,
                    telegram_chat_id=uid,
                )
            )
            people[persona] = Person(harness, uid)
    people["stranger"] = Person(harness, "6199")
    return people


def make_cast(tmp: Path) -> Cast:
    url = f"sqlite:///{tmp / 'tinbao.db'}"
    ctx = AppContext(
        settings=load_settings(data_dir=tmp, database_url=url, _env_file=None),
        engine=migrated(url),
    )
    harness = Harness(ctx, Clock(START))
    harness.seed()
    people = add_personas(harness)
    # An incident to press status buttons on: the village head's urgent tip.
    head = people["village_head"]
    head.press("go:doi_tuong_kha_nghi")
    head.replies()
    head.run(SUSPICIOUS)
    head.tap("Gửi báo cáo")
    with Session(harness.db) as s:
        incident = s.exec(select(Incident)).one()
    return Cast(harness, people, incident.id or 0)


@pytest.fixture(scope="module")
def cast(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cast]:
    made = make_cast(tmp_path_factory.mktemp("access"))
    yield made
    made.harness.ctx.close()


def texts(person: Person) -> list[str]:
    return [r.text for r in person.replies()]


def dialog_form(cast: Cast, persona: str) -> str | None:
    member = cast.member(persona)
    if member is None:
        return None
    with Session(cast.harness.db) as s:
        row = s.exec(select(DialogSession).where(DialogSession.member_id == member.id)).first()
    return row.form_id if row else None


def dialog_step(cast: Cast, persona: str) -> int:
    member = cast.member(persona)
    assert member is not None
    with Session(cast.harness.db) as s:
        row = s.exec(select(DialogSession).where(DialogSession.member_id == member.id)).one()
    return row.step


def assert_stranger_turned_away(cast: Cast, replies: list[str]) -> None:
    assert replies == [t("chat.unknown_person")]
    with Session(cast.harness.db) as s:
        linked = s.exec(
            select(Member).where(Member.telegram_user_id == cast.people["stranger"].user_id)
        ).all()
    assert linked == []


# === the tables are complete ===================================================================


def test_every_command_form_and_persona_has_a_rule() -> None:
    load_all()
    assert set(COMMANDS) <= set(COMMAND_RULES["stranger"]), "a command without a rule"
    assert set(load_forms()) == set(FORM_RULES["stranger"]), "a form without a rule"
    for rules in (COMMAND_RULES, FORM_RULES, BUTTON_RULES):
        assert list(rules) == EVERYONE


# === commands ===================================================================================


@pytest.mark.parametrize("command", list(COMMAND_RULES["stranger"]))
def test_command_is_allowed_exactly_where_the_table_says(cast: Cast, command: str) -> None:
    load_all()
    if command not in COMMANDS:
        pytest.skip(f"{command} is not registered yet")
    wrong = []
    for persona in EVERYONE:
        person = cast.people[persona]
        person.replies()
        person.text(command)
        replies = texts(person)
        if persona == "stranger":
            assert_stranger_turned_away(cast, replies)
            continue
        refused = t("chat.not_allowed") in replies
        if refused == COMMAND_RULES[persona][command] or not replies:
            wrong.append((persona, replies[:2]))
        if refused:
            assert replies == [t("chat.not_allowed")], (persona, replies)
    assert wrong == [], f"{command}: wrong answer for {wrong}"


def test_help_lists_exactly_the_commands_each_person_may_use(cast: Cast) -> None:
    load_all()
    for persona in PERSONAS:
        person = cast.people[persona]
        person.replies()
        person.text("/help")
        listed = set(re.findall(r"^(/\w+) — ", "\n".join(texts(person)), flags=re.M))
        allowed = {c for c in COMMANDS if COMMAND_RULES[persona][c]}
        assert listed == allowed, persona


# === forms ======================================================================================


def submissions_by(cast: Cast, persona: str, form_id: str) -> int:
    member = cast.member(persona)
    assert member is not None
    with Session(cast.harness.db) as s:
        return len(
            s.exec(
                select(Submission)
                .where(Submission.member_id == member.id)
                .where(Submission.form_id == form_id)
            ).all()
        )


def test_forms_open_exactly_where_the_table_says(cast: Cast) -> None:
    forms = load_forms()
    wrong = []
    for persona in EVERYONE:
        person = cast.people[persona]
        person.text("/huy")
        person.replies()
        if persona != "stranger":  # the menu offers exactly the allowed forms
            person.text("/baocao")
            offered = {c.data for r in person.replies() for c in r.choices}
            expected = {f"go:{f}" for f, ok in FORM_RULES[persona].items() if ok}
            if offered != expected:
                wrong.append((persona, "menu", sorted(offered)))
        for form_id, allowed in FORM_RULES[persona].items():
            before = submissions_by(cast, persona, form_id) if persona != "stranger" else 0
            person.press(f"go:{form_id}")
            replies = texts(person)
            if persona == "stranger":
                assert_stranger_turned_away(cast, replies)
                continue
            if forms[form_id].one_tap:
                opened = submissions_by(cast, persona, form_id) == before + 1
            else:
                opened = dialog_form(cast, persona) == form_id
            refused = replies == [t("chat.not_allowed")]
            if (opened, refused) != (allowed, not allowed):
                wrong.append((persona, form_id, replies[:2]))
            person.text("/huy")
            person.replies()
    assert wrong == []


# === buttons ====================================================================================


def test_incident_status_buttons_work_exactly_where_the_table_says(cast: Cast) -> None:
    wrong = []
    for persona in EVERYONE:
        with transaction(cast.harness.db) as s:
            incident = s.get(Incident, cast.incident_id)
            assert incident is not None
            incident.status = IncidentStatus.NEW
        person = cast.people[persona]
        person.replies()
        person.press(f"inc:{cast.incident_id}:verifying")
        replies = texts(person)
        member = cast.member(persona)
        with Session(cast.harness.db) as s:
            status = s.get(Incident, cast.incident_id).status  # type: ignore[union-attr]
            recorded = s.exec(
                select(IncidentEvent)
                .where(IncidentEvent.incident_id == cast.incident_id)
                .where(IncidentEvent.member_id == (member.id if member else -1))
                .where(IncidentEvent.status == "verifying")
            ).all()
        if persona == "stranger":
            assert_stranger_turned_away(cast, replies)
            assert status == IncidentStatus.NEW
            continue
        changed = status == IncidentStatus.VERIFYING and len(recorded) == 1
        refused = replies == [t("chat.not_allowed")]
        if (changed, refused) != (BUTTON_RULES[persona]["inc"], not BUTTON_RULES[persona]["inc"]):
            wrong.append((persona, status, replies[:2]))
    assert wrong == []


#: For each form, a valid value for the first question's button (``a:<step>:<value>``).
FIRST_ANSWER = {
    "ket_qua_thuc_hien": "2",
    "nhat_ky_tuan_tra": "hom nay",
    "doi_tuong_kha_nghi": "Bãi đất trống cuối thôn",
}


def test_answer_and_navigation_buttons_act_on_ones_own_dialog_only(cast: Cast) -> None:
    wrong: list[Any] = []
    for persona in EVERYONE:
        person = cast.people[persona]
        person.text("/huy")
        person.replies()
        usable = [f for f in FIRST_ANSWER if FORM_RULES[persona][f]]
        if not usable:
            person.press("a:1:2")
            person.press("n:2:cancel")
            replies = texts(person)
            if persona == "stranger":
                assert replies == [t("chat.unknown_person")] * 2
            elif replies != [t("chat.stale_button")] * 2 or dialog_form(cast, persona):
                wrong.append((persona, replies))
            if BUTTON_RULES[persona]["nav"]:
                wrong.append((persona, "has no form to navigate but the table says it may"))
            continue
        form_id = usable[0]
        person.press(f"go:{form_id}")
        step = dialog_step(cast, persona)
        person.press(f"a:{step}:{FIRST_ANSWER[form_id]}")
        answered = dialog_step(cast, persona) == step + 1
        person.press(f"n:{step + 1}:cancel")
        cancelled = dialog_form(cast, persona) is None
        if (answered and cancelled) != BUTTON_RULES[persona]["nav"]:
            wrong.append((persona, form_id, texts(person)[-2:]))
    assert wrong == []


# === invite codes ===============================================================================


def test_invite_guessing_is_throttled_for_fifteen_minutes(tmp_path: Path) -> None:
    cast = make_cast(tmp_path)
    harness = cast.harness
    target = harness.members_with_role("village_head", "village")[5]
    with transaction(harness.db) as s:
        code = issue_codes(s, [s.get(Member, target.id)])[0].code  # type: ignore[list-item]
    guesser, bystander = Person(harness, "5551"), Person(harness, "5552")
    for i in range(5):  # by command and typed alike
        guesser.text(f"/start WRONG{i}XY" if i % 2 else f"WRNG{i}ABCD")
    assert texts(guesser) == [t("register.wrong_code")] * 5
    bystander.text("/start NOTACODE1")  # someone else's guesses do not count against him
    harness.clock.advance(minutes=14, seconds=59)
    guesser.text(f"/start {code}")
    assert texts(guesser) == [t("register.throttled")]
    assert harness.member(id=target.id).telegram_user_id is None
    harness.clock.advance(seconds=1)  # fifteen minutes after the wrong guesses
    guesser.text(f"/start {code}")
    assert any(t("register.welcome").split("{")[0] in text for text in texts(guesser))
    assert harness.member(id=target.id).telegram_user_id == "5551"
    harness.ctx.close()


# === webhooks ===================================================================================

TG_SECRET = "tg-secret_0123456789"
ZALO_SECRET = "zalo-secret_9876543210"


def count_rows(ctx: AppContext) -> dict[str, int]:
    with Session(ctx.engine) as s:
        return {
            model.__name__: len(s.exec(select(model)).all())
            for model in (ProcessedUpdate, OutboxMessage, RateLimitHit)
        } | {
            "linked": len(
                s.exec(select(Member).where(col(Member.telegram_user_id).is_not(None))).all()
            )
            + len(s.exec(select(Member).where(col(Member.zalo_user_id).is_not(None))).all())
        }


async def test_webhooks_without_the_right_secret_are_refused_and_store_nothing(
    tmp_path: Path, fake_telegram: FakeTelegram, fake_zalo: FakeZalo
) -> None:
    cast = make_cast(tmp_path / "db")
    ctx = cast.harness.ctx
    with transaction(ctx.engine) as s:
        members = s.exec(select(Member).where(col(Member.telegram_user_id).is_(None))).all()
        codes = [c.code for c in issue_codes(s, members[:2])]
    # Bodies that would register someone if they got through.
    tg_update = fake_telegram.text_update(424242, f"/start {codes[0]}")
    zalo_update = fake_zalo.text_update("zalo-intruder", f"/start {codes[1]}")
    base = {
        "_env_file": None,
        "data_dir": tmp_path / "db",
        "database_url": ctx.settings.database_url,
        "telegram_bot_token": fake_telegram.token,
        "telegram_api_url": fake_telegram.url,
        "zalo_bot_token": fake_zalo.token,
        "zalo_api_url": fake_zalo.url,
    }
    configured = load_settings(
        **base, telegram_webhook_secret=TG_SECRET, zalo_webhook_secret=ZALO_SECRET
    )
    unset = load_settings(**base)  # a webhook without a secret refuses everyone
    stored = count_rows(ctx)

    async def post(settings: Any, path: str, header: str, secret: str | None, body: Any) -> int:
        engine = Engine(AppContext(settings, ctx.engine))
        async with ZaloClient(fake_zalo.token, fake_zalo.url) as zalo:
            app = Starlette(
                routes=[
                    telegram_channel.telegram_webhook_route(
                        engine, telegram_channel.make_bot(settings), settings
                    ),
                    zalo_channel.zalo_webhook_route(engine, zalo, settings),
                ]
            )
            headers = {} if secret is None else {header: secret}
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://hook") as http:
                return (await http.post(path, json=body, headers=headers)).status_code

    tg = (telegram_channel.WEBHOOK_PATH, telegram_channel.SECRET_HEADER, tg_update, TG_SECRET)
    zl = (zalo_channel.WEBHOOK_PATH, zalo_channel.SECRET_HEADER, zalo_update, ZALO_SECRET)
    for path, header, body, right in (tg, zl):
        other = ZALO_SECRET if right == TG_SECRET else TG_SECRET
        for secret in (None, "", "wrong-secret", other, right.upper(), right[:-1], right + "x"):
            assert await post(configured, path, header, secret, body) == 403, (path, secret)
        for secret in (None, "", right):
            assert await post(unset, path, header, secret, body) == 403, (path, secret)
        assert count_rows(ctx) == stored, path
    # The same requests with the right secret do get through (the check above can fail).
    assert await post(configured, *tg[:2], TG_SECRET, tg_update) == 200
    assert await post(configured, *zl[:2], ZALO_SECRET, zalo_update) == 200
    after = count_rows(ctx)
    assert after["ProcessedUpdate"] == stored["ProcessedUpdate"] + 2
    assert after["linked"] == stored["linked"] + 2
    ctx.close()
