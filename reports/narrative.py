"""The report's sentences, derived from an :class:`Aggregate` and true to it.

Each function returns the paragraphs of one part of the report. A sentence is written only
from figures someone reported: a figure nobody reported is left out (never said as 0), a
reported 0 is said in words ("chưa tổ chức …"), and a paragraph the data cannot supply is a
:class:`Para` marked ``placeholder`` — the DOCX highlights it, bracketed, for the office to
complete. The wording is in ``bot/messages.py`` (``report.body.*``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from bot.messages import CATALOG, t
from reports import prose
from reports.fmt import decree_short_date, vn_int, vn_pct
from reports.results import Aggregate, IncidentItem, Remark, reported_sum
from storage.enums import IncidentStatus

OPEN_STATUSES = (IncidentStatus.NEW, IncidentStatus.RECEIVED, IncidentStatus.VERIFYING)
PATROL_FORCES = ("patrol_police", "patrol_militia", "patrol_security")
_GRASSROOTS = ("security_teams", "cameras", "zalo_groups")
_CHECKED = ("persons_checked", "vehicles_checked")


@dataclass(frozen=True)
class Para:
    text: str
    placeholder: bool = False  # highlighted and bracketed: the office must write this


def placeholder(text: str) -> Para:
    return Para(t("report.body.placeholder", text=text), placeholder=True)


def _clauses(*clauses: str) -> str:
    """'a', 'b' → 'A; b.' (one sentence of several clauses)."""
    text = "; ".join(c for c in clauses if c)
    return text[:1].upper() + text[1:] + "."


def _enumerate(items: list[str]) -> str:
    """'a, b và c'."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + t("report.body.and") + items[-1]


#: Common nouns that open a village-level unit's name; mid-sentence they are written in
#: lower case before the proper name ('thôn Trà Phong', as 'xã Tây Trà': Decree 30/2020,
#: Appendix II). Bodies ('Công an xã …', 'Hội Nông dân xã') keep their capital.
_PLACE_NOUNS = ("thôn", "bản", "làng", "buôn", "ấp", "xóm", "tổ dân phố", "khu phố", "khối phố")


def unit_in_sentence(name: str) -> str:
    """A unit's name as written inside a sentence: 'Thôn Trà Phong' → 'thôn Trà Phong'."""
    for noun in _PLACE_NOUNS:
        if name[: len(noun)].casefold() == noun and name[len(noun) : len(noun) + 1] == " ":
            return noun + name[len(noun) :]
    return name


def _positive(figures: Mapping[str, int], key: str) -> int | None:
    value = figures.get(key)
    return value if value else None


# --- section 2 ------------------------------------------------------------------------------


def completeness(agg: Aggregate) -> list[Para]:
    """Who has reported (only when the report is set to say so: it is the annex's job)."""
    c = agg.completeness
    as_of = decree_short_date(agg.now.astimezone(agg.tz).date())
    if not c.submitted:
        return [Para(t("report.body.completeness_nobody", as_of=as_of, expected=c.expected))]
    missing = agg.missing_units()
    tail = (
        t(
            "report.body.completeness_missing",
            count=len(missing),
            names=", ".join(unit_in_sentence(u.name) for u in missing),
        )
        if missing
        else ""
    )
    kinds = "; ".join(
        t(
            "report.body.completeness_kind",
            label=t(f"report.kind.{k.kind}"),
            submitted=vn_int(k.rate.submitted),
            expected=vn_int(k.rate.expected),
        )
        for k in agg.by_kind
    )
    return [
        Para(
            t(
                "report.body.completeness",
                as_of=as_of,
                submitted=vn_int(c.submitted),
                expected=vn_int(c.expected),
                pct=vn_pct(c.submitted_pct),
                on_time=vn_int(c.on_time),
                late=vn_int(c.late),
                deadline=decree_short_date(agg.deadline),
                missing=tail,
            )
        ),
        Para(t("report.body.completeness_kinds", kinds=kinds)),
    ]


def residents(agg: Aggregate) -> list[Para]:
    """Foreigners living in the commune and residence checks (2a)."""
    residing = agg.figures.get("foreigners_residing")
    checks = _positive(agg.figures, "residence_checks")
    clauses = []
    if residing is not None:
        clauses.append(
            t("report.body.residing", n=vn_int(residing))
            if residing
            else t("report.body.residing_none")
        )
    if checks:
        clauses.append(t("report.body.residence_checks", n=vn_int(checks)))
    return [Para(_clauses(*clauses))] if clauses else []


def propaganda(agg: Aggregate) -> list[Para]:
    """Propaganda sessions and the grassroots network (2b)."""
    if not agg.has_submissions:
        return [placeholder(t("report.body.no_reports"))]
    out = []
    sessions = agg.figures.get("propaganda_sessions")
    if sessions:
        attendees = _positive(agg.figures, "propaganda_attendees")
        extra = t("report.body.propaganda_attendees", n=vn_int(attendees)) if attendees else ""
        out.append(Para(t("report.body.propaganda", sessions=vn_int(sessions), attendees=extra)))
    elif sessions == 0:
        out.append(Para(t("report.body.propaganda_none")))
    items = [
        t(f"report.body.item.{key}", n=vn_int(value))
        for key in _GRASSROOTS
        if (value := _positive(agg.figures, key))
    ]
    if items:
        out.append(Para(t("report.body.grassroots", items=_enumerate(items))))
    return out


def patrols(agg: Aggregate) -> list[Para]:
    """Patrols, who took part, whom and what they checked (2c)."""
    p = agg.patrol
    count = _positive(p, "patrols")
    if not count:
        return []
    # a force that sent nobody is left out of the breakdown ('dân quân 0' reads as a gap)
    parts = [
        t(f"report.body.patrol_part.{key}", n=vn_int(value))
        for key in PATROL_FORCES
        if (value := _positive(p, key))
    ]
    total = reported_sum(p, *PATROL_FORCES)
    forces = (
        t("report.body.patrol_forces", total=vn_int(total), parts=", ".join(parts)) if total else ""
    )
    checked = [
        t(f"report.body.checked.{key}", n=vn_int(value))
        for key in _CHECKED
        if (value := _positive(p, key))
    ]
    foreigners = _positive(p, "foreigners_checked")
    checks = ""
    if checked:
        tail = t("report.body.checked_foreigners", n=vn_int(foreigners)) if foreigners else ""
        checks = t("report.body.patrol_checks", items=", ".join(checked) + tail)
    return [Para(t("report.body.patrol", patrols=vn_int(count), forces=forces, checks=checks))]


def _tip_counts(tips: tuple[IncidentItem, ...]) -> str:
    counts = {s: sum(i.status == s for i in tips) for s in (*OPEN_STATUSES, "handled")}
    return ", ".join(
        t(f"report.body.tip_count.{status}", n=vn_int(n)) for status, n in counts.items() if n
    )


def _tip_line(item: IncidentItem, agg: Aggregate) -> str:
    """One tip in administrative words: day, unit, what (by form), how many, where it stands.

    What the villager typed is not copied: it stays in the annex's incident sheet.
    """
    form = item.form_id if f"report.body.tip_what.{item.form_id}" in CATALOG else "other"
    what = (
        t(f"report.body.tip_what.{form}", n=vn_int(item.people_count))
        if item.people_count
        else t(f"report.body.tip_what_unknown.{form}")
    )
    return t(
        "report.body.tip_line",
        date=decree_short_date(item.reported_at.astimezone(agg.tz).date()),
        unit=unit_in_sentence(item.unit_name),
        what=what,
        status=t(f"report.body.tip_status.{item.status}"),
    )


def tips(agg: Aggregate) -> list[Para]:
    """Tips received; false ones counted apart and never listed (2c)."""
    total = len(agg.incidents)
    if not total:
        return []
    real = agg.real_incidents()
    false = total - len(real)
    if not real:
        return [Para(t("report.body.tips_all_false", total=vn_int(total)))]
    if false:
        head = t(
            "report.body.tips_false",
            total=vn_int(total),
            false=vn_int(false),
            outcomes=_tip_counts(real),
        )
    else:
        head = t("report.body.tips", total=vn_int(total), outcomes=_tip_counts(real))
    return [Para(head), *(Para(_tip_line(i, agg)) for i in real)]


def cases(agg: Aggregate) -> list[Para]:
    """Cases the units detected, or that none was found — only when that is what they said."""
    detected = agg.figures.get("cases_detected")
    if detected:
        handled = agg.figures.get("cases_handled")
        tail = t("report.body.cases_handled", n=vn_int(handled)) if handled is not None else ""
        return [Para(t("report.body.cases", detected=vn_int(detected), handled=tail))]
    if detected == 0 and not agg.real_incidents():
        said_propaganda = bool(agg.figures.get("propaganda_sessions"))
        tail = t("report.body.no_cases_propaganda") if said_propaganda else ""
        return [Para(t("report.body.no_cases", propaganda=tail))]
    return []


# --- section 3 ------------------------------------------------------------------------------


def _reporting_assessment(agg: Aggregate) -> str | None:
    c = agg.completeness
    if not c.expected or not c.submitted:
        return None
    if c.submitted == c.expected:
        key = "all_on_time" if not c.late else "all_some_late"
    else:
        key = "most" if c.submitted_pct >= 50 else "few"
    return t(f"report.body.assess.{key}")


def _security_assessment(agg: Aggregate) -> list[str]:
    out = []
    real = agg.real_incidents()
    still_open = sum(i.status in OPEN_STATUSES for i in real)
    detected = agg.figures.get("cases_detected")
    handled = agg.figures.get("cases_handled")
    if detected == 0 and not real:
        out.append(t("report.body.assess.calm"))
    if detected and handled is not None:
        left = detected - handled
        out.append(
            t("report.body.assess.cases_open", n=vn_int(left))
            if left > 0
            else t("report.body.assess.cases_done")
        )
    if real:
        out.append(
            t("report.body.assess.tips_open", n=vn_int(still_open))
            if still_open
            else t("report.body.assess.tips_done")
        )
    return out


def _effort_assessment(agg: Aggregate) -> list[str]:
    out = []
    sessions = _positive(agg.figures, "propaganda_sessions")
    if sessions:
        attendees = _positive(agg.figures, "propaganda_attendees")
        extra = (
            t("report.body.assess.propaganda_attendees", n=vn_int(attendees)) if attendees else ""
        )
        out.append(t("report.body.assess.propaganda", sessions=vn_int(sessions), attendees=extra))
    count = _positive(agg.patrol, "patrols")
    if count:
        joint = _positive(agg.patrol, "patrol_police") and (
            _positive(agg.patrol, "patrol_militia") or _positive(agg.patrol, "patrol_security")
        )
        key = "joint_patrol" if joint else "patrol"
        out.append(t(f"report.body.assess.{key}", patrols=vn_int(count)))
    return out


def assessment(agg: Aggregate) -> list[Para]:
    """Section 3 (Đánh giá chung) from the reporting rate, the efforts and the open cases.

    Praise the data does not back is not written; with no data the section is a placeholder.
    """
    texts = [
        text
        for text in (
            _reporting_assessment(agg),
            *_effort_assessment(agg),
            *_security_assessment(agg),
        )
        if text
    ]
    return [Para(text) for text in texts] or [placeholder(t("report.body.no_assessment"))]


# --- sections 4 and 5 -----------------------------------------------------------------------


def difficulties(remarks: tuple[Remark, ...]) -> list[Para]:
    sentences = list(dict.fromkeys(prose.sentence(r.text) for r in remarks))
    return [Para(s) for s in sentences if s] or [placeholder(t("report.body.no_difficulties"))]


def proposals(remarks: tuple[Remark, ...], default_addressee: str) -> list[Para]:
    sentences = list(dict.fromkeys(prose.proposal(r.text, default_addressee) for r in remarks))
    return [Para(s) for s in sentences if s] or [placeholder(t("report.body.no_proposals"))]
