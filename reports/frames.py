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
_SPACES = re.compile(r"\s+")
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
    units: pd.DataFrame, latest: pd.DataFrame, revisions: pd.DataFrame, deadline: date, tz: ZoneInfo
) -> pd.DataFrame:
    """One row per unit that is expected or reported: status, first/last times, filer."""
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
    df = df[df["expected"] | (df["n"] > 0)].copy()
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
    """{unit_id: {key: value}} from a (unit_id, key, value) frame."""
    if df.empty:
        return {}
    wide = df.pivot_table(index="unit_id", columns="key", values="value", aggfunc="sum")
    wide = wide.fillna(0).astype("int64")
    table: dict[Any, dict[Any, Any]] = wide.to_dict("index")
    return {int(uid): {str(k): int(v) for k, v in row.items()} for uid, row in table.items()}


def totals(df: pd.DataFrame, keys: tuple[str, ...]) -> dict[str, int]:
    """Sum per key; ``keys`` are always present (0 when nobody reported them)."""
    sums = df.groupby("key")["value"].sum() if not df.empty else pd.Series(dtype="int64")
    out = dict.fromkeys(keys, 0)
    out.update({str(k): int(v) for k, v in sums.items()})
    return out


def remarks(latest: pd.DataFrame, column: str) -> tuple[Remark, ...]:
    """Collect one free-text answer; merge texts equal after whitespace/case folding.

    A merged remark keeps the wording of the unit that filed first (later ones often copy
    it more loosely) and lists its units in the report's unit order.
    """
    if latest.empty:
        return ()
    texts = latest[["unit_name", "order", "first_at", column]].dropna(subset=[column]).copy()
    if texts.empty:
        return ()
    texts["text"] = texts[column].astype(str).str.normalize("NFC")
    texts["text"] = texts["text"].str.replace(_SPACES, " ", regex=True).str.strip()
    texts["norm"] = texts["text"].str.casefold()
    texts = texts[(texts["text"] != "") & ~texts["text"].map(fold).isin(_NOTHING)]
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
    return tuple(Remark(str(wording[norm]), tuple(names)) for norm, names in units.items())


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
