"""An aspirational objective ended with every key result at 1.0: the targets were probably too low.

**What it does.** Once a period has ended (as of `--as-of`), flags each aspirational objective that has key
results and whose key results all score 1.0. Only each owner's most recent ended period is judged, and never
a file with an OKR006 or OKR007 error, which cannot be scored.

**Why it matters.** Aspirational objectives are stretch goals: about 0.7 is a healthy landing. Reaching
1.0 on everything, every time, means the team is sandbagging — or should have made it a commitment.

**Example** (fails as of 2026-01-05)

```yaml
period: 2025-Q4
objectives:
  - id: docs
    title: Make the docs the first stop
    key_results:
      - {id: visits, title: Grow docs visits from 5k to 6k, start: 5000, target: 6000, current: 7200}
      - {id: tickets, title: Cut how-to tickets from 120 to 110, start: 120, target: 110, current: 80}
```

**Use instead**: set next period's targets where a 0.7 landing would be a real achievement.
"""

from __future__ import annotations

from collections.abc import Iterator

from okrctl.findings import Problem
from okrctl.project import Project
from okrctl.rules.base import LintContext, at, ended_scores, some_period_ended

CODE = "OKR305"
NAME = "too-easy"
SEVERITY = "warning"
NEEDS_HISTORY = True  # an ended period's scores read check-ins and measurements


def history_needed(project: Project, context: LintContext) -> bool:
    """History is needed only when some period has ended."""
    return some_period_ended(project, context)


def check_project(project: Project, context: LintContext) -> Iterator[Problem]:
    for entry, score in ended_scores(project, context):
        if score.review == "too_easy":
            message = (
                f"aspirational objective {entry.objective.id!r} ended with every key result at 1.0: "
                "the targets were probably too low; stretch further next period"
            )
            yield at(entry.file, entry.loc, message)
