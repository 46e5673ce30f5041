"""`okrctl score`, `status`, `kpis` and `tree`: compute the report, print it, and say what was left out.

The four commands differ only in their reporter (and `kpis` in its `--fail-on` gate), so they share one
flow: every valid file is reported, the errors of invalid ones go to stderr, and exit 1 if any was left out.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from okrctl.commands.common import compute, report_skipped
from okrctl.errors import UserError
from okrctl.reporters import ReportOptions, renderables, reporter
from okrctl.reporters.formatting import export
from okrctl.reporters.safe_text import one_line
from okrctl.reporters.text import finding_line
from okrctl.rules.base import plural

FAIL_LEVELS = {"red": ("red",), "amber": ("amber", "red")}


@dataclass(frozen=True)
class ReportCommandOptions:
    command: str
    paths: list[Path]
    output_format: str
    as_of: date
    report: ReportOptions
    period: str | None = None
    owner: str | None = None
    export: Path | None = None
    fail_on: str | None = None
    jobs: int = 1
    use_cache: bool = True


def run(options: ReportCommandOptions) -> int:
    if options.export is not None and options.export.suffix.lower() not in (".svg", ".html", ".htm"):
        raise UserError(f"--export: {options.export} must end in .svg or .html")
    computed = compute(
        options.paths,
        options.as_of,
        options.period,
        options.owner,
        options.jobs,
        options.use_cache,
        objectives=options.command != "kpis",
    )
    report_skipped(computed.tree.skipped)
    for finding in computed.errors:
        print(finding_line(finding), file=sys.stderr)
    if computed.left_out:
        files = plural(len(computed.left_out), "file")
        print(f"okrctl: {files} left out of the report because of the errors above", file=sys.stderr)
    sys.stdout.write(reporter(options.command, options.output_format)(computed.report, options.report))
    if options.export is not None:
        title = f"okrctl {options.command} as of {options.as_of}"
        export(renderables(options.command)(computed.report, options.report), options.export, options.report, title)
        print(f"okrctl: wrote {one_line(str(options.export))}", file=sys.stderr)
    if computed.left_out:
        return 1
    if options.fail_on is not None:
        failing = [k for k in computed.report.kpis if k.status in FAIL_LEVELS[options.fail_on]]
        if failing:
            refs = ", ".join(k.ref for k in failing)
            print(f"okrctl: {plural(len(failing), 'KPI')} at or past {options.fail_on}: {refs}", file=sys.stderr)
            return 1
    return 0
