"""A KPI band is inverted, or the amber band does not contain the green band.

**What it does.** Flags a `green` or `amber` band whose `min` is above its `max`, and an `amber` band that
does not contain the `green` band (amber is the warning zone around green).

**Why it matters.** With inverted or disjoint bands a healthy value can read as red, and the early
warning that KPIs exist for never comes.

**Example** (fails: amber starts above green)

```yaml
green: {min: 4.6}
amber: {min: 4.7}
```

**Use instead**

```yaml
green: {min: 4.6}
amber: {min: 4.3}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from okrctl.findings import Problem
from okrctl.loader import GoalFile
from okrctl.model import Band
from okrctl.rules.base import LintContext, at, kpis

CODE = "OKR008"
NAME = "band-order"
SEVERITY = "error"


def check_file(file: GoalFile, context: LintContext) -> Iterator[Problem]:
    for loc, kpi in kpis(file):
        inverted = False
        for name in ("green", "amber"):
            band = getattr(kpi, name)
            if band is not None and band.min is not None and band.max is not None and band.min > band.max:
                inverted = True
                yield at(file, (*loc, name), f"{name} band has min {band.min} above max {band.max}: swap them")
        if kpi.green is not None and kpi.amber is not None and not inverted:
            reason = _not_containing(kpi.amber, kpi.green)
            if reason:
                yield at(file, (*loc, "amber"), f"the amber band must contain the green band: {reason}")


def _not_containing(amber: Band, green: Band) -> str | None:
    if amber.min is not None and (green.min is None or amber.min > green.min):
        return f"amber min {amber.min} is above green min {green.min if green.min is not None else '(none)'}"
    if amber.max is not None and (green.max is None or amber.max < green.max):
        return f"amber max {amber.max} is below green max {green.max if green.max is not None else '(none)'}"
    return None
