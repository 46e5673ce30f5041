"""The lint engine: run every rule over loaded goal files, then apply config and inline suppressions.

Rules only say where and what; the engine stamps each finding with the rule's code and name and the
severity in force (the rule's default, or the config's override), as yamllint's engine does.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date

from okrctl.config import Config
from okrctl.findings import Finding, Problem
from okrctl.loader import GoalFile
from okrctl.project import Project
from okrctl.rules import RULES, LintContext, matching_codes
from okrctl.suppression import directives, suppresses
from okrctl.validation import did_you_mean

# Errors of these rules stop a file being scored: reports leave such a file out. Errors of the other rules
# (good practice and time, even when the config raises them to errors) are lint's to gate on.
SCORING_CODES = frozenset(code for code in RULES if code <= "OKR008")


@dataclass
class LintResult:
    findings: list[Finding]
    paths: list[str]  # the goal files checked
    skipped: list[str] = field(default_factory=list)  # named on the command line, but not goal files
    searched: list[str] = field(default_factory=list)  # the paths looked in (default: the goals root)

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
    """What loading found, what the rules that judge one file at a time say about it, and any inline
    suppression that would suppress nothing."""
    problems = list(file.problems)
    if file.valid:
        for rule in RULES.values():
            if rule.check_file is not None:
                problems.extend((rule.code, problem) for problem in rule.check_file(file, context))
    problems.extend(("OKR002", problem) for problem in suppression_problems(file))
    return problems


def suppression_problems(file: GoalFile) -> Iterator[Problem]:
    """`# okrctl: ignore` comments that name no code, or a code that is no rule's and no prefix of one.

    A warning under OKR002 (the form of what is written), as the config's unknown codes are errors: a typo
    must not silently suppress nothing, yet a comment does not stop the file being scored.
    """
    for directive in directives(file.text):
        if not directive.selectors:
            message = "'# okrctl: ignore' names no rule code, so it suppresses nothing: e.g. # okrctl: ignore OKR104"
            yield Problem(file.path, directive.line, directive.column, message, "warning")
        for column, selector in directive.selectors:
            if not matching_codes(selector):
                message = (
                    f"'# okrctl: ignore' names {selector!r}, which is no rule code or prefix, so it suppresses "
                    f"nothing{did_you_mean(selector, list(RULES))}"
                )
                yield Problem(file.path, directive.line, column, message, "warning")


def stops_scoring(finding: Finding) -> bool:
    """Whether a finding leaves its file out of the reports: an error of the rules that decide scoring."""
    return finding.severity == "error" and finding.code in SCORING_CODES


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
        if code in ignored or suppresses(suppressions.get(problem.path, {}).get(problem.line, frozenset()), code):
            continue
        rule = RULES[code]
        findings.add(
            Finding(
                problem.path,
                problem.line,
                problem.column,
                code,
                rule.name,
                severity.get(code, problem.severity or rule.severity),
                problem.message,
            )
        )
    return sorted(findings)
