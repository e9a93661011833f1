"""Render the commune's official report (DOCX) from an :class:`Aggregate` with docxtpl.

The wording lives in ``reports/templates/bao_cao.docx`` (the office edits it in Word); this
module only supplies the data: names, dates in the Decree 30 style, figures, lists.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from docxtpl import DocxTemplate

from bot.messages import CATALOG, t
from bot.settings import Settings
from bot.text import fold, nfc
from reports.aggregate import Aggregate, IncidentItem, Remark
from reports.fmt import decree_date_parts, decree_short_date, vn_int, vn_pct
from storage.enums import IncidentStatus
from storage.models import Commune, Directive

TEMPLATE = Path(__file__).parent / "templates" / "bao_cao.docx"

# Leading verbs of a directive's trích yếu that the report's title does not repeat:
# "tăng cường đấu tranh phòng, chống …" → "Kết quả thực hiện công tác phòng, chống …".
_LEADS = ("về việc", "v/v", "tăng cường", "đẩy mạnh", "triển khai", "thực hiện", "đấu tranh")


def report_title(directive: Directive) -> str:
    """The report's trích yếu, derived from the directive's (override with ``title=``)."""
    subject = nfc(" ".join(directive.summary.split())).rstrip(".")
    changed = True
    while changed:
        changed = False
        for lead in _LEADS:
            if fold(subject).startswith(fold(lead) + " "):
                subject = subject[len(lead) :].lstrip()
                changed = True
        if fold(subject).startswith("cong tac "):
            subject = subject[len("công tác") :].lstrip()
            changed = True
    return t("report.title", subject=subject)


def document_type(number: str) -> str:
    """'12/KH-UBND' → 'Kế hoạch'; a number without a type code ('1949/UBND-NC') is a công văn."""
    code = number.split("/", 1)[-1].split("-", 1)[0].strip()
    key = f"report.doctype.{code}"
    return t(key) if key in CATALOG else t("report.doctype.default")


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _sentence(text: str) -> str:
    """A collected remark as a report sentence: capital first letter, closing punctuation."""
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "!", "?", ";", ":", "…")) else text + "."


def _remarks(remarks: tuple[Remark, ...]) -> list[str]:
    return [_sentence(r.text) for r in remarks]


def _incident(item: IncidentItem, agg: Aggregate) -> dict[str, Any]:
    return {
        "date": decree_short_date(item.reported_at.astimezone(agg.tz).date()),
        "unit": item.unit_name,
        "summary": item.summary.rstrip(". "),
        "location": item.location_text or "",
        "status": _lower_first(t(f"incident.status.{item.status}")),
    }


def report_context(
    agg: Aggregate,
    commune: Commune,
    directive: Directive,
    settings: Settings,
    *,
    report_date: date,
    title: str | None = None,
) -> dict[str, Any]:
    """Everything the template's tags refer to (numbers already formatted)."""
    day, month, year = decree_date_parts(report_date)
    c = agg.completeness
    real_incidents = sum(
        n for status, n in agg.incidents_by_status.items() if status != IncidentStatus.FALSE_REPORT
    )
    outcomes = [
        t("report.outcome", count=n, label=_lower_first(t(f"incident.status.{status}")))
        for status, n in agg.incidents_by_status.items()
        if n
    ]
    patrol = {key: vn_int(value) for key, value in agg.patrol.items()}
    patrol["forces"] = vn_int(
        agg.patrol.get("patrol_police", 0)
        + agg.patrol.get("patrol_militia", 0)
        + agg.patrol.get("patrol_security", 0)
    )
    return {
        "commune_upper": commune.name.upper(),
        "commune_name": _lower_first(commune.name),
        "place": commune.short_name,
        "day": day,
        "month": month,
        "year": year,
        "title": title or report_title(directive),
        "doc_type": document_type(directive.number),
        "doc_number": directive.number,
        "doc_date": decree_short_date(directive.issued_on),
        "doc_issuer": directive.issuer,
        "doc_summary": directive.summary.strip().rstrip("."),
        "as_of": decree_short_date(agg.now.astimezone(agg.tz).date()),
        "deadline": decree_short_date(agg.deadline),
        "has_submissions": agg.has_submissions,
        "c": {
            "expected": vn_int(c.expected),
            "submitted": vn_int(c.submitted),
            "on_time": vn_int(c.on_time),
            "late": vn_int(c.late),
            "missing": c.missing,
            "submitted_pct": vn_pct(c.submitted_pct),
            "on_time_pct": vn_pct(c.on_time_pct),
        },
        "missing_names": ", ".join(u.name for u in agg.missing_units()),
        "by_kind": [
            {
                "label": t(f"report.kind.{k.kind}"),
                "submitted": vn_int(k.rate.submitted),
                "expected": vn_int(k.rate.expected),
            }
            for k in agg.by_kind
        ],
        "f": {key: vn_int(value) for key, value in agg.figures.items()},
        "p": patrol,
        "has_patrols": agg.patrol.get("patrols", 0) > 0,
        "incidents": [_incident(i, agg) for i in agg.incidents],
        "incident_total": vn_int(len(agg.incidents)),
        "incident_outcomes": ", ".join(outcomes),
        "cases_detected": agg.figures.get("cases_detected", 0) > 0,
        "no_cases": agg.figures.get("cases_detected", 0) == 0 and real_incidents == 0,
        "difficulties": _remarks(agg.difficulties),
        "proposals": _remarks(agg.proposals),
        "signer_authority": settings.report_signer_authority,
        "signer_title": settings.report_signer_title,
        "signer_name": settings.report_signer_name,
    }


def render_report(
    aggregate: Aggregate,
    commune: Commune,
    directive: Directive,
    settings: Settings,
    out_path: Path,
    *,
    report_date: date,
    title: str | None = None,
    template: Path = TEMPLATE,
) -> Path:
    """Write the report to ``out_path`` (parents created) and return the path."""
    context = report_context(
        aggregate, commune, directive, settings, report_date=report_date, title=title
    )
    doc = DocxTemplate(str(template))
    # autoescape: what people typed (summaries, remarks, names) may contain & < >.
    doc.render(context, autoescape=True)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(out_path))
    return out_path
