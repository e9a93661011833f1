"""``--commune`` for every command that works on one commune's data.

An installation serves a province: with one commune set up the option may be left out; with
several, a command that reads or writes one commune's data must be told which, and says so
with the list of the installation's communes (nothing is guessed).
"""

from __future__ import annotations

from typing import Any

import typer
from sqlmodel import Session

from bot.cli.ui import warn
from bot.messages import t
from storage.commune import CommuneChoiceError, find_commune
from storage.models import Commune

#: How many communes a "which one?" message lists before "…".
_LISTED = 12


def commune_option() -> Any:
    """The shared ``--commune`` option (a Typer OptionInfo, used as a parameter default)."""
    return typer.Option(
        None,
        "--commune",
        help="Xã/phường (tên hoặc mã); bỏ trống khi chỉ có một xã / the commune, by name or code",
    )


def pick_commune(session: Session, query: str | None) -> Commune:
    """The commune ``--commune`` names (or the only one); otherwise explain and exit 1."""
    try:
        return find_commune(session, query)
    except CommuneChoiceError as exc:
        warn(t(f"cli.commune.{exc.kind}", query=exc.query, count=len(exc.candidates)))
        for commune in exc.candidates[:_LISTED]:
            warn(t("cli.commune.candidate", name=commune.name, code=commune.code))
        if len(exc.candidates) > _LISTED:
            warn(t("cli.commune.more", count=len(exc.candidates) - _LISTED))
        raise typer.Exit(code=1) from exc
