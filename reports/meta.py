"""What a report says about itself: who issues it, what it cites, where it goes, who signs.

The DOCX report and the XLSX annex take an :class:`Aggregate` plus a :class:`ReportMeta`,
never a commune or a directive row: the same renderers can then write a province's
consolidated report from a province's metadata. :func:`commune_report_meta` builds the
metadata of a commune's report on one directive.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session

from bot.messages import CATALOG, t
from bot.settings import Settings
from bot.text import fold, nfc
from storage.models import Commune, Directive

# Leading verbs of a directive's trích yếu that the report's title does not repeat:
# "tăng cường đấu tranh phòng, chống …" → "Kết quả thực hiện công tác phòng, chống …".
_LEADS = ("về việc", "v/v", "tăng cường", "đẩy mạnh", "triển khai", "thực hiện", "đấu tranh")
_SUBJECT_LEADS = ("về việc", "v/v", "về")
_PROVINCE_TAIL = re.compile(r"^(.*?\btỉnh)\b.*$", re.IGNORECASE)


@dataclass(frozen=True)
class CitedDocument:
    """A document the report cites: 'Công văn số 1949/UBND-NC ngày 28/8/2025 của … về …'."""

    kind: str  # 'Công văn', 'Kế hoạch'… (from the number's type code)
    number: str
    issued_on: date
    issuer: str
    summary: str | None  # trích yếu, without a leading 'về việc'


@dataclass(frozen=True)
class ReportMeta:
    """Everything on the report that is not a figure."""

    authority_upper: str  # second line of the issuing body: 'XÃ TÂY TRÀ'
    authority_name: str  # as written after 'UBND': 'xã Tây Trà'
    place: str  # 'Tây Trà' (địa danh of the date line)
    report_date: date
    title: str  # trích yếu under 'BÁO CÁO'
    cites: CitedDocument  # the directive the report answers
    own_instruction: CitedDocument | None  # the issuer's own document (footnote in section 1)
    recipients: tuple[str, ...]  # Nơi nhận lines, bare (the renderer adds '- ' and ';')
    signer_authority: str
    signer_title: str
    signer_name: str
    show_completeness: bool  # the body says how many units reported (annex always does)
    proposal_addressee: str  # who a proposal without one is put to: 'UBND tỉnh'
    closing: str = ""  # the body's last line: to whom the report goes (commune reports)


def lower_first(text: str) -> str:
    """'Tăng cường …' → 'tăng cường …' for use mid-sentence; acronyms ('UBND …') stay."""
    first = text.split(" ", 1)[0]
    if len(first) > 1 and first.isupper():
        return text
    return text[:1].lower() + text[1:]


def _strip_leads(text: str, leads: tuple[str, ...]) -> str:
    changed = True
    while changed:
        changed = False
        for lead in leads:
            if fold(text).startswith(fold(lead) + " "):
                text = text[len(lead) :].lstrip(" :")
                changed = True
    return text


def clean_summary(summary: str | None) -> str | None:
    """A trích yếu as cited after 'về việc': spaces collapsed, no lead, no full stop."""
    if summary is None or not summary.strip():
        return None
    text = _strip_leads(nfc(" ".join(summary.split())).rstrip("."), _SUBJECT_LEADS)
    return lower_first(text) or None


def report_title(directive: Directive) -> str:
    """The report's trích yếu, derived from the directive's (override with ``title=``)."""
    subject = nfc(" ".join(directive.summary.split())).rstrip(".")
    while True:
        stripped = _strip_leads(subject, _LEADS)
        if fold(stripped).startswith("cong tac "):
            stripped = stripped[len("công tác") :].lstrip()
        if stripped == subject:
            break
        subject = stripped
    return t("report.title", subject=lower_first(subject))


def document_type(number: str) -> str:
    """'12/KH-UBND' → 'Kế hoạch'; a number without a type code ('1949/UBND-NC') is a công văn."""
    code = number.split("/", 1)[-1].split("-", 1)[0].strip()
    key = f"report.doctype.{code}"
    return t(key) if key in CATALOG else t("report.doctype.default")


def province_level(issuer: str) -> str:
    """'UBND tỉnh Quảng Ngãi' → 'UBND tỉnh' (how a commune report names the level above)."""
    match = _PROVINCE_TAIL.match(" ".join(issuer.split()))
    return match.group(1) if match else issuer


def closing_line(issuer: str, authority_name: str) -> str:
    """The body's last line. An order from the province is answered to the provincial police
    (Sơn Mai: «Nay UBND xã Sơn Mai báo cáo để Công an tỉnh nắm, chỉ đạo./.»); the commune's
    own plan (45/KH-UBND of UBND xã Tây Trà) is not, and must not say it is."""
    if _PROVINCE_TAIL.match(" ".join(issuer.split())):
        return t("report.closing.to_province", commune=authority_name)
    return t("report.closing.own", commune=authority_name)


def default_recipients() -> tuple[str, ...]:
    return tuple(t("report.recipients.default").split("\n"))


def commune_report_meta(
    commune: Commune,
    directive: Directive,
    settings: Settings,
    *,
    report_date: date,
    title: str | None = None,
    completeness: bool | None = None,
) -> ReportMeta:
    """The metadata of ``commune``'s report on ``directive`` (``completeness`` None: as the
    directive says)."""
    own = None
    if directive.own_instruction_number and directive.own_instruction_date:
        own = CitedDocument(
            kind=document_type(directive.own_instruction_number),
            number=directive.own_instruction_number,
            issued_on=directive.own_instruction_date,
            issuer=t("report.authority", name=lower_first(commune.name)),
            summary=clean_summary(directive.own_instruction_summary),
        )
    return ReportMeta(
        authority_upper=commune.name.upper(),
        authority_name=lower_first(commune.name),
        place=commune.short_name,
        report_date=report_date,
        title=title or report_title(directive),
        cites=CitedDocument(
            kind=document_type(directive.number),
            number=directive.number,
            issued_on=directive.issued_on,
            issuer=directive.issuer,
            summary=clean_summary(directive.summary),
        ),
        own_instruction=own,
        recipients=tuple(directive.report_recipients or ()) or default_recipients(),
        signer_authority=settings.report_signer_authority,
        signer_title=commune.signer_title or settings.report_signer_title,
        signer_name=commune.signer_name or settings.report_signer_name,
        show_completeness=(directive.report_completeness if completeness is None else completeness),
        proposal_addressee=province_level(directive.issuer),
        closing=closing_line(directive.issuer, lower_first(commune.name)),
    )


def report_commune(session: Session, directive: Directive) -> Commune | None:
    """The commune whose report ``directive`` is on (None for a province directive)."""
    if directive.commune_id is None:
        return None
    return session.get(Commune, directive.commune_id)
