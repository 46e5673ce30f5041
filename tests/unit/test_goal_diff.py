"""The diff's model (okrctl/goal_diff.py): changes with their standings and the line a reviewer looks at."""

from __future__ import annotations

from datetime import date

from okrctl.config import Config
from okrctl.goal_diff import Side, SideGoals, Standing, diff_goals
from okrctl.goal_items import Item, Loc, items_of
from okrctl.loader import load_text

BEFORE = """kind: okrs
period: 2026-Q4
owner: sales
objectives:
  - id: acquire
    title: Drive acquisition
    key_results:
      - id: rev
        title: Revenue to 2M
        start: 0
        target: 2000000
        checkins:
          - {date: 2026-10-31, value: 600000}
      - id: logos
        title: Win 10 logos
        target: 10
"""
AFTER = """kind: okrs
period: 2026-Q4
owner: sales
objectives:
  - id: acquire
    title: Drive acquisition
    key_results:
      - id: rev
        title: Revenue to 2M
        start: 0
        target: 2000000
        checkins:
          - {date: 2026-10-31, value: 600000}
          - {date: 2026-11-10, value: 900000}
      - id: deals
        title: Close 5 deals
        target: 5
"""


def side(text: str, standings: dict[str, Standing]) -> SideGoals:
    loaded = load_text("goals/sales.yaml", text, Config())
    assert loaded is not None and loaded.model is not None

    def line(item: Item, loc: Loc) -> int:
        return loaded.position(loc)[0]

    items = items_of(loaded.model, "goals/sales.yaml")
    return SideGoals(Side("main"), items, {i.key: standings[i.ref] for i in items if i.ref in standings}, line)


def test_each_change_carries_both_standings_and_the_line_of_its_first_change() -> None:
    before = side(BEFORE, {"sales/acquire/rev": Standing(0.3, "red", "on_track")})
    after = side(AFTER, {"sales/acquire/rev": Standing(0.45, "yellow", "on_track")})
    entries = {entry.ref: entry for entry in diff_goals(before, after)}
    assert {ref: entry.status for ref, entry in entries.items()} == {
        "sales/acquire/rev": "changed",
        "sales/acquire/deals": "added",
        "sales/acquire/logos": "removed",
    }
    revenue = entries["sales/acquire/rev"]
    assert (revenue.before, revenue.after) == (Standing(0.3, "red", "on_track"), Standing(0.45, "yellow", "on_track"))
    assert (revenue.path, revenue.line) == ("goals/sales.yaml", 14)  # the new check-in's row
    assert [(d.date, d.value) for d in revenue.values.added] == [(date(2026, 11, 10), 900000)]
    deals = entries["sales/acquire/deals"]
    assert (deals.before, deals.after, deals.line) == (None, Standing(), 15)  # not scored: every field None
    logos = entries["sales/acquire/logos"]
    assert (logos.after, logos.line, logos.values.added) == (None, 14, ())  # its line on the older side


def test_a_rewritten_value_is_neither_new_nor_removed() -> None:
    after = side(BEFORE.replace("value: 600000", "value: 650000"), {})
    [entry] = diff_goals(side(BEFORE, {}), after)
    assert (entry.values.added, entry.values.removed) == ((), ())
    assert [(r.date, r.old, r.new) for r in entry.values.rewritten] == [(date(2026, 10, 31), 600000, 650000)]
    assert entry.line == 13
