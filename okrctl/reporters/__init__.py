"""Reporters, looked up by command and format name. Each is a pure function from a result to text."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast


@dataclass(frozen=True)
class ReportOptions:
    color: bool = False
    width: int = 100
    quiet: bool = False  # lint: the findings only, no summary
    strict: bool = False  # lint: warnings fail too (JUnit counts them as failures)


Reporter = Callable[[Any, ReportOptions], str]

# (command, format) → "module:function". Imported on first use, so `--help` loads none of them.
_REPORTERS = {
    ("lint", "text"): "okrctl.reporters.text:lint_text",
    ("lint", "json"): "okrctl.reporters.json:lint_json",
    ("lint", "github"): "okrctl.reporters.github:lint_github",
    ("lint", "gitlab"): "okrctl.reporters.gitlab:lint_gitlab",
    ("lint", "sarif"): "okrctl.reporters.sarif:lint_sarif",
    ("lint", "junit"): "okrctl.reporters.junit:lint_junit",
    ("score", "table"): "okrctl.reporters.score_view:score_table",
    ("score", "json"): "okrctl.reporters.report_json:report_json",
    ("score", "markdown"): "okrctl.reporters.markdown:score_markdown",
    ("status", "table"): "okrctl.reporters.status_view:status_text",
    ("status", "json"): "okrctl.reporters.report_json:report_json",
    ("status", "markdown"): "okrctl.reporters.markdown:status_markdown",
    ("kpis", "table"): "okrctl.reporters.kpi_view:kpis_text",
    ("kpis", "json"): "okrctl.reporters.report_json:kpis_json",
    ("kpis", "markdown"): "okrctl.reporters.markdown:kpis_markdown",
    ("tree", "table"): "okrctl.reporters.tree_view:tree_text",
    ("tree", "json"): "okrctl.reporters.report_json:tree_json",
    ("diff", "text"): "okrctl.reporters.diff_view:diff_text",
    ("diff", "json"): "okrctl.reporters.diff_view:diff_json",
    ("diff", "markdown"): "okrctl.reporters.diff_view:diff_markdown",
    ("diff", "github"): "okrctl.reporters.diff_view:diff_github",
    ("history", "text"): "okrctl.reporters.history_view:history_text",
    ("history", "json"): "okrctl.reporters.history_view:history_json",
    ("notify", "text"): "okrctl.reporters.notify_view:notify_text",
    ("notify", "json"): "okrctl.reporters.notify_view:notify_json",
}

# Reports that can be saved as SVG or HTML with --export: command → "module:function" of its renderables.
_EXPORTABLE = {
    "score": "okrctl.reporters.score_view:score_renderables",
    "status": "okrctl.reporters.status_view:status_renderables",
    "kpis": "okrctl.reporters.kpi_view:kpis_renderables",
    "tree": "okrctl.reporters.tree_view:tree_renderables",
}


def formats(command: str) -> tuple[str, ...]:
    return tuple(name for (cmd, name) in _REPORTERS if cmd == command)


def _load(target: str) -> Any:
    module, _, function = target.partition(":")
    return getattr(importlib.import_module(module), function)


def reporter(command: str, name: str) -> Reporter:
    """The reporter for `command` called `name`; KeyError for an unknown one."""
    return cast(Reporter, _load(_REPORTERS[(command, name)]))


def renderables(command: str) -> Callable[[Any, ReportOptions], list[Any]]:
    return cast(Callable[[Any, ReportOptions], list[Any]], _load(_EXPORTABLE[command]))
