"""Form files: the shipped ones load; a wrong one is refused with file, line and reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core.forms import FormError, load_forms
from bot.core.forms.loader import load_form

GOOD_HEAD = """\
id: thu
title: Thử
roles: [village_head]
unit_kinds: [village]
questions:
  - id: so
    type: integer
    label: Số
    prompt: Gõ số
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "form.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_shipped_forms_load() -> None:
    forms = load_forms()
    assert set(forms) == {
        "khong_phat_hien",
        "doi_tuong_kha_nghi",
        "nhat_ky_tuan_tra",
        "ket_qua_thuc_hien",
    }
    assert forms["doi_tuong_kha_nghi"].urgent and forms["khong_phat_hien"].one_tap


@pytest.mark.parametrize(
    ("extra", "line", "reason"),
    [
        ("  - id: x\n    type: photo_album\n    label: X\n    prompt: P\n", 10, "type"),
        (
            "  - id: x\n    type: short_text\n    label: X\n    prompt: P\n"
            "    when: {question: khong_co, equals: 1}\n",
            14,
            "missing question 'khong_co'",
        ),
        (
            "  - id: so\n    type: integer\n    label: Lại\n    prompt: P\n",
            10,
            "duplicate question id 'so'",
        ),
        (
            "  - id: c\n    type: single_choice\n    label: C\n    prompt: P\n"
            "    options: [{value: a, label: A}]\n",
            10,
            "at least two options",
        ),
    ],
)
def test_bad_form_names_file_line_and_reason(
    tmp_path: Path, extra: str, line: int, reason: str
) -> None:
    path = write(tmp_path, GOOD_HEAD + extra)
    with pytest.raises(FormError) as info:
        load_form(path)
    assert info.value.path == path
    assert info.value.line == line
    assert reason in info.value.reason
    assert str(info.value).startswith(f"{path}:{line}: ")


def test_unknown_role_and_yaml_errors(tmp_path: Path) -> None:
    with pytest.raises(FormError, match="unknown role 'chief'"):
        load_form(write(tmp_path, GOOD_HEAD.replace("[village_head]", "[chief]")))
    with pytest.raises(FormError, match="YAML"):
        load_form(write(tmp_path, GOOD_HEAD + "  - id: [unclosed\n"))


def test_duplicate_form_ids_across_files(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(GOOD_HEAD, encoding="utf-8")
    (tmp_path / "b.yaml").write_text(GOOD_HEAD, encoding="utf-8")
    with pytest.raises(FormError, match="duplicate form id 'thu'"):
        load_forms(tmp_path)


def test_run_refuses_a_bad_form_with_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from bot.cli import app

    write(tmp_path, GOOD_HEAD + "  - id: so\n    type: integer\n    label: L\n    prompt: P\n")
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("FORMS_DIR", str(tmp_path))
    result = CliRunner().invoke(app, ["run"])
    assert result.exit_code == 2
    assert "form.yaml:10: duplicate question id 'so'" in result.output
