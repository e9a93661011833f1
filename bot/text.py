"""Vietnamese text helpers: folding diacritics, matching typed answers, phone numbers, dates."""

from __future__ import annotations

import calendar
import re
import unicodedata
from functools import lru_cache

from bot.messages import t

_SPACES = re.compile(r"\s+")
_PHONE_DIGITS = re.compile(r"[\s.\-()]")


# Every typed answer is compared with the labels of its question's options, folded: the
# labels repeat from update to update, so folding each once saves a tenth of an update's CPU.
@lru_cache(maxsize=8192)
def fold(text: str) -> str:
    """Lower-case, strip diacritics (đ → d) and collapse spaces: 'Trưởng  Thôn' → 'truong thon'."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return _SPACES.sub(" ", stripped).strip().casefold()


@lru_cache(maxsize=8192)
def fold_label(text: str) -> str:
    """What a person types for a button's label: folded, without the emoji or symbols around
    it. '🚨 Báo tin đối tượng khả nghi' → 'bao tin doi tuong kha nghi'."""
    folded = fold(text)
    start, end = 0, len(folded)
    while start < end and not _is_word_char(folded[start]):
        start += 1
    while end > start and not _is_word_char(folded[end - 1]):
        end -= 1
    return folded[start:end].strip()


def _is_word_char(ch: str) -> bool:
    return unicodedata.category(ch)[0] in "LN"


def nfc(text: str) -> str:
    """Canonical composed form, so 'ệ' typed two ways compares equal."""
    return unicodedata.normalize("NFC", text)


def normalise_phone(raw: str) -> str | None:
    """Return a Vietnamese phone number as ``0xxxxxxxxx`` or None if it is not one.

    Accepts ``0912 345 678``, ``+84 912 345 678``, ``84912345678`` and ``912345678``.
    """
    digits = _PHONE_DIGITS.sub("", raw.strip())
    if digits.startswith("+"):
        digits = digits[1:]
    if not digits.isdigit():
        return None
    if digits.startswith("84") and len(digits) in (11, 12):
        digits = "0" + digits[2:]
    elif len(digits) == 9 and not digits.startswith("0"):
        digits = "0" + digits
    if len(digits) == 10 and digits.startswith("0") and digits[1] in "35789":
        return digits
    if len(digits) == 11 and digits.startswith("02"):  # landlines 02xx xxxx xxx
        return digits
    return None


def strip_control(text: str) -> str:
    """Drop control characters except newline and tab (they break rendering and logs)."""
    return "".join(
        ch for ch in text if ch in "\n\t" or unicodedata.category(ch) not in {"Cc", "Cf", "Cs"}
    )


def small_int(text: str, max_digits: int = 9) -> int | None:
    """A non-negative number of at most ``max_digits`` plain ASCII digits, else None.

    ``str.isdigit`` alone is not enough: '²' passes it and ``int('²')`` raises, and a
    20-digit id overflows the database's integer column.
    """
    return int(text) if text.isascii() and text.isdigit() and len(text) <= max_digits else None


def calendar_problem(day: int, month: int, year: int) -> str | None:
    """Why day/month/year is not a day on the calendar (Vietnamese), or None when it is.

    '31/02/2025' is written in the right shape, so "type dd/mm/yyyy" would mislead: the
    person needs to hear that February 2025 has 28 days.
    """
    shown = f"{day:02d}/{month:02d}/{year}"
    if not 1 <= month <= 12:
        return t("date.no_such_month", date=shown, month=month)
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        return t("date.no_such_day", date=shown, month=month, year=year, days=days)
    return None
