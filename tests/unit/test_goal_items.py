"""Items by reference and what changed between two sets of them (okrctl/goal_items.py)."""

from __future__ import annotations

from datetime import date

from okrctl.config import Config
from okrctl.goal_items import Item, compare, items_of
from okrctl.loader import load_text

OKRS = """kind: okrs
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
          - {date: 2026-10-31, value: 600000, note: two deals}
      - id: floor
        title: Keep CSAT at least 4.5
        at_least: 4.5
"""
KPIS = """kind: kpis
owner: support
kpis:
  - id: csat
    title: CSAT
    green: {min: 4.6}
    amber: {min: 4.3}
    measurements:
      - {date: 2026-11-02, value: 4.7}
"""


def items(text: str, path: str = "a.yaml") -> list[Item]:
    loaded = load_text(path, text, Config())
    assert loaded is not None and loaded.model is not None, loaded and loaded.problems
    return items_of(loaded.model, path)


def test_items_are_named_by_reference_with_their_fields_and_dated_values() -> None:
    found = {item.ref: item for item in items(OKRS) + items(KPIS)}
    assert list(found) == ["sales/acquire", "sales/acquire/rev", "sales/acquire/floor", "support/csat"]
    revenue = found["sales/acquire/rev"]
    assert (revenue.get("kind"), revenue.get("start"), revenue.get("target"), revenue.period) == (
        "metric",
        0,
        2000000,
        "2026-Q4",
    )
    assert [(d.date, d.value, d.note) for d in revenue.dated] == [(date(2026, 10, 31), 600000, "two deals")]
    assert found["support/csat"].get("green") == (4.6, None)
    assert found["sales/acquire/rev"].loc == ("objectives", 0, "key_results", 0)


def test_the_same_goals_in_another_file_are_no_change() -> None:
    assert compare(items(OKRS, "goals/a.yaml"), items(OKRS, "goals/moved/b.yaml")) == []


def test_a_moved_target_a_new_checkin_and_a_rewritten_value() -> None:
    edited = OKRS.replace("target: 2000000", "target: 1600000").replace(
        "value: 600000, note: two deals}", "value: 650000}\n          - {date: 2026-11-20, value: 900000}"
    )
    [change] = compare(items(OKRS), items(edited))
    assert (change.status, change.ref) == ("changed", "sales/acquire/rev")
    assert [(f.name, f.old, f.new) for f in change.fields] == [("target", 2000000, 1600000)]
    assert [(d.date, d.value) for d in change.added] == [(date(2026, 10, 31), 650000), (date(2026, 11, 20), 900000)]
    assert [(r.date, r.old, r.new) for r in change.rewritten()] == [(date(2026, 10, 31), 600000, 650000)]


def test_a_note_edited_on_the_same_date_and_value_is_no_new_value() -> None:
    assert compare(items(OKRS), items(OKRS.replace("note: two deals", "note: three deals"))) == []


def test_added_removed_and_a_changed_period_or_kind() -> None:
    edited = OKRS.replace("period: 2026-Q4", "period: 2027-Q1").replace("at_least: 4.5", "at_most: 4.5")
    edited = edited.replace("      - id: rev", "      - id: rev2")
    changes = {(c.status, c.ref): c for c in compare(items(OKRS), items(edited))}
    assert set(changes) == {
        ("changed", "sales/acquire"),
        ("added", "sales/acquire/rev2"),
        ("changed", "sales/acquire/floor"),
        ("removed", "sales/acquire/rev"),
    }
    assert [(f.name, f.old, f.new) for f in changes["changed", "sales/acquire"].fields] == [
        ("period", "2026-Q4", "2027-Q1")
    ]
    floor = changes["changed", "sales/acquire/floor"]
    assert [f.name for f in floor.fields] == ["at_least", "at_most", "period"]  # a threshold still
    assert [d.value for d in changes["removed", "sales/acquire/rev"].removed] == [600000]


def test_a_moved_kpi_band_and_a_removed_measurement() -> None:
    edited = KPIS.replace("green: {min: 4.6}", "green: {min: 4.4}").replace(
        "      - {date: 2026-11-02, value: 4.7}\n", "      - {date: 2026-11-09, value: 4.5}\n"
    )
    [change] = compare(items(KPIS), items(edited))
    assert [(f.name, f.old, f.new) for f in change.fields] == [("green", (4.6, None), (4.4, None))]
    assert [(r.date, r.old, r.new) for r in change.rewritten()] == [(date(2026, 11, 2), 4.7, None)]
