"""Filing a report with plain SQL: the submission row, its figures, its revision.

Every dialog ends here, so like the rest of the hot path it skips the ORM's unit of work:
a few prepared statements on the update's connection (:mod:`storage.prepared`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, bindparam, delete, insert, select, update

from storage.db import table_of
from storage.models import Attachment, Submission, SubmissionFigure, SubmissionRevision
from storage.prepared import Prepared

_SUBMISSION = table_of(Submission)
_FIGURE = table_of(SubmissionFigure)
_REVISION = table_of(SubmissionRevision)
_ATTACHMENT = table_of(Attachment)


def _binds(*names: str) -> dict[str, Any]:
    return {name: bindparam(name) for name in names}


_NEW = Prepared(
    insert(_SUBMISSION)
    .values(
        _binds(
            "commune_id",
            "form_id",
            "directive_id",
            "period_key",
            "unit_id",
            "member_id",
            "channel",
            "status",
            "answers",
            "version",
            "created_at",
            "submitted_at",
            "updated_at",
        )
    )
    .returning(_SUBMISSION.c.id)
)
_AMEND = Prepared(
    update(_SUBMISSION)
    .where(_SUBMISSION.c.id == bindparam("row_id"))
    .values(
        version=_SUBMISSION.c.version + 1,
        **_binds("status", "answers", "updated_at", "member_id", "channel"),
    )
)
_LOAD = Prepared(select(_SUBMISSION).where(_SUBMISSION.c.id == bindparam("row_id")))
_DROP_FIGURES = Prepared(delete(_FIGURE).where(_FIGURE.c.submission_id == bindparam("row_id")))
_ADD_FIGURE = Prepared(insert(_FIGURE).values(_binds("submission_id", "key", "value")))
_ADD_REVISION = Prepared(
    insert(_REVISION).values(
        _binds("submission_id", "version", "answers", "member_id", "created_at")
    )
)


def insert_submission(conn: Connection, values: Mapping[str, Any]) -> int:
    """A new submission row (``values``: its columns but the id); returns its id."""
    row = _NEW.first(conn, {**values, "version": 1})
    assert row is not None
    return int(row["id"])


def amend_submission(conn: Connection, row_id: int, values: Mapping[str, Any]) -> None:
    """Bump the submission's version and replace what the amendment changes."""
    _AMEND.execute(conn, {"row_id": row_id, **values})
    _DROP_FIGURES.execute(conn, {"row_id": row_id})


def load_submission(conn: Connection, row_id: int) -> Submission:
    """The row as it now stands (built without a session)."""
    row = _LOAD.first(conn, {"row_id": row_id})
    if row is None:
        raise LookupError(f"no submission {row_id}")
    return Submission(**row)


def add_history(
    conn: Connection,
    submission: Submission,
    figures: Mapping[str, int],
    member_id: int,
    now: datetime,
) -> None:
    """The typed figures the aggregator sums, and the version kept for history."""
    _ADD_FIGURE.execute_many(
        conn,
        [{"submission_id": submission.id, "key": k, "value": v} for k, v in figures.items()],
    )
    _ADD_REVISION.execute(
        conn,
        {
            "submission_id": submission.id,
            "version": submission.version,
            "answers": dict(submission.answers),
            "member_id": member_id,
            "created_at": now,
        },
    )


def link_attachments(conn: Connection, submission_id: int, attachment_ids: Sequence[int]) -> None:
    """Attach the photos and voice notes the member sent while filling the form."""
    if attachment_ids:
        conn.execute(
            update(_ATTACHMENT)
            .where(_ATTACHMENT.c.id.in_(list(attachment_ids)))
            .values(submission_id=submission_id)
        )
