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


Loc = tuple[str | int, ...]


def check_file(file: GoalFile, context: LintContext) -> Iterator[Problem]:
    """Ids repeated within one file: judged once per file, so the cache keeps the answer."""
    yield from _repeated(file, "objective id", "", ((loc, (), o.id) for loc, o in objectives(file)))
    # A key result's id is unique within its objective (`objectives[i]`, the first two parts of its location).
    krs = ((loc, loc[:2], kr.id) for loc, _, kr in key_results(file))
    yield from _repeated(file, "key result id", " in this objective", krs)
    yield from _repeated(file, "KPI id", "", ((loc, (), kpi.id) for loc, kpi in kpis(file)))


def _repeated(file: GoalFile, what: str, where: str, found: Iterator[tuple[Loc, Loc, str]]) -> Iterator[Problem]:
    """A problem at every id of `found` (location, scope, id) that an earlier one of the same scope has.

    Where each id was first seen is kept as a location, and turned into a line only when reporting.
    """
    first_seen: dict[tuple[Loc, str], Loc] = {}
    for loc, scope, identifier in found:
        first = first_seen.get((scope, identifier))
        if first is None:
            first_seen[scope, identifier] = loc
        else:
            line = file.position(first)[0]
            yield at(file, (*loc, "id"), f"duplicate {what} {identifier!r}{where} (first at line {line})")


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
