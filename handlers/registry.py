"""The chat commands: name, who may use it, and what it does.

Every command is checked against the member's roster roles before it runs; other modules
add their commands with :func:`command` (imported by :func:`load_all`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bot.core.turn import Turn

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


def load_all() -> None:
    """Import every module that registers commands (idempotent)."""
    import handlers.basic
    import handlers.office
    import handlers.summary  # noqa: F401
