"""Read one file and decide whether it is a goal file; if so, parse and validate it with positions.

Unrelated YAML (CI configs, manifests) is ignored silently. A file that fails before its `kind` can be
read (bad encoding, broken YAML) is reported when it was named on the command line or when its text
mentions a goal-file kind: otherwise a broken CI config elsewhere in the tree would be ours to judge.
"""

from __future__ import annotations

import dataclasses
import difflib
import os
import pickle
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

from pydantic import ValidationError

from okrctl.config import Config
from okrctl.findings import Problem
from okrctl.goal_bytes import MAX_BYTES as MAX_BYTES  # reading is light (see there); still importable from here
from okrctl.goal_bytes import display_path as display_path
from okrctl.goal_bytes import read_bytes as read_bytes
from okrctl.goal_bytes import read_text as read_text
from okrctl.goal_bytes import wide_text as wide_text
from okrctl.model import MODELS, KpiFile, OkrFile, describe, is_slug
from okrctl.periods import Period, PeriodError, parse_period
from okrctl.positions import decode as decode_positions
from okrctl.positions import indexed_position, position_index
from okrctl.reporters.safe_text import printable as printable  # shown paths use it; still importable from here
from okrctl.suppression import suppressions_in
from okrctl.validation import position, problems_from_validation
from okrctl.yamlread import Pos, YamlMap, YamlSyntaxError, parse_yaml

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
    suppressions: dict[int, frozenset[str]] = field(default_factory=dict)  # line → codes of `# okrctl: ignore`
    owner_hint: str | None = None  # the `owner` a file that failed validation claims
    kind_hint: str | None = None  # the kind a file that failed validation seems to be (okrs, kpis), if any
    source: str = ""  # the file's own path, unescaped (`path` is for people): what is re-read and edited
    history: bytes | None = None  # check-ins and measurements, set aside by `set_history_aside`
    positions: bytes = b""  # where the keys and items stand, kept by `make_lean` (see okrctl.positions)
    origin: str = ""  # a version from git history, re-read from there (see `discovery.Candidate`); "": on disk
    _index: Any = field(default=None, repr=False, compare=False)  # `positions` decoded, on first use

    def __post_init__(self) -> None:
        if self.text and not self.suppressions:
            self.suppressions = suppressions_in(self.text)
        claimed = self.data.get("owner") if self.model is None and isinstance(self.data, YamlMap) else None
        if isinstance(claimed, str) and is_slug(claimed):  # a name only: it is printed, and offered for --owner
            self.owner_hint = claimed
        if self.model is None:
            self.kind_hint = _declared_kind(self.data, self.text)

    @property
    def valid(self) -> bool:
        return self.model is not None

    def make_lean(self) -> None:
        """Drop what only the per-file stage needs: the text and the parsed tree.

        What stays — the model, the suppressions, the problems, and the positions of the keys and items
        (without the rows of check-ins and measurements) — is all that cross-file rules, scoring and reports
        use, and is cheap to copy between processes and to cache.
        """
        if isinstance(self.data, YamlMap):
            self.positions = position_index(self.data)
        self.text = ""
        self.data = None

    def set_history_aside(self) -> None:
        """Keep the file's history — check-ins and measurements, the bulk of every file — as one pickled
        blob, out of the model.

        Cross-file rules rarely need it, so a warm run need not rebuild it. The model keeps `UNLOADED` in its
        place, which refuses any use: a rule that needs history declares it (`NEEDS_HISTORY`), and the engine
        calls `load_history` first.
        """
        if self.model is None or self.history is not None:
            return
        heavy, self.model = _split(self.model)
        self.history = pickle.dumps(heavy, protocol=pickle.HIGHEST_PROTOCOL)

    @property
    def location(self) -> Path:
        """Where the file is on disk (its display path can hold escapes a file name does not)."""
        return Path(self.source or self.path)

    def load_history(self) -> None:
        """Put check-ins and measurements back into the model (see `set_history_aside`)."""
        if self.history is None or self.model is None:
            return
        self.model = _join(self.model, pickle.loads(self.history))
        self.history = None

    def position(self, loc: Sequence[str | int]) -> Pos:
        """The line and column of the key or item at `loc`, or of the nearest enclosing one that exists.

        A lean file answers from its kept positions; only a place they leave out (a row of check-ins or
        measurements) re-reads the file's text, once.
        """
        if self.data is None and not self.text and self.positions:
            if self._index is None:
                self._index = decode_positions(self.positions)
            found = indexed_position(self._index, loc)
            if found is not None:
                return found
        if self.data is None and not self.text:
            text, _ = read_text(self.location, _version_bytes(self.origin) if self.origin else None)
            try:
                self.data = parse_yaml(text) if text is not None else None
            except YamlSyntaxError:
                self.data = None  # changed on disk since: the start of the file will do
        return position(self.data, loc)


def _version_bytes(origin: str) -> bytes:
    from okrctl.git import Repository

    top, _, blob = origin.partition("\0")
    return Repository.opened(Path(top)).read(blob)


@dataclasses.dataclass(frozen=True)
class _Unloaded:
    """Stands for check-ins or measurements set aside; any use is a bug, so it fails loudly.

    A dataclass with one field that refuses to be read: pydantic dumps a dataclass it meets where a list was
    expected by reading its fields, so `model_dump()` of a model whose history is set aside raises too,
    rather than passing this object through with a warning.
    """

    history: None = None

    def _refuse(self, *args: object) -> NoReturn:
        raise RuntimeError("check-ins and measurements were set aside: call GoalFile.load_history() first")

    __iter__ = __len__ = __bool__ = __getitem__ = _refuse

    def __getattribute__(self, name: str) -> Any:
        if name == "history":
            object.__getattribute__(self, "_refuse")()
        return object.__getattribute__(self, name)

    def __repr__(self) -> str:
        return "UNLOADED"

    def __reduce__(self) -> str:
        return "UNLOADED"


UNLOADED: Any = _Unloaded()


def _split(model: OkrFile | KpiFile) -> tuple[list[Any], OkrFile | KpiFile]:
    """Take the check-in and measurement lists out of `model`, in place.

    The models are frozen for everyone else; this file's own, fresh from validation or unpickling and held by
    no one else, swap one attribute each (`object.__setattr__`) rather than being copied, which for a large
    tree cost a quarter of a report's time.
    """
    if isinstance(model, KpiFile):
        heavy: list[Any] = [kpi.measurements for kpi in model.kpis]
        for kpi in model.kpis:
            object.__setattr__(kpi, "measurements", UNLOADED)
        return heavy, model
    heavy = [[kr.checkins for kr in objective.key_results] for objective in model.objectives]
    for objective in model.objectives:
        for kr in objective.key_results:
            if kr.checkins is not None:
                object.__setattr__(kr, "checkins", UNLOADED)
    return heavy, model


def _join(model: OkrFile | KpiFile, heavy: list[Any]) -> OkrFile | KpiFile:
    """Put the lists taken by `_split` back, in place."""
    if isinstance(model, KpiFile):
        for kpi, rows in zip(model.kpis, heavy, strict=True):
            object.__setattr__(kpi, "measurements", rows)
        return model
    for objective, rows_of_objective in zip(model.objectives, heavy, strict=True):
        for kr, rows in zip(objective.key_results, rows_of_objective, strict=True):
            if rows is not None:
                object.__setattr__(kr, "checkins", rows)
    return model


def near_kind(value: object) -> str | None:
    """The goal-file kind that `value` seems to mean (`okr`, `KPI`, `okrs ` …), or None."""
    if not isinstance(value, str):
        return None
    normal = value.strip().lower()
    for kind in KINDS:
        if normal in (kind, kind[:-1]) or difflib.SequenceMatcher(None, normal, kind).ratio() >= 0.75:
            return kind
    return None


def _head(path: Path, data: bytes | None) -> str:
    """The start of an undecodable file, as text, to look for a goal-file kind in it."""
    if data is None:
        with path.open("rb") as stream:
            data = stream.read(MAX_BYTES + 1)
    wide = wide_text(data[: MAX_BYTES + 1]) if len(data) <= MAX_BYTES else None
    return wide[1][:65536] if wide is not None else data[:65536].decode("utf-8", "replace")


def _declared_kind(data: Any, text: str) -> str | None:
    """The kind a file that failed to load seems to be, from its mapping or, if it did not parse, its text."""
    if isinstance(data, YamlMap):
        return near_kind(data.get("kind")) or ("okrs" if "objectives" in data else None)
    return next(filter(None, map(near_kind, _KIND_LINE.findall(text))), None)


def _mentions_goal_kind(text: str) -> bool:
    return any(near_kind(match) for match in _KIND_LINE.findall(text))


def load_file(
    path: Path, config: Config, explicit: bool = False, data: bytes | None = None, origin: str = "", shown: str = ""
) -> GoalFile | None:
    """Load `path` (or its bytes, `data`, already read) as a goal file; None when it is some other YAML file.

    `origin` and `shown`: the bytes are a version of the file from git history (see `discovery.Candidate`),
    named `shown` in findings.
    """
    shown = shown or display_path(path)
    text, problem = read_text(path, data)
    if problem is not None:
        problem = dataclasses.replace(problem, path=shown)
        # Unreadable files are always reported; undecodable ones only if they seem to be goal files.
        undecodable = problem.message.startswith(("binary", "not UTF-8", "file is", "the file is UTF-"))
        if explicit or not undecodable or _mentions_goal_kind(_head(path, data)):
            return GoalFile(shown, "", problems=[(SYNTAX, problem)], source=os.fspath(path), origin=origin)
        return None
    assert text is not None
    loaded = load_text(shown, text, config, explicit)
    if loaded is not None:
        loaded.source = os.fspath(path)
        loaded.origin = origin
    return loaded


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
    if not isinstance(kind, str) or kind not in MODELS:  # a list or mapping is no kind (and not hashable)
        return _not_a_kind(shown, text, data, kind)
    model_class = MODELS[kind]
    try:
        model = model_class.model_validate(data)
    except ValidationError as error:
        problems = problems_from_validation(error, data, model_class, shown)
        return GoalFile(shown, text, data, problems=[(SCHEMA, p) for p in problems])
    period = None
    if isinstance(model, OkrFile):
        try:  # the label's form was checked; its dates depend on the fiscal calendar (0001-Q1 with July starts in 0)
            period = parse_period(model.period, config.fiscal_year_start)
        except PeriodError as error:
            line, column = data.key_pos["period"]
            return GoalFile(shown, text, data, problems=[(SCHEMA, Problem(shown, line, column, f"period: {error}"))])
    return GoalFile(shown, text, data, model, period)


def _not_a_kind(shown: str, text: str, data: YamlMap, kind: object) -> GoalFile | None:
    if "kind" in data:
        meant = near_kind(kind)
        if meant is None and not isinstance(kind, str) and ("objectives" in data or "kpis" in data):
            meant = "okrs" if "objectives" in data else "kpis"  # `kind: [okrs]`: a goal file, mistyped
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
