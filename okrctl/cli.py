"""The command line: parse options, call the core, return an exit code.

Heavy modules (pydantic models, rules, Rich) are imported inside the commands so `okrctl --help` stays fast.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

from okrctl import __version__

# pydantic looks up plugins through package metadata on first use (~16 ms of every command); okrctl uses none.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

if TYPE_CHECKING:
    from okrctl.reporters import ReportOptions

app = typer.Typer(
    name="okrctl",
    help="OKRs and KPIs as YAML files next to your code: lint, score and report them.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

PathsArgument = Annotated[
    list[Path] | None,
    typer.Argument(
        help="Files or folders to check (default: the goals root, where okrctl.yaml is).", show_default=False
    ),
]
AsOfOption = Annotated[
    str | None,
    typer.Option("--as-of", metavar="YYYY-MM-DD", help="Judge time-dependent rules as of this date (default: today)."),
]


def _version(value: bool) -> None:
    if value:
        print(f"okrctl {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """OKRs and KPIs as YAML files next to your code."""


def _as_of(text: str | None) -> date:
    if text is None:
        return date.today()
    from okrctl.periods import parse_date

    try:
        return parse_date(text)
    except ValueError as error:
        raise typer.BadParameter(str(error), param_hint="'--as-of'") from None


def _color(choice: str) -> bool:
    if choice not in ("auto", "always", "never"):
        raise typer.BadParameter(f"{choice!r} is not one of auto, always, never", param_hint="'--color'")
    if choice != "auto":
        return choice == "always"
    if "NO_COLOR" in os.environ:
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return sys.stdout.isatty() and os.environ.get("TERM") != "dumb"


JobsOption = Annotated[
    int | None,
    typer.Option("--jobs", "-j", metavar="N", min=1, help="Processes for reading files (default: all cores)."),
]
CacheOption = Annotated[
    bool, typer.Option("--cache/--no-cache", help="Reuse per-file results from .okrctl-cache/ at the goals root.")
]
ColorOption = Annotated[
    str,
    typer.Option(
        "--color", metavar="auto|always|never", help="Colour: auto follows the terminal, NO_COLOR and FORCE_COLOR."
    ),
]


@app.command("lint")
def lint_command(
    paths: PathsArgument = None,
    output_format: Annotated[
        str | None,
        typer.Option(
            "--format",
            metavar="text|json|github|sarif|junit",
            help="Report format (default: text, or github when GITHUB_ACTIONS=true).",
            show_default=False,
        ),
    ] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Exit 1 on warnings too.")] = False,
    as_of: AsOfOption = None,
    cross_file: Annotated[
        bool,
        typer.Option(
            "--cross-file/--no-cross-file",
            help="Run the rules that need the whole goals tree (references, duplicates, alignment, roll-ups); "
            "pre-commit's per-file hook turns them off.",
        ),
    ] = True,
    color: ColorOption = "auto",
    jobs: JobsOption = None,
    cache: CacheOption = True,
) -> None:
    """Validate goal files and check them against good-practice rules."""
    from okrctl.commands.lint import LintOptions, run

    if output_format is None:
        output_format = "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"
    options = LintOptions(
        paths=list(paths or []),
        output_format=_format("lint", output_format),
        strict=strict,
        as_of=_as_of(as_of),
        report=_report_options(color),
        cross_file=cross_file,
        jobs=_jobs(jobs),
        use_cache=cache,
    )
    _exit(lambda: run(options))


def _jobs(jobs: int | None) -> int:
    from okrctl.pipeline import default_jobs

    return jobs or default_jobs()


def _format(command: str, name: str) -> str:
    from okrctl.reporters import formats

    known = formats(command)
    if name not in known:
        raise typer.BadParameter(f"{name!r} is not one of {', '.join(known)}", param_hint="'--format'")
    return name


def _report_options(color: str) -> ReportOptions:
    from okrctl.reporters import ReportOptions

    # COLUMNS, else the terminal's width, else 100; tables need some room whatever a CI log claims.
    width = shutil.get_terminal_size((100, 24)).columns
    return ReportOptions(color=_color(color), width=max(60, width))


FormatOption = Annotated[
    str, typer.Option("--format", metavar="table|json|markdown", help="Report format.", show_default=True)
]
PeriodOption = Annotated[
    str | None,
    typer.Option("--period", metavar="PERIOD", help="The period to report, e.g. 2026-Q4 (default: the as-of date's)."),
]
OwnerOption = Annotated[str | None, typer.Option("--owner", metavar="OWNER", help="Only this owner's goals.")]
ExportOption = Annotated[
    Path | None,
    typer.Option("--export", metavar="FILE", help="Also save the report as .svg or .html.", dir_okay=False),
]


def _report(
    command: str,
    paths: list[Path] | None,
    output_format: str,
    as_of: str | None,
    color: str,
    jobs: int | None,
    cache: bool,
    **extra: Any,
) -> None:
    from okrctl.commands.report import ReportCommandOptions, run

    options = ReportCommandOptions(
        command=command,
        paths=list(paths or []),
        output_format=_format(command, output_format),
        as_of=_as_of(as_of),
        report=_report_options(color),
        jobs=_jobs(jobs),
        use_cache=cache,
        **extra,
    )
    _exit(lambda: run(options))


def _scored_report(command: str, summary: str) -> Callable[..., None]:
    """`score` and `status`: the same options and flow, two reporters."""

    def report(
        paths: PathsArgument = None,
        period: PeriodOption = None,
        owner: OwnerOption = None,
        as_of: AsOfOption = None,
        output_format: FormatOption = "table",
        export: ExportOption = None,
        color: ColorOption = "auto",
        jobs: JobsOption = None,
        cache: CacheOption = True,
    ) -> None:
        _report(command, paths, output_format, as_of, color, jobs, cache, period=period, owner=owner, export=export)

    report.__doc__ = summary
    return report


app.command("score")(_scored_report("score", "Grade objectives and key results on the 0-1 scale (quarter end)."))
app.command("status")(
    _scored_report("status", "The live dashboard: progress against pace, confidence, forecast and KPI health.")
)


@app.command("kpis")
def kpis_command(
    paths: PathsArgument = None,
    as_of: AsOfOption = None,
    fail_on: Annotated[
        str | None,
        typer.Option("--fail-on", metavar="red|amber", help="Exit 1 when a KPI is at or past this band (a CI gate)."),
    ] = None,
    output_format: FormatOption = "table",
    color: ColorOption = "auto",
    jobs: JobsOption = None,
    cache: CacheOption = True,
) -> None:
    """KPI health: band, staleness and trend of every KPI."""
    if fail_on is not None and fail_on not in ("red", "amber"):
        raise typer.BadParameter(f"{fail_on!r} is not one of red, amber", param_hint="'--fail-on'")
    _report("kpis", paths, output_format, as_of, color, jobs, cache, fail_on=fail_on)


DateOption = Annotated[
    str | None, typer.Option("--date", metavar="YYYY-MM-DD", help="The day of the value (default: today).")
]
NoteOption = Annotated[str | None, typer.Option("--note", help="A short note kept beside the value.")]


@app.command("checkin")
def checkin_command(
    ref: Annotated[str, typer.Argument(metavar="REF", help="The key result: OWNER/OBJECTIVE/KR.")],
    value: Annotated[str, typer.Argument(metavar="VALUE", help="The new value, or done for a milestone.")],
    day: DateOption = None,
    confidence: Annotated[
        str | None, typer.Option("--confidence", metavar="0-1", help="How sure the owner is of landing it.")
    ] = None,
    note: NoteOption = None,
    period: PeriodOption = None,
) -> None:
    """Record a key result's value: appends a dated check-in (or sets current, or marks a milestone done)."""
    from okrctl.commands.edit import CheckinOptions, parse_day, run_checkin

    _exit(lambda: run_checkin(CheckinOptions(ref, value, parse_day(day), confidence, note, period)))


@app.command("measure")
def measure_command(
    ref: Annotated[str, typer.Argument(metavar="REF", help="The KPI: OWNER/KPI.")],
    value: Annotated[str, typer.Argument(metavar="VALUE", help="The measured value.")],
    day: DateOption = None,
    note: NoteOption = None,
) -> None:
    """Record a KPI measurement, kept in date order."""
    from okrctl.commands.edit import MeasureOptions, parse_day, run_measure

    _exit(lambda: run_measure(MeasureOptions(ref, value, parse_day(day), note)))


@app.command("init")
def init_command(
    folder: Annotated[Path, typer.Argument(metavar="[DIR]", help="Where to create the goals folder.")] = Path(),
    owner: Annotated[str, typer.Option("--owner", help="The team that owns the starter goals.")] = "team",
) -> None:
    """Create a starter goals folder: config, schema, one okrs and one kpis file for this quarter."""
    from okrctl.commands.init import InitOptions, run

    _exit(lambda: run(InitOptions(folder, owner)))


@app.command("schema")
def schema_command(
    output: Annotated[
        Path | None, typer.Option("--output", "-o", metavar="FILE", help="Write to FILE instead of stdout.")
    ] = None,
) -> None:
    """Print the JSON Schema of goal files, for editors (yaml-language-server, VS Code)."""

    def run() -> int:
        from okrctl.errors import UserError
        from okrctl.schema import schema_text

        if output is None:
            sys.stdout.write(schema_text())
            return 0
        try:
            output.write_text(schema_text(), encoding="utf-8")
        except OSError as error:
            raise UserError(f"cannot write {output}: {error.strerror or error}") from None
        print(f"okrctl: wrote {output}", file=sys.stderr)
        return 0

    _exit(run)


@app.command("tree")
def tree_command(
    paths: PathsArgument = None,
    period: PeriodOption = None,
    as_of: AsOfOption = None,
    color: ColorOption = "auto",
    jobs: JobsOption = None,
    cache: CacheOption = True,
) -> None:
    """The alignment tree with scores: company down to individuals, annual down to quarterly."""
    _report("tree", paths, "table", as_of, color, jobs, cache, period=period)


def _exit(command: Callable[[], int]) -> NoReturn:
    """Run a command and exit with its code; user errors exit 2 with one clean line, bugs say so."""
    from okrctl.errors import UserError
    from okrctl.reporters.safe_text import one_line  # a message can quote a path: never a second line

    try:
        code = command()
    except UserError as error:
        print(f"okrctl: error: {one_line(str(error))}", file=sys.stderr)
        raise typer.Exit(error.exit_code) from None
    except KeyboardInterrupt:
        raise typer.Exit(130) from None
    except Exception as error:  # a bug: report it plainly, keep the traceback for OKRCTL_DEBUG
        if os.environ.get("OKRCTL_DEBUG"):
            raise
        print(
            f"okrctl: internal error (this is a bug, please report it): {type(error).__name__}: {one_line(str(error))}\n"
            "okrctl: set OKRCTL_DEBUG=1 to see the traceback",
            file=sys.stderr,
        )
        raise typer.Exit(2) from None
    raise typer.Exit(code)
