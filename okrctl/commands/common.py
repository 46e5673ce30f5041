"""What every command that reads goal files shares: find the config, discover and load the files."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from okrctl.config import LoadedConfig, config_start, load_config
from okrctl.discovery import discover
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
    loaded: LoadedConfig
    files: list[GoalFile]  # the goal files asked for
    skipped: list[str]  # named on the command line, but not goal files
    context: list[GoalFile] = field(default_factory=list)  # the rest of the goals tree, for references

    @property
    def everything(self) -> list[GoalFile]:
        return [*self.files, *self.context]


def load_tree(paths: list[Path], with_context: bool = False) -> Tree:
    """Load the goal files under `paths`; with `with_context`, also the rest of the goals root.

    Named files are then judged among their neighbours (a reference to an objective in another file is not
    "unknown" just because that file was not named), while only the named files are reported.
    """
    loaded = load_config(config_start(paths))
    files: list[GoalFile] = []
    skipped: list[str] = []
    candidates = discover(paths or [loaded.root], loaded.root, loaded.config.exclude)
    for candidate in candidates:
        goal_file = load_file(candidate.path, loaded.config, candidate.explicit)
        if goal_file is not None:
            files.append(goal_file)
        elif candidate.explicit:
            skipped.append(display_path(candidate.path))
    context: list[GoalFile] = []
    if with_context and paths:
        named = {os.path.realpath(c.path) for c in candidates}
        for candidate in discover([loaded.root], loaded.root, loaded.config.exclude):
            if os.path.realpath(candidate.path) not in named:
                goal_file = load_file(candidate.path, loaded.config)
                if goal_file is not None:
                    context.append(goal_file)
    return Tree(loaded, files, skipped, context)


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
    named = {os.path.realpath(c.path) for c in candidates}
    others = []
    if with_context and paths:
        others = [
            c for c in discover([loaded.root], loaded.root, config.exclude) if os.path.realpath(c.path) not in named
        ]
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
