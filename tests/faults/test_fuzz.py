"""Fuzzed input at every question of every shipped form (hypothesis, SQLite).

Typed text (any Unicode, control characters, very long, HTML/Markdown), button data (random,
stale, wrong step, wrong values, ``inc:``/``go:``) and other kinds of message. For every input:
the engine does not fail, something is answered (a message for typed input, at least the
button's acknowledgement for a press), every reply would be accepted by Telegram, and the
dialog state is unchanged unless the input was a valid answer to that question — then the
dialog advanced and kept that answer.

Whether an input is a valid answer is decided by the parsing rules (:mod:`bot.core.answers`)
used as the oracle: the property under test is that the dialog, the routing and the rendering
around them keep the state exactly as the parser's verdict says, and never crash.
"""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from sqlmodel import Session, col, func, select

from bot.channels.telegram_render import message_parts
from bot.context import AppContext
from bot.core.answers import Answer, local_today, parse_typed, time_order_refusal
from bot.core.engine import Outcome
from bot.core.events import EventKind, InboundEvent, Reply
from bot.core.forms import Form, load_forms
from bot.core.forms.schema import Question, QuestionType
from bot.settings import load_settings
from bot.text import fold
from storage.db import transaction
from storage.models import DialogSession, Member, OutboxMessage, Unit
from tests.engine.harness import Clock, Harness, Person
from tests.fakes.telegram_html import plain_text
from tests.faults.support import SOAK, migrated

START = datetime(2025, 9, 10, 2, 0, tzinfo=UTC)  # 09:00 in Hà Nội
EXAMPLES = 2000 if SOAK else 120
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
NAV_WORDS = {"bo qua", "xong", "quay lai", "gui", "gui bao cao", "sua"}
CANCEL_WORDS = {"huy", "huy bo", "thoi"}
_ids = itertools.count(10_000_000)
FORM_IDS = sorted(load_forms())


# === the world: one person per form, and the dialog saved at each of its questions =============


@dataclass(frozen=True)
class Position:
    form_id: str  # whose person (the menu differs by role)
    question_id: str | None  # None: the review screen, or no dialog open (``idle``)
    form_id_saved: str | None
    state: dict[str, Any]
    step: int
    idle: bool = False

    def __str__(self) -> str:
        return f"{self.form_id}:{'idle' if self.idle else self.question_id or 'review'}"


@dataclass
class World:
    harness: Harness
    forms: dict[str, Form]
    people: dict[str, Person]  # form id → the person filling it in
    positions: list[Position]


def rich_answer(question: Question, phone: str) -> str:
    """A valid typed answer that makes every conditional question after it appear."""
    kind = question.type
    if kind is QuestionType.INTEGER:
        return str(min(max(question.min or 0, 2), question.max or 2))
    if kind is QuestionType.YES_NO:
        return "có"
    if kind is QuestionType.MULTI_CHOICE:
        return ",".join(str(i) for i in range(1, len(question.options) + 1))
    if kind is QuestionType.SINGLE_CHOICE:
        return "1"
    if kind is QuestionType.DATE:
        return "hôm nay"
    if kind is QuestionType.TIME:
        return "8:00" if question.after else "6:00"  # an end time comes after its start
    if kind is QuestionType.LOCATION:
        return "Bãi đất trống cuối thôn"
    if question.suggest_member_phone:
        return phone
    return "Nội dung thử"


def member_for(harness: Harness, form: Form) -> Member:
    with Session(harness.db) as s:
        rows = s.exec(select(Member, Unit).join(Unit, col(Unit.id) == Member.unit_id)).all()
    for member, unit in sorted(rows, key=lambda r: r[0].id or 0):
        allowed = set(member.roles) & set(form.roles) and unit.kind in form.unit_kinds
        if allowed and member.telegram_user_id is None:
            return member
    raise AssertionError(f"nobody may fill in {form.id}")


def dialog_row(harness: Harness, person: Person) -> DialogSession:
    with Session(harness.db) as s:
        return s.exec(select(DialogSession).where(DialogSession.chat_id == person.user_id)).one()


def walk(harness: Harness, form: Form, person: Person) -> list[Position]:
    """Fill the form in with rich answers, saving the dialog at each question and review
    (and before it starts: no dialog open)."""
    person.text("/start")
    row = dialog_row(harness, person)
    positions = [Position(form.id, None, row.form_id, dict(row.state), row.step, idle=True)]
    assert person.press(f"go:{form.id}") is Outcome.HANDLED
    phone = harness.member(telegram_user_id=person.user_id).phone
    for _ in range(len(form.questions) + 1):
        row = dialog_row(harness, person)
        state = dict(row.state)
        question = state.get("q") if state.get("mode") == "ask" else None
        positions.append(Position(form.id, question, row.form_id, state, row.step))
        if question is None:
            break
        q = form.question(question)
        if q.type is QuestionType.MEDIA:
            person.photo(f"photo-{person.user_id}")
            person.text("xong")
        else:
            person.text(rich_answer(q, phone))
    return positions


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    tmp: Path = tmp_path_factory.mktemp("fuzz")
    url = f"sqlite:///{tmp / 'tinbao.db'}"
    ctx = AppContext(
        settings=load_settings(data_dir=tmp, database_url=url, _env_file=None),
        engine=migrated(url),
    )
    harness = Harness(ctx, Clock(START))
    harness.seed()
    forms = load_forms()
    people: dict[str, Person] = {}
    positions: list[Position] = []
    for number, form in enumerate(sorted(forms.values(), key=lambda f: f.order)):
        if form.one_tap:
            continue  # no questions to be at
        member = member_for(harness, form)
        with transaction(ctx.engine) as s:
            row = s.get(Member, member.id)
            assert row is not None
            row.telegram_user_id = row.telegram_chat_id = str(9100 + number)
        people[form.id] = Person(harness, str(9100 + number))
        positions += walk(harness, form, people[form.id])
    yield World(harness, forms, people, positions)
    ctx.close()


def test_the_walk_reaches_every_question_of_every_form(world: World) -> None:
    for form in world.forms.values():
        reached = {p.question_id for p in world.positions if p.form_id == form.id and not p.idle}
        if form.one_tap:
            assert not form.questions
            continue
        assert reached == {q.id for q in form.questions} | {None}, form.id
        assert any(p.idle for p in world.positions if p.form_id == form.id)


# === one fuzzed event ============================================================================


def restore(world: World, person: Person, position: Position) -> None:
    with transaction(world.harness.db) as s:
        row = s.exec(select(DialogSession).where(DialogSession.chat_id == person.user_id)).one()
        row.form_id = position.form_id_saved
        row.state = dict(position.state)
        row.step = position.step
        s.add(row)


def last_outbox_id(world: World) -> int:
    with Session(world.harness.db) as s:
        return int(s.exec(select(func.max(OutboxMessage.id))).one() or 0)


def new_rows(world: World, after: int) -> list[OutboxMessage]:
    with Session(world.harness.db) as s:
        return list(
            s.exec(
                select(OutboxMessage)
                .where(col(OutboxMessage.id) > after)
                .order_by(col(OutboxMessage.id))
            ).all()
        )


def assert_telegram_would_accept(reply: Reply) -> None:
    parts = message_parts(reply)
    for part in parts:
        text = str(part["text"])
        assert text.strip(), "an empty message"
        assert len(plain_text(text)) <= 4096  # raises on HTML Telegram refuses
    for choice in reply.choices:
        assert 1 <= len(choice.data.encode()) <= 64, choice.data


def send(world: World, position: Position, kind: EventKind, **fields: Any) -> Verdict:
    person = world.people[position.form_id]
    restore(world, person, position)
    before = last_outbox_id(world)
    inbound = InboundEvent(
        channel="telegram",
        update_key=f"fuzz-{next(_ids)}",
        chat_id=person.user_id,
        user_id=person.user_id,
        kind=kind,
        received_at=START,
        **fields,
    )
    outcome = world.harness.engine.handle(inbound)
    assert outcome is Outcome.HANDLED, outcome
    rows = new_rows(world, before)
    for row in rows:
        reply = Reply.from_payload(row.payload)
        if row.kind == "message":
            assert_telegram_would_accept(reply)
        else:
            assert len(reply.text) <= 200
    after = dialog_row(world.harness, person)
    return Verdict(inbound, rows, after.form_id, dict(after.state), after.step)


@dataclass
class Verdict:
    event: InboundEvent
    rows: list[OutboxMessage]
    form_id: str | None
    state: dict[str, Any]
    step: int

    @property
    def messages(self) -> list[OutboxMessage]:
        return [r for r in self.rows if r.kind == "message"]

    def unchanged(self, position: Position) -> None:
        assert (self.form_id, self.state, self.step) == (
            position.form_id_saved,
            position.state,
            position.step,
        ), "the dialog changed on an input that is not a valid answer"

    def advanced(self, position: Position, question: Question, value: Any) -> None:
        assert self.form_id == position.form_id_saved
        assert self.step == position.step + 1
        assert self.state["answers"].get(question.id) == value
        moved = self.state.get("mode") == "review" or self.state.get("q") != question.id
        assert moved, "a valid answer did not move the dialog on"

    def cancelled(self) -> None:
        assert self.form_id is None and self.state == {}


def parse_verdict(world: World, position: Position, question: Question, raw: str) -> Any:
    """The parser's verdict on ``raw`` as an answer: the value, or None for a refusal."""
    harness = world.harness
    today = local_today(harness.clock.now, harness.ctx.settings.tz)
    phone = harness.member(telegram_user_id=world.people[position.form_id].user_id).phone
    result = parse_typed(question, raw, today, phone)
    if not isinstance(result, Answer) or question.type is QuestionType.MEDIA:
        return None
    if question.type is QuestionType.TIME and question.not_in_future:
        dates = [
            position.state["answers"].get(q.id)
            for q in world.forms[position.form_id].questions
            if q.type is QuestionType.DATE
        ]
        hour, minute = (int(x) for x in str(result.value).split(":"))
        if today.date.isoformat() in dates and hour * 60 + minute > 9 * 60 + 10:
            return None  # later than now (09:00 + 10 min grace) on a date answered 'today'
    form = world.forms[position.form_id]
    if time_order_refusal(form, question, result.value, position.state["answers"]):
        return None  # an end time not after its start
    return result


# === strategies ==================================================================================

NASTY = [
    "",
    " ",
    "\x00",
    "\u200b",
    "\u202e2",
    "２",
    "²",
    "١",
    "1\x002",
    "<b>1</b>",
    "<script>alert(1)</script>",
    "</b>",
    "&",
    "&amp;",
    "a < b > c",
    "*đậm* _nghiêng_ [link](http://x) `code`",
    "😀",
    "💥" * 3000,
    "x" * 5000,
    "1" * 40,
    "1.200",
    "-1",
    "0",
    "2",
    "hôm nay",
    "32/13",
    "29/2",
    "25:61",
    "23:59",
    "7h15",
    "có",
    "KHÔNG",
    "1,2,3",
    "1,99",
    "Bỏ qua",
    "xong",
    "quay lại",
    "gửi",
    "huỷ",
    "/huy",
    "/start",
    "/start ABCDEFGH",
    "/baocao@tinbao_bot",
    "/không_có",
    "/",
    "0905 211 301",
    "+84 905 211 301",
    "số đã đăng ký",
    "sửa 1",
    "sửa ²",
    "sửa 99999999999999999999",
    "99999999999999999999",
]
typed_text = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=60),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=2000, max_size=6000),
    st.text(alphabet=st.characters(max_codepoint=0x1F), max_size=20),
    st.from_regex(r"[0-9 .,;:/hgp-]{1,12}", fullmatch=True),
)


def shown_values(world: World, position: Position) -> list[str]:
    """The values the question's own buttons carry (so that valid presses are drawn too)."""
    if position.question_id is None:
        return ["x"]
    question = world.forms[position.form_id].question(position.question_id)
    values = [o.value for o in question.options]
    return [*values, "yes", "no", "hom nay", "hom qua", "bay gio", "1", "2"]


@st.composite
def button_data(draw: st.DrawFn, step: int, shown: list[str]) -> str:
    value = draw(st.one_of(st.sampled_from(shown), st.sampled_from(NASTY), st.text(max_size=40)))
    head = draw(st.sampled_from(["a", "n", "go", "inc", "resume", "x", ""]))
    near = draw(st.sampled_from([step, step, step - 1, step + 1, 0]))
    number = draw(st.sampled_from([str(near), "²", "١", "-1", "", "99999999999999999999"]))
    action = draw(
        st.sampled_from(
            ["skip", "done", "back", "submit", "edit", "cancel", "resume", "replace", "e=x"]
        )
    )
    status = draw(st.sampled_from(["received", "handled", "new", "bogus", ""]))
    form = draw(st.sampled_from([*FORM_IDS, "khong_co", ""]))
    return draw(
        st.sampled_from(
            [
                f"a:{step}:{value}",  # the question's own step: valid or refused
                f"a:{step}:{value}",
                f"a:{step}:{value}",
                f"a:{number}:{value}",
                f"n:{number}:{action}",
                f"n:{number}:{value}",
                f"inc:{number}:{status}",
                f"go:{form}",
                f"go:{form}:{number}",
                f"go:{value}",
                "resume",
                f"{head}:{value}",
                value,
            ]
        )
    )


# === the properties ==============================================================================


def check_typed(world: World, position: Position, raw: str) -> None:
    verdict = send(world, position, EventKind.TEXT, text=raw)
    assert verdict.messages, "typed input got no answer"
    if position.question_id is None:
        return  # the review ('gửi', 'sửa 2'…) and the menu ('1' starts a form): any change
    folded = fold(raw)
    command = verdict.event.command
    if command is not None:
        if command[0] == "/huy":
            verdict.cancelled()
        else:
            verdict.unchanged(position)
        return
    if folded in CANCEL_WORDS:
        verdict.cancelled()
        return
    if folded.rstrip(".!") in NAV_WORDS:
        return  # navigation (skip, back…): covered by the dialog tests
    question = world.forms[position.form_id].question(position.question_id)
    answer = parse_verdict(world, position, question, raw)
    note(f"typed: {'refused' if answer is None else 'answered'}")
    if answer is None:
        verdict.unchanged(position)
    else:
        verdict.advanced(position, question, answer.value)


def note(label: str) -> None:
    """Count the kind of example in hypothesis' statistics (outside a @given: nothing)."""
    with contextlib.suppress(InvalidArgument):
        event(label)


def ascii_number(text: str) -> bool:
    return text.isascii() and text.isdigit() and len(text) <= 9


def check_button(world: World, position: Position, data: str) -> None:
    verdict = send(world, position, EventKind.BUTTON, data=data, callback_id="cb-fuzz")
    assert [r.kind for r in verdict.rows].count("callback_answer") == 1, "no acknowledgement"
    if position.question_id is None:
        return
    parts = data.split(":")
    form = world.forms[position.form_id]
    question = form.question(position.question_id)
    directive_ok = len(parts) == 2 or (len(parts) == 3 and ascii_number(parts[2]))
    if parts[0] == "go" and directive_ok and parts[1] in world.forms:
        target = world.forms[parts[1]]
        person = world.people[position.form_id]
        member = world.harness.member(telegram_user_id=person.user_id)
        with Session(world.harness.db) as s:
            unit = s.get(Unit, member.unit_id)
        usable = set(member.roles) & set(target.roles) and unit and unit.kind in target.unit_kinds
        if usable and target.id != form.id and not target.one_tap:
            return  # asks whether to drop the draft: a valid choice that changes the state
        verdict.unchanged(position)
        return
    if parts[0] in ("a", "n") and len(parts) >= 3 and parts[1] == str(position.step):
        value = ":".join(parts[2:])
        if parts[0] == "n":
            return  # navigation: covered by the dialog tests
        if question.type is QuestionType.MULTI_CHOICE:
            if question.option(value) is None:
                verdict.unchanged(position)
            else:
                assert verdict.step == position.step + 1  # toggled, still on the question
                assert verdict.state["q"] == question.id
            return
        answer = parse_verdict(world, position, question, value)
        note(f"button: {'refused' if answer is None else 'answered'}")
        if answer is None:
            verdict.unchanged(position)
        else:
            verdict.advanced(position, question, answer.value)
        return
    note("button: stale or foreign")
    verdict.unchanged(position)


def positions(world_positions: list[Position]) -> st.SearchStrategy[Position]:
    return st.sampled_from(world_positions)


@FUZZ
@given(data=st.data())
def test_fuzzed_typed_text_at_every_question(world: World, data: st.DataObject) -> None:
    position = data.draw(positions(world.positions), label="position")
    raw = data.draw(typed_text, label="text")
    check_typed(world, position, raw)


@FUZZ
@given(data=st.data())
def test_fuzzed_button_data_at_every_question(world: World, data: st.DataObject) -> None:
    position = data.draw(positions(world.positions), label="position")
    raw = data.draw(button_data(position.step, shown_values(world, position)), label="data")
    check_button(world, position, raw)


@FUZZ
@given(data=st.data())
def test_other_kinds_of_message_at_every_question(world: World, data: st.DataObject) -> None:
    position = data.draw(positions(world.positions), label="position")
    kind = data.draw(
        st.sampled_from(
            [
                EventKind.LOCATION,
                EventKind.PHOTO,
                EventKind.VOICE,
                EventKind.UNSUPPORTED,
                EventKind.EDITED,
                EventKind.CONTACT,
            ]
        )
    )
    fields: dict[str, Any] = {}
    if kind is EventKind.LOCATION:
        coordinate = st.floats(allow_nan=True, allow_infinity=True)
        fields = {"latitude": data.draw(coordinate), "longitude": data.draw(coordinate)}
    elif kind in (EventKind.PHOTO, EventKind.VOICE):
        fields = {"file_ref": data.draw(st.text(min_size=1, max_size=80))}
    elif kind is EventKind.CONTACT:
        fields = {"contact_phone": data.draw(st.text(max_size=20)), "contact_user_id": "1"}
    verdict = send(world, position, kind, **fields)
    assert verdict.messages, f"{kind} got no answer"
    question = (
        world.forms[position.form_id].question(position.question_id)
        if position.question_id
        else None
    )
    if question is None:
        verdict.unchanged(position)  # the review and the menu take no photo or location
    elif kind in (EventKind.PHOTO, EventKind.VOICE) and question.type is QuestionType.MEDIA:
        assert verdict.step == position.step + 1  # collected; still on the question
        assert len(verdict.state["pending"]) == len(position.state.get("pending") or []) + 1
    elif kind is EventKind.LOCATION and question.type is QuestionType.LOCATION:
        lat, lon = fields["latitude"], fields["longitude"]
        if -90 <= lat <= 90 and -180 <= lon <= 180:
            expected = {"text": None, "lat": round(lat, 6), "lon": round(lon, 6)}
            verdict.advanced(position, question, expected)
        else:
            verdict.unchanged(position)
    else:
        verdict.unchanged(position)


def test_digits_that_are_not_ascii_or_too_long_are_answered_not_failed(world: World) -> None:
    """Found by the fuzzing above: '²' passes ``str.isdigit`` but not ``int()``, and a
    20-digit id overflows the database's integer; both made the update FAILED."""
    asking = next(p for p in world.positions if p.question_id and not p.idle)
    review = next(p for p in world.positions if p.question_id is None and not p.idle)
    idle = next(p for p in world.positions if p.idle)
    huge = "99999999999999999999"
    for data in ("a:²:1", "n:²:skip", "inc:²:received", f"inc:{huge}:received"):
        check_button(world, asking, data)
    for data in ("go:ket_qua_thuc_hien:²", f"go:ket_qua_thuc_hien:{huge}"):
        check_button(world, idle, data)
    for text in ("²", huge):
        check_typed(world, idle, text)
    check_typed(world, review, "sửa ²")
