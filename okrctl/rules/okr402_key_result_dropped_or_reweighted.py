"""A key result was dropped, or its weight changed, after its period started.

**What it does.** Reads the commits that changed the goals (`okrctl lint --history`, `okrctl diff`) and flags
a key result removed, moved out of its period (into another period's file), or given another `weight`, in a
commit dated more than `history_grace_days` (default 7) after the first day of its period. A key result
removed and back in the current tree (same reference, same period: moved to another file, or a removal
reverted) is not flagged, nor is a weight put back (changed back to what it was before its first change
after the grace, or at that value again now). The finding names the commit, its date and author; it stands
on the key result's `weight:` line, or, for a dropped key result, on its objective (else on its owner's file
for that period; when that file is gone too, there is nothing left to point at and nothing is reported).

**Why it matters.** Dropping the key result that is going badly, or shrinking its weight, raises the
objective's score without anything getting better: the same result as lowering its target.

**Example** (a commit of 2026-11-05 removed the key result `enterprise` of this 2026-Q4 objective)

```yaml
- id: acquire
  title: Win the mid-market
  key_results:
    - {id: revenue, title: Revenue to 2M, start: 0, target: 2000000}
```

**Use instead** (keep it, and let the score say how it went)

```yaml
- id: acquire
  title: Win the mid-market
  key_results:
    - {id: revenue, title: Revenue to 2M, start: 0, target: 2000000}
    - {id: enterprise, title: Sign 5 enterprise deals, start: 0, target: 5}
```
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from okrctl.findings import Problem
from okrctl.rules.history_base import HistoryContext, Settled, by, current_tree, values

if TYPE_CHECKING:
    from okrctl.history import History
    from okrctl.project import Project

CODE = "OKR402"
NAME = "key-result-dropped-or-reweighted"
SEVERITY = "warning"


def check_history(history: History, project: Project, context: HistoryContext) -> Iterator[Problem]:
    tree = current_tree(project)
    settled = Settled(tree)
    for step in history.steps:
        commit = step.commit
        for change in step.changes:
            item = change.old or change.item  # what was promised
            if item.kind != "key_result" or commit.date <= context.settled_after(item):
                continue
            name = f"key result {item.ref.rpartition('/')[2]!r}"
            when = f"{by(commit)}, {context.into(item, commit.date)}"
            problem = None
            moved = change.field("period")
            if moved is not None and change.new is not None and tree.get(item.ref, item.period) is None:
                message = (
                    f"{name} moved out of {moved.old} into {moved.new} {when}: put it back in {moved.old} and "
                    "let its score say how it went"
                )
                problem = tree.place(change.new, (), message, commit)
            elif change.status == "removed":
                if tree.get(item.ref, item.period) is not None:
                    continue  # back in the tree: moved to another file, or the removal reverted
                title = item.get("title")
                message = (
                    f"{name} ({title}) dropped {when}: restore it and let its score say how it went"
                    if title
                    else f"{name} dropped {when}: restore it and let its score say how it went"
                )
                problem = tree.place(item, (), message, commit)
            elif (
                change.status == "changed"
                and (weight := change.field("weight")) is not None
                and not settled.undone(item, "weight", weight.old, weight.new)
            ):
                message = (
                    f"{name} reweighted: weight {values(weight.old, weight.new)} {when}: restore the weight "
                    "(a weight changed mid-period moves the objective's score without any result)"
                )
                problem = tree.place(item, ("weight",), message, commit)
            if problem is not None:
                yield problem
