"""A province directive passed on to every commune, as in the seed: UBND tỉnh's Công văn
1949/UBND-NC (communes report by 15/9) becomes, in each commune, the same order with the
units' deadline a day earlier (14/9), so the office has a day to compile.

Each commune's copy is an ordinary commune directive (its units fill its forms, its scheduler
reminds them, its office compiles the report) that points at the province's (``parent_id``).
Saving the province directive again brings every copy up to date; a commune added later gets
its copies of the open province directives when it is set up.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, replace
from datetime import timedelta

from sqlmodel import Session, col, select

from storage.directives import (
    DirectiveFields,
    OwnInstruction,
    SaveOutcome,
    find_directive,
    save_directive,
)
from storage.enums import Recurrence, UnitKind
from storage.models import Commune, Directive

#: Days between the units' deadline and the commune's report to the province, by default.
DEFAULT_LEAD_DAYS = 1


@dataclass(frozen=True)
class CascadeResult:
    province: Directive
    outcome: SaveOutcome
    communes: int  # communes holding a copy now
    created: int  # copies created by this call


def with_commune_lead(
    fields: DirectiveFields, lead_days: int = DEFAULT_LEAD_DAYS
) -> DirectiveFields:
    """The province fields with the units' deadline set ``lead_days`` before the report's,
    unless it was given (a one-off directive only: a recurring one's deadline is its period)."""
    if fields.unit_deadline is not None or fields.report_deadline is None:
        return fields
    if fields.recurrence != Recurrence.NONE:
        return fields
    starts = fields.starts_on or fields.issued_on
    unit_deadline = max(starts, fields.report_deadline - timedelta(days=lead_days))
    return replace(fields, unit_deadline=unit_deadline)


def fields_of(directive: Directive) -> DirectiveFields:
    """What a copy inherits from the province directive row."""
    return DirectiveFields(
        number=directive.number,
        issued_on=directive.issued_on,
        issuer=directive.issuer,
        summary=directive.summary,
        target_unit_kinds=tuple(UnitKind(k) for k in directive.target_unit_kinds),
        form_ids=tuple(directive.form_ids),
        recurrence=Recurrence(directive.recurrence),
        starts_on=directive.starts_on,
        unit_deadline=directive.unit_deadline,
        report_deadline=directive.report_deadline,
        reminder_offsets_days=tuple(directive.reminder_offsets_days),
        report_recipients=tuple(directive.report_recipients),
        report_completeness=directive.report_completeness,
    )


def own_instruction_of(directive: Directive) -> OwnInstruction | None:
    if directive.own_instruction_number is None or directive.own_instruction_date is None:
        return None
    return OwnInstruction(
        directive.own_instruction_number,
        directive.own_instruction_date,
        directive.own_instruction_summary,
    )


def save_province_directive(
    session: Session, fields: DirectiveFields, known_forms: Collection[str] | None = None
) -> CascadeResult:
    """Save the province directive and bring every commune's copy in line with it."""
    province, outcome = save_directive(session, fields, None, known_forms=known_forms)
    created = 0
    all_communes = session.exec(select(Commune).order_by(col(Commune.id))).all()
    for commune in all_communes:
        created += _copy_to(session, province, commune)
    return CascadeResult(province, outcome, len(all_communes), created)


def cascade_to_commune(session: Session, commune: Commune) -> int:
    """Give a newly set-up commune its copies of the active province directives."""
    open_directives = session.exec(
        select(Directive)
        .where(col(Directive.commune_id).is_(None))
        .where(col(Directive.active).is_(True))
        .order_by(col(Directive.id))
    ).all()
    return sum(_copy_to(session, d, commune) for d in open_directives)


def _copy_to(session: Session, province: Directive, commune: Commune) -> int:
    """Bring the commune's copy in line with the province directive. What belongs to the
    commune — its own instruction, its report's Nơi nhận and layout — stays the commune's."""
    assert commune.id is not None and province.id is not None
    inherited = fields_of(province)
    copy = find_directive(session, commune.id, province.number)
    if copy is not None:
        inherited = replace(
            inherited,
            own_instruction=own_instruction_of(copy),
            report_recipients=tuple(copy.report_recipients),
            report_completeness=copy.report_completeness,
        )
    else:
        inherited = replace(inherited, own_instruction=None, report_recipients=())
    _row, outcome = save_directive(session, inherited, commune.id, parent_id=province.id)
    return 1 if outcome == "created" else 0


def copies(session: Session, province_directive_id: int) -> list[Directive]:
    """Every commune's copy of a province directive."""
    return list(
        session.exec(
            select(Directive)
            .where(col(Directive.parent_id) == province_directive_id)
            .order_by(col(Directive.commune_id))
        ).all()
    )
