"""The form schema, in the spirit of XLSForm: questions, types, conditions, figures.

A form file (``bot/forms/*.yaml``) is validated against these models at start-up; an office
can reword or reorder questions without touching code.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator


class QuestionType(StrEnum):
    SINGLE_CHOICE = "single_choice"
    MULTI_CHOICE = "multi_choice"
    YES_NO = "yes_no"
    INTEGER = "integer"
    SHORT_TEXT = "short_text"
    LONG_TEXT = "long_text"
    DATE = "date"
    TIME = "time"
    PHONE = "phone"  # a Vietnamese phone number, normalised to 0xxxxxxxxx (bot.text)
    LOCATION = "location"
    MEDIA = "media"  # photos and voice notes, several, each stored as an attachment


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Option(_Strict):
    value: str = Field(pattern=r"^[a-z0-9_]{1,24}$")
    label: str = Field(min_length=1, max_length=60)


class Condition(_Strict):
    """Ask a question only when an earlier answer matches (skip logic)."""

    question: str
    equals: Any = None
    not_equals: Any = None
    includes: str | None = None  # for multiple choice answers
    greater_than: int | None = None

    @model_validator(mode="after")
    def _one_test(self) -> Condition:
        tests = [self.equals, self.not_equals, self.includes, self.greater_than]
        if sum(t is not None for t in tests) != 1:
            raise ValueError(
                "a condition needs exactly one of equals, not_equals, includes, greater_than"
            )
        return self

    def holds(self, answers: dict[str, Any]) -> bool:
        if self.question not in answers:
            return False
        value = answers[self.question]
        if self.equals is not None:
            return bool(value == self.equals)
        if self.not_equals is not None:
            return bool(value != self.not_equals)
        if self.includes is not None:
            return isinstance(value, list) and self.includes in value
        assert self.greater_than is not None
        return isinstance(value, int) and value > self.greater_than


class Question(_Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]{0,23}$")
    type: QuestionType
    prompt: str = Field(min_length=1)
    label: str = Field(min_length=1, max_length=60, description="Short name on the review")
    required: bool = True
    error: str | None = Field(default=None, description="Own message for a wrong answer")
    options: list[Option] = Field(default_factory=list)
    min: int | None = None
    max: int | None = None
    max_length: int | None = Field(default=None, ge=1, le=4000)
    not_in_future: bool = False  # dates and times of something that already happened
    when: Condition | None = None
    figure: str | None = Field(default=None, pattern=r"^[a-z][a-z0-9_]{0,39}$")
    suggest_member_phone: bool = False  # offer the registered phone as a one-tap answer
    after: str | None = Field(
        default=None, description="A time question this one must come after (an end time)"
    )

    @model_validator(mode="after")
    def _type_rules(self) -> Question:
        choice = self.type in (QuestionType.SINGLE_CHOICE, QuestionType.MULTI_CHOICE)
        if choice and len(self.options) < 2:
            raise ValueError("a choice question needs at least two options")
        if not choice and self.options:
            raise ValueError(f"options are only for choice questions, not {self.type}")
        if choice and len({o.value for o in self.options}) != len(self.options):
            raise ValueError("option values must be unique")
        if self.type is not QuestionType.INTEGER and (self.min is not None or self.max is not None):
            raise ValueError("min/max are only for integer questions")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError("min is greater than max")
        if self.figure and self.type not in (QuestionType.INTEGER, QuestionType.YES_NO):
            raise ValueError("only integer and yes/no questions can carry a figure")
        if self.max_length and self.type not in (QuestionType.SHORT_TEXT, QuestionType.LONG_TEXT):
            raise ValueError("max_length is only for text questions")
        if self.suggest_member_phone and self.type is not QuestionType.PHONE:
            raise ValueError("suggest_member_phone is only for phone questions")
        if self.after is not None and self.type is not QuestionType.TIME:
            raise ValueError("after is only for time questions")
        return self

    @property
    def text_limit(self) -> int:
        default = 200 if self.type is QuestionType.SHORT_TEXT else 2000
        return self.max_length or default

    def option(self, value: str) -> Option | None:
        return next((o for o in self.options if o.value == value), None)


class IncidentMapping(_Strict):
    """How a submitted form becomes an incident the police must act on."""

    when: Condition | None = None
    location: str | None = None
    people: str | None = None
    date: str | None = None
    time: str | None = None
    summary: list[str] = Field(default_factory=list)


class Form(_Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]{0,31}$")
    title: str = Field(min_length=1, max_length=60)
    description: str = ""
    roles: list[str] = Field(min_length=1)
    unit_kinds: list[str] = Field(min_length=1)
    urgent: bool = False
    one_tap: bool = False  # no questions: the tap itself submits
    one_per_period: bool = False  # a unit files it once per period (later: amend)
    order: int = 100
    figures: dict[str, int] = Field(default_factory=dict, description="Fixed figures per submit")
    questions: list[Question] = Field(default_factory=list)
    incident: IncidentMapping | None = None

    def question(self, question_id: str) -> Question:
        for q in self.questions:
            if q.id == question_id:
                return q
        raise KeyError(question_id)

    def visible(self, question: Question, answers: dict[str, Any]) -> bool:
        return question.when is None or question.when.holds(answers)

    def may_show(self, question: Question, answers: dict[str, Any]) -> bool:
        """Visible, or not decided yet: its condition waits on a question not answered.

        Counting these gives a total that only shrinks as answers come in ("câu 12/14",
        never "câu 11/11" then "câu 12/14"): conditions name earlier questions only.
        """
        when = question.when
        if when is None:
            return True
        if when.question in answers:
            return when.holds(answers)
        return self.may_show(self.question(when.question), answers)

    def next_question(self, answers: dict[str, Any], after: str | None = None) -> Question | None:
        """The first visible question after ``after`` (or from the start) not yet answered."""
        started = after is None
        for q in self.questions:
            if not started:
                started = q.id == after
                continue
            if self.visible(q, answers) and q.id not in answers:
                return q
        return None

    def first_unanswered(self, answers: dict[str, Any]) -> Question | None:
        return self.next_question(answers, after=None)

    def prune(self, answers: dict[str, Any]) -> dict[str, Any]:
        """Drop answers of questions whose condition no longer holds (after an edit)."""
        kept: dict[str, Any] = {}
        for q in self.questions:
            if q.id in answers and (q.when is None or q.when.holds(kept)):
                kept[q.id] = answers[q.id]
        return kept
