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
