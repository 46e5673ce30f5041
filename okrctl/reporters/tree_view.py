"""`okrctl tree`: the alignment tree, company down to individuals and annual down to quarterly."""

from __future__ import annotations

from rich.console import RenderableType
from rich.text import Text
from rich.tree import Tree

from okrctl.report import Report
from okrctl.reporters import ReportOptions
from okrctl.reporters.formatting import GRADE_STYLE, render, score_text
from okrctl.scoring import ObjectiveScore


def _label(objective: ObjectiveScore) -> Text:
    return Text.assemble(
        (objective.ref, "bold"),
        f" [{objective.period.label}] ",
        objective.title,
        "  ",
        (score_text(objective.score), GRADE_STYLE[objective.grade]),
        " ",
        (objective.grade, GRADE_STYLE[objective.grade]),
    )


def tree_renderables(report: Report, options: ReportOptions) -> list[RenderableType]:
    """The selected objectives, with the objectives they align to above them and those aligned below."""
    selected = {id(o) for o in report.tree_objectives}
    by_key = {(o.ref, o.period): o for o in report.all_objectives}
    children: dict[int, list[ObjectiveScore]] = {}
    parent_of: dict[int, ObjectiveScore] = {}
    for objective in report.all_objectives:
        parent = by_key.get(objective.parent) if objective.parent else None
        if parent is not None:
            children.setdefault(id(parent), []).append(objective)
            parent_of[id(objective)] = parent
    shown: set[int] = set()  # the selected objectives and their ancestors
    for objective in report.tree_objectives:
        current: ObjectiveScore | None = objective
        while current is not None and id(current) not in shown:
            shown.add(id(current))
            current = parent_of.get(id(current))
    roots = [o for o in report.all_objectives if id(o) in shown and id(o) not in parent_of]
    roots.sort(key=lambda o: (-o.period.days, _level_rank(o.level), o.ref))
    if not roots:
        return [Text("No objectives for the selected period.", style="dim")]
    tree = Tree(Text(f"Alignment as of {report.as_of}", style="bold underline"), guide_style="dim")

    def grow(node: Tree, objective: ObjectiveScore) -> None:
        branch = node.add(_label(objective))
        kids = sorted(children.get(id(objective), []), key=lambda o: (-o.period.days, _level_rank(o.level), o.ref))
        for child in kids:
            if id(child) in selected or _has_selected(child, children, selected):
                grow(branch, child)

    for root in roots:
        grow(tree, root)
    return [tree]


def _has_selected(objective: ObjectiveScore, children: dict[int, list[ObjectiveScore]], selected: set[int]) -> bool:
    return any(id(c) in selected or _has_selected(c, children, selected) for c in children.get(id(objective), []))


_LEVELS = {"company": 0, "department": 1, "team": 2, "individual": 3}


def _level_rank(level: str | None) -> int:
    return _LEVELS.get(level or "", 4)


def tree_text(report: Report, options: ReportOptions) -> str:
    return render(tree_renderables(report, options), options)
