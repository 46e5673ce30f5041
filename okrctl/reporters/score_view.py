"""`okrctl score` as a table: grouped by owner and period, objectives then their key results."""

from __future__ import annotations

from collections import Counter
from itertools import groupby

from rich import box
from rich.console import RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from okrctl.report import Report
from okrctl.reporters import ReportOptions
from okrctl.reporters.formatting import GRADE_STYLE, number, render, score_text, with_unit
from okrctl.scoring import KeyResultScore, ObjectiveScore


def key_result_values(kr: KeyResultScore) -> str:
    """start → value → target, or what the kind has instead."""
    if kr.kind == "metric":
        return f"{number(kr.start)} → {number(kr.value)} → {with_unit(kr.target, kr.unit)}"
    if kr.kind == "threshold":
        bound = (
            f"≥ {with_unit(kr.at_least, kr.unit)}" if kr.at_least is not None else f"≤ {with_unit(kr.at_most, kr.unit)}"
        )
        return f"{with_unit(kr.value, kr.unit)} (goal {bound})"
    return "done" if kr.progress >= 1.0 else "not done"


REVIEW_MARK = {None: "", "missed_commitment": " ⚑ missed commitment", "too_easy": " ⚑ too easy"}


def _objective_values(objective: ObjectiveScore) -> str:
    if objective.rollup:
        return f"roll-up of {len(objective.children)}"
    return objective.type + REVIEW_MARK[objective.review]


def score_renderables(report: Report, options: ReportOptions) -> list[RenderableType]:
    if not report.objectives:
        return [Text("No objectives for the selected period and owner.", style="dim")]
    owner_scores = {(o.owner, o.period): o for o in report.owners}
    renderables: list[RenderableType] = []
    ordered = sorted(report.objectives, key=lambda o: (o.period.start, -o.period.days, o.owner))
    for (owner, period), group in groupby(ordered, key=lambda o: (o.owner, o.period)):
        summary = owner_scores.get((owner, period))
        title = Text(f"{owner} · {period.label}")
        if summary is not None:
            title.append(f" · {score_text(summary.score)} ")
            title.append(summary.grade, style=GRADE_STYLE[summary.grade])
        table = Table(
            title=title, title_justify="left", box=box.SIMPLE_HEAD, expand=True, pad_edge=False, show_edge=False
        )
        table.add_column("objective / key result", ratio=3)
        table.add_column("start → now → target", ratio=2)
        table.add_column("weight", justify="right", no_wrap=True)
        table.add_column("score", justify="right", no_wrap=True)
        for objective in group:
            table.add_row(
                Text(f"{objective.ref.split('/', 1)[1]}  {objective.title}", style="bold"),
                _objective_values(objective),
                number(objective.weight),
                Text.assemble(score_text(objective.score), " ", (objective.grade, GRADE_STYLE[objective.grade])),
            )
            for kr in objective.key_results:
                score = score_text(kr.score) + (" (manual)" if kr.manual_grade else "")
                note = f"  (manual: {kr.grade_note})" if kr.grade_note and kr.manual_grade else ""
                name = Padding(Text(f"{kr.ref.rsplit('/', 1)[1]}  {kr.title}{note}"), (0, 0, 0, 2))
                table.add_row(name, key_result_values(kr), number(kr.weight), score)
        renderables += [table, Text()]
    renderables.append(_owners_table(report))
    return renderables


def _owners_table(report: Report) -> Table:
    table = Table(title="Owners", title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
    table.add_column("owner")
    table.add_column("period")
    table.add_column("score", justify="right")
    table.add_column("grade")
    table.add_column("objectives", justify="right")
    counts = Counter((o.owner, o.period) for o in report.objectives)
    for owner in sorted(report.owners, key=lambda o: (o.period.start, -o.period.days, o.owner)):
        table.add_row(
            owner.owner,
            owner.period.label,
            score_text(owner.score),
            Text(owner.grade, style=GRADE_STYLE[owner.grade]),
            str(counts[(owner.owner, owner.period)]),
        )
    return table


def score_table(report: Report, options: ReportOptions) -> str:
    return render(score_renderables(report, options), options)
