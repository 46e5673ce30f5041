"""An owner has more KPIs than `lint.max_kpis` (default 10).

**What it does.** Counts the KPIs of each owner across its kpis files and reports the first one past the
limit. When the owner's KPIs are spread over several files, each of those files gets the finding (at its
first KPI past the limit, or else its first KPI), so linting any one of them finds it.

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
        if len(entries) <= limit:
            continue
        entries.sort(key=lambda e: (e.file.path, e.index))  # the same in a full run and a run of named files
        message = f"{owner!r} has {len(entries)} KPIs, more than {limit}: keep the vital few"
        shown: dict[int, KpiEntry] = {}  # per file (by identity): its first KPI past the limit, else its first
        for entry in entries[limit:] + entries[:limit]:
            shown.setdefault(id(entry.file), entry)
        for entry in sorted(shown.values(), key=lambda e: (e.file.path, e.index)):
            yield at(entry.file, ("kpis", entry.index), message)
