"""Render an official report (DOCX) from an :class:`Aggregate` and its :class:`ReportMeta`.

The layout and the fixed wording live in ``reports/templates/bao_cao.docx`` (the office
edits it in Word); the sentences that depend on the data come from :mod:`reports.narrative`;
this module only puts them together. Nothing here knows which commune it is writing for,
so a province's consolidated report can use the same function with its own metadata.
"""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Any

from docxtpl import DocxTemplate, Listing

from bot.messages import t
from reports import footnotes, narrative
from reports.fmt import decree_date_parts, decree_short_date, vn_int
from reports.meta import CitedDocument, ReportMeta, document_type, report_title
from reports.results import Aggregate

__all__ = ["TEMPLATE", "document_type", "render_report", "report_context", "report_title"]

TEMPLATE = Path(__file__).parent / "templates" / "bao_cao.docx"


def citation(doc: CitedDocument) -> str:
    """A cited document in full, as in a footnote: '… số 180/UBND-VP ngày 03 tháng 9 năm
    2025 của UBND xã Sơn Mai về …'."""
    day, month, year = decree_date_parts(doc.issued_on)
    text = t(
        "report.body.footnote",
        kind=doc.kind,
        number=doc.number,
        day=day,
        month=month,
        year=year,
        issuer=doc.issuer,
    )
    if doc.summary:
        text += t("report.body.footnote_about", summary=doc.summary)
    return text + "."


def recipient_lines(recipients: tuple[str, ...]) -> list[str]:
    """Nơi nhận as Decree 30 writes it: '- …;' on each line, the last one closed with '.'."""
    return [
        f"- {line}{'.' if i == len(recipients) - 1 else ';'}" for i, line in enumerate(recipients)
    ]


def paras(items: list[narrative.Para]) -> list[dict[str, Any]]:
    return [asdict(p) for p in items]


def document_context(meta: ReportMeta) -> dict[str, Any]:
    """The tags every report template has: header, date line, title, the cited document,
    Nơi nhận and the signature."""
    day, month, year = decree_date_parts(meta.report_date)
    cites = meta.cites
    return {
        "commune_upper": meta.authority_upper,
        "commune_name": meta.authority_name,
        "place": meta.place,
        "day": day,
        "month": month,
        "year": year,
        "title": meta.title,
        "doc_type": cites.kind,
        "doc_number": cites.number,
        "doc_date": decree_short_date(cites.issued_on),
        "doc_issuer": cites.issuer,
        "doc_summary": cites.summary or "",
        "recipients": recipient_lines(meta.recipients),
        "signer_authority": meta.signer_authority,
        # «KT. CHỦ TỊCH» over «PHÓ CHỦ TỊCH»: each line of the title on its own line.
        "signer_title": Listing(meta.signer_title),
        "signer_name": meta.signer_name,
        "signer_missing": t("report.body.placeholder", text=t("report.body.no_signer")),
        "closing": meta.closing,
    }


def report_context(agg: Aggregate, meta: ReportMeta) -> dict[str, Any]:
    """Everything the commune template's tags refer to (numbers already formatted)."""
    return {
        **document_context(meta),
        "own_instruction_note": citation(meta.own_instruction) if meta.own_instruction else "",
        "own_instruction_missing": t(
            "report.body.placeholder", text=t("report.body.no_own_instruction")
        ),
        "expected": vn_int(agg.completeness.expected),
        "completeness": paras(narrative.completeness(agg)) if meta.show_completeness else [],
        "residents": paras(narrative.residents(agg)),
        "propaganda": paras(narrative.propaganda(agg)),
        "patrols": paras(narrative.patrols(agg)),
        "tips": paras(narrative.tips(agg)),
        "cases": paras(narrative.cases(agg)),
        "assessment": paras(narrative.assessment(agg)),
        "difficulties": paras(narrative.difficulties(agg.difficulties)),
        "proposals": paras(narrative.proposals(agg.proposals, meta.proposal_addressee)),
    }


def render_report(
    aggregate: Aggregate, meta: ReportMeta, out_path: Path, *, template: Path = TEMPLATE
) -> Path:
    """Write the report to ``out_path`` (parents created) and return the path."""
    doc = DocxTemplate(str(template))
    # autoescape: what people typed (remarks, names) may contain & < >.
    doc.render(report_context(aggregate, meta), autoescape=True)
    footnotes.drop_unreferenced(doc.docx)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(out_path))
    return out_path
