"""The /summary chat reply: key figures, completeness and the units still missing.

HTML with <b> only; every name people typed is escaped. Telegram refuses messages over
4096 characters, so the list of units is cut with "… và N đơn vị khác" to fit.
"""

from __future__ import annotations

from html import escape

from bot.core.periods import Period
from bot.messages import t
from reports.aggregate import Aggregate
from reports.fmt import dmy, vn_int, vn_pct
from reports.results import reported_sum
from storage.models import Directive

LIMIT = 4096


def _esc(text: str) -> str:
    return escape(text, quote=False)


def fit_names(
    names: list[str], room: int, *, escaped: bool = False, more_key: str = "report.summary.more"
) -> str:
    """Join as many names as fit in ``room`` characters, then '… và N đơn vị khác'
    (``escaped``: the names are HTML already)."""
    shown: list[str] = []
    used = 0
    for i, name in enumerate(names):
        piece = name if escaped else _esc(name)
        rest = len(names) - i - 1
        tail = len(t(more_key, count=rest)) + 2 if rest else 0
        if used + len(piece) + 2 + tail > room:
            more = t(more_key, count=len(names) - i)
            return ", ".join([*shown, more]) if shown else more
        shown.append(piece)
        used += len(piece) + 2
    return ", ".join(shown)


def summary_text(aggregate: Aggregate, directive: Directive, period: Period) -> str:
    """A short Vietnamese summary for chat (≤ 4096 characters)."""
    agg = aggregate
    c = agg.completeness
    lines = [
        t("report.summary.title", number=_esc(directive.number)),
        t("report.summary.period", period=period.label(), deadline=dmy(agg.deadline)),
        "",
    ]
    if c.submitted:
        lines.append(
            t(
                "report.summary.completeness",
                submitted=c.submitted,
                expected=c.expected,
                pct=vn_pct(c.submitted_pct),
                on_time=c.on_time,
                late=c.late,
                missing=c.missing,
            )
        )
    else:
        lines.append(t("report.summary.nobody", expected=c.expected))
    lines += [
        t(
            "report.summary.kind",
            label=t(f"report.kind.{k.kind}"),
            submitted=k.rate.submitted,
            expected=k.rate.expected,
        )
        for k in agg.by_kind
    ]
    lines += ["", t("report.summary.figures"), *figure_lines(agg)]
    lines += [
        incidents_line(agg),
        t(
            "report.summary.remarks",
            difficulties=len(agg.difficulties),
            proposals=len(agg.proposals),
        ),
    ]
    missing = [u.name for u in agg.missing_units()]
    if missing:
        key = "report.summary.overdue" if agg.past_deadline else "report.summary.missing"
        head = "\n".join(lines) + "\n\n"
        frame = len(head) + len(t(key, count=len(missing), names=""))
        lines += ["", t(key, count=len(missing), names=fit_names(missing, LIMIT - frame))]
    return "\n".join(lines)


#: The figure lines of the summary: (line key, [(item key, figure keys summed)]).
_LINES: tuple[tuple[str, str, tuple[tuple[str, tuple[str, ...]], ...]], ...] = (
    (
        "report.summary.propaganda",
        "figures",
        (("sessions", ("propaganda_sessions",)), ("attendees", ("propaganda_attendees",))),
    ),
    (
        "report.summary.grassroots",
        "figures",
        (
            ("teams", ("security_teams",)),
            ("cameras", ("cameras",)),
            ("zalo", ("zalo_groups",)),
        ),
    ),
    (
        "report.summary.patrol",
        "patrol",
        (
            ("patrols", ("patrols",)),
            ("forces", ("patrol_police", "patrol_militia", "patrol_security")),
            ("persons", ("persons_checked",)),
            ("vehicles", ("vehicles_checked",)),
        ),
    ),
    (
        "report.summary.cases",
        "figures",
        (("detected", ("cases_detected",)), ("handled", ("cases_handled",))),
    ),
)


def figure_lines(agg: Aggregate) -> list[str]:
    """One line per group; a figure nobody reported is left out (never shown as 0), and a
    group nobody reported says 'chưa có số liệu'."""
    out = []
    for line_key, source, items in _LINES:
        figures = agg.figures if source == "figures" else agg.patrol
        parts = [
            t(f"{line_key}.{name}", value=vn_int(value))
            for name, keys in items
            if (value := reported_sum(figures, *keys)) is not None
        ]
        out.append(t(line_key, items=", ".join(parts) if parts else t("report.no_data")))
    return out


def incidents_line(agg: Aggregate) -> str:
    total = sum(agg.incidents_by_status.values())
    if not total:
        return t("report.summary.no_incidents")
    outcomes = ", ".join(
        t("report.outcome", count=n, label=t(f"incident.status.{s}").lower())
        for s, n in agg.incidents_by_status.items()
        if n
    )
    return t("report.summary.incidents", total=total, outcomes=outcomes)
