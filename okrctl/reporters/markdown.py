"""GitHub-flavoured Markdown summaries for pull requests, wikis and `$GITHUB_STEP_SUMMARY` (no ANSI)."""

from __future__ import annotations

from itertools import groupby

from okrctl.health import KpiHealth
from okrctl.report import Report
from okrctl.reporters import ReportOptions
from okrctl.reporters.formatting import (
    REVIEW_MARK,
    STATUS_WORDS,
    band_bounds,
    key_result_values,
    number,
    score_text,
    with_unit,
)
from okrctl.reporters.kpi_view import direction
from okrctl.reporters.layout import plain
from okrctl.reporters.safe_text import markdown_text
from okrctl.reporters.status_view import period_line
from okrctl.scoring import ObjectiveScore

GRADE_EMOJI = {"green": "🟢", "yellow": "🟡", "red": "🔴"}
BAND_EMOJI = {"green": "🟢", "amber": "🟠", "red": "🔴", "no_data": "⚪", "unknown": "⚪"}
STATUS_EMOJI = {"on_track": "✅", "at_risk": "⚠️", "off_track": "❌", "not_started": "⏳", "ended": "🏁"}


def cell(text: str) -> str:
    """The user's text, literal inside a table cell or heading: HTML and Markdown escaped, on one line."""
    return markdown_text(text)


def _named(ref: str, title: str) -> str:
    return f"**{cell(ref)}** {cell(title)}"


def _grade(score: float, grade: str) -> str:
    return f"{score_text(score)} {GRADE_EMOJI[grade]} {grade}"


def _progress(objective: ObjectiveScore) -> str:
    """Grade once the period has ended; while it runs, the pace says how it goes (see `progress_mark`)."""
    if objective.status == "ended":
        return _grade(objective.score, objective.grade)
    return score_text(objective.score)


def score_markdown(report: Report, options: ReportOptions) -> str:
    lines = [f"## OKR scores as of {report.as_of}", ""]
    if not report.objectives:
        return "\n".join([*lines, "No objectives for the selected period and owner.", ""])
    for owner, period, summary, group in report.by_owner_and_period():
        heading = f"### {cell(owner)} · {period.label}"
        if summary is not None:
            heading += f" · {_grade(summary.score, summary.grade)}"
        lines += [
            heading,
            "",
            "| objective / key result | start → now → target | weight | score |",
            "|---|---|--:|--:|",
        ]
        for objective in group:
            described = f"roll-up of {len(objective.children)}" if objective.rollup else objective.type
            described += REVIEW_MARK[objective.review]
            name = _named(objective.ref.split("/", 1)[1], objective.title)
            lines.append(
                f"| {name} | {described} | {number(objective.weight)} | **{_grade(objective.score, objective.grade)}** |"
            )
            for kr in objective.key_results:
                manual = (
                    (f" (manual: {cell(kr.grade_note)})" if kr.grade_note else " (manual)") if kr.manual_grade else ""
                )
                name = f"↳ {cell(kr.ref.rsplit('/', 1)[1])} {cell(kr.title)}"
                values = cell(key_result_values(kr, since_start=True))
                lines.append(f"| {name} | {values} | {number(kr.weight)} | {score_text(kr.score)}{manual} |")
        lines.append("")
    return "\n".join(lines) + "\n"


def status_markdown(report: Report, options: ReportOptions) -> str:
    lines = [f"## OKR status as of {report.as_of}", ""]
    if not report.objectives:
        lines += ["No objectives for the selected period and owner.", ""]
    ordered = sorted(report.objectives, key=lambda o: (-o.period.days, o.period.start, o.owner))
    for period, group in groupby(ordered, key=lambda o: o.period):
        lines += [f"**{cell(plain(period_line(period, report)))}**", ""]
        lines += ["| objective / key result | score | expected | status | confidence | forecast | guardrails / value |"]
        lines += ["|---|--:|--:|---|--:|--:|---|"]
        for objective in group:
            guardrails = ", ".join(
                f"{cell(g.ref)} {BAND_EMOJI[g.status]}{' (stale)' if g.stale else ''}" for g in objective.guardrails
            )
            status = f"{STATUS_EMOJI[objective.status]} {STATUS_WORDS[objective.status]}"
            lines.append(
                f"| {_named(objective.ref, objective.title)} | {_progress(objective)} "
                f"| {score_text(objective.expected)} | {status} | {score_text(objective.confidence)} "
                f"| {score_text(objective.forecast)} | {guardrails} |"
            )
            for kr in objective.key_results:
                values = cell(key_result_values(kr))
                lines.append(f"| ↳ {cell(kr.ref.rsplit('/', 1)[1])} {cell(kr.title)} | {score_text(kr.score)} "
                             f"| | | {score_text(kr.confidence)} | {score_text(kr.forecast)} | {values} |")  # fmt: skip
        lines.append("")
    if report.kpis:
        lines += ["### KPIs", "", *_kpi_rows(report.kpis), ""]
    return "\n".join(lines) + "\n"


def _kpi_rows(kpis: list[KpiHealth]) -> list[str]:
    rows = ["| KPI | value | band | trend | last measured |", "|---|--:|---|---|---|"]
    for health in kpis:
        band = f"{BAND_EMOJI[health.status]} {health.status.replace('_', ' ')}" + (" · stale" if health.stale else "")
        if health.bands:
            band += f" ({band_bounds(health.bands)})"
        trend = f"{direction(health)} {health.trend}" if health.trend else ""
        date = health.date.isoformat() if health.date else "–"
        value = cell(with_unit(number(health.value), health.unit))
        rows.append(f"| {_named(health.ref, health.title)} | {value} | {band} | {trend} | {date} |")
    return rows


def kpis_markdown(report: Report, options: ReportOptions) -> str:
    lines = [f"## KPI health as of {report.as_of}", ""]
    if not report.kpis:
        return "\n".join([*lines, "No KPIs found.", ""])
    return "\n".join([*lines, *_kpi_rows(report.kpis), ""]) + "\n"
