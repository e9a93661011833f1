"""The province's consolidated report (DOCX): "Báo cáo tổng hợp kết quả … của các xã, phường".

Same layout as a commune's report (``reports/templates/bao_cao_tinh.docx``, built by
``python -m reports.build_template``), its own wording: section 1 says which communes have
answered (the province reports on its communes, so here the rate belongs in the body); the
figures are the sums of the answers, said only where some commune reported them; the tips
are counted per commune, never copied. Sentences that serve both levels come from
:mod:`reports.narrative` on :func:`reports.province.as_aggregate`.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from docxtpl import DocxTemplate

from bot.messages import t
from bot.settings import Settings
from reports import narrative
from reports.build_template import PROVINCE_TEMPLATE
from reports.docx_report import document_context, paras
from reports.fmt import decree_short_date, vn_int, vn_pct
from reports.meta import (
    CitedDocument,
    ReportMeta,
    clean_summary,
    document_type,
    lower_first,
    report_title,
)
from reports.narrative import OPEN_STATUSES, Para, placeholder
from reports.province import ProvinceAggregate, as_aggregate
from storage.enums import IncidentStatus
from storage.models import Commune, Directive

#: At most this many communes are named in a sentence; the annex lists them all.
NAMED = 12


def province_meta(
    province: Directive, commune: Commune, settings: Settings, *, report_date: date
) -> ReportMeta:
    """The consolidated report's metadata; ``commune`` is any commune of the installation
    (its province's name heads the report)."""
    name = commune.province_name  # 'Quảng Ngãi'
    recipients = tuple(province.report_recipients or ()) or tuple(
        t("province.report.recipients").split("\n")
    )
    return ReportMeta(
        authority_upper=t("province.report.authority", name=name).upper(),
        authority_name=t("province.report.authority", name=name),
        place=name,
        report_date=report_date,
        title=t("province.report.title", subject=lower_first(report_title(province))),
        cites=CitedDocument(
            kind=document_type(province.number),
            number=province.number,
            issued_on=province.issued_on,
            issuer=province.issuer,
            summary=clean_summary(province.summary),
        ),
        own_instruction=None,
        recipients=recipients,
        signer_authority=settings.province_signer_authority,
        signer_title=settings.province_signer_title,
        signer_name=settings.province_signer_name,
        show_completeness=True,
        proposal_addressee=t("province.report.addressee"),
    )


def _names(names: list[str]) -> str:
    shown = names[:NAMED]
    text = ", ".join(shown)
    if len(names) > NAMED:
        text += t("province.report.more", count=len(names) - NAMED)
    return text


def communes(p: ProvinceAggregate) -> list[Para]:
    """Section 1: who has answered, on time or not, and how far the others' units are."""
    c, u = p.communes, p.units
    as_of = decree_short_date(p.now.astimezone(p.tz).date())
    if not c.submitted:
        head = t("province.report.nobody", as_of=as_of, expected=vn_int(c.expected))
    else:
        head = t(
            "province.report.answered",
            as_of=as_of,
            submitted=vn_int(c.submitted),
            expected=vn_int(c.expected),
            pct=vn_pct(c.submitted_pct),
            on_time=vn_int(c.on_time),
            late=vn_int(c.late),
        )
    paras = [Para(head)]
    if p.missing:
        paras.append(
            Para(
                t(
                    "province.report.missing",
                    count=vn_int(len(p.missing)),
                    names=_names([r.name for r in p.missing]),
                )
            )
        )
    if u.expected:
        paras.append(
            Para(
                t(
                    "province.report.units",
                    submitted=vn_int(u.submitted),
                    expected=vn_int(u.expected),
                    pct=vn_pct(u.submitted_pct),
                )
            )
        )
    return paras


def tips(p: ProvinceAggregate) -> list[Para]:
    """Tips counted per commune and by where they stand (false ones apart, none listed)."""
    real = [i for i in p.incidents if i.status != IncidentStatus.FALSE_REPORT]
    false = len(p.incidents) - len(real)
    if not p.incidents:
        return []
    per_commune = [
        t("province.report.tips_in", commune=r.name, n=vn_int(n))
        for r in p.rows
        if (n := sum(v for s, v in r.tips.items() if s != IncidentStatus.FALSE_REPORT))
    ]
    still_open = sum(i.status in OPEN_STATUSES for i in real)
    text = t(
        "province.report.tips",
        total=vn_int(len(real)),
        communes=vn_int(len(per_commune)),
        where=_names(per_commune),
        open=vn_int(still_open),
    )
    if false:
        text += " " + t("province.report.tips_false", n=vn_int(false))
    return [Para(text)]


def assessment(p: ProvinceAggregate) -> list[Para]:
    """Section 3 from the communes' answers; praise the data does not back is not written."""
    out: list[Para] = []
    c = p.communes
    if c.expected and c.submitted:
        key = "all" if c.submitted == c.expected else ("most" if c.submitted_pct >= 50 else "few")
        out.append(Para(t(f"province.report.assess.{key}")))
    agg = as_aggregate(p)
    sessions = agg.figures.get("propaganda_sessions")
    if sessions:
        out.append(Para(t("province.report.assess.propaganda", sessions=vn_int(sessions))))
    patrols = agg.patrol.get("patrols")
    if patrols:
        out.append(Para(t("province.report.assess.patrol", patrols=vn_int(patrols))))
    still_open = sum(
        i.status in OPEN_STATUSES for i in p.incidents if i.status != IncidentStatus.FALSE_REPORT
    )
    if still_open:
        out.append(Para(t("province.report.assess.tips_open", n=vn_int(still_open))))
    return out or [placeholder(t("report.body.no_assessment"))]


def province_context(p: ProvinceAggregate, meta: ReportMeta) -> dict[str, Any]:
    agg = as_aggregate(p)
    return {
        **document_context(meta),
        "communes": paras(communes(p)),
        "residents": paras(narrative.residents(agg)),
        "propaganda": paras(narrative.propaganda(agg)),
        "patrols": paras(narrative.patrols(agg)),
        "tips": paras(tips(p)),
        "cases": paras(narrative.cases(agg)),
        "assessment": paras(assessment(p)),
        "difficulties": paras(narrative.difficulties(p.difficulties)),
        "proposals": paras(narrative.proposals(p.proposals, meta.proposal_addressee)),
    }


def render_province_report(
    p: ProvinceAggregate, meta: ReportMeta, out_path: Path, *, template: Path = PROVINCE_TEMPLATE
) -> Path:
    doc = DocxTemplate(str(template))
    doc.render(province_context(p, meta), autoescape=True)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(out_path))
    return out_path
