"""Group commit: updates handled together in one transaction, a savepoint each.

On SQLite and PostgreSQL: a batch commits once; its updates take effect in arrival order; one
that raises is rolled back alone and handled again by itself, after the others committed,
with its chat's later updates behind it; duplicates inside a batch are recognised.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import event, insert
from sqlmodel import Session, col, select

import bot.core.engine as engine_module
from bot.core.engine import Outcome
from bot.core.events import Outgoing, Reply
from bot.core.turn import Turn
from bot.messages import t
from storage.models import DialogSession, OutboxMessage, ProcessedUpdate
from tests.engine.harness import Harness, Person


def village_heads(h: Harness, count: int) -> list[Person]:
    heads = h.members_with_role("village_head", "village")[:count]
    return [h.link(member, str(3001 + i)) for i, member in enumerate(heads)]


def start_results_form(p: Person) -> None:
    p.text("/baocao")
    p.tap("kết quả")
    p.replies()


def dialog_row(h: Harness, p: Person) -> DialogSession:
    with Session(h.db) as s:
        return s.exec(select(DialogSession).where(DialogSession.chat_id == p.user_id)).one()


def message_texts(h: Harness, p: Person) -> list[str]:
    with Session(h.db) as s:
        rows = s.exec(
            select(OutboxMessage.payload)
            .where(OutboxMessage.chat_id == p.user_id)
            .where(OutboxMessage.kind == "message")
            .order_by(col(OutboxMessage.id))
        ).all()
    return [str(payload["text"]) for payload in rows]


def processed_keys(h: Harness) -> set[str]:
    with Session(h.db) as s:
        return set(s.exec(select(ProcessedUpdate.update_key)).all())


@contextmanager
def counting_commits(h: Harness) -> Iterator[list[int]]:
    commits: list[int] = []

    def count(_conn: object) -> None:
        commits.append(1)

    event.listen(h.db, "commit", count)
    try:
        yield commits
    finally:
        event.remove(h.db, "commit", count)


def dispatch_with(
    monkeypatch: pytest.MonkeyPatch, before_return: Callable[[Turn], None]
) -> list[str]:
    """Wrap the engine's dispatch: ``before_return`` runs after the real routing."""
    real = engine_module.dispatch
    seen: list[str] = []

    def wrapped(turn: Turn) -> None:
        real(turn)
        seen.append(turn.event.update_key)
        before_return(turn)

    monkeypatch.setattr(engine_module, "dispatch", wrapped)
    return seen


def test_a_batch_takes_effect_in_arrival_order_with_one_commit(harness: Harness) -> None:
    a, b = village_heads(harness, 2)
    for person in (a, b):
        start_results_form(person)
    step_a, step_b = dialog_row(harness, a).step, dialog_row(harness, b).step
    events = [a.text_event("4"), b.text_event("2"), a.text_event("180"), b.text_event("50")]

    with counting_commits(harness) as commits:
        outcomes = harness.engine.handle_batch(events)

    assert outcomes == [Outcome.HANDLED] * 4
    assert len(commits) == 1
    for person, step, answers in ((a, step_a, (4, 180)), (b, step_b, (2, 50))):
        row = dialog_row(harness, person)
        assert row.step == step + 2  # both answers applied, the second on top of the first
        assert (
            row.state["answers"]["buoi_tuyen_truyen"],
            row.state["answers"]["nguoi_tham_du"],
        ) == answers
        assert row.state["q"] == "to_tu_quan"
    assert {e.update_key for e in events} <= processed_keys(harness)


def test_a_failing_update_is_rolled_back_alone_and_its_chat_waits(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    a, b, c = village_heads(harness, 3)
    for person in (a, b, c):
        start_results_form(person)
    b_before = dialog_row(harness, b)
    boom = b.text_event("4")
    events = [a.text_event("4"), boom, c.text_event("3"), b.text_event("2")]

    def explode(turn: Turn) -> None:
        if turn.event.update_key == boom.update_key:
            turn.save()  # its dialog change and replies are written… and must be undone
            raise RuntimeError("a bug in one handler")

    order = dispatch_with(monkeypatch, explode)
    outcomes = harness.engine.handle_batch(events)

    assert outcomes == [Outcome.HANDLED, Outcome.FAILED, Outcome.HANDLED, Outcome.HANDLED]
    # The batch's first try stopped at b's bug; the second (a savepoint each) put a and c
    # through; b's two updates went after it, alone, in their order.
    keys = [e.update_key for e in events]
    assert order == [keys[0], keys[1], keys[0], keys[1], keys[2], keys[1], keys[3]]
    b_after = dialog_row(harness, b)
    assert b_after.step == b_before.step + 1  # only the later answer ("2") took effect
    assert b_after.state["answers"] == {"buoi_tuyen_truyen": 2}
    assert message_texts(harness, b)[-2] == t("chat.error")  # the apology, then the next question
    assert dialog_row(harness, a).state["answers"] == {"buoi_tuyen_truyen": 4}
    assert dialog_row(harness, c).state["answers"] == {"buoi_tuyen_truyen": 3}
    assert set(keys) <= processed_keys(harness)  # the failed one is marked seen, not lost


def test_an_update_that_failed_only_inside_the_batch_succeeds_alone(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A real database error (PostgreSQL then refuses every statement until the savepoint is
    rolled back): the batch goes on, and the update succeeds when handled again alone."""
    a, b, c = village_heads(harness, 3)
    for person in (a, b, c):
        start_results_form(person)
    racing = b.text_event("5")
    raised: list[str] = []

    def conflict_once(turn: Turn) -> None:
        if turn.event.update_key == racing.update_key and not raised:
            raised.append(turn.event.update_key)
            # As if another worker had just claimed the same update: a unique violation.
            turn.conn.execute(
                insert(ProcessedUpdate).values(
                    channel="telegram", update_key=racing.update_key, processed_at=turn.now
                )
            )

    dispatch_with(monkeypatch, conflict_once)
    outcomes = harness.engine.handle_batch([a.text_event("1"), racing, c.text_event("7")])

    assert raised and outcomes == [Outcome.HANDLED] * 3
    assert dialog_row(harness, b).state["answers"] == {"buoi_tuyen_truyen": 5}
    assert dialog_row(harness, c).state["answers"] == {"buoi_tuyen_truyen": 7}
    assert t("chat.error") not in message_texts(harness, b)


def test_a_database_error_in_the_last_trip_rolls_back_only_that_update(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The dialogs' saves and the replies go to the database together at the end (one
    statement for the whole batch on PostgreSQL); when the database refuses one update's
    reply there, that update is undone alone and the others are kept."""
    a, b = village_heads(harness, 2)
    for person in (a, b):
        start_results_form(person)
    b_before = dialog_row(harness, b)
    broken = b.text_event("4")

    def refused_reply(turn: Turn) -> None:
        if turn.event.update_key == broken.update_key:
            # chat_id is NOT NULL: the database refuses the row when it is written.
            turn.outgoing.append(Outgoing("telegram", None, Reply("x")))  # type: ignore[arg-type]

    dispatch_with(monkeypatch, refused_reply)
    outcomes = harness.engine.handle_batch([a.text_event("4"), broken, a.text_event("180")])

    assert outcomes == [Outcome.HANDLED, Outcome.FAILED, Outcome.HANDLED]
    assert dialog_row(harness, a).state["answers"] == {
        "buoi_tuyen_truyen": 4,
        "nguoi_tham_du": 180,
    }
    assert dialog_row(harness, b).step == b_before.step  # nothing of it was kept
    assert message_texts(harness, b)[-1] == t("chat.error")


def test_duplicates_inside_and_across_batches_change_nothing(harness: Harness) -> None:
    (a,) = village_heads(harness, 1)
    start_results_form(a)
    answer = a.text_event("4")
    step = dialog_row(harness, a).step

    assert harness.engine.handle_batch([answer, answer]) == [Outcome.HANDLED, Outcome.DUPLICATE]
    assert harness.engine.handle_batch([answer]) == [Outcome.DUPLICATE]
    assert dialog_row(harness, a).step == step + 1


def test_on_committed_comes_before_the_after_commit_work(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    (a,) = village_heads(harness, 1)
    calls: list[str] = []

    def slow_follow_up(turn: Turn) -> None:
        def job() -> list[Reply]:
            calls.append("job")
            with Session(harness.db) as s:  # the update is already committed when it runs
                assert s.get(ProcessedUpdate, ("telegram", turn.event.update_key)) is not None
            return [Reply("done")]

        turn.after_commit.append(job)

    dispatch_with(monkeypatch, slow_follow_up)
    outcomes = harness.engine.handle_batch(
        [a.text_event("xin chào"), a.text_event("xin chào")],
        on_committed=lambda outcomes: calls.append(f"committed {len(outcomes)}"),
    )
    assert outcomes == [Outcome.HANDLED, Outcome.HANDLED]
    assert calls == ["committed 2", "job", "job"]
    assert message_texts(harness, a)[-1] == "done"


def test_a_batch_leaves_what_the_same_updates_leave_one_by_one(harness: Harness) -> None:
    """A new member starts a report and answers in one batch (their dialog row is created
    by the first update and carried to the next ones) — the same row and the same replies
    as another member sending the same updates one at a time."""
    alone, batched = village_heads(harness, 2)
    with Session(harness.db) as s:  # no dialog row yet: the batch's first update makes it
        for row in s.exec(select(DialogSession)).all():
            s.delete(row)
        s.commit()
    alone.text("/baocao")
    data = alone.button(alone.last(), "kết quả")
    for step in (lambda p: p.press_event(data), lambda p: p.text_event("4")):
        alone.send(step(alone))
    alone.text("180")

    events = [
        batched.text_event("/baocao"),
        batched.press_event(data),
        batched.text_event("4"),
        batched.text_event("180"),
    ]
    assert harness.engine.handle_batch(events) == [Outcome.HANDLED] * 4

    one, other = dialog_row(harness, alone), dialog_row(harness, batched)
    assert (other.state, other.step) == (one.state, one.step)
    assert other.state["answers"] == {"buoi_tuyen_truyen": 4, "nguoi_tham_du": 180}
    names = [m.full_name for m in harness.members_with_role("village_head", "village")[:2]]

    def anonymous(person: Person) -> list[str]:
        texts = message_texts(harness, person)[1:]  # after the greeting sent at linking
        for name in names:
            texts = [text.replace(name, "…") for text in texts]
        return texts

    assert anonymous(batched) == anonymous(alone)
    assert len(anonymous(alone)) >= 4


def test_a_turn_reading_through_the_orm_sees_the_batch_so_far_and_ids_keep_order(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The batch writes its dialog rows and replies at the end, except that a turn opening
    its ORM session first has them written: it reads what it would read update by update."""
    a, b = village_heads(harness, 2)  # a's chat comes first in the batch's order
    for person in (a, b):
        start_results_form(person)
    seen_by_b: list[list[str]] = []

    def read_a_through_the_orm(turn: Turn) -> None:
        if turn.event.chat_id == b.user_id:
            rows = turn.session.exec(
                select(OutboxMessage.payload)
                .where(OutboxMessage.chat_id == a.user_id)
                .where(OutboxMessage.kind == "message")
                .order_by(col(OutboxMessage.id))
            ).all()
            seen_by_b.append([str(payload["text"]) for payload in rows])

    dispatch_with(monkeypatch, read_a_through_the_orm)
    outcomes = harness.engine.handle_batch([a.text_event("4"), b.text_event("2")])

    assert outcomes == [Outcome.HANDLED] * 2
    assert seen_by_b == [message_texts(harness, a)]  # a's reply to "4" included
    with Session(harness.db) as s:
        last_ids = {
            chat: s.exec(
                select(OutboxMessage.id)
                .where(OutboxMessage.chat_id == chat)
                .order_by(col(OutboxMessage.id).desc())
            ).first()
            for chat in (a.user_id, b.user_id)
        }
    assert (last_ids[a.user_id] or 0) < (last_ids[b.user_id] or 0)
