"""What every command that reads goal files shares: find the config, discover and load the files."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from okrctl.config import LoadedConfig, config_start, load_config
from okrctl.discovery import discover, file_identity
from okrctl.errors import UserError
from okrctl.findings import Finding, Problem
from okrctl.lint import finish, project_problems
from okrctl.loader import GoalFile, display_path, load_file
from okrctl.model import OkrFile
from okrctl.periods import Period, PeriodError, parse_period
from okrctl.project import Project
from okrctl.rules import LintContext

if TYPE_CHECKING:  # scoring and reports load only for the commands that report
    from okrctl.report import Report


@dataclass
class Tree:
    """Goal files loaded whole (text and parse tree kept): what edits need."""

    loaded: LoadedConfig
    files: list[GoalFile]


def load_tree(paths: list[Path]) -> Tree:
    """Load every goal file under `paths` (default: the goals root) in full, in this process."""
    loaded = load_config(config_start(paths))
    files = []
    for candidate in discover(paths or [loaded.root], loaded.root, loaded.config.exclude):
        goal_file = load_file(candidate.path, loaded.config, candidate.explicit)
        if goal_file is not None:
            files.append(goal_file)
    return Tree(loaded, files)


def report_skipped(paths: list[str]) -> None:
    from okrctl.reporters.safe_text import one_line

    for path in paths:
        print(f"okrctl: {one_line(path)}: not a goal file (no kind: okrs or kind: kpis), skipped", file=sys.stderr)


@dataclass
class Checked:
    """The result of the per-file stage over the asked-for files (and, with context, the rest of the tree)."""

    loaded: LoadedConfig
    files: list[GoalFile]  # the goal files asked for
    problems: list[tuple[str, Problem]]  # their per-file problems
    skipped: list[str]
    context: list[GoalFile] = field(default_factory=list)

    @property
    def everything(self) -> list[GoalFile]:
        return [*self.files, *self.context]


def needs_details(files: list[GoalFile], as_of: date) -> bool:
    """Whether a cross-file rule can need check-ins or measurements: scoring an ended period (OKR304,
    OKR305), or a key result that takes its start from a KPI (OKR006, OKR007)."""
    for file in files:
        model = file.model
        if isinstance(model, OkrFile):
            if file.period is not None and as_of >= file.period.end:
                return True
            if any(kr.kpi and kr.start is None for objective in model.objectives for kr in objective.key_results):
                return True
    return False


def check_tree(paths: list[Path], as_of: date, jobs: int, use_cache: bool, with_context: bool = False) -> Checked:
    """Run the per-file stage (in parallel and cached) over `paths`, and the rest of the root for context."""
    from okrctl.pipeline import run_stage

    loaded = load_config(config_start(paths))
    config = loaded.config
    candidates = discover(paths or [loaded.root], loaded.root, config.exclude)
    others = []
    if with_context and paths:
        named = {file_identity(c.path) for c in candidates}
        others = [c for c in discover([loaded.root], loaded.root, config.exclude) if file_identity(c.path) not in named]
    results = run_stage([*candidates, *others], loaded.root, config, as_of, jobs, use_cache)
    checked = Checked(loaded, [], [], [])
    for index, (candidate, result) in enumerate(results):
        if result is None:
            if candidate.explicit:
                checked.skipped.append(display_path(candidate.path))
        elif index < len(candidates):
            checked.files.append(result.file)
            checked.problems.extend(result.problems)
        else:
            checked.context.append(result.file)
    return checked


@dataclass
class Computed:
    report: Report
    errors: list[Finding]  # why files were left out
    left_out: list[str]
    tree: Checked


def compute(
    paths: list[Path],
    as_of: date,
    period: str | None = None,
    owner: str | None = None,
    jobs: int = 1,
    use_cache: bool = True,
    objectives: bool = True,
) -> Computed:
    """Lint, leave out every file with an error (and, in turn, what depends on it), and score the rest.

    With `objectives=False` (`okrctl kpis`) only KPI health is computed: nothing is scored.
    """
    from okrctl.report import build_report, error_finding

    tree = check_tree(paths, as_of, jobs, use_cache)
    everything = objectives or needs_details(tree.everything, as_of)  # the cross-file rules may score too
    for file in tree.everything:
        if everything or not isinstance(file.model, OkrFile):
            file.load_details()  # reports show check-ins and measurements
    config = tree.loaded.config
    wanted: Period | None = None
    if period is not None:
        try:
            wanted = parse_period(period, config.fiscal_year_start)
        except PeriodError as error:
            raise UserError(f"--period: {error}") from None
    raw = [*tree.problems, *project_problems(tree.files, LintContext(config, as_of))]
    errors = [f for f in finish(raw, tree.files, config) if f.severity == "error"]
    left_out = {f.path for f in errors}
    while True:
        project = Project([f for f in tree.files if f.path not in left_out])
        report, failures = build_report(project, config, as_of, wanted, owner, objectives)
        if not failures:
            break
        for failure in failures:  # e.g. a key result whose KPI's file was left out: leave this one out too
            left_out.add(failure.file.path)
            errors.append(error_finding(failure))
    return Computed(report, sorted(errors), sorted(left_out), tree)
