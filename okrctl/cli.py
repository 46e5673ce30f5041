"""The command line: parse options, call the core, return an exit code.

Heavy modules (pydantic models, rules, Rich) are imported inside the commands so `okrctl --help` stays fast.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from okrctl import __version__

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


def _color() -> bool:
    return sys.stdout.isatty() and "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"


@app.command("lint")
def lint_command(
    paths: PathsArgument = None,
    output_format: Annotated[
        str | None,
        typer.Option(
            "--format",
            metavar="text|json|github",
            help="Report format (default: text, or github when GITHUB_ACTIONS=true).",
            show_default=False,
        ),
    ] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Exit 1 on warnings too.")] = False,
    as_of: AsOfOption = None,
) -> None:
    """Validate goal files and check them against good-practice rules."""
    from okrctl.commands.lint import LintOptions, run
    from okrctl.reporters import LINT_FORMATS, ReportOptions

    if output_format is None:
        output_format = "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"
    if output_format not in LINT_FORMATS:
        raise typer.BadParameter(f"{output_format!r} is not one of {', '.join(LINT_FORMATS)}", param_hint="'--format'")
    options = LintOptions(
        paths=list(paths or []),
        output_format=output_format,
        strict=strict,
        as_of=_as_of(as_of),
        report=ReportOptions(color=_color()),
    )
    _exit(lambda: run(options))


def _exit(command: Callable[[], int]) -> NoReturn:
    """Run a command and exit with its code; user errors exit 2 with one clean line, bugs say so."""
    from okrctl.errors import UserError

    try:
        code = command()
    except UserError as error:
        print(f"okrctl: error: {error}", file=sys.stderr)
        raise typer.Exit(error.exit_code) from None
    except KeyboardInterrupt:
        raise typer.Exit(130) from None
    except Exception as error:  # a bug: report it plainly, keep the traceback for OKRCTL_DEBUG
        if os.environ.get("OKRCTL_DEBUG"):
            raise
        print(
            f"okrctl: internal error (this is a bug, please report it): {type(error).__name__}: {error}\n"
            "okrctl: set OKRCTL_DEBUG=1 to see the traceback",
            file=sys.stderr,
        )
        raise typer.Exit(2) from None
    raise typer.Exit(code)
