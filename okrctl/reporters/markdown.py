"""GitHub-flavoured Markdown summaries for pull requests, wikis and `$GITHUB_STEP_SUMMARY` (no ANSI)."""

from __future__ import annotations

from itertools import groupby

from okrctl.health import KpiHealth
from okrctl.report import Report
from okrctl.reporters import ReportOptions
from okrctl.reporters.formatting import STATUS_WORDS, number, score_text, with_unit
from okrctl.reporters.kpi_view import direction
from okrctl.reporters.score_view import REVIEW_MARK, key_result_values
from okrctl.reporters.status_view import period_line

GRADE_EMOJI = {"green": "🟢", "yellow": "🟡", "red": "🔴"}
BAND_EMOJI = {"green": "🟢", "amber": "🟠", "red": "🔴", "no_data": "⚪", "unknown": "⚪"}
STATUS_EMOJI = {"on_track": "✅", "at_risk": "⚠️", "off_track": "❌", "not_started": "⏳", "ended": "🏁"}


def cell(text: str) -> str:
    """Text safe inside a table cell: pipes escaped, line breaks folded."""
    return " ".join(text.replace("|", "\\|").split())


def _grade(score: float, grade: str) -> str:
    return f"{score_text(score)} {GRADE_EMOJI[grade]} {grade}"


def score_markdown(report: Report, options: ReportOptions) -> str:
    lines = [f"## OKR scores as of {report.as_of}", ""]
    if not report.objectives:
        return "\n".join([*lines, "No objectives for the selected period and owner.", ""])
    owner_scores = {(o.owner, o.period): o for o in report.owners}
    ordered = sorted(report.objectives, key=lambda o: (o.period.start, -o.period.days, o.owner))
    for (owner, period), group in groupby(ordered, key=lambda o: (o.owner, o.period)):
        summary = owner_scores.get((owner, period))
        heading = f"### {owner} · {period.label}"
        if summary is not None:
            heading += f" · {_grade(summary.score, summary.grade)}"
        lines += [
            heading,
            "",
            "| objective / key result | start → now → target | weight | score |",
            "|---|---|--:|--:|",
        ]
        for objective in group:
            kind = f"roll-up of {len(objective.children)}" if objective.rollup else objective.type
            kind += REVIEW_MARK[objective.review]
            name = cell(f"**{objective.ref.split('/', 1)[1]}** {objective.title}")
            lines.append(
                f"| {name} | {kind} | {number(objective.weight)} | **{_grade(objective.score, objective.grade)}** |"
            )
            for kr in objective.key_results:
                manual = (
                    (f" (manual: {cell(kr.grade_note)})" if kr.grade_note else " (manual)") if kr.manual_grade else ""
                )
                name = cell(f"↳ {kr.ref.rsplit('/', 1)[1]} {kr.title}")
                lines.append(
                    f"| {name} | {cell(key_result_values(kr))} | {number(kr.weight)} | {score_text(kr.score)}{manual} |"
                )
        lines.append("")
    return "\n".join(lines) + "\n"


def status_markdown(report: Report, options: ReportOptions) -> str:
    lines = [f"## OKR status as of {report.as_of}", ""]
    if not report.objectives:
        lines += ["No objectives for the selected period and owner.", ""]
    ordered = sorted(report.objectives, key=lambda o: (-o.period.days, o.period.start, o.owner))
    for period, group in groupby(ordered, key=lambda o: o.period):
        lines += [f"**{period_line(period, report).plain}**", ""]
        lines += ["| objective | score | expected | status | confidence | forecast | guardrails |"]
        lines += ["|---|--:|--:|---|--:|--:|---|"]
        for objective in group:
            guardrails = ", ".join(
                f"{g.ref} {BAND_EMOJI[g.status]}{' (stale)' if g.stale else ''}" for g in objective.guardrails
            )
            status = f"{STATUS_EMOJI[objective.status]} {STATUS_WORDS[objective.status]}"
            lines.append(
                f"| {cell(f'**{objective.ref}** {objective.title}')} | {_grade(objective.score, objective.grade)} "
                f"| {score_text(objective.expected)} | {status} | {score_text(objective.confidence)} "
                f"| {score_text(objective.forecast)} | {guardrails} |"
            )
        lines.append("")
    if report.kpis:
        lines += ["### KPIs", "", *_kpi_rows(report.kpis), ""]
    return "\n".join(lines) + "\n"


def _kpi_rows(kpis: list[KpiHealth]) -> list[str]:
    rows = ["| KPI | value | band | trend | last measured |", "|---|--:|---|---|---|"]
    for health in kpis:
        band = f"{BAND_EMOJI[health.status]} {health.status.replace('_', ' ')}" + (" · stale" if health.stale else "")
        trend = f"{direction(health)} {health.trend}" if health.trend else ""
        date = health.date.isoformat() if health.date else "–"
        rows.append(
            f"| {cell(f'**{health.ref}** {health.title}')} | {with_unit(health.value, health.unit)} | {band} | {trend} | {date} |"
        )
    return rows


def kpis_markdown(report: Report, options: ReportOptions) -> str:
    lines = [f"## KPI health as of {report.as_of}", ""]
    if not report.kpis:
        return "\n".join([*lines, "No KPIs found.", ""])
    return "\n".join([*lines, *_kpi_rows(report.kpis), ""]) + "\n"
