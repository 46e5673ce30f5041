"""A KPI's latest measurement is older than its frequency allows.

**What it does.** As of `--as-of` (default today), flags a KPI whose last measurement is older than its
`frequency` in days (daily 1, weekly 7, biweekly 14, monthly 31, quarterly 92) plus the config's
`stale_grace_days` (default 2). KPIs with no measurement or no frequency are not judged here.

**Why it matters.** A KPI exists to warn early; a stale one shows yesterday's health as today's.

**Example** (fails on 2026-11-23)

```yaml
frequency: weekly
measurements:
  - {date: 2026-11-02, value: 4.7}
```

**Use instead**: `okrctl measure support/csat 4.6`, which records today's value.
"""

from __future__ import annotations

from collections.abc import Iterator

from okrctl.findings import Problem
from okrctl.health import kpi_health
from okrctl.loader import GoalFile
from okrctl.model import FREQUENCY_DAYS
from okrctl.rules.base import LintContext, at, kpis

CODE = "OKR302"
NAME = "stale-kpi"
SEVERITY = "warning"


def check_file(file: GoalFile, context: LintContext) -> Iterator[Problem]:
    grace = context.config.stale_grace_days
    for loc, kpi in kpis(file):
        health = kpi_health(kpi.id, kpi, "", context.as_of, grace)
        if health.stale and health.date is not None and kpi.frequency is not None:
            age = (context.as_of - health.date).days
            message = (
                f"KPI {kpi.id!r} is stale: last measured on {health.date}, {age} days ago; "
                f"{kpi.frequency} allows {FREQUENCY_DAYS[kpi.frequency] + grace} with the grace days"
            )
            yield at(file, (*loc, "measurements"), message)
