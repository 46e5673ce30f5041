"""What the history rules (OKR401-OKR405) share: the context they judge in, the current tree's items and where
their findings go in it, and how a finding names a commit, a period and a number.

A history rule reads the commits that changed the goals (`okrctl.history.History`, oldest first) and says
what happened to an item after its period started. Its findings are placed in the CURRENT files (the work
tree, or the files of the `--at` revision) at the item's key, so `# okrctl: ignore OKR401` on that line and
the config's ignores and severities work as for any rule. An item that is no longer in the current tree is
placed at the nearest thing still there: its objective, else its owner's file for that period; when nothing
of it is left (the whole file is gone), there is no line to place it on and it is not reported (a deleted
file shows in the review of its own commit, and in `okrctl diff`).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from okrctl.arithmetic import is_number
from okrctl.config import Config
from okrctl.findings import Problem
from okrctl.goal_items import Dated, Item, Loc, items_of
from okrctl.periods import Period, PeriodError, parse_period

if TYPE_CHECKING:
    from okrctl.git import Commit
    from okrctl.history import History
    from okrctl.loader import GoalFile
    from okrctl.project import Project


@dataclass(frozen=True)
class HistoryContext:
    config: Config
    as_of: date
    since: date  # KPIs (which have no period) are judged from this day: the as-of date's quarter's first

    @property
    def grace_days(self) -> int:
        return self.config.history_grace_days

    def period(self, item: Item) -> Period | None:
        """The item's period (None for a KPI, or a label no period reads)."""
        if not item.period:
            return None
        try:
            return parse_period(item.period, self.config.fiscal_year_start)
        except PeriodError:
            return None

    def judged_from(self, item: Item) -> date:
        """The first day a change of `item` is judged: its period's first day (a KPI's: `since`)."""
        period = self.period(item)
        return period.start if period is not None else self.since

    def settled_after(self, item: Item) -> date:
        """The last day of the grace after the item's first judged day: goalposts moved later than this day
        moved after they were set."""
        return self.judged_from(item) + timedelta(days=self.grace_days)

    def into(self, item: Item, day: date) -> str:
        """`35 days into 2026-Q4` (a KPI: `35 days after 2026-10-01`)."""
        days = (day - self.judged_from(item)).days
        period = self.period(item)
        if period is not None:
            return f"{days} days into {period.label}"
        return f"{days} days after {self.judged_from(item)}"


@dataclass
class CurrentTree:
    """The current tree's items by reference and period, with the file each is in."""

    items: dict[tuple[str, str], tuple[Item, GoalFile]] = field(default_factory=dict)
    files_of: dict[tuple[str, str], GoalFile] = field(default_factory=dict)  # (owner, period label) → file

    def get(self, ref: str, period: str) -> Item | None:
        found = self.items.get((ref, period))
        return found[0] if found is not None else None

    def place(self, item: Item, loc: Loc, message: str, commit: Commit | None = None) -> Problem | None:
        """A problem at `loc` inside `item` as it stands now (its nearest existing ancestor), else at what is
        left of it (see the module's docstring); None when nothing is. It carries `commit`, the commit it is
        about, and the item's reference (what `okrctl notify` routes a goal post by)."""
        found = self.items.get(item.key)
        if found is not None:
            current, file = found
            return _at(file, (*current.loc, *loc), message, commit, item.ref)
        if item.kind == "key_result":
            objective = self.items.get((item.ref.rpartition("/")[0], item.period))
            if objective is not None:
                return _at(objective[1], objective[0].loc, message, commit, item.ref)
        owner_file = self.files_of.get((item.ref.partition("/")[0], item.period))
        if owner_file is not None:
            where = ("kpis",) if item.kind == "kpi" else ("objectives",)
            return _at(owner_file, where, message, commit, item.ref)
        return None

    def place_dated(
        self, item: Item, day: date, message: str, value: float | None = None, commit: Commit | None = None
    ) -> Problem | None:
        """A problem at the item's current check-in or measurement of `day` (the one of `value` first), else
        at its list of them, or the item."""
        key = "measurements" if item.kind == "kpi" else "checkins"
        current = self.get(item.ref, item.period)
        if current is not None:
            on_day = [index for index, entry in enumerate(current.dated) if entry.date == day]
            exact = [index for index in on_day if current.dated[index].value == value]
            if exact or on_day:
                return self.place(item, (key, (exact or on_day)[0]), message, commit)
        return self.place(item, (key,), message, commit)


def current_tree(project: Project) -> CurrentTree:
    """The items of the project's files (whose check-ins and measurements are loaded), once per project."""
    cached = project.cache.get("current_tree")
    if isinstance(cached, CurrentTree):
        return cached
    from okrctl.model import KpiFile, OkrFile

    tree = CurrentTree()
    for file in project.files:
        model = file.model
        if model is None:
            continue
        for item in items_of(model, file.path):
            tree.items.setdefault(item.key, (item, file))
        period = model.period if isinstance(model, OkrFile) else ""
        if isinstance(model, OkrFile | KpiFile):
            tree.files_of.setdefault((model.owner, period), file)
    project.cache["current_tree"] = tree
    return tree


class Settled:
    """The value each field of each item had before its first move judged: a move back to it, or a field
    back at it now, is a move undone (what a finding's "restore" asks), not a move."""

    def __init__(self, tree: CurrentTree) -> None:
        self.tree = tree
        self.values: dict[tuple[str, str, str], Any] = {}

    def undone(self, item: Item, name: str, old: Any, new: Any) -> bool:
        """Whether this move of the field `name` of `item` (from `old` to `new`) puts back the value the field
        had before its first move judged, or the field has it again now."""
        settled = self.values.setdefault((item.ref, item.period, name), old)
        now = self.tree.get(item.ref, item.period)
        return new == settled or (now is not None and now.get(name) == settled)


def _at(file: GoalFile, loc: Loc, message: str, commit: Commit | None = None, ref: str | None = None) -> Problem:
    line, column = file.position(loc)
    return Problem(file.path, line, column, message, commit=commit, ref=ref)


def by(commit: Commit) -> str:
    """`by 1a2b3c4 (2026-11-05, Bo)`: the commit a finding is about, as `git log` would show it."""
    if not commit.id:  # `okrctl diff` against the working tree: what is not committed yet
        return f"by uncommitted changes ({commit.date}, {commit.author})"
    return f"by {commit.short} ({commit.date}, {commit.author})"


def values(old: Any, new: Any) -> str:
    """`2,000,000 → 1,600,000`: numbers grouped for people, with every digit they have."""
    from okrctl.reporters.formatting import exact_numbers

    if is_number(old) and is_number(new):
        before, after = exact_numbers(old, new)
        return f"{before} → {after}"
    return f"{shown(old)} → {shown(new)}"


def shown(value: Any) -> str:
    """One value of a field: a number for people, `unset`, or the text itself."""
    from okrctl.reporters.formatting import exact_number

    if value is None:
        return "unset"
    if is_number(value):
        return exact_number(value)
    return str(value)


def raw(value: float) -> str:
    """A number as it would be written in a goal file (`2000000`, `0.125`): what to copy into `from:`."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def dated_word(item: Item) -> str:
    return "measurement" if item.kind == "kpi" else "check-in"


def dated_values(item: Item | None) -> Iterator[tuple[date, float]]:
    for entry in item.dated if item is not None else ():
        yield entry.date, entry.value


def new_values(history: History) -> Iterator[tuple[Item, Dated, Commit]]:
    """Each dated value first committed in a step of `history`, with its item and commit.

    A value the item held in an earlier commit (same date and value) that comes back (a file deleted and
    re-added, a revert) is no new value, nor is one that replaces the value of its date (a rewrite, which is
    OKR404's), nor are those of the commit that first adds the item (its starting record: a KPI added with
    last year's measurements). Values left out by `okrctl.history`'s sieve (added within `backdate_days` of
    their date) are known as soon as a later change of their file is compared: the version before it holds
    them.
    """
    seen: set[tuple[str, date, float]] = set()
    known: set[str] = set()  # the items met in an earlier step
    for step in history.steps:
        for change in step.changes:
            if change.old is not None:
                seen.update((change.ref, entry.date, entry.value) for entry in change.old.dated)
            replaced = {entry.date for entry in change.removed} if change.status == "changed" else set()
            first = change.status == "added" and change.ref not in known
            for entry in change.added:
                key = (change.ref, entry.date, entry.value)
                if key not in seen and entry.date not in replaced and not first:
                    yield change.item, entry, step.commit
                seen.add(key)
        known.update(change.ref for change in step.changes)
