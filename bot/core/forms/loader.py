"""Load and check form files; an error names the file, the line and the reason."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from bot.core.forms.schema import Form, QuestionType
from bot.settings import Settings
from storage.enums import Role, UnitKind

FORMS_DIR = Path(__file__).resolve().parents[2] / "forms"
_LINE = "__line__"


class FormError(Exception):
    """A form file is wrong. ``str()`` reads ``file:line: reason``."""

    def __init__(self, path: Path, line: int | None, reason: str):
        self.path, self.line, self.reason = path, line, reason
        super().__init__(f"{path}:{line if line is not None else '?'}: {reason}")


class _LineLoader(yaml.SafeLoader):
    """A YAML loader that remembers the line of every mapping (as ``__line__``)."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict[str, Any]:
    mapping: dict[str, Any] = loader.construct_mapping(node, deep=True)  # type: ignore[assignment]
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        seen.add(key)
    mapping[_LINE] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _strip_lines(data: Any, path: tuple[Any, ...], lines: dict[tuple[Any, ...], int]) -> Any:
    if isinstance(data, dict):
        if _LINE in data:
            lines[path] = data.pop(_LINE)
        return {k: _strip_lines(v, (*path, k), lines) for k, v in data.items()}
    if isinstance(data, list):
        return [_strip_lines(v, (*path, i), lines) for i, v in enumerate(data)]
    return data


def _line_of(loc: tuple[Any, ...], lines: dict[tuple[Any, ...], int]) -> int | None:
    for end in range(len(loc), -1, -1):
        if loc[:end] in lines:
            return lines[loc[:end]]
    return None


def load_form(path: Path) -> Form:
    """Parse and check one form file."""
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_LineLoader)
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        raise FormError(path, line, f"YAML: {exc.problem}") from exc
    if not isinstance(raw, dict):
        raise FormError(path, 1, "a form file must be a mapping")
    lines: dict[tuple[Any, ...], int] = {}
    data = _strip_lines(raw, (), lines)
    try:
        form = Form.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = tuple(err["loc"])
        where = ".".join(str(p) for p in loc)
        raise FormError(path, _line_of(loc, lines), f"{where}: {err['msg']}") from exc
    _check_semantics(path, form, lines)
    return form


def _check_semantics(path: Path, form: Form, lines: dict[tuple[Any, ...], int]) -> None:
    def fail(loc: tuple[Any, ...], reason: str) -> None:
        raise FormError(path, _line_of(loc, lines), reason)

    for i, role in enumerate(form.roles):
        if role not in set(Role):
            fail(("roles", i), f"unknown role {role!r}")
    for i, kind in enumerate(form.unit_kinds):
        if kind not in set(UnitKind):
            fail(("unit_kinds", i), f"unknown unit kind {kind!r}")
    if form.one_tap and form.questions:
        fail(("questions",), "a one-tap form has no questions")
    if not form.one_tap and not form.questions:
        fail((), "a form needs questions (or one_tap: true)")
    seen: dict[str, int] = {}
    for i, q in enumerate(form.questions):
        if q.id in seen:
            fail(("questions", i), f"duplicate question id {q.id!r}")
        if q.when is not None:
            target = q.when.question
            if target not in seen:
                known = "later" if any(x.id == target for x in form.questions) else "missing"
                fail(("questions", i, "when"), f"condition names a {known} question {target!r}")
            referenced = form.questions[seen[target]]
            if q.when.includes is not None and referenced.type is not QuestionType.MULTI_CHOICE:
                fail(("questions", i, "when"), "'includes' needs a multiple-choice question")
            if q.when.includes is not None and referenced.option(q.when.includes) is None:
                fail(("questions", i, "when"), f"{target!r} has no option {q.when.includes!r}")
        if q.after is not None:
            earlier = form.questions[seen[q.after]] if q.after in seen else None
            if earlier is None or earlier.type is not QuestionType.TIME:
                fail(
                    ("questions", i, "after"),
                    f"'after' needs an earlier time question, not {q.after!r}",
                )
        seen[q.id] = i
    if form.incident is not None:
        refs = [
            form.incident.location,
            form.incident.people,
            form.incident.date,
            form.incident.time,
            *form.incident.summary,
        ]
        if form.incident.when is not None:
            refs.append(form.incident.when.question)
        for ref in refs:
            if ref is not None and ref not in seen:
                fail(("incident",), f"incident names a missing question {ref!r}")


def load_forms(directory: Path = FORMS_DIR) -> dict[str, Form]:
    """Load every ``*.yaml`` in ``directory``; refuse duplicate form ids across files."""
    forms: dict[str, Form] = {}
    for path in sorted(directory.glob("*.yaml")):
        form = load_form(path)
        if form.id in forms:
            raise FormError(path, 1, f"duplicate form id {form.id!r}")
        forms[form.id] = form
    if not forms:
        raise FormError(directory, None, "no form files")
    return forms


def load_configured_forms(settings: Settings) -> dict[str, Form]:
    """The forms in ``FORMS_DIR`` when set, else the shipped ones."""
    return load_forms(settings.forms_dir or FORMS_DIR)
