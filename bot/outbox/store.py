"""The outbox rows' life cycle in the database: claim, then sent / retry / release / dead.

Claiming is safe across processes. On PostgreSQL ``SELECT … FOR UPDATE SKIP LOCKED`` lets
several senders claim disjoint rows at once; on SQLite the claim is one ``BEGIN IMMEDIATE``
transaction (see :func:`storage.db.make_engine`), so claims simply take turns. A claim sets
``status = 'sending'``, ``claimed_by`` (a token) and ``claimed_until``: if the sender dies,
the claim lapses and the row is claimed again. Every later update names the token, so a
sender whose claim lapsed and was taken over changes nothing.

Per-chat order: a row is claimable only when no older row of the same chat is still pending
(queued, sending, retrying), so a chat's messages go out one by one, in order, even while
an older one waits for its retry. Callback answers are not chat messages and skip the line.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Engine, and_, case, exists, or_, select, update
from sqlmodel import Session, col

from bot.outbox.alerts import alert_admins
from bot.outbox.protocol import CALLBACK_ANSWER, OutboxRow
from bot.outbox.receipts import ALERT_KEY_PREFIX, alerts_delivered, alerts_failed, is_alert
from bot.outbox.recipients import chat_filter
from storage.db import is_postgres, transaction
from storage.enums import OutboxStatus
from storage.models import Member, OutboxMessage

CALLBACK_MAX_AGE = timedelta(seconds=10)  # Telegram refuses answers to older button presses
_PENDING = (OutboxStatus.QUEUED, OutboxStatus.SENDING, OutboxStatus.RETRYING)
_T = OutboxMessage.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Claim:
    rows: list[OutboxRow]
    token: str
    until: datetime
    dropped: int = 0  # stale callback answers marked dead while claiming


def _claimable(channel: str, now: datetime) -> ColumnElement[bool]:
    older = _T.alias("older")
    older_pending = exists().where(
        older.c.channel == _T.c.channel,
        older.c.chat_id == _T.c.chat_id,
        older.c.id < _T.c.id,
        older.c.status.in_([s.value for s in _PENDING]),
        older.c.kind != CALLBACK_ANSWER,
    )
    due = or_(
        and_(
            _T.c.status.in_([OutboxStatus.QUEUED.value, OutboxStatus.RETRYING.value]),
            _T.c.next_attempt_at <= now,
        ),
        and_(_T.c.status == OutboxStatus.SENDING.value, _T.c.claimed_until < now),
    )
    return and_(_T.c.channel == channel, due, or_(_T.c.kind == CALLBACK_ANSWER, ~older_pending))


def _priority() -> ColumnElement[int]:
    """Callback answers first (they go stale in seconds), then urgent alerts, then the rest."""
    return case(
        (_T.c.kind == CALLBACK_ANSWER, 0),
        (_T.c.payload["urgent"].as_boolean().is_(True), 1),
        else_=2,
    )


def claim_due(
    engine: Engine, channel: str, limit: int, now: datetime, lease: timedelta, token: str
) -> Claim:
    """Claim up to ``limit`` due rows of ``channel``, most pressing first (see :func:`_priority`)."""
    until = now + lease
    with transaction(engine) as session:
        stmt = (
            select(_T.c.id)
            .where(_claimable(channel, now))
            .order_by(_priority(), _T.c.next_attempt_at, _T.c.id)
            .limit(limit)
        )
        if is_postgres(engine):
            stmt = stmt.with_for_update(skip_locked=True, of=_T)
        ids = [row_id for (row_id,) in session.execute(stmt)]
        if not ids:
            return Claim([], token, until)
        rows = session.scalars(select(OutboxMessage).where(col(OutboxMessage.id).in_(ids))).all()
        claimed: list[OutboxRow] = []
        dropped = 0
        for model in sorted(rows, key=lambda r: ids.index(r.id)):
            if model.kind == CALLBACK_ANSWER and now - model.created_at > CALLBACK_MAX_AGE:
                model.status = OutboxStatus.DEAD
                model.last_error = "stale callback answer (older than 10 s)"
                model.claimed_by = model.claimed_until = None
                dropped += 1
                continue
            model.status = OutboxStatus.SENDING
            model.claimed_by = token
            model.claimed_until = until
            claimed.append(OutboxRow.from_model(model))
        return Claim(claimed, token, until, dropped)


def _mine(row_id: int, token: str) -> ColumnElement[bool]:
    return and_(
        _T.c.id == row_id, _T.c.claimed_by == token, _T.c.status == OutboxStatus.SENDING.value
    )


def _update(session: Session, row_id: int, token: str, **values: object) -> bool:
    result = session.execute(update(_T).where(_mine(row_id, token)).values(**values))
    return bool(result.rowcount)  # type: ignore[attr-defined]


def mark_sent(
    engine: Engine,
    row: OutboxRow,
    token: str,
    provider_message_id: str | None,
    now: datetime,
    tz: ZoneInfo,
) -> bool:
    """Record a delivery. False when our claim had lapsed and another sender took the row.

    An incident alert is marked delivered in the same transaction (and its reporter told of
    the first arrival): see :mod:`bot.outbox.receipts`.
    """
    with transaction(engine) as session:
        done = _update(
            session,
            row.id,
            token,
            status=OutboxStatus.SENT.value,
            sent_at=now,
            provider_message_id=provider_message_id,
            claimed_by=None,
            claimed_until=None,
            last_error=None,
        )
        if done and is_alert(row.dedupe_key):
            alerts_delivered(session, [row.id], now, tz)
        return done


def reschedule(
    engine: Engine,
    row: OutboxRow,
    token: str,
    *,
    next_at: datetime,
    error: str,
    attempts: int,
    parts_sent: int,
) -> bool:
    """A failed try that will be retried at ``next_at``."""
    with transaction(engine) as session:
        return _update(
            session,
            row.id,
            token,
            status=OutboxStatus.RETRYING.value,
            next_attempt_at=next_at,
            attempts=attempts,
            parts_sent=parts_sent,
            last_error=error[:500],
            claimed_by=None,
            claimed_until=None,
        )


def release(engine: Engine, row: OutboxRow, token: str, next_at: datetime) -> bool:
    """Give a claimed row back untried (its chat is paused), due again at ``next_at``."""
    status = OutboxStatus.RETRYING if row.attempts else OutboxStatus.QUEUED
    with transaction(engine) as session:
        return _update(
            session,
            row.id,
            token,
            status=status.value,
            next_attempt_at=next_at,
            claimed_by=None,
            claimed_until=None,
        )


def mark_dead(
    engine: Engine,
    row: OutboxRow,
    token: str,
    *,
    error: str,
    attempts: int,
    parts_sent: int,
    now: datetime,
    unreachable: bool = False,
) -> bool:
    """Give up on ``row`` and tell the admins, in one transaction.

    When the person blocked the bot (``unreachable``) the member is marked unreachable and
    the chat's other pending messages die with it quietly: one alert says it all.
    """
    with transaction(engine) as session:
        if not _update(
            session,
            row.id,
            token,
            status=OutboxStatus.DEAD.value,
            attempts=attempts,
            parts_sent=parts_sent,
            last_error=error[:500],
            claimed_by=None,
            claimed_until=None,
        ):
            return False
        if unreachable:
            _mark_unreachable(session, row, now)
        if is_alert(row.dedupe_key):
            alerts_failed(session, [row.id], now)
        alert_admins(session, row, error, blocked=unreachable)
        return True


def _mark_unreachable(session: Session, row: OutboxRow, now: datetime) -> None:
    where = chat_filter(row.channel, row.chat_id)
    if where is not None:
        session.execute(update(Member).where(where).values(unreachable=True))
    others = and_(
        _T.c.channel == row.channel,
        _T.c.chat_id == row.chat_id,
        _T.c.id != row.id,
        _T.c.kind != CALLBACK_ANSWER,
        _T.c.status.in_([OutboxStatus.QUEUED.value, OutboxStatus.RETRYING.value]),
    )
    # Alerts among the chat's pending messages die too: their incidents must know it.
    alerts_failed(
        session,
        list(
            session.scalars(
                select(_T.c.id).where(others, _T.c.dedupe_key.like(f"{ALERT_KEY_PREFIX}%"))
            )
        ),
        now,
    )
    session.execute(
        update(_T)
        .where(others)
        .values(status=OutboxStatus.DEAD.value, last_error="chat unreachable (blocked)")
    )
