"""`okrctl score` as a table: grouped by owner and period, objectives then their key results."""

from __future__ import annotations

from collections import Counter

from rich.text import Text

from okrctl.report import Report
from okrctl.reporters import ReportOptions
from okrctl.reporters.formatting import (
    GRADE_STYLE,
    REVIEW_MARK,
    key_result_values,
    number,
    render,
    renderables,
    score_text,
)
from okrctl.reporters.layout import Column, Line, table
from okrctl.reporters.safe_text import one_line
from okrctl.scoring import ObjectiveScore


def _objective_values(objective: ObjectiveScore) -> str:
    if objective.rollup:
        return f"roll-up of {len(objective.children)}"
    return objective.type + REVIEW_MARK[objective.review]


_COLUMNS = [
    Column("objective / key result", flexible=True),
    Column("start → now → target", flexible=True),
    Column("weight", justify="right"),
    Column("score", justify="right"),
]


def score_lines(report: Report, options: ReportOptions) -> list[Line]:
    lines: list[Line] = [[(f"Scores as of {report.as_of}", "bold underline")]]
    if not report.objectives:
        return [*lines, [("No objectives for the selected period and owner.", "dim")]]
    for owner, period, summary, group in report.by_owner_and_period():
        title: Line = [(f"{one_line(owner)} · {period.label}", None)]
        if summary is not None:
            title += [(f" · {score_text(summary.score)} ", None), (summary.grade, GRADE_STYLE[summary.grade])]
        rows: list[list[Line]] = []
        for objective in group:
            rows.append(
                [
                    [(f"{objective.ref.split('/', 1)[1]}  {one_line(objective.title)}", "bold")],
                    [(_objective_values(objective), None)],
                    [(number(objective.weight), None)],
                    [(f"{score_text(objective.score)} ", None), (objective.grade, GRADE_STYLE[objective.grade])],
                ]
            )
            for kr in objective.key_results:
                score = score_text(kr.score) + (" (manual)" if kr.manual_grade else "")
                note = f"  (manual: {one_line(kr.grade_note)})" if kr.grade_note and kr.manual_grade else ""
                name = f"  {kr.ref.rsplit('/', 1)[1]}  {one_line(kr.title)}{note}"
                rows.append([[(name, None)], [(key_result_values(kr, since_start=True), None)],
                             [(number(kr.weight), None)], [(score, None)]])  # fmt: skip
        lines += [title, *table(_COLUMNS, rows, options.width), []]
    return [*lines, *_owners_table(report, options.width)]


def _owners_table(report: Report, width: int) -> list[Line]:
    columns = [
        Column("owner", flexible=True),
        Column("period"),
        Column("score", justify="right"),
        Column("grade"),
        Column("objectives", justify="right"),
    ]
    counts = Counter((o.owner, o.period) for o in report.objectives)
    rows: list[list[Line]] = [
        [
            [(one_line(owner.owner), None)],
            [(owner.period.label, None)],
            [(score_text(owner.score), None)],
            [(owner.grade, GRADE_STYLE[owner.grade])],
            [(str(counts[(owner.owner, owner.period)]), None)],
        ]
        for owner in sorted(report.owners, key=lambda o: (o.period.start, -o.period.days, o.owner))
    ]
    return [[("Owners", None)], *table(columns, rows, width)]


def score_renderables(report: Report, options: ReportOptions) -> list[Text]:
    return renderables(score_lines(report, options))


def score_table(report: Report, options: ReportOptions) -> str:
    return render(score_lines(report, options), options)
