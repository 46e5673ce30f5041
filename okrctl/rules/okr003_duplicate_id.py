"""An id is used twice in its scope, or one owner has two okrs files for one period.

**What it does.** Flags a repeated objective id in a file, a repeated key-result id in an objective, a
repeated KPI id in a file, two okrs files for the same owner and period, and two KPIs with the same
reference (`OWNER/KPI`) across files. A duplicate across files is reported in each of the files, naming the
others, so linting any one of them (as pre-commit does with the files a commit touches) finds it.

**Why it matters.** References, check-ins and scores address goals by id; a duplicate makes them ambiguous.

**Example** (fails)

```yaml
objectives:
  - id: growth
    title: Grow the business
  - id: growth
    title: Delight customers
```

**Use instead**: give the second objective its own id, e.g. `delight`.
"""

from __future__ import annotations

from collections.abc import Iterator

from okrctl.findings import Problem
from okrctl.loader import GoalFile
from okrctl.project import Project
from okrctl.rules.base import LintContext, at, key_results, kpis, objectives

CODE = "OKR003"
NAME = "duplicate-id"
SEVERITY = "error"


def _line(file: GoalFile, loc: tuple[str | int, ...]) -> int:
    return file.position(loc)[0]


def check_file(file: GoalFile, context: LintContext) -> Iterator[Problem]:
    """Ids repeated within one file: judged once per file, so the cache keeps the answer."""
    # Remember where each id was first seen as a location, and turn it into a line only when reporting.
    seen: dict[str, tuple[str | int, ...]] = {}
    for loc, objective in objectives(file):
        if objective.id in seen:
            message = f"duplicate objective id {objective.id!r} (first at line {_line(file, seen[objective.id])})"
            yield at(file, (*loc, "id"), message)
        else:
            seen[objective.id] = loc
    seen_krs: dict[tuple[str | int, ...], dict[str, tuple[str | int, ...]]] = {}
    for loc, _, key_result in key_results(file):
        ids = seen_krs.setdefault(loc[:2], {})
        if key_result.id in ids:
            first = _line(file, ids[key_result.id])
            message = f"duplicate key result id {key_result.id!r} in this objective (first at line {first})"
            yield at(file, (*loc, "id"), message)
        else:
            ids[key_result.id] = loc
    seen_kpis: dict[str, tuple[str | int, ...]] = {}
    for loc, kpi in kpis(file):
        if kpi.id in seen_kpis:
            yield at(
                file, (*loc, "id"), f"duplicate KPI id {kpi.id!r} (first at line {_line(file, seen_kpis[kpi.id])})"
            )
        else:
            seen_kpis[kpi.id] = loc


def check_project(project: Project, context: LintContext) -> Iterator[Problem]:
    """Two okrs files for one owner and period, and one KPI reference defined in two files: in every file."""
    by_owner_period: dict[tuple[str, object, object], list[GoalFile]] = {}
    for file in project.okr_files:
        assert file.period is not None and file.model is not None
        by_owner_period.setdefault((file.model.owner, file.period.start, file.period.end), []).append(file)
    for (owner, _, _), files in by_owner_period.items():
        for file in files if len(files) > 1 else ():
            assert file.period is not None
            message = (
                f"{owner!r} has another okrs file for {file.period.label}: {_others(file, files)}; "
                "keep one okrs file per owner and period"
            )
            yield at(file, ("owner",), message)

    for ref, entries in project.kpis_by_ref.items():
        files = list({id(entry.file): entry.file for entry in entries}.values())
        if len(files) < 2:
            continue  # repeated within one file: check_file reports it
        for file in files:
            first = next(entry for entry in entries if entry.file is file)
            message = f"KPI {ref!r} is also defined in {_others(file, files)}: rename one of them"
            yield at(file, ("kpis", first.index, "id"), message)


def _others(file: GoalFile, files: list[GoalFile]) -> str:
    return ", ".join(sorted(other.path for other in files if other is not file))
