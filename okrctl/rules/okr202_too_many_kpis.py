"""An owner has more KPIs than `lint.max_kpis` (default 10).

**What it does.** Counts the KPIs of each owner across its kpis files and reports the first one past the
limit.

**Why it matters.** A dashboard of thirty numbers is read by no one; the vital few get watched.

**Example** (fails with the default limit): a kpis file with eleven KPIs.

**Use instead**: keep the ten that warn earliest; move the rest to the analytics tool they come from.
"""

from __future__ import annotations

from collections.abc import Iterator

from okrctl.findings import Problem
from okrctl.project import KpiEntry, Project
from okrctl.rules.base import LintContext, at

CODE = "OKR202"
NAME = "too-many-kpis"
SEVERITY = "warning"


def check_project(project: Project, context: LintContext) -> Iterator[Problem]:
    limit = context.config.lint.max_kpis
    by_owner: dict[str, list[KpiEntry]] = {}
    for entry in project.kpis:
        by_owner.setdefault(entry.owner, []).append(entry)
    for owner, entries in by_owner.items():
        if len(entries) > limit:
            first_over = entries[limit]
            message = f"{owner!r} has {len(entries)} KPIs, more than {limit}: keep the vital few"
            yield at(first_over.file, ("kpis", first_over.index), message)
