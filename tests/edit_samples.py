"""Goal files for the edit tests (checkin, measure): block and flow lists, comments beside items, every KR kind."""

from __future__ import annotations

from pathlib import Path

OKRS = """\
kind: okrs
period: 2026-Q4
owner: ops
objectives:
  - id: rel
    title: Be boring
    key_results:
      - id: lat
        title: Cut p95 latency from 400 ms to 250 ms
        start: 400
        target: 250
        checkins:
          - {date: 2026-10-05, value: 390, confidence: 0.70}
          # November: after the cache fix
          - {date: 2026-11-02, value: 360}   # the fix shipped
      - id: errors
        title: Cut the error rate from 0.8% to 0.2%
        start: 0.8
        target: 0.2
        checkins:
          - date: 2026-10-10
            value: 0.7
          - date: 2026-11-10
            value: 0.5   # retries
            note: first week of retries
      - id: pages
        title: Cut pages from 9 to 3 a week
        start: 9
        target: 3
        current: 7.50   # from the pager report
      - id: region
        title: The EU region serves production traffic
        done: true
        done_on: 2026-11-03
"""

KPIS = """\
kind: kpis
owner: ops
kpis:
  - id: uptime
    title: API uptime
    owner: jonas
    unit: "%"
    definition: Successful checks / all checks
    source: Status page
    frequency: weekly
    green: {min: 99.9}
    measurements: [
      {date: 2026-10-12, value: 99.95},
      # November
      {date: 2026-11-16, value: 99.97},
    ]
  - id: toil
    title: Toil hours
    owner: jonas
    definition: Hours of manual ops work a week
    source: Time tracking
    frequency: weekly
    green: {max: 10}
    measurements:
      - {date: 2026-10-05, value: 12}

      # November, after the runbook work
      - {date: 2026-11-02, value: 9}
"""


def files_in(root: Path) -> dict[str, bytes]:
    """The bytes of every file in `root` (not folders), by name: what an edit may and may not change."""
    return {p.name: p.read_bytes() for p in sorted(root.iterdir()) if not p.is_dir()}
