"""What every rule module shares: the rule record, the lint context and small helpers."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from types import ModuleType
from typing import TYPE_CHECKING

from okrctl.config import Config
from okrctl.findings import Problem, Severity
from okrctl.findings import plural as plural  # still importable from here
from okrctl.key_result_kinds import start_from_kpi, zero_range
from okrctl.loader import GoalFile
from okrctl.model import KeyResult, Kpi, KpiFile, Objective, OkrFile

if TYPE_CHECKING:
    from okrctl.history import History
    from okrctl.project import ObjectiveEntry, Project
    from okrctl.rules.history_base import HistoryContext
    from okrctl.scoring import ObjectiveScore, Scorer, ScoringError


@dataclass(frozen=True)
class LintContext:
    config: Config
    as_of: date


FileCheck = Callable[[GoalFile, LintContext], Iterator[Problem]]
ProjectCheck = Callable[["Project", LintContext], Iterator[Problem]]
HistoryCheck = Callable[["Project", LintContext], bool]
# The history rules' check: the commits that changed the goals, judged against the current tree (OKR401-OKR405).
CommitsCheck = Callable[["History", "Project", "HistoryContext"], Iterator[Problem]]


@dataclass(frozen=True)
class Rule:
    """A rule's identity, checks and needs. Its module docstring is its user documentation.

    A file check always sees the whole file. A project check sees files whose history (check-ins and
    measurements) is set aside, unless its module declares `NEEDS_HISTORY = True`; a module may narrow that
    with `history_needed(project, context)`, a cheap test of whether it needs history for this project
    (say, only once some period has ended), so that a run where it does not never loads it. Reading history
    without declaring it fails loudly (see `loader.UNLOADED`).

    A history check (`check_history(history, project, context)`) judges the commits that changed the goals
    (see `okrctl.rules.history_base`); it runs only when asked: `okrctl lint --history`, `okrctl diff`.
    """

    code: str
    name: str
    severity: Severity
    doc: str
    check_file: FileCheck | None = None
    check_project: ProjectCheck | None = None
    needs_history: bool = False
    history_needed: HistoryCheck | None = None
    source: str = ""  # the module's path in the repository (`okrctl/rules/okr007_zero_range.py`): its docstring
    check_history: CommitsCheck | None = None

    def reads_history(self, project: Project, context: LintContext) -> bool:
        """Whether the project check needs the files' history for this project."""
        if not self.needs_history or self.check_project is None:
            return False
        return self.history_needed is None or self.history_needed(project, context)

    @property
    def summary(self) -> str:
        return self.doc.strip().splitlines()[0].rstrip(".")

    @classmethod
    def from_module(cls, module: ModuleType) -> Rule:
        rule = cls(
            code=module.CODE,
            name=module.NAME,
            severity=module.SEVERITY,
            doc=module.__doc__ or "",
            check_file=getattr(module, "check_file", None),
            check_project=getattr(module, "check_project", None),
            check_history=getattr(module, "check_history", None),
            needs_history=getattr(module, "NEEDS_HISTORY", False),
            history_needed=getattr(module, "history_needed", None),
            source=module.__name__.replace(".", "/") + ".py",
        )
        if rule.history_needed is not None and not rule.needs_history:
            raise RuntimeError(f"{module.__name__} defines history_needed but not NEEDS_HISTORY = True")
        return rule


def at(file: GoalFile, loc: tuple[str | int, ...], message: str) -> Problem:
    """A problem at the key or item `loc` of `file` (or its nearest existing ancestor)."""
    line, column = file.position(loc)
    return Problem(file.path, line, column, message)


def objectives(file: GoalFile) -> Iterator[tuple[tuple[str | int, ...], Objective]]:
    """Each objective of an okrs file with its location."""
    if isinstance(file.model, OkrFile):
        for index, objective in enumerate(file.model.objectives):
            yield ("objectives", index), objective


def key_results(file: GoalFile) -> Iterator[tuple[tuple[str | int, ...], Objective, KeyResult]]:
    """Each key result of an okrs file with its location and objective."""
    for loc, objective in objectives(file):
        for index, key_result in enumerate(objective.key_results):
            yield (*loc, "key_results", index), objective, key_result


def kpis(file: GoalFile) -> Iterator[tuple[tuple[str | int, ...], Kpi]]:
    """Each KPI of a kpis file with its location."""
    if isinstance(file.model, KpiFile):
        for index, kpi in enumerate(file.model.kpis):
            yield ("kpis", index), kpi


def some_period_ended(project: Project, context: LintContext) -> bool:
    """Whether a period of the project has ended as of the context's date (end-of-period rules apply)."""
    return any(file.period is not None and context.as_of >= file.period.end for file in project.okr_files)


def takes_start_from_kpi(project: Project) -> bool:
    """Whether a key result of the project takes its start from a KPI (one of its measurements)."""
    if "takes_start_from_kpi" not in project.cache:  # OKR006 and OKR007 both ask
        project.cache["takes_start_from_kpi"] = any(
            kr.kpi is not None and start_from_kpi(kr)
            for entry in project.objectives
            for kr in entry.objective.key_results
        )
    return project.cache["takes_start_from_kpi"] is True


def scorer_for(project: Project, context: LintContext) -> Scorer:
    """One memoising scorer per project and context, shared by the rules that need scores and the report."""
    from okrctl.scoring import Scorer

    key = ("scorer", id(context.config), context.as_of)
    if key not in project.cache:
        project.cache[key] = Scorer(project, context.config, context.as_of)
    scorer = project.cache[key]
    assert isinstance(scorer, Scorer)
    return scorer


def derived_start_errors(project: Project, context: LintContext) -> list[ScoringError]:
    """Why metric key results that take their start from a KPI cannot get one (OKR006, OKR007); found once
    per project and context, as both rules ask."""
    key = ("derived_start_errors", id(context.config), context.as_of)
    if key not in project.cache:
        project.cache[key] = _derived_start_errors(project, context)
    errors = project.cache[key]
    assert isinstance(errors, list)
    return errors


def _derived_start_errors(project: Project, context: LintContext) -> list[ScoringError]:
    derived = [
        (entry, index, key_result)
        for entry in project.objectives
        for index, key_result in enumerate(entry.objective.key_results)
        if start_from_kpi(key_result) and key_result.kpi in project.kpis_by_ref
    ]
    if not derived:
        return []  # the usual case: no need to load the scoring engine
    from okrctl.scoring import ScoringError

    errors = []
    scorer = scorer_for(project, context)
    for entry, index, key_result in derived:
        try:  # the scorer refuses a start it cannot find (OKR006) and one that equals the target (OKR007)
            scorer.metric_start(entry, index, key_result)
        except ScoringError as error:
            errors.append(error)
    return errors


def ended_scores(project: Project, context: LintContext) -> Iterator[tuple[ObjectiveEntry, ObjectiveScore]]:
    """Objectives of each owner's most recent ended period (as of the context's date), with their scores.

    Only the most recent: a period ended long ago was judged when it ended, and would otherwise warn on every
    run for as long as its file is kept. Objectives that cannot be scored are never scored here: those of a
    file with a key result that OKR006 or OKR007 rejects (and the roll-ups above them), and those the scorer
    refuses; the rules that describe why (OKR004–OKR007) report them.
    """
    ended = [entry for entry in project.objectives if context.as_of >= entry.period.end]
    if not ended:
        return
    latest: dict[str, date] = {}
    for entry in ended:
        owner = entry.okrs.owner
        latest[owner] = max(latest.get(owner, entry.period.end), entry.period.end)
    from okrctl.scoring import ScoringError

    key = ("unscorable", id(context.config), context.as_of)
    if key not in project.cache:  # OKR304 and OKR305 both ask
        project.cache[key] = _unscorable(project, context)
    unscorable = project.cache[key]
    assert callable(unscorable)
    scorer = scorer_for(project, context)
    for entry in ended:
        if entry.period.end != latest[entry.okrs.owner] or unscorable(entry):
            continue
        try:
            yield entry, scorer.objective(entry)
        except ScoringError:
            continue


def _unscorable(project: Project, context: LintContext) -> Callable[[ObjectiveEntry], bool]:
    """Whether an objective's score would rest on a key result OKR006 or OKR007 rejects (its own start and
    target, or a start taken from a KPI), in its own file or, for a roll-up, in an objective aligned to it."""
    from okrctl.rules.okr006_key_result_kind import key_result_problems

    bad_files = {
        id(file)
        for file in project.okr_files
        for entry in project.objectives_of(file)
        for key_result in entry.objective.key_results
        if zero_range(key_result) or next(key_result_problems(key_result), None) is not None
    }
    bad_files.update(id(error.file) for error in derived_start_errors(project, context))
    memo: dict[ObjectiveEntry, bool] = {}

    def unscorable(entry: ObjectiveEntry) -> bool:
        # Children first with an explicit stack, not recursion: roll-up chains can be thousands deep. An entry
        # met again while its children are pending is in an alignment cycle: unscorable (OKR005 reports it).
        stack: list[tuple[ObjectiveEntry, bool]] = [(entry, False)]
        while stack:
            current, children_done = stack.pop()
            if current in memo and not children_done:
                continue
            rolls_up = not current.objective.key_results
            children = project.children.get(current, ()) if rolls_up else ()
            if children_done or not children:
                memo[current] = id(current.file) in bad_files or any(memo.get(c, True) for c in children)
                continue
            memo[current] = True  # pending: a cycle back to it counts as unscorable
            stack.append((current, True))
            stack += [(child, False) for child in children if child not in memo]
        return memo[entry]

    return unscorable
