"""Unit answers made fit for an official report: items, case, punctuation, addressees.

Village heads type on phones: several points in one answer, shouted words ("KHÓ KHĂN"),
a space before the comma, no full stop. :func:`items` splits an answer into its points,
:func:`merge_key` is what two points must share to be merged, :func:`sentence` writes one
point as a report sentence and :func:`proposal` puts a proposal to an addressee
("Đề nghị Công an tỉnh …"). Nothing here adds content the unit did not write.
"""

from __future__ import annotations

import re
import unicodedata

from bot.messages import t
from bot.text import fold, nfc

_SPACES = re.compile(r"[ \t\u00a0]+")
_SPACE_BEFORE_MARK = re.compile(r"\s+([,.;:!?…])")
_NO_SPACE_AFTER_MARK = re.compile(r"([,;:])(?=[^\s\d])")
_REPEATED_MARK = re.compile(r"([,.;:!?])\1+")
_BULLET = re.compile(r"^\s*(?:[-–—•+*]+|\d{1,2}[.)]|[a-zđ][)])\s*", re.IGNORECASE)
_DASHED = re.compile(r"^\s*[-–—•+]\s")
_NUMBERED = re.compile(r"^\s*\d{1,2}[.)]\s")
_INLINE_DASH = re.compile(r"\s(?=[-–—•+]\s)")
_INLINE_NUMBER = re.compile(r"\s(?=\d{1,2}[.)]\s)")
_WORD_EDGE = "()[]\"'“”‘’,.;:!?…"
_FINAL = (".", "?", "…")

#: Upper-case words that are abbreviations, not shouting (kept as they are).
ACRONYMS = frozenset(
    {
        "UBND", "HĐND", "CHQS", "BCH", "MTTQ", "UBMTTQ", "UBMTTQVN", "XNC", "ANTT", "ANCS",
        "BĐBP", "VP", "CT", "PCT", "TT", "QS", "DQ", "DQTV", "ĐU", "ĐTN", "CA", "CAX", "CSGT",
        "THCS", "THPT", "GPS", "TW", "UB", "VN", "CCCD", "CMND",
    }
)  # fmt: skip

#: Names of bodies written with capitals in administrative text, whatever case was typed.
PROPER_NAMES = (
    "Công an tỉnh",
    "Công an xã",
    "Công an huyện",
    "Ban Chỉ huy Quân sự",
    "Bộ Chỉ huy Quân sự tỉnh",
    "Bộ đội Biên phòng",
    "Ban CHQS xã",
    "Đảng ủy",
    "Mặt trận Tổ quốc",
    "Hội Phụ nữ",
    "Đoàn Thanh niên",
    "Hội Nông dân",
    "Hội Cựu chiến binh",
    "Nhân dân",
)
_PROPER = [
    (re.compile(rf"(?<!\w){re.escape(name)}(?!\w)", re.IGNORECASE), name) for name in PROPER_NAMES
]

#: Proposal words that open a request; what follows is the request itself.
_ASKS = ("kính đề nghị", "đề nghị", "kiến nghị", "đề xuất")
#: Openers dropped before an addressee is put in ('xin hỗ trợ …' → 'Đề nghị … hỗ trợ …').
_SOFT_OPENERS = ("mong muốn", "mong", "xin", "cần", "muốn", "được")
#: A request that already names who it is for ('Đề nghị Công an tỉnh …') keeps its wording.
_BODIES = (
    "cong an",
    "ubnd",
    "uy ban",
    "bo chi huy",
    "bo doi bien phong",
    "ban chi huy",
    "so ",
    "hdnd",
    "cap tren",
    "cac cap",
    "tinh ",
    "huyen",
    "trung uong",
    "nha nuoc",
)
#: Keywords (folded) that say which body a proposal is for, in order of precedence on a tie.
ADDRESSEE_KEYWORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "police",
        (
            "cong an",
            "nghiep vu",
            "xuat nhap canh",
            "xnc",
            "doi tuong",
            "an ninh",
            "tuan tra",
            "xac minh",
            "tap huan",
        ),
    ),
    ("military", ("dan quan", "quan su", "bien gioi", "bien phong")),
    (
        "province",
        (
            "kinh phi",
            "ngan sach",
            "dau tu",
            "che do",
            "phu cap",
            "ho tro",
            "duong giao thong",
            "in to roi",
            "trang thiet bi",
        ),
    ),
)


def _clean_spaces(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def items(answer: str) -> list[str]:
    """The separate points of one answer, bullets removed: one per line, and in a line that
    starts as a list ('- a - b', '1. a 2. b') one per item. A dash inside a sentence
    ('Trà Xinh - Trà Lãnh') does not split it."""
    pieces = []
    for line in nfc(answer).replace("\r", "\n").split("\n"):
        if _DASHED.match(line):
            pieces += _INLINE_DASH.split(line)
        elif _NUMBERED.match(line):
            pieces += _INLINE_NUMBER.split(line)
        else:
            pieces.append(line)
    out = []
    for piece in pieces:
        text = _clean_spaces(_BULLET.sub("", piece.strip(), count=1))
        if text.strip(_WORD_EDGE + " -"):
            out.append(text)
    return out


def _has_tone_mark(word: str) -> bool:
    """A Vietnamese vowel with a mark (Ó, Ă, Ư…): abbreviations have none, shouting does."""
    return any(unicodedata.category(ch) == "Mn" for ch in unicodedata.normalize("NFD", word))


def _fix_case(text: str) -> str:
    letters = [c for c in text if c.isalpha()]
    shouting = bool(letters) and sum(c.isupper() for c in letters) > 0.6 * len(letters)
    words = []
    for word in text.split(" "):
        core = word.strip(_WORD_EDGE)
        if (
            (len(core) > 1 or shouting)
            and core.isupper()
            and core not in ACRONYMS
            and (shouting or _has_tone_mark(core))
        ):
            word = word.replace(core, core.lower())
        words.append(word)
    return " ".join(words)


def sentence(text: str) -> str:
    """One point as a report sentence: tidy spaces and marks, no shouting, a capital first
    letter and a closing full stop ('  địa bàn  rộng ,đi lại KHÓ KHĂN' → 'Địa bàn rộng, đi
    lại khó khăn.')."""
    text = _clean_spaces(_BULLET.sub("", nfc(text).replace("\n", " "), count=1))
    text = _SPACE_BEFORE_MARK.sub(r"\1", text)
    text = _NO_SPACE_AFTER_MARK.sub(r"\1 ", text)
    text = _REPEATED_MARK.sub(r"\1", text)
    text = _fix_case(text).rstrip(" ,;:-!")
    for pattern, name in _PROPER:
        text = pattern.sub(name, text)
    if not text:
        return ""
    text = text[:1].upper() + text[1:]
    return text if text.endswith(_FINAL) else text + "."


def merge_key(text: str) -> str:
    """Two points with the same key say the same thing (case, spaces and marks aside)."""
    return sentence(text).rstrip("".join(_FINAL)).casefold()


def _strip_opener(text: str, openers: tuple[str, ...]) -> tuple[str, bool]:
    folded = fold(text)
    for opener in openers:
        lead = fold(opener)
        if folded.startswith(lead) and folded[len(lead) : len(lead) + 1] in (" ", ":", ","):
            return text[len(opener) :].lstrip(" :,"), True
    return text, False


def addressee_for(text: str, default: str) -> str:
    """Who a proposal is for, from its keywords; ``default`` when none matches."""
    folded = fold(text)
    best, best_hits = None, 0
    for key, words in ADDRESSEE_KEYWORDS:
        hits = sum(word in folded for word in words)
        if hits > best_hits:
            best, best_hits = key, hits
    return t(f"report.addressee.{best}") if best else default


def _canonical_addressee(text: str) -> str:
    """'công an tỉnh tập huấn …' → 'Công an tỉnh tập huấn …' (the body's proper name)."""
    for key, _ in ADDRESSEE_KEYWORDS:
        name = t(f"report.addressee.{key}")
        if fold(text).startswith(fold(name) + " "):
            return name + text[len(name) :]
    return text


def proposal(text: str, default_addressee: str) -> str:
    """A proposal as the commune puts it to the level above: 'Đề nghị <addressee> …'.

    A proposal that already names its addressee keeps its words; otherwise the request is
    kept word for word after the addressee picked by :func:`addressee_for`.
    """
    body = sentence(text)
    rest, asked = _strip_opener(body, _ASKS)
    if fold(rest).startswith(_BODIES):
        rest = _canonical_addressee(rest)
        return f"{body[: len(body) - len(rest)]}{rest}" if asked else t("report.ask", text=rest)
    while True:
        rest, dropped = _strip_opener(rest, _SOFT_OPENERS)
        if not dropped:
            break
    if not rest.strip(_WORD_EDGE):
        return body
    first = rest.split(" ", 1)[0].strip(_WORD_EDGE)
    if not (len(first) > 1 and first.isupper()):
        rest = rest[:1].lower() + rest[1:]
    return t("report.proposal", addressee=addressee_for(rest, default_addressee), request=rest)
