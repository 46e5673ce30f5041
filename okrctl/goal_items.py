"""Goal files as items by reference, and what changed between two sets of them.

An item is an objective, a key result or a KPI with the fields that say what it promises (title, type, weight,
period, start, target, thresholds, kind, bands, alignment, guardrails…) and its dated values (check-ins or
measurements). `okrctl diff`, the history rules and `okrctl history` compare items by reference, never by
file: an item moved to another file, or a renamed file, is no change.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from okrctl.model import KeyResult, Kpi, KpiFile, Objective, OkrFile

ItemKind = Literal["objective", "key_result", "kpi"]
Loc = tuple[str | int, ...]

# The fields compared, per kind of item, in the order changes are listed.
TRACKED: dict[str, tuple[str, ...]] = {
    "objective": ("title", "type", "weight", "period", "aligns_to", "guardrails"),
    "key_result": (
        "title",
        "kind",
        "start",
        "target",
        "at_least",
        "at_most",
        "done",
        "done_on",
        "kpi",
        "current",
        "unit",
        "weight",
        "grade",
        "period",
    ),
    "kpi": ("title", "owner", "unit", "frequency", "green", "amber", "definition", "source"),
}
TARGET_FIELDS = ("start", "target", "at_least", "at_most", "kind")  # what moves a key result's goalposts
BAND_FIELDS = ("green", "amber")


@dataclass(frozen=True)
class Dated:
    """A check-in or a measurement."""

    date: date
    value: float
    confidence: float | None = None
    note: str | None = None


@dataclass(frozen=True)
class Rebaseline:
    date: date
    old: float  # the `from` value
    reason: str


@dataclass(frozen=True)
class Item:
    ref: str  # OWNER/OBJECTIVE, OWNER/OBJECTIVE/KR or OWNER/KPI
    kind: ItemKind
    period: str  # the okrs file's period label; "" for KPIs
    path: str  # the file it was read from, as shown
    loc: Loc  # where in that file
    fields: dict[str, Any] = field(hash=False, compare=False)  # TRACKED fields that are set
    dated: tuple[Dated, ...] = ()
    rebaselined: tuple[Rebaseline, ...] = ()

    @property
    def key(self) -> tuple[str, str]:
        return self.ref, self.period

    def get(self, name: str) -> Any:
        return self.fields.get(name)


def items_of(model: OkrFile | KpiFile, path: str) -> list[Item]:
    """The items of one goal file's model, whose check-ins and measurements must be loaded."""
    if isinstance(model, KpiFile):
        return [_kpi_item(model.owner, kpi, path, ("kpis", index)) for index, kpi in enumerate(model.kpis)]
    items = []
    for index, objective in enumerate(model.objectives):
        ref = f"{model.owner}/{objective.id}"
        loc: Loc = ("objectives", index)
        items.append(Item(ref, "objective", model.period, path, loc, _objective_fields(objective, model.period)))
        for number, key_result in enumerate(objective.key_results):
            items.append(
                _key_result_item(
                    f"{ref}/{key_result.id}", key_result, model.period, path, (*loc, "key_results", number)
                )
            )
    return items


def _objective_fields(objective: Objective, period: str) -> dict[str, Any]:
    return _set(
        title=objective.title,
        type=objective.type,
        weight=objective.weight,
        period=period,
        aligns_to=objective.aligns_to,
        guardrails=tuple(objective.guardrails) or None,
    )


def _key_result_item(ref: str, key_result: KeyResult, period: str, path: str, loc: Loc) -> Item:
    kind = key_result.kind
    fields = _set(
        title=key_result.title,
        kind=kind.name if kind is not None else None,
        start=key_result.start,
        target=key_result.target,
        at_least=key_result.at_least,
        at_most=key_result.at_most,
        done=key_result.done,
        done_on=key_result.done_on,
        kpi=key_result.kpi,
        current=key_result.current,
        unit=key_result.unit,
        weight=key_result.weight,
        grade=key_result.grade,
        period=period,
    )
    dated = tuple(
        Dated(entry["date"], entry["value"], entry.get("confidence"), entry.get("note"))
        for entry in key_result.checkins or ()
    )
    rebaselined = tuple(
        Rebaseline(entry["date"], entry["from"], entry["reason"]) for entry in key_result.rebaselined or ()
    )
    return Item(ref, "key_result", period, path, loc, fields, dated, rebaselined)


def _kpi_item(owner: str, kpi: Kpi, path: str, loc: Loc) -> Item:
    fields = _set(
        title=kpi.title,
        owner=kpi.owner,
        unit=kpi.unit,
        frequency=kpi.frequency,
        green=(kpi.green.min, kpi.green.max) if kpi.green is not None else None,
        amber=(kpi.amber.min, kpi.amber.max) if kpi.amber is not None else None,
        definition=kpi.definition,
        source=kpi.source,
    )
    dated = tuple(Dated(entry["date"], entry["value"], None, entry.get("note")) for entry in kpi.measurements)
    return Item(f"{owner}/{kpi.id}", "kpi", "", path, loc, fields, dated)


def _set(**fields: Any) -> dict[str, Any]:
    return {name: value for name, value in fields.items() if value is not None}


@dataclass(frozen=True)
class FieldChange:
    name: str
    old: Any  # None: it was not set
    new: Any  # None: it is no longer set


@dataclass(frozen=True)
class Rewritten:
    """A dated value committed before and now changed (`new` set) or removed (`new` None)."""

    date: date
    old: float
    new: float | None


@dataclass(frozen=True)
class Change:
    """What happened to one item between two sets of items."""

    status: Literal["added", "removed", "changed"]
    old: Item | None
    new: Item | None
    fields: tuple[FieldChange, ...] = ()
    added: tuple[Dated, ...] = ()  # dated values in `new` that `old` did not have (by date and value)
    removed: tuple[Dated, ...] = ()  # dated values of `old` that `new` no longer has (by date and value)

    @property
    def item(self) -> Item:
        item = self.new or self.old
        assert item is not None
        return item

    @property
    def ref(self) -> str:
        return self.item.ref

    def field(self, name: str) -> FieldChange | None:
        return next((change for change in self.fields if change.name == name), None)

    def rewritten(self) -> list[Rewritten]:
        """Each removed dated value: changed to the value `new` now has on that date, else removed."""
        now = {entry.date: entry.value for entry in self.added}
        return [Rewritten(entry.date, entry.value, now.get(entry.date)) for entry in self.removed]


def compare(old: Iterable[Item], new: Iterable[Item]) -> list[Change]:
    """What changed from `old` to `new`, matched by reference and period (then by reference alone, so a
    changed period is a change of the item rather than a removal and an addition); in `new`'s order, then
    the removed items in `old`'s order."""
    before = {item.key: item for item in old}
    after = {item.key: item for item in new}
    gone = [key for key in before if key not in after]
    came = [key for key in after if key not in before]
    moved: dict[tuple[str, str], tuple[str, str]] = {}  # new key → old key, for a changed period
    for key in came:
        match = next((old_key for old_key in gone if old_key[0] == key[0] and old_key not in moved.values()), None)
        if match is not None:
            moved[key] = match
    changes = []
    for key, item in after.items():
        previous = before.get(key) or (before[moved[key]] if key in moved else None)
        if previous is None:
            changes.append(Change("added", None, item, added=item.dated))
            continue
        change = _changed(previous, item)
        if change is not None:
            changes.append(change)
    matched = set(moved.values())
    changes += [Change("removed", before[key], None, removed=before[key].dated) for key in gone if key not in matched]
    return changes


def _changed(old: Item, new: Item) -> Change | None:
    fields = tuple(
        FieldChange(name, old.get(name), new.get(name)) for name in TRACKED[new.kind] if old.get(name) != new.get(name)
    )
    added, removed = _dated_difference(old.dated, new.dated)
    if not fields and not added and not removed:
        return None
    return Change("changed", old, new, fields, added, removed)


def _dated_difference(old: Sequence[Dated], new: Sequence[Dated]) -> tuple[tuple[Dated, ...], tuple[Dated, ...]]:
    """Dated values in `new` only, and in `old` only, matched by date and value (a note or a confidence
    edited on the same date and value is no new value)."""
    if old == new:
        return (), ()
    before = Counter((entry.date, entry.value) for entry in old)
    after = Counter((entry.date, entry.value) for entry in new)
    added_keys = after - before
    removed_keys = before - after
    return _take(new, added_keys), _take(old, removed_keys)


def _take(entries: Sequence[Dated], wanted: Counter[tuple[date, float]]) -> tuple[Dated, ...]:
    left = Counter(wanted)
    taken = []
    for entry in entries:
        key = (entry.date, entry.value)
        if left[key] > 0:
            left[key] -= 1
            taken.append(entry)
    return tuple(taken)
