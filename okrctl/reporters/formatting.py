"""Small, shared pieces of the human-readable reports: numbers, grades, bars, sparklines, and printing lines.

The table reports are laid out by `layout` as lines of (text, style) segments; this module turns those into
plain text, ANSI colour, or Rich renderables for the SVG and HTML exports.
"""

from __future__ import annotations

import html
import io
import math
import re
from collections.abc import Iterable
from functools import cache
from itertools import groupby
from pathlib import Path
from typing import TYPE_CHECKING

from okrctl.reporters import ReportOptions
from okrctl.reporters.layout import NO_BREAK, Line
from okrctl.reporters.safe_text import guard_commands, one_line

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

    from okrctl.scoring import KeyResultScore, ObjectiveScore

GRADE_STYLE = {"green": "bold green", "yellow": "bold yellow", "red": "bold red"}
BAND_STYLE = {"green": "green", "amber": "yellow", "red": "bold red", "no_data": "dim", "unknown": "dim"}
STATUS_STYLE = {
    "on_track": "green",
    "at_risk": "yellow",
    "off_track": "bold red",
    "not_started": "dim",
    "ended": "cyan",
}
# score's marker of what OKR304 and OKR305 judge at the end of a period (`ObjectiveScore.review`)
REVIEW_MARK = {None: "", "missed_commitment": " ⚑ missed commitment", "too_easy": " ⚑ too easy"}
STATUS_WORDS = {
    "on_track": "on track",
    "at_risk": "at risk",
    "off_track": "off track",
    "not_started": "not started",
    "ended": "ended",
}
_SPARKS = "▁▂▃▄▅▆▇█"
_DIGITS = 3  # significant digits shown, and never fewer than two decimals below 1,000


def number(value: float | None, digits: int = _DIGITS) -> str:
    """1150000 → 1,150,000; 4.10 → 4.1; 0.00025 → 0.00025; 33.3333 → 33.33; None → –."""
    if value is None:
        return "–"
    value = float(value)
    magnitude = abs(value)
    if not math.isfinite(value) or magnitude >= 1e15 or 0 < magnitude < 1e-6:
        return f"{value:.{digits}g}"
    if value.is_integer():
        return f"{int(value):,}"
    decimals = max(2, digits - 1 - math.floor(math.log10(magnitude)))
    return f"{value:,.{decimals}f}".rstrip("0").rstrip(".")


def numbers(*values: float | None) -> list[str]:
    """The values formatted with enough digits that different values never print the same.

    A threshold of 99.949 against a goal of 99.95 reads `99.949`, not `99.95`.
    """
    digits = _DIGITS
    while True:
        texts = [number(v, digits) for v in values]
        clash = any(texts[i] == texts[j] and values[i] != values[j] for i in range(len(values)) for j in range(i))
        if not clash or digits >= 17:
            return texts
        digits += 1


def exact_number(value: int | float, grouped: bool = True) -> str:
    """A number for people, grouped by thousands, with every digit that tells it apart from another.

    `2000000` → `2,000,000`; `1234.5` → `1,234.5`; `0.00025` → `0.00025`; `1e-07` and `1.5e+16` as Python
    writes them (the shortest text that reads back as the same number); `2000000.0` reads `2,000,000`, as it
    is the same number. Not `grouped`: `2026`.
    """
    group = "," if grouped else ""
    if isinstance(value, int):
        return f"{value:{group}}"
    if not math.isfinite(value):
        return ".nan" if math.isnan(value) else ("-.inf" if value < 0 else ".inf")
    text = repr(value)
    if "e" in text:
        return text
    sign, digits = ("-", text[1:]) if text.startswith("-") else ("", text)
    whole, _, fraction = digits.partition(".")
    return f"{sign}{int(whole):{group}}" + ("" if fraction in ("", "0") else f".{fraction}")


def exact_numbers(*values: float | None) -> list[str]:
    """Each value with every digit it has (`exact_number`; None → –): what a change shows, old and new, so
    that neither is misstated (99.949 stays 99.949 beside 99.9)."""
    return ["–" if value is None else exact_number(value) for value in values]


def with_unit(text: str, unit: str | None) -> str:
    """A formatted number with its unit: `%` and `/10` attach (`8.3/10`), words follow a space."""
    if not unit or text == "–":
        return text
    unit = one_line(unit)
    return f"{text}{unit}" if unit.startswith(("%", "/")) else f"{text} {unit}"


def key_result_values(kr: KeyResultScore, since_start: bool = False) -> str:
    """What a key result stands at, one way for every report: its kind says how (`KeyResultKind.values_text`).

    `since_start` also shows where it started (the score tables). A phrase is joined by no-break spaces, so
    a table wraps between phrases, never inside one.
    """
    return kr.kind.values_text(kr, since_start)


def band_bounds(bands: tuple[tuple[str, float | None, float | None], ...]) -> str:
    """`green ≥ 8.5, amber ≥ 8`, or `green 95–105`: what the band words mean for this KPI."""
    parts = []
    for name, low, high in bands:
        if low is not None and high is not None:
            low_text, high_text = numbers(low, high)
            parts.append(f"{name} {low_text}–{high_text}")
        else:
            parts.append(f"{name} ≥ {number(low)}" if low is not None else f"{name} ≤ {number(high)}")
    return ", ".join(parts)


def score_text(score: float | None) -> str:
    return "–" if score is None else f"{score:.2f}"


def progress_mark(objective: ObjectiveScore) -> tuple[str, str]:
    """The word and colour for an objective: its pace while the period runs, its grade once it has ended.

    Mid-quarter a low score is normal; "0.38 red" beside "on track" only confuses (the grade is a verdict).
    """
    if objective.status == "ended":
        return objective.grade, GRADE_STYLE[objective.grade]
    return STATUS_WORDS[objective.status], STATUS_STYLE[objective.status]


def bar(score: float, expected: float | None, width: int) -> Line:
    """A progress bar of `width` cells, with a mark where the expected pace stands."""
    filled = round(min(1.0, max(0.0, score)) * width) if math.isfinite(score) else 0
    mark = None if expected is None else min(width - 1, round(expected * width))
    styles = ["bold magenta" if cell == mark else "cyan" if cell < filled else "dim" for cell in range(width)]
    marks = {"bold magenta": "│", "cyan": "█", "dim": "░"}
    return [(marks[style] * len(list(run)), style) for style, run in groupby(styles)]


def sparkline(values: Iterable[float], width: int = 12) -> str:
    """The last `width` values as block characters scaled between their minimum and maximum."""
    recent = list(values)[-width:]
    if not recent:
        return ""
    low, high = min(recent), max(recent)
    if high == low:
        return _SPARKS[3] * len(recent)
    top = len(_SPARKS) - 1
    span = high - low
    if math.isinf(span):  # the span of two finite floats can overflow (-1e308 to 1e308): scale by halves
        low, high, recent = low / 2, high / 2, [v / 2 for v in recent]
        span = high - low
    return "".join(_SPARKS[round((v - low) / span * top)] for v in recent)


@cache
def _ansi(style: str) -> tuple[str, str]:
    from rich.color import ColorSystem
    from rich.style import Style

    before, _, after = Style.parse(style).render("\0", color_system=ColorSystem.STANDARD).partition("\0")
    return before, after


def line_text(line: Line, color: bool) -> str:
    if color:
        text = "".join(f"{_ansi(style)[0]}{part}{_ansi(style)[1]}" if style else part for part, style in line)
    else:
        text = "".join(part for part, _ in line)
    return text.replace(NO_BREAK, " ").rstrip()


def render(lines: Iterable[Line], options: ReportOptions) -> str:
    """The report's lines as text, in colour or not, with no line a CI runner would read as a command."""
    return guard_commands("".join(line_text(line, options.color) + "\n" for line in lines))


def renderables(lines: Iterable[Line]) -> list[Text]:
    """The report's lines as Rich text, for the exports."""
    from rich.text import Text

    return [Text.assemble(*((part.replace(NO_BREAK, " "), style or "") for part, style in line)) for line in lines]


def console(options: ReportOptions, file: io.StringIO, record: bool = False) -> Console:
    from rich.console import Console

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


EXPORT_WIDTH = 120  # exports are read in a browser, not a terminal: wide enough that long titles stay whole

# A page that renders offline: its title, the recorded report, and no font or script from the network.
_HTML_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<title>{title}</title>
<style>
{{stylesheet}}
body {{{{ color: {{foreground}}; background-color: {{background}}; }}}}
</style>
</head>
<body>
    <pre style="font-family:Menlo,'DejaVu Sans Mono',consolas,'Courier New',monospace"><code>{{code}}</code></pre>
</body>
</html>
"""
_WEB_FONT = re.compile(r"@font-face\s*\{[^{}]*\}")  # Rich's SVG names a web font (a CDN) before its local fallback
_CREDIT = re.compile(r"<!-- Generated with Rich https?://[^ ]* -->")  # no address in the picture but its namespace


def export(texts: Iterable[Text], path: Path, options: ReportOptions, title: str) -> None:
    """Save the report as SVG or HTML (by the file's suffix), in colour whatever the terminal.

    Both carry the title (with the as-of date) and render offline: the SVG's web-font rules are dropped, so
    it uses the reader's monospace font rather than asking a CDN for one.
    """
    recorder = console(ReportOptions(color=True, width=options.width), io.StringIO(), record=True)
    for text in texts:
        recorder.print(text, soft_wrap=True)  # laid out at this width already
    if path.suffix.lower() == ".svg":
        page = _CREDIT.sub("<!-- Generated with Rich -->", _WEB_FONT.sub("", recorder.export_svg(title=title)))
    else:
        safe_title = html.escape(title).replace("{", "{{").replace("}", "}}")
        page = recorder.export_html(code_format=_HTML_PAGE.format(title=safe_title), inline_styles=False)
    path.write_text(page, encoding="utf-8")
