"""Human-readable lint report, rendered with Rich: one line per finding, grouped by file, a summary."""

from __future__ import annotations

import io
from itertools import groupby

from rich.console import Console
from rich.text import Text

from okrctl.findings import Finding
from okrctl.lint import LintResult
from okrctl.reporters import ReportOptions
from okrctl.rules.base import plural

_SEVERITY_STYLE = {"error": "bold red", "warning": "yellow"}


def lint_text(result: LintResult, options: ReportOptions) -> str:
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        force_terminal=options.color,
        no_color=not options.color,
        color_system="standard" if options.color else None,
        width=options.width,
        soft_wrap=True,  # one finding per line, however narrow the terminal: logs and grep stay useful
        highlight=False,
        emoji=False,
    )
    for index, (_path, findings) in enumerate(groupby(result.findings, key=lambda f: f.path)):
        if index:
            console.print()
        for finding in findings:
            console.print(finding_line(finding))
    if result.findings:
        console.print()
    console.print(_summary(result))
    return buffer.getvalue()


def finding_line(finding: Finding) -> Text:
    """`path:line:col CODE severity message (name)`"""
    line = Text()
    line.append(f"{finding.path}:{finding.line}:{finding.column}", style="bold")
    line.append(" ")
    line.append(finding.code, style="cyan")
    line.append(" ")
    line.append(finding.severity, style=_SEVERITY_STYLE[finding.severity])
    line.append(" ")
    line.append(finding.message)
    line.append(f" ({finding.name})", style="dim")
    return line


def _summary(result: LintResult) -> Text:
    checked = plural(result.files, "goal file")
    if not result.findings:
        return Text(f"All clear: {checked} checked, no findings.", style="bold green")
    files = len({f.path for f in result.findings})
    style = "bold red" if result.errors else "bold yellow"
    return Text(
        f"{plural(result.errors, 'error')} and {plural(result.warnings, 'warning')} in {files} of {checked}.",
        style=style,
    )
