"""The lint engine: run every rule over loaded goal files, then apply config and inline suppressions.

Rules only say where and what; the engine stamps each finding with the rule's code and name and the
severity in force (the rule's default, or the config's override), as yamllint's engine does.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from okrctl.config import Config
from okrctl.findings import Finding, Problem
from okrctl.loader import GoalFile
from okrctl.project import Project
from okrctl.rules import RULES, LintContext, matching_codes


@dataclass
class LintResult:
    findings: list[Finding]
    paths: list[str]  # the goal files checked
    skipped: list[str] = field(default_factory=list)  # named on the command line, but not goal files

    @property
    def files(self) -> int:
        return len(self.paths)

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity == "error")

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f.severity == "warning")


def file_problems(file: GoalFile, context: LintContext) -> list[tuple[str, Problem]]:
    """What loading found, and what the rules that judge one file at a time say about it."""
    problems = list(file.problems)
    if file.valid:
        for rule in RULES.values():
            if rule.check_file is not None:
                problems.extend((rule.code, problem) for problem in rule.check_file(file, context))
    return problems


def project_problems(files: list[GoalFile], context: LintContext) -> list[tuple[str, Problem]]:
    """What the cross-file rules say about the whole set of files."""
    project = Project(files)
    problems: list[tuple[str, Problem]] = []
    for rule in RULES.values():
        if rule.check_project is not None:
            problems.extend((rule.code, problem) for problem in rule.check_project(project, context))
    return problems


def lint(files: list[GoalFile], config: Config, as_of: date, cross_file: bool = True) -> list[Finding]:
    """All findings over `files`, sorted by path, position and code.

    With `cross_file=False` only the rules that judge one file at a time run: what pre-commit needs when it
    passes just the files a commit touches (references to files it did not pass would look broken).
    """
    context = LintContext(config, as_of)
    raw = [problem for file in files for problem in file_problems(file, context)]
    if cross_file:
        raw += project_problems(files, context)
    return finish(raw, files, config)


def finish(raw: Iterable[tuple[str, Problem]], files: list[GoalFile], config: Config) -> list[Finding]:
    """Apply ignores, inline suppressions and severities; stamp codes and names; sort."""
    ignored = {code for selector in config.lint.ignore for code in matching_codes(selector)}
    severity = {code: level for selector, level in config.lint.severity.items() for code in matching_codes(selector)}
    suppressions = {file.path: file.suppressions for file in files}
    findings = set()
    for code, problem in raw:
        if code in ignored or code in suppressions.get(problem.path, {}).get(problem.line, ()):
            continue
        rule = RULES[code]
        findings.add(
            Finding(
                problem.path,
                problem.line,
                problem.column,
                code,
                rule.name,
                severity.get(code, rule.severity),
                problem.message,
            )
        )
    return sorted(findings)
