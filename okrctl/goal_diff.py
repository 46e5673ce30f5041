"""What `okrctl diff` reports: the goals' changes between two sides, each with its standing before and after.

A side is the goals as committed at a revision, or as they are in the working tree. Its items (objectives,
key results, KPIs; see `goal_items`) are compared by reference, so a moved or renamed file is no change.
Each change carries the standing of its item on both sides (score, grade, pace status, KPI band), judged as
of one date, and the place a reviewer should look: the file (as the repository names it) and the line of
its first change on the newer side. Plain data, no git and no printing: the command builds the sides, the
reporters print the result.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from okrctl.findings import Finding
from okrctl.git import Commit
from okrctl.goal_items import Change, Dated, Item, Loc, Rewritten, compare

WORKING_TREE = "working tree"

# The key of a dated value's list, per kind of item: where a new check-in or measurement stands in the file.
DATED_KEY = {"key_result": "checkins", "kpi": "measurements", "objective": "checkins"}
KIND_WORDS = {"objective": "objective", "key_result": "key result", "kpi": "KPI"}
DATED_WORDS = {"key_result": "check-in", "kpi": "measurement", "objective": "check-in"}


@dataclass(frozen=True)
class Side:
    """One side of the comparison: a revision as the user named it and its commit, or the working tree."""

    rev: str  # as given (`main`, `HEAD~2`, a merge base's id), or WORKING_TREE
    commit: Commit | None = None  # None: the working tree

    @property
    def label(self) -> str:
        """`main (1a2b3c4)`, `1a2b3c4`, or `working tree`."""
        if self.commit is None:
            return WORKING_TREE
        if self.rev in (self.commit.id, self.commit.short):
            return self.commit.short
        return f"{self.rev} ({self.commit.short})"


@dataclass(frozen=True)
class Standing:
    """How an item stands as of the diff's date: an objective's or key result's score, grade and pace
    status, a KPI's band. None where it does not apply, or when the item could not be scored."""

    score: float | None = None
    grade: str | None = None
    status: str | None = None  # on_track, at_risk, off_track, not_started, ended
    band: str | None = None  # green, amber, red, no_data, unknown


@dataclass
class SideGoals:
    """A side's items with their standings (by item key) and where their parts stand in their files."""

    side: Side
    items: list[Item]
    standings: dict[tuple[str, str], Standing] = field(default_factory=dict)
    line: Callable[[Item, Loc], int] = lambda item, loc: 1  # the line of `loc` in the item's file


@dataclass(frozen=True)
class ValueChanges:
    """An item's dated values (check-ins or measurements) that are new, rewritten or removed."""

    added: tuple[Dated, ...] = ()
    rewritten: tuple[Rewritten, ...] = ()  # a value committed before and now different on the same date
    removed: tuple[Dated, ...] = ()


@dataclass(frozen=True)
class DiffEntry:
    change: Change
    before: Standing | None  # None: the item is not on that side
    after: Standing | None
    path: str  # the file, as the repository names it: on the newer side, else (removed) on the older
    line: int  # the line of the first change there (of the item itself when it was removed)
    values: ValueChanges

    @property
    def ref(self) -> str:
        return self.change.ref

    @property
    def kind(self) -> str:
        return self.change.item.kind

    @property
    def status(self) -> Literal["added", "removed", "changed"]:
        return self.change.status

    @property
    def owner(self) -> str:
        return self.ref.split("/", 1)[0]

    @property
    def title(self) -> str:
        return str(self.change.item.get("title") or "")


@dataclass
class DiffResult:
    base: Side
    head: Side
    as_of: date
    entries: list[DiffEntry]
    findings: list[Finding] = field(default_factory=list)
    # goal files that could not be read on a side (a syntax or schema error): their items are not compared
    unreadable: list[str] = field(default_factory=list)
    # the goals root's okrctl.yaml (repository path) when it differs between the sides: each side is judged
    # with its own, so grades, paces and rules may move with it
    config_changed: str | None = None

    @property
    def errors(self) -> int:
        return sum(1 for finding in self.findings if finding.severity == "error")

    def count(self, status: str) -> int:
        return sum(1 for entry in self.entries if entry.status == status)

    def by_owner(self) -> list[tuple[str, list[DiffEntry]]]:
        """The entries grouped by owner, owners in order of first appearance."""
        groups: dict[str, list[DiffEntry]] = {}
        for entry in self.entries:
            groups.setdefault(entry.owner, []).append(entry)
        return list(groups.items())


def diff_goals(base: SideGoals, head: SideGoals) -> list[DiffEntry]:
    """The changes from `base` to `head`, each with its standings and place (see the module's docstring)."""
    entries = []
    for change in compare(base.items, head.items):
        before = base.standings.get(change.old.key, Standing()) if change.old is not None else None
        after = head.standings.get(change.new.key, Standing()) if change.new is not None else None
        path, line = _place(change, base, head)
        entries.append(DiffEntry(change, before, after, path, line, _values(change)))
    return _with_moved_objectives(entries, base, head)


def _with_moved_objectives(entries: list[DiffEntry], base: SideGoals, head: SideGoals) -> list[DiffEntry]:
    """`entries`, and before the first change of its key results, each objective left unchanged itself whose
    standing moved because of them (a key result dropped or re-scored): the score a reviewer most needs."""
    listed = {entry.change.item.key for entry in entries}
    before = {item.key: item for item in base.items if item.kind == "objective"}
    result: list[DiffEntry] = []
    added: set[tuple[str, str]] = set()
    for entry in entries:
        item = entry.change.item
        if item.kind == "key_result":
            key = (item.ref.rpartition("/")[0], item.period)
            objective = next((i for i in head.items if i.kind == "objective" and i.key == key), None)
            old, new = base.standings.get(key), head.standings.get(key)
            moved = old is not None and new is not None and old != new
            if objective is not None and key in before and key not in listed and key not in added and moved:
                change = Change("changed", before[key], objective)
                line = head.line(objective, objective.loc)
                result.append(DiffEntry(change, old, new, objective.path, line, ValueChanges()))
                added.add(key)
        result.append(entry)
    return result


def _values(change: Change) -> ValueChanges:
    if change.status == "removed":  # the item is gone: its values go with it, nothing more to say
        return ValueChanges()
    rewritten = tuple(change.rewritten())
    replaced = {(entry.date, entry.new) for entry in rewritten if entry.new is not None}
    added = tuple(entry for entry in change.added if (entry.date, entry.value) not in replaced)
    return ValueChanges(added, rewritten, tuple(_removed(change.removed, rewritten)))


def _removed(removed: Sequence[Dated], rewritten: Sequence[Rewritten]) -> list[Dated]:
    gone = {(entry.date, entry.old) for entry in rewritten if entry.new is None}
    return [entry for entry in removed if (entry.date, entry.value) in gone]


def _place(change: Change, base: SideGoals, head: SideGoals) -> tuple[str, int]:
    """The file and line a reviewer should look at: the first change on the newer side."""
    if change.new is None:
        assert change.old is not None
        return change.old.path, base.line(change.old, change.old.loc)
    item = change.new
    if change.status == "added":  # every line of it is new: the item's first
        return item.path, head.line(item, item.loc)
    lines = [head.line(item, _field_loc(item, name.name)) for name in change.fields]
    key = DATED_KEY[item.kind]
    for entry in change.added:
        if entry in item.dated:
            lines.append(head.line(item, (*item.loc, key, item.dated.index(entry))))
    if change.removed and not change.added:
        lines.append(head.line(item, (*item.loc, key)))
    return item.path, min(lines) if lines else head.line(item, item.loc)


def _field_loc(item: Item, name: str) -> Loc:
    if name == "period":  # the file's period, not a key of the item
        return ("period",)
    if name == "kind":  # a kind is written as the fields it needs; the item itself is the change
        return item.loc
    return (*item.loc, name)
