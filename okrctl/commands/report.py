"""`okrctl score`, `status`, `kpis` and `tree`: compute the report, print it, and say what was left out.

The four commands differ only in their reporter (and `kpis` in its `--fail-on` gate), so they share one
flow: load the goals root (`load_root`), let the engine score it (`engine.report_root`), print the findings
that left files out on stderr, and the report on stdout; exit 1 if any file was left out.
"""

from __future__ import annotations

import dataclasses
import errno
import os
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from okrctl.commands.common import at_revision, load_root, report_skipped
from okrctl.engine import ReportResult, report_root
from okrctl.errors import UserError
from okrctl.periods import Period, PeriodError, parse_period
from okrctl.report import check_owner
from okrctl.reporters import ReportOptions, renderables, reporter
from okrctl.reporters.formatting import EXPORT_WIDTH, export
from okrctl.reporters.safe_text import one_line
from okrctl.reporters.text import finding_line
from okrctl.rules.base import plural
from okrctl.safe_files import create_temporary, refuse_unless_file, replace_with

if TYPE_CHECKING:
    from okrctl.revision import Revision

FAIL_LEVELS = {"red": ("red",), "amber": ("amber", "red")}


@dataclass(frozen=True)
class ReportCommandOptions:
    command: str
    paths: list[Path]
    output_format: str
    as_of: date | None  # None: today, or with `at` its commit's date
    report: ReportOptions
    period: str | None = None
    owner: str | None = None
    export: Path | None = None
    fail_on: str | None = None
    jobs: int = 1
    use_cache: bool = True
    at: str | None = None  # report the goals as committed at this revision


def compute(
    paths: list[Path],
    as_of: date,
    period: str | None = None,
    owner: str | None = None,
    jobs: int = 1,
    use_cache: bool = True,
    objectives: bool = True,
    revision: Revision | None = None,
) -> ReportResult:
    """Load the goals root under `paths` (as committed at `revision`, if given) and score it (see
    `engine.report_root`); named files are judged among the rest of their root."""
    if revision is not None:
        from okrctl.revision import load_root_at

        root = load_root_at(revision, paths, as_of, jobs, with_context=True)
    else:
        root = load_root(paths, as_of, jobs, use_cache, with_context=True)
    wanted: Period | None = None
    if period is not None:
        try:
            wanted = parse_period(period, root.loaded.config.fiscal_year_start)
        except PeriodError as error:
            raise UserError(f"--period: {error}") from None
    return report_root(root, as_of, wanted, owner, objectives)


def run(options: ReportCommandOptions) -> int:
    revision, as_of = at_revision(options.at, options.as_of, options.paths)
    options = dataclasses.replace(options, as_of=as_of)
    if options.export is not None:
        if options.export.suffix.lower() not in (".svg", ".html", ".htm"):
            raise UserError(f"--export: {options.export} must end in .svg or .html")
        _writable(options.export)  # before the work: a typo in the folder fails at once, with nothing printed
    computed = compute(
        options.paths,
        as_of,
        options.period,
        options.owner,
        options.jobs,
        options.use_cache,
        objectives=options.command != "kpis",
        revision=revision,
    )
    if options.owner is not None:
        check_owner(options.owner, computed.root.everything)
    say_left_out(computed)
    if options.export is not None:  # first: if it fails, the command fails whole, without a printed report
        _export(options, computed)
    sys.stdout.write(reporter(options.command, options.output_format)(computed.report, options.report))
    if options.export is not None:
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


def say_left_out(computed: ReportResult) -> None:
    """Print on stderr what the report left out and why: the paths skipped, the findings, the notes."""
    report_skipped(computed.root.skipped)
    for finding in computed.findings:
        print(finding_line(finding), file=sys.stderr)
    for note in computed.notes:
        print(note, file=sys.stderr)
    if computed.findings:  # else the notes said it
        files = plural(len(computed.left_out), "file")
        said = "errors" if all(f.severity == "error" for f in computed.findings) else "findings"
        print(f"okrctl: {files} left out of the report because of the {said} above", file=sys.stderr)


def _writable(path: Path) -> None:
    """Raise a UserError unless `path` can be an export: in an existing folder, and not a link or a non-file.

    The user names the path, so it may be anywhere; but never through a symbolic link (a repository can commit
    `report.html` as a link to a file of yours, or to a path that does not exist yet).
    """
    try:
        refuse_unless_file(path)
        if not path.parent.is_dir():
            raise FileNotFoundError(errno.ENOENT, os.strerror(errno.ENOENT))
    except OSError as error:
        raise UserError(f"cannot write {path}: {error.strerror or error}") from None


def _export(options: ReportCommandOptions, computed: ReportResult) -> None:
    """Save the report as SVG or HTML, atomically: a reader sees the old export or the new one, never a part.

    `score` and `status` as HTML are a page of the static site's kinds (see `okrctl.site`): the overview,
    each owner's objectives and key results, each KPI with its chart. The rest is the terminal's picture."""
    path = options.export
    assert path is not None
    title = f"okrctl {options.command} as of {options.as_of}"
    try:
        descriptor, temporary = create_temporary(path.parent, path.name, suffix=path.suffix)  # the suffix: the format
        os.close(descriptor)
        try:
            if options.command in ("score", "status") and path.suffix.lower() in (".html", ".htm"):
                from okrctl.site.pages import SiteBuilder

                page = SiteBuilder(computed, one_page=True).report_page(options.command)
                temporary.write_text(page, encoding="utf-8")
            else:
                wide = dataclasses.replace(options.report, width=max(EXPORT_WIDTH, options.report.width))
                export(renderables(options.command)(computed.report, wide), temporary, wide, title)
            replace_with(temporary, path)
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise
    except OSError as error:
        raise UserError(f"cannot write {path}: {error.strerror or error}") from None
