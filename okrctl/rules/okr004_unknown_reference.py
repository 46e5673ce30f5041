"""A reference points at nothing: `aligns_to`, `guardrails` or a key result's `kpi`.

**What it does.** Checks that `aligns_to: OWNER/OBJECTIVE` names an objective in the same period or in an
enclosing one (a quarterly objective may align to an annual one, not the reverse), and that every KPI
reference (`OWNER/KPI`) in `guardrails` or `kpi` names a KPI of that owner's kpis files. References to an
owner whose file failed to load are not judged.

**Why it matters.** A broken reference silently drops an objective from its roll-up, or a key result
from the KPI that feeds its value.

**Example** (fails: no objective `company/revnue`)

```yaml
aligns_to: company/revnue
```

**Use instead**

```yaml
aligns_to: company/revenue
```
"""

from __future__ import annotations

from collections.abc import Iterator

from okrctl.findings import Problem
from okrctl.project import ObjectiveEntry, Project
from okrctl.rules.base import LintContext, at
from okrctl.validation import did_you_mean_ref

CODE = "OKR004"
NAME = "unknown-reference"
SEVERITY = "error"


def check_project(project: Project, context: LintContext) -> Iterator[Problem]:
    known: dict[str, list[str]] = {}  # the sorted refs, for a did-you-mean: made only when a message needs them

    def objective_refs() -> list[str]:
        return known.setdefault("objectives", sorted(project.objectives_by_ref))

    def kpi_refs() -> list[str]:
        return known.setdefault("kpis", sorted(project.kpis_by_ref))

    def judged(ref: str) -> bool:
        return ref.split("/", 1)[0] not in project.unchecked_owners

    for entry in project.objectives:
        target = entry.objective.aligns_to
        if target is not None and judged(target) and project.aligned_parent(entry) is None:
            yield at(
                entry.file, (*entry.loc, "aligns_to"), _alignment_message(project, entry, target, objective_refs())
            )
        for index, ref in enumerate(entry.objective.guardrails):
            if ref not in project.kpis_by_ref and judged(ref):
                message = f"guardrail {ref!r} is not a known KPI{did_you_mean_ref(ref, kpi_refs())}"
                yield at(entry.file, (*entry.loc, "guardrails", index), message)
        for index, key_result in enumerate(entry.objective.key_results):
            fed_by = key_result.kpi
            if fed_by is not None and fed_by not in project.kpis_by_ref and judged(fed_by):
                message = f"kpi {fed_by!r} is not a known KPI{did_you_mean_ref(fed_by, kpi_refs())}"
                yield at(entry.file, (*entry.loc, "key_results", index, "kpi"), message)


def _alignment_message(project: Project, entry: ObjectiveEntry, target: str, refs: list[str]) -> str:
    elsewhere = project.objectives_by_ref.get(target)
    if not elsewhere:
        return f"aligns_to {target!r} is not a known objective{did_you_mean_ref(target, refs)}"
    periods = ", ".join(sorted({c.period.label for c in elsewhere}))
    return (
        f"aligns_to {target!r} exists only in {periods}, which does not enclose {entry.period.label}: "
        "align to an objective of the same or an enclosing period"
    )
