"""`okrctl lint`: validate and lint goal files."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from okrctl.commands.common import load_tree
from okrctl.lint import LintResult, lint
from okrctl.reporters import ReportOptions, reporter


@dataclass(frozen=True)
class LintOptions:
    paths: list[Path]
    output_format: str
    strict: bool
    as_of: date
    report: ReportOptions
    cross_file: bool = True


def collect(paths: list[Path], as_of: date, cross_file: bool = True) -> LintResult:
    """Load the config, find and load goal files under `paths`, and lint them."""
    tree = load_tree(paths, with_context=cross_file)
    asked = {f.path for f in tree.files}
    findings = [f for f in lint(tree.everything, tree.loaded.config, as_of, cross_file) if f.path in asked]
    return LintResult(findings, [f.path for f in tree.files], tree.skipped)


def run(options: LintOptions) -> int:
    result = collect(options.paths, options.as_of, options.cross_file)
    for path in result.skipped:
        print(f"okrctl: {path}: not a goal file (no kind: okrs or kind: kpis), skipped", file=sys.stderr)
    sys.stdout.write(reporter("lint", options.output_format)(result, options.report))
    failing = result.errors or (options.strict and result.warnings)
    return 1 if failing else 0
