"""Small, shared pieces of the human-readable reports: numbers, grades, bars and sparklines."""

from __future__ import annotations

import io
from collections.abc import Iterable
from pathlib import Path

from rich.console import Console, RenderableType
from rich.text import Text

from okrctl.reporters import ReportOptions

GRADE_STYLE = {"green": "bold green", "yellow": "bold yellow", "red": "bold red"}
BAND_STYLE = {"green": "green", "amber": "yellow", "red": "bold red", "no_data": "dim", "unknown": "dim"}
STATUS_STYLE = {
    "on_track": "green",
    "at_risk": "yellow",
    "off_track": "bold red",
    "not_started": "dim",
    "ended": "cyan",
}
STATUS_WORDS = {
    "on_track": "on track",
    "at_risk": "at risk",
    "off_track": "off track",
    "not_started": "not started",
    "ended": "ended",
}
_SPARKS = "▁▂▃▄▅▆▇█"


def number(value: float | None) -> str:
    """1150000 → 1,150,000; 4.10 → 4.1; None → –."""
    if value is None:
        return "–"
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def with_unit(value: float | None, unit: str | None) -> str:
    text = number(value)
    if value is None or not unit:
        return text
    return f"{text}{unit}" if unit.startswith(("%", "/")) else f"{text} {unit}"


def score_text(score: float | None) -> str:
    return "–" if score is None else f"{score:.2f}"


def bar(score: float, expected: float | None, width: int) -> Text:
    """A progress bar of `width` cells, with a mark where the expected pace stands."""
    filled = round(min(1.0, max(0.0, score)) * width)
    mark = None if expected is None else min(width - 1, round(expected * width))
    text = Text()
    for cell in range(width):
        if cell == mark:
            text.append("│", style="bold magenta")
        elif cell < filled:
            text.append("█", style="cyan")
        else:
            text.append("░", style="dim")
    return text


def sparkline(values: Iterable[float], width: int = 12) -> str:
    """The last `width` values as block characters scaled between their minimum and maximum."""
    recent = list(values)[-width:]
    if not recent:
        return ""
    low, high = min(recent), max(recent)
    if high == low:
        return _SPARKS[3] * len(recent)
    return "".join(_SPARKS[round((v - low) / (high - low) * (len(_SPARKS) - 1))] for v in recent)


def console(options: ReportOptions, file: io.StringIO, record: bool = False) -> Console:
    return Console(
        file=file,
        force_terminal=options.color,
        no_color=not options.color,
        color_system="standard" if options.color else None,
        width=options.width,
        highlight=False,
        emoji=False,
        markup=False,  # titles and notes are the user's text: `[/]` in a title must print, not parse as markup
        record=record,
        legacy_windows=False,
    )


def render(renderables: Iterable[RenderableType], options: ReportOptions) -> str:
    buffer = io.StringIO()
    out = console(options, buffer)
    for renderable in renderables:
        out.print(renderable)
    text = buffer.getvalue()
    if options.color:
        return text
    return "".join(line.rstrip() + "\n" for line in text.splitlines())  # tables pad cells with spaces


def export(renderables: Iterable[RenderableType], path: Path, options: ReportOptions, title: str) -> None:
    """Save the report as SVG or HTML (by the file's suffix), in colour whatever the terminal."""
    recorder = console(ReportOptions(color=True, width=options.width), io.StringIO(), record=True)
    for renderable in renderables:
        recorder.print(renderable)
    if path.suffix.lower() == ".svg":
        recorder.save_svg(str(path), title=title)
    else:
        recorder.save_html(str(path))
