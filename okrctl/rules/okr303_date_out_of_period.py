"""A check-in, `done_on` or `rebaselined` entry is dated outside its period, or a date lies after the as-of date.

**What it does.** Flags check-ins, milestone `done_on` dates and `rebaselined` entries before the first or
after the last day of their file's period, and any of them or a measurement dated after `--as-of` (default
today). A date that is both is reported once, with both reasons. With an `--as-of` in the past, every
later date is after it: lint judges the files as they would stand on that day (to see what lint said then,
lint the files as they were then, e.g. from a `git worktree` of that commit).

**Why it matters.** Out-of-period dates are usually a wrong year or a copied line; future dates make
today's report claim progress that has not happened.

**Example** (fails in a 2026-Q4 file)

```yaml
checkins:
  - {date: 2025-11-03, value: 40}
```

**Use instead**

```yaml
  - {date: 2026-11-03, value: 40}
```
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from okrctl.findings import Problem
from okrctl.loader import GoalFile
from okrctl.periods import Period
from okrctl.rules.base import LintContext, at, key_results, kpis

CODE = "OKR303"
NAME = "date-out-of-period"
SEVERITY = "warning"


def check_file(file: GoalFile, context: LintContext) -> Iterator[Problem]:
    for loc, _, key_result in key_results(file):
        for index, checkin in enumerate(key_result.checkins or []):
            reason = _reason(checkin["date"], file.period, context.as_of)
            if reason:
                yield at(file, (*loc, "checkins", index), f"check-in dated {checkin['date']} {reason}")
        if key_result.done_on is not None:
            reason = _reason(key_result.done_on, file.period, context.as_of)
            if reason:
                yield at(file, (*loc, "done_on"), f"done_on {key_result.done_on} {reason}")
        for index, entry in enumerate(key_result.rebaselined or []):
            reason = _reason(entry["date"], file.period, context.as_of)
            if reason:
                yield at(file, (*loc, "rebaselined", index), f"rebaselined entry dated {entry['date']} {reason}")
    for loc, kpi in kpis(file):
        for index, measurement in enumerate(kpi.measurements):
            if measurement["date"] > context.as_of:
                message = f"measurement dated {measurement['date']} is after the as-of date {context.as_of}"
                yield at(file, (*loc, "measurements", index), message)


def _reason(day: date, period: Period | None, as_of: date) -> str | None:
    reasons = []
    if period is not None and not period.contains(day):
        reasons.append(f"is outside the period {period.label} ({period.start}..{period.end})")
    if day > as_of:
        reasons.append(f"is after the as-of date {as_of}")
    return " and ".join(reasons) or None
