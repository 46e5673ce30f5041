"""`okrctl status`: the live dashboard — pace bars, status, confidence, forecast, guardrails and KPIs."""

from __future__ import annotations

from itertools import groupby

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from okrctl.periods import Period
from okrctl.report import Report
from okrctl.reporters import ReportOptions
from okrctl.reporters.formatting import (
    BAND_STYLE,
    GRADE_STYLE,
    STATUS_STYLE,
    STATUS_WORDS,
    bar,
    number,
    render,
    score_text,
    with_unit,
)
from okrctl.reporters.kpi_view import kpi_table
from okrctl.scoring import KeyResultScore, ObjectiveScore

OBJECTIVE_BAR = 24
KEY_RESULT_BAR = 10


def period_line(period: Period, report: Report) -> Text:
    text = Text(period.label, style="bold")
    if report.as_of < period.start:
        text.append(f" · starts {period.start}")
    elif report.as_of >= period.end:
        text.append(f" · ended {period.end}")
    else:
        day = (report.as_of - period.start).days + 1
        text.append(f" · day {day} of {period.days} ({day / period.days:.0%})")
    return text


def _objective(objective: ObjectiveScore, id_width: int) -> RenderableType:
    heading = Text.assemble((objective.ref, "bold"), "  ", objective.title)
    if objective.type == "committed":
        heading.append("  committed", style="magenta")
    pace_line = Text("  ")
    pace_line.append_text(bar(objective.score, objective.expected, OBJECTIVE_BAR))
    pace_line.append("  ")
    pace_line.append(score_text(objective.score), style=GRADE_STYLE[objective.grade])
    pace_line.append(f"  expected {score_text(objective.expected)}  ")
    pace_line.append(STATUS_WORDS[objective.status], style=STATUS_STYLE[objective.status])
    details = [f"confidence {score_text(objective.confidence)}", f"forecast {score_text(objective.forecast)}"]
    details = details[:1] if objective.status == "ended" else details  # no forecast once the period has ended
    if objective.rollup:
        details = [f"roll-up of {len(objective.children)}: " + ", ".join(objective.children)]
    parts: list[RenderableType] = [heading, pace_line, Padding(Text(" · ".join(details)), (0, 0, 0, 2))]
    if objective.guardrails:
        guardrails = Text("guardrails: ")
        for index, guardrail in enumerate(objective.guardrails):
            guardrails.append(f"{' · ' if index else ''}{guardrail.ref} ")
            guardrails.append(guardrail.status.replace("_", " "), style=BAND_STYLE[guardrail.status])
            guardrails.append(" (stale)" if guardrail.stale else "", style="bold magenta")
        parts.append(Padding(guardrails, (0, 0, 0, 2)))
    if objective.key_results:
        parts.append(_key_results(objective.key_results, id_width))
    return Group(*parts)


def _key_results(key_results: tuple[KeyResultScore, ...], id_width: int) -> Table:
    grid = Table.grid(padding=(0, 1), pad_edge=False)
    grid.add_column(no_wrap=True, min_width=id_width + 4, max_width=id_width + 4)  # indent + id
    grid.add_column(no_wrap=True)  # bar
    grid.add_column(justify="right", no_wrap=True)  # score
    grid.add_column()  # value of target, forecast
    for kr in key_results:
        value = _value_text(kr)
        if kr.forecast is not None:
            value += f" · forecast {score_text(kr.forecast)}"
        if kr.manual_grade:
            value += f" · manual grade: {kr.grade_note}" if kr.grade_note else " · manual grade"
        grid.add_row(
            f"    {kr.ref.rsplit('/', 1)[1]}", bar(kr.score, None, KEY_RESULT_BAR), score_text(kr.score), value
        )
    return grid


def _value_text(kr: KeyResultScore) -> str:
    if kr.kind == "metric":
        return f"{number(kr.value)} / {with_unit(kr.target, kr.unit)}"
    if kr.kind == "threshold":
        sign, bound = ("≥", kr.at_least) if kr.at_least is not None else ("≤", kr.at_most)
        return f"{with_unit(kr.value, kr.unit)}, goal {sign} {with_unit(bound, kr.unit)}"
    return "done" if kr.progress >= 1.0 else "not done"


def status_renderables(report: Report, options: ReportOptions) -> list[RenderableType]:
    renderables: list[RenderableType] = [Text(f"Status as of {report.as_of}", style="bold underline")]
    if not report.objectives:
        renderables.append(Text("No objectives for the selected period and owner.", style="dim"))
    ordered = sorted(report.objectives, key=lambda o: (-o.period.days, o.period.start, o.owner))
    id_width = min(22, max((len(kr.ref.rsplit("/", 1)[1]) for o in ordered for kr in o.key_results), default=0))
    for period, group in groupby(ordered, key=lambda o: o.period):
        renderables.append(Text())
        renderables.append(period_line(period, report))
        for objective in group:
            renderables.append(Text())
            renderables.append(_objective(objective, id_width))
    if report.kpis:
        renderables.append(Text())
        renderables.append(kpi_table(report.kpis))
    return renderables


def status_text(report: Report, options: ReportOptions) -> str:
    return render(status_renderables(report, options), options)
