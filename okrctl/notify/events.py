"""What `okrctl notify` tells people about: events computed from the goal files (and git history for goal
posts and `--since`), each with a stable fingerprint.

An event says what crossed (a KPI's band, an objective's pace, a target moved, check-ins overdue), on which
day, and what caused it: a measurement or check-in (`cause_day` is its date, `cause` names the row), a commit
(goal posts: `commit` is its id), or time passing (stale KPIs, reminders, reminders again after
`renotify_days`). `--since REV` keeps the events whose cause is newer than REV, so a rerun sends nothing new.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

EventKind = Literal["enter_amber", "enter_red", "recover", "stale", "off_track", "goalpost", "reminder"]
Cause = Literal["measurement", "checkin", "commit", "time"]


@dataclass(frozen=True)
class Event:
    kind: EventKind
    ref: str  # OWNER/KPI, OWNER/OBJECTIVE, OWNER/OBJECTIVE/KR, or OWNER for a reminder
    day: date  # when it happened: the measurement's or check-in's date, the commit's, the day it fell due
    title: str  # the goal's title (the owner's name for a reminder)
    owner: str
    path: str  # the goal file, as findings name it
    transition: str  # e.g. "green→red", "on_track→off_track", "stale", "OKR401", "overdue"
    summary: str  # one line for people: what crossed, its value and bounds, the date
    cause: Cause
    value: float | None = None
    unit: str | None = None
    bounds: tuple[tuple[str, float | None, float | None], ...] = ()  # (band, min, max) of green and amber
    commit: str | None = None  # the commit that caused it (goal posts), full id
    details: tuple[str, ...] = field(default=())  # more lines: the key results behind a reminder, …

    @property
    def fingerprint(self) -> str:
        """Stable across runs and machines: the reference, the day and the transition (and the commit of a goal
        post), hashed; two runs over the same history give the same fingerprints."""
        key = "\0".join((self.kind, self.ref, self.day.isoformat(), self.transition, self.commit or ""))
        return hashlib.sha256(key.encode()).hexdigest()[:16]
