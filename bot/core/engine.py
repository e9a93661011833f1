"""The dialog engine: updates are handled in batches, one database transaction per batch.

For each update of a batch:

1. claim the update key (a redelivery finds it and is skipped) and load the sender's dialog
   row — one statement on PostgreSQL (:mod:`storage.update_start`);
2. route the event (registration, command, button, dialog) with the state loaded from the DB;
3. save the dialog row and put every reply in the outbox — all or nothing, with the state
   (again one statement on PostgreSQL).

Then the batch commits once (group commit): updates that arrive together — a webhook burst,
a getUpdates page — share one commit instead of paying one each. A batch is handled chat by
chat (each chat's updates in arrival order), so workers lock rows in one order. Should an
update raise, the batch is rolled back and handled again with a savepoint per update: the
one that raises then rolls back only its savepoint, and is handled again alone after the
batch committed (with the same chat's later updates of the batch, in order), so it never
spoils the others. An update's outcome is known only once the transaction that holds it has
committed, and adapters acknowledge it only then: a crash before the commit loses nothing
(the platform redelivers), a crash after it duplicates nothing (the key is there).

:meth:`Engine.handle` is a batch of one (no savepoint). Adapters call the engine from any
thread.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from sqlalchemy import Connection
from sqlalchemy.exc import IntegrityError, OperationalError

from bot.context import AppContext
from bot.core.dispatch import dispatch
from bot.core.events import EventKind, InboundEvent, Outgoing, Reply
from bot.core.forms import Form
from bot.core.forms.loader import load_configured_forms
from bot.core.roster_cache import RosterCache, RosterView
from bot.core.turn import Turn
from bot.messages import t
from storage.batch_rows import PendingWrites, claim_many, lock_dialogs
from storage.dialog_rows import DialogKey
from storage.models import Member, Unit
from storage.outbox import enqueue_many
from storage.prepared import pipeline
from storage.processed_updates import claim_update
from storage.savepoints import begin_savepoint, release_savepoint, rollback_to_savepoint
from storage.types import utcnow
from storage.update_start import send_start

log = logging.getLogger(__name__)
RETRIES = 4
#: Conflicts another worker can cause (a lock timeout, a deadlock, a row created at the same
#: moment): the losing transaction is rolled back and the work done again.
CONFLICTS = (IntegrityError, OperationalError)

AfterCommit = Callable[[], list[Reply]]


def _needs_dialog(event: InboundEvent) -> bool:
    """Whether routing will (nearly always) read the member's dialog row: private chats,
    anything but an edited message. Loading it with the claim saves a round trip."""
    return event.private_chat and event.kind is not EventKind.EDITED


def _dialog_key(event: InboundEvent, sender: tuple[Member, Unit] | None) -> DialogKey | None:
    """The dialog row routing will want for ``event``, or None."""
    if sender is None or sender[0].id is None or not _needs_dialog(event):
        return None
    return (sender[0].id, event.channel, event.chat_id)


def _lock_order(events: Sequence[InboundEvent]) -> list[int]:
    """The order to handle a batch in: by chat, and within a chat by arrival.

    Only a chat's own updates must keep their order. Taking the chats in one global order
    means two workers' batches lock the same chats' rows in the same order, so they wait for
    each other instead of deadlocking (PostgreSQL would break the cycle only after a second).
    """
    return sorted(range(len(events)), key=lambda i: (events[i].channel, events[i].chat_id))


class Outcome(StrEnum):
    HANDLED = "handled"
    DUPLICATE = "duplicate"
    FAILED = "failed"  # a bug: the user was told to retry; the update is not lost silently


@dataclass
class _Committed:
    """What a committed transaction did: outcomes by position, follow-up work in order."""

    outcomes: dict[int, Outcome] = field(default_factory=dict)
    jobs: list[tuple[InboundEvent, AfterCommit]] = field(default_factory=list)
    deferred: list[int] = field(default_factory=list)  # to handle alone, in this order


class Engine:
    def __init__(
        self,
        ctx: AppContext,
        forms: dict[str, Form] | None = None,
        clock: Callable[[], datetime] = utcnow,
        on_enqueued: Callable[[], None] | None = None,
    ):
        self.ctx = ctx
        self.forms = forms if forms is not None else load_configured_forms(ctx.settings)
        self.clock = clock
        self.on_enqueued = on_enqueued  # e.g. wake the outbox sender
        self.roster = RosterCache()

    # --- entry points --------------------------------------------------------------------------
    def handle(self, event: InboundEvent) -> Outcome:
        """Handle one update in its own transaction."""
        return self.handle_batch([event])[0]

    def handle_batch(
        self,
        events: Sequence[InboundEvent],
        on_committed: Callable[[list[Outcome]], None] | None = None,
    ) -> list[Outcome]:
        """Handle updates that arrived together, in order, in one transaction.

        Returns each update's outcome, by position. ``on_committed`` is called with them as
        soon as every update is committed — before the slow after-commit work (report files,
        a reminder round) runs, so an adapter can acknowledge the updates without waiting
        for it.
        """
        jobs: list[tuple[InboundEvent, AfterCommit]] = []
        outcomes = self._commit_all(events, jobs)
        if on_committed is not None:
            on_committed(outcomes)
        if jobs:
            for event, job in jobs:
                self._run_after_commit(event, job)
            self._wake()
        return outcomes

    def _commit_all(
        self, events: Sequence[InboundEvent], jobs: list[tuple[InboundEvent, AfterCommit]]
    ) -> list[Outcome]:
        """Every event committed (or marked failed); their follow-up work added to ``jobs``."""
        if len(events) == 1:
            return [self._handle_alone(events[0], jobs)]
        outcomes: list[Outcome] = [Outcome.FAILED] * len(events)
        committed = self._commit_batch(events) if events else _Committed()
        if committed is None:  # the batch itself kept failing: one by one, then
            committed = _Committed(deferred=list(range(len(events))))
        for index, outcome in committed.outcomes.items():
            outcomes[index] = outcome
        jobs.extend(committed.jobs)
        for index in committed.deferred:
            outcomes[index] = self._handle_alone(events[index], jobs)
        return outcomes

    # --- transactions --------------------------------------------------------------------------
    def _commit_batch(self, events: Sequence[InboundEvent]) -> _Committed | None:
        """The batch in one transaction, retried whole when the transaction itself fails
        (a lock timeout at BEGIN, a dropped connection); None when it never committed.

        The first try has no savepoints: nearly every batch goes through whole, and a
        savepoint per update costs two statements each (a tenth of an update's work on
        PostgreSQL). Should any update raise, that try rolls back — every update of it —
        and the batch goes again with a savepoint per update, as below.
        """
        try:
            committed = self._together(events)
        except Exception as exc:
            log.info(
                "a batch of %d updates went wrong whole (%s); again with a savepoint each",
                len(events),
                type(exc).__name__,
            )
        else:
            self._wake_if(committed)
            return committed
        for attempt in range(RETRIES):
            try:
                committed = self._transaction(events, savepoints=True)
            except CONFLICTS as exc:
                log.warning(
                    "retrying a batch of %d updates (attempt %d) after %s",
                    len(events),
                    attempt + 1,
                    type(exc).__name__,
                )
                continue
            except Exception:
                log.exception("a batch of %d updates failed; handling them one by one", len(events))
                return None
            self._wake_if(committed)
            return committed
        return None

    def _handle_alone(
        self, event: InboundEvent, jobs: list[tuple[InboundEvent, AfterCommit]]
    ) -> Outcome:
        """One update in its own transaction: retried from scratch after a conflict (two
        workers raced on the same chat), marked failed after a bug."""
        for attempt in range(RETRIES):
            try:
                committed = self._transaction([event], savepoints=False)
            except CONFLICTS as exc:
                log.warning("retrying update %s after %s", event.update_key, type(exc).__name__)
                if attempt == RETRIES - 1:
                    return self._fail(event)
                continue
            except Exception:
                log.exception("failed to handle update %s", event.update_key)
                return self._fail(event)
            self._wake_if(committed)
            jobs.extend(committed.jobs)
            return committed.outcomes[0]
        return Outcome.FAILED  # pragma: no cover - the loop always returns

    def _together(self, events: Sequence[InboundEvent]) -> _Committed:
        """The batch in one transaction with its routine rows read and written together
        (:mod:`storage.batch_rows`): every claim and every dialog row first, then each update
        routed, then every changed dialog row and every reply. Any error aborts it whole.

        A chat's later update in the batch takes the dialog row its earlier one left (the
        same object: nothing is read back). A turn that opens its ORM session first has the
        rows so far written, so what it reads is what it would read update by update.
        """
        committed = _Committed()
        with self.ctx.engine.connect() as conn, conn.begin():
            roster = self.roster.view(conn)
            order = _lock_order(events)
            times = {index: self.clock() for index in order}
            senders = {index: roster.member(events[index]) for index in order}
            new = claim_many(
                conn, [(events[i].channel, events[i].update_key, times[i]) for i in order]
            )
            dialogs = lock_dialogs(
                conn,
                (key for i in order if (key := _dialog_key(events[i], senders[i]))),
                times[order[0]],
            )
            pending = PendingWrites()
            seen: set[tuple[str, str]] = set()
            for index in order:
                event = events[index]
                claim = (event.channel, event.update_key)
                if claim not in new or claim in seen:
                    committed.outcomes[index] = Outcome.DUPLICATE
                    continue
                seen.add(claim)
                # An earlier update of the batch may have changed the roster (someone
                # registered): the sender is then looked up again.
                sender = roster.member(event) if roster.bypass else senders[index]
                turn = self._turn(conn, roster, event, times[index], sender)
                turn.before_session = lambda: pending.flush(conn)
                key = _dialog_key(event, sender)
                if key is not None:
                    turn.preload_dialog(dialogs.get(key))
                try:
                    dispatch(turn)
                    turn.flush()
                    if turn.used_session:
                        roster.recheck()
                    dialog, outgoing = turn.written_later()
                    if dialog is not None and key is not None:
                        dialogs[key] = dialog  # created by the turn, or the one it was given
                    pending.add(dialog, outgoing)
                finally:
                    turn.close()
                committed.outcomes[index] = Outcome.HANDLED
                committed.jobs.extend((event, job) for job in turn.after_commit)
            pending.flush(conn)
        return committed

    def _transaction(self, events: Sequence[InboundEvent], *, savepoints: bool) -> _Committed:
        """Handle ``events`` in one transaction and commit it.

        With ``savepoints`` each update runs in its own; one that raises is rolled back to it
        and left for :meth:`_handle_alone`, together with its chat's later updates (a chat's
        updates take effect in arrival order). Without, any error aborts the transaction.
        """
        committed = _Committed()
        held_back: set[tuple[str, str]] = set()  # chats with an update left for later
        with self.ctx.engine.connect() as conn, conn.begin():
            roster = self.roster.view(conn)
            for index in _lock_order(events):
                event = events[index]
                chat = (event.channel, event.chat_id)
                if chat in held_back:
                    committed.deferred.append(index)
                    continue
                # A read, outside the savepoint: should it fail, the whole batch is retried.
                sender = roster.member(event)
                if not savepoints:
                    self._handle_one(conn, roster, event, sender, index, committed)
                    continue
                try:
                    self._handle_one(conn, roster, event, sender, index, committed, savepoint=True)
                except Exception as exc:
                    rollback_to_savepoint(conn)
                    log.warning(
                        "update %s failed inside its batch (%s); it will be handled alone",
                        event.update_key,
                        type(exc).__name__,
                    )
                    committed.deferred.append(index)
                    held_back.add(chat)
        return committed

    def _handle_one(
        self,
        conn: Connection,
        roster: RosterView,
        event: InboundEvent,
        sender: tuple[Member, Unit] | None,
        index: int,
        committed: _Committed,
        *,
        savepoint: bool = False,
    ) -> None:
        """One update, in two trips to the database around the routing: the claim with
        the dialog row's load (and the savepoint's start), then the dialog's save with the
        replies (and the savepoint's release). Anything raising between the two leaves the
        savepoint open for the caller to roll back."""
        now = self.clock()
        wanted = _dialog_key(event, sender)
        # With a savepoint, its start travels with the first trip (two statements: a
        # pipeline); without, the first trip is one statement and needs none.
        with pipeline(conn) if savepoint else nullcontext():
            if savepoint:
                begin_savepoint(conn)
            sent = send_start(conn, event.channel, event.update_key, now, wanted)
        started = sent.result()
        if not started.claimed:
            if savepoint:
                release_savepoint(conn)
            committed.outcomes[index] = Outcome.DUPLICATE
            return
        turn = self._turn(conn, roster, event, now, sender)
        if wanted is not None:
            turn.preload_dialog(started.dialog)
        try:
            dispatch(turn)
            turn.flush()
            if turn.used_session:
                roster.recheck()  # it may have changed a member, unit or directive
            with pipeline(conn) if savepoint else nullcontext():
                turn.write()
                if savepoint:
                    release_savepoint(conn)
        finally:
            turn.close()
        committed.outcomes[index] = Outcome.HANDLED
        committed.jobs.extend((event, job) for job in turn.after_commit)

    def _turn(
        self,
        conn: Connection,
        roster: RosterView,
        event: InboundEvent,
        now: datetime,
        sender: tuple[Member, Unit] | None,
    ) -> Turn:
        member, unit = sender if sender is not None else (None, None)
        return Turn(
            conn=conn,
            roster=roster,
            settings=self.ctx.settings,
            forms=self.forms,
            event=event,
            now=now,
            member=member,
            unit=unit,
        )

    # --- after the commit ----------------------------------------------------------------------
    def _wake_if(self, committed: _Committed) -> None:
        if Outcome.HANDLED in committed.outcomes.values():
            self._wake()

    def _wake(self) -> None:
        if self.on_enqueued is not None:
            self.on_enqueued()

    def _run_after_commit(self, event: InboundEvent, job: AfterCommit) -> None:
        """Run follow-up work; its replies (or an apology) go to the outbox in their own
        transaction. The update itself is already committed, so this never runs twice."""
        try:
            replies = job()
        except Exception:
            log.exception("follow-up work of update %s failed", event.update_key)
            replies = [Reply(t("chat.error"))]
        with self.ctx.engine.connect() as conn, conn.begin():
            enqueue_many(conn, [Outgoing(event.channel, event.chat_id, r) for r in replies])

    def _fail(self, event: InboundEvent) -> Outcome:
        """Tell the person something went wrong, and mark the update as seen."""
        try:
            with self.ctx.engine.connect() as conn, conn.begin():
                if claim_update(conn, event.channel, event.update_key, self.clock()):
                    apology = Outgoing(event.channel, event.chat_id, Reply(t("chat.error")))
                    enqueue_many(conn, [apology])
        except Exception:
            log.exception("could not record failure of update %s", event.update_key)
            return Outcome.FAILED
        self._wake()
        return Outcome.FAILED
