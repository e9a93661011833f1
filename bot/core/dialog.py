"""The dialog state machine: ask, check, review, submit — one form at a time per chat.

State lives in :class:`storage.models.DialogSession` (JSON, loaded and saved as a
:class:`storage.dialog_rows.DialogRow`) and changes only inside the event's transaction, so a restart resumes every dialog at the same question. Every change
bumps ``step``; buttons drawn at an older step are answered, not obeyed.
"""

from __future__ import annotations

from typing import Any

from bot.core import render
from bot.core.answers import (
    Answer,
    ParseResult,
    Refusal,
    local_today,
    parse_location_event,
    parse_typed,
    time_order_refusal,
)
from bot.core.directives import Scope, resolve_scope
from bot.core.events import Choice, EventKind, Reply
from bot.core.forms.schema import Form, Question, QuestionType
from bot.core.turn import Turn
from bot.messages import t
from bot.text import fold, fold_label
from handlers.incidents import maybe_open_incident
from handlers.submissions import existing_submission, save_submission
from storage.enums import AttachmentKind
from storage.models import Attachment

MAX_MEDIA = 10
_NAV_WORDS = {
    "bo qua": "skip",
    "xong": "done",
    "quay lai": "back",
    "gui": "submit",
    "gui bao cao": "submit",
    "sua": "edit",
}
#: The dialog modes each navigation works in (a button from another screen is stale).
_ALLOWED_IN = {
    "submit": {"review"},
    "edit": {"review"},
    "review": {"pick_edit"},
    "skip": {"ask"},
    "done": {"ask"},
    "back": {"ask", "review"},
}


class Dialog:
    """Operations on one member's dialog in one chat (a thin layer over the session row)."""

    def __init__(self, turn: Turn):
        self.turn = turn
        self.row = turn.dialog()

    # --- state ---------------------------------------------------------------------------------
    @property
    def state(self) -> dict[str, Any]:
        return dict(self.row.state or {})

    @property
    def active(self) -> bool:
        return bool(self.row.form_id) and self.row.form_id in self.turn.forms

    @property
    def form(self) -> Form:
        assert self.row.form_id is not None
        return self.turn.forms[self.row.form_id]

    def _save(self, state: dict[str, Any] | None) -> None:
        row = self.row
        row.state = state or {}
        row.form_id = state.get("form") if state else None
        row.step += 1
        row.updated_at = self.turn.now
        row.reminded_at = None
        if state and row.started_at is None:
            row.started_at = self.turn.now
        if not state:
            row.started_at = None
        row.changed = True

    # --- starting ---------------------------------------------------------------------------
    def may_use(self, form: Form) -> bool:
        unit = self.turn.unit
        return (
            bool(self.turn.roles & set(form.roles))
            and unit is not None
            and (unit.kind in form.unit_kinds)
        )

    def start(self, form_id: str, directive_id: int | None, *, force: bool = False) -> None:
        turn = self.turn
        form = turn.forms.get(form_id)
        if form is None:
            turn.say(Reply(t("chat.stale_button")))
            return
        if not self.may_use(form):
            turn.say(Reply(t("chat.not_allowed")))
            return
        if form.one_tap:
            self._file_one_tap(form, directive_id)
            return
        if self.active and not force:
            if self.row.form_id == form_id:
                self.show_current(prefix=t("dialog.resumed"))
                return
            self._confirm_replace(form, directive_id)
            return
        scope = self._scope(form, directive_id)
        if scope is None:
            return
        assert turn.unit is not None and turn.unit.id is not None
        today = local_today(turn.now, turn.settings.tz)
        state: dict[str, Any] = {
            "form": form.id,
            "directive_id": scope.directive_id,
            "period_key": scope.period.key,
            "deadline": scope.deadline.isoformat() if scope.deadline else None,
            "answers": {},
            "pending": [],
            "trail": [],
            "amend": None,
            "editing": False,
        }
        if form.one_per_period:
            filed = existing_submission(
                turn.session, form.id, scope.directive_id, scope.period.key, turn.unit.id
            )
            if filed is not None:
                if scope.deadline is not None and today.date > scope.deadline:
                    turn.say(Reply(t("dialog.filed_closed", title=render.esc(form.title))))
                    return
                state.update(answers=dict(filed.answers), amend=filed.id, mode="review")
                self._save(state)
                turn.say(Reply(t("dialog.amend_intro", title=render.esc(form.title))))
                self.show_current()
                return
        first = form.first_unanswered({})
        assert first is not None
        state.update(mode="ask", q=first.id)
        self._save(state)
        if form.urgent:
            turn.say(Reply(t("dialog.urgent_intro")))
        self.show_current()

    def _scope(self, form: Form, directive_id: int | None) -> Scope | None:
        """The directive and period this report answers; says 'not allowed' when none fits."""
        turn = self.turn
        assert turn.unit is not None
        today = local_today(turn.now, turn.settings.tz).date
        scope = resolve_scope(turn.active_directives(), form, turn.unit, today, directive_id)
        if scope is None:
            turn.say(Reply(t("chat.not_allowed")))
        return scope

    def _file_one_tap(self, form: Form, directive_id: int | None) -> None:
        """A form with no questions: the tap files it, once per period; any draft is kept."""
        turn = self.turn
        scope = self._scope(form, directive_id)
        if scope is None:
            return
        assert turn.unit is not None and turn.unit.id is not None
        filed = existing_submission(
            turn.session, form.id, scope.directive_id, scope.period.key, turn.unit.id
        )
        if filed is not None:
            when = (filed.submitted_at or filed.created_at).astimezone(turn.settings.tz)
            turn.say(
                Reply(
                    t(
                        "dialog.already_filed",
                        title=render.esc(form.title),
                        at=when.strftime("%H:%M %d/%m/%Y"),
                    )
                )
            )
            return
        state = {"directive_id": scope.directive_id, "period_key": scope.period.key}
        self._file(form, {**state, "answers": {}}, clear_dialog=False)

    def _confirm_replace(self, form: Form, directive_id: int | None) -> None:
        state = self.state
        state["replace"] = {"form": form.id, "directive_id": directive_id}
        self._save(state)
        self.turn.say(
            Reply(
                t(
                    "dialog.confirm_replace",
                    draft=render.esc(self.form.title),
                    new=render.esc(form.title),
                ),
                choices=self._replace_choices(self.row.step),
            )
        )

    @staticmethod
    def _replace_choices(step: int) -> list[Choice]:
        return [
            render.nav(step, "resume", "button.resume_draft", "alias.resume"),
            render.nav(step, "replace", "button.replace_draft", "alias.replace"),
        ]

    # --- showing -----------------------------------------------------------------------------
    def show_current(self, prefix: str | None = None) -> None:
        turn = self.turn
        if prefix:
            turn.say(Reply(prefix))
        if self.active:
            turn.say(self._screen())

    def _screen(self) -> Reply:
        """What the open dialog shows now: the question, the review or the edit list."""
        state = self.state
        form = self.form
        mode = state.get("mode")
        step = self.row.step
        if mode == "review":
            return render.review_reply(
                form, state["answers"], step, amending=bool(state.get("amend"))
            )
        if mode == "pick_edit":
            return render.edit_pick_reply(form, state["answers"], step)
        question = form.question(state["q"])
        number, total = self._position(question)
        return render.question_reply(
            form,
            question,
            step,
            number=number,
            total=total,
            pending=state.get("pending"),
            member_phone=self.turn.member.phone if self.turn.member else "",
        )

    def _typed_action(self, raw: str) -> str | None:
        """A navigation choice on the screen, typed as its word («quay lại») or its label
        without the emoji («ve trang xem lai»): what text channels have instead of buttons."""
        choices = list(self._screen().choices)
        if self.state.get("replace"):
            choices += self._replace_choices(self.row.step)
        typed, label = fold(raw).rstrip(".!"), fold_label(raw)
        for choice in choices:
            head, _, rest = choice.data.partition(":")
            if head != "n":
                continue
            said_alias = choice.alias is not None and typed == fold(choice.alias)
            if said_alias or (label and label == fold_label(choice.label)):
                return rest.partition(":")[2]
        return None

    def _word_fits(self, action: str) -> bool:
        """Whether a navigation word («xong», «gửi»…) means something on the current screen:
        «xong» only ends a multiple choice or a media question."""
        mode = self.state.get("mode")
        if action in _ALLOWED_IN and mode not in _ALLOWED_IN[action]:
            return False
        if action == "done":
            question = self.form.question(self.state["q"])
            return question.type in (QuestionType.MULTI_CHOICE, QuestionType.MEDIA)
        return True

    def _position(self, question: Question) -> tuple[int, int]:
        """'câu N/M': M counts the questions that are or may still be asked, so it only
        shrinks as answers rule some out. The question being (re)asked is counted as not
        answered yet, so editing it shows what its new answer may open up."""
        form = self.form
        basis = {k: v for k, v in self.state["answers"].items() if k != question.id}
        counted = [q for q in form.questions if form.may_show(q, basis)]
        number = next((i for i, q in enumerate(counted, 1) if q.id == question.id), 1)
        return number, len(counted)

    # --- input -------------------------------------------------------------------------------
    def on_typed_or_shared(self) -> None:
        """Text, a location, a photo… while a dialog is open."""
        event = self.turn.event
        state = self.state
        mode = state.get("mode")
        if event.kind is EventKind.TEXT and event.text is not None:
            folded = fold(event.text).rstrip(".!")
            action = self._typed_action(event.text)
            word = _NAV_WORDS.get(folded) if action is None else None
            if word is not None and not self._word_fits(word):
                # A word typed, not a button pressed: "this button is stale" would mislead.
                said = render.esc(" ".join(event.text.split()))
                self.show_current(prefix=t("dialog.word_not_here", word=said))
                return
            action = action or word
            if action is not None:
                self.navigate(action)
                return
            if mode == "pick_edit":
                self._pick_edit_typed(folded)
                return
            if mode == "review":
                if folded.startswith("sua "):
                    self._pick_edit_typed(folded[4:])
                    return
                self.turn.say(Reply(t("review.typed_hint")))
                return
            self.answer_text(event.text)
            return
        if mode != "ask":
            self.turn.say(Reply(t("review.typed_hint")))
            return
        question = self.form.question(state["q"])
        if event.kind is EventKind.LOCATION and question.type is QuestionType.LOCATION:
            result = parse_location_event(event)
            assert result is not None
            self._apply(question, result)
        elif (
            event.kind in (EventKind.PHOTO, EventKind.VOICE) and question.type is QuestionType.MEDIA
        ):
            self._add_media(question)
        elif event.kind is EventKind.UNSUPPORTED:
            self.turn.say(Reply(t("chat.unsupported_message")))
            self.show_current()
        else:
            self._refuse(question, Refusal(t(f"answer.wrong_kind.{question.type.value}")))

    def answer_text(self, raw: str) -> None:
        state = self.state
        question = self.form.question(state["q"])
        if question.type is QuestionType.MEDIA:
            self._refuse(question, Refusal(t("answer.media")))
            return
        turn = self.turn
        today = local_today(turn.now, turn.settings.tz)
        phone = turn.member.phone if turn.member else ""
        self._apply(question, parse_typed(question, raw, today, phone))

    def on_button_answer(self, value: str) -> None:
        state = self.state
        if state.get("mode") != "ask":
            self.show_current(prefix=t("chat.stale_button"))
            return
        question = self.form.question(state["q"])
        if question.type is QuestionType.MULTI_CHOICE:
            if question.option(value) is None:
                self.show_current(prefix=t("chat.stale_button"))
                return
            pending = list(state.get("pending") or [])
            pending = [v for v in pending if v != value] if value in pending else [*pending, value]
            state["pending"] = pending
            self._save(state)
            self._redraw_in_place()
            return
        turn = self.turn
        today = local_today(turn.now, turn.settings.tz)
        phone = turn.member.phone if turn.member else ""
        self._apply(question, parse_typed(question, value, today, phone))

    def _redraw_in_place(self) -> None:
        """Redraw the question over the message whose button was pressed (where possible)."""
        before = len(self.turn.outgoing)
        self.show_current()
        if len(self.turn.outgoing) > before and self.turn.event.message_id:
            last = self.turn.outgoing[-1]
            last.reply.edit_message_id = self.turn.event.message_id

    def _add_media(self, question: Question) -> None:
        turn = self.turn
        state = self.state
        pending = list(state.get("pending") or [])
        if len(pending) >= MAX_MEDIA:
            turn.say(Reply(t("answer.media_full", limit=MAX_MEDIA)))
            return
        assert turn.member is not None and turn.member.id is not None
        kind = AttachmentKind.PHOTO if turn.event.kind is EventKind.PHOTO else AttachmentKind.VOICE
        attachment = Attachment(
            member_id=turn.member.id,
            question_id=question.id,
            channel=turn.event.channel,
            kind=kind,
            file_ref=turn.event.file_ref or "",
            local_path=turn.event.file_path,
            created_at=turn.now,
        )
        turn.session.add(attachment)
        turn.session.flush()
        pending.append(attachment.id)
        state["pending"] = pending
        self._save(state)
        self.show_current()

    def _refuse(self, question: Question, refusal: Refusal) -> None:
        # Nothing changes: same step, same question; the message says what is expected.
        self.turn.say(Reply(refusal.message))

    def _apply(self, question: Question, result: ParseResult) -> None:
        if isinstance(result, Answer) and self._time_in_future(question, result.value):
            result = Refusal(t("answer.time_future"))
        if isinstance(result, Answer):
            answers = self.state["answers"]
            result = time_order_refusal(self.form, question, result.value, answers) or result
        if isinstance(result, Refusal):
            self._refuse(question, result)
            return
        assert isinstance(result, Answer)
        self._advance(question, result.value)

    def _time_in_future(self, question: Question, value: Any) -> bool:
        """A time of something that happened, on a date answered as today, cannot be later."""
        if question.type is not QuestionType.TIME or not question.not_in_future:
            return False
        today = local_today(self.turn.now, self.turn.settings.tz)
        answers = self.state["answers"]
        dates = [answers.get(q.id) for q in self.form.questions if q.type is QuestionType.DATE]
        if today.date.isoformat() not in dates:
            return False
        grace = (today.time.hour * 60 + today.time.minute) + 10
        hour, minute = (int(x) for x in str(value).split(":"))
        return hour * 60 + minute > grace

    def _advance(self, question: Question, value: Any) -> None:
        state = self.state
        form = self.form
        answers = dict(state["answers"])
        answers[question.id] = value
        answers = form.prune(answers)
        for later in form.questions:  # a start time edited past its end: ask the end again
            kept = answers.get(later.id)
            if later.after == question.id and time_order_refusal(form, later, kept, answers):
                answers.pop(later.id)
        trail = [q for q in state.get("trail", []) if q != question.id] + [question.id]
        if state.get("editing"):
            upcoming = form.first_unanswered(answers)
        else:
            upcoming = form.next_question(answers, after=question.id) or form.first_unanswered(
                answers
            )
        state.update(answers=answers, trail=trail, pending=[])
        if upcoming is None:
            state.update(mode="review", q=None, editing=False)
        else:
            state.update(mode="ask", q=upcoming.id)
        self._save(state)
        self.show_current()

    # --- navigation --------------------------------------------------------------------------
    def navigate(self, action: str) -> None:
        state = self.state
        mode = state.get("mode")
        handlers = {
            "cancel": self.cancel,
            "resume": self._resume,
            "replace": self._replace,
            "submit": self._submit,
            "edit": self._edit,
            "review": self._to_review,
            "skip": self._skip,
            "done": self._done,
            "back": self._back,
        }
        if action.startswith("e="):
            self._edit_question(action[2:])
            return
        handler = handlers.get(action)
        if handler is None or (action in _ALLOWED_IN and mode not in _ALLOWED_IN[action]):
            self.show_current(prefix=t("chat.stale_button"))
            return
        handler()

    def cancel(self) -> None:
        if not self.active:
            self.turn.say(Reply(t("dialog.nothing_to_cancel"), remove_keyboard=True))
            return
        title = self.form.title
        self._save(None)
        self.turn.say(Reply(t("dialog.cancelled", title=render.esc(title)), remove_keyboard=True))

    def _resume(self) -> None:
        state = self.state
        if state.pop("replace", None) is not None:
            self._save(state)
        self.show_current(prefix=t("dialog.resumed"))

    def _replace(self) -> None:
        target = self.state.get("replace")
        if not target:
            self.show_current(prefix=t("chat.stale_button"))
            return
        self._save(None)
        self.start(target["form"], target.get("directive_id"), force=True)

    def _to_review(self) -> None:
        state = self.state
        state["mode"] = "review"
        self._save(state)
        self.show_current()

    def _edit(self) -> None:
        state = self.state
        state["mode"] = "pick_edit"
        self._save(state)
        self.show_current()

    def _pick_edit_typed(self, folded: str) -> None:
        questions = render.visible_answered(self.form, self.state["answers"])
        digits = folded.removeprefix("so ").strip(". ")
        if digits.isascii() and digits.isdigit() and 1 <= int(digits) <= len(questions):
            self._edit_question(questions[int(digits) - 1].id)
            return
        self.turn.say(Reply(t("review.pick_edit_typed", count=len(questions))))

    def _edit_question(self, question_id: str) -> None:
        state = self.state
        form = self.form
        answerable = {q.id for q in render.visible_answered(form, state["answers"])}
        if state.get("mode") not in ("pick_edit", "review") or question_id not in answerable:
            self.show_current(prefix=t("chat.stale_button"))
            return
        state.update(mode="ask", q=question_id, editing=True, pending=[])
        self._save(state)
        self.show_current()

    def _skip(self) -> None:
        state = self.state
        question = self.form.question(state["q"])
        if question.required:
            self.turn.say(Reply(t("answer.required")))
            return
        self._advance(question, None)

    def _done(self) -> None:
        state = self.state
        question = self.form.question(state["q"])
        pending = list(state.get("pending") or [])
        if question.type not in (QuestionType.MULTI_CHOICE, QuestionType.MEDIA):
            self.show_current(prefix=t("chat.stale_button"))
            return
        if not pending and question.required:
            self.turn.say(Reply(t("answer.pick_first")))
            return
        self._advance(question, pending or None)

    def _back(self) -> None:
        state = self.state
        trail = list(state.get("trail", []))
        if not trail:
            self.show_current()
            return
        previous = trail.pop()
        answers = dict(state["answers"])
        answers.pop(previous, None)
        state.update(
            trail=trail, answers=answers, q=previous, mode="ask", pending=[], editing=False
        )
        self._save(state)
        self.show_current()

    # --- filing ------------------------------------------------------------------------------
    def _submit(self) -> None:
        state = self.state
        form = self.form
        missing = form.first_unanswered(state["answers"])
        if missing is not None:  # the form file changed under a kept draft
            state.update(mode="ask", q=missing.id)
            self._save(state)
            self.show_current()
            return
        deadline = state.get("deadline")
        today = local_today(self.turn.now, self.turn.settings.tz).date
        if state.get("amend") and deadline and today.isoformat() > deadline:
            self._save(None)
            self.turn.say(Reply(t("dialog.filed_closed", title=render.esc(form.title))))
            return
        self._file(form, state)

    def _file(self, form: Form, state: dict[str, Any], *, clear_dialog: bool = True) -> None:
        turn = self.turn
        submission = save_submission(
            turn,
            form,
            state["answers"],
            directive_id=state["directive_id"],
            period_key=state["period_key"],
            amend_id=state.get("amend"),
        )
        opened = None if state.get("amend") else maybe_open_incident(turn, form, submission)
        if clear_dialog:
            self._save(None)
        at = turn.now.astimezone(turn.settings.tz).strftime("%H:%M %d/%m/%Y")
        key = "dialog.amended" if state.get("amend") else "dialog.filed"
        text = t(key, title=render.esc(form.title), at=at, number=submission.id)
        if opened is not None:
            text += "\n" + opened.notice  # the truth about who is being alerted
        turn.say(Reply(text, remove_keyboard=True))
