"""The chat commands: name, who may use it, and what it does.

Every command is checked against the member's roster roles before it runs; other modules
add their commands with :func:`command` (imported by :func:`load_all`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bot.core.turn import Turn
from bot.messages import CATALOG
from bot.text import fold

Handler = Callable[[Turn, str], None]


@dataclass(frozen=True)
class CommandSpec:
    name: str  # "/baocao"
    help_key: str  # catalog key of the one-line description
    roles: frozenset[str] | None  # None: every registered member
    handler: Handler

    def allowed(self, roles: set[str]) -> bool:
        return self.roles is None or bool(self.roles & roles)


COMMANDS: dict[str, CommandSpec] = {}


def command(
    name: str, help_key: str, roles: tuple[str, ...] | None = None
) -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        COMMANDS[name] = CommandSpec(name, help_key, frozenset(roles) if roles else None, handler)
        return handler

    return register


def commands_for(roles: set[str]) -> list[CommandSpec]:
    return [spec for spec in COMMANDS.values() if spec.allowed(roles)]


def command_words(spec: CommandSpec) -> str | None:
    """The words that run ``spec`` when typed («tổng hợp» for /summary), from the catalog's
    one table of them (``cmd.words.<name>``); None for a command without words."""
    return CATALOG.get(f"cmd.words.{spec.name.removeprefix('/')}")


def _slash_form(words: str) -> str:
    """«tổng hợp» → '/tonghop': the words as a command, for keyboards without diacritics."""
    return "/" + fold(words).replace(" ", "")


def find_command(name: str) -> CommandSpec | None:
    """``/summary``, or a command's words written as a command (``/tonghop``)."""
    found = COMMANDS.get(name)
    if found is not None:
        return found
    for spec in COMMANDS.values():
        words = command_words(spec)
        if words and _slash_form(words) == name:
            return spec
    return None


def typed_command(text: str) -> tuple[CommandSpec, str] | None:
    """«tổng hợp», «Tong hop 1949/UBND-NC», «tiến độ» typed as words: (command, its args)."""
    folded = fold(text)
    for spec in COMMANDS.values():
        words = command_words(spec)
        if not words:
            continue
        wanted = fold(words)
        if folded in (wanted, wanted.replace(" ", "")):
            return spec, ""
        if folded.startswith(wanted + " "):
            return spec, " ".join(text.split()[len(wanted.split()) :])
    return None


def load_all() -> None:
    """Import every module that registers commands (idempotent)."""
    import handlers.basic
    import handlers.office
    import handlers.summary  # noqa: F401
