"""``make bench``: run every benchmark and write the figures as one Markdown file.

Sizes are modest by default so the whole run takes a few minutes on 2 cores; set
BENCH_FULL=1 for the sizes quoted in the issues (10,000 reminders, 1,000,000 submissions).
The dialog and end-to-end benchmarks run BENCH_REPEATS rounds (default 3) and report medians:
the machine is shared, and one round says little.
"""

from __future__ import annotations

import os
import platform
import time
from datetime import UTC, datetime
from pathlib import Path

from bench.report import markdown_table, repeats

RESULTS = Path(__file__).parent / "results"


def main() -> None:
    full = os.environ.get("BENCH_FULL") == "1"
    sections: list[tuple[str, str]] = []

    from bench import dialog_throughput

    rounds = repeats()
    rows = dialog_throughput.run(int(os.environ.get("BENCH_DIALOGS", "300")), rounds=rounds)
    sections.append(
        (
            "Dialog throughput per process (same six-question form, same updates; "
            f"medians of {rounds} rounds)",
            markdown_table(rows),
        )
    )

    from bench import batcher_latency

    sections.append(
        (
            "Webhook batcher: latency of a lone update (in-process, SQLite)",
            markdown_table(batcher_latency.run(rounds=rounds)),
        )
    )

    from bench import http_e2e

    users = int(os.environ.get("BENCH_E2E_USERS", "200"))
    sections.append(
        (
            f"End to end over HTTP: webhook in, replies delivered to the fake Bot API "
            f"({users} dialogs; medians of {rounds} rounds)",
            markdown_table(http_e2e.run(users, rounds=rounds)),
        )
    )

    from bench import aggregate_bench, reminder_round

    n = 10_000 if full else 1_000
    sections.append(
        (
            f"Reminder round to {n} members (limit-enforcing fake Telegram)",
            markdown_table([reminder_round.run(n)]),
        )
    )
    sections.append(
        (
            "Reminder round in a province: 96 communes × 40 members, one bot "
            "(each commune's copy of one province directive)",
            markdown_table([reminder_round.run(96 * 40, communes=96)]),
        )
    )
    sizes = (10_000, 100_000, 1_000_000) if full else (10_000, 100_000)
    sections.append(("Aggregation and report files", markdown_table(aggregate_bench.run(sizes))))

    from bench import province_rollup

    rollup_n = 1_000_000 if full else 100_000
    sections.append(
        (
            f"Province roll-up: 96 communes × 40 units, {rollup_n:,} submissions in the database",
            markdown_table(province_rollup.run(rollup_n)),
        )
    )

    from bench import webhook_ingest

    sections.append(
        (
            "Webhook ingest (tinbao run processes, loopback load)",
            markdown_table(webhook_ingest.run(30.0 if full else 10.0)),
        )
    )

    from bench import alert_latency

    sections.append(
        (
            "Alert latency: urgent report submit → first alert at a police chat "
            "(tinbao run, webhook, fake Telegram)",
            markdown_table(alert_latency.run(int(os.environ.get("BENCH_ALERTS", "200")))),
        )
    )

    RESULTS.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    header = (
        f"# Tin Báo benchmarks {stamp}\n\nMachine: {platform.platform()}, "
        f"{os.cpu_count()} CPUs, Python {platform.python_version()}\n"
    )
    body = "\n\n".join(f"## {title}\n\n{table}" for title, table in sections)
    out = RESULTS / f"bench-{stamp}.md"
    out.write_text(header + "\n" + body + "\n", encoding="utf-8")
    print(header + "\n" + body)
    print(f"\n(written to {out})")


if __name__ == "__main__":
    started = time.perf_counter()
    main()
    print(f"total {time.perf_counter() - started:.0f}s")
