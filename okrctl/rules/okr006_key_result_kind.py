"""A key result is not exactly one kind, or an objective has nothing to score.

**What it does.** A key result is a *metric* (`start` and `target`; `start` may come from a `kpi`), a
*threshold* (`at_least` or `at_most`) or a *milestone* (`done`). This rule flags a key result whose fields
mix kinds or declare none, and one with both `current` and `checkins`. It also flags a metric key result that takes its
`start` from a KPI with no measurement on or before the period's first day, and an objective with no key
results that no other objective aligns to: it is neither measured nor a roll-up.

**Why it matters.** The kind decides how a key result is scored; a mixed one would be scored by a guess.

**Example** (fails: metric and threshold fields)

```yaml
- id: csat
  title: Raise CSAT to 4.6
  start: 4.2
  target: 4.6
  at_least: 4.6
```

**Use instead**

```yaml
- id: csat
  title: Raise CSAT to 4.6
  start: 4.2
  target: 4.6
```
"""

from __future__ import annotations

from collections.abc import Iterator

from okrctl.findings import Problem
from okrctl.loader import GoalFile
from okrctl.project import Project
from okrctl.rules.base import LintContext, at, derived_start_errors, key_results

CODE = "OKR006"
NAME = "key-result-kind"
SEVERITY = "error"


def check_file(file: GoalFile, context: LintContext) -> Iterator[Problem]:
    for loc, _, key_result in key_results(file):
        problem = key_result.kind_problem()
        if problem is not None:
            yield at(file, loc, f"key result {key_result.id!r} {problem}")


def check_project(project: Project, context: LintContext) -> Iterator[Problem]:
    for error in derived_start_errors(project, context):
        if error.code == CODE:
            yield at(error.file, error.loc, error.message)
    for entry in project.objectives:
        if not entry.objective.key_results and not project.children.get(entry):
            message = (
                f"objective {entry.objective.id!r} has no key results and no objective aligns to it: "
                "add key results, or align objectives to it to make it a roll-up"
            )
            yield at(entry.file, entry.loc, message)
