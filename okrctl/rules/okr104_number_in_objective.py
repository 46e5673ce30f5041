"""An objective title holds a number: numbers belong in key results.

**What it does.** Flags an objective title that contains a digit.

**Why it matters.** The objective is the qualitative, inspiring direction; its key results say how much.
A number in the objective usually means a key result has been promoted by mistake.

**Example** (fails)

```yaml
title: Grow revenue by 15%
```

**Use instead**

```yaml
title: Grow revenue faster than the market
key_results:
  - {id: revenue, title: Increase annual revenue by 15%, start: 0, target: 15, unit: "%"}
```
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from okrctl.findings import Problem
from okrctl.loader import GoalFile
from okrctl.rules.base import LintContext, at, objectives

CODE = "OKR104"
NAME = "number-in-objective"
SEVERITY = "warning"

_NUMBER = re.compile(r"\S*\d\S*")


def check_file(file: GoalFile, context: LintContext) -> Iterator[Problem]:
    for loc, objective in objectives(file):
        match = _NUMBER.search(objective.title)
        if match:
            message = f"objective {objective.id!r} title holds a number ({match.group()!r}): move it to a key result"
            yield at(file, (*loc, "title"), message)
