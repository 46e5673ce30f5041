"""`okrctl status`: the live dashboard — pace bars, status, confidence, forecast, guardrails and KPIs."""

from __future__ import annotations

from itertools import groupby

from rich.text import Text

from okrctl.periods import Period
from okrctl.report import Report
from okrctl.reporters import ReportOptions
from okrctl.reporters.formatting import (
    BAND_STYLE,
    bar,
    key_result_values,
    progress_mark,
    render,
    renderables,
    score_text,
)
from okrctl.reporters.kpi_view import kpi_lines
from okrctl.reporters.layout import NO_BREAK, Column, Line, table, wrap
from okrctl.reporters.safe_text import one_line
from okrctl.scoring import KeyResultScore, ObjectiveScore

OBJECTIVE_BAR = 24
KEY_RESULT_BAR = 10


def period_line(period: Period, report: Report) -> Line:
    line: Line = [(period.label, "bold")]
    if report.as_of < period.start:
        line.append((f" · starts {period.start}", None))
    elif report.as_of >= period.end:
        line.append((f" · ended {period.end}", None))
    else:
        day = (report.as_of - period.start).days + 1
        line.append((f" · day {day} of {period.days} ({day / period.days:.0%})", None))
    return line


def _objective(objective: ObjectiveScore, id_width: int, width: int) -> list[Line]:
    heading: Line = [(objective.ref, "bold"), ("  ", None), (one_line(objective.title), None)]
    if objective.type == "committed":
        heading.append(("  committed", "magenta"))
    lines = wrap(heading, width)
    word, style = progress_mark(objective)
    lines.append(
        [
            ("  ", None),
            *bar(objective.score, objective.expected, OBJECTIVE_BAR),
            ("  ", None),
            (score_text(objective.score), style),
            (f"  expected {score_text(objective.expected)}  ", None),
            (word, style),
        ]
    )
    details = f"confidence {score_text(objective.confidence)}"
    if objective.status != "ended":  # no forecast once the period has ended: the score is final
        details += f" · forecast {score_text(objective.forecast)}"
    if objective.rollup:
        details = f"roll-up of {len(objective.children)}: " + ", ".join(objective.children)
    lines += wrap([("  " + details, None)], width)
    if objective.guardrails:
        guardrails: Line = [("  guardrails: ", None)]
        for index, guardrail in enumerate(objective.guardrails):
            guardrails.append((f"{' · ' if index else ''}{guardrail.ref}{NO_BREAK}", None))
            guardrails.append((guardrail.status.replace("_", NO_BREAK), BAND_STYLE[guardrail.status]))
            if guardrail.stale:
                guardrails.append((f"{NO_BREAK}(stale)", "bold magenta"))
        lines += wrap(guardrails, width)
    if objective.key_results:
        lines += _key_results(objective.key_results, id_width, width)
    return lines


def _key_results(key_results: tuple[KeyResultScore, ...], id_width: int, width: int) -> list[Line]:
    columns = [
        Column(max_width=id_width + 4),  # indent + id
        Column(),  # bar
        Column(justify="right"),  # score
        Column(flexible=True),  # value and target, forecast: folds between phrases only
    ]
    rows: list[list[Line]] = []
    for kr in key_results:
        value = key_result_values(kr)
        if kr.forecast is not None:
            value += f" · forecast{NO_BREAK}{score_text(kr.forecast)}"
        if kr.manual_grade:
            value += f" · manual grade: {one_line(kr.grade_note)}" if kr.grade_note else " · manual grade"
        key = f"    {kr.ref.rsplit('/', 1)[1]}".ljust(id_width + 4)
        rows.append(
            [[(key, None)], bar(kr.score, None, KEY_RESULT_BAR), [(score_text(kr.score), None)], [(value, None)]]
        )
    return table(columns, rows, width, gap=1)


def status_lines(report: Report, options: ReportOptions) -> list[Line]:
    lines: list[Line] = [[(f"Status as of {report.as_of}", "bold underline")]]
    if not report.objectives:
        lines.append([("No objectives for the selected period and owner.", "dim")])
    ordered = sorted(report.objectives, key=lambda o: (-o.period.days, o.period.start, o.owner))
    id_width = min(22, max((len(kr.ref.rsplit("/", 1)[1]) for o in ordered for kr in o.key_results), default=0))
    for period, group in groupby(ordered, key=lambda o: o.period):
        lines += [[], period_line(period, report)]
        for objective in group:
            lines.append([])
            lines += _objective(objective, id_width, options.width)
    if report.kpis:
        lines += [[], [("KPIs", None)], *kpi_lines(report.kpis, options.width)]
    return lines


def status_renderables(report: Report, options: ReportOptions) -> list[Text]:
    return renderables(status_lines(report, options))


def status_text(report: Report, options: ReportOptions) -> str:
    return render(status_lines(report, options), options)
