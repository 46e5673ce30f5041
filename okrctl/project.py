"""All goal files of one run, indexed for cross-file questions: references, alignment, ownership."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from functools import cached_property

from okrctl.loader import GoalFile
from okrctl.model import Kpi, KpiFile, Objective, OkrFile
from okrctl.periods import Period


@dataclass(frozen=True, eq=False)  # identity: entries are made once per run and used as keys
class ObjectiveEntry:
    file: GoalFile
    index: int
    objective: Objective

    @property
    def okrs(self) -> OkrFile:
        assert isinstance(self.file.model, OkrFile)
        return self.file.model

    @property
    def ref(self) -> str:
        return f"{self.okrs.owner}/{self.objective.id}"

    @property
    def period(self) -> Period:
        assert self.file.period is not None
        return self.file.period

    @property
    def loc(self) -> tuple[str | int, ...]:
        return ("objectives", self.index)


@dataclass(frozen=True)
class KpiEntry:
    file: GoalFile
    index: int
    kpi: Kpi

    @property
    def kpis_file(self) -> KpiFile:
        assert isinstance(self.file.model, KpiFile)
        return self.file.model

    @property
    def owner(self) -> str:
        return self.kpis_file.owner

    @property
    def ref(self) -> str:
        return f"{self.owner}/{self.kpi.id}"


class Project:
    def __init__(self, files: list[GoalFile]) -> None:
        self.files = files
        self.cache: dict[object, object] = {}  # derived results shared by rules and reports (e.g. the scorer)

    def leave_out(self, paths: Collection[str]) -> None:
        """Drop the files at `paths` (a report's files that cannot be scored): the indexes and the derived
        results (`cache`, with the scorer's scores) are made again, without them, when next asked for."""
        kept = [file for file in self.files if file.path not in paths]
        if len(kept) == len(self.files):
            return
        self.files = kept
        self.cache.clear()
        for name in _INDEXES:
            self.__dict__.pop(name, None)

    @cached_property
    def okr_files(self) -> list[GoalFile]:
        return [f for f in self.files if isinstance(f.model, OkrFile)]

    @cached_property
    def kpi_files(self) -> list[GoalFile]:
        return [f for f in self.files if isinstance(f.model, KpiFile)]

    @cached_property
    def objectives(self) -> list[ObjectiveEntry]:
        return [
            ObjectiveEntry(file, index, objective)
            for file in self.okr_files
            if isinstance(file.model, OkrFile)
            for index, objective in enumerate(file.model.objectives)
        ]

    def objectives_of(self, file: GoalFile) -> list[ObjectiveEntry]:
        """The objectives of one okrs file, in file order."""
        return self._objectives_by_file.get(id(file), [])

    @cached_property
    def _objectives_by_file(self) -> dict[int, list[ObjectiveEntry]]:
        index: dict[int, list[ObjectiveEntry]] = defaultdict(list)  # by identity: a GoalFile is not hashable
        for entry in self.objectives:
            index[id(entry.file)].append(entry)
        return index

    @cached_property
    def objectives_by_ref(self) -> dict[str, list[ObjectiveEntry]]:
        index: dict[str, list[ObjectiveEntry]] = defaultdict(list)
        for entry in self.objectives:
            index[entry.ref].append(entry)
        return index

    @cached_property
    def kpis(self) -> list[KpiEntry]:
        return [
            KpiEntry(file, index, kpi)
            for file in self.kpi_files
            if isinstance(file.model, KpiFile)
            for index, kpi in enumerate(file.model.kpis)
        ]

    @cached_property
    def kpis_by_ref(self) -> dict[str, list[KpiEntry]]:
        index: dict[str, list[KpiEntry]] = defaultdict(list)
        for entry in self.kpis:
            index[entry.ref].append(entry)
        return index

    @cached_property
    def unchecked_owners(self) -> set[str]:
        """Owners with a goal file that failed to load: references to them cannot be judged."""
        owners = set()
        for file in self.files:
            if file.model is None and file.owner_hint is not None:
                owners.add(file.owner_hint)
        return owners

    def aligned_parent(self, entry: ObjectiveEntry) -> ObjectiveEntry | None:
        """The objective `entry` aligns to: same period first, else the narrowest enclosing period."""
        return self.parents.get(entry)

    @cached_property
    def parents(self) -> dict[ObjectiveEntry, ObjectiveEntry]:
        """The objective each aligned objective aligns to, found once: several rules and scoring ask."""
        parents = {}
        for entry in self.objectives:
            target = entry.objective.aligns_to
            if target is None:
                continue
            period = entry.period
            candidates = [c for c in self.objectives_by_ref.get(target, ()) if c.period.encloses(period)]
            if candidates:
                parents[entry] = min(candidates, key=lambda c: (c.period.days, c.period.start, c.file.path))
        return parents

    @cached_property
    def children(self) -> dict[ObjectiveEntry, list[ObjectiveEntry]]:
        """The objectives aligned to each objective."""
        children: dict[ObjectiveEntry, list[ObjectiveEntry]] = defaultdict(list)
        for entry, parent in self.parents.items():
            children[parent].append(entry)
        return children


_INDEXES = [name for name, value in vars(Project).items() if isinstance(value, cached_property)]
