"""The aggregator's pandas steps: from the small frames the queries return to results.

Every frame here has one row per unit, unit and form, figure key or incident; the only
Python loops build the result objects from those rows.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd

from bot.core.periods import Period
from bot.text import fold
from reports import prose
from reports.results import (
    KIND_ORDER,
    STATUS_ORDER,
    IncidentItem,
    Remark,
    UnitResult,
    UnitStatus,
)

# Answers people type instead of skipping an optional question ("không" = none); listing
# them as a difficulty or proposal in an official report would be wrong.
_NOTHING = frozenset({"khong", "khong co", "khong co gi", "ko", "k", "khong co y kien", "-", "."})
_DIGITS = re.compile(r"\d+")


def utc(series: pd.Series) -> pd.Series:
    return pd.to_datetime(series, utc=True)


def _sort_key(name: str) -> str:
    # Natural order ("Thôn 2" before "Thôn 10") on folded text, so diacritics don't reorder.
    return _DIGITS.sub(lambda m: m.group().zfill(8), fold(name))


def order_units(units: pd.DataFrame, target_kinds: list[str]) -> pd.DataFrame:
    """Mark the directive's expected units and sort: by kind, then name in natural order."""
    units = units.copy()
    units["expected"] = units["active"].astype(bool) & units["kind"].isin(target_kinds)
    rank = {kind: i for i, kind in enumerate(KIND_ORDER)}
    units["kind_rank"] = units["kind"].map(rank).fillna(len(rank))
    units["sort_name"] = units["unit_name"].map(_sort_key)
    units = units.sort_values(["kind_rank", "sort_name"], kind="stable").reset_index(drop=True)
    units["order"] = range(len(units))
    return units


def unit_status(
    units: pd.DataFrame,
    latest: pd.DataFrame,
    revisions: pd.DataFrame,
    deadline: date,
    tz: ZoneInfo,
    also: pd.Series | None = None,
) -> pd.DataFrame:
    """One row per unit that is expected, reported, or is in ``also`` (unit ids with other
    figures, e.g. patrol logs): status, first/last times, filer.

    A unit whose patrols are in the totals must have its own row, or the annex's rows
    would not add up to its totals row.
    """
    latest = latest.merge(revisions, on="submission_id", how="left")
    first = pd.concat([utc(latest["first_at"]), utc(latest["rev_first_at"])], axis=1).min(axis=1)
    latest = latest.assign(first_at=first, updated_at=utc(latest["updated_at"]))
    per_unit = (
        latest.sort_values(["version", "updated_at"], kind="stable")
        .groupby("unit_id")
        .agg(
            first_at=("first_at", "min"),
            n=("n", "max"),
            version=("version", "max"),
            member_name=("member_name", "last"),
            last_at=("updated_at", "max"),
        )
        .reset_index()
    )
    df = units.merge(per_unit, on="unit_id", how="left")
    df["n"] = df["n"].fillna(0).astype("int64")
    extra = df["unit_id"].isin(also) if also is not None else False
    df = df[df["expected"] | (df["n"] > 0) | extra].copy()
    df["first_at"] = utc(df["first_at"])
    df["last_at"] = utc(df["last_at"])
    # On time = first filed before local midnight after the deadline day.
    deadline_end = pd.Timestamp(datetime.combine(deadline + timedelta(days=1), time(), tzinfo=tz))
    on_time = df["first_at"].notna() & (df["first_at"] < deadline_end)
    df["status"] = UnitStatus.MISSING.value
    df.loc[df["n"] > 0, "status"] = UnitStatus.LATE.value
    df.loc[(df["n"] > 0) & on_time, "status"] = UnitStatus.ON_TIME.value
    return df.sort_values("order").reset_index(drop=True)


def unit_figures(figures: pd.DataFrame, latest: pd.DataFrame) -> pd.DataFrame:
    """Figures of the latest rows, summed per unit and key."""
    if figures.empty:
        return pd.DataFrame({"unit_id": [], "key": [], "value": []})
    merged = figures.merge(latest[["submission_id", "unit_id"]], on="submission_id")
    return merged.groupby(["unit_id", "key"])["value"].sum().reset_index()


def figure_table(df: pd.DataFrame) -> dict[int, dict[str, int]]:
    """{unit_id: {key: value}} from a (unit_id, key, value) frame.

    Only the keys a unit reported: a figure row exists only for an answered question, so a
    key a unit skipped (or was never asked) stays absent — never filled in as 0.
    """
    if df.empty:
        return {}
    sums = df.groupby(["unit_id", "key"])["value"].sum()
    table: dict[int, dict[str, int]] = {}
    rows: list[Any] = list(sums.reset_index().itertuples(index=False))
    for r in rows:
        table.setdefault(int(r.unit_id), {})[str(r.key)] = int(r.value)
    return table


def totals(df: pd.DataFrame, keys: tuple[str, ...]) -> dict[str, int]:
    """Sum per key someone reported, ``keys`` first in their order, then any other key.

    A key nobody reported is absent: "0 camera" would claim a count no one gave.
    """
    if df.empty:
        return {}
    sums = {str(k): int(v) for k, v in df.groupby("key")["value"].sum().items()}
    order = [k for k in keys if k in sums] + sorted(k for k in sums if k not in keys)
    return {k: sums[k] for k in order}


def remarks(latest: pd.DataFrame, column: str) -> tuple[Remark, ...]:
    """Collect one free-text answer; merge points equal but for case, spaces and marks.

    A merged remark keeps the wording of the unit that filed first (later ones often copy
    it more loosely) and lists its units in the report's unit order; remarks raised by more
    units come first.
    """
    if latest.empty:
        return ()
    texts = latest[["unit_name", "order", "first_at", column]].dropna(subset=[column]).copy()
    if texts.empty:
        return ()
    # One row per point: an answer listing several ('- a\n- b') gives several remarks.
    texts["text"] = texts[column].astype(str).map(prose.items)
    texts = texts.explode("text").dropna(subset=["text"])
    texts["norm"] = texts["text"].map(prose.merge_key)
    texts = texts[(texts["norm"] != "") & ~texts["norm"].map(fold).isin(_NOTHING)]
    by_order = texts.sort_values("order", kind="stable").drop_duplicates(["norm", "unit_name"])
    units: dict[Any, list[str]] = (
        by_order.groupby("norm", sort=False)["unit_name"].agg(list).to_dict()
    )
    wording: dict[Any, Any] = (
        texts.sort_values(["first_at", "order"], kind="stable")
        .groupby("norm")["text"]
        .first()
        .to_dict()
    )
    merged = [Remark(str(wording[norm]), tuple(names)) for norm, names in units.items()]
    # What most units raise comes first (stable: ties keep the report's unit order).
    return tuple(sorted(merged, key=lambda r: -len(r.units)))


def _none(value: Any) -> Any:
    return None if value is None or (not isinstance(value, str) and pd.isna(value)) else value


def _dt(value: Any) -> datetime | None:
    value = _none(value)
    return None if value is None else pd.Timestamp(value).to_pydatetime()


def _required_dt(value: Any) -> datetime:
    moment = _dt(value)
    assert moment is not None, "a NOT NULL timestamp came back empty"
    return moment


def unit_results(
    rows: pd.DataFrame, figures: dict[int, dict[str, int]], patrol: dict[int, dict[str, int]]
) -> list[UnitResult]:
    records: list[Any] = list(rows.itertuples(index=False))
    out = []
    for r in records:
        uid = int(r.unit_id)
        version = _none(r.version)
        out.append(
            UnitResult(
                unit_id=uid,
                name=str(r.unit_name),
                kind=str(r.kind),
                expected=bool(r.expected),
                status=UnitStatus(r.status),
                first_submitted_at=_dt(r.first_at),
                last_updated_at=_dt(r.last_at),
                version=None if version is None else int(version),
                submissions=int(r.n),
                member_name=_none(r.member_name),
                figures=figures.get(uid, {}),
                patrol=patrol.get(uid, {}),
            )
        )
    return out


def status_counts(incidents: pd.DataFrame) -> dict[str, int]:
    counts = incidents["status"].value_counts() if not incidents.empty else pd.Series(dtype="int64")
    out = {s.value: 0 for s in STATUS_ORDER}
    out.update({str(k): int(v) for k, v in counts.items()})
    return out


def per_day(incidents: pd.DataFrame, period: Period, tz: ZoneInfo) -> dict[date, int]:
    """Tips per local day, every day of the period present (0 on quiet days)."""
    days = pd.date_range(period.first_day, period.last_day, freq="D").date
    counts = (
        utc(incidents["reported_at"]).dt.tz_convert(tz).dt.date.value_counts()
        if not incidents.empty
        else pd.Series(dtype="int64")
    )
    return {day: int(counts.get(day, 0)) for day in days}


def incident_items(df: pd.DataFrame) -> list[IncidentItem]:
    if df.empty:
        return []
    df = df.copy()
    for column in ("occurred_at", "reported_at", "changed_at"):
        df[column] = utc(df[column])
    records: list[Any] = list(df.itertuples(index=False))
    return [
        IncidentItem(
            id=int(r.id),
            form_id=str(r.form_id),
            status=str(r.status),
            summary=str(r.summary or ""),
            location_text=_none(r.location_text),
            latitude=_none(r.latitude),
            longitude=_none(r.longitude),
            people_count=None if _none(r.people_count) is None else int(r.people_count),
            occurred_at=_dt(r.occurred_at),
            reported_at=_required_dt(r.reported_at),
            unit_name=str(r.unit_name),
            reporter_name=str(r.reporter_name),
            changed_by=_none(r.changed_by),
            changed_at=_dt(r.changed_at),
        )
        for r in records
    ]
