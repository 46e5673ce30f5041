"""An owner has more objectives in a period than `lint.max_objectives` (default 5).

**What it does.** Counts the objectives of each okrs file (one per owner and period) and reports the first
one past the limit.

**Why it matters.** OKRs are about focus: with many objectives, none gets the attention a stretch needs.

**Example** (fails with the default limit): an okrs file with six objectives.

**Use instead**: keep the three to five that matter most; track the rest as KPIs or backlog.
"""

from __future__ import annotations

from collections.abc import Iterator

from okrctl.findings import Problem
from okrctl.loader import GoalFile
from okrctl.model import OkrFile
from okrctl.rules.base import LintContext, at

CODE = "OKR101"
NAME = "too-many-objectives"
SEVERITY = "warning"


def check_file(file: GoalFile, context: LintContext) -> Iterator[Problem]:
    limit = context.config.lint.max_objectives
    if isinstance(file.model, OkrFile) and len(file.model.objectives) > limit:
        message = (
            f"{file.model.owner!r} has {len(file.model.objectives)} objectives in {file.model.period}, "
            f"more than {limit}: focus on fewer"
        )
        yield at(file, ("objectives", limit), message)
