"""What every command that reads goal files shares: find the config, discover and load the files."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from okrctl.config import LoadedConfig, config_start, load_config
from okrctl.discovery import discover
from okrctl.errors import UserError
from okrctl.findings import Finding
from okrctl.lint import lint
from okrctl.loader import GoalFile, display_path, load_file
from okrctl.periods import Period, PeriodError, parse_period
from okrctl.project import Project
from okrctl.report import Report, build_report, error_finding


@dataclass
class Tree:
    loaded: LoadedConfig
    files: list[GoalFile]
    skipped: list[str]  # named on the command line, but not goal files


def load_tree(paths: list[Path]) -> Tree:
    loaded = load_config(config_start(paths))
    files: list[GoalFile] = []
    skipped: list[str] = []
    for candidate in discover(paths or [loaded.root], loaded.root, loaded.config.exclude):
        goal_file = load_file(candidate.path, loaded.config, candidate.explicit)
        if goal_file is not None:
            files.append(goal_file)
        elif candidate.explicit:
            skipped.append(display_path(candidate.path))
    return Tree(loaded, files, skipped)


@dataclass
class Computed:
    report: Report
    errors: list[Finding]  # why files were left out
    left_out: list[str]
    tree: Tree


def compute(paths: list[Path], as_of: date, period: str | None = None, owner: str | None = None) -> Computed:
    """Lint, leave out every file with an error (and, in turn, what depends on it), and score the rest."""
    tree = load_tree(paths)
    config = tree.loaded.config
    wanted: Period | None = None
    if period is not None:
        try:
            wanted = parse_period(period, config.fiscal_year_start)
        except PeriodError as error:
            raise UserError(f"--period: {error}") from None
    errors = [f for f in lint(tree.files, config, as_of) if f.severity == "error"]
    left_out = {f.path for f in errors}
    while True:
        project = Project([f for f in tree.files if f.path not in left_out])
        report, failures = build_report(project, config, as_of, wanted, owner)
        if not failures:
            break
        for failure in failures:  # e.g. a key result whose KPI's file was left out: leave this one out too
            left_out.add(failure.file.path)
            errors.append(error_finding(failure))
    return Computed(report, sorted(errors), sorted(left_out), tree)
