"""Benchmark the province roll-up over a province-sized history (SQLite and PostgreSQL).

    python -m bench.province_rollup              # 1,000,000 submissions, both databases
    python -m bench.province_rollup 100000       # another size

The database holds Quảng Ngãi's 96 communes and wards, 40 units each (30 villages, police,
military command, 7 agencies, the office: 3,840 units, one member each), every commune with
its copy of the province's campaign (1949/UBND-NC) and two weekly duties, and two years of
history: weekly "nothing found" reports, patrol logs, the results of 10 earlier campaigns,
drafts, a tip every 500 reports. The current campaign has results from 70 % of the targeted
units and answers from 60 % of the communes. Rows are bulk-loaded (COPY on PostgreSQL,
executemany on SQLite), then a fresh process times :func:`reports.province.province_aggregate`
(best and median of 5) and the consolidated DOCX + XLSX; the target is ≤ 2 s for the roll-up.
"""

from __future__ import annotations

import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
NOW = datetime(2025, 9, 15, 3, 0, tzinfo=UTC)  # 10:00 on the province deadline day
CAMPAIGN_START, UNIT_DEADLINE, DEADLINE = date(2025, 9, 5), date(2025, 9, 14), date(2025, 9, 15)
HISTORY_DAYS = 730
UNITS_PER_COMMUNE = 40
RESULT_KEYS = (
    "propaganda_sessions",
    "propaganda_attendees",
    "security_teams",
    "cameras",
    "zalo_groups",
    "foreigners_residing",
    "residence_checks",
    "cases_detected",
    "cases_handled",
)
PATROL_KEYS = ("patrols", "persons_checked", "vehicles_checked")
TARGETS = ["village", "police", "military", "agency"]


def _kind(i: int) -> str:
    if i < 30:
        return "village"
    return {30: "police", 31: "military", 39: "office"}.get(i, "agency")


def _ts(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f+00:00")


class Rows:
    """Every table's rows for one size, generated deterministically (seeded)."""

    def __init__(self, n: int) -> None:
        from storage.commune import province_communes

        self.n = n
        self.rng = random.Random(1949)
        self.communes = province_communes("Quảng Ngãi")
        self.units: list[tuple[int, int, str, str]] = []  # id, commune, name, kind
        for c, _commune in enumerate(self.communes, 1):
            for i in range(UNITS_PER_COMMUNE):
                self.units.append((len(self.units) + 1, c, f"Đơn vị {i + 1:02d}", _kind(i)))
        self.directives: list[dict[str, Any]] = []
        self.campaign: dict[int, int] = {}  # commune → its copy's id
        self.weekly: dict[int, int] = {}
        self.past: dict[int, list[int]] = {}
        self._directive(None, "1949/UBND-NC", "none", CAMPAIGN_START, UNIT_DEADLINE, None)
        province_id = 1
        for c in range(1, len(self.communes) + 1):
            self.campaign[c] = self._directive(
                c, "1949/UBND-NC", "none", CAMPAIGN_START, UNIT_DEADLINE, province_id
            )
            self.weekly[c] = self._directive(
                c, "45/KH-UBND", "weekly", date(2023, 9, 1), None, None
            )
            self.past[c] = [
                self._directive(
                    c,
                    f"{k}/KH-UBND",
                    "none",
                    date(2023, 10, 1) + timedelta(days=60 * k),
                    date(2023, 10, 10) + timedelta(days=60 * k),
                    None,
                )
                for k in range(10)
            ]

    def _directive(
        self,
        commune: int | None,
        number: str,
        recurrence: str,
        starts: date,
        unit_deadline: date | None,
        parent: int | None,
    ) -> int:
        row_id = len(self.directives) + 1
        self.directives.append(
            {
                "id": row_id,
                "commune_id": commune,
                "parent_id": parent,
                "number": number,
                "issued_on": starts,
                "issuer": "UBND tỉnh Quảng Ngãi",
                "summary": "Tăng cường đấu tranh phòng, chống xuất nhập cảnh trái phép",
                "target_unit_kinds": json.dumps(TARGETS if recurrence == "none" else ["village"]),
                "form_ids": json.dumps(
                    ["ket_qua_thuc_hien"] if recurrence == "none" else ["khong_phat_hien"]
                ),
                "recurrence": recurrence,
                "starts_on": starts,
                "unit_deadline": unit_deadline,
                "report_deadline": DEADLINE if number == "1949/UBND-NC" else unit_deadline,
                "reminder_offsets_days": "[3, 1, 0]",
                "active": True,
                "created_at": _ts(datetime.combine(starts, datetime.min.time(), tzinfo=UTC)),
                "report_recipients": "[]",
                "report_completeness": False,
            }
        )
        return row_id

    def submissions(self) -> Iterator[tuple[tuple[Any, ...], list[tuple[str, int]]]]:
        """(submission row, its figures): the current campaign first, then history."""
        rng = self.rng
        sid = 0
        targeted = [u for u in self.units if u[3] != "office"]
        for unit_id, commune, _name, _kind in targeted:
            if rng.random() >= 0.7:
                continue
            sid += 1
            day = CAMPAIGN_START + timedelta(days=rng.randrange(12))  # a few after the deadline
            at = datetime.combine(day, datetime.min.time(), tzinfo=UTC) + timedelta(hours=3)
            figures = [(k, rng.randrange(0, 30)) for k in RESULT_KEYS]
            yield (
                sid, commune, "ket_qua_thuc_hien", self.campaign[commune], "once", unit_id,
                unit_id, "submitted", "{}", at,
            ), figures  # fmt: skip
        start = NOW - timedelta(days=HISTORY_DAYS)
        while sid < self.n:
            sid += 1
            unit_id, commune, _name, kind = self.units[rng.randrange(len(self.units))]
            at = start + timedelta(minutes=rng.randrange((HISTORY_DAYS - 12) * 24 * 60))
            roll = rng.random()
            if roll < 0.6 and kind == "village":
                week = at.date().isocalendar()
                key = f"{week[0]}-W{week[1]:02d}"
                row = ("khong_phat_hien", self.weekly[commune], key, "submitted")
                figures = [("no_incident", 1)]
            elif roll < 0.9:
                row = ("nhat_ky_tuan_tra", None, at.date().isoformat(), "submitted")
                figures = [(k, rng.randrange(1, 12)) for k in PATROL_KEYS]
            elif roll < 0.97:
                row = ("ket_qua_thuc_hien", rng.choice(self.past[commune]), "once", "submitted")
                figures = [(k, rng.randrange(0, 30)) for k in RESULT_KEYS]
            else:
                row = ("ket_qua_thuc_hien", self.campaign[commune], "once", "draft")
                figures = []
            answers = (
                json.dumps({"ngay": at.date().isoformat()})
                if row[0] == "nhat_ky_tuan_tra"
                else "{}"
            )
            yield (
                (sid, commune, row[0], row[1], row[2], unit_id, unit_id, row[3], answers, at),
                figures,
            )


def _load(url: str, n: int) -> dict[str, Any]:
    """Build the database at ``url`` (migrated first); returns what was loaded."""
    from sqlalchemy import insert

    from storage.db import make_engine
    from storage.migrate import upgrade
    from storage.models import Commune, CommuneReport, Directive, Member, Unit

    started = time.perf_counter()
    engine = make_engine(url)
    upgrade(engine)
    rows = Rows(n)
    with engine.begin() as conn:
        conn.execute(
            insert(Commune),
            [
                {
                    "id": i,
                    "code": m.code,
                    "name": m.name,
                    "short_name": m.short_name,
                    "province_code": m.province_code,
                    "province_name": m.province_name,
                    "sample": False,
                    "created_at": NOW,
                }
                for i, m in enumerate(rows.communes, 1)
            ],
        )
        conn.execute(
            insert(Unit),
            [
                {"id": u, "commune_id": c, "name": nm, "kind": k, "active": True}
                for u, c, nm, k in rows.units
            ],
        )
        conn.execute(
            insert(Member),
            [
                {
                    "id": u,
                    "unit_id": u,
                    "full_name": f"Người báo {u}",
                    "phone": f"09{u:08d}",
                    "roles": ["village_head"],
                    "active": True,
                    "unreachable": False,
                    "created_at": NOW,
                    "updated_at": NOW,
                }
                for u, _c, _n, _k in rows.units
            ],
        )
        directives = [dict(d) for d in rows.directives]
        for d in directives:
            d["target_unit_kinds"] = json.loads(d["target_unit_kinds"])
            d["form_ids"] = json.loads(d["form_ids"])
            d["reminder_offsets_days"] = json.loads(d["reminder_offsets_days"])
            d["report_recipients"] = []
            d["created_at"] = NOW
        conn.execute(insert(Directive), directives)
    subs, figs = _bulk(engine, rows)
    answered = 0
    with engine.begin() as conn:
        reports = []
        for c, copy in rows.campaign.items():
            if rows.rng.random() < 0.6:
                answered += 1
                sent = datetime.combine(DEADLINE, datetime.min.time(), tzinfo=UTC) - timedelta(
                    hours=rows.rng.randrange(1, 60)
                )
                answer = {
                    "layout": 1,
                    "units": {"expected": 39, "on_time": 20, "late": 3},
                    "figures": {k: rows.rng.randrange(0, 300) for k in RESULT_KEYS},
                    "patrol": {k: rows.rng.randrange(0, 100) for k in PATROL_KEYS},
                    "tips": {"handled": 1},
                    "difficulties": [{"text": "Địa bàn rộng, đi lại khó khăn.", "units": []}],
                    "proposals": [],
                }
                reports.append(
                    {
                        "commune_id": c,
                        "directive_id": copy,
                        "parent_id": 1,
                        "period_key": "once",
                        "version": 1,
                        "first_sent_at": sent,
                        "sent_at": sent,
                        "sent_by": "bench",
                        "answer": answer,
                    }
                )
        conn.execute(insert(CommuneReport), reports)
    engine.dispose()
    return {
        "submissions": subs,
        "figure_rows": figs,
        "communes": len(rows.communes),
        "units": len(rows.units),
        "answered": answered,
        "build_s": round(time.perf_counter() - started, 1),
    }


def _bulk(engine: Any, rows: Rows) -> tuple[int, int]:
    """Submissions, figures and incidents: COPY on PostgreSQL, executemany on SQLite."""
    from storage.db import is_postgres

    subs = figs = 0
    incident_rows: list[tuple[Any, ...]] = []
    raw = engine.raw_connection()
    try:
        cur = raw.cursor()
        pg = is_postgres(engine)
        sub_cols = (
            "id, commune_id, form_id, directive_id, period_key, unit_id, member_id, status, "
            "answers, version, channel, created_at, submitted_at, updated_at"
        )
        batch_subs: list[tuple[Any, ...]] = []
        batch_figs: list[tuple[Any, ...]] = []

        def flush() -> None:
            if pg:
                with cur.copy(f"COPY submission ({sub_cols}) FROM STDIN") as copy:
                    for row in batch_subs:
                        copy.write_row(row)
                with cur.copy(
                    "COPY submissionfigure (submission_id, key, value) FROM STDIN"
                ) as copy:
                    for row in batch_figs:
                        copy.write_row(row)
            else:
                marks = ", ".join("?" * 14)
                cur.executemany(f"INSERT INTO submission ({sub_cols}) VALUES ({marks})", batch_subs)
                cur.executemany(
                    "INSERT INTO submissionfigure (submission_id, key, value) VALUES (?, ?, ?)",
                    batch_figs,
                )
            batch_subs.clear()
            batch_figs.clear()

        for (
            sid,
            commune,
            form,
            directive,
            key,
            unit,
            member,
            status,
            answers,
            at,
        ), figures in rows.submissions():
            stamp = _ts(at) if pg else at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
            submitted = None if status == "draft" else stamp
            batch_subs.append(
                (sid, commune, form, directive, key, unit, member, status, answers, 1, "telegram",
                 stamp, submitted, stamp)
            )  # fmt: skip
            batch_figs += [(sid, k, v) for k, v in figures]
            subs += 1
            figs += len(figures)
            if sid % 500 == 0 and status != "draft":
                incident_rows.append((len(incident_rows) + 1, commune, sid, unit, member, stamp))
            if len(batch_subs) >= 20_000:
                flush()
        flush()
        mark = "%s" if pg else "?"
        cur.executemany(
            "INSERT INTO incident (id, commune_id, submission_id, unit_id, reporter_member_id, "
            "status, summary, created_at, updated_at) VALUES "
            f"({mark}, {mark}, {mark}, {mark}, {mark}, 'handled', 'Người lạ khả nghi', "
            f"{mark}, {mark})",
            [(i, c, s, u, m, st, st) for i, c, s, u, m, st in incident_rows],
        )
        if pg:
            cur.execute("ANALYZE")
        raw.commit()
        if not pg:
            cur.execute("ANALYZE")
            raw.commit()
    finally:
        raw.close()
    return subs, figs


def measure(url: str, out_dir: str) -> dict[str, Any]:
    """In a fresh process: the roll-up (best and median of 5), one commune's own report of
    its copy in the same database (median of 5: what its office's /summary costs), then the
    files."""
    from sqlmodel import col, select

    from bot.settings import load_settings
    from reports.aggregate import aggregate
    from reports.province import province_aggregate
    from reports.province_bundle import build_province_files
    from storage.db import make_engine, transaction
    from storage.models import Directive

    settings = load_settings(database_url=url, data_dir=Path(out_dir), _env_file=None)
    engine = make_engine(url)
    times = []
    rollup = None
    for _ in range(5):
        started = time.perf_counter()
        rollup = province_aggregate(engine, 1, "once", tz=settings.tz, now=NOW)
        times.append(time.perf_counter() - started)
    assert rollup is not None
    with transaction(engine) as session:
        copy_id = session.exec(
            select(Directive.id).where(col(Directive.parent_id) == 1).order_by(col(Directive.id))
        ).first()
    assert copy_id is not None
    commune_times = []
    for _ in range(5):
        started = time.perf_counter()
        aggregate(engine, copy_id, "once", tz=settings.tz, now=NOW)
        commune_times.append(time.perf_counter() - started)
    started = time.perf_counter()
    build_province_files(engine, settings, 1, "once", NOW, Path(out_dir))
    files = time.perf_counter() - started
    engine.dispose()
    return {
        "rollup_best_s": round(min(times), 3),
        "rollup_median_s": round(statistics.median(times), 3),
        "commune_aggregate_median_s": round(statistics.median(commune_times), 3),
        "files_s": round(files, 2),
        "communes_answered": rollup.communes.submitted,
        "units_reported": rollup.units.submitted,
        "tips": len(rollup.incidents),
    }


def run(
    n: int = 1_000_000, backends: tuple[str, ...] = ("sqlite", "postgres")
) -> list[dict[str, Any]]:
    from bench.pg import fresh_schema, postgres_available

    results = []
    for backend in backends:
        with tempfile.TemporaryDirectory(prefix="tinbao-province-") as folder:
            if backend == "postgres":
                if not postgres_available():
                    continue
                with fresh_schema() as url:
                    results.append(_one(backend, url, n, folder))
            else:
                results.append(_one(backend, f"sqlite:///{folder}/p.db", n, folder))
    return results


def _one(backend: str, url: str, n: int, folder: str) -> dict[str, Any]:
    loaded = _load(url, n)
    code = (
        "import json, sys; from bench.province_rollup import measure; "
        "print(json.dumps(measure(sys.argv[1], sys.argv[2])))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, url, folder],
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO,
    )
    timed = json.loads(out.stdout.strip().splitlines()[-1])
    return {"database": backend, **loaded, **timed, "target_s": 2.0}


def main(argv: list[str]) -> None:
    from bench.report import markdown_table

    n = int(argv[0]) if argv else 1_000_000
    print(markdown_table(run(n)))


if __name__ == "__main__":
    main(sys.argv[1:])
