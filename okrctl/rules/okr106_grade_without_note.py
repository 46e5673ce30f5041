"""A key result has a manual `grade` without a `grade_note`.

**What it does.** Flags `grade:` (a manual 0–1 score that overrides the computed one) with no
`grade_note:` beside it.

**Why it matters.** A manual grade replaces the numbers; readers of the score need to know why.

**Example** (fails)

```yaml
- id: partners
  title: Sign 3 reseller partners
  start: 0
  target: 3
  grade: 0.5
```

**Use instead**

```yaml
  grade: 0.5
  grade_note: Two signed; the third is in legal review with a start date in January.
```
"""

from __future__ import annotations

from collections.abc import Iterator

from okrctl.findings import Problem
from okrctl.loader import GoalFile
from okrctl.rules.base import LintContext, at, key_results

CODE = "OKR106"
NAME = "grade-without-note"
SEVERITY = "warning"


def check_file(file: GoalFile, context: LintContext) -> Iterator[Problem]:
    for loc, _, key_result in key_results(file):
        if key_result.grade is not None and not (key_result.grade_note or "").strip():
            message = f"key result {key_result.id!r} has a manual grade without grade_note: say why"
            yield at(file, (*loc, "grade"), message)
