"""Benchmark the aggregator and the report files at 10k / 100k / 1M submissions.

    python -m bench.aggregate_bench                 # 10k, 100k, 1M
    python -m bench.aggregate_bench 10000 100000    # chosen sizes

Each size gets a temp SQLite database filled by bulk ``executemany`` (not the ORM), in a
worst case for the report: every row is in the aggregated scope. Of N submissions, 30 % are
result reports of one one-off directive (200 units, so most are superseded versions the
aggregator must rank away), 60 % are patrol logs (80 % dated inside the window), 10 %
drafts; one incident per 200 submissions. A fresh subprocess per size then times the
aggregation, the DOCX, the XLSX annex and the chart and reports its peak RSS, so one size's
memory never inflates the next.
"""

from __future__ import annotations

import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from reports.results import PATROL_FIGURES, RESULT_FIGURES

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2025, 9, 15, 3, 0, tzinfo=UTC)
UNITS = 200
WINDOW = (date(2025, 9, 5), date(2025, 9, 14))
RESULT_KEYS = RESULT_FIGURES
PATROL_KEYS = PATROL_FIGURES
DIFFICULTIES = [
    "Địa bàn rộng, giao thông đi lại khó khăn.",
    "Lực lượng còn mỏng, trang thiết bị tuần tra còn hạn chế.",
    "Người dân còn chủ quan, mất cảnh giác.",
    "Kinh phí cho công tác tuyên truyền còn hạn chế.",
]
CHUNK = 20_000
REPO = Path(__file__).resolve().parent.parent


def _ts(moment: datetime) -> str:
    # SQLAlchemy's SQLite storage format for the UTC columns (naive UTC, microseconds).
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def _kind(i: int) -> str:
    if i == 0:
        return "police"
    if i == 1:
        return "military"
    if i == UNITS - 1:
        return "office"
    return "agency" if i % 5 == 0 else "village"


def build(path: Path, n: int, seed: int = 7) -> dict[str, Any]:
    """Create and fill the database at ``path``; return what was inserted and how long."""
    from storage.db import make_engine
    from storage.migrate import upgrade

    started = time.perf_counter()
    rng = random.Random(seed)
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()

    import sqlite3

    conn = sqlite3.connect(path)
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute("PRAGMA foreign_keys=OFF")
    cur = conn.cursor()
    created = _ts(NOW - timedelta(days=30))
    cur.execute(
        "INSERT INTO commune (id, code, name, short_name, province_code, province_name, "
        "created_at) VALUES (1, 21154, 'Xã Tây Trà', 'Tây Trà', 51, 'Tỉnh Quảng Ngãi', ?)",
        (created,),
    )
    cur.executemany(
        "INSERT INTO unit (id, commune_id, name, kind, active) VALUES (?, 1, ?, ?, 1)",
        [(i + 1, f"Đơn vị {i + 1:03d}", _kind(i)) for i in range(UNITS)],
    )
    cur.executemany(
        "INSERT INTO member (id, unit_id, full_name, phone, roles, active, unreachable, "
        "created_at, updated_at) VALUES (?, ?, ?, ?, '[]', 1, 0, ?, ?)",
        [
            (i + 1, i + 1, f"Người báo {i + 1}", f"09{i:08d}", created, created)
            for i in range(UNITS)
        ],
    )
    cur.execute(
        "INSERT INTO directive (id, commune_id, number, issued_on, issuer, summary, target_unit_kinds, "
        "form_ids, recurrence, starts_on, unit_deadline, report_deadline, "
        "reminder_offsets_days, active, created_at) VALUES (1, 1, '1949/UBND-NC', '2025-08-28', "
        "'UBND tỉnh Quảng Ngãi', 'tăng cường đấu tranh phòng, chống xuất nhập cảnh trái phép', "
        '\'["village", "police", "military", "agency"]\', \'["ket_qua_thuc_hien"]\', '
        "'none', '2025-09-05', '2025-09-14', '2025-09-15', '[3, 1, 0]', 1, ?)",
        (created,),
    )
    n_result, n_patrol = int(n * 0.3), int(n * 0.6)
    versions = [0] * (UNITS + 1)
    start = datetime.combine(WINDOW[0], datetime.min.time(), tzinfo=TZ)
    span = (WINDOW[1] - WINDOW[0]).days + 3  # some late reports
    subs: list[tuple[Any, ...]] = []
    figs: list[tuple[Any, ...]] = []
    incident_subs: list[tuple[int, int, str]] = []

    def flush() -> None:
        cur.executemany(
            "INSERT INTO submission (id, commune_id, form_id, directive_id, period_key, unit_id, "
            "member_id, channel, status, answers, version, created_at, submitted_at, updated_at) "
            "VALUES (?, 1, ?, ?, ?, ?, ?, 'telegram', ?, ?, ?, ?, ?, ?)",
            subs,
        )
        cur.executemany(
            "INSERT INTO submissionfigure (submission_id, key, value) VALUES (?, ?, ?)", figs
        )
        subs.clear()
        figs.clear()

    for sid in range(1, n + 1):
        at = start + timedelta(minutes=rng.randrange(span * 24 * 60))
        stamp = _ts(at)
        if sid <= n_result:
            unit = rng.randrange(1, UNITS - 1)  # the office (last) is not targeted
            versions[unit] += 1
            status = "submitted" if versions[unit] == 1 else "amended"
            answers = {"kho_khan": rng.choice(DIFFICULTIES), "de_xuat": "Hỗ trợ kinh phí."}
            subs.append(
                (sid, "ket_qua_thuc_hien", 1, "once", unit, unit, status,
                 json.dumps(answers, ensure_ascii=False), versions[unit], stamp, stamp, stamp)
            )  # fmt: skip
            figs += [(sid, key, rng.randrange(0, 50)) for key in RESULT_KEYS]
        elif sid <= n_result + n_patrol:
            unit = rng.choice((1, 2, rng.randrange(3, UNITS - 1)))
            inside = rng.random() < 0.8
            day = at.date() if inside else WINDOW[0] - timedelta(days=rng.randrange(1, 60))
            answers = {"ngay": day.isoformat(), "tuyen": "Đường liên xã"}
            subs.append(
                (sid, "nhat_ky_tuan_tra", None, day.isoformat(), unit, unit, "submitted",
                 json.dumps(answers, ensure_ascii=False), 1, stamp, stamp, stamp)
            )  # fmt: skip
            figs.append((sid, "patrols", 1))
            figs += [(sid, key, rng.randrange(0, 10)) for key in PATROL_KEYS[1:]]
            if sid % 200 == 0:
                incident_subs.append((sid, unit, stamp))
        else:
            unit = rng.randrange(1, UNITS)
            subs.append(
                (sid, "ket_qua_thuc_hien", 1, "once", unit, unit, "draft", "{}", 1, stamp,
                 None, stamp)
            )  # fmt: skip
        if len(subs) >= CHUNK:
            flush()
    flush()
    statuses = ("new", "received", "verifying", "handled", "false_report")
    cur.executemany(
        "INSERT INTO incident (id, commune_id, submission_id, unit_id, reporter_member_id, status, summary, "
        "location_text, people_count, occurred_at, created_at, updated_at) "
        "VALUES (?, 1, ?, ?, ?, ?, 'Người lạ khả nghi', 'Đường liên xã', 2, ?, ?, ?)",
        [
            (i, sid, unit, unit, statuses[i % 5], stamp, stamp, stamp)
            for i, (sid, unit, stamp) in enumerate(incident_subs, 1)
        ],
    )
    cur.executemany(
        "INSERT INTO incidentevent (incident_id, status, member_id, at) VALUES (?, ?, 1, ?)",
        [(i, statuses[i % 5], stamp) for i, (_, _, stamp) in enumerate(incident_subs, 1)],
    )
    conn.commit()
    conn.execute("ANALYZE")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # so the file size below is the data
    conn.close()
    figures = n_result * len(RESULT_KEYS) + n_patrol * len(PATROL_KEYS)
    return {
        "submissions": n,
        "figure_rows": figures,
        "incidents": len(incident_subs),
        "build_s": round(time.perf_counter() - started, 1),
        "db_mb": round(path.stat().st_size / 2**20, 1),
    }


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def measure(path: Path, out_dir: Path) -> dict[str, Any]:
    """Time the aggregation and each file on a built database (run in a fresh process)."""
    from sqlmodel import select

    from bot.settings import load_settings
    from reports.aggregate import aggregate
    from reports.chart import render_chart
    from reports.docx_report import render_report
    from reports.meta import commune_report_meta
    from reports.xlsx_annex import write_annex
    from storage.db import make_engine, transaction
    from storage.models import Commune, Directive

    engine = make_engine(f"sqlite:///{path}")
    with transaction(engine) as s:
        commune = s.exec(select(Commune)).one()
        directive = s.exec(select(Directive)).one()
    settings = load_settings(data_dir=out_dir, _env_file=None)
    base_rss = _rss_mb()
    timings: dict[str, Any] = {}
    t0 = time.perf_counter()
    agg = aggregate(engine, 1, "once", tz=TZ, now=NOW)
    timings["aggregate_s"] = round(time.perf_counter() - t0, 2)
    t0 = time.perf_counter()
    meta = commune_report_meta(commune, directive, settings, report_date=NOW.date())
    render_report(agg, meta, out_dir / "bao_cao.docx")
    timings["docx_s"] = round(time.perf_counter() - t0, 2)
    t0 = time.perf_counter()
    write_annex(agg, meta, out_dir / "phu_luc.xlsx")
    timings["xlsx_s"] = round(time.perf_counter() - t0, 2)
    t0 = time.perf_counter()
    render_chart(agg, out_dir / "chart.png")
    timings["chart_s"] = round(time.perf_counter() - t0, 2)
    engine.dispose()
    timings["rss_before_mb"] = round(base_rss, 1)
    timings["peak_rss_mb"] = round(_rss_mb(), 1)
    timings["in_scope_units"] = len(agg.units)
    timings["patrols"] = agg.patrol.get("patrols", 0)
    return timings


def _child(args: list[str]) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-m", "bench.aggregate_bench", *args],
        cwd=REPO,
        check=True,
        capture_output=True,
        text=True,
    )
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def run(sizes: tuple[int, ...] = (10_000, 100_000, 1_000_000)) -> list[dict[str, Any]]:
    """Build and measure each size, each in its own subprocess; return one dict per size."""
    results = []
    for n in sizes:
        with tempfile.TemporaryDirectory(prefix="tinbao-bench-") as tmp:
            db = Path(tmp) / "bench.db"
            row = _child(["--build", str(n), str(db)])
            row.update(_child(["--measure", str(db), tmp]))
            results.append(row)
    return results


def markdown(results: list[dict[str, Any]]) -> str:
    columns = [
        ("submissions", "submissions"),
        ("figure_rows", "figure rows"),
        ("incidents", "incidents"),
        ("build_s", "bulk insert (s)"),
        ("db_mb", "db (MB)"),
        ("aggregate_s", "aggregate (s)"),
        ("docx_s", "DOCX (s)"),
        ("xlsx_s", "XLSX (s)"),
        ("chart_s", "chart (s)"),
        ("rss_before_mb", "RSS after imports (MB)"),
        ("peak_rss_mb", "peak RSS (MB)"),
    ]
    lines = [
        "| " + " | ".join(title for _, title in columns) + " |",
        "|" + "|".join("---:" for _ in columns) + "|",
    ]
    for row in results:
        lines.append("| " + " | ".join(f"{row.get(key, '')}" for key, _ in columns) + " |")
    return "\n".join(lines)


def main(argv: list[str]) -> None:
    if argv[:1] == ["--build"]:
        print(json.dumps(build(Path(argv[2]), int(argv[1]))))
    elif argv[:1] == ["--measure"]:
        print(json.dumps(measure(Path(argv[1]), Path(argv[2]))))
    else:
        sizes = tuple(int(a) for a in argv) or (10_000, 100_000, 1_000_000)
        print(markdown(run(sizes)))


if __name__ == "__main__":
    main(sys.argv[1:])
