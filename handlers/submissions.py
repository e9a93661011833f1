"""Saving a finished form: the submission, its typed figures, its history, its attachments."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, select

from bot.core.forms.schema import Form, QuestionType
from bot.core.turn import Turn
from storage.enums import SubmissionStatus
from storage.models import Submission
from storage.submission_rows import (
    add_history,
    amend_submission,
    insert_submission,
    link_attachments,
    load_submission,
)


def figures_of(form: Form, answers: dict[str, Any]) -> dict[str, int]:
    """The key figures a submission carries: fixed ones plus answered integer/yes-no ones."""
    figures = dict(form.figures)
    for question in form.questions:
        if question.figure is None:
            continue
        value = answers.get(question.id)
        if question.type is QuestionType.YES_NO and value is not None:
            figures[question.figure] = 1 if value else 0
        elif isinstance(value, int) and not isinstance(value, bool):
            figures[question.figure] = value
    return figures


def existing_submission(
    session: Session, form_id: str, directive_id: int | None, period_key: str, unit_id: int
) -> Submission | None:
    """The unit's filed (not draft) report for this form and period, if any."""
    return session.exec(
        select(Submission)
        .where(Submission.form_id == form_id)
        .where(Submission.directive_id == directive_id)
        .where(Submission.period_key == period_key)
        .where(Submission.unit_id == unit_id)
        .where(Submission.status != SubmissionStatus.DRAFT)
        .order_by(col(Submission.id))
    ).first()


def save_submission(
    turn: Turn,
    form: Form,
    answers: dict[str, Any],
    *,
    directive_id: int | None,
    period_key: str,
    amend_id: int | None,
) -> Submission:
    """File a new report, or a new version of ``amend_id`` (the old one stays in history).

    Plain SQL on the turn's connection (:mod:`storage.submission_rows`): every dialog ends
    here. The returned row is built without a session.
    """
    conn = turn.conn
    assert turn.member is not None and turn.member.id is not None
    assert turn.unit is not None and turn.unit.id is not None
    changed: dict[str, Any] = {
        "status": SubmissionStatus.AMENDED if amend_id is not None else SubmissionStatus.SUBMITTED,
        "answers": dict(answers),
        "updated_at": turn.now,
        "member_id": turn.member.id,
        "channel": turn.event.channel,
    }
    if amend_id is not None:
        amend_submission(conn, amend_id, changed)
        row = load_submission(conn, amend_id)
    else:
        assert turn.unit.commune_id is not None, "only commune units file reports"
        values: dict[str, Any] = {
            **changed,
            "commune_id": turn.unit.commune_id,
            "form_id": form.id,
            "directive_id": directive_id,
            "period_key": period_key,
            "unit_id": turn.unit.id,
            "created_at": turn.now,
            "submitted_at": turn.now,
        }
        row = Submission(id=insert_submission(conn, values), version=1, **values)
    assert row.id is not None
    add_history(conn, row, figures_of(form, answers), turn.member.id, turn.now)
    attachment_ids = [
        aid
        for q in form.questions
        if q.type is QuestionType.MEDIA
        for aid in (answers.get(q.id) or [])
    ]
    link_attachments(conn, row.id, attachment_ids)
    return row
