"""GitHub Actions workflow commands: one annotation per finding, shown inline on the pull request."""

from __future__ import annotations

from okrctl.findings import LintResult, plural
from okrctl.reporters import ReportOptions
from okrctl.reporters.safe_text import one_line


def escape_data(text: str) -> str:
    """Escape a command's message, as the Actions toolkit does (`%`, CR and LF)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a property value: the message escapes plus `:` and `,`."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def lint_github(result: LintResult, options: ReportOptions) -> str:
    lines = []
    for finding in result.findings:
        properties = ",".join(
            [
                f"file={escape_property(one_line(finding.path))}",
                f"line={finding.line}",
                f"col={finding.column}",
                f"title={escape_property(f'{finding.code} {finding.name}')}",
            ]
        )
        lines.append(f"::{finding.severity} {properties}::{escape_data(one_line(finding.message))}")
    if not options.quiet:
        lines.append(
            f"okrctl: {plural(result.errors, 'error')} and {plural(result.warnings, 'warning')} "
            f"in {plural(result.files, 'goal file')}"
        )
    return "".join(line + "\n" for line in lines)
