"""`okrctl diff [BASE] [HEAD] [-- PATHS]`: what changed in the goals between two revisions, and how it stands.

The arguments read as `git diff` users expect: no revision compares the merge base with the upstream's
default branch (`Repository.default_base`) with the working tree; one revision compares it with the working
tree; two compare them; `A..B` is A and B, `A...B` the merge base of A and B, and B. Paths narrow the
comparison: after `--`, or any argument that is an existing path and not a revision (one that is both is
ambiguous, as in git). Each side is loaded as the reports load it (`load_root`, or `load_root_at` for a
revision), scored by the engine as of one date, and its items compared by reference (`goal_diff`).
"""

from __future__ import annotations

import dataclasses
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from okrctl.config import config_start, load_config
from okrctl.errors import UserError
from okrctl.findings import Finding
from okrctl.git import GitError, Repository
from okrctl.goal_bytes import display_path
from okrctl.goal_diff import DiffResult, Side, SideGoals, Standing, diff_goals
from okrctl.goal_items import Item, Loc, compare, items_of
from okrctl.reporters import ReportOptions, reporter
from okrctl.reporters.safe_text import printable

if TYPE_CHECKING:
    from okrctl.config import Config, LoadedConfig
    from okrctl.engine import RootFiles
    from okrctl.history import Step, VersionItems
    from okrctl.loader import GoalFile
    from okrctl.project import Project
    from okrctl.report import Report

PATHS_FOLLOW = "--"
# Up to this many changed files, each side's changed files and what their scores read are read alone; more
# (a week of everyone's check-ins), and reading one side whole costs less than searching for what they read.
_FEW_FILES = 100  # the CLI keeps the `--` the user typed, so paths after it are known as paths


@dataclass(frozen=True)
class DiffOptions:
    arguments: list[str]  # revisions and paths as typed, with the `--` that separates them
    output_format: str
    as_of: date | None  # None: today
    report: ReportOptions
    jobs: int = 1
    use_cache: bool = True


@dataclass
class Comparison:
    """What the arguments name: the repository, the two sides and the paths that narrow them."""

    repository: Repository
    base: Side
    head: Side
    paths: list[Path] = field(default_factory=list)


def run(options: DiffOptions) -> int:
    as_of = options.as_of or date.today()
    comparison = parse_arguments(options.arguments)
    root = _goals_root(comparison)
    _inside_root(comparison, root)
    changed = changed_paths(comparison, root)
    few = changed is not None and len(changed) <= _FEW_FILES
    read = _read_what_changed(comparison, root, changed, as_of, options) if few and changed is not None else None
    head_root: RootFiles | None
    if read is not None:  # a pull request: the changed files, and what their scores read
        base_root, head_root = read
        assert changed is not None
        base = _side_goals(comparison.repository, comparison.base, base_root, as_of, changed)
        head = _side_goals(comparison.repository, comparison.head, head_root, as_of, changed)
    elif changed is not None and (head_root := side_root(comparison, comparison.head, as_of, options)) is not None:
        # many files changed (a week of check-ins): the head side whole, and the base side the same files with
        # the changed ones as they were — only those are read again
        base_root = _as_at_base(comparison, head_root, changed, as_of, options.jobs)
        base = _side_goals(comparison.repository, comparison.base, base_root, as_of, changed)
        head = _side_goals(comparison.repository, comparison.head, head_root, as_of, changed)
    else:  # the config changed (or a reference was not found the quick way): each side whole
        try:
            head_root = side_root(comparison, comparison.head, as_of, options)
            base = load_side(comparison, comparison.base, as_of, options)
            head = load_side(comparison, comparison.head, as_of, options, head_root)
        except UserError as error:
            if "bad config" not in str(error):
                raise
            # A side's okrctl.yaml cannot be read (a pull request may be what fixes it): no goal is compared,
            # and the config is listed as what could not be read
            head_root = None
            base = LoadedSide(SideGoals(comparison.base, []), [_config_path(comparison, root)])
            head = LoadedSide(SideGoals(comparison.head, []), [])
    unreadable = sorted({*base.unreadable, *head.unreadable})
    for goals in (base.goals, head.goals):  # a file that cannot be read is not half a removal
        goals.items = [item for item in goals.items if item.path not in unreadable]
    result = DiffResult(
        comparison.base,
        comparison.head,
        as_of,
        diff_goals(base.goals, head.goals),
        history_findings(comparison, head_root, as_of, options.use_cache),
        unreadable,
        _config_path(comparison, root) if changed is None else None,
    )
    sys.stdout.write(reporter("diff", options.output_format)(result, options.report))
    return 1 if result.errors else 0


def history_findings(
    comparison: Comparison, head_root: RootFiles | None, as_of: date, use_cache: bool = True
) -> list[Finding]:
    """The history rules' findings (moved targets, dropped key results, backdated or rewritten values, moved
    bands) for the commits from the base to the head of `comparison` — and, when the head is the working
    tree, for its uncommitted changes too, as one more step — placed in the head side's files."""
    from okrctl.engine import history_findings as judge
    from okrctl.history import VersionItems, read_history
    from okrctl.revision import judged_by

    if head_root is None:  # nothing the paths name is on the head side: nothing to place a finding on
        return []
    repository, config = comparison.repository, head_root.loaded.config
    top = repository.relative(head_root.loaded.root)
    scope = [repository.relative(path) for path in comparison.paths] or ([top] if top else [])
    judged = judged_by(top, config)
    versions = VersionItems(repository, config, head_root.loaded.root if use_cache else None)
    base, head = comparison.base.commit, comparison.head.commit
    assert base is not None
    history = read_history(
        repository,
        [f"{base.id}..{head.id if head is not None else 'HEAD'}"],
        scope,
        judged,
        config,
        backdate_days=config.backdate_days,
        versions=versions,
    )
    if head is None:
        history.steps += _uncommitted(repository, head_root, scope, judged, versions)
    # Named as the rest of the diff names files, by their path in the repository (`goals/sales.yaml`, from
    # any folder and at any revision, rather than `sales.yaml@1a2b3c4`): what an annotation needs too.
    named = {file.path: repository.relative(file.location) for file in head_root.everything}
    found = judge(head_root, history, as_of)  # KPIs from the as-of date's quarter, as lint --history judges them
    return [dataclasses.replace(f, path=named.get(f.path, f.path)) for f in found]


def _uncommitted(
    repository: Repository,
    head_root: RootFiles,
    scope: list[str],
    judged: Callable[[str], bool],
    versions: VersionItems,
) -> list[Step]:
    """The working tree's changes since HEAD as one step, by whoever would commit them, today."""
    from okrctl.git import Commit
    from okrctl.history import Step

    changed = [path for path in repository.changed_files("HEAD", None, scope) if judged(path)]
    if not changed:
        return []
    at_head = repository.tree("HEAD", changed)
    now = {repository.relative(file.location): file for file in head_root.everything}
    before: list[Item] = []
    after: list[Item] = []
    for path in changed:
        old = versions.items(at_head[path], path) if path in at_head else []
        file = now.get(path)
        if file is not None and file.model is not None:
            file.load_history()
        new = items_of(file.model, path) if file is not None and file.model is not None else None
        if file is None and (repository.top / path).exists():
            continue  # a file the head side did not load (not a goal file): nothing to compare
        if old is None or (file is not None and new is None):
            continue  # a version that does not validate says nothing reliable about what changed
        before += old
        after += new or []
    changes = compare(before, after)
    if not changes:
        return []
    commit = Commit("", int(time.time()), repository.user_name(), "uncommitted changes")
    return [Step(commit, tuple(changes))]


# -- the arguments ------------------------------------------------------------------------------------


def parse_arguments(arguments: list[str]) -> Comparison:
    """The revisions and paths the arguments name (see the module's docstring)."""
    if PATHS_FOLLOW in arguments:
        split = arguments.index(PATHS_FOLLOW)
        before, after = arguments[:split], [Path(path) for path in arguments[split + 1 :]]
    else:
        before, after = arguments, []
    repository = Repository.containing(config_start(after))
    revisions: list[str] = []
    paths: list[Path] = []
    for argument in before:
        is_path = not after and Path(argument).exists()
        is_revision = _names_revision(repository, argument)
        if is_path and is_revision:
            raise UserError(
                f"'{printable(argument)}' is both a revision and a path: put paths after '--' "
                f"(okrctl diff {printable(argument)} -- PATH, or okrctl diff -- {printable(argument)})"
            )
        if is_revision and not paths:
            revisions.append(argument)
        elif is_path:
            paths.append(Path(argument))
        elif after or not is_revision:
            _unknown(repository, argument, after)
        else:
            raise UserError(f"revision '{printable(argument)}' after a path: name revisions first, then paths")
    base, head = _sides(repository, revisions)
    return Comparison(repository, base, head, paths + after)


def _unknown(repository: Repository, argument: str, after: list[Path]) -> None:
    if after or ".." in argument or repository.shallow:  # let git's answer say why this names no commit
        _range(repository, argument) if ".." in argument else _resolve(repository, argument)
    raise UserError(
        f"'{printable(argument)}' is neither a revision nor a path in the working tree: use '--' before paths "
        "that no longer exist"
    )


def _names_revision(repository: Repository, text: str) -> bool:
    try:
        _range(repository, text) if ".." in text else repository.commit(text)
    except GitError:
        return False
    return True


def _range(repository: Repository, text: str) -> tuple[Side, Side]:
    """`A..B` (A and B) or `A...B` (their merge base and B); a missing end is HEAD, as in git."""
    three = "..." in text
    left, _, right = text.partition("..." if three else "..")
    left, right = left or "HEAD", right or "HEAD"
    head = _resolve(repository, right)
    if not three:
        return _resolve(repository, left), head
    first = _resolve(repository, left)
    base = repository.merge_base(first.commit.id if first.commit else left, head.commit.id if head.commit else right)
    if base is None:
        repository.require_full_history()
        raise GitError(f"'{printable(left)}' and '{printable(right)}' have no common ancestor (no merge base)")
    return Side(f"merge-base({left}, {right})", repository.commit(base)), head


def _resolve(repository: Repository, revision: str) -> Side:
    return Side(revision, repository.commit(revision))


def _sides(repository: Repository, revisions: list[str]) -> tuple[Side, Side]:
    working_tree = Side("working tree")
    if len(revisions) > 2 or (len(revisions) == 2 and any(".." in r for r in revisions)):
        named = " ".join(printable(r) for r in revisions)
        raise UserError(f"too many revisions ({named}): name at most two, or one range A..B or A...B")
    if len(revisions) == 2:
        return _resolve(repository, revisions[0]), _resolve(repository, revisions[1])
    if revisions and ".." in revisions[0]:
        return _range(repository, revisions[0])
    if revisions:
        return _resolve(repository, revisions[0]), working_tree
    try:
        base = repository.default_base()
    except GitError:
        repository.require_full_history()  # a shallow clone: fetching all of it is what to do
        raise
    return Side(base, repository.commit(base)), working_tree


def _goals_root(comparison: Comparison) -> Path:
    """The goals root compared: the paths' (see `config_start`); without paths, when the current folder's root
    holds no goal files, the one goals root below it that does, as the reports choose it in the working tree
    (a revision is then read from that root too)."""
    from okrctl.commands.common import scopes

    loaded = load_config(config_start(comparison.paths))
    if comparison.paths:
        return loaded.root
    holding = [scope.loaded for scope in scopes([]) if scope.candidates]
    if len(holding) > 1:
        roots = ", ".join(display_path(found.root) + "/" for found in holding)
        raise UserError(f"goal files of {len(holding)} goals roots are here ({roots}): name one of them after '--'")
    if holding and holding[0].root != loaded.root:
        comparison.paths = [holding[0].root]
        return holding[0].root
    return loaded.root


def _inside_root(comparison: Comparison, root: Path) -> None:
    """Every path must be in the goals root (and so in the repository): a diff compares one goals root."""
    repository = comparison.repository
    top = repository.relative(root)
    for path in comparison.paths:
        relative = repository.relative(path)
        if top and relative != top and not relative.startswith(top + "/"):
            raise UserError(f"{display_path(path)} is outside the goals root {display_path(root)}/")


# -- the sides ----------------------------------------------------------------------------------------


@dataclass
class LoadedSide:
    goals: SideGoals
    unreadable: list[str]  # repository paths of the goal files that could not be read


def load_side(
    comparison: Comparison, side: Side, as_of: date, options: DiffOptions, root: RootFiles | None = None
) -> LoadedSide:
    """The side's goal files under the comparison's paths (`root`, when loaded already), their items and how
    each stands as of `as_of`."""
    root = root or side_root(comparison, side, as_of, options)
    if root is None:  # what the paths name is not on this side: all of it is added, or removed
        return LoadedSide(SideGoals(side, []), [])
    return _side_goals(comparison.repository, side, root, as_of)


def side_root(comparison: Comparison, side: Side, as_of: date, options: DiffOptions) -> RootFiles | None:
    """The side's goal files under the comparison's paths, with the rest of their root as context; None
    when nothing the paths name is on this side."""
    from okrctl.commands.common import load_root
    from okrctl.revision import Revision, load_root_at

    repository = comparison.repository
    paths = comparison.paths
    if side.commit is None:
        there = [path for path in paths if path.exists()]
    else:
        there = [path for path in paths if repository.tree(side.commit.id, [repository.relative(path)])]
    if paths and not there:
        _named_somewhere(comparison, side)
        return None
    if side.commit is None:
        return load_root(there, as_of, options.jobs, options.use_cache, with_context=True)
    return load_root_at(Revision(repository, side.commit), there, as_of, options.jobs, with_context=True)


def changed_paths(comparison: Comparison, root: Path) -> set[str] | None:
    """The YAML files (repository paths) that differ between the sides under the comparison's paths (or the
    goals root), as git finds them; None when the config differs too (then each side is read whole)."""
    from okrctl.config import CONFIG_NAME
    from okrctl.discovery import is_yaml_name

    repository = comparison.repository
    scope = [repository.relative(path) for path in comparison.paths] or [repository.relative(root)]
    base, head = comparison.base.commit, comparison.head.commit
    assert base is not None  # the base is always a commit
    names = repository.changed_files(base.id, head.id if head is not None else None, scope)
    top = repository.relative(root)
    config = f"{top}/{CONFIG_NAME}" if top else CONFIG_NAME
    if config in names:
        return None
    return {name for name in names if is_yaml_name(name)}


def _read_what_changed(
    comparison: Comparison, root: Path, changed: set[str], as_of: date, options: DiffOptions
) -> tuple[RootFiles, RootFiles] | None:
    """Each side's changed files, with what their scores read as context — not the whole tree.

    What a score reads is found with `git grep` (C speed) and confirmed by parsing: the kpis files of the
    owners of the KPIs that feed or guard a changed objective, and the files that name a roll-up objective
    (its aligned objectives), until nothing more is needed. When a KPI a changed key result names is still not
    found that way, None: the sides are then read whole, and the scorer says what is missing.
    """
    from okrctl.revision import Revision, config_at

    repository = comparison.repository
    for path in comparison.paths:
        on_a_side = path.exists() if comparison.head.commit is None else False
        for side in (comparison.base, comparison.head):
            if side.commit is not None and repository.tree(side.commit.id, [repository.relative(path)]):
                on_a_side = True
        if not on_a_side:
            _named_somewhere(comparison, comparison.head)
    loaded = load_config(root)
    head = comparison.head.commit
    if head is not None:
        loaded = config_at(Revision(repository, head), loaded, repository.relative(loaded.root))
    head_root = _with_what_scores_read(repository, comparison.head, loaded, changed, as_of, options, [])
    if head_root is None:
        return None
    # What the head side's scores read, the base side's most likely read too: tried before searching again
    likely = [repository.relative(file.location) for file in head_root.context]
    base_root = _with_what_scores_read(repository, comparison.base, loaded, changed, as_of, options, likely)
    if base_root is None:
        return None
    return base_root, head_root


def _with_what_scores_read(
    repository: Repository,
    side: Side,
    loaded: LoadedConfig,
    changed: set[str],
    as_of: date,
    options: DiffOptions,
    likely: list[str],
) -> RootFiles | None:
    """The side's changed files, with what their scores read as context (`likely`: files to read first, as
    context, before searching)."""
    from okrctl.engine import RootFiles
    from okrctl.project import Project
    from okrctl.revision import judged_by

    top = repository.relative(loaded.root)
    judged = judged_by(top, loaded.config)
    wanted = sorted(path for path in changed if judged(path))
    files = _load_paths(repository, side, loaded, wanted, as_of, options)
    first = sorted(path for path in set(likely) - set(wanted) if judged(path))
    context: list[GoalFile] = _load_paths(repository, side, loaded, first, as_of, options)
    seen = set(wanted) | set(first)
    searched: set[str] = set()
    while True:
        project = Project([f for f in files + context if f.valid])
        owners, rollups = _unresolved(project)
        owners -= searched
        rollups -= searched
        if not owners and not rollups:
            break
        searched |= owners | rollups
        found = _grep(repository, side, top, owners, rollups)
        new = sorted(path for path in found if path not in seen and judged(path))
        seen.update(new)
        context += _load_paths(repository, side, loaded, new, as_of, options)
    owners, _ = _unresolved(Project([f for f in files + context if f.valid]))
    if owners:
        return None
    return RootFiles(loaded, files, [], [], context)


def _unresolved(project: Project) -> tuple[set[str], set[str]]:
    """The owners of the KPIs that objectives name and the project lacks, and the roll-up objectives (their
    aligned objectives may lie in any file)."""
    owners = set()
    rollups = set()
    for entry in project.objectives:
        objective = entry.objective
        refs = [kr.kpi for kr in objective.key_results if kr.kpi is not None] + list(objective.guardrails)
        owners |= {ref.partition("/")[0] for ref in refs if ref not in project.kpis_by_ref}
        if not objective.key_results:
            rollups.add(entry.ref)
    return owners, rollups


def _grep(repository: Repository, side: Side, top: str, owners: set[str], mentions: set[str]) -> set[str]:
    """The files (repository paths, below `top`) on `side` that declare one of `owners` (`owner: NAME` at the
    top level) or mention one of `mentions`."""
    revision = side.commit.id if side.commit is not None else None
    searches = []
    if owners:  # slugs: nothing in them is special to an extended regular expression
        patterns = [f"^owner:[[:space:]]*[\"']?{owner}[\"']?[[:space:]]*(#.*)?$" for owner in sorted(owners)]
        searches.append(["-E", *(part for pattern in patterns for part in ("-e", pattern))])
    if mentions:
        searches.append(["-F", *(part for mention in sorted(mentions) for part in ("-e", mention))])
    return {path for search in searches for path in repository.grep(search, revision, [top], untracked=True)}


def _load_paths(
    repository: Repository, side: Side, loaded: LoadedConfig, paths: list[str], as_of: date, options: DiffOptions
) -> list[GoalFile]:
    """The goal files at `paths` (repository paths) on `side`: from git at a revision, else from disk."""
    from okrctl.discovery import Candidate
    from okrctl.pipeline import run_stage
    from okrctl.revision import Revision, load_files_at

    if not paths:
        return []
    if side.commit is not None:
        return load_files_at(Revision(repository, side.commit), paths, loaded, as_of, options.jobs)
    candidates = [Candidate(repository.top / path, False) for path in paths if (repository.top / path).is_file()]
    results = run_stage(candidates, loaded.root, loaded.config, as_of, options.jobs, options.use_cache)
    return [result.file for _, result in results if result is not None]


def _config_path(comparison: Comparison, root: Path) -> str:
    from okrctl.config import CONFIG_NAME

    top = comparison.repository.relative(root)
    return f"{top}/{CONFIG_NAME}" if top else CONFIG_NAME


def _as_at_base(comparison: Comparison, head: RootFiles, changed: set[str], as_of: date, jobs: int) -> RootFiles:
    """The head side's files with the changed ones as they were at the base (those not there then left
    out): the base side, with only the changed files read from git."""
    from okrctl.engine import RootFiles
    from okrctl.revision import Revision, load_files_at

    repository = comparison.repository
    base = comparison.base.commit
    assert base is not None
    revision = Revision(repository, base)
    kept_files = [f for f in head.files if repository.relative(f.location) not in changed]
    kept_context = [f for f in head.context if repository.relative(f.location) not in changed]
    before = load_files_at(revision, sorted(changed), head.loaded, as_of, jobs)
    named = [repository.relative(path) for path in comparison.paths]
    own = [f for f in before if not named or any(_below(repository.relative(f.location), n) for n in named)]
    context = [f for f in before if f not in own]
    return RootFiles(head.loaded, kept_files + own, [], [], kept_context + context)


def _below(path: str, folder: str) -> bool:
    return not folder or path == folder or path.startswith(folder + "/")


def _named_somewhere(comparison: Comparison, side: Side) -> None:
    other = comparison.head if side is comparison.base else comparison.base
    repository = comparison.repository
    for path in comparison.paths:
        if other.commit is None:
            found = path.exists()
        else:
            found = bool(repository.tree(other.commit.id, [repository.relative(path)]))
        if not found and not (side.commit is None and path.exists()):
            sides = " or ".join(
                "the working tree" if s.commit is None else s.label for s in (comparison.base, comparison.head)
            )
            raise UserError(f"{display_path(path)}: no such file or folder in {sides}")


def _side_goals(
    repository: Repository, side: Side, root: RootFiles, as_of: date, only: set[str] | None = None
) -> LoadedSide:
    """The items of the side's files (`only`: of those files, by repository path) and their standings."""
    from okrctl.engine import report_root

    files = root.files if only is None else [f for f in root.files if repository.relative(f.location) in only]
    config = root.loaded.config
    if only is None:
        scores = _standings(report_root(root, as_of).report, config, as_of)
    else:
        scores = _standings_of(files, root, as_of)
    by_path: dict[str, GoalFile] = {}
    items: list[Item] = []
    standings: dict[tuple[str, str], Standing] = {}
    unreadable = []
    for file in files:
        path = repository.relative(file.location)
        if file.model is None:
            unreadable.append(path)
            continue
        file.load_history()
        by_path[path] = file
        for item in items_of(file.model, path):
            items.append(item)
            scored_as = (item.ref, "" if item.kind == "kpi" else file.path)
            standings[item.key] = scores.get(scored_as, Standing())

    def line(item: Item, loc: Loc) -> int:
        return by_path[item.path].position(loc)[0]

    return LoadedSide(SideGoals(side, items, standings, line), unreadable)


def _standings_of(files: list[GoalFile], root: RootFiles, as_of: date) -> dict[tuple[str, str], Standing]:
    """The standings of the items of `files` only, scored among the whole side (`root`): what they need —
    the KPIs that feed or guard them, the objectives that roll up into them — and nothing more is read."""
    from okrctl.health import kpi_health
    from okrctl.project import Project
    from okrctl.rules.base import LintContext, scorer_for
    from okrctl.scoring import ScoringError, grade_of, pace

    config = root.loaded.config
    project = Project([f for f in root.everything if f.valid])
    for file in _needed_for_scoring(project, files):
        file.load_history()
    scorer = scorer_for(project, LintContext(config, as_of))
    found: dict[tuple[str, str], Standing] = {}
    chosen = {id(file) for file in files}
    for entry in project.objectives:
        if id(entry.file) not in chosen:
            continue
        try:
            objective = scorer.objective(entry)
        except ScoringError:
            continue  # it cannot be scored on this side (lint says why): no standing
        found[objective.ref, objective.path] = Standing(objective.score, objective.grade, objective.status)
        for kr in objective.key_results:
            status, _ = pace(objective.period, as_of, kr.score, objective.type, config)
            found[kr.ref, objective.path] = Standing(kr.score, grade_of(kr.score, config), status)
    for kpi_entry in project.kpis:
        if id(kpi_entry.file) in chosen:
            health = kpi_health(kpi_entry.ref, kpi_entry.kpi, kpi_entry.owner, as_of, config.stale_grace_days)
            found[kpi_entry.ref, ""] = Standing(band=health.status)
    return found


def _needed_for_scoring(project: Project, files: list[GoalFile]) -> list[GoalFile]:
    """`files` and the files their scores read: the KPIs of KPI-fed key results and of guardrails, and the
    objectives (transitively) that roll up into a roll-up objective of theirs."""
    needed = {id(file): file for file in files}
    chosen = set(needed)
    pending = [entry for entry in project.objectives if id(entry.file) in chosen]
    seen = set()
    while pending:
        entry = pending.pop()
        if entry in seen:
            continue
        seen.add(entry)
        needed.setdefault(id(entry.file), entry.file)
        refs = [kr.kpi for kr in entry.objective.key_results if kr.kpi is not None] + list(entry.objective.guardrails)
        for ref in refs:
            for kpi_entry in project.kpis_by_ref.get(ref, ()):
                needed.setdefault(id(kpi_entry.file), kpi_entry.file)
        if not entry.objective.key_results:
            pending += project.children.get(entry, [])
    return list(needed.values())


def _standings(report: Report, config: Config, as_of: date) -> dict[tuple[str, str], Standing]:
    """Each scored item's standing: objectives and key results by reference and the path of their file as
    shown (a reference can stand in several periods), KPIs by reference and ""."""
    from okrctl.scoring import grade_of, pace

    found: dict[tuple[str, str], Standing] = {}
    for objective in report.all_objectives:
        found[objective.ref, objective.path] = Standing(objective.score, objective.grade, objective.status)
        for kr in objective.key_results:
            status, _ = pace(objective.period, as_of, kr.score, objective.type, config)
            found[kr.ref, objective.path] = Standing(kr.score, grade_of(kr.score, config), status)
    for kpi in report.kpis:
        found[kpi.ref, ""] = Standing(band=kpi.status)
    return found
