"""An objective title has more words than `lint.max_objective_words` (default 12).

**What it does.** Counts the words of each objective title.

**Why it matters.** An objective should be remembered and repeated; a long title hides what matters.

**Example** (fails)

```yaml
title: Improve the onboarding experience and reduce support tickets and make the documentation easier to search
```

**Use instead**

```yaml
title: Make new customers successful on their own
```
"""

from __future__ import annotations

from collections.abc import Iterator

from okrctl.findings import Problem
from okrctl.loader import GoalFile
from okrctl.rules.base import LintContext, at, objectives

CODE = "OKR105"
NAME = "long-objective"
SEVERITY = "warning"


def check_file(file: GoalFile, context: LintContext) -> Iterator[Problem]:
    limit = context.config.lint.max_objective_words
    for loc, objective in objectives(file):
        words = len(objective.title.split())
        if words > limit:
            message = f"objective {objective.id!r} title has {words} words, more than {limit}: say it shorter"
            yield at(file, (*loc, "title"), message)
