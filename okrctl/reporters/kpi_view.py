"""KPI health as a table: value, band, staleness, trend and a sparkline of recent measurements."""

from __future__ import annotations

from typing import TYPE_CHECKING

from okrctl.health import KpiHealth, mean_before_latest
from okrctl.report import Report
from okrctl.reporters import ReportOptions
from okrctl.reporters.formatting import BAND_STYLE, band_bounds, number, render, renderables, sparkline, with_unit

if TYPE_CHECKING:  # Rich loads only for an export
    from rich.text import Text
from okrctl.reporters.layout import NO_BREAK, Column, Line, table
from okrctl.reporters.safe_text import one_line

TREND_STYLE = {"better": "green", "worse": "red", "flat": "dim"}


def direction(health: KpiHealth) -> str:
    """↑, ↓ or →: how the latest value moved against the mean of up to three before it."""
    if len(health.history) < 2:
        return ""
    mean = mean_before_latest(health.history)
    latest = health.history[-1]
    return "↑" if latest > mean else "↓" if latest < mean else "→"


def trend_text(health: KpiHealth) -> Line:
    if health.trend is None:
        return []
    return [(f"{direction(health)} {health.trend}", TREND_STYLE[health.trend])]


def _bounds(health: KpiHealth) -> Line:
    bounds = ", ".join(part.replace(" ", NO_BREAK) for part in band_bounds(health.bands).split(", "))
    return [(f" ({bounds})", "dim")] if bounds else []


def kpi_lines(kpis: list[KpiHealth], width: int) -> list[Line]:
    columns = [
        Column("KPI", flexible=True),
        Column("value", justify="right"),
        Column("band"),
        Column("measured"),
        Column("trend"),
        Column("last 12"),
    ]
    rows: list[list[Line]] = []
    for health in kpis:
        band: Line = [(health.status.replace("_", " "), BAND_STYLE[health.status])]
        if health.stale:
            band.append((" stale", "bold magenta"))
        value = with_unit(number(health.value), health.unit)
        rows.append(
            [
                [(health.ref, "bold"), (f" {one_line(health.title)}", None), *_bounds(health)],
                [(value, None)],
                band,
                [(health.date.isoformat() if health.date else "–", None)],
                trend_text(health),
                [(sparkline(health.history), "cyan")],
            ]
        )
    return table(columns, rows, width, gap=1 if width < 100 else 2)  # narrow: room for a whole ref


def kpis_lines(report: Report, options: ReportOptions) -> list[Line]:
    if not report.kpis:
        return [[("No KPIs found.", "dim")]]
    counts = {status: sum(1 for k in report.kpis if k.status == status) for status in ("green", "amber", "red")}
    stale = sum(1 for k in report.kpis if k.stale)
    summary: Line = [
        (f"KPI health as of {report.as_of}: ", None),
        (f"{counts['green']} green", BAND_STYLE["green"]),
        (", ", None),
        (f"{counts['amber']} amber", BAND_STYLE["amber"]),
        (", ", None),
        (f"{counts['red']} red", BAND_STYLE["red"]),
        (f", {stale} stale", None),
    ]
    for status in ("no_data", "unknown"):  # counted when present, so every KPI is in the summary
        if count := sum(k.status == status for k in report.kpis):
            summary.append((f", {count} {status.replace('_', ' ')}", None))
    return [*kpi_lines(report.kpis, options.width), summary]


def kpis_renderables(report: Report, options: ReportOptions) -> list[Text]:
    return renderables(kpis_lines(report, options))


def kpis_text(report: Report, options: ReportOptions) -> str:
    return render(kpis_lines(report, options), options)
