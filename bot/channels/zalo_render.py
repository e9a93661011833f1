"""A core :class:`~bot.core.events.Reply` drawn for Zalo: plain texts, typed choices.

Zalo bots have no buttons, no formatting, no location or contact sharing and no files, so:
tags are dropped, options are listed with their numbers ("1. Có"), navigation has its typed
word ("Gõ «xong» để …"), a location request asks for the place in words, and a file is named
with a pointer to where it can be fetched. Text is split at line breaks to 2000 characters.
"""

from __future__ import annotations

from pathlib import Path

from bot.channels.chat_text import split_text, strip_html
from bot.core.events import Choice, Reply, RequestKind
from bot.messages import t

TEXT_LIMIT = 2000


def _lower_first(label: str) -> str:
    return label[:1].lower() + label[1:]


def choice_line(choice: Choice) -> str:
    label = strip_html(choice.label)
    if choice.number is not None:
        return t("zalo.choice_numbered", number=choice.number, label=label)
    if choice.alias:
        return t("zalo.choice_alias", alias=choice.alias, action=_lower_first(label))
    return t("zalo.choice_plain", label=label)


def render_texts(reply: Reply) -> list[str]:
    """The messages to send for ``reply``, in order, each at most 2000 characters."""
    lines = [strip_html(reply.text).strip()]
    numbered = [c for c in reply.choices if c.number is not None]
    others = [c for c in reply.choices if c.number is None]
    if numbered:
        lines.append("\n".join(choice_line(c) for c in numbered))
    if others:
        lines.append("\n".join(choice_line(c) for c in others))
    if reply.request is RequestKind.LOCATION:
        lines.append(t("zalo.type_location"))
    elif reply.request is RequestKind.CONTACT:
        lines.append(t("zalo.type_contact"))
    if reply.document_path:
        lines.append(t("zalo.file_elsewhere", name=Path(reply.document_path).name))
    if reply.photo_path:
        lines.append(t("zalo.photo_elsewhere", name=Path(reply.photo_path).name))
    text = "\n\n".join(line for line in lines if line)
    return split_text(text, TEXT_LIMIT)
