"""A committed check-in or measurement was changed or removed.

**What it does.** Reads the commits that changed the goals (`okrctl lint --history`, `okrctl diff`) and flags
a check-in or measurement that a commit changed (another value on the same date) or removed, once the
item's period had started (for a KPI: once the as-of date's quarter had). Not flagged: a value back in
the current tree (same date and value: the change was reverted), the revert itself (a change back to a
value committed before), an edited `note` or `confidence` (the value stands), and a key result or KPI
removed whole (OKR402 judges a dropped key result). The finding names the commit, its date and author, and
the old and new values; it stands on that date's line in the current file.

**Why it matters.** A check-in is a record of what was known on its date. Rewriting it rewrites every report
made since, and hides that the number ever was different.

**Example** (a commit changed `value: 100000` on 2026-10-02 to this)

```yaml
checkins:
  - {date: 2026-10-02, value: 120000}
```

**Use instead** (keep the record; correct it with a new value)

```yaml
checkins:
  - {date: 2026-10-02, value: 100000}
  - {date: 2026-11-03, value: 120000, note: Oct 2 figure corrected after the audit}
```
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import TYPE_CHECKING

from okrctl.findings import Problem
from okrctl.rules.history_base import HistoryContext, by, current_tree, dated_values, dated_word, shown, values

if TYPE_CHECKING:
    from okrctl.history import History
    from okrctl.project import Project

CODE = "OKR404"
NAME = "rewritten-value"
SEVERITY = "warning"


def check_history(history: History, project: Project, context: HistoryContext) -> Iterator[Problem]:
    tree = current_tree(project)
    earlier: set[tuple[str, date, float]] = set()  # the values each item held in an earlier commit
    for step in history.steps:
        commit = step.commit
        for change in step.changes:
            if change.old is not None:
                earlier.update((change.ref, day, value) for day, value in dated_values(change.old))
        for change in step.changes:
            if change.status != "changed" or not change.removed:
                continue
            item = change.item
            if commit.date < context.judged_from(item):
                continue
            now = set(dated_values(tree.get(item.ref, item.period)))
            word = dated_word(item)
            for rewritten in change.rewritten():
                if (rewritten.date, rewritten.old) in now:
                    continue  # put back since
                if rewritten.new is not None and (item.ref, rewritten.date, rewritten.new) in earlier:
                    continue  # this puts back a value committed before: a revert
                if rewritten.new is None:
                    what = f"{word} of {rewritten.date} ({shown(rewritten.old)}) removed {by(commit)}: put it back"
                else:
                    change_text = values(rewritten.old, rewritten.new)
                    what = f"{word} of {rewritten.date} rewritten {change_text} {by(commit)}: put the old value back"
                message = f"{what}, and correct it with a new {word} (its note can say why)"
                problem = tree.place_dated(item, rewritten.date, message, rewritten.new, commit)
                if problem is not None:
                    yield problem
