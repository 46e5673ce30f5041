"""A KPI's green or amber band moved.

**What it does.** Reads the commits that changed the goals (`okrctl lint --history`, `okrctl diff`) and flags
a KPI whose `green` or `amber` bounds changed in a commit dated more than `history_grace_days` (default 7)
after the first day of the as-of date's quarter (KPIs have no period of their own; the quarter follows the
config's `fiscal_year_start`). A band put back is no move:
changed back to what it was before its first move after the grace, or at that value again now. The finding names the
commit, its date and author, and the old and new bounds; it stands on the band's line in the current file.

**Why it matters.** A KPI turns from amber to green just as surely when the bar comes down to meet it as when
it climbs: the colour then says nothing about the service.

**Example** (a commit of 2026-11-05 changed `green: {min: 4.5}` to this)

```yaml
- id: csat
  title: Customer satisfaction
  green: {min: 4.2}
  amber: {min: 4.0}
```

**Use instead** (keep the bar for the period; change it at the next period's planning)

```yaml
- id: csat
  title: Customer satisfaction
  green: {min: 4.5}
  amber: {min: 4.0}
```
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from okrctl.findings import Problem
from okrctl.goal_items import BAND_FIELDS
from okrctl.rules.history_base import HistoryContext, Settled, by, current_tree

if TYPE_CHECKING:
    from okrctl.history import History
    from okrctl.project import Project

CODE = "OKR405"
NAME = "band-moved"
SEVERITY = "warning"

Band = tuple[float | None, float | None] | None


def check_history(history: History, project: Project, context: HistoryContext) -> Iterator[Problem]:
    tree = current_tree(project)
    settled = Settled(tree)
    for step in history.steps:
        commit = step.commit
        for change in step.changes:
            item = change.item
            if change.status != "changed" or item.kind != "kpi" or commit.date <= context.settled_after(item):
                continue
            moved = [
                fc
                for fc in change.fields
                if fc.name in BAND_FIELDS and not settled.undone(item, fc.name, fc.old, fc.new)
            ]
            if not moved:
                continue
            what = ", ".join(f"{fc.name} {bands(fc.old, fc.new)}" for fc in moved)
            restore = f"the {moved[0].name} band" if len(moved) == 1 else "both bands"
            message = (
                f"KPI {item.ref.rpartition('/')[2]!r} band moved: {what} {by(commit)}, "
                f"{context.into(item, commit.date)}: restore {restore}, and move bands at the next period's planning"
            )
            problem = tree.place(item, (moved[0].name,), message, commit)
            if problem is not None:
                yield problem


def bands(old: Band, new: Band) -> str:
    """`≥ 4.5 → ≥ 4.2`, `95–105 → 90–105`, `unset → ≤ 300`: with as many digits as tell the bounds apart."""
    from okrctl.reporters.formatting import exact_numbers

    bounds = [*(old or (None, None)), *(new or (None, None))]
    texts = exact_numbers(*[bound for bound in bounds if bound is not None])
    shown = iter(texts)
    words = [next(shown) if bound is not None else None for bound in bounds]

    def band(given: Band, low: str | None, high: str | None) -> str:
        if given is None:
            return "unset"
        if low is not None and high is not None:
            return f"{low}–{high}"
        return f"≥ {low}" if low is not None else f"≤ {high}"

    return f"{band(old, words[0], words[1])} → {band(new, words[2], words[3])}"
