"""A metric key result starts where it ends: `start` equals `target`.

**What it does.** Flags a metric key result whose `start` and `target` are equal, including a `start`
taken from its KPI's value on the period's first day. Equal means no distance as scoring computes it, in
floating point: `0.0` and `-0.0` are equal, and so are `9007199254740993` and `9007199254740992.0`.

**Why it matters.** Progress is `(value - start) / (target - start)`: with no distance to cover there is
nothing to measure, and the score is undefined. To hold a level, use a threshold key result.

**Example** (fails)

```yaml
- id: uptime
  title: Keep uptime at 99.9%
  start: 99.9
  target: 99.9
```

**Use instead**

```yaml
- id: uptime
  title: Keep uptime at or above 99.9%
  at_least: 99.9
```
"""

from __future__ import annotations

from collections.abc import Iterator

from okrctl.findings import Problem
from okrctl.key_result_kinds import zero_range
from okrctl.loader import GoalFile
from okrctl.project import Project
from okrctl.rules.base import LintContext, at, derived_start_errors, key_results, takes_start_from_kpi

CODE = "OKR007"
NAME = "zero-range"
SEVERITY = "error"
NEEDS_HISTORY = True  # a start taken from a KPI is one of its measurements


def history_needed(project: Project, context: LintContext) -> bool:
    """History is needed only when a key result takes its start from a KPI."""
    return takes_start_from_kpi(project)


def check_file(file: GoalFile, context: LintContext) -> Iterator[Problem]:
    for loc, _, key_result in key_results(file):
        if zero_range(key_result):
            message = (
                f"key result {key_result.id!r} has start equal to target ({key_result.target}): "
                "set a target to move to, or use at_least / at_most to hold a level"
            )
            yield at(file, (*loc, "target"), message)


def check_project(project: Project, context: LintContext) -> Iterator[Problem]:
    for error in derived_start_errors(project, context):
        if error.code == CODE:
            yield at(error.file, error.loc, error.message)
