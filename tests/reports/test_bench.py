"""The benchmark script still builds and measures (a tiny size, in-process)."""

from __future__ import annotations

from pathlib import Path

from bench.aggregate_bench import build, markdown, measure


def test_bench_smoke(tmp_path: Path) -> None:
    built = build(tmp_path / "b.db", 400)
    assert built["submissions"] == 400
    assert built["figure_rows"] == 120 * 9 + 240 * 8
    measured = measure(tmp_path / "b.db", tmp_path)
    assert measured["in_scope_units"] > 0 and measured["patrols"] > 0
    for name in ("bao_cao.docx", "phu_luc.xlsx", "chart.png"):
        assert (tmp_path / name).stat().st_size > 0
    table = markdown([built | measured])
    assert table.splitlines()[2].startswith("| 400 |")


def test_alert_latency_bench_measures_real_alerts(tmp_path: Path) -> None:
    """Two communes, one urgent report each, through a real ``tinbao run`` and the fake."""
    from bench.alert_latency import measure

    row = measure("SQLite", f"sqlite:///{tmp_path / 'a.db'}", 2, tmp_path)
    assert (row["communes"], row["alerts"], row["not_arrived"]) == (2, 2, 0)
    assert 0 < row["alert_p50_ms"] <= row["alert_p99_ms"] and row["reply_p50_ms"] > 0


def test_province_rollup_bench_builds_and_measures(tmp_path: Path) -> None:
    """96 communes, a small history: the roll-up sees every commune's answer it loaded."""
    from bench.province_rollup import _load, measure

    url = f"sqlite:///{tmp_path / 'p.db'}"
    loaded = _load(url, 3_000)
    assert (loaded["communes"], loaded["units"], loaded["submissions"]) == (96, 3840, 3000)
    measured = measure(url, str(tmp_path))
    assert measured["communes_answered"] == loaded["answered"] > 0
    assert 0 < measured["units_reported"] <= 96 * 39
    assert measured["rollup_best_s"] > 0 and measured["commune_aggregate_median_s"] > 0
    assert list(tmp_path.glob("bao-cao-tong-hop_*.docx"))
