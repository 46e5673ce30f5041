"""An objective has fewer key results than `lint.min_key_results` (2) or more than `max_key_results` (5).

**What it does.** Counts each objective's key results. Roll-up objectives (no key results of their own,
scored from the objectives aligned to them) are exempt.

**Why it matters.** One key result rarely captures an objective (and invites gaming it); more than five
dilutes the focus and the score.

**Example** (fails with the defaults)

```yaml
- id: adoption
  title: Make the new editor the one people reach for
  key_results:
    - {id: wau, title: Weekly editor users from 2k to 5k, start: 2000, target: 5000}
```

**Use instead**: add a second key result that measures the objective from another side, e.g. retention.
"""

from __future__ import annotations

from collections.abc import Iterator

from okrctl.findings import Problem
from okrctl.loader import GoalFile
from okrctl.rules.base import LintContext, at, objectives, plural

CODE = "OKR102"
NAME = "key-result-count"
SEVERITY = "warning"


def check_file(file: GoalFile, context: LintContext) -> Iterator[Problem]:
    low, high = context.config.lint.min_key_results, context.config.lint.max_key_results
    for loc, objective in objectives(file):
        count = len(objective.key_results)
        if count == 0:
            continue  # a roll-up, or OKR006's concern
        if count < low:
            yield at(
                file,
                (*loc, "key_results"),
                f"objective {objective.id!r} has {plural(count, 'key result')}, fewer than {low}",
            )
        elif count > high:
            yield at(
                file,
                (*loc, "key_results", high),
                f"objective {objective.id!r} has {count} key results, more than {high}: keep the ones that matter",
            )
