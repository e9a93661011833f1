"""Raw export of a directive period's submissions: one row per filed report (CSV or XLSX).

Columns: unit, kind, member, form, period, status, version, filed (local time), then every
answer flattened (a location becomes three columns, a list one joined cell), then every
figure. Drafts are not exported.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd
from openpyxl import Workbook
from sqlalchemy import Connection, select
from sqlmodel import col

from bot.core.forms.loader import FormError, load_forms
from bot.core.periods import period_name
from bot.messages import t
from reports.sheets import write_table
from reports.xlsx_annex import figure_label
from storage.enums import SubmissionStatus
from storage.models import Directive, Member, Submission, SubmissionFigure, Unit

# A cell starting with one of these is run as a formula by spreadsheet programs (CSV
# injection); a leading apostrophe makes it text. "-" only counts when not followed by a
# space, so the common "- item" lists people type stay untouched.
_FORMULA_START = ("=", "+", "@", "\t", "\r")


def _question_labels() -> dict[str, str]:
    try:
        forms = load_forms()
    except (FormError, OSError):
        return {}
    return {q.id: q.label for form in forms.values() for q in form.questions}


def _flat(value: Any) -> Any:
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    if isinstance(value, bool):
        return int(value)
    return value


def export_frame(
    conn: Connection, directive: Directive, period_key: str, tz: ZoneInfo
) -> pd.DataFrame:
    """The export as a DataFrame with Vietnamese column headers."""
    rows = pd.read_sql(
        select(
            col(Submission.id).label("id"),
            col(Unit.name).label("unit"),
            col(Unit.kind).label("kind"),
            col(Member.full_name).label("member"),
            col(Submission.form_id).label("form"),
            col(Submission.period_key).label("period"),
            col(Submission.status).label("status"),
            col(Submission.version).label("version"),
            col(Submission.submitted_at).label("submitted_at"),
            col(Submission.updated_at).label("updated_at"),
            col(Submission.answers).label("answers"),
        )
        .join(Unit, col(Unit.id) == col(Submission.unit_id))
        .join(Member, col(Member.id) == col(Submission.member_id))
        .where(
            col(Submission.directive_id) == directive.id,
            col(Submission.period_key) == period_key,
            col(Submission.status) != SubmissionStatus.DRAFT,
        )
        .order_by(col(Unit.kind), col(Unit.name), col(Submission.form_id), col(Submission.id)),
        conn,
    )
    figures = pd.read_sql(
        select(
            col(SubmissionFigure.submission_id).label("id"),
            col(SubmissionFigure.key).label("key"),
            col(SubmissionFigure.value).label("value"),
        )
        .join(Submission, col(Submission.id) == col(SubmissionFigure.submission_id))
        .where(
            col(Submission.directive_id) == directive.id,
            col(Submission.period_key) == period_key,
            col(Submission.status) != SubmissionStatus.DRAFT,
        ),
        conn,
    )
    base = pd.DataFrame(
        {
            t("report.xlsx.col.unit"): rows["unit"],
            t("report.xlsx.col.kind"): rows["kind"].map(lambda k: t(f"report.kind.{k}")),
            t("report.xlsx.col.member"): rows["member"],
            t("report.xlsx.col.form"): rows["form"],
            t("report.xlsx.col.period"): rows["period"].map(period_name),
            t("report.xlsx.col.submission_status"): rows["status"].map(
                lambda s: t(f"report.submission.{s}")
            ),
            t("report.xlsx.col.version"): rows["version"],
            t("report.xlsx.col.submitted_at"): _local(rows["submitted_at"], tz),
            t("report.xlsx.col.updated_at"): _local(rows["updated_at"], tz),
        }
    )
    answers = pd.json_normalize(rows["answers"].map(lambda a: a or {}).tolist(), sep=".")
    answers = answers.map(_flat)
    labels = _question_labels()
    answers.columns = [_answer_header(str(c), labels) for c in answers.columns]
    wide = pd.DataFrame(index=rows.index)
    if not figures.empty:
        pivot = figures.pivot_table(index="id", columns="key", values="value", aggfunc="sum")
        pivot = pivot.astype("Int64")
        pivot.columns = [f"[{figure_label(str(k))}]" for k in pivot.columns]
        wide = rows[["id"]].join(pivot, on="id").drop(columns="id")
    return pd.concat([base, answers.set_index(rows.index), wide], axis=1)


def _answer_header(column: str, labels: dict[str, str]) -> str:
    """'vi_tri.lat' → 'Địa điểm.lat': the question's label, then the part of a location."""
    qid, _, part = column.partition(".")
    label = labels.get(qid, qid)
    return f"{label}.{part}" if part else label


def _local(series: pd.Series, tz: ZoneInfo) -> pd.Series:
    return pd.to_datetime(series, utc=True).dt.tz_convert(tz).dt.tz_localize(None)


def _safe_text(value: Any) -> Any:
    if isinstance(value, str) and (
        value.startswith(_FORMULA_START) or (value.startswith("-") and value[1:2] not in (" ", ""))
    ):
        return "'" + value
    return value


def write_export(frame: pd.DataFrame, path: Path) -> Path:
    """Write ``frame`` as .csv (UTF-8 with BOM, so Excel reads the accents) or .xlsx."""
    path.parent.mkdir(parents=True, exist_ok=True)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        frame.map(_safe_text).to_csv(
            path, index=False, encoding="utf-8-sig", date_format="%d/%m/%Y %H:%M"
        )
    elif suffix == ".xlsx":
        wb = Workbook()
        ws = wb.active
        assert ws is not None
        ws.title = t("report.xlsx.sheet.export")
        records = frame.astype(object).where(frame.notna(), None)
        values = [[_cell(v) for v in row] for row in records.itertuples(index=False)]
        write_table(ws, [str(c) for c in frame.columns], values)
        wb.save(str(path))
    else:
        raise ValueError(f"unsupported export format: {path.suffix}")
    return path


def _cell(value: Any) -> Any:
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    return value
