"""Charts as inline SVG, drawn when the site is built: pure functions from dated values to SVG text.

No script runs in the reader's browser and nothing is fetched: each chart is a `<svg role="img">` with a
`<title>` and an `aria-label` that say in words what it shows, so a screen reader (and a test) can read it.
Every user text is escaped here; the templates mark the result safe.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from html import escape

WIDTH = 640
HEIGHT = 220
_LEFT, _RIGHT, _TOP, _BOTTOM = 64, 16, 12, 28  # the plot's margins: room for the axis labels
_MARKER_ROW = 13  # the height of a row of marker labels
DOTTED_POINTS = 24


@dataclass(frozen=True)
class Band:
    """A KPI band to draw behind the values: `low` / `high` None means open on that side."""

    name: str  # green or amber
    low: float | None
    high: float | None


@dataclass(frozen=True)
class Marker:
    """A dated event drawn as a vertical line with a short label, e.g. a target changed."""

    day: date
    label: str


@dataclass(frozen=True)
class Line:
    """A straight line between two dated values, e.g. the expected pace from start to target."""

    start: tuple[date, float]
    end: tuple[date, float]
    label: str


def _finite(points: Sequence[tuple[date, float]]) -> list[tuple[date, float]]:
    return [(d, float(v)) for d, v in points if math.isfinite(float(v))]


@lru_cache(maxsize=1 << 16)  # a KPI's values recur: in its chart, its table, its key results' charts
def label_number(value: float) -> str:
    from okrctl.reporters.formatting import number

    return number(value)


_SCALES = ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k"))


def tick_number(value: float) -> str:
    """An axis label that fits the margin: three significant digits, thousands as k, M, B, T (2,066,666.67 →
    2.07M; 12.5 → 12.5; 0.000123 → 0.000123). The exact values are in each point's tooltip."""
    magnitude = abs(value)
    if magnitude >= 1e15 or 0 < magnitude < 1e-3:
        return f"{value:.2e}"  # beyond the suffixes, or tiny: 1.08e+16, 1.23e-07
    for size, suffix in _SCALES:
        if magnitude >= size:
            return f"{value / size:.3g}{suffix}"
    return f"{value:.3g}"


class _Scale:
    """Days to x and values to y inside the plot; halves the values first when their span overflows."""

    def __init__(self, first: date, last: date, low: float, high: float) -> None:
        self.first = first
        self.days = max(1, (last - first).days)
        self.halve = math.isinf(high - low)
        low, high = (low / 2, high / 2) if self.halve else (low, high)
        if high == low:  # one value: give it room above and below
            pad = abs(high) / 10 or 1.0
            low, high = low - pad, high + pad
        self.low, self.high = low, high

    def x(self, day: date) -> float:
        share = (day - self.first).days / self.days
        return round(_LEFT + share * (WIDTH - _LEFT - _RIGHT), 2)

    def y(self, value: float) -> float:
        value = value / 2 if self.halve else value
        value = min(self.high, max(self.low, value))
        share = (value - self.low) / (self.high - self.low)
        return round(HEIGHT - _BOTTOM - share * (HEIGHT - _TOP - _BOTTOM), 2)


def _frame(label: str, body: list[str]) -> str:
    text = escape(label)
    return (
        f'<svg class="chart" role="img" aria-label="{text}" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'xmlns="http://www.w3.org/2000/svg" preserveAspectRatio="xMidYMid meet">'
        f"<title>{text}</title>{''.join(body)}</svg>"
    )


def _axes(scale: _Scale, first: date, last: date) -> list[str]:
    bottom, top = HEIGHT - _BOTTOM, _TOP
    low = scale.low * 2 if scale.halve else scale.low
    high = scale.high * 2 if scale.halve else scale.high
    return [
        f'<line class="axis" x1="{_LEFT}" y1="{top}" x2="{_LEFT}" y2="{bottom}"/>',
        f'<line class="axis" x1="{_LEFT}" y1="{bottom}" x2="{WIDTH - _RIGHT}" y2="{bottom}"/>',
        f'<text class="tick" x="{_LEFT - 6}" y="{top + 10}" text-anchor="end">{escape(tick_number(high))}</text>',
        f'<text class="tick" x="{_LEFT - 6}" y="{bottom}" text-anchor="end">{escape(tick_number(low))}</text>',
        f'<text class="tick" x="{_LEFT}" y="{HEIGHT - 8}">{first.isoformat()}</text>',
        f'<text class="tick" x="{WIDTH - _RIGHT}" y="{HEIGHT - 8}" text-anchor="end">{last.isoformat()}</text>',
    ]


def _path(scale: _Scale, points: list[tuple[date, float]]) -> list[str]:
    """The values as a line, and a dot with its date and value on each (on the latest only, past
    `DOTTED_POINTS`: a long series reads as a line, and its page lists every value)."""
    if not points:
        return []
    coordinates = " ".join(f"{scale.x(d)},{scale.y(v)}" for d, v in points)
    parts = [f'<polyline class="values" points="{coordinates}"/>'] if len(points) > 1 else []
    for day, value in points if len(points) <= DOTTED_POINTS else points[-1:]:
        tip = escape(f"{day.isoformat()}: {label_number(value)}")
        parts.append(
            f'<circle class="point" cx="{scale.x(day)}" cy="{scale.y(value)}" r="3"><title>{tip}</title></circle>'
        )
    return parts


def _range(values: list[float]) -> tuple[float, float]:
    """The lowest and highest finite value, widened by a twelfth of the span each way, so that a band that
    starts at the edge of the values still shows."""
    finite = [v for v in values if math.isfinite(v)]
    if not finite:
        return 0.0, 1.0
    low, high = min(finite), max(finite)
    pad = (high / 2 - low / 2) / 6  # halves first: finite for any two floats
    widened = max(-sys.float_info.max, low - pad)
    if low >= 0 > widened:  # values that are never negative get no negative axis (revenue, counts, rates)
        widened = 0.0
    return widened, min(sys.float_info.max, high + pad)


def _count(number: int, word: str) -> str:
    return f"{number} {word}" if number == 1 else f"{number} {word}s"


def kpi_chart(title: str, points: Sequence[tuple[date, float]], bands: Sequence[Band], unit: str | None = None) -> str:
    """A KPI's measurements over time, with its green and amber bands drawn behind them (amber first)."""
    shown = _finite(points)
    label = f"{title}: " + (
        f"{_count(len(shown), 'measurement')} from {shown[0][0]} to {shown[-1][0]}" if shown else "no measurements"
    )
    if unit:
        label += f", in {unit}"
    if not shown:
        return _frame(
            label, [f'<text class="empty" x="{WIDTH / 2}" y="{HEIGHT / 2}" text-anchor="middle">no data</text>']
        )
    bounds = [b for band in bands for b in (band.low, band.high) if b is not None]
    low, high = _range([v for _, v in shown] + bounds)
    first, last = shown[0][0], shown[-1][0]
    scale = _Scale(first, last, low, high)
    body: list[str] = []
    for band in sorted(bands, key=lambda b: b.name != "amber"):  # amber contains green: drawn first, beneath
        y_top = scale.y(band.high) if band.high is not None else _TOP
        y_bottom = scale.y(band.low) if band.low is not None else HEIGHT - _BOTTOM
        body.append(
            f'<rect class="band band-{escape(band.name)}" x="{_LEFT}" y="{y_top}" '
            f'width="{WIDTH - _LEFT - _RIGHT}" height="{max(0.0, round(y_bottom - y_top, 2))}">'
            f"<title>{escape(band.name)} band</title></rect>"
        )
    body += _axes(scale, first, last)
    body += _path(scale, shown)
    return _frame(label, body)


def progress_chart(
    title: str,
    points: Sequence[tuple[date, float]],
    period: tuple[date, date],
    pace: Line | None = None,
    goal: float | None = None,
    markers: Sequence[Marker] = (),
    unit: str | None = None,
) -> str:
    """A key result's values over its period, with the expected pace line, its goal (the target, or the
    threshold) as a level line, and dated markers (target changes); values outside the period are left out."""
    first, last = period
    shown = [(d, v) for d, v in _finite(points) if first <= d <= last]
    label = f"{title}: " + (
        f"{_count(len(shown), 'check-in')} from {shown[0][0]} to {shown[-1][0]}" if shown else "no check-ins"
    )
    if pace is not None:
        label += f"; expected pace from {label_number(pace.start[1])} to {label_number(pace.end[1])}"
    if goal is not None:
        label += f"; goal {label_number(goal)}"
    if markers:
        label += "; " + "; ".join(f"{m.label} on {m.day}" for m in markers)
    if unit:
        label += f", in {unit}"
    values = [v for _, v in shown]
    if pace is not None:
        values += [pace.start[1], pace.end[1]]
    if goal is not None:
        values.append(goal)
    low, high = _range(values)
    scale = _Scale(first, last, low, high)
    body = _axes(scale, first, last)
    if pace is not None:
        (d1, v1), (d2, v2) = pace.start, pace.end
        body.append(
            f'<line class="pace" x1="{scale.x(d1)}" y1="{scale.y(v1)}" x2="{scale.x(d2)}" y2="{scale.y(v2)}">'
            f"<title>{escape(pace.label)}</title></line>"
        )
    if goal is not None and math.isfinite(goal):
        y = scale.y(goal)
        body.append(
            f'<line class="goal" x1="{_LEFT}" y1="{y}" x2="{WIDTH - _RIGHT}" y2="{y}"><title>goal {escape(label_number(goal))}</title></line>'
        )
    inside = sorted((m for m in markers if first <= m.day <= last), key=lambda m: m.day)
    for index, marker in enumerate(inside):
        x = scale.x(marker.day)
        # Labels take turns on three rows, so markers days apart do not print over each other; a label on
        # the right half ends at its line, so none runs off the chart.
        y = _TOP + 10 + _MARKER_ROW * (index % 3)
        right = x > (_LEFT + WIDTH - _RIGHT) / 2
        text_x, anchor = (x - 3, ' text-anchor="end"') if right else (x + 3, "")
        body.append(
            f'<line class="marker" x1="{x}" y1="{_TOP}" x2="{x}" y2="{HEIGHT - _BOTTOM}">'
            f"<title>{escape(marker.label)} on {marker.day}</title></line>"
            f'<text class="marker-label" x="{text_x}" y="{y}"{anchor}>{escape(marker.label)}</text>'
        )
    body += _path(scale, shown)
    if not shown:
        body.append(
            f'<text class="empty" x="{WIDTH / 2}" y="{HEIGHT / 2}" text-anchor="middle">no check-ins yet</text>'
        )
    return _frame(label, body)
