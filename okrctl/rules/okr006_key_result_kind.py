"""A key result is not exactly one kind, or an objective has nothing to score.

**What it does.** A key result is a *metric* (`start` and `target`; `start` may come from a `kpi`), a
*threshold* (`at_least` or `at_most`) or a *milestone* (`done`). This rule flags a key result whose fields
mix kinds or declare none, and fields that contradict each other: both `current` and `checkins`; a `kpi`
with `checkins` or `current` (a KPI-fed key result takes its values from the KPI's measurements, so its own
would be ignored); a milestone with `done: false` and a `done_on` date; a milestone with `rebaselined`
entries (they record changes of a target or threshold, and a milestone has none). It also flags a metric key
result that takes its `start` from a KPI with no measurement on or before the period's first day, and an
objective with no key results that no other objective aligns to: it is neither measured nor a roll-up.

**Why it matters.** The kind decides how a key result is scored; a mixed or contradictory one would be
scored by a guess.

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
from okrctl.key_result_kinds import kind_problem
from okrctl.loader import GoalFile
from okrctl.model import KeyResult, Objective
from okrctl.project import Project
from okrctl.rules.base import LintContext, at, derived_start_errors, key_results, takes_start_from_kpi

CODE = "OKR006"
NAME = "key-result-kind"
SEVERITY = "error"
NEEDS_HISTORY = True  # a start taken from a KPI is one of its measurements


def history_needed(project: Project, context: LintContext) -> bool:
    """History is needed only when a key result takes its start from a KPI."""
    return takes_start_from_kpi(project)


def check_file(file: GoalFile, context: LintContext) -> Iterator[Problem]:
    for loc, _, key_result in key_results(file):
        for field, message in key_result_problems(key_result):
            yield at(file, (*loc, *field), message)


def key_result_problems(key_result: KeyResult) -> Iterator[tuple[tuple[str, ...], str]]:
    """What is wrong with one key result's fields, each with the field at fault (none: the key result)."""
    problem = kind_problem(key_result)
    if problem is not None:
        yield (), problem
        return
    kind = key_result.kind
    assert kind is not None  # no kind problem: one kind
    if key_result.kpi is not None:
        # `is not None`, never truthiness: check-ins may be set aside (see `GoalFile.set_history_aside`).
        own = [name for name in ("checkins", "current") if getattr(key_result, name) is not None]
        if own:
            message = (
                f"key result {key_result.id!r} takes its values from the KPI {key_result.kpi!r}: "
                f"drop {' and '.join(own)}, or drop kpi to record values here"
            )
            yield (own[0],), message
    for field, message in kind.field_problems(key_result):
        yield (field,), message
    if key_result.rebaselined and not kind.has_target:
        message = (
            f"key result {key_result.id!r} is a {kind.name}: rebaselined records a change of a target or "
            f"threshold, and a {kind.name} has none: drop rebaselined"
        )
        yield ("rebaselined",), message


def check_project(project: Project, context: LintContext) -> Iterator[Problem]:
    for error in derived_start_errors(project, context):
        if error.code == CODE:
            yield at(error.file, error.loc, error.message)
    for entry in project.objectives:
        if not entry.objective.key_results and not project.children.get(entry):
            yield at(entry.file, entry.loc, nothing_to_score(entry.objective))


def nothing_to_score(objective: Objective) -> str:
    """The message for an objective with no key results that no objective aligns to (the scorer's too)."""
    return (
        f"objective {objective.id!r} has no key results and no objective aligns to it: "
        "add key results, or align objectives to it to make it a roll-up"
    )
