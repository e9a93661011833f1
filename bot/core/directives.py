"""Which directive and period a report belongs to, and until when it may be amended."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection, bindparam, select

from bot.core.forms.schema import Form
from bot.core.periods import Period, period_for
from storage.db import table_of
from storage.enums import Recurrence
from storage.models import Directive, Unit

_TABLE = table_of(Directive)
_ACTIVE = (
    select(_TABLE)
    .where(_TABLE.c.active.is_(True))
    .where(_TABLE.c.commune_id == bindparam("commune_id"))
    .order_by(_TABLE.c.starts_on.desc(), _TABLE.c.id.desc())
)


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


def applicable(directive: Directive, form: Form, unit: Unit, today: date) -> bool:
    """Does ``directive`` ask ``unit`` for ``form`` today? Only the unit's own commune's."""
    return (
        directive.active
        and directive.commune_id is not None
        and directive.commune_id == unit.commune_id
        and form.id in directive.form_ids
        and unit.kind in directive.target_unit_kinds
        and directive.starts_on <= today
    )


def load_active_directives(conn: Connection, commune_id: int) -> list[Directive]:
    """The commune's active directives, newest start first. The rows are built without a
    session, so they may be cached (:mod:`bot.core.roster_cache`, keyed by commune)."""
    rows = conn.execute(_ACTIVE, {"commune_id": commune_id}).mappings()
    return [Directive(**row) for row in rows]


def resolve_scope(
    directives: Sequence[Directive],
    form: Form,
    unit: Unit,
    today: date,
    directive_id: int | None,
) -> Scope | None:
    """The directive this report answers, among the unit's commune's active ``directives``
    (newest start first). None when ``directive_id`` does not fit the member (another
    commune's directive is as foreign as a made-up id).

    Without an explicit directive the newest applicable one is used; a form that answers no
    directive (an urgent tip on a quiet day) is filed under today's date.
    """
    if directive_id is not None:
        directive = next((d for d in directives if d.id == directive_id), None)
        if directive is None or not applicable(directive, form, unit, today):
            return None
        return scope_for(directive, today)
    if unit.commune_id is None:
        return None
    for directive in directives:
        if applicable(directive, form, unit, today):
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


def open_directives(directives: Sequence[Directive], today: date) -> list[Directive]:
    """Of a commune's active ``directives`` (newest start first), those still open today."""
    return [d for d in directives if still_open(d, today)]


def open_campaign(directives: list[Directive], today: date) -> Directive | None:
    """The one-off campaign being reported on now (nearest deadline first), if any."""
    campaigns = [d for d in directives if d.recurrence == Recurrence.NONE and still_open(d, today)]
    return min(
        campaigns,
        key=lambda d: (d.unit_deadline or d.report_deadline or d.starts_on, d.id or 0),
        default=None,
    )
