"""Objectives align to each other in a loop.

**What it does.** Follows each objective's `aligns_to` chain and reports a chain that comes back to where
it started, once per loop in each file that takes part, at the `aligns_to` of that file's first member of
the loop: linting any one of the files finds it.

**Why it matters.** Alignment is a tree from company goals down to teams; a loop has no top, so roll-up
scores cannot be computed.

**Example** (fails)

```yaml
# sales.yaml                         # marketing.yaml
- id: pipeline                       - id: leads
  aligns_to: marketing/leads           aligns_to: sales/pipeline
```

**Use instead**: align both to an objective above them, e.g. `company/revenue`.
"""

from __future__ import annotations

from collections.abc import Iterator

from okrctl.findings import Problem
from okrctl.project import ObjectiveEntry, Project
from okrctl.rules.base import LintContext, at

CODE = "OKR005"
NAME = "alignment-cycle"
SEVERITY = "error"


def check_project(project: Project, context: LintContext) -> Iterator[Problem]:
    done: set[ObjectiveEntry] = set()  # on a chain already walked: leads to a top objective or a reported loop
    for start in project.objectives:
        chain: list[ObjectiveEntry] = []
        on_chain: set[ObjectiveEntry] = set()
        current: ObjectiveEntry | None = start
        while current is not None and current not in on_chain and current not in done:
            chain.append(current)
            on_chain.add(current)
            current = project.aligned_parent(current)
        done.update(chain)
        if current is None or current not in on_chain:
            continue
        loop = chain[chain.index(current) :]
        firsts: dict[int, ObjectiveEntry] = {}  # each file's first member of the loop, by the file's identity
        for member in sorted(loop, key=lambda e: (e.file.path, e.index)):
            firsts.setdefault(id(member.file), member)
        for first in firsts.values():
            ordered = loop[loop.index(first) :] + loop[: loop.index(first)]
            path = " -> ".join(e.ref for e in [*ordered, first])
            yield at(
                first.file,
                (*first.loc, "aligns_to"),
                f"alignment cycle: {path}; break it by aligning one to a higher objective",
            )
