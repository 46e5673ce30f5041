"""The command line: parse options, call the core, return an exit code.

Each command here only parses its options into a plain object and calls `commands/<name>.py:run`
(`lint_command` → `commands/lint.py`; `score`, `status`, `kpis` and `tree` are made by `_scored_report` and
go to `commands/report.py`). The road from there to the output is told in `engine.py`'s docstring.
Heavy modules (pydantic models, rules, Rich) are imported inside the commands so `okrctl --help` stays fast.
"""

from __future__ import annotations

import gc
import os
import re
import shutil
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn, TypeVar

import typer
from typer.core import TyperCommand

from okrctl import __version__

if TYPE_CHECKING:
    from okrctl.reporters import ReportOptions


def _usage_error_class() -> type[Exception]:
    """click's UsageError, from whichever click typer runs on (typer 0.2x carries its own copy of click)."""
    for klass in typer.BadParameter.__mro__:
        if klass.__name__ == "UsageError":
            return klass
    raise RuntimeError("typer.BadParameter is not a click UsageError")  # a typer release we do not know


_Function = TypeVar("_Function", bound=Callable[..., Any])


class _Okrctl(typer.Typer):
    """The app: every usage error (unknown option, bad value, missing argument) has one shape.

    click prints some usage errors in a usage box and our commands print `okrctl: error: …`; running
    click in non-standalone mode hands us its UsageError, so both print the same way and exit 2.
    """

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if kwargs.get("standalone_mode", True) is False:  # a caller (a test runner) handles errors itself
            return super().__call__(*args, **kwargs)
        try:
            code = super().__call__(*args, **{**kwargs, "standalone_mode": False})
        except _usage_error_class() as error:
            sys.exit(_show_usage_error(error))
        except typer.Abort:
            print("okrctl: aborted", file=sys.stderr)
            sys.exit(1)
        sys.exit(code if isinstance(code, int) else 0)

    def command(self, name: str | None = None, **kwargs: Any) -> Callable[[_Function], _Function]:
        kwargs.setdefault("cls", _Command)  # every command's help names arguments by metavar
        return super().command(name, **kwargs)


def _show_usage_error(error: Any) -> int:
    if type(error).__name__ == "NoArgsIsHelpError":  # plain `okrctl`: the help, as click shows it
        error.show()
        return int(error.exit_code)
    from okrctl.reporters.safe_text import printable

    # One line, and what the user typed (an option, a value) never reaches the terminal as an escape
    # sequence: typer's own click copy escapes it, click 8.1 does not.
    message = printable(" ".join(str(error.format_message()).split()))
    context = getattr(error, "ctx", None)
    command = context.command_path if context is not None else "okrctl"
    print(f"okrctl: error: {message[:1].lower()}{message[1:]}", file=sys.stderr)
    print(f"okrctl: see '{command} --help'", file=sys.stderr)
    return 2


class _Command(TyperCommand):
    """A command whose help names each argument by its metavar, never by a Python type.

    typer shows `paths... <list[Path]>` and `REF <str>` for arguments whatever their metavar; this help is
    built from click's public help API only, so it reads the same on every typer release.
    """

    def format_help(self, ctx: Any, formatter: Any) -> None:
        params = self.get_params(ctx)
        arguments = [p for p in params if p.param_type_name == "argument"]
        formatter.write_usage(ctx.command_path, " ".join(["[OPTIONS]", *map(_argument_usage, arguments)]))
        self.format_help_text(ctx, formatter)
        if arguments:
            with formatter.section("Arguments"):
                formatter.write_dl([(_argument_usage(p), getattr(p, "help", None) or "") for p in arguments])
        records = [p.get_help_record(ctx) for p in params if p.param_type_name != "argument"]
        with formatter.section("Options"):
            formatter.write_dl([record for record in records if record])
        self.format_epilog(ctx, formatter)


def _argument_usage(argument: Any) -> str:
    name = argument.metavar or argument.name.upper()
    if argument.nargs != 1:
        name += "..."
    return name if argument.required else f"[{name}]"


app = _Okrctl(
    name="okrctl",
    help="OKRs and KPIs as YAML files next to your code: lint, score and report them.",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)

PathsArgument = Annotated[
    list[Path] | None,
    typer.Argument(
        metavar="PATH",
        help="Files or folders to check (default: the goals root, where okrctl.yaml is).",
        show_default=False,
    ),
]
AsOfOption = Annotated[
    str | None,
    typer.Option("--as-of", metavar="YYYY-MM-DD", help="Judge time-dependent rules as of this date (default: today)."),
]
ScoringDateOption = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        metavar="YYYY-MM-DD",
        help="The scoring date: values as of this day, and the period it falls in (default: today).",
    ),
]


def _version(value: bool) -> None:
    if value:
        print(f"okrctl {__version__}")
        raise typer.Exit()


def main() -> None:
    """The `okrctl` command (its console script, and `python -m okrctl`): the app, in a process of its own.

    What only such a process may do happens here, not on import, so that running `app` in process (as the
    tests do) changes nothing around it:
    - pydantic looks up plugins through package metadata on first use (~16 ms of every command); okrctl
      uses none.
    - The garbage collector stays off: the process ends with the command, and with the results of
      thousands of files alive each full collection would scan them all again, for nothing (measured at a
      third of a warm run). Peak memory is the same without it (1,000 teams, lint and status).
    - `okrctl textconv FILE`, which git runs once for every version of every file it diffs, goes straight to
      its command: running the app costs more than the command itself (typer builds a pydantic adapter for
      each option, ~250 ms of every call, measured on `git log -p` of a goal file's history).
    """
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    gc.disable()
    if len(sys.argv) == 3 and sys.argv[1] == "textconv" and not sys.argv[2].startswith("-"):
        _textconv_directly(Path(sys.argv[2]))
    app(prog_name="okrctl")


def _textconv_directly(file: Path) -> NoReturn:
    """`okrctl textconv FILE` without the app: the same command, messages and exit codes."""
    from okrctl.commands.textconv import run

    try:
        _exit(lambda: run(file))
    except typer.Exit as done:
        sys.exit(done.exit_code)


@app.callback()
def options(
    version: Annotated[
        bool, typer.Option("--version", "-V", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """OKRs and KPIs as YAML files next to your code."""


def _as_of(text: str | None) -> date:
    return _given_as_of(text) or date.today()


def _given_as_of(text: str | None) -> date | None:
    if text is None:
        return None
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
    if os.environ.get("NO_COLOR"):  # no-color.org: only a non-empty value counts; `NO_COLOR=` is not set
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return sys.stdout.isatty() and os.environ.get("TERM") != "dumb"


AtOption = Annotated[
    str | None,
    typer.Option(
        "--at",
        metavar="REV",
        help="Judge the goals as committed at this git revision, read from git without touching the work tree "
        "(--as-of then defaults to its commit date).",
    ),
]
JobsOption = Annotated[
    int | None,
    typer.Option("--jobs", "-j", metavar="N", min=1, help="Processes for reading files (default: all cores)."),
]
CacheOption = Annotated[
    bool, typer.Option("--cache/--no-cache", help="Reuse per-file results from .okrctl-cache/ at the goals root.")
]
ConfigOption = Annotated[
    Path | None,
    typer.Option(
        "--config",
        metavar="PATH",
        help="Use this okrctl.yaml (its folder is the goals root) instead of the nearest one.",
        dir_okay=False,
    ),
]


def _use_config(path: Path | None) -> None:
    from okrctl.config import use_config_file

    use_config_file(path)


ColorOption = Annotated[
    str,
    typer.Option(
        "--color", metavar="auto|always|never", help="Colour: auto follows the terminal, NO_COLOR and FORCE_COLOR."
    ),
]


@app.command("lint")
def lint_command(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            metavar="PATH",
            help="Files or folders to check (default: the goals root, where okrctl.yaml is); "
            "- reads one goal file from stdin.",
            show_default=False,
        ),
    ] = None,
    output_format: Annotated[
        str | None,
        typer.Option(
            "--format",
            metavar="text|json|github|gitlab|sarif|junit",
            help="Report format (default: text, or github when GITHUB_ACTIONS=true).",
            show_default=False,
        ),
    ] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Exit 1 on warnings too.")] = False,
    exit_zero: Annotated[
        bool, typer.Option("--exit-zero", help="Exit 0 even with error findings (usage errors still exit 2).")
    ] = False,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="Print the findings only: no summary, nothing when all is clear.")
    ] = False,
    as_of: AsOfOption = None,
    stdin_filename: Annotated[
        Path | None,
        typer.Option(
            "--stdin-filename",
            metavar="PATH",
            help="With -, judge the input as if it were this file: its config, its goals tree, its name in "
            "findings (default: <stdin>).",
        ),
    ] = None,
    cross_file: Annotated[
        bool,
        typer.Option(
            "--cross-file/--no-cross-file",
            help="Run the rules that need the whole goals tree (references, duplicates, alignment, roll-ups); "
            "a file you name is judged among the rest of its tree. --no-cross-file judges each file alone.",
        ),
    ] = True,
    history: Annotated[
        bool,
        typer.Option(
            "--history",
            help="Also judge the commits that changed the goals since the earliest current period began "
            "(OKR401-OKR405: moved targets, dropped key results, back-dated or rewritten values, moved bands); "
            "reads git history. lint.history: true in okrctl.yaml does the same.",
        ),
    ] = False,
    color: ColorOption = "auto",
    at: AtOption = None,
    jobs: JobsOption = None,
    cache: CacheOption = True,
    config: ConfigOption = None,
) -> None:
    """Validate goal files and check them against good-practice rules."""
    from okrctl.commands.lint import LintOptions, run

    _use_config(config)
    if output_format is None:
        output_format = "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"
    paths = list(paths or [])
    from_stdin = Path("-") in paths
    if from_stdin and len(paths) > 1:
        raise typer.BadParameter("- (stdin) cannot be combined with other paths", param_hint="'PATH'")
    if stdin_filename is not None and not from_stdin:
        raise typer.BadParameter("only applies when the path is - (stdin)", param_hint="'--stdin-filename'")
    if at is not None and from_stdin:
        raise typer.BadParameter("- (stdin) is not read from git", param_hint="'--at'")
    if history and from_stdin:
        raise typer.BadParameter("- (stdin) has no git history", param_hint="'--history'")
    if history and not cross_file:
        raise typer.BadParameter(
            "the history rules judge the whole goals tree (a dropped key result may have moved to another "
            "file): drop --no-cross-file",
            param_hint="'--history'",
        )
    options = LintOptions(
        paths=[] if from_stdin else paths,
        output_format=_format("lint", output_format),
        strict=strict,
        as_of=_given_as_of(as_of),
        report=_report_options(color, quiet=quiet, strict=strict),
        cross_file=cross_file,
        jobs=_jobs(jobs),
        use_cache=cache,
        exit_zero=exit_zero,
        stdin_path=(stdin_filename or Path("<stdin>")) if from_stdin else None,
        at=at,
        history=history,
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


def _report_options(color: str, quiet: bool = False, strict: bool = False) -> ReportOptions:
    from okrctl.reporters import ReportOptions

    # COLUMNS, else the terminal's width, else 100; tables need some room whatever a CI log claims.
    width = shutil.get_terminal_size((100, 24)).columns
    return ReportOptions(color=_color(color), width=max(60, width), quiet=quiet, strict=strict)


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
        as_of=_given_as_of(as_of),
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
        as_of: ScoringDateOption = None,
        output_format: FormatOption = "table",
        export: ExportOption = None,
        at: AtOption = None,
        color: ColorOption = "auto",
        jobs: JobsOption = None,
        cache: CacheOption = True,
        config: ConfigOption = None,
    ) -> None:
        _use_config(config)
        _report(
            command, paths, output_format, as_of, color, jobs, cache, period=period, owner=owner, export=export, at=at
        )

    report.__doc__ = summary
    return report


app.command("score")(_scored_report("score", "Grade objectives and key results on the 0-1 scale (quarter end)."))
app.command("status")(
    _scored_report("status", "The live dashboard: progress against pace, confidence, forecast and KPI health.")
)


@app.command("kpis")
def kpis_command(
    paths: PathsArgument = None,
    owner: OwnerOption = None,
    as_of: AsOfOption = None,
    fail_on: Annotated[
        str | None,
        typer.Option("--fail-on", metavar="red|amber", help="Exit 1 when a KPI is at or past this band (a CI gate)."),
    ] = None,
    output_format: FormatOption = "table",
    export: ExportOption = None,
    at: AtOption = None,
    color: ColorOption = "auto",
    jobs: JobsOption = None,
    cache: CacheOption = True,
    config: ConfigOption = None,
) -> None:
    """KPI health: band, staleness and trend of every KPI."""
    _use_config(config)
    if fail_on is not None and fail_on not in ("red", "amber"):
        raise typer.BadParameter(f"{fail_on!r} is not one of red, amber", param_hint="'--fail-on'")
    _report("kpis", paths, output_format, as_of, color, jobs, cache, fail_on=fail_on, owner=owner, export=export, at=at)


DateOption = Annotated[
    str | None, typer.Option("--date", metavar="YYYY-MM-DD", help="The day of the value (default: today).")
]
NoteOption = Annotated[str | None, typer.Option("--note", metavar="TEXT", help="A short note kept beside the value.")]
ReplaceOption = Annotated[
    bool,
    typer.Option("--replace", help="Replace the value already recorded for that date (else such an edit is refused)."),
]
EditFormatOption = Annotated[
    str, typer.Option("--format", metavar="text|json", help="What to print: a line, or a JSON object for scripts.")
]


class _ValueCommand(_Command):
    """A command whose VALUE may be negative without `--`: click would read `-5` as an unknown option."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:  # a click Context (typer vendors click)
        return super().parse_args(ctx, _negative_numbers_last(self.get_params(ctx), args))


# `-5`, `-.5`, `-1e3`, `-.inf`: the only short option of these commands is -h, which is no number
_NEGATIVE_NUMBER = re.compile(r"-\.?(\d|inf\b|nan\b)", re.IGNORECASE)


def _negative_numbers_last(params: list[Any], args: list[str]) -> list[str]:
    """Move the positional arguments from the first negative number on behind a `--`, options before them.

    A negative number where no option awaits its value can only be VALUE: these commands have no short option
    but -h (a value that is not a number is then refused as such).
    """
    if "--" in args:
        return args
    takes_value = {
        name for p in params if p.param_type_name == "option" and not p.is_flag and not p.count for name in p.opts
    }
    options: list[str] = []
    positional: list[str] = []
    moved: list[str] = []
    expecting_value = False
    for arg in args:
        if expecting_value:
            options.append(arg)
            expecting_value = False
        elif arg.startswith("-") and arg != "-" and not _NEGATIVE_NUMBER.match(arg):
            options.append(arg)
            expecting_value = arg in takes_value
        elif moved or _NEGATIVE_NUMBER.match(arg):
            moved.append(arg)
        else:
            positional.append(arg)
    return [*positional, *options, "--", *moved] if moved else args


@app.command("checkin", cls=_ValueCommand)
def checkin_command(
    ref: Annotated[str, typer.Argument(metavar="REF", help="The key result: OWNER/OBJECTIVE/KR.")],
    value: Annotated[
        str, typer.Argument(metavar="VALUE", help="The new value (a negative one too: -5), or done for a milestone.")
    ],
    day: DateOption = None,
    confidence: Annotated[
        str | None, typer.Option("--confidence", metavar="0-1", help="How sure the owner is of landing it.")
    ] = None,
    note: NoteOption = None,
    period: Annotated[
        str | None,
        typer.Option(
            "--period",
            metavar="PERIOD",
            help="The period of the key result, e.g. 2026-Q4, when REF is in several (default: the one holding "
            "the date).",
        ),
    ] = None,
    replace: ReplaceOption = False,
    output_format: EditFormatOption = "text",
    config: ConfigOption = None,
) -> None:
    """Record a key result's value: a dated check-in in date order (or sets current, or marks a milestone done)."""
    from okrctl.commands.edit import CheckinOptions, parse_day, run_checkin

    _use_config(config)
    fmt = _edit_format(output_format)
    _exit(lambda: run_checkin(CheckinOptions(ref, value, parse_day(day), confidence, note, period, replace, fmt)))


@app.command("measure", cls=_ValueCommand)
def measure_command(
    arguments: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="REF VALUE | PATHS",
            help="The KPI (OWNER/KPI) and its measured value (a negative one too: -5); with --from-sources, "
            "the goal files or folders to measure (default: the goals root).",
            show_default=False,
        ),
    ] = None,
    day: DateOption = None,
    note: NoteOption = None,
    source: Annotated[
        str | None,
        typer.Option(
            "--from",
            metavar="FILE",
            help="Record many measurements at once, instead of REF VALUE: a CSV file with a header row "
            "kpi,date,value[,note], or JSON lines with those keys; - reads standard input.",
        ),
    ] = None,
    from_sources: Annotated[
        bool,
        typer.Option(
            "--from-sources",
            help="Ask each KPI's datasource (its query:) for its value, for the KPIs due by their frequency on "
            "--date (default: the last complete day) or each day of --backfill.",
        ),
    ] = False,
    backfill: Annotated[
        str | None,
        typer.Option(
            "--backfill",
            metavar="START..END",
            help="With --from-sources: measure each day of the range (both included) on which a KPI is due.",
        ),
    ] = None,
    only: Annotated[
        list[str] | None,
        typer.Option(
            "--only", metavar="REF", help="With --from-sources: measure this KPI (OWNER/KPI), due or not; repeatable."
        ),
    ] = None,
    dry_run: Annotated[
        bool,
        typer.Option(
            "--dry-run", help="With --from-sources: ask the sources and show what would be written; write nothing."
        ),
    ] = False,
    replace: ReplaceOption = False,
    output_format: EditFormatOption = "text",
    jobs: Annotated[
        int | None,
        typer.Option(
            "--jobs",
            "-j",
            metavar="N",
            min=1,
            help="With --from-sources: processes for many files (default: all cores).",
        ),
    ] = None,
    config: ConfigOption = None,
) -> None:
    """Record a KPI measurement, kept in date order (one per date); or many, from a file (--from) or from the
    KPIs' datasources (--from-sources)."""
    from okrctl.commands.edit import MeasureFromOptions, MeasureOptions, parse_day, run_measure, run_measure_from

    _use_config(config)
    fmt = _edit_format(output_format)
    given = list(arguments or [])
    sources_only = [
        name for name, value in (("--backfill", backfill), ("--only", only), ("--dry-run", dry_run)) if value
    ]
    if from_sources:
        if source is not None or note is not None:
            raise typer.BadParameter(
                "the sources give the values: name no --from or --note", param_hint="'--from-sources'"
            )
        if backfill is not None and day is not None:
            raise typer.BadParameter(
                "give --date (one day) or --backfill (a range), not both", param_hint="'--backfill'"
            )
        from okrctl.commands.measure_sources import FromSourcesOptions, parse_backfill, run_measure_from_sources

        _exit(
            lambda: run_measure_from_sources(
                FromSourcesOptions(
                    [Path(p) for p in given],
                    parse_day(day),
                    parse_backfill(backfill) if backfill is not None else None,
                    list(only or []),
                    replace,
                    dry_run,
                    fmt,
                    jobs,
                )
            )
        )
    if sources_only:
        raise typer.BadParameter(f"{sources_only[0]} goes with --from-sources", param_hint=f"'{sources_only[0]}'")
    if source is not None:
        if given or day is not None or note is not None:
            raise typer.BadParameter(
                "FILE gives each measurement's KPI, date, value and note: name no REF, VALUE, --date or --note",
                param_hint="'--from'",
            )
        _exit(lambda: run_measure_from(MeasureFromOptions(source, replace, fmt)))
    if len(given) != 2:
        raise typer.BadParameter(
            "give the KPI and its value (okrctl measure OWNER/KPI VALUE), --from FILE or --from-sources"
        )
    ref, value = given
    _exit(lambda: run_measure(MeasureOptions(ref, value, parse_day(day), note, replace, fmt)))


def _edit_format(name: str) -> str:
    if name not in ("text", "json"):
        raise typer.BadParameter(f"{name!r} is not one of text, json", param_hint="'--format'")
    return name


@app.command("init")
def init_command(
    folder: Annotated[
        Path,
        typer.Argument(metavar="DIR", help="Where to create the goals folder (default: here).", show_default=False),
    ] = Path(),
    owner: Annotated[
        str, typer.Option("--owner", metavar="OWNER", help="The team that owns the starter goals.")
    ] = "team",
    period: Annotated[
        str | None,
        typer.Option(
            "--period",
            metavar="PERIOD",
            help="The period of the starter OKRs, e.g. 2027-Q1 (default: the current quarter of the fiscal year).",
        ),
    ] = None,
) -> None:
    """Create a starter goals folder: config, schema, one okrs and one kpis file for this quarter."""
    from okrctl.commands.init import InitOptions, run

    _exit(lambda: run(InitOptions(folder, owner, period)))


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
    owner: OwnerOption = None,
    as_of: ScoringDateOption = None,
    output_format: Annotated[
        str, typer.Option("--format", metavar="table|json", help="Report format.", show_default=True)
    ] = "table",
    export: ExportOption = None,
    at: AtOption = None,
    color: ColorOption = "auto",
    jobs: JobsOption = None,
    cache: CacheOption = True,
    config: ConfigOption = None,
) -> None:
    """The alignment tree with scores: company down to individuals, annual down to quarterly."""
    _use_config(config)
    _report("tree", paths, output_format, as_of, color, jobs, cache, period=period, owner=owner, export=export, at=at)


class _DiffCommand(_Command):
    """`okrctl diff`: click drops the `--` that separates revisions from paths; this keeps it as an argument."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:  # a click Context (typer vendors click)
        if "--" in args:
            split = args.index("--")
            args = [*args[:split], "--", "--", *args[split + 1 :]]  # click eats the first, the command sees the second
        return super().parse_args(ctx, args)


@app.command("diff", cls=_DiffCommand)
def diff_command(
    arguments: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="REVISION_OR_PATH",
            help="[BASE] [HEAD] [-- PATH...], as git diff takes them: no revision compares the merge base with the "
            "default branch and the working tree; one compares it with the working tree; A..B and A...B are "
            "ranges. Paths (after --, or existing ones) narrow the comparison.",
            show_default=False,
        ),
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            metavar="YYYY-MM-DD",
            help="Judge both sides as of this date: scores, pace and KPI bands (default: today).",
        ),
    ] = None,
    output_format: Annotated[
        str, typer.Option("--format", metavar="text|json|markdown|github", help="Report format.", show_default=True)
    ] = "text",
    color: ColorOption = "auto",
    jobs: JobsOption = None,
    cache: CacheOption = True,
    config: ConfigOption = None,
) -> None:
    """What changed in the goals between two revisions, and the scores before and after."""
    from okrctl.commands.diff import DiffOptions, run

    _use_config(config)
    options = DiffOptions(
        arguments=list(arguments or []),
        output_format=_format("diff", output_format),
        as_of=_given_as_of(as_of),
        report=_report_options(color),
        jobs=_jobs(jobs),
        use_cache=cache,
    )
    _exit(lambda: run(options))


@app.command("history")
def history_command(
    ref: Annotated[
        str,
        typer.Argument(
            metavar="REF",
            help="A key result (OWNER/OBJECTIVE/KR), an objective (OWNER/OBJECTIVE) or a KPI (OWNER/KPI).",
        ),
    ],
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            metavar="PATH",
            help="Files or folders to find REF in (default: the goals root, where okrctl.yaml is).",
            show_default=False,
        ),
    ] = None,
    period: Annotated[
        str | None,
        typer.Option(
            "--period",
            metavar="PERIOD",
            help="The period of REF when it is in several, e.g. 2026-Q4 (default: the as-of date's, else the latest).",
        ),
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            metavar="YYYY-MM-DD",
            help="Show the commits up to this day, and choose REF's period by it (default: today).",
        ),
    ] = None,
    output_format: Annotated[
        str, typer.Option("--format", metavar="text|json", help="Report format.", show_default=True)
    ] = "text",
    color: ColorOption = "auto",
    cache: CacheOption = True,
    config: ConfigOption = None,
) -> None:
    """Each commit that changed a key result, an objective or a KPI: what changed, and its value and score after."""
    from okrctl.commands.history import HistoryOptions, run

    _use_config(config)
    options = HistoryOptions(
        ref=ref,
        paths=list(paths or []),
        output_format=_format("history", output_format),
        as_of=_given_as_of(as_of),
        period=period,
        report=_report_options(color),
        use_cache=cache,
    )
    _exit(lambda: run(options))


@app.command("notify")
def notify_command(
    paths: PathsArgument = None,
    since: Annotated[
        str | None,
        typer.Option(
            "--since",
            metavar="REV",
            help="Only the events caused after this git revision: measurements and check-ins it does not hold, "
            "commits after it, time after its commit's day (a rerun sends nothing new).",
        ),
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", metavar="YYYY-MM-DD", help="Judge the events up to this day (default: today)."),
    ] = None,
    dry_run: Annotated[
        bool,
        typer.Option("--dry-run", help="Print the events, where they go and each channel's message; send nothing."),
    ] = False,
    test: Annotated[
        str | None,
        typer.Option("--test", metavar="CHANNEL", help="Send this channel a test message, and nothing else."),
    ] = None,
    kind: Annotated[
        list[str] | None,
        typer.Option(
            "--kind",
            metavar="KIND",
            help="Only events of these kinds (repeatable, or comma-separated): enter_amber, enter_red, recover, "
            "stale, off_track, goalpost, reminder.",
        ),
    ] = None,
    link: Annotated[
        str | None,
        typer.Option(
            "--link",
            metavar="URL",
            help="Link each event to its goal file: this address followed by the file's path as okrctl shows it "
            "(e.g. https://github.com/ORG/REPO/blob/COMMIT/, run from the repository's top).",
        ),
    ] = None,
    output_format: Annotated[
        str, typer.Option("--format", metavar="text|json", help="Output format.", show_default=True)
    ] = "text",
    jobs: JobsOption = None,
    cache: CacheOption = True,
    config: ConfigOption = None,
) -> None:
    """Tell people what happened to the goals (KPI bands, stale KPIs, objectives off track, goal posts moved,
    reminders): each channel of the config's notify rules gets one message (exit 3 when one cannot be sent)."""
    from okrctl.commands.notify import NotifyOptions, run

    _use_config(config)
    options = NotifyOptions(
        paths=list(paths or []),
        since=since,
        as_of=_given_as_of(as_of),
        output_format=_format("notify", output_format),
        report=_report_options("never"),
        dry_run=dry_run,
        jobs=_jobs(jobs),
        use_cache=cache,
        test_channel=test,
        kinds=_event_kinds(kind or []),
        link=_link_base(link),
    )
    _exit(lambda: run(options))


def _link_base(given: str | None) -> str | None:
    from okrctl.notify.payloads import link_problem

    problem = link_problem(given) if given is not None else None
    if problem is not None:
        raise typer.BadParameter(problem, param_hint="'--link'")
    return given


def _event_kinds(given: list[str]) -> frozenset[str]:
    from okrctl.config import EVENT_KINDS
    from okrctl.validation import did_you_mean

    kinds = frozenset(name.strip() for item in given for name in item.split(",") if name.strip())
    for name in sorted(kinds - set(EVENT_KINDS)):
        raise typer.BadParameter(
            f"{name!r} is not an event kind{did_you_mean(name, list(EVENT_KINDS))}", param_hint="'--kind'"
        )
    return kinds


@app.command("owners")
def owners_command(
    paths: PathsArgument = None,
    output_format: Annotated[
        str, typer.Option("--format", metavar="text|json", help="Report format.", show_default=True)
    ] = "text",
    jobs: JobsOption = None,
    cache: CacheOption = True,
    config: ConfigOption = None,
) -> None:
    """List the owners of goal files, with their periods and KPI counts (the names --owner takes)."""
    from okrctl.commands.owners import run

    _use_config(config)
    if output_format not in ("text", "json"):
        raise typer.BadParameter(f"{output_format!r} is not one of text, json", param_hint="'--format'")
    _exit(lambda: run(list(paths or []), output_format, _jobs(jobs), cache))


@app.command("rule")
def rule_command(
    code: Annotated[
        str | None,
        typer.Argument(metavar="CODE", help="A rule code or name, e.g. OKR007 or zero-range.", show_default=False),
    ] = None,
    every: Annotated[bool, typer.Option("--all", help="Print the documentation of every rule.")] = False,
) -> None:
    """Explain a lint rule (its documentation), or list the rules' codes and names."""
    from okrctl.commands.rule import run

    _exit(lambda: run(code, every))


@app.command("textconv")
def textconv_command(
    file: Annotated[
        Path, typer.Argument(metavar="FILE", help="The goal file: git passes a copy of each version it diffs.")
    ],
) -> None:
    """Print a goal file as one fact per line, for git's diff driver: git diff and git log -p in goal terms."""
    from okrctl.commands.textconv import run

    _exit(lambda: run(file))


@app.command("plan")
def plan_command(
    period: Annotated[
        str, typer.Argument(metavar="PERIOD", help="The period to plan, e.g. 2027-Q1.", show_default=False)
    ],
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            metavar="PATH",
            help="Plan from the okrs files under these paths only (default: all; the whole goals root is read).",
            show_default=False,
        ),
    ] = None,
    from_period: Annotated[
        str | None,
        typer.Option(
            "--from",
            metavar="PERIOD",
            help="The period to carry goals from (default: the one just before PERIOD in the fiscal calendar).",
        ),
    ] = None,
    owners: Annotated[
        list[str] | None,
        typer.Option("--owner", metavar="OWNER", help="Plan this owner only (repeat for several; default: all)."),
    ] = None,
    carry: Annotated[
        str,
        typer.Option(
            "--carry",
            metavar="unfinished|all|none",
            help="Which objectives to carry: unfinished (not graded green, or a commitment below 1.0), all, none.",
        ),
    ] = "unfinished",
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of", metavar="YYYY-MM-DD", help="Score the old period as of this date (default: its last day)."
        ),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Print the files that would be written, with their text; write none.")
    ] = False,
    output_format: Annotated[
        str, typer.Option("--format", metavar="text|json", help="Report format.", show_default=True)
    ] = "text",
    config: ConfigOption = None,
) -> None:
    """Write each owner's okrs file for PERIOD from their file of the period before, carrying what is unfinished."""
    from okrctl.commands.plan import PlanOptions, run
    from okrctl.planning import CARRY_MODES

    _use_config(config)
    mode = next((m for m in CARRY_MODES if m == carry), None)
    if mode is None:
        raise typer.BadParameter(f"{carry!r} is not one of {', '.join(CARRY_MODES)}", param_hint="'--carry'")
    fmt = _edit_format(output_format)
    day = _given_as_of(as_of)
    options = PlanOptions(period, list(paths or []), from_period, tuple(owners or ()), mode, day, dry_run, fmt)
    _exit(lambda: run(options))


@app.command("site")
def site_command(
    output: Annotated[
        Path,
        typer.Option(
            "--output",
            "-o",
            metavar="DIR",
            help="The folder to write the site into: new, empty, or made by okrctl site before.",
            file_okay=False,
        ),
    ],
    paths: PathsArgument = None,
    as_of: ScoringDateOption = None,
    period: PeriodOption = None,
    base_url: Annotated[
        str | None,
        typer.Option("--base-url", metavar="URL", help="Where the site is published: the pages' canonical address."),
    ] = None,
    history: Annotated[
        bool,
        typer.Option(
            "--history/--no-history",
            help="Mark the target changes git history holds (OKR401) on the key results' charts.",
        ),
    ] = True,
    jobs: JobsOption = None,
    cache: CacheOption = True,
    config: ConfigOption = None,
) -> None:
    """Build a static HTML site of the goals: overview, a page per owner and per KPI, the alignment tree."""
    from okrctl.commands.site import SiteOptions, run

    _use_config(config)
    options = SiteOptions(
        paths=list(paths or []),
        output=output,
        as_of=_given_as_of(as_of),
        period=period,
        base_url=base_url,
        history=history,
        jobs=_jobs(jobs),
        use_cache=cache,
    )
    _exit(lambda: run(options))


@app.command("fmt")
def fmt_command(
    paths: PathsArgument = None,
    check: Annotated[
        bool, typer.Option("--check", help="Write nothing; list the files that would change and exit 1 if any.")
    ] = False,
    diff: Annotated[
        bool, typer.Option("--diff", help="Write nothing; print what would change as a unified diff.")
    ] = False,
    jobs: JobsOption = None,
    cache: Annotated[
        bool, typer.Option("--cache/--no-cache", help="Skip files .okrctl-cache/ knows are laid out already.")
    ] = True,
    config: ConfigOption = None,
) -> None:
    """Lay goal files out in one canonical layout, keeping every comment and what the files mean."""
    from okrctl.commands.fmt import FmtOptions, run

    _use_config(config)
    _exit(lambda: run(FmtOptions(list(paths or []), check, diff, _jobs(jobs), cache)))


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
