"""Read one file and decide whether it is a goal file; if so, parse and validate it with positions.

Unrelated YAML (CI configs, manifests) is ignored silently. A file that fails before its `kind` can be
read (bad encoding, broken YAML) is reported when it was named on the command line or when its text
mentions a goal-file kind: otherwise a broken CI config elsewhere in the tree would be ours to judge.
"""

from __future__ import annotations

import difflib
import os
import re
import stat
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from okrctl.config import Config
from okrctl.findings import Problem
from okrctl.model import MODELS, KpiFile, OkrFile, describe
from okrctl.periods import Period, parse_period
from okrctl.validation import problems_from_validation
from okrctl.yamlread import YamlMap, YamlSyntaxError, parse_yaml

MAX_BYTES = 1024 * 1024
SYNTAX = "OKR001"
SCHEMA = "OKR002"
KINDS = tuple(MODELS)
_KIND_LINE = re.compile(r"""^[ \t-]*["']?kind["']?[ \t]*:[ \t]*["']?([^"'#\r\n]*)""", re.MULTILINE)


@dataclass
class GoalFile:
    """A file that is (or tries to be) a goal file, with what loading it found."""

    path: str
    text: str
    data: Any = None
    model: OkrFile | KpiFile | None = None
    period: Period | None = None
    problems: list[tuple[str, Problem]] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return self.model is not None

    @cached_property
    def lines(self) -> list[str]:
        return self.text.splitlines()

    def line_text(self, line: int) -> str:
        return self.lines[line - 1] if 0 < line <= len(self.lines) else ""


def display_path(path: Path) -> str:
    """The path as reports show it: relative to the current directory, with forward slashes."""
    try:
        shown = os.path.relpath(path)
    except ValueError:
        shown = str(path)
    return shown.replace(os.sep, "/")


def read_text(path: Path) -> tuple[str | None, Problem | None]:
    """The file's text, or the OKR001 problem that stops us reading it."""
    shown = display_path(path)
    try:
        status = path.stat()
        if not stat.S_ISREG(status.st_mode):
            return None, Problem(
                shown, 1, 1, "not a regular file (a pipe, socket or device): goal files are plain files"
            )
        size = status.st_size
        if size > MAX_BYTES:
            return None, Problem(shown, 1, 1, f"file is {size / MAX_BYTES:.1f} MiB, over the 1 MiB limit")
        data = path.read_bytes()
    except OSError as error:
        return None, Problem(shown, 1, 1, f"cannot read file: {error.strerror or error}")
    if b"\0" in data:
        return None, Problem(shown, 1, 1, "binary file (it holds NUL bytes): goal files are UTF-8 text")
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as error:
        before = data[: error.start]
        line = before.count(b"\n") + 1
        column = len(before) - (before.rfind(b"\n") + 1) + 1
        byte = data[error.start]
        return None, Problem(shown, line, column, f"not UTF-8 (byte 0x{byte:02x}): save the file as UTF-8")


def near_kind(value: object) -> str | None:
    """The goal-file kind that `value` seems to mean (`okr`, `KPI`, `okrs ` …), or None."""
    if not isinstance(value, str):
        return None
    normal = value.strip().lower()
    for kind in KINDS:
        if normal in (kind, kind[:-1]) or difflib.SequenceMatcher(None, normal, kind).ratio() >= 0.75:
            return kind
    return None


def _head(path: Path) -> str:
    with path.open("rb") as stream:
        return stream.read(65536).decode("utf-8", "replace")


def _mentions_goal_kind(text: str) -> bool:
    return any(near_kind(match) for match in _KIND_LINE.findall(text))


def load_file(path: Path, config: Config, explicit: bool = False) -> GoalFile | None:
    """Load `path` as a goal file; None when it is some other YAML file."""
    shown = display_path(path)
    text, problem = read_text(path)
    if problem is not None:
        # Unreadable files are always reported; undecodable ones only if they seem to be goal files.
        undecodable = problem.message.startswith(("binary", "not UTF-8", "file is"))
        if explicit or not undecodable or _mentions_goal_kind(_head(path)):
            return GoalFile(shown, "", problems=[(SYNTAX, problem)])
        return None
    assert text is not None
    return load_text(shown, text, config, explicit)


def load_text(shown: str, text: str, config: Config, explicit: bool = True) -> GoalFile | None:
    """Load goal-file text (already decoded) shown as `shown`; None when it is some other YAML."""
    try:
        data = parse_yaml(text)
    except YamlSyntaxError as error:
        if not (explicit or _mentions_goal_kind(text)):
            return None
        return GoalFile(shown, text, problems=[(SYNTAX, Problem(shown, error.line, error.column, error.message))])
    return _classify(shown, text, data, config, explicit)


def _classify(shown: str, text: str, data: Any, config: Config, explicit: bool) -> GoalFile | None:
    if data is None:
        if not explicit:
            return None
        message = "empty file: a goal file is a mapping that starts with kind: okrs or kind: kpis"
        return GoalFile(shown, text, problems=[(SYNTAX, Problem(shown, 1, 1, message))])
    if not isinstance(data, YamlMap):
        if not _mentions_goal_kind(text):
            return None
        line, column = getattr(data, "pos", (1, 1))
        message = f"the top level is {describe(data)}: a goal file is a mapping (kind: okrs or kind: kpis)"
        return GoalFile(shown, text, data, problems=[(SYNTAX, Problem(shown, line, column, message))])
    kind = data.get("kind")
    if kind not in MODELS:
        return _not_a_kind(shown, text, data, kind)
    model_class = MODELS[kind]
    try:
        model = model_class.model_validate(data)
    except ValidationError as error:
        problems = problems_from_validation(error, data, model_class, shown)
        return GoalFile(shown, text, data, problems=[(SCHEMA, p) for p in problems])
    period = parse_period(model.period, config.fiscal_year_start) if isinstance(model, OkrFile) else None
    return GoalFile(shown, text, data, model, period)


def _not_a_kind(shown: str, text: str, data: YamlMap, kind: object) -> GoalFile | None:
    if "kind" in data:
        meant = near_kind(kind)
        if meant is None:
            return None  # some other kind of YAML document
        line, column = data.key_pos["kind"]
        message = f"kind: expected okrs or kpis, got {describe(kind)} (did you mean {meant!r}?)"
    elif "objectives" in data or "kpis" in data:
        line, column = data.pos
        meant = "okrs" if "objectives" in data else "kpis"
        message = f"missing required field 'kind': a goal file starts with kind: {meant}"
    else:
        return None
    return GoalFile(shown, text, data, problems=[(SCHEMA, Problem(shown, line, column, message))])
