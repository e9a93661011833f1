"""A directive's reporting period for a given key, its deadline, and the current key."""

from __future__ import annotations

from datetime import date

from bot.core.periods import Period, parse_period_key, period_for
from storage.enums import Recurrence
from storage.models import Directive


def directive_period(directive: Directive, key: str) -> Period:
    """The period ``key`` of ``directive``; a one-off's only period is ``once``.

    Raises ValueError for a key that does not belong to the directive's recurrence.
    """
    if directive.recurrence == Recurrence.NONE:
        if key != "once":
            raise ValueError(f"a one-off directive has only the period 'once', not {key!r}")
        return period_for(
            Recurrence.NONE,
            directive.starts_on,
            starts_on=directive.starts_on,
            ends_on=directive.unit_deadline or directive.report_deadline,
        )
    return parse_period_key(directive.recurrence, key)


def unit_deadline(directive: Directive, period: Period) -> date:
    """Last local day a unit's report counts as on time."""
    if directive.recurrence == Recurrence.NONE and directive.unit_deadline is not None:
        return directive.unit_deadline
    return period.last_day


def current_period_key(directive: Directive, today: date) -> str:
    """The period a report made today belongs to (``once`` for a one-off)."""
    if directive.recurrence == Recurrence.NONE:
        return "once"
    return period_for(directive.recurrence, today).key
