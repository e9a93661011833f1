"""The reminder and escalation messages (catalog texts plus one-tap report buttons)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from html import escape

from bot.core.events import Choice, Reply
from bot.messages import t
from bot.scheduler.plan import Step, StepKind, UnitInfo
from storage.models import Directive

NOTHING_FOUND_FORM = "khong_phat_hien"


def _esc(text: str) -> str:
    return escape(text, quote=False)


def _dmy(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def _period(step: Step) -> str:
    return "" if step.period.key == "once" else t("remind.period", label=step.period.label())


def report_choices(directive: Directive, form_titles: Mapping[str, str]) -> list[Choice]:
    """One button per form of the directive (numbered for Zalo), "nothing found" last."""
    assert directive.id is not None
    forms = [f for f in directive.form_ids if f != NOTHING_FOUND_FORM]
    choices: list[Choice] = []
    for form_id in forms:
        if len(forms) == 1:
            label = t("remind.button_report")
        else:
            label = t("remind.button_report_form", title=form_titles.get(form_id, form_id))
        choices.append(Choice(label, f"go:{form_id}:{directive.id}", number=len(choices) + 1))
    if NOTHING_FOUND_FORM in directive.form_ids:
        choices.append(
            Choice(
                t("remind.button_nothing"),
                f"go:{NOTHING_FOUND_FORM}:{directive.id}",
                number=len(choices) + 1,
            )
        )
    return choices


def reminder_text(directive: Directive, step: Step, unit: UnitInfo, today: date) -> str:
    common = {
        "number": _esc(directive.number),
        "summary": _esc(directive.summary),
        "issuer": _esc(directive.issuer),
        "unit": _esc(unit.name),
        "period": _period(step),
    }
    deadline = step.deadline
    if deadline is None:
        return t("remind.announce_no_deadline", **common)
    common["deadline"] = _dmy(deadline)
    if step.kind is StepKind.ANNOUNCE:
        return t("remind.announce", **common)
    if today > deadline:
        return t("remind.overdue", days=(today - deadline).days, **common)
    if today == deadline:
        return t("remind.before_today", **common)
    return t("remind.before", days=(deadline - today).days, **common)


def reminder_reply(
    directive: Directive,
    step: Step,
    unit: UnitInfo,
    today: date,
    form_titles: Mapping[str, str],
) -> Reply:
    return Reply(
        reminder_text(directive, step, unit, today),
        choices=report_choices(directive, form_titles),
    )


def escalation_reply(
    directive: Directive, step: Step, units: Sequence[UnitInfo], today: date
) -> Reply:
    assert step.deadline is not None
    lines = "\n".join(t("remind.escalate_unit", name=_esc(u.name)) for u in units)
    text = t(
        "remind.escalate",
        number=_esc(directive.number),
        summary=_esc(directive.summary),
        period=_period(step),
        deadline=_dmy(step.deadline),
        days=(today - step.deadline).days,
        count=len(units),
        units=lines,
    )
    return Reply(text)
