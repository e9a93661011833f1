"""Which directive and period a report belongs to, and until when it may be amended."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from bot.core.forms.schema import Form
from bot.core.periods import Period, period_for
from storage.enums import Recurrence
from storage.models import Directive


@dataclass(frozen=True)
class Scope:
    directive_id: int | None
    period: Period
    deadline: date | None  # last day a unit may submit or amend on time


def scope_for(directive: Directive, today: date) -> Scope:
    period = period_for(
        directive.recurrence, today, starts_on=directive.starts_on, ends_on=directive.unit_deadline
    )
    if directive.recurrence == Recurrence.NONE:
        deadline = directive.unit_deadline
    else:
        deadline = period.last_day
    return Scope(directive.id, period, deadline)


def applicable(directive: Directive, form: Form, unit_kind: str, today: date) -> bool:
    return (
        directive.active
        and form.id in directive.form_ids
        and unit_kind in directive.target_unit_kinds
        and directive.starts_on <= today
    )


def resolve_scope(
    session: Session, form: Form, unit_kind: str, today: date, directive_id: int | None
) -> Scope | None:
    """The directive this report answers. None when ``directive_id`` does not fit the member.

    Without an explicit directive the newest applicable one is used; a form that answers no
    directive (an urgent tip on a quiet day) is filed under today's date.
    """
    if directive_id is not None:
        directive = session.get(Directive, directive_id)
        if directive is None or not applicable(directive, form, unit_kind, today):
            return None
        return scope_for(directive, today)
    candidates = session.exec(
        select(Directive)
        .where(col(Directive.active).is_(True))
        .order_by(col(Directive.starts_on).desc())
    ).all()
    for directive in candidates:
        if applicable(directive, form, unit_kind, today):
            return scope_for(directive, today)
    return Scope(None, period_for(Recurrence.DAILY, today), None)


def still_open(directive: Directive, today: date) -> bool:
    """Started and still being reported on: a recurring duty while active, a one-off
    campaign until its report deadline (else its unit deadline)."""
    if not directive.active or directive.starts_on > today:
        return False
    if directive.recurrence != Recurrence.NONE:
        return True
    return (directive.report_deadline or directive.unit_deadline or directive.starts_on) >= today


def open_directives(session: Session, commune_id: int | None, today: date) -> list[Directive]:
    """The directives of ``commune_id`` still open today, newest start first.

    ``commune_id`` is the asking member's (``turn.unit.commune_id``); directives gain their own
    ``commune_id`` with issue 13, and this is the one query that then filters on it.
    """
    rows = session.exec(
        select(Directive)
        .where(col(Directive.active).is_(True))
        .order_by(col(Directive.starts_on).desc(), col(Directive.id).desc())
    ).all()
    return [d for d in rows if still_open(d, today)]


def open_campaign(directives: list[Directive], today: date) -> Directive | None:
    """The one-off campaign being reported on now (nearest deadline first), if any."""
    campaigns = [d for d in directives if d.recurrence == Recurrence.NONE and still_open(d, today)]
    return min(
        campaigns,
        key=lambda d: (d.unit_deadline or d.report_deadline or d.starts_on, d.id or 0),
        default=None,
    )
