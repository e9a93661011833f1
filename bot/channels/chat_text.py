"""Chat text for platforms: split long text into parts, or flatten our HTML to plain text.

Both renderers use the splitting: Telegram (4096 characters, HTML) and Zalo (2000, plain text). For
HTML, ``<b>``/``<i>`` open at a cut are closed at the end of one part and reopened at the
start of the next, so every part parses on its own.
"""

from __future__ import annotations

import html as _html
import re

_TAG = re.compile(r"</?(b|i)>")
_ANY_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9-]*(?:\s[^<>]*)?>")


def strip_html(text: str) -> str:
    """Plain text of a chat text: tags removed, entities such as ``&amp;`` decoded."""
    return _html.unescape(_ANY_TAG.sub("", text))


def _open_tags(text: str) -> list[str]:
    stack: list[str] = []
    for match in _TAG.finditer(text):
        name = match.group(1)
        if match.group(0).startswith("</"):
            if stack and stack[-1] == name:
                stack.pop()
        else:
            stack.append(name)
    return stack


def _cut_point(text: str, limit: int) -> int:
    """Where to cut ``text`` (longer than ``limit``): last newline, else space, else hard."""
    for sep in ("\n", " "):
        cut = text.rfind(sep, 0, limit + 1)
        if cut > 0:
            return cut
    cut = limit
    # Never cut inside a tag or an entity such as "&amp;".
    lt, amp = text.rfind("<", 0, cut), text.rfind("&", 0, cut)
    if lt > text.rfind(">", 0, cut):
        cut = lt
    if amp > text.rfind(";", 0, cut) and cut - amp < 10:
        cut = amp
    return max(cut, 1)


def split_text(text: str, limit: int, *, html: bool = False) -> list[str]:
    """Parts of at most ``limit`` characters, cut at line breaks (then spaces) if possible."""
    # Room for the closing/reopening tags an HTML cut adds ("</b></i>" is 8 characters).
    budget = limit - 16 if html else limit
    parts: list[str] = []
    carried = ""  # tags reopened at the start of the next part
    rest = text
    while len(carried) + len(rest) > limit:
        body = carried + rest
        cut = _cut_point(body, budget)
        head, rest = body[:cut], body[cut:].lstrip("\n ")
        if html:
            still_open = _open_tags(head)
            head += "".join(f"</{name}>" for name in reversed(still_open))
            carried = "".join(f"<{name}>" for name in still_open)
        else:
            carried = ""
        head = head.rstrip()
        if head:
            parts.append(head)
    last = (carried + rest).strip()
    if last or not parts:
        parts.append(last if parts else text)
    return parts
