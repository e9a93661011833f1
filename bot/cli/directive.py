"""``tinbao directive add|list``: the orders units report against (dates typed dd/mm/yyyy)."""

from __future__ import annotations

from datetime import date

import typer

from bot.cli.base import app, cli_context
from bot.cli.ui import say, warn
from bot.core.forms.loader import FORMS_DIR, FormError, load_configured_forms, load_forms
from bot.messages import t
from storage.db import transaction
from storage.directives import (
    DirectiveError,
    DirectiveFields,
    list_directives,
    parse_forms,
    parse_recurrence,
    parse_targets,
    save_directive,
)
from storage.models import Directive
from storage.vocab import date_problem, format_date, kind_label, parse_date

directive_app = typer.Typer(
    help="Chỉ đạo, kế hoạch cần báo cáo / directives.", no_args_is_help=True
)
app.add_typer(directive_app, name="directive")


def _shipped_form_ids() -> str:
    """The form ids shipped with Tin Báo, for ``--help`` (FORMS_DIR may add others)."""
    try:
        return ", ".join(load_forms(FORMS_DIR))
    except FormError:  # a broken form file is reported by the command itself
        return "…"


def _date(value: str | None, option: str) -> date | None:
    if value is None or not value.strip():
        return None
    day = parse_date(value)
    if day is None:
        problem = date_problem(value)
        if problem is not None:
            warn(t("cli.directive.no_such_date", reason=problem, option=option))
        else:
            warn(t("cli.directive.bad_date", value=value, option=option))
        raise typer.Exit(code=1)
    return day


@directive_app.command("add")
def directive_add(
    number: str = typer.Option(..., "--number", help="Số, ký hiệu, e.g. 1949/UBND-NC"),
    issued: str = typer.Option(..., "--issued", help="Ngày ban hành dd/mm/yyyy"),
    issuer: str = typer.Option(..., "--issuer", help="Cơ quan ban hành"),
    summary: str = typer.Option(..., "--summary", help="Trích yếu"),
    targets: str = typer.Option(..., "--targets", help="thôn,công an,quân sự,cơ quan,văn phòng"),
    forms: str = typer.Option(
        ...,
        "--forms",
        help=f"Mã biểu mẫu, cách nhau bằng dấu phẩy. Có sẵn: {_shipped_form_ids()}",
    ),
    unit_deadline: str | None = typer.Option(None, "--unit-deadline", help="dd/mm/yyyy"),
    report_deadline: str | None = typer.Option(None, "--report-deadline", help="dd/mm/yyyy"),
    recurrence: str = typer.Option("none", "--recurrence", help="none|daily|weekly|monthly"),
    starts: str | None = typer.Option(None, "--starts", help="Ngày bắt đầu (mặc định: --issued)"),
) -> None:
    """Add a directive, or update the one with the same number."""
    issued_on = _date(issued, "--issued")
    assert issued_on is not None  # a required option: typer refuses an empty one
    try:
        fields = DirectiveFields(
            number=number,
            issued_on=issued_on,
            issuer=issuer,
            summary=summary,
            target_unit_kinds=parse_targets(targets),
            form_ids=parse_forms(forms),
            recurrence=parse_recurrence(recurrence),
            starts_on=_date(starts, "--starts"),
            unit_deadline=_date(unit_deadline, "--unit-deadline"),
            report_deadline=_date(report_deadline, "--report-deadline"),
        )
        with cli_context() as ctx:
            known = load_configured_forms(ctx.settings)
            with transaction(ctx.engine) as session:
                row, outcome = save_directive(session, fields, known_forms=list(known))
    except FormError as exc:
        warn(str(exc))
        raise typer.Exit(code=2) from exc
    except DirectiveError as exc:
        warn(str(exc))
        raise typer.Exit(code=1) from exc
    say(t(f"cli.directive.{outcome}", number=row.number))


def _describe(d: Directive) -> str:
    """A few lines per directive: a nine-column table does not fit an 80-column terminal."""
    text = t(
        "cli.directive.item",
        number=d.number,
        issued=format_date(d.issued_on),
        issuer=d.issuer,
        summary=d.summary,
        targets=", ".join(kind_label(k) for k in d.target_unit_kinds),
        forms=", ".join(d.form_ids),
        recurrence=t(f"directive.recurrence.{d.recurrence}"),
        starts=format_date(d.starts_on),
    )
    if d.unit_deadline is None and d.report_deadline is None:
        return text
    deadlines = t(
        "cli.directive.item_deadlines",
        unit_deadline=format_date(d.unit_deadline) or "—",
        report_deadline=format_date(d.report_deadline) or "—",
    )
    return f"{text}\n{deadlines}"


@directive_app.command("list")
def directive_list() -> None:
    """Show every directive, newest first."""
    with cli_context() as ctx, transaction(ctx.engine) as session:
        rows = list_directives(session)
    for directive in rows:
        say(_describe(directive))
    say(t("cli.directive.count", count=len(rows)))
