"""A key result of a running period has no dated check-in in the last `lint.checkin_days` days (14).

**What it does.** While the period runs (as of `--as-of`, default today), flags each metric or threshold
key result whose latest check-in is older than `checkin_days`, or that has none. Key results fed by a
`kpi` are judged by that KPI's staleness (OKR302) instead. Milestones and manually graded key results are
exempt. A `current` value is undated, so it counts as no check-in: the spec asks for a *dated* check-in,
and a value nobody dated cannot show it was looked at this fortnight. Clear it by switching the key result
to `checkins:` (`okrctl checkin` on a `current` key result only replaces the undated value).

**Why it matters.** The value of OKRs is in the weekly conversation about them; a key result nobody has
looked at for weeks is not being steered.

**Example** (fails on 2026-11-23)

```yaml
checkins:
  - {date: 2026-10-05, value: 120}
```

**Use instead**: `okrctl checkin sales/acquire/deals 31`, which appends a dated check-in.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from okrctl.findings import Problem
from okrctl.loader import GoalFile
from okrctl.model import KeyResult
from okrctl.periods import Period
from okrctl.rules.base import LintContext, at, key_results

CODE = "OKR301"
NAME = "stale-key-result"
SEVERITY = "warning"


def wants_checkins(key_result: KeyResult) -> bool:
    """Whether the key result wants a dated check-in every `checkin_days`: a metric or threshold that takes
    neither its values from a KPI nor a manual grade."""
    kind = key_result.kind
    return kind is not None and kind.goes_stale and not key_result.kpi and key_result.grade is None


def overdue_since(key_result: KeyResult, period: Period, as_of: date, limit: int) -> date | None:
    """The first day the key result's check-in was overdue, as of `as_of` (None: it is not): `limit` days
    after its period started while it has no dated check-in, else the day after `limit` days passed since
    its latest one."""
    dates = [c["date"] for c in key_result.checkins or [] if c["date"] <= as_of]
    due = max(dates) + timedelta(days=limit + 1) if dates else period.start + timedelta(days=limit)
    return due if due <= as_of else None


def running(period: Period | None, as_of: date) -> bool:
    return period is not None and period.start <= as_of < period.end


def check_file(file: GoalFile, context: LintContext) -> Iterator[Problem]:
    period = file.period
    if period is None or not running(period, context.as_of):
        return
    limit = context.config.lint.checkin_days
    for loc, _, key_result in key_results(file):
        if not wants_checkins(key_result) or overdue_since(key_result, period, context.as_of, limit) is None:
            continue  # checked in lately, or the period is younger than the check-in rhythm
        dates = [c["date"] for c in key_result.checkins or [] if c["date"] <= context.as_of]
        if not dates:
            if key_result.current is not None:
                message = (
                    f"key result {key_result.id!r} keeps an undated current value: switch it to dated check-ins "
                    f"(replace current: {key_result.current} with checkins: [{{date: YYYY-MM-DD, "
                    f"value: {key_result.current}}}]); okrctl checkin only replaces a current value"
                )
                yield at(file, (*loc, "current"), message)
                continue
            yield at(
                file, loc, f"key result {key_result.id!r} has no dated check-in yet: record one with okrctl checkin"
            )
            continue
        age = (context.as_of - max(dates)).days
        message = (
            f"key result {key_result.id!r} was last checked in on {max(dates)}, {age} days ago "
            f"(more than {limit}): record a check-in"
        )
        yield at(file, (*loc, "checkins"), message)
