"""Directives (chỉ đạo): create or update one from its fields, list them.

A directive is keyed by its number ('1949/UBND-NC'): saving the same number again updates
it, so the CLI and the sample seed can be re-run safely.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from sqlmodel import Session, col, select

from bot.messages import t
from bot.text import fold
from storage.enums import Recurrence, UnitKind
from storage.models import Directive
from storage.vocab import format_date, kind_choices, parse_unit_kind

SaveOutcome = Literal["created", "updated", "unchanged"]
_FORM_ID = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
_RECURRENCE_WORDS = {
    "mot lan": Recurrence.NONE,
    "khong": Recurrence.NONE,
    "hang ngay": Recurrence.DAILY,
    "hang tuan": Recurrence.WEEKLY,
    "hang thang": Recurrence.MONTHLY,
}


class DirectiveError(Exception):
    """A directive field is wrong; the message (Vietnamese) says which and why."""

    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(t(key, **params))
        self.key = key
        self.params = params


@dataclass(frozen=True)
class DirectiveFields:
    number: str
    issued_on: date
    issuer: str
    summary: str
    target_unit_kinds: tuple[UnitKind, ...]
    form_ids: tuple[str, ...]
    recurrence: Recurrence = Recurrence.NONE
    starts_on: date | None = None  # None: the day it was issued
    unit_deadline: date | None = None
    report_deadline: date | None = None
    reminder_offsets_days: tuple[int, ...] = field(default=(3, 1, 0))


def parse_targets(text: str) -> tuple[UnitKind, ...]:
    """'thôn,công an,quân sự' → kinds in canonical order; an unknown word raises."""
    found: set[UnitKind] = set()
    for piece in re.split(r"[,;]", text):
        if not piece.strip():
            continue
        kind = parse_unit_kind(piece)
        if kind is None:
            raise DirectiveError(
                "directive.error.unknown_kind", value=piece.strip(), choices=kind_choices()
            )
        found.add(kind)
    return tuple(k for k in UnitKind if k in found)


def parse_forms(text: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(p.strip() for p in re.split(r"[,;]", text) if p.strip()))


def parse_recurrence(text: str) -> Recurrence:
    """'weekly' or 'hằng tuần' → Recurrence.WEEKLY."""
    key = fold(text)
    for rec in Recurrence:
        if key == rec.value:
            return rec
    if key in _RECURRENCE_WORDS:
        return _RECURRENCE_WORDS[key]
    raise DirectiveError("directive.error.unknown_recurrence", value=text)


def validate(fields: DirectiveFields, known_forms: Collection[str] | None = None) -> None:
    """Raise :class:`DirectiveError` for the first thing wrong with ``fields``.

    ``known_forms``: the form ids this installation has (the loaded form files); a directive
    asking for any other form could never be reported on.
    """
    if not fields.number.strip():
        raise DirectiveError("directive.error.no_number")
    if not fields.issuer.strip():
        raise DirectiveError("directive.error.no_issuer")
    if not fields.summary.strip():
        raise DirectiveError("directive.error.no_summary")
    if not fields.target_unit_kinds:
        raise DirectiveError("directive.error.no_targets", choices=kind_choices())
    if not fields.form_ids:
        raise DirectiveError("directive.error.no_forms")
    for form_id in fields.form_ids:
        if not _FORM_ID.match(form_id):
            raise DirectiveError("directive.error.bad_form", value=form_id)
        if known_forms is not None and form_id not in known_forms:
            raise DirectiveError(
                "directive.error.unknown_form", value=form_id, choices=", ".join(known_forms)
            )
    starts = fields.starts_on or fields.issued_on
    for deadline in (fields.unit_deadline, fields.report_deadline):
        if deadline is not None and deadline < starts:
            raise DirectiveError(
                "directive.error.deadline_before_start",
                deadline=format_date(deadline),
                starts=format_date(starts),
            )
    unit, report = fields.unit_deadline, fields.report_deadline
    if unit is not None and report is not None and unit > report:
        raise DirectiveError(
            "directive.error.deadline_order",
            unit_deadline=format_date(unit),
            report_deadline=format_date(report),
        )


def _values(fields: DirectiveFields) -> dict[str, Any]:
    return {
        "number": " ".join(fields.number.split()),
        "issued_on": fields.issued_on,
        "issuer": " ".join(fields.issuer.split()),
        "summary": " ".join(fields.summary.split()),
        "target_unit_kinds": [k.value for k in fields.target_unit_kinds],
        "form_ids": list(fields.form_ids),
        "recurrence": fields.recurrence.value,
        "starts_on": fields.starts_on or fields.issued_on,
        "unit_deadline": fields.unit_deadline,
        "report_deadline": fields.report_deadline,
        "reminder_offsets_days": list(fields.reminder_offsets_days),
        "active": True,
    }


def save_directive(
    session: Session, fields: DirectiveFields, known_forms: Collection[str] | None = None
) -> tuple[Directive, SaveOutcome]:
    """Create the directive, or update the one with the same number; says which happened."""
    validate(fields, known_forms)
    values = _values(fields)
    row = session.exec(select(Directive).where(Directive.number == values["number"])).first()
    if row is None:
        row = Directive(**values)
        session.add(row)
        session.flush()
        return row, "created"
    if all(getattr(row, name) == value for name, value in values.items()):
        return row, "unchanged"
    for name, value in values.items():
        setattr(row, name, value)
    session.add(row)
    session.flush()
    return row, "updated"


def list_directives(session: Session, *, active_only: bool = False) -> list[Directive]:
    """Directives, newest issue date first."""
    query = select(Directive).order_by(col(Directive.issued_on).desc(), col(Directive.id))
    if active_only:
        query = query.where(col(Directive.active))
    return list(session.exec(query).all())
