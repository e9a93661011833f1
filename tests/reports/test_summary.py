"""The /summary chat text: key figures, completeness, who is missing; short and safe HTML."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime

from reports.aggregate import UnitResult, UnitStatus
from reports.scope import directive_period
from reports.summary import LIMIT, summary_text
from tests.reports.conftest import Filled


def test_summary_contents(filled_sqlite: Filled) -> None:
    agg = filled_sqlite.aggregate()
    d = filled_sqlite.directive
    text = summary_text(agg, d, directive_period(d, "once"))
    exp = filled_sqlite.expected
    assert "<b>Tổng hợp 1949/UBND-NC</b>" in text
    assert "Kỳ: 05/09/2025–14/09/2025 · hạn đơn vị gửi: 14/09/2025" in text
    assert "7/10 đơn vị đã gửi (70,0%): 5 đúng hạn, 2 trễ hạn, 3 chưa gửi." in text
    assert "• Thôn: 4/6" in text
    assert f"Tuyên truyền: {exp.figures['propaganda_sessions']} buổi" in text
    assert f"Tuần tra: {exp.patrol['patrols']} lượt" in text
    assert "Tin báo: 3 (1 đang xác minh, 1 đã xử lý, 1 tin không chính xác)" in text
    assert "<b>Quá hạn, chưa gửi (3):</b>" in text
    for name in exp.missing:
        assert name in text


def test_before_the_deadline_it_says_missing_not_overdue(filled_sqlite: Filled) -> None:
    agg = filled_sqlite.aggregate(now=datetime(2025, 9, 13, 3, tzinfo=UTC))
    d = filled_sqlite.directive
    text = summary_text(agg, d, directive_period(d, "once"))
    assert "<b>Chưa gửi (" in text and "Quá hạn" not in text


def test_many_missing_units_are_cut_and_names_escaped(filled_sqlite: Filled) -> None:
    agg = filled_sqlite.aggregate()
    template = agg.missing_units()[0]
    many = tuple(
        replace(template, unit_id=10_000 + i, name=f"Tổ <{i}> & dân phố số {i:04d}")
        for i in range(600)
    )
    big = replace(agg, units=agg.units + many)
    d = filled_sqlite.directive
    text = summary_text(big, d, directive_period(d, "once"))
    assert len(text) <= LIMIT
    assert re.search(r"… và \d+ đơn vị khác$", text)
    names_line = text.splitlines()[-1].split("</b> ", 1)[1]
    shown = names_line.count(", ")  # n names + the "… và" item are joined by n commas
    hidden = int(re.search(r"và (\d+) đơn vị khác", text).group(1))  # type: ignore[union-attr]
    assert shown + hidden == 603  # the fixture's 3 plus 600
    assert shown > 50  # the room is used, not given up early
    assert "&lt;0&gt; &amp; dân phố" in text
    assert set(re.findall(r"</?[a-z]+>", text)) <= {"<b>", "</b>"}


def test_nobody_reported(filled_sqlite: Filled) -> None:
    agg = filled_sqlite.aggregate()
    empty_units = tuple(
        UnitResult(
            unit_id=u.unit_id,
            name=u.name,
            kind=u.kind,
            expected=True,
            status=UnitStatus.MISSING,
            first_submitted_at=None,
            last_updated_at=None,
            version=None,
            submissions=0,
            member_name=None,
        )
        for u in agg.units
    )
    nobody = replace(
        agg,
        units=empty_units,
        completeness=replace(agg.completeness, submitted=0, on_time=0, late=0, missing=10),
    )
    d = filled_sqlite.directive
    text = summary_text(nobody, d, directive_period(d, "once"))
    assert "chưa có đơn vị nào gửi báo cáo (0/10)" in text


def test_figures_nobody_reported_are_left_out(filled_sqlite: Filled) -> None:
    agg = filled_sqlite.aggregate()
    figures = {k: v for k, v in agg.figures.items() if k not in ("cameras", "cases_handled")}
    partial = replace(agg, figures=figures, patrol={})
    d = filled_sqlite.directive
    text = summary_text(partial, d, directive_period(d, "once"))
    assert "camera" not in text
    assert f"• Vụ việc đơn vị báo: phát hiện {agg.figures['cases_detected']}\n" in text
    assert "• Tuần tra: chưa có số liệu" in text
    assert not re.search(r"\b0 (lượt|camera|người)", text)
