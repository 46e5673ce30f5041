"""Build the score/status report: select the period and owner, score, and gather KPI health.

The same `Report` feeds every output format; `as_document` is the JSON document of `score` and `status` (version 1).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from itertools import groupby
from typing import Any

from okrctl.errors import UserError
from okrctl.health import KpiHealth, kpi_health
from okrctl.loader import GoalFile
from okrctl.model import KpiFile, OkrFile
from okrctl.periods import Period
from okrctl.project import Project
from okrctl.scoring import KeyResultScore, ObjectiveScore, OwnerScore, Scorer, ScoringError
from okrctl.validation import did_you_mean

JSON_VERSION = 1


@dataclass
class Report:
    as_of: date
    objectives: list[ObjectiveScore]
    owners: list[OwnerScore]
    kpis: list[KpiHealth]
    periods: list[Period] = field(default_factory=list)
    all_objectives: list[ObjectiveScore] = field(default_factory=list)  # every period
    tree_objectives: list[ObjectiveScore] = field(default_factory=list)  # what the tree shows (`tree_selection`)

    def by_owner_and_period(self) -> Iterator[tuple[str, Period, OwnerScore | None, list[ObjectiveScore]]]:
        """The selected objectives grouped as the score reports show them: by period (earliest first, the
        longest of those starting together first), then owner, each with the owner's score of that period."""
        owner_scores = {(o.owner, o.period): o for o in self.owners}
        ordered = sorted(self.objectives, key=lambda o: (o.period.start, -o.period.days, o.owner))
        for (owner, period), group in groupby(ordered, key=lambda o: (o.owner, o.period)):
            yield owner, period, owner_scores.get((owner, period)), list(group)


def select_periods(files: list[GoalFile], as_of: date, wanted: Period | None) -> list[Period]:
    """The periods to report: the one asked for; else those containing the as-of date; else the latest ended;
    else (planning week, before any period has started) the next to start."""
    periods = sorted({f.period for f in files if f.period is not None}, key=lambda p: (p.start, p.end, p.label))
    if wanted is not None:
        return [p for p in periods if (p.start, p.end) == (wanted.start, wanted.end)]
    current = [p for p in periods if p.contains(as_of)]
    if current:
        return current
    ended = [p for p in periods if p.end < as_of]
    if ended:
        last_end = max(p.end for p in ended)
        return [p for p in ended if p.end == last_end]
    if not periods:
        return []
    first_start = min(p.start for p in periods)
    return [p for p in periods if p.start == first_start]


def tree_selection(
    selected: list[ObjectiveScore], everything: list[ObjectiveScore], whole_roll_ups: bool = True
) -> list[ObjectiveScore]:
    """What the tree shows: the selected objectives, the roll-ups they count in, and every objective that
    counts in a shown roll-up, in any period (so each roll-up's score can be read off its children).

    With `whole_roll_ups` False (one owner's tree), the roll-ups above the selection are context: only
    what counts in the selected objectives is added, not the other owners' objectives beside them.
    """
    by_key = {(o.ref, o.period): o for o in everything}
    children: dict[int, list[ObjectiveScore]] = {}
    for objective in everything:
        parent = by_key.get(objective.parent) if objective.parent else None
        if parent is not None:
            children.setdefault(id(parent), []).append(objective)
    shown: dict[int, ObjectiveScore] = {}
    for objective in selected:
        current: ObjectiveScore | None = objective
        while current is not None and id(current) not in shown:
            shown[id(current)] = current
            current = by_key.get(current.parent) if current.parent else None
    pending = list(shown.values()) if whole_roll_ups else list(selected)
    while pending:  # a loop, not recursion: alignment chains can be thousands deep
        for child in children.get(id(pending.pop()), []):
            if id(child) not in shown:
                shown[id(child)] = child
                pending.append(child)
    return [o for o in everything if id(o) in shown]


def build_report(
    project: Project,
    scorer: Scorer,
    period: Period | None = None,
    owner: str | None = None,
    objectives: bool = True,
    shown: set[str] | None = None,
) -> tuple[Report, list[ScoringError]]:
    """Score every okrs file of `project` with `scorer` (unless `objectives` is False), and gather KPI health.

    A file the scorer refuses is one of the errors returned: the engine leaves it out and asks again. With
    `shown`, the report holds the objectives and KPIs of those files only (the files a user named); the rest
    of the project is their context: the KPIs that feed them, the objectives that roll up into them.
    """
    config, as_of = scorer.config, scorer.as_of
    errors: list[ScoringError] = []
    scored: dict[str, list[ObjectiveScore]] = {}
    owners: dict[str, OwnerScore] = {}
    for file in project.okr_files if objectives else []:
        try:
            scored[file.path] = [scorer.objective(e) for e in project.objectives_of(file)]
            owners[file.path] = scorer.owner(file)
        except ScoringError as error:
            errors.append(error)
    owned = [
        f
        for f in project.okr_files
        if f.path in scored and owner in (None, _owner_of(f)) and (shown is None or f.path in shown)
    ]
    periods = select_periods(owned, as_of, period)  # the owner's own periods
    ranges = {(p.start, p.end) for p in periods}

    def chosen(score: ObjectiveScore | OwnerScore) -> bool:
        in_period = (score.period.start, score.period.end) in ranges
        return in_period and owner in (None, score.owner) and (shown is None or score.path in shown)

    everything = [s for scores in scored.values() for s in scores]
    kpis = [
        kpi_health(entry.ref, entry.kpi, entry.owner, as_of, config.stale_grace_days)
        for entry in project.kpis
        if owner in (None, entry.owner) and (shown is None or entry.file.path in shown)
    ]
    selected = [s for s in everything if chosen(s)]
    report = Report(
        as_of=as_of,
        objectives=selected,
        owners=[s for s in owners.values() if chosen(s)],
        kpis=kpis,
        periods=periods,
        all_objectives=everything,
        tree_objectives=tree_selection(selected, everything, whole_roll_ups=owner is None),
    )
    return report, errors


def _owner_of(file: GoalFile) -> str | None:
    return file.model.owner if isinstance(file.model, (OkrFile, KpiFile)) else None


def check_owner(owner: str, files: list[GoalFile]) -> None:
    """`--owner` must name the owner of some goal file: a typo would otherwise report nothing, successfully."""
    owners = sorted({o for f in files if (o := _owner_of(f)) is not None})
    if owner not in owners:
        raise UserError(f"--owner: no goal file is owned by {owner!r}{did_you_mean(owner, owners)}")


# -- the JSON document ----------------------------------------------------------------------------


def _key_result(kr: KeyResultScore) -> dict[str, Any]:
    document: dict[str, Any] = {
        "ref": kr.ref,
        "title": kr.title,
        "kind": kr.kind.name,
        "start": kr.start,
        "target": kr.target,
        **kr.kind.document(kr),
    }
    document.update(
        value=kr.value,
        unit=kr.unit,
        weight=kr.weight,
        progress=kr.progress,
        score=kr.score,
        manual_grade=kr.manual_grade,
        grade_note=kr.grade_note,
        confidence=kr.confidence,
        confidence_date=kr.confidence_date.isoformat() if kr.confidence_date else None,
        forecast=kr.forecast,
        last_checkin=kr.last_checkin.isoformat() if kr.last_checkin else None,
    )
    return document


def _objective(score: ObjectiveScore) -> dict[str, Any]:
    return {
        "ref": score.ref,
        "owner": score.owner,
        "period": score.period.label,
        "title": score.title,
        "type": score.type,
        "aligns_to": score.aligns_to,
        "weight": score.weight,
        "score": score.score,
        "grade": score.grade,
        "expected": score.expected,
        "status": score.status,
        "confidence": score.confidence,
        "forecast": score.forecast,
        "review": score.review,
        "guardrails": [{"ref": g.ref, "status": g.status, "stale": g.stale} for g in score.guardrails],
        "key_results": [_key_result(kr) for kr in score.key_results],
    }


def kpi_document(health: KpiHealth) -> dict[str, Any]:
    return {
        "ref": health.ref,
        "title": health.title,
        "owner": health.owner,
        "value": health.value,
        "unit": health.unit,
        "date": health.date.isoformat() if health.date else None,
        "status": health.status,
        "stale": health.stale,
        "trend": health.trend,
    }


def as_document(report: Report) -> dict[str, Any]:
    return {
        "version": JSON_VERSION,
        "as_of": report.as_of.isoformat(),
        "objectives": [_objective(s) for s in report.objectives],
        "owners": [
            {"owner": o.owner, "period": o.period.label, "score": o.score, "grade": o.grade} for o in report.owners
        ],
        "kpis": [kpi_document(k) for k in report.kpis],
    }
