"""A directive's reporting period for a given key, its deadline, and the current key."""

from __future__ import annotations

from datetime import date

from bot.core.periods import ONCE, Period, parse_period_key, period_for, period_name
from bot.messages import t
from bot.text import fold
from storage.enums import Recurrence
from storage.models import Directive
from storage.vocab import date_problem, parse_date

#: What people may type for a one-off directive's only period, besides its key.
_ONCE_WORDS = {ONCE, fold(t("period.once")), fold(t("period.once")).replace(" ", "-")}


class PeriodError(ValueError):
    """A typed period that does not fit the directive; the message (Vietnamese) lists the
    forms that do."""


def directive_period(directive: Directive, key: str) -> Period:
    """The period ``key`` of ``directive``; a one-off's only period is ``once``.

    Raises ValueError for a key that does not belong to the directive's recurrence.
    """
    if directive.recurrence == Recurrence.NONE:
        if key != ONCE:
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
        return ONCE
    return period_for(directive.recurrence, today).key


def resolve_period(directive: Directive, typed: str | None, today: date) -> str:
    """The period key meant by ``typed``: empty → the current period; a key ('2025-W37',
    'once'); «cả đợt» for a one-off; or a date dd/mm/yyyy inside the wanted period.

    Raises :class:`PeriodError` saying what is wrong and which forms the directive takes.
    """
    text = (typed or "").strip()
    if not text:
        return current_period_key(directive, today)
    one_off = directive.recurrence == Recurrence.NONE
    if one_off and fold(text) in _ONCE_WORDS:
        return ONCE
    problem = date_problem(text)
    if problem is not None:
        raise PeriodError(problem)
    day = parse_date(text)
    if day is not None and not one_off:
        return period_for(directive.recurrence, day).key
    try:
        directive_period(directive, text)
    except ValueError as exc:
        raise PeriodError(period_help(directive, text[:24], today)) from exc
    return text


def period_help(directive: Directive, typed: str, today: date) -> str:
    """'Kỳ «x» không hợp lệ … Kỳ hợp lệ: … Kỳ hiện tại: …' for ``directive``."""
    current = current_period_key(directive, today)
    return t(
        "period.error.bad",
        period=typed,
        number=directive.number,
        recurrence=t(f"directive.recurrence.{directive.recurrence}"),
        forms=t(f"period.forms.{directive.recurrence}"),
        current=f"{current} ({period_name(current)})",
    )
