"""Drawing the dialog as channel-neutral replies: questions, the review, menus.

Buttons carry the dialog ``step`` they were drawn at; a press with an older step is stale.
Every navigation choice has a typed alias so text-only channels (Zalo) can answer too.
"""

from __future__ import annotations

import itertools
from html import escape
from typing import Any

from bot.core.answers import describe, quick_answers
from bot.core.events import Choice, Reply, RequestKind
from bot.core.forms.schema import Form, Question, QuestionType
from bot.messages import t


def esc(text: str) -> str:
    """Escape user text before it goes into an HTML reply."""
    return escape(text, quote=False)


def nav(step: int, action: str, label_key: str, alias_key: str) -> Choice:
    return Choice(label=t(label_key), data=f"n:{step}:{action}", alias=t(alias_key))


def question_reply(
    form: Form,
    question: Question,
    step: int,
    *,
    number: int,
    total: int,
    pending: list[Any] | None = None,
    member_phone: str = "",
) -> Reply:
    """The prompt for ``question`` with its buttons (options numbered for text channels)."""
    header = t("dialog.progress", title=esc(form.title), number=number, total=total)
    lines = [header, question.prompt]
    choices: list[Choice] = []
    columns = 1
    request: RequestKind | None = None
    kind = question.type
    if kind is QuestionType.SINGLE_CHOICE:
        choices = [
            Choice(o.label, f"a:{step}:{o.value}", number=i)
            for i, o in enumerate(question.options, 1)
        ]
    elif kind is QuestionType.MULTI_CHOICE:
        chosen = set(pending or [])
        choices = [
            Choice(("✅ " if o.value in chosen else "") + o.label, f"a:{step}:{o.value}", number=i)
            for i, o in enumerate(question.options, 1)
        ]
        lines.append(t("dialog.multi_hint"))
        if chosen:
            choices.append(nav(step, "done", "button.done", "alias.done"))
    elif kind in (QuestionType.YES_NO, QuestionType.DATE):
        columns = 2
    elif kind is QuestionType.LOCATION:
        request = RequestKind.LOCATION
        lines.append(t("dialog.location_hint"))
    elif kind is QuestionType.MEDIA:
        count = len(pending or [])
        if count:
            lines.append(t("dialog.media_received", count=count))
            choices.append(nav(step, "done", "button.done", "alias.done"))
    numbers = itertools.count(1)
    choices[:0] = [
        Choice(qa.label, f"a:{step}:{qa.value}", number=next(numbers) if qa.numbered else None)
        for qa in quick_answers(question, member_phone)
    ]
    if not question.required:
        choices.append(nav(step, "skip", "button.skip", "alias.skip"))
    if number > 1:
        choices.append(nav(step, "back", "button.back", "alias.back"))
    choices.append(nav(step, "cancel", "button.cancel", "alias.cancel"))
    return Reply("\n".join(lines), choices=choices, columns=columns, request=request)


def review_reply(form: Form, answers: dict[str, Any], step: int, *, amending: bool) -> Reply:
    """All answers, then submit / edit / cancel."""
    lines = [t("review.title", title=esc(form.title))]
    for i, question in enumerate(visible_answered(form, answers), 1):
        value = esc(describe(question, answers.get(question.id)))
        lines.append(t("review.line", number=i, label=esc(question.label), value=value))
    lines.append(t("review.amend_hint") if amending else t("review.hint"))
    choices = [
        nav(step, "submit", "button.submit", "alias.submit"),
        nav(step, "edit", "button.edit", "alias.edit"),
        nav(step, "cancel", "button.cancel", "alias.cancel"),
    ]
    return Reply("\n".join(lines), choices=choices, remove_keyboard=True)


def edit_pick_reply(form: Form, answers: dict[str, Any], step: int) -> Reply:
    """Which answer to change: one numbered option per answered question."""
    questions = visible_answered(form, answers)
    choices = [Choice(q.label, f"n:{step}:e={q.id}", number=i) for i, q in enumerate(questions, 1)]
    choices.append(nav(step, "review", "button.back_to_review", "alias.back"))
    return Reply(t("review.pick_edit"), choices=choices, columns=2)


def visible_answered(form: Form, answers: dict[str, Any]) -> list[Question]:
    return [q for q in form.questions if q.id in answers and form.visible(q, answers)]


def menu_reply(forms: list[Form], *, draft_title: str | None, greeting: str) -> Reply:
    """The forms this member may use; a kept draft is offered first."""
    choices: list[Choice] = []
    if draft_title:
        choices.append(
            Choice(t("menu.resume", title=draft_title), "resume", alias=t("alias.resume"))
        )
    for i, form in enumerate(forms, 1):
        label = ("🚨 " if form.urgent else "") + form.title
        choices.append(Choice(label, f"go:{form.id}", number=i))
    text = greeting + "\n" + (t("menu.pick") if forms else t("menu.none"))
    return Reply(text, choices=choices, remove_keyboard=True)
