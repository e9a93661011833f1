"""``tinbao directive add|list``: the orders units report against (dates typed dd/mm/yyyy)."""

from __future__ import annotations

from datetime import date

import typer

from bot.cli.base import app, cli_context
from bot.cli.communes import commune_option, pick_commune
from bot.cli.ui import say, warn
from bot.core.forms.loader import FORMS_DIR, FormError, load_configured_forms, load_forms
from bot.messages import t
from storage.cascade import DEFAULT_LEAD_DAYS, copies, save_province_directive, with_commune_lead
from storage.db import transaction
from storage.directives import (
    DirectiveError,
    DirectiveFields,
    find_directive,
    list_directives,
    parse_forms,
    parse_own_instruction,
    parse_recipients,
    parse_recurrence,
    parse_targets,
    save_directive,
)
from storage.models import Directive
from storage.scope import Reach
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
    level: str = typer.Option(
        "commune",
        "--level",
        help=(
            "commune: chỉ đạo của một xã; province: chỉ đạo của tỉnh, giao cho mọi xã "
            "(hạn đơn vị mặc định sớm hơn hạn báo cáo --commune-lead-days ngày)"
        ),
    ),
    commune: str | None = commune_option(),
    lead_days: int = typer.Option(
        DEFAULT_LEAD_DAYS,
        "--commune-lead-days",
        min=0,
        max=30,
        help="Cấp tỉnh: số ngày xã cần để tổng hợp trước hạn báo cáo tỉnh",
    ),
    own_instruction: str | None = typer.Option(
        None,
        "--own-instruction",
        help="Văn bản của xã triển khai chỉ đạo này: số, ký hiệu và ngày, e.g. "
        '"180/UBND-VP 03/09/2025" (chú thích ở mục 1 của báo cáo)',
    ),
    own_instruction_summary: str | None = typer.Option(
        None, "--own-instruction-summary", help="Trích yếu văn bản của xã (ghi trong chú thích)"
    ),
    recipients: list[str] = typer.Option(
        [],
        "--recipient",
        help="Một dòng Nơi nhận của báo cáo; nhắc lại cho mỗi dòng. Mặc định: Công an tỉnh, "
        "TT. Đảng ủy, HĐND xã, CT, các PCT UBND xã, Lưu: VT",
    ),
    completeness: bool = typer.Option(
        False,
        "--completeness/--no-completeness",
        help="Thân báo cáo ghi số đơn vị đã/chưa gửi (mặc định: chỉ ở phụ lục và /summary)",
    ),
) -> None:
    """Thêm văn bản chỉ đạo cần báo cáo, hoặc cập nhật văn bản cùng số.

    Add a directive, or update the one with the same number (in the same commune).

    With --level province the directive is the province's: every commune of the
    installation gets its own copy to report against, and communes added later get theirs.
    """
    if level not in ("commune", "province"):
        warn(t("cli.directive.bad_level", value=level))
        raise typer.Exit(code=2)
    issued_on = _date(issued, "--issued")
    assert issued_on is not None  # a required option: typer refuses an empty one
    try:
        if own_instruction_summary and not own_instruction:
            raise DirectiveError("directive.error.own_summary_alone")
        own = (
            parse_own_instruction(own_instruction, own_instruction_summary)
            if own_instruction
            else None
        )
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
            own_instruction=own,
            report_recipients=parse_recipients(recipients),
            report_completeness=completeness,
        )
        with cli_context() as ctx:
            known = load_configured_forms(ctx.settings)
            with transaction(ctx.engine) as session:
                if level == "province":
                    province_fields = with_commune_lead(fields, lead_days)
                    result = save_province_directive(
                        session, province_fields, known_forms=list(known)
                    )
                    number, outcome = result.province.number, result.outcome
                else:
                    target = pick_commune(session, commune)
                    row, outcome = save_directive(
                        session, fields, target.id, known_forms=list(known)
                    )
                    number = row.number
    except FormError as exc:
        warn(str(exc))
        raise typer.Exit(code=2) from exc
    except DirectiveError as exc:
        warn(str(exc))
        raise typer.Exit(code=1) from exc
    say(t(f"cli.directive.{outcome}", number=number))
    if level == "province":
        say(t("cli.directive.cascaded", count=result.communes, created=result.created))


@directive_app.command("set")
def directive_set(
    number: str = typer.Option(..., "--number", help="Số, ký hiệu của chỉ đạo đã có"),
    commune: str | None = commune_option(),
    own_instruction: str | None = typer.Option(
        None,
        "--own-instruction",
        help='Văn bản của xã triển khai chỉ đạo: số, ký hiệu và ngày, e.g. "180/UBND-VP 03/09/2025"',
    ),
    own_instruction_summary: str | None = typer.Option(
        None, "--own-instruction-summary", help="Trích yếu văn bản của xã (ghi trong chú thích)"
    ),
    recipients: list[str] = typer.Option(
        [], "--recipient", help="Một dòng Nơi nhận; nhắc lại cho mỗi dòng (thay cả danh sách)"
    ),
    completeness: bool | None = typer.Option(
        None,
        "--completeness/--no-completeness",
        help="Thân báo cáo có ghi số đơn vị đã/chưa gửi không",
    ),
) -> None:
    """Đặt thông tin báo cáo của xã trên một văn bản đã có (văn bản của xã, nơi nhận…).

    Set a commune's report details on a directive it already has — e.g. its copy of a
    province directive: its own instruction (the report's footnote), Nơi nhận, completeness.
    Options left out stay as they are; saving the province directive again keeps them."""
    try:
        if own_instruction_summary and not own_instruction:
            raise DirectiveError("directive.error.own_summary_alone")
        own = (
            parse_own_instruction(own_instruction, own_instruction_summary)
            if own_instruction
            else None
        )
        lines = parse_recipients(recipients) if recipients else None
        with cli_context() as ctx, transaction(ctx.engine) as session:
            target = pick_commune(session, commune)
            row = find_directive(session, target.id, number)
            if row is None:
                warn(t("cli.report.no_directive", number=number, commune=target.name))
                raise typer.Exit(code=1)
            if own is not None:
                if own.issued_on < row.issued_on:
                    raise DirectiveError(
                        "directive.error.own_instruction_before",
                        own=format_date(own.issued_on),
                        issued=format_date(row.issued_on),
                    )
                row.own_instruction_number = own.number
                row.own_instruction_date = own.issued_on
                row.own_instruction_summary = own.summary
            if lines is not None:
                row.report_recipients = list(lines)
            if completeness is not None:
                row.report_completeness = completeness
            session.add(row)
    except DirectiveError as exc:
        warn(str(exc))
        raise typer.Exit(code=1) from exc
    say(t("cli.directive.updated", number=row.number))


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
    lines = [text]
    if d.unit_deadline is not None or d.report_deadline is not None:
        lines.append(
            t(
                "cli.directive.item_deadlines",
                unit_deadline=format_date(d.unit_deadline) or "—",
                report_deadline=format_date(d.report_deadline) or "—",
            )
        )
    if d.own_instruction_number:
        lines.append(
            t(
                "cli.directive.item_own",
                number=d.own_instruction_number,
                issued=format_date(d.own_instruction_date),
                summary=d.own_instruction_summary or "—",
            )
        )
    if d.report_recipients:
        lines.append(t("cli.directive.item_recipients", lines="; ".join(d.report_recipients)))
    if d.report_completeness:
        lines.append(t("cli.directive.item_completeness"))
    return "\n".join(lines)


@directive_app.command("list")
def directive_list(
    commune: str | None = commune_option(),
    province: bool = typer.Option(
        False, "--province", help="Chỉ đạo cấp tỉnh và số xã đã nhận / province directives"
    ),
) -> None:
    """Danh sách văn bản chỉ đạo của xã (hoặc của tỉnh), mới nhất trước.

    Show a commune's directives (or the province's), newest first."""
    with cli_context() as ctx, transaction(ctx.engine) as session:
        if province:
            rows = [d for d in list_directives(session, Reach.everywhere()) if d.commune_id is None]
            spread = {d.id: len(copies(session, d.id or 0)) for d in rows}
        else:
            rows = list_directives(session, Reach.of(pick_commune(session, commune).id or 0))
            spread = {}
    for directive in rows:
        say(_describe(directive))
        if directive.id in spread:
            say(t("cli.directive.item_copies", count=spread[directive.id]))
    say(t("cli.directive.count", count=len(rows)))
