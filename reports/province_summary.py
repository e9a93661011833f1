"""The province roll-up in chat (/summary and /tiendo for Công an tỉnh, UBND tỉnh).

HTML with <b> only, within Telegram's 4096 characters: the communes that have not answered
are listed with how far their units are ("Xã A (12/40)"), cut with "… và N xã khác".
"""

from __future__ import annotations

from html import escape

from bot.messages import t
from reports.fmt import dmy, vn_int, vn_pct
from reports.province import CommuneRow, ProvinceAggregate, as_aggregate
from reports.summary import LIMIT, figure_lines, fit_names, incidents_line


def _waiting(row: CommuneRow) -> str:
    return t(
        "province.summary.waiting_item",
        name=escape(row.name, quote=False),
        submitted=vn_int(row.units.submitted),
        expected=vn_int(row.units.expected),
    )


def province_summary_text(p: ProvinceAggregate) -> str:
    c, u = p.communes, p.units
    lines = [
        t("province.summary.title", number=escape(p.directive_number, quote=False)),
        t("province.summary.period", period=p.period.label(), deadline=dmy(p.deadline)),
        "",
        t(
            "province.summary.communes",
            submitted=c.submitted,
            expected=c.expected,
            pct=vn_pct(c.submitted_pct),
            on_time=c.on_time,
            late=c.late,
            missing=c.missing,
        ),
        t(
            "province.summary.units",
            submitted=vn_int(u.submitted),
            expected=vn_int(u.expected),
            pct=vn_pct(u.submitted_pct),
        ),
        "",
    ]
    agg = as_aggregate(p)
    if p.answered:
        lines += [t("province.summary.figures", count=len(p.answered)), *figure_lines(agg)]
    else:
        lines.append(t("province.summary.no_figures"))
    lines.append(incidents_line(agg))
    waiting = [_waiting(r) for r in p.missing]
    if waiting:
        key = "province.summary.overdue" if p.past_deadline else "province.summary.waiting"
        head = "\n".join(lines) + "\n\n"
        frame = len(head) + len(t(key, count=len(waiting), names=""))
        names = fit_names(waiting, LIMIT - frame, escaped=True, more_key="province.summary.more")
        lines += ["", t(key, count=len(waiting), names=names)]
    return "\n".join(lines)
