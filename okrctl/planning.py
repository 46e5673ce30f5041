"""Planning a period: each owner's okrs file for it, carried from their file of the period before.

Pure: it takes the goal files of one goals root, loaded whole, and returns the new files — where each goes,
its text, what was carried and how the objectives closed — with the lint findings of the new files; it
writes nothing (`commands/plan.py` checks the targets, writes and reports).

A new file is its source file with the period replaced, the objectives not carried removed, and in those
carried each key result started again from its last value, without check-ins, grades or a done milestone:
what goes is cut by whole lines (with the comments that belong to it), the rest is edited through
ruamel.yaml's round trip, so every other comment stays where it was.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any, Literal

from okrctl.arithmetic import at_least
from okrctl.config import Config
from okrctl.errors import UserError
from okrctl.findings import Finding
from okrctl.key_result_kinds import no_distance
from okrctl.loader import GoalFile, load_text
from okrctl.model import KeyResult, OkrFile
from okrctl.periods import Period, PeriodError, parse_period, previous_period
from okrctl.project import ObjectiveEntry, Project
from okrctl.scoring import KeyResultScore, ObjectiveScore, Scorer, ScoringError
from okrctl.validation import did_you_mean
from okrctl.yamlread import YamlMap, YamlSeq

if TYPE_CHECKING:
    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap

Carry = Literal["unfinished", "all", "none"]
CARRY_MODES: tuple[Carry, ...] = ("unfinished", "all", "none")
HEADER = "# Planned from "
# okrctl's own two header lines, as `_header` writes them: a comment of the user's that starts the same way stays
_OLD_HEADER = re.compile(
    r"# Planned from .+ \([^()]+\) on \d{4}-\d{2}-\d{2}: objective scores .*$"
    r"|# Carried \(--carry (?:unfinished|all|none)\): .*$"
)
EMPTY_NOTE = "none carried: write this period's objectives here"
# What a carried key result leaves behind: its values, grades and milestone state belong to the old period.
CLEARED = ("checkins", "current", "grade", "grade_note", "done_on", "rebaselined")
Alignment = Literal["carried", "existing", "unresolved"]
Loc = tuple[str | int, ...]


@dataclass(frozen=True)
class PlanRequest:
    period: str
    from_period: str | None = None  # default: the period just before `period`
    owners: tuple[str, ...] = ()  # default: every owner with an okrs file for the period before
    carry: Carry = "unfinished"
    as_of: date | None = None  # the day the old period is scored on (default: its last day)
    within: frozenset[Path] | None = None  # plan only from these files (resolved paths); default: any


@dataclass(frozen=True)
class ObjectiveOutcome:
    """How one objective of a source file closed, and whether (and how) it was carried."""

    id: str
    score: float
    grade: str
    type: str
    carried: bool
    dropped: tuple[str, ...] = ()  # ids of its key results left behind, met already
    aligns_to: str | None = None
    alignment: Alignment | None = None  # for a carried objective that aligns: where its parent is now
    parent_path: str | None = None  # the file of that parent, as reports show paths


@dataclass(frozen=True)
class PlannedFile:
    owner: str
    source: str  # the source file, relative to the goals root (forward slashes)
    source_location: Path
    name: str  # the new file, relative to the goals root
    target: Path  # the new file on disk
    objectives: tuple[ObjectiveOutcome, ...]
    text: str


@dataclass(frozen=True)
class Plan:
    period: Period
    from_period: Period
    as_of: date
    carry: Carry
    files: tuple[PlannedFile, ...]
    planned_already: tuple[tuple[str, str], ...]  # (owner, its file for the period): left alone
    findings: tuple[Finding, ...]  # the lint findings of the new files


def make_plan(files: list[GoalFile], config: Config, root: Path, request: PlanRequest) -> Plan:
    """The new files of `request.period` for the goals root `root`, whose goal files are `files`."""
    fiscal = config.fiscal_year_start
    period = _period(request.period, "PERIOD", fiscal)
    # A file of the new period that does not load yet (one planned with nothing carried says
    # `objectives: []` on purpose) is its owner's plan already, left alone; any other stops the plan.
    drafts = [f for f in files if not f.valid and _claims(f, period, fiscal)]
    _refuse_broken([f for f in files if f not in drafts])
    if request.from_period is not None:
        before = _period(request.from_period, "--from", fiscal)
    else:
        try:
            before = previous_period(period, fiscal)
        except PeriodError:
            raise UserError(f"no period comes before {period.label}: give --from") from None
    if period.start <= before.end:
        raise UserError(
            f"{period.label} ({period.start}..{period.end}) is not after --from {before.label} "
            f"({before.start}..{before.end}): plan a period that starts after it ends"
        )
    as_of = request.as_of or before.end
    okrs = sorted((f for f in files if isinstance(f.model, OkrFile) and f.period is not None), key=lambda f: f.path)
    eligible = okrs if request.within is None else [f for f in okrs if f.location.resolve() in request.within]
    sources = _sources(eligible, before, period, request.owners)
    already = {(_owner(f), f.path) for f in okrs if _same_days(f, period)}
    already |= {(f.owner_hint or "?", f.path) for f in drafts}
    named = set(request.owners)
    for owner, name in sorted(already):
        if owner in named:
            raise UserError(f"{owner} has an okrs file for {period.label} already: {name}; nothing was written")
    planned_owners = {owner for owner, _ in already}
    sources = [f for f in sources if _owner(f) not in planned_owners]

    project = Project(files)
    scorer = Scorer(project, config, as_of)
    planned = []
    for file in sources:
        scores = [_scored(scorer, entry) for entry in project.objectives_of(file)]
        relative = _relative(file, root)
        name = target_name(PurePosixPath(relative), before, period).as_posix()
        text, outcomes = carried_text(file, scores, request.carry, period, relative, as_of)
        planned.append(PlannedFile(_owner(file), relative, file.location, name, root / name, outcomes, text))
    _refuse_shared_targets(planned)
    new_files = [_loaded(p, config) for p in planned]
    for plan, file, new in zip(planned, sources, new_files, strict=True):
        _check_faithful(plan, file, new)
    planned = _with_alignment(planned, new_files, files)
    findings = _lint_new(files, new_files, config, as_of)
    return Plan(period, before, as_of, request.carry, tuple(planned), tuple(sorted(already)), tuple(findings))


# -- which files -------------------------------------------------------------------------------------


def _refuse_broken(files: list[GoalFile]) -> None:
    """Plan scores the whole goals root (roll-ups, KPIs, alignment): a file that does not load stops it."""
    broken = [f for f in files if not f.valid]
    if not broken:
        return
    code, problem = broken[0].problems[0]
    more = f" (and {len(broken) - 1} more files)" if len(broken) > 1 else ""
    raise UserError(
        f"{problem.path}:{problem.line}:{problem.column}: {problem.message} ({code}){more}: plan reads the whole "
        "goals root; fix it first (okrctl lint says more); nothing was written"
    )


def _claims(file: GoalFile, period: Period, fiscal: int) -> bool:
    """Whether a file that does not load says it is an okrs file of `period`."""
    data = file.data
    if not isinstance(data, YamlMap) or data.get("kind") != "okrs" or not isinstance(data.get("period"), str):
        return False
    try:
        claimed = parse_period(data["period"], fiscal)
    except PeriodError:
        return False
    return (claimed.start, claimed.end) == (period.start, period.end)


def _period(label: str, name: str, fiscal: int) -> Period:
    try:
        return parse_period(label, fiscal)
    except PeriodError as error:
        raise UserError(f"{name}: {error}") from None


def _same_days(file: GoalFile, period: Period) -> bool:
    return file.period is not None and (file.period.start, file.period.end) == (period.start, period.end)


def _owner(file: GoalFile) -> str:
    assert isinstance(file.model, OkrFile)
    return file.model.owner


def _relative(file: GoalFile, root: Path) -> str:
    location = file.location.absolute()
    try:
        return location.relative_to(root.absolute()).as_posix()
    except ValueError:
        return location.as_posix()  # named from outside the root (with --config): its full path


def _sources(okrs: list[GoalFile], before: Period, period: Period, owners: tuple[str, ...]) -> list[GoalFile]:
    sources = [f for f in okrs if _same_days(f, before)]
    if not owners:
        if not sources:
            found = sorted({f.period.label for f in okrs if f.period is not None})
            periods = f"the periods found: {', '.join(found)}" if found else "there is no okrs file"
            raise UserError(
                f"no okrs file for {before.label} to plan {period.label} from ({periods}): give --from; "
                "nothing was written"
            )
        return sources
    with_source = {_owner(f) for f in sources}
    for owner in owners:
        if owner in with_source:
            continue
        labels = sorted({f.period.label for f in okrs if _owner(f) == owner and f.period is not None})
        if labels:
            raise UserError(
                f"--owner {owner} has no okrs file for {before.label} (it has {', '.join(labels)}): give --from; "
                "nothing was written"
            )
        known = sorted({_owner(f) for f in okrs})
        raise UserError(f"--owner {owner!r} owns no okrs file{did_you_mean(owner, known)}; nothing was written")
    return [f for f in sources if _owner(f) in owners]


def _scored(scorer: Scorer, entry: ObjectiveEntry) -> ObjectiveScore:
    try:
        return scorer.objective(entry)
    except ScoringError as error:
        line, column = error.file.position(error.loc)
        raise UserError(
            f"{error.file.path}:{line}:{column}: {error.message} ({error.code}): it cannot be scored, so it cannot "
            "be planned from; nothing was written"
        ) from None


def _refuse_shared_targets(planned: list[PlannedFile]) -> None:
    seen: dict[str, str] = {}
    for file in planned:
        if file.name in seen:
            raise UserError(
                f"{seen[file.name]} and {file.source} would both become {file.name}: rename one; nothing was written"
            )
        seen[file.name] = file.source


# -- where a new file goes ---------------------------------------------------------------------------

_YEAR_OF = re.compile(r"(\d{4})(?:-(Q[1-4]|H[12]|\d{2}))?\Z")


def target_name(source: PurePosixPath, before: Period, period: Period) -> PurePosixPath:
    """Where the file planned from `source` goes, relative to the goals root: `source` with the old period
    written as the new one — the whole label (`2026-Q4` → `2027-Q1`), else its year and its quarter or half
    on their own (`2026/company-q4.yaml` → `2027/company-q1.yaml`); a path that names no period gets a
    sibling named after the new one (`sales.yaml` → `sales-2027-Q1.yaml`)."""
    renamed = PurePosixPath(*(_renamed(part, before.label, period.label) for part in source.parts))
    if renamed == source:
        renamed = source.with_name(f"{source.stem}-{period.label}{source.suffix}")
    return renamed


def _token(text: str) -> str:
    """A regex for `text` standing on its own: not inside a longer word or number."""
    return rf"(?<![0-9A-Za-z]){re.escape(text)}(?![0-9A-Za-z])"


def _same_case(found: str, new: str) -> str:
    return new.lower() if found == found.lower() else new


def _renamed(part: str, old: str, new: str) -> str:
    renamed = re.sub(_token(old), lambda m: _same_case(m.group(), new), part, flags=re.IGNORECASE)
    if renamed != part:
        return renamed
    old_match, new_match = _YEAR_OF.match(old), _YEAR_OF.match(new)
    if old_match is None or new_match is None:
        return part
    renamed = re.sub(_token(old_match[1]), new_match[1], part)
    old_sub, new_sub = old_match[2], new_match[2]
    if old_sub and new_sub and not old_sub.isdigit() and not new_sub.isdigit():  # a quarter or half: `q4`
        renamed = re.sub(_token(old_sub), lambda m: _same_case(m.group(), new_sub), renamed, flags=re.IGNORECASE)
    return renamed


# -- what a new file says ----------------------------------------------------------------------------


def carries(score: ObjectiveScore, carry: Carry) -> bool:
    """Whether an objective is carried: with `unfinished`, one not graded green or a commitment below 1.0."""
    if carry == "all":
        return True
    if carry == "none":
        return False
    return score.grade != "green" or (score.type == "committed" and not at_least(score.score, 1.0))


def met(score: KeyResultScore) -> bool:
    return at_least(score.score, 1.0)


def carried_text(
    file: GoalFile, scores: list[ObjectiveScore], carry: Carry, period: Period, source: str, as_of: date
) -> tuple[str, tuple[ObjectiveOutcome, ...]]:
    """The new file's text, planned from `file` whose objectives scored `scores`, and each objective's outcome.

    What goes — the objectives not carried, the key results left behind, what a carried key result recorded —
    is cut from the text first, whole lines with the comments that belong to it (those above it, and those
    indented under it), so a comment above the next key result or objective stays with that one; ruamel.yaml
    would have kept it on the last line of what went, and dropped it. The round trip then edits the rest.
    """
    model = file.model
    assert isinstance(model, OkrFile)
    outcomes = [
        _decided(score, objective.aligns_to, carry) for objective, score in zip(model.objectives, scores, strict=True)
    ]
    cuts: list[Loc] = []
    for index, (objective, outcome) in enumerate(zip(model.objectives, outcomes, strict=True)):
        if not outcome.carried:
            cuts.append(("objectives", index))
            continue
        for kr_index, key_result in enumerate(objective.key_results):
            loc: Loc = ("objectives", index, "key_results", kr_index)
            if key_result.id in outcome.dropped:
                cuts.append(loc)
            else:
                cuts.extend((*loc, key) for key in CLEARED if getattr(key_result, key) is not None)
    text, cut = _without(file.text, file.data, cuts)
    try:
        document = _round_trip(file.path, _lf(text))
    except UserError:  # cutting lines broke the YAML (a layout the line rules misread): leave it all to the round trip
        cut = set()
        document = _round_trip(file.path, _lf(file.text))
    document["period"] = int(period.label) if period.label.isdigit() else period.label
    left = [i for i in range(len(model.objectives)) if ("objectives", i) not in cut]
    nodes: Any = document.get("objectives") if left else None
    if left and not _list_of_maps(nodes, len(left)):
        raise UserError(f"{file.path}: its objectives cannot be edited as a list of mappings; nothing was written")
    for position in reversed(range(len(left))):
        index = left[position]
        if not outcomes[index].carried:
            del nodes[position]
            continue
        objective, score = model.objectives[index], scores[index]
        kept = [j for j in range(len(objective.key_results)) if ("objectives", index, "key_results", j) not in cut]
        key_results = nodes[position].get("key_results")
        if kept and not _list_of_maps(key_results, len(kept)):
            raise UserError(f"{file.path}: the key results of {score.ref!r} cannot be edited as a list of mappings")
        for kr_position in reversed(range(len(kept))):
            kr_index = kept[kr_position]
            if objective.key_results[kr_index].id in outcomes[index].dropped:
                del key_results[kr_position]
            else:
                _restart(key_results[kr_position], objective.key_results[kr_index], score.key_results[kr_index])
    if not any(o.carried for o in outcomes):
        from ruamel.yaml.comments import CommentedSeq

        document["objectives"] = CommentedSeq()
        document.yaml_add_eol_comment(EMPTY_NOTE, "objectives")
    header = _header(source, model.period, as_of, outcomes, carry)
    return new_file_text(document, header), tuple(outcomes)


def _lf(text: str) -> str:
    """Line ends as `\\n`: the round trip keeps a comment's `\\r`, which would mix the line ends of the new file."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _decided(score: ObjectiveScore, aligns_to: str | None, carry: Carry) -> ObjectiveOutcome:
    carried = carries(score, carry)
    dropped = tuple(kr.ref.rsplit("/", 1)[1] for kr in score.key_results if carry == "unfinished" and met(kr))
    return _outcome(score, aligns_to, carried, dropped if carried else ())


# Line breaks that YAML and str.splitlines count differently: with one of them, nothing is cut by lines.
_ODD_BREAKS = re.compile("[\x0b\x0c\x1c-\x1e\x85\u2028\u2029]|\r(?!\n)")


def _without(text: str, data: Any, cuts: list[Loc]) -> tuple[str, set[Loc]]:
    """`text` without the lines of the node at each of `cuts` (a list item or a mapping key, found in `data`,
    the file as okrctl read it), and which were cut; one that shares a line with something kept is left to
    the round trip."""
    if _ODD_BREAKS.search(text):
        return text, set()
    lines = text.splitlines(keepends=True)
    gone: set[int] = set()
    cut: set[Loc] = set()
    for loc in cuts:
        span = _span(lines, data, loc)
        if span is not None:
            gone.update(range(*span))
            cut.add(loc)
    return "".join(line for index, line in enumerate(lines) if index not in gone), cut


def _place(data: Any, loc: Loc) -> tuple[int, int, bool] | None:
    """Where the key or item at `loc` starts (line and column from 0), and whether it is a list item."""
    node: Any = data
    place: tuple[int, int, bool] | None = None
    for part in loc:
        if isinstance(node, YamlMap) and isinstance(part, str) and part in node.key_pos:
            line, column = node.key_pos[part]
            place, node = (line - 1, column - 1, False), node[part]
        elif isinstance(node, YamlSeq) and isinstance(part, int) and 0 <= part < len(node):
            line, column = node.item_pos[part]
            place, node = (line - 1, column - 1, True), node[part]
        else:
            return None
    return place


def _depth(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _span(lines: list[str], data: Any, loc: Loc) -> tuple[int, int] | None:
    """The lines of a node: from the comments right above it (not indented deeper than it: those are the
    previous node's) to its last line or comment indented under it; None when it does not own its lines."""
    place = _place(data, loc)
    if place is None or place[0] >= len(lines):
        return None
    line, column, in_list = place
    lead = lines[line][:column]
    if lead.strip() != ("-" if in_list else ""):
        return None  # `- checkins: …`, a flow collection, a dash on a line of its own
    indent = lead.index("-") if in_list else column
    end = line + 1
    for index in range(line + 1, len(lines)):
        stripped = lines[index].strip()
        if not stripped:
            continue
        depth = _depth(lines[index])
        list_under_key = not in_list and depth == indent and (stripped == "-" or stripped.startswith("- "))
        if depth > indent or list_under_key:
            end = index + 1
        elif not stripped.startswith("#"):
            break
    start = line
    for index in range(line - 1, -1, -1):
        stripped = lines[index].strip()
        if stripped.startswith("#") and _depth(lines[index]) <= indent:
            start = index
        elif stripped:
            break
    if end >= len(lines) or not lines[end].strip():  # blank lines on both sides: one side's go with it
        while start > 0 and not lines[start - 1].strip():
            start -= 1
    return start, end


def _outcome(
    score: ObjectiveScore, aligns_to: str | None, carried: bool, dropped: tuple[str, ...] = ()
) -> ObjectiveOutcome:
    return ObjectiveOutcome(
        score.ref.split("/", 1)[1], score.score, score.grade, score.type, carried, dropped, aligns_to
    )


def _restart(node: CommentedMap, key_result: KeyResult, score: KeyResultScore) -> None:
    """Start a carried key result again: from its last value, with nothing recorded yet."""
    start = None
    if (
        score.kind.needs_start
        and key_result.start is not None
        and score.value is not None
        and not met(score)
        and not at_least(score.progress, 1.0)  # at or past its target (a manual grade below 1.0 aside): the
        # start would cross the target and turn the key result around; it keeps its start
        and key_result.target is not None
        and not no_distance(score.value, key_result.target)
    ):
        start = score.value  # a key result fed by a KPI without a start takes it from the KPI, on the new first day
    for key in CLEARED:
        if key in node:
            del node[key]
    if "done" in node:
        node["done"] = False
    if start is not None:
        node["start"] = start


def _header(source: str, label: str, as_of: date, outcomes: list[ObjectiveOutcome], carry: Carry) -> list[str]:
    scores = ", ".join(f"{o.id} {o.score:.2f} {o.grade}" for o in outcomes)
    carried = ", ".join(o.id for o in outcomes if o.carried) or "none"
    return [
        f"{HEADER}{source} ({label}) on {as_of}: objective scores {scores}",
        f"# Carried (--carry {carry}): {carried}",
    ]


def _yaml() -> YAML:
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096  # never fold a long title
    yaml.indent(mapping=2, sequence=4, offset=2)  # sequences indented under their key, as the examples are
    return yaml


def _round_trip(shown: str, text: str) -> CommentedMap:
    from ruamel.yaml.comments import CommentedMap
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    try:
        document = _yaml().load(text)
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = f"{shown}:{mark.line + 1}:{mark.column + 1}" if mark is not None else shown
        raise UserError(f"{where}: {error.problem or error}; nothing was written") from None
    except YAMLError as error:
        raise UserError(f"{shown}: {error}; nothing was written") from None
    if not isinstance(document, CommentedMap):
        raise UserError(f"{shown}: its top level cannot be edited as a mapping; nothing was written")
    return document


def _list_of_maps(value: object, length: int) -> bool:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    return isinstance(value, CommentedSeq) and len(value) == length and all(isinstance(v, CommentedMap) for v in value)


def new_file_text(document: CommentedMap, header: list[str]) -> str:
    """The text of a new file: `document` dumped, with `header` after the editor's schema line (or on top).

    Every new file's text comes from here, the one place to give it a canonical layout."""
    stream = io.StringIO()
    _yaml().dump(document, stream)
    lines = stream.getvalue().splitlines(keepends=True)
    lines = [line for line in lines if not _old_header(line)]  # a file planned before carries its own
    at = 1 if lines and lines[0].startswith("# yaml-language-server:") else 0
    text = "".join([*lines[:at], *(line + "\n" for line in header), *lines[at:]])
    from okrctl.fmt import FormatRefused, format_text

    try:
        return format_text(text)  # laid out as `okrctl fmt` lays files out: a new file passes `fmt --check`
    except FormatRefused:
        return text  # fmt could not vouch for a layout: the dump as it is, read back and checked all the same


def _old_header(line: str) -> bool:
    return bool(_OLD_HEADER.match(line))


# -- checking the new files --------------------------------------------------------------------------


def _loaded(planned: PlannedFile, config: Config) -> GoalFile:
    from okrctl.goal_bytes import display_path

    loaded = load_text(display_path(planned.target), planned.text, config)
    assert loaded is not None  # it says kind: okrs
    return loaded


# What a carried key result keeps as it was: anything else changing means the YAML was not re-emitted faithfully.
KEPT = ("title", "target", "at_least", "at_most", "kpi", "unit", "weight")


def _check_faithful(plan: PlannedFile, source: GoalFile, new: GoalFile) -> None:
    """Refuse a new file that does not read back as planned: the carried objectives, in order, each with its
    title, type, alignment, guardrails and weight, and the key results kept with their own fields."""
    old, got = source.model, new.model
    assert isinstance(old, OkrFile)
    carried = {o.id: o for o in plan.objectives if o.carried}
    expected = [
        (objective, [kr for kr in objective.key_results if kr.id not in carried[objective.id].dropped])
        for objective in old.objectives
        if objective.id in carried
    ]
    if not expected and not got:
        return  # nothing carried: the file lists no objectives, which lint reports
    same = isinstance(got, OkrFile) and (got.owner, got.level) == (old.owner, old.level)
    if same:
        assert isinstance(got, OkrFile)
        same = [o.id for o in got.objectives] == [o.id for o, _ in expected]
    if same:
        assert isinstance(got, OkrFile)
        for objective, (before, key_results) in zip(got.objectives, expected, strict=True):
            fields = ("title", "type", "aligns_to", "guardrails", "weight")
            same = same and all(getattr(objective, f) == getattr(before, f) for f in fields)
            same = same and [(kr.id, *(getattr(kr, f) for f in KEPT)) for kr in objective.key_results] == [
                (kr.id, *(getattr(kr, f) for f in KEPT)) for kr in key_results
            ]
    if not same:
        raise UserError(
            f"{source.path}: the planned {plan.name} would not read back as planned (YAML that okrctl cannot "
            "re-emit faithfully, such as anchors shared between key results); nothing was written: copy it by hand"
        )


def _with_alignment(planned: list[PlannedFile], new_files: list[GoalFile], files: list[GoalFile]) -> list[PlannedFile]:
    """Each carried objective's parent among the new files and the existing ones: carried in this run (its
    `aligns_to` now leads there), existing for the new period or one enclosing it, or unresolved (lint says)."""
    valid = [f for f in new_files if f.valid]
    project = Project([*files, *valid])
    new_paths = {f.path for f in new_files}
    result = []
    for plan, file in zip(planned, new_files, strict=True):
        parents = {}
        if file.valid:
            for entry in project.objectives_of(file):
                parent = project.aligned_parent(entry)
                parents[entry.objective.id] = parent
        outcomes = []
        for outcome in plan.objectives:
            if not outcome.carried or outcome.aligns_to is None:
                outcomes.append(outcome)
                continue
            parent = parents.get(outcome.id)
            if parent is None:
                outcomes.append(_aligned(outcome, "unresolved", None))
            else:
                outcomes.append(
                    _aligned(outcome, "carried" if parent.file.path in new_paths else "existing", parent.file.path)
                )
        result.append(replace(plan, objectives=tuple(outcomes)))
    return result


def _aligned(outcome: ObjectiveOutcome, alignment: Alignment, path: str | None) -> ObjectiveOutcome:
    return replace(outcome, alignment=alignment, parent_path=path)


def _lint_new(files: list[GoalFile], new_files: list[GoalFile], config: Config, as_of: date) -> list[Finding]:
    """What `okrctl lint` says of the new files, judged among the whole goals root."""
    from okrctl.engine import apply_config, cross_file_problems, file_rule_problems
    from okrctl.rules import LintContext

    context = LintContext(config, as_of)
    problems = [problem for file in new_files for problem in file_rule_problems(file, context)]
    paths = {file.path for file in new_files}
    everything = Project([*files, *new_files])
    problems += [(code, p) for code, p in cross_file_problems(everything, context) if p.path in paths]
    return apply_config(problems, new_files, config).findings
