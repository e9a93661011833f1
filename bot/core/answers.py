"""Turning what a person typed or tapped into a typed answer, or a polite refusal.

Pure functions: no database, no channel. The same rules serve Telegram, Zalo and the web, so
"1", "1.", "số 1", "Có", "co" and a button press all mean the same thing everywhere.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from html import escape
from typing import Any

from bot.core.events import EventKind, InboundEvent
from bot.core.forms.schema import Form, Option, Question, QuestionType
from bot.messages import t
from bot.text import calendar_problem, fold, fold_label, nfc, normalise_phone, strip_control

_NUMBER_PICK = re.compile(r"^(?:so\s*)?(\d{1,2})\.?$")
_MULTI_PICK = re.compile(r"^\d{1,2}(?:\s*[,;\s]\s*\d{1,2})*$")
_DATE = re.compile(r"^(\d{1,2})\s*[/.-]\s*(\d{1,2})(?:\s*[/.-]\s*(\d{2}|\d{4}))?$")
_TIME = re.compile(r"^(\d{1,2})\s*(?:[:hg]\s*(\d{1,2})?\s*(?:p|phut)?)?$")
_THOUSANDS = re.compile(r"^\d{1,3}(?:\.\d{3})+$")
_YES = {"co", "c", "yes", "y", "dung", "co a", "u", "uh"}
_NO = {"khong", "k", "ko", "no", "n", "khong co", "chua"}
_MEMBER_PHONE = "so da dang ky"  # the value of the "registered phone" quick answer
#: An end time before its start time is a shift past midnight, up to this long; longer is a
#: typing mistake (19:00 → 10:00 is not a patrol).
OVERNIGHT_LIMIT_MINUTES = 12 * 60


@dataclass(frozen=True)
class Answer:
    value: Any


@dataclass(frozen=True)
class Refusal:
    message: str


ParseResult = Answer | Refusal


@dataclass(frozen=True)
class Today:
    """The local 'now' answers are judged against (dates like 'hôm qua' need it)."""

    date: date
    time: time


def refusal(question: Question, default_key: str, **params: Any) -> Refusal:
    return Refusal(question.error or t(default_key, **params))


def has_meaning(text: str) -> bool:
    """At least one letter or digit: emoji-only or punctuation-only text is not an answer."""
    return any(unicodedata.category(ch)[0] in "LN" for ch in text)


def pick_option(options: list[Option], typed: str) -> Option | None:
    """Match '2', '2.', 'số 2', the label, or the label without diacritics."""
    folded = fold(typed)
    match = _NUMBER_PICK.match(folded)
    if match:
        index = int(match[1]) - 1
        return options[index] if 0 <= index < len(options) else None
    for option in options:
        if folded in (fold(option.label), fold_label(option.label), option.value):
            return option
    return None


def parse_yes_no(typed: str) -> bool | None:
    folded = fold(typed).rstrip(".!")
    if folded in _YES:
        return True
    if folded in _NO:
        return False
    return None


@dataclass(frozen=True)
class NoSuchDate:
    """Typed in the right shape, but not on the calendar: ``reason`` says why (31/02)."""

    reason: str


def parse_date(typed: str, today: Today) -> date | NoSuchDate | None:
    """'hôm nay', '12/9', '12/9/25', '12-09-2025' → a date; None when it is not a date."""
    folded = fold(typed)
    if folded in ("hom nay", "homnay", "nay"):
        return today.date
    if folded in ("hom qua", "homqua", "qua"):
        return today.date - timedelta(days=1)
    match = _DATE.match(folded)
    if not match:
        return None
    year = today.date.year
    if match[3]:
        year = int(match[3]) + (2000 if len(match[3]) == 2 else 0)
    if not 1 <= year <= 9999:
        return None
    day, month = int(match[1]), int(match[2])
    problem = calendar_problem(day, month, year)
    return NoSuchDate(problem) if problem else date(year, month, day)


def parse_time(typed: str, today: Today) -> time | None:
    folded = fold(typed).replace(" ", "")
    if folded in ("baygio", "luc nay", "lucnay", "bg"):
        return today.time.replace(second=0, microsecond=0)
    match = _TIME.match(folded)
    if not match:
        return None
    hour, minute = int(match[1]), int(match[2] or 0)
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


def clean_text(raw: str) -> str:
    return nfc(strip_control(raw)).strip()


@dataclass(frozen=True)
class QuickAnswer:
    """A one-tap answer offered with a question: a button, or a numbered line on Zalo.

    ``value`` is parsed exactly like typed text; ``numbered`` is False where a number must
    keep its own meaning (at a time question, '1' is one o'clock).
    """

    label: str
    value: str
    numbered: bool = True


def quick_answers(question: Question, member_phone: str) -> list[QuickAnswer]:
    """The one-tap answers of ``question`` — drawn by the renderer, understood by the parser."""
    kind = question.type
    if kind is QuestionType.YES_NO:
        return [QuickAnswer(t("answer.yes"), "yes"), QuickAnswer(t("answer.no"), "no")]
    if kind is QuestionType.DATE:
        return [
            QuickAnswer(t("button.today"), "hom nay"),
            QuickAnswer(t("button.yesterday"), "hom qua"),
        ]
    if kind is QuestionType.TIME:
        return [QuickAnswer(t("button.now"), "bay gio", numbered=False)]
    if question.suggest_member_phone and member_phone:
        return [QuickAnswer(member_phone, _MEMBER_PHONE)]
    return []


def _numbered_quick_answer(question: Question, text: str, member_phone: str) -> str | None:
    """'1', '1.' or 'số 1' typed for the first numbered quick answer, and so on."""
    numbered = [qa for qa in quick_answers(question, member_phone) if qa.numbered]
    match = _NUMBER_PICK.match(fold(text)) if numbered else None
    if match and 1 <= int(match[1]) <= len(numbered):
        return numbered[int(match[1]) - 1].value
    return None


def parse_typed(question: Question, raw: str, today: Today, member_phone: str) -> ParseResult:
    """Parse a typed answer to ``question`` (button values arrive here as text too)."""
    text = clean_text(raw)
    text = _numbered_quick_answer(question, text, member_phone) or text
    kind = question.type
    if kind is QuestionType.SINGLE_CHOICE:
        option = pick_option(question.options, text)
        if option is None:
            return refusal(question, "answer.choice", count=len(question.options))
        return Answer(option.value)
    if kind is QuestionType.MULTI_CHOICE:
        return _parse_multi(question, text)
    if kind is QuestionType.YES_NO:
        yes = parse_yes_no(text)
        return refusal(question, "answer.yes_no") if yes is None else Answer(yes)
    if kind is QuestionType.INTEGER:
        return _parse_integer(question, text)
    if kind in (QuestionType.SHORT_TEXT, QuestionType.LONG_TEXT):
        return _parse_text(question, text)
    if kind is QuestionType.DATE:
        return _parse_date(question, text, today)
    if kind is QuestionType.TIME:
        return _parse_time(question, text, today)
    if kind is QuestionType.PHONE:
        return _parse_phone(question, text, member_phone)
    if kind is QuestionType.LOCATION:
        if len(text) < 3 or not has_meaning(text) or len(text) > 300:
            return refusal(question, "answer.location")
        return Answer({"text": text, "lat": None, "lon": None})
    return refusal(question, "answer.media")


def _parse_multi(question: Question, text: str) -> ParseResult:
    folded = fold(text)
    picks: list[Option] = []
    if _MULTI_PICK.match(folded):
        for number in re.findall(r"\d{1,2}", folded):
            index = int(number) - 1
            if not 0 <= index < len(question.options):
                return refusal(question, "answer.choice", count=len(question.options))
            picks.append(question.options[index])
    else:
        single = pick_option(question.options, text)
        if single is None:
            return refusal(question, "answer.multi", count=len(question.options))
        picks.append(single)
    ordered = [o.value for o in question.options if o in picks]
    return Answer(ordered)


def _parse_integer(question: Question, text: str) -> ParseResult:
    digits = text.replace(" ", "")
    if _THOUSANDS.match(digits):  # '1.200' is twelve hundred in Vietnamese writing
        digits = digits.replace(".", "")
    if not digits.isascii() or not digits.isdigit() or len(digits) > 9:
        return refusal(question, "answer.integer")
    value = int(digits)
    low = question.min if question.min is not None else 0
    high = question.max if question.max is not None else 10**9
    if not low <= value <= high:
        return Refusal(question.error or t("answer.integer_range", low=low, high=high))
    return Answer(value)


def _parse_text(question: Question, text: str) -> ParseResult:
    if not has_meaning(text):
        return refusal(question, "answer.text_empty")
    if len(text) > question.text_limit:
        return Refusal(t("answer.text_too_long", limit=question.text_limit, length=len(text)))
    return Answer(text)


def _parse_phone(question: Question, text: str, member_phone: str) -> ParseResult:
    """A Vietnamese number by the roster's rules (:func:`bot.text.normalise_phone`)."""
    if (
        question.suggest_member_phone
        and member_phone
        and fold(text) in (_MEMBER_PHONE, "dung so nay")
    ):
        return Answer(member_phone)
    phone = normalise_phone(text)
    if phone is None:
        return refusal(question, "answer.phone", value=escape(text[:20], quote=False))
    return Answer(phone)


def _parse_date(question: Question, text: str, today: Today) -> ParseResult:
    day = parse_date(text, today)
    if isinstance(day, NoSuchDate):
        return Refusal(t("answer.date_impossible", reason=day.reason))
    if day is None:
        return refusal(question, "answer.date")
    if question.not_in_future and day > today.date:
        return Refusal(t("answer.date_future", today=today.date.strftime("%d/%m/%Y")))
    if day < today.date - timedelta(days=366):
        return Refusal(t("answer.date_too_old"))
    return Answer(day.isoformat())


def _parse_time(question: Question, text: str, today: Today) -> ParseResult:
    moment = parse_time(text, today)
    if moment is None:
        return refusal(question, "answer.time")
    return Answer(moment.strftime("%H:%M"))


def _minutes(hh_mm: str) -> int:
    hour, minute = (int(x) for x in hh_mm.split(":"))
    return hour * 60 + minute


def time_order_refusal(
    form: Form, question: Question, value: Any, answers: dict[str, Any]
) -> Refusal | None:
    """An end time (``after: <start question>``) must be later than its start.

    Earlier than the start is read as the next morning (a night patrol 22:00 → 02:00) while
    the shift stays within :data:`OVERNIGHT_LIMIT_MINUTES`; the same time never passes.
    """
    if question.after is None:
        return None
    start = answers.get(question.after)
    if not isinstance(start, str) or not isinstance(value, str):
        return None
    end_minutes, start_minutes = _minutes(value), _minutes(start)
    length = (end_minutes - start_minutes) % (24 * 60)
    if length and (end_minutes > start_minutes or length <= OVERNIGHT_LIMIT_MINUTES):
        return None
    start_label = form.question(question.after).label
    return Refusal(
        question.error
        or t(
            "answer.time_order",
            label=question.label,
            end=value,
            start_label=start_label[:1].lower() + start_label[1:],
            start=start,
        )
    )


def parse_location_event(event: InboundEvent) -> ParseResult | None:
    """A shared location (Telegram, web) answers a location question directly."""
    if event.kind is EventKind.LOCATION and event.latitude is not None:
        lat, lon = event.latitude, event.longitude
        if lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
            return Refusal(t("answer.location"))
        return Answer({"text": None, "lat": round(lat, 6), "lon": round(lon, 6)})
    return None


def describe(question: Question, value: Any) -> str:
    """An answer as people read it on the review screen (not escaped)."""
    if value is None:
        return t("review.skipped")
    kind = question.type
    if kind is QuestionType.SINGLE_CHOICE:
        option = question.option(str(value))
        return option.label if option else str(value)
    if kind is QuestionType.MULTI_CHOICE:
        labels = [o.label for o in question.options if o.value in value]
        return ", ".join(labels) if labels else t("review.skipped")
    if kind is QuestionType.YES_NO:
        return t("answer.yes") if value else t("answer.no")
    if kind is QuestionType.DATE:
        return date.fromisoformat(value).strftime("%d/%m/%Y")
    if kind is QuestionType.LOCATION:
        if value.get("lat") is not None:
            return t("review.location_shared", lat=value["lat"], lon=value["lon"])
        return str(value.get("text") or "")
    if kind is QuestionType.MEDIA:
        return t("review.media_count", count=len(value)) if value else t("review.skipped")
    return str(value)


def local_today(now: datetime, tz: Any) -> Today:
    local = now.astimezone(tz)
    return Today(local.date(), local.time())
