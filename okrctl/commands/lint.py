"""`okrctl lint`: validate and lint goal files."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from okrctl.commands.common import check_trees, needs_details, report_skipped
from okrctl.lint import LintResult, finish, project_problems
from okrctl.reporters import ReportOptions, reporter
from okrctl.rules import LintContext


@dataclass(frozen=True)
class LintOptions:
    paths: list[Path]
    output_format: str
    strict: bool
    as_of: date
    report: ReportOptions
    cross_file: bool = True
    jobs: int = 1
    use_cache: bool = True


def collect(
    paths: list[Path], as_of: date, cross_file: bool = True, jobs: int = 1, use_cache: bool = True
) -> LintResult:
    """Find the goal files under `paths`, run the per-file stage, then the cross-file rules over them all.

    Each goals root under `paths` (a folder with its own okrctl.yaml) is judged with its own config.
    """
    result = LintResult([], [])
    for tree in check_trees(paths, as_of, jobs, use_cache, with_context=cross_file):
        config = tree.loaded.config
        raw = list(tree.problems)
        if cross_file:
            if needs_details(tree.everything, as_of):
                for file in tree.everything:
                    file.load_details()
            asked = {f.path for f in tree.files}
            cross = project_problems(tree.everything, LintContext(config, as_of))
            raw += [(code, problem) for code, problem in cross if problem.path in asked]
        result.findings += finish(raw, tree.files, config)
        result.paths += [f.path for f in tree.files]
        result.skipped += tree.skipped
    result.findings.sort()
    return result


def run(options: LintOptions) -> int:
    result = collect(options.paths, options.as_of, options.cross_file, options.jobs, options.use_cache)
    report_skipped(result.skipped)
    sys.stdout.write(reporter("lint", options.output_format)(result, options.report))
    failing = result.errors or (options.strict and result.warnings)
    return 1 if failing else 0
