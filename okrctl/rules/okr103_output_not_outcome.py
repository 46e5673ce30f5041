"""A key result is an output (an activity or a milestone) rather than an outcome.

**What it does.** Flags a key result whose title starts with an activity verb (launch, ship, build, send,
implement, attend, host, publish …) and every milestone key result (`done: true/false`). A verb followed
by a measure (`Build time from 20 to 5 minutes`, `Release frequency from monthly to weekly`, `Deploy
failures from 8 to 1`) starts a noun phrase that names an outcome, and is not flagged.

**Why it matters.** Key results measure the change you want, not the work you plan: shipping a feature
is a means; more customers using it is the result. Keep milestones for commitments that truly are binary.

**Example** (fails)

```yaml
- id: onboarding
  title: Launch the new onboarding flow
  done: false
```

**Use instead**

```yaml
- id: activation
  title: Raise week-one activation from 30% to 45%
  start: 30
  target: 45
```
"""

from __future__ import annotations

from collections.abc import Iterator

from okrctl.findings import Problem
from okrctl.loader import GoalFile
from okrctl.rules.base import LintContext, at, key_results

CODE = "OKR103"
NAME = "output-not-outcome"
SEVERITY = "warning"

ACTIVITY_VERBS = frozenset(
    [
        "launch",
        "ship",
        "build",
        "send",
        "implement",
        "create",
        "develop",
        "deliver",
        "release",
        "deploy",
        "write",
        "design",
        "hold",
        "run",
        "host",
        "complete",
        "finish",
        "publish",
        "migrate",
        "introduce",
        "roll",
        "hire",
        "organize",
        "organise",
        "set",
        "establish",
        "conduct",
        "start",
        "finalize",
        "finalise",
        "prepare",
        "do",
        "make",
        "rewrite",
        "refactor",
        "add",
        "attend",
        "present",
        "speak",
        "train",
        "document",
        "automate",
        "integrate",
        "draft",
        "define",
        "plan",
        "review",
        "schedule",
        "upgrade",
        "install",
        "configure",
        "translate",
        "update",
        "redesign",
        "rebuild",
        "produce",
        "execute",
        "perform",
        "participate",
        "join",
        "visit",
        "interview",
        "submit",
        "post",
        "test",
    ]
)

# Words that, right after an activity verb, make it a noun naming a measure: "build time", "deploy failures".
MEASURE_NOUNS = frozenset(
    [
        "time",
        "times",
        "duration",
        "rate",
        "rates",
        "count",
        "counts",
        "success",
        "failure",
        "failures",
        "error",
        "errors",
        "frequency",
        "cadence",
        "speed",
        "latency",
        "cost",
        "costs",
        "size",
        "volume",
        "quality",
        "reliability",
        "stability",
        "coverage",
        "velocity",
        "throughput",
        "backlog",
        "queue",
        "breakage",
        "flakiness",
        "pass",
        "minutes",
        "hours",
    ]
)


def check_file(file: GoalFile, context: LintContext) -> Iterator[Problem]:
    for loc, _, key_result in key_results(file):
        words = key_result.title.split(maxsplit=2)  # the first two words are all it reads
        first = words[0].lower().strip(".,:;!") if words else ""
        second = words[1].lower().strip(".,:;!") if len(words) > 1 else ""
        if first in ACTIVITY_VERBS and second not in MEASURE_NOUNS:
            message = (
                f"key result {key_result.id!r} starts with the activity {first!r}: "
                "state the outcome it should bring and how it is measured"
            )
            yield at(file, (*loc, "title"), message)
        elif (kind := key_result.kind) is not None and kind.is_output:
            message = f"key result {key_result.id!r} is a {kind.name} (an output): measure the outcome it should bring"
            yield at(file, (*loc, kind.fields[0]), message)
