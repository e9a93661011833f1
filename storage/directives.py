"""Directives (chỉ đạo): create or update one from its fields, list them.

A directive is keyed by its commune and number ('1949/UBND-NC'): saving the same number
again for the same commune updates it, so the CLI and the sample seed can be re-run safely.
Two communes may well carry the same number (both answer the province's 1949/UBND-NC).
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from sqlalchemy import or_
from sqlmodel import Session, col, select

from bot.messages import t
from bot.text import fold
from storage.enums import Recurrence, UnitKind
from storage.models import Directive
from storage.scope import Reach
from storage.vocab import date_problem, format_date, kind_choices, parse_date, parse_unit_kind

SaveOutcome = Literal["created", "updated", "unchanged"]
_FORM_ID = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
_DOC_NUMBER = re.compile(r"^[0-9A-Za-zĐđ]+/[0-9A-Za-zĐđ][0-9A-Za-zĐđ.\-]*$")
#: Bullets and closing marks people paste with a Nơi nhận line; the report adds its own.
_RECIPIENT_TRIM = "-–—•+*;,. \t"
MAX_RECIPIENTS = 15
MAX_RECIPIENT_LENGTH = 200
MAX_OWN_SUMMARY_LENGTH = 300
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
class OwnInstruction:
    """The commune's own document passing the directive on (cited in the report's footnote)."""

    number: str  # '180/UBND-VP'
    issued_on: date
    summary: str | None = None  # its trích yếu


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
    own_instruction: OwnInstruction | None = None
    report_recipients: tuple[str, ...] = ()  # Nơi nhận lines; empty: the default list
    report_completeness: bool = False  # the report body says how many units reported


def parse_targets(text: str) -> tuple[UnitKind, ...]:
    """'thôn,công an,quân sự' → kinds in canonical order; an unknown word raises."""
    found: set[UnitKind] = set()
    for piece in re.split(r"[,;]", text):
        if not piece.strip():
            continue
        kind = parse_unit_kind(piece)
        if kind is None or kind is UnitKind.PROVINCE:
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


def parse_own_instruction(text: str, summary: str | None = None) -> OwnInstruction:
    """'180/UBND-VP 03/09/2025' (or '… ngày 03/09/2025') → number and date; else raises."""
    words = " ".join(text.split()).split(" ")
    day = parse_date(words[-1]) if len(words) >= 2 else None
    number = " ".join(w for w in words[:-1] if fold(w) != "ngay").removeprefix("Số ").strip()
    if day is None and len(words) >= 2 and _DOC_NUMBER.match(number):
        problem = date_problem(words[-1])  # written right, but not on the calendar: say so
        if problem is not None:
            raise DirectiveError("directive.error.own_instruction_date", reason=problem)
    if day is None or not _DOC_NUMBER.match(number):
        raise DirectiveError("directive.error.own_instruction_format", value=text.strip())
    summary = " ".join((summary or "").split()) or None
    return OwnInstruction(number=number, issued_on=day, summary=summary)


def parse_recipients(lines: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """Nơi nhận lines as typed or pasted ('- TT. Đảng ủy, HĐND xã;') → bare lines.

    The report writes the dash and the closing ';' / '.' itself. Decree 30 ends the list
    with the file copy ('Lưu: VT'): it is added when missing and always put last.
    """
    cleaned = []
    for raw in lines:
        line = " ".join(raw.split()).strip(_RECIPIENT_TRIM)
        if not line:
            raise DirectiveError("directive.error.recipient_empty")
        if len(line) > MAX_RECIPIENT_LENGTH:
            raise DirectiveError(
                "directive.error.recipient_long", value=line[:40], limit=MAX_RECIPIENT_LENGTH
            )
        cleaned.append(line)
    if not cleaned:
        return ()
    archive = [line for line in cleaned if fold(line).startswith("luu")]
    others = [line for line in cleaned if line not in archive]
    result = tuple(dict.fromkeys(others + (archive or [t("report.recipients.archive")])))
    if len(result) > MAX_RECIPIENTS:
        raise DirectiveError("directive.error.recipients_many", limit=MAX_RECIPIENTS)
    return result


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
    own = fields.own_instruction
    if own is not None:
        if own.issued_on < fields.issued_on:
            raise DirectiveError(
                "directive.error.own_instruction_before",
                own=format_date(own.issued_on),
                issued=format_date(fields.issued_on),
            )
        if own.summary is not None and len(own.summary) > MAX_OWN_SUMMARY_LENGTH:
            raise DirectiveError("directive.error.own_summary_long", limit=MAX_OWN_SUMMARY_LENGTH)


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
        "own_instruction_number": own.number if (own := fields.own_instruction) else None,
        "own_instruction_date": own.issued_on if own else None,
        "own_instruction_summary": own.summary if own else None,
        "report_recipients": list(fields.report_recipients),
        "report_completeness": fields.report_completeness,
    }


def find_directive(session: Session, commune_id: int | None, number: str) -> Directive | None:
    """The directive ``number`` of ``commune_id`` (None: the province's own)."""
    number = " ".join(number.split())
    query = select(Directive).where(Directive.number == number)
    query = query.where(
        col(Directive.commune_id).is_(None)
        if commune_id is None
        else col(Directive.commune_id) == commune_id
    )
    return session.exec(query).first()


def save_directive(
    session: Session,
    fields: DirectiveFields,
    commune_id: int | None,
    *,
    parent_id: int | None = None,
    known_forms: Collection[str] | None = None,
) -> tuple[Directive, SaveOutcome]:
    """Create ``commune_id``'s directive (None: a province directive), or update the one with
    the same number there; says which happened. A commune re-saving its copy of a province
    directive keeps it a copy (``parent_id`` only changes when given)."""
    validate(fields, known_forms)
    values = _values(fields)
    if parent_id is not None:
        values["parent_id"] = parent_id
    row = find_directive(session, commune_id, values["number"])
    if row is None:
        row = Directive(commune_id=commune_id, **values)
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


def list_directives(
    session: Session, reach: Reach, *, active_only: bool = False
) -> list[Directive]:
    """The directives of the communes in ``reach`` (with the province's own for a
    province-wide reach), newest issue date first."""
    scoped = reach.clause(Directive.commune_id)
    if reach.province_wide:
        scoped = or_(scoped, col(Directive.commune_id).is_(None))
    query = (
        select(Directive).where(scoped).order_by(col(Directive.issued_on).desc(), col(Directive.id))
    )
    if active_only:
        query = query.where(col(Directive.active))
    return list(session.exec(query).all())
