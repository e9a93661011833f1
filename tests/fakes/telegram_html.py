"""Telegram's ``parse_mode=HTML`` rules, strictly enough to catch unescaped user text.

Telegram refuses a message whose HTML it cannot parse ("Bad Request: can't parse entities:
…"), and the message is then lost. The most likely cause in Tin Báo is user text put into a
template without ``html.escape`` — a name like ``A<B`` or ``Tom & Jerry``. The fake applies the
same refusal so such a bug fails a test instead of a commune's report.
"""

from __future__ import annotations

import html
import re

__all__ = ["HtmlError", "plain_text"]

ALLOWED_TAGS = frozenset(
    {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler", "a"}
    | {"code", "pre", "blockquote", "tg-emoji"}
)
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[^<>]*)?)\s*>")
_ENTITY = re.compile(r"&(?:lt|gt|amp|quot|#[0-9]+|#x[0-9a-fA-F]+);")


class HtmlError(ValueError):
    """Worded like Telegram's description, after ``Bad Request: can't parse entities: ``."""


def plain_text(text: str) -> str:
    """The message text Telegram would store: tags removed, entities decoded.

    Raises :class:`HtmlError` where Telegram answers 400.
    """
    out: list[str] = []
    stack: list[str] = []
    pos = 0
    while pos < len(text):
        char = text[pos]
        if char == "<":
            match = _TAG.match(text, pos)
            if match is None:
                raise HtmlError(f"Unsupported start tag at byte offset {_offset(text, pos)}")
            closing, name = match[1] == "/", match[2].lower()
            if name not in ALLOWED_TAGS:
                raise HtmlError(
                    f'Unsupported start tag "{name}" at byte offset {_offset(text, pos)}'
                )
            if closing:
                if not stack or stack[-1] != name:
                    raise HtmlError(
                        f'Unmatched end tag at byte offset {_offset(text, pos)}, expected "</{stack[-1] if stack else ""}>", found "</{name}>"'
                    )
                stack.pop()
            else:
                stack.append(name)
            pos = match.end()
        elif char == "&":
            match = _ENTITY.match(text, pos)
            if match is None:
                raise HtmlError(
                    f"Can't find end of the entity starting at byte offset {_offset(text, pos)}"
                )
            out.append(html.unescape(match[0]))
            pos = match.end()
        else:
            out.append(char)
            pos += 1
    if stack:
        raise HtmlError(f'Can\'t find end tag corresponding to start tag "{stack[-1]}"')
    return "".join(out)


def _offset(text: str, pos: int) -> int:
    return len(text[:pos].encode())
