"""A check-in or measurement was first committed long after its date.

**What it does.** Reads the commits that changed the goals (`okrctl lint --history`, `okrctl diff`) and flags
a check-in or measurement first committed more than `backdate_days` (default 14) after the date it carries,
by a commit made once its period had started (for a KPI: once the as-of date's quarter had). "First": a
value the item held in an earlier commit (same date and value) and that comes back — a file deleted and
re-added, a revert, a key result moved between files — is no new value, nor is one that replaces the value
of its date (OKR404 judges a rewritten value), nor are the values of the commit that first adds the key
result or KPI (its starting record: a KPI added with last year's measurements). The finding names the commit, its
date and author; it stands on the value's line in the current file.

**Why it matters.** A value dated weeks before it was committed rewrites what the reports of those weeks
would have said, and makes a late update look like steady progress.

**Example** (committed on 2026-11-20)

```yaml
checkins:
  - {date: 2026-10-02, value: 100000}
  - {date: 2026-10-15, value: 400000}
```

**Use instead** (date a value the day it was known, and check in as you go)

```yaml
checkins:
  - {date: 2026-10-02, value: 100000}
  - {date: 2026-11-20, value: 400000, note: October's deals, counted late}
```
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from okrctl.findings import Problem
from okrctl.rules.history_base import HistoryContext, by, current_tree, dated_word, new_values, shown

if TYPE_CHECKING:
    from okrctl.history import History
    from okrctl.project import Project

CODE = "OKR403"
NAME = "backdated-checkin"
SEVERITY = "warning"


def check_history(history: History, project: Project, context: HistoryContext) -> Iterator[Problem]:
    tree = current_tree(project)
    allowed = context.config.backdate_days
    for item, entry, commit in new_values(history):
        late = (commit.date - entry.date).days
        if late <= allowed or commit.date < context.judged_from(item):
            continue
        word = dated_word(item)
        message = (
            f"{word} of {entry.date} ({shown(entry.value)}) first committed {by(commit)}, {late} days after its "
            f"date (backdate_days: {allowed}): date a value the day it was known, and check in as you go"
        )
        problem = tree.place_dated(item, entry.date, message, entry.value, commit)
        if problem is not None:
            yield problem
