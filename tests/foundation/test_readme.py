"""The README's setup steps, run as written in a fresh folder, so README and reality agree.

A newcomer types the "Setting up a commune" block line by line: ``make install``, then
``source .venv/bin/activate`` (``tinbao`` lives in ``.venv/bin``, not on PATH), then the
``tinbao`` commands. Here the block runs in bash, in a temporary folder holding what a clone
holds (``.env.example``, the Makefile, this checkout's ``.venv``), with a clean environment.
``make`` lines are dry-run (``make -n``: the target exists; installing again or serving the
web app forever proves nothing more); the comment line where a person fills in the roster
is done by writing the sample roster's rows into the template the block just made.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
VENV = ROOT / ".venv"


def setup_block() -> list[str]:
    """The shell lines of the README's "Setting up a commune" block (continuations joined)."""
    text = README.read_text(encoding="utf-8")
    section = text.split("## Setting up a commune", 1)[1]
    block = re.search(r"```sh\n(.*?)```", section, re.S)
    assert block is not None, "no sh block under 'Setting up a commune'"
    return block[1].replace("\\\n", " ").strip().splitlines()


def _fill_roster_script(path: str) -> str:
    """What the person does at the comment: one row per person, in the template's columns."""
    code = (
        "from openpyxl import load_workbook; from storage.roster import read_roster; "
        "from storage.sample import SAMPLE_ROSTER; from storage.vocab import kind_label, roles_label; "
        f"book = load_workbook({path!r}); sheet = book.active; "
        "[sheet.append([r.unit, kind_label(r.kind), r.full_name, r.phone, roles_label(r.roles)]) "
        "for r in read_roster(SAMPLE_ROSTER)]; "
        f"book.save({path!r})"
    )
    return f"python -c {shlex.quote(code)}"


def as_script(lines: list[str]) -> str:
    """The block as one bash script (one shell, so ``source`` carries on to what follows)."""
    out = ["set -euo pipefail"]
    for line in lines:
        command = line.split("  #", 1)[0].strip()
        if command.startswith("#"):
            roster = re.search(r"fill in (\S+\.xlsx)", command)
            if roster:
                out.append(_fill_roster_script(roster[1].rstrip(":,")))
            continue
        if command.startswith("make "):
            target = command.split()[1]
            where = shlex.quote(str(ROOT))
            out.append(f"make -n --no-print-directory -C {where} {target} >> make.log")
            continue
        out.append(command)
    return "\n".join(out) + "\n"


def test_the_block_uses_the_venv_the_way_a_new_shell_needs() -> None:
    lines = [line.split("#", 1)[0].strip() for line in setup_block()]
    activate = lines.index("source .venv/bin/activate")
    first_tinbao = next(i for i, line in enumerate(lines) if line.startswith("tinbao "))
    assert lines[0] == "make install" and activate < first_tinbao


def test_the_readme_setup_runs_as_written(tmp_path: Path) -> None:
    if not (VENV / "bin" / "tinbao").exists():
        pytest.skip("no .venv here (make install creates it)")
    clone = tmp_path / "clone"
    clone.mkdir()
    (clone / ".env.example").write_text(
        (ROOT / ".env.example").read_text(encoding="utf-8"), encoding="utf-8"
    )
    (clone / ".venv").symlink_to(VENV)
    (clone / "run.sh").write_text(as_script(setup_block()), encoding="utf-8")
    env = {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "HOME": str(tmp_path),
        "LANG": "C.UTF-8",
        "TERM": "dumb",
        "COLUMNS": "200",
    }
    done = subprocess.run(
        ["bash", "run.sh"], cwd=clone, env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stdout + done.stderr
    out = done.stdout
    assert "Đã thiết lập Xã Tây Trà (Quảng Ngãi), mã 21154." in out
    assert "Đã nhập danh sách: 32 người mới" in out
    assert "Đã thêm chỉ đạo số 1949/UBND-NC." in out
    assert "Đã cấp 32 mã mời và ghi vào tệp moi.csv" in out
    assert (clone / "data" / "tinbao.db").is_file() and (clone / "moi.csv").is_file()
    made = (clone / "make.log").read_text(encoding="utf-8")
    assert ".venv/bin/tinbao run" in made  # `make run` runs the installed command…
    assert "source .venv/bin/activate" in made  # …and both targets say how to reach it


def test_every_command_in_the_readme_exists() -> None:
    """Each ``tinbao …`` the README's command table shows answers ``--help``."""
    text = README.read_text(encoding="utf-8")
    table = text.split("## Command line", 1)[1].split("\n## ", 1)[0]
    shown = re.findall(r"^\| `tinbao ([a-z][a-z -]*?)(?: [-\[<A-Z…]|`)", table, re.M)
    assert len(shown) >= 10
    tinbao = VENV / "bin" / "tinbao"
    if not tinbao.exists():
        pytest.skip("no .venv here (make install creates it)")
    for words in shown:
        args = [*words.split(), "--help"]
        done = subprocess.run(
            [str(tinbao), *args],
            capture_output=True,
            text=True,
            timeout=120,
            env={**os.environ, "COLUMNS": "200"},
        )
        assert done.returncode == 0, (words, done.stderr)
