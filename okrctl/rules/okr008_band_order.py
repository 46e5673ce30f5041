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
        if kpi.green is not None and kpi.amber is not None and not inverted and not _contains(kpi.amber, kpi.green):
            message = (
                f"the amber band {_flow(kpi.amber)} does not contain the green band {_flow(kpi.green)}: "
                "widen amber so that every green value is inside it"
            )
            yield at(file, (*loc, "amber"), message)


def _contains(outer: Band, inner: Band) -> bool:
    low_ok = outer.min is None or (inner.min is not None and outer.min <= inner.min)
    high_ok = outer.max is None or (inner.max is not None and outer.max >= inner.max)
    return low_ok and high_ok


def _flow(band: Band) -> str:
    bounds = [f"{name}: {value}" for name, value in (("min", band.min), ("max", band.max)) if value is not None]
    return "{" + ", ".join(bounds) + "}"
