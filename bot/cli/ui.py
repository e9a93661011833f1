"""Console output shared by the roster, invite, directive and sample commands.

Texts are printed with markup off (a name or a file path may contain '[...]') and without
soft-wrapping, so each result stays one line that scripts and tests can read.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table
from rich.text import Text

from bot.cli.base import console, err_console


def say(text: str) -> None:
    console.print(text, markup=False, soft_wrap=True)


def warn(text: str) -> None:
    err_console.print(text, markup=False, soft_wrap=True)


def table(
    title: str | None, headers: list[str], rows: list[list[str]], no_wrap: Collection[int] = ()
) -> Table:
    """A table whose cells are plain text (never read as rich markup).

    Columns in ``no_wrap`` (codes, numbers, dates) are never broken across lines: a code
    split in two is copied wrong.
    """
    result = Table(title=title)
    for index, name in enumerate(headers):
        result.add_column(name, no_wrap=index in no_wrap)
    for row in rows:
        result.add_row(*(Text(cell) for cell in row))
    return result


@contextmanager
def progress(label: str, total: int) -> Iterator[Callable[[], None]]:
    """A progress bar on stderr (gone when done); yields the function that advances it.

    Only on a terminal: piped into a log or a script it would leave blank lines behind.
    """
    if not err_console.is_terminal:
        yield lambda: None
        return
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    with Progress(*columns, console=err_console, transient=True) as bar:
        task = bar.add_task(label, total=total)
        yield lambda: bar.advance(task)
