"""A committed objective ended below 1.0: a missed commitment.

**What it does.** Once a period has ended (as of `--as-of`), flags each `type: committed` objective whose
score is below 1.0, at its `type`. Only each owner's most recent ended period is judged (older periods were
judged when they ended), and never a file with an OKR006 or OKR007 error, which cannot be scored.

**Why it matters.** Committed objectives are promises other teams plan around; landing short of 1.0 is
a signal to explain what happened and what changes, not a grade to file away.

**Example** (fails as of 2026-01-05)

```yaml
period: 2025-Q4
objectives:
  - id: soc2
    title: Pass the SOC 2 audit
    type: committed
    key_results:
      - {id: controls, title: Close control gaps from 40 to 0, start: 40, target: 0, current: 6}
```

**Use instead**: record what was missed in the retrospective; commit only to what the team controls, and
make stretch goals `aspirational`.
"""

from __future__ import annotations

from collections.abc import Iterator

from okrctl.findings import Problem
from okrctl.project import Project
from okrctl.rules.base import LintContext, at, ended_scores, some_period_ended

CODE = "OKR304"
NAME = "missed-commitment"
SEVERITY = "warning"
NEEDS_HISTORY = True  # an ended period's scores read check-ins and measurements


def history_needed(project: Project, context: LintContext) -> bool:
    """History is needed only when some period has ended."""
    return some_period_ended(project, context)


def check_project(project: Project, context: LintContext) -> Iterator[Problem]:
    for entry, score in ended_scores(project, context):
        if score.review == "missed_commitment":
            message = (
                f"committed objective {entry.objective.id!r} ended at {score.score:.2f}, below 1.0: "
                "a missed commitment; explain what happened and what changes"
            )
            yield at(entry.file, (*entry.loc, "type"), message)
