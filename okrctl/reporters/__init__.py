"""Lint reporters, looked up by name. Each is a pure function from a result to the text to print."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from okrctl.lint import LintResult


@dataclass(frozen=True)
class ReportOptions:
    color: bool = False
    width: int = 100


LintReporter = Callable[[LintResult, ReportOptions], str]


def lint_reporter(name: str) -> LintReporter:
    """The reporter called `name`; KeyError for an unknown one."""
    if name == "text":
        from okrctl.reporters.text import lint_text

        return lint_text
    if name == "json":
        from okrctl.reporters.json import lint_json

        return lint_json
    if name == "github":
        from okrctl.reporters.github import lint_github

        return lint_github
    raise KeyError(name)


LINT_FORMATS = ("text", "json", "github")
