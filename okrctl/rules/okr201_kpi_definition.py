"""A KPI lacks `definition`, `source`, `frequency`, `owner` or a `green` band.

**What it does.** Lists what each KPI is missing of the five things that make a metric a KPI: how it is
computed, where the data comes from, how often it is updated, the accountable person (the KPI's own
`owner`; the file's owner is a team) and the band that counts as healthy.

**Why it matters.** Without them a number cannot be trusted, refreshed or acted on, and okrctl cannot
tell healthy from unhealthy or fresh from stale.

**Example** (fails)

```yaml
- id: nps
  title: Net promoter score
  measurements: [{date: 2026-11-02, value: 41}]
```

**Use instead**

```yaml
- id: nps
  title: Net promoter score
  owner: maria
  definition: Promoters minus detractors, percent of quarterly survey answers
  source: Survey tool export
  frequency: quarterly
  green: {min: 40}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from okrctl.findings import Problem
from okrctl.loader import GoalFile
from okrctl.rules.base import LintContext, at, kpis

CODE = "OKR201"
NAME = "kpi-definition"
SEVERITY = "warning"

_REQUIRED = ("definition", "source", "frequency", "owner", "green")


def check_file(file: GoalFile, context: LintContext) -> Iterator[Problem]:
    for loc, kpi in kpis(file):
        missing = [name for name in _REQUIRED if not getattr(kpi, name)]
        if missing:
            yield at(file, loc, f"KPI {kpi.id!r} lacks {', '.join(missing)}: a KPI needs all five to be trusted")
