"""`okrctl tree`: the alignment tree, company down to individuals and annual down to quarterly."""

from __future__ import annotations

from typing import TYPE_CHECKING

from okrctl.report import Report
from okrctl.reporters import ReportOptions
from okrctl.reporters.formatting import progress_mark, render, renderables, score_text

if TYPE_CHECKING:  # Rich loads only for an export
    from rich.text import Text
from okrctl.reporters.layout import NO_BREAK, Line, cell_len, wrap
from okrctl.reporters.safe_text import one_line
from okrctl.scoring import ObjectiveScore


def _label(objective: ObjectiveScore) -> Line:
    word, style = progress_mark(objective)
    return [
        (objective.ref, "bold"),
        (f" [{objective.period.label}] ", None),
        (one_line(objective.title), None),
        ("  ", None),
        (score_text(objective.score), style),
        (NO_BREAK, None),
        (word.replace(" ", NO_BREAK), style),
    ]


def tree_lines(report: Report, options: ReportOptions) -> list[Line]:
    """The selected objectives, with the objectives they align to above them and those aligned below."""
    by_key = {(o.ref, o.period): o for o in report.all_objectives}
    children: dict[int, list[ObjectiveScore]] = {}
    parent_of: dict[int, ObjectiveScore] = {}
    for objective in report.all_objectives:
        parent = by_key.get(objective.parent) if objective.parent else None
        if parent is not None:
            children.setdefault(id(parent), []).append(objective)
            parent_of[id(objective)] = parent
    shown = {id(o) for o in report.tree_objectives}  # see report.tree_selection
    roots = [o for o in report.all_objectives if id(o) in shown and id(o) not in parent_of]
    roots.sort(key=_order)
    if not roots:
        return [[("No objectives for the selected period.", "dim")]]
    lines: list[Line] = [[(f"Alignment as of {report.as_of}", "bold underline")]]
    # Depth first without recursion (alignment chains can be thousands of objectives deep): a stack of
    # (objective, guide of its first line, guide of its following lines).
    stack = [_branch(root, "", index == len(roots) - 1) for index, root in reversed(list(enumerate(roots)))]
    while stack:
        objective, first, rest = stack.pop()
        label = wrap(_label(objective), max(20, options.width - cell_len(rest)))
        lines.append([(first, "dim"), *label[0]])
        lines += [[(rest, "dim"), *more] for more in label[1:]]
        kids = [c for c in sorted(children.get(id(objective), []), key=_order) if id(c) in shown]
        stack += [_branch(kid, rest, index == len(kids) - 1) for index, kid in reversed(list(enumerate(kids)))]
    return lines


def _branch(objective: ObjectiveScore, guide: str, last: bool) -> tuple[ObjectiveScore, str, str]:
    """The objective with the guide before its first line and before its other lines (and its children's)."""
    return objective, guide + ("└── " if last else "├── "), guide + ("    " if last else "│   ")


def _order(objective: ObjectiveScore) -> tuple[int, int, str]:
    return (-objective.period.days, _level_rank(objective.level), objective.ref)


_LEVELS = {"company": 0, "department": 1, "team": 2, "individual": 3}


def _level_rank(level: str | None) -> int:
    return _LEVELS.get(level or "", 4)


def tree_renderables(report: Report, options: ReportOptions) -> list[Text]:
    return renderables(tree_lines(report, options))


def tree_text(report: Report, options: ReportOptions) -> str:
    return render(tree_lines(report, options), options)
