"""KPI health as a table: value, band, staleness, trend and a sparkline of recent measurements."""

from __future__ import annotations

from rich import box
from rich.console import RenderableType
from rich.table import Table
from rich.text import Text

from okrctl.health import KpiHealth
from okrctl.report import Report
from okrctl.reporters import ReportOptions
from okrctl.reporters.formatting import BAND_STYLE, render, sparkline, with_unit

TREND_STYLE = {"better": "green", "worse": "red", "flat": "dim"}


def direction(health: KpiHealth) -> str:
    """↑, ↓ or →: how the latest value moved against the mean of up to three before it."""
    if len(health.history) < 2:
        return ""
    before = health.history[-4:-1]
    mean = sum(before) / len(before)
    latest = health.history[-1]
    return "↑" if latest > mean else "↓" if latest < mean else "→"


def trend_text(health: KpiHealth) -> Text:
    if health.trend is None:
        return Text("")
    return Text(f"{direction(health)} {health.trend}", style=TREND_STYLE[health.trend])


def kpi_table(kpis: list[KpiHealth], title: str | None = "KPIs") -> Table:
    table = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
    table.add_column("KPI", ratio=3)
    table.add_column("value", justify="right", no_wrap=True)
    table.add_column("band", no_wrap=True)
    table.add_column("trend", no_wrap=True)
    table.add_column("last 12", no_wrap=True)
    for health in kpis:
        band = Text(health.status.replace("_", " "), style=BAND_STYLE[health.status])
        if health.stale:
            band.append(" stale", style="bold magenta")
        table.add_row(
            Text.assemble((health.ref, "bold"), f" {health.title}"),
            with_unit(health.value, health.unit),
            band,
            trend_text(health),
            Text(sparkline(health.history), style="cyan"),
        )
    return table


def kpis_renderables(report: Report, options: ReportOptions) -> list[RenderableType]:
    if not report.kpis:
        return [Text("No KPIs found.", style="dim")]
    counts = {status: sum(1 for k in report.kpis if k.status == status) for status in ("green", "amber", "red")}
    stale = sum(1 for k in report.kpis if k.stale)
    summary = Text(f"KPI health as of {report.as_of}: ")
    summary.append(f"{counts['green']} green", style=BAND_STYLE["green"])
    summary.append(", ")
    summary.append(f"{counts['amber']} amber", style=BAND_STYLE["amber"])
    summary.append(", ")
    summary.append(f"{counts['red']} red", style=BAND_STYLE["red"])
    summary.append(f", {stale} stale")
    for status in ("no_data", "unknown"):  # counted when present, so every KPI is in the summary
        if count := sum(k.status == status for k in report.kpis):
            summary.append(f", {count} {status.replace('_', ' ')}")
    return [kpi_table(report.kpis, title=None), summary]


def kpis_text(report: Report, options: ReportOptions) -> str:
    return render(kpis_renderables(report, options), options)
