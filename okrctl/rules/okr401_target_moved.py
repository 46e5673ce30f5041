"""A key result's target moved after its period started, and no `rebaselined:` entry records it.

**What it does.** Reads the commits that changed the goals (`okrctl lint --history`, `okrctl diff`) and flags
a key result whose `start`, `target`, `at_least` or `at_most` changed, or whose kind changed, in a commit
dated more than `history_grace_days` (default 7) after the first day of its period. The finding names the
commit, its date and author, and the old and new values; it stands on the moved key's line in the current
file.

A change is **recorded**, and not flagged, when the key result (as it stands now) has a `rebaselined:` entry
whose `from` is the value before the change and whose `date` is within `history_grace_days` of the commit's
date. A kind change, or a threshold set where there was none, is recorded by an entry whose `from` is any of
the key result's goalposts before the change. A change committed after the period's last day is never
recorded: the period's result stands, and the finding says to restore the goalpost. A move undone is no move
either: one back to the value the
key result had before its first move after the grace, or any move of a goalpost that has that value again
now (restored).

**Why it matters.** Lowering a target mid-quarter turns a miss into a hit without anyone deciding it: the
score says "on track" and the history says why. Sometimes the world really did change; then say so where
the next reader will see it.

**Example** (a 2026-Q4 key result; a commit of 2026-11-05 changed `target: 2000000` to this)

```yaml
- id: revenue
  title: Revenue to 1.6M
  start: 0
  target: 1600000
```

**Use instead** (record the change, with the value before and why)

```yaml
- id: revenue
  title: Revenue to 1.6M
  start: 0
  target: 1600000
  rebaselined:
    - {date: 2026-11-05, from: 2000000, reason: EU launch moved to Q1 by the board}
```
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from okrctl.arithmetic import is_number
from okrctl.findings import Problem
from okrctl.goal_items import TARGET_FIELDS, FieldChange, Item, Rebaseline
from okrctl.rules.history_base import HistoryContext, Settled, by, current_tree, raw, values

if TYPE_CHECKING:
    from okrctl.git import Commit
    from okrctl.history import History
    from okrctl.project import Project

CODE = "OKR401"
NAME = "target-moved"
SEVERITY = "warning"

_GOALPOSTS = ("start", "target", "at_least", "at_most")


def check_history(history: History, project: Project, context: HistoryContext) -> Iterator[Problem]:
    tree = current_tree(project)
    settled = Settled(tree)
    for step in history.steps:
        commit = step.commit
        for change in step.changes:
            if change.status != "changed" or change.item.kind != "key_result" or change.old is None:
                continue
            if commit.date <= context.settled_after(change.old):
                continue  # before the period, or in its first days: still planning
            now = tree.get(change.ref, change.item.period)
            period = context.period(change.old)
            ended = period is not None and commit.date > period.end
            # A rebaseline is a decision made while the period runs; after its end a change rewrites its result
            rebaselined = () if ended or now is None else now.rebaselined
            moved = [
                fc
                for name in TARGET_FIELDS
                if (fc := change.field(name)) is not None
                and not settled.undone(change.old, name, fc.old, fc.new)
                and not _recorded(fc, change.old, commit, rebaselined, context.grace_days)
            ]
            if not moved:
                continue
            what = ", ".join(f"{fc.name} {values(fc.old, fc.new)}" for fc in moved)
            was = next((fc.old for name in _SUGGESTED for fc in moved if fc.name == name and is_number(fc.old)), None)
            entry = f" ({{date: {commit.date}, from: {raw(was)}, reason: …}})" if was is not None else ""
            restore = f"the {moved[0].name}" if len(moved) == 1 else "them"
            if ended:
                advice = (
                    f"{period.label if period else 'its period'} had ended, so its result stands: restore {restore}"
                )
            else:
                advice = f"record it under rebaselined:{entry} with a reason, or restore {restore}"
            message = (
                f"key result {change.ref.rpartition('/')[2]!r} moved: {what} {by(commit)}, "
                f"{context.into(change.old, commit.date)}: {advice}"
            )
            # On the line of a moved key that is still there (a kind is no key of its own).
            shown_at = next((fc.name for fc in moved if fc.new is not None and fc.name != "kind"), moved[0].name)
            problem = tree.place(change.item, (shown_at,), message, commit)
            if problem is not None:
                yield problem


_SUGGESTED = ("target", "at_least", "at_most", "start")  # the `from` a finding suggests: the target's first


def _recorded(moved: FieldChange, old: Item, commit: Commit, rebaselined: tuple[Rebaseline, ...], grace: int) -> bool:
    """Whether an entry of the key result's `rebaselined:` (as it stands now) records this change (see above)."""
    if moved.name in _GOALPOSTS and moved.old is not None:
        accepted = {moved.old}
    else:  # a kind changed, or a threshold set where there was none: any goalpost before it
        accepted = {old.get(name) for name in _GOALPOSTS} - {None}
    return any(entry.old in accepted and abs((entry.date - commit.date).days) <= grace for entry in rebaselined)
