"""A reference points at nothing: `aligns_to`, `guardrails`, a key result's `kpi`, or a KPI's `query`.

**What it does.** Checks that `aligns_to: OWNER/OBJECTIVE` names an objective in the same period or in an
enclosing one (a quarterly objective may align to an annual one, not the reverse), and that every KPI
reference (`OWNER/KPI`) in `guardrails` or `kpi` names a KPI of that owner's kpis files. References to an
owner whose file failed to load are not judged. A KPI's `query:` must name a datasource of the config's
`datasources:` and ask it the way its type answers: `expr` a prometheus one, `sql` a sql one, `column` a
csv one, `command` a command one.

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
from okrctl.model import QUERY_ASKS
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

    datasources = context.config.datasources
    for kpi_entry in project.kpis:
        query = kpi_entry.kpi.query
        if query is None:
            continue
        loc = ("kpis", kpi_entry.index, "query")
        source = datasources.get(query.datasource)
        if source is None:
            known_sources = ", ".join(sorted(datasources)) or "none"
            message = (
                f"datasource {query.datasource!r} is not under datasources: in okrctl.yaml (known: {known_sources})"
            )
            yield at(kpi_entry.file, (*loc, "datasource"), message)
        elif QUERY_ASKS[query.asks] != source.type:
            wanted = next(key for key, kind in QUERY_ASKS.items() if kind == source.type)
            message = (
                f"the query asks {query.asks}, but datasource {query.datasource!r} is a {source.type} one: "
                f"ask it with {wanted}"
            )
            yield at(kpi_entry.file, (*loc, query.asks), message)


def _alignment_message(project: Project, entry: ObjectiveEntry, target: str, refs: list[str]) -> str:
    elsewhere = project.objectives_by_ref.get(target)
    if not elsewhere:
        return f"aligns_to {target!r} is not a known objective{did_you_mean_ref(target, refs)}"
    periods = ", ".join(sorted({c.period.label for c in elsewhere}))
    return (
        f"aligns_to {target!r} exists only in {periods}, which does not enclose {entry.period.label}: "
        "align to an objective of the same or an enclosing period"
    )
