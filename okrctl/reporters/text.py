"""Human-readable lint report: one line per finding, grouped by file, a summary.

Each line is a list of (text, style) segments. Without colour (CI logs, pre-commit, pipes) they are joined
as they are; with colour, Rich renders the styles. Rich is imported only then: it is a tenth of the start-up
of a one-file lint, and printing hundreds of findings through it cost more than linting them from the cache.
"""

from __future__ import annotations

import io
from itertools import groupby
from typing import TYPE_CHECKING

from okrctl.findings import Finding, LintResult, plural
from okrctl.reporters import ReportOptions
from okrctl.reporters.layout import Line, plain
from okrctl.reporters.safe_text import guard_commands, one_line

if TYPE_CHECKING:
    from rich.text import Text

_SEVERITY_STYLE = {"error": "bold red", "warning": "yellow"}


def lint_text(result: LintResult, options: ReportOptions) -> str:
    if not options.color:
        # Straight to text, without segments: a warm run that is remembered prints thousands of findings in
        # a tenth of its time, and the segments took twice as long.
        texts: list[str] = []
        for index, (_path, findings) in enumerate(groupby(result.findings, key=lambda f: f.path)):
            if index:
                texts.append("")
            texts.extend(_plain_line(finding) for finding in findings)
        if not options.quiet:
            if result.findings:
                texts.append("")
            texts.append(plain(_summary(result)))
        return guard_commands("".join(text + "\n" for text in texts))
    lines: list[Line] = []
    for index, (_path, findings) in enumerate(groupby(result.findings, key=lambda f: f.path)):
        if index:
            lines.append([])
        lines.extend(finding_segments(finding) for finding in findings)
    if not options.quiet:  # --quiet: the findings only, so nothing at all when all is clear
        if result.findings:
            lines.append([])
        lines.append(_summary(result))
    return guard_commands(_in_colour(lines, options))


def finding_segments(finding: Finding) -> Line:
    """`path:line:col CODE severity message (name)`"""
    return [
        (f"{one_line(finding.path)}:{finding.line}:{finding.column}", "bold"),
        (" ", None),
        (finding.code, "cyan"),
        (" ", None),
        (finding.severity, _SEVERITY_STYLE[finding.severity]),
        (" ", None),
        (one_line(finding.message), None),
        (f" ({finding.name})", "dim"),
    ]


def _plain_line(finding: Finding) -> str:
    """`plain(finding_segments(finding))`, built at once (a test holds the two equal)."""
    path, message = one_line(finding.path), one_line(finding.message)
    return f"{path}:{finding.line}:{finding.column} {finding.code} {finding.severity} {message} ({finding.name})"


def finding_line(finding: Finding) -> str:
    """A finding as one line of plain text (for the notes reports print on stderr)."""
    return guard_commands(_plain_line(finding))


def _summary(result: LintResult) -> Line:
    checked = plural(result.files, "goal file")
    if not result.findings:
        return [(f"All clear: {checked} checked, no findings.", "bold green")]
    files = len({f.path for f in result.findings})
    style = "bold red" if result.errors else "bold yellow"
    errors, warnings = plural(result.errors, "error"), plural(result.warnings, "warning")
    return [(f"{errors} and {warnings} in {files} of {checked}.", style)]


def _in_colour(lines: list[Line], options: ReportOptions) -> str:
    from okrctl.reporters.formatting import console

    buffer = io.StringIO()
    out = console(options, buffer)
    for line in lines:
        # soft wrap: one finding per line, however narrow the terminal, so logs and grep stay useful
        out.print(_text(line), soft_wrap=True)
    return buffer.getvalue()


def _text(segments: Line) -> Text:
    from rich.text import Text

    text = Text()
    for part, style in segments:
        text.append(part, style=style or "")
    return text
