"""The dialog engine: each event is handled in one database transaction.

1. record the update key (a redelivery finds it and is skipped);
2. route the event (registration, command, button, dialog) with the state loaded from the DB;
3. put every reply in the outbox — all or nothing, with the state change.

A crash before commit loses nothing (the platform redelivers); a crash after commit
duplicates nothing (the key is there). Adapters call :meth:`Engine.handle` from any thread.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from enum import StrEnum

from sqlalchemy import insert
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlmodel import Session

from bot.context import AppContext
from bot.core.dispatch import dispatch
from bot.core.events import InboundEvent, Outgoing, Reply
from bot.core.forms import Form
from bot.core.forms.loader import load_configured_forms
from bot.core.turn import Turn
from bot.messages import t
from storage.models import ProcessedUpdate
from storage.outbox import enqueue, enqueue_many
from storage.types import utcnow

log = logging.getLogger(__name__)
RETRIES = 4


class Outcome(StrEnum):
    HANDLED = "handled"
    DUPLICATE = "duplicate"
    FAILED = "failed"  # a bug: the user was told to retry; the update is not lost silently


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

    def handle(self, event: InboundEvent) -> Outcome:
        for attempt in range(RETRIES):
            try:
                outcome = self._handle_once(event)
            except (IntegrityError, OperationalError) as exc:
                # Two workers raced on the same chat (a new dialog row, a lock timeout):
                # the loser rolls back completely and handles the event again from scratch.
                log.warning("retrying update %s after %s", event.update_key, type(exc).__name__)
                if attempt == RETRIES - 1:
                    return self._fail(event)
                continue
            except Exception:
                log.exception("failed to handle update %s", event.update_key)
                return self._fail(event)
            if outcome is Outcome.HANDLED and self.on_enqueued is not None:
                self.on_enqueued()
            return outcome
        return Outcome.FAILED  # pragma: no cover - the loop always returns

    def _claim(self, session: Session, event: InboundEvent, now: datetime) -> bool:
        # A plain INSERT (no ORM object): this runs for every update, first thing.
        statement = insert(ProcessedUpdate).values(
            channel=event.channel, update_key=event.update_key, processed_at=now
        )
        try:
            session.execute(statement)
        except IntegrityError:
            session.rollback()
            return False
        return True

    def _handle_once(self, event: InboundEvent) -> Outcome:
        now = self.clock()
        with Session(self.ctx.engine, expire_on_commit=False) as session:
            if not self._claim(session, event, now):
                return Outcome.DUPLICATE
            turn = Turn(
                session=session, settings=self.ctx.settings, forms=self.forms, event=event, now=now
            )
            dispatch(turn)
            self._enqueue_all(session, turn.outgoing, event, turn.callback_text)
            session.commit()
        for job in turn.after_commit:
            self._run_after_commit(event, job)
        return Outcome.HANDLED

    def _run_after_commit(self, event: InboundEvent, job: Callable[[], list[Reply]]) -> None:
        """Run follow-up work; its replies (or an apology) go to the outbox in their own
        transaction. The update itself is already committed, so this never runs twice."""
        try:
            replies = job()
        except Exception:
            log.exception("follow-up work of update %s failed", event.update_key)
            replies = [Reply(t("chat.error"))]
        with Session(self.ctx.engine) as session:
            for reply in replies:
                enqueue(session, Outgoing(event.channel, event.chat_id, reply))
            session.commit()

    def _enqueue_all(
        self, session: Session, outgoing: list[Outgoing], event: InboundEvent, toast: str | None
    ) -> None:
        if event.callback_id is not None:
            # The button stops spinning first; the toast is short by Telegram's rules.
            answer = Reply(text=(toast or "")[:190], urgent=True, callback_id=event.callback_id)
            outgoing = [
                Outgoing(event.channel, event.chat_id, answer, kind="callback_answer"),
                *outgoing,
            ]
        enqueue_many(session, outgoing)

    def _fail(self, event: InboundEvent) -> Outcome:
        """Tell the person something went wrong, and mark the update as seen."""
        try:
            with Session(self.ctx.engine) as session:
                if self._claim(session, event, self.clock()):
                    enqueue(session, Outgoing(event.channel, event.chat_id, Reply(t("chat.error"))))
                    session.commit()
        except Exception:
            log.exception("could not record failure of update %s", event.update_key)
        return Outcome.FAILED
