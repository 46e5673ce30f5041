"""Scoring: key results, objectives, owners, grades, pace and forecast.

Pure: it reads a `Project` of valid goal files and returns values; it never prints or touches files. A
key result or objective that cannot be scored raises `ScoringError` with the location at fault.
"""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass
from datetime import date
from typing import Literal

from okrctl.arithmetic import at_least, at_most, clamp
from okrctl.config import Config
from okrctl.health import BandStatus, kpi_health, measurements_until
from okrctl.key_result_kinds import KeyResultKind, kind_problem, no_distance
from okrctl.loader import GoalFile
from okrctl.model import Checkin, KeyResult, Kpi
from okrctl.periods import Period
from okrctl.project import ObjectiveEntry, Project

Grade = Literal["green", "yellow", "red"]
PaceStatus = Literal["on_track", "at_risk", "off_track", "not_started", "ended"]
Review = Literal["missed_commitment", "too_easy"]

ObjectiveType = Literal["aspirational", "committed"]
HEALTHY_LANDING: dict[str, float] = {"committed": 1.0, "aspirational": 0.7}  # by objective type


class ScoringError(Exception):
    """Something in a goal file prevents scoring; carries where and which lint code describes it."""

    def __init__(self, file: GoalFile, loc: tuple[str | int, ...], code: str, message: str) -> None:
        super().__init__(message)
        self.file = file
        self.loc = loc
        self.code = code
        self.message = message


@dataclass(frozen=True)
class KeyResultScore:
    ref: str
    title: str
    kind: KeyResultKind
    start: float | None
    target: float | None
    at_least: float | None
    at_most: float | None
    done: bool | None
    value: float | None
    unit: str | None
    weight: float
    progress: float
    score: float
    manual_grade: bool
    grade_note: str | None
    confidence: float | None
    confidence_date: date | None  # the check-in that stated the confidence
    forecast: float | None
    last_checkin: date | None


@dataclass(frozen=True)
class GuardrailStatus:
    ref: str
    status: BandStatus
    stale: bool


@dataclass(frozen=True)
class ObjectiveScore:
    ref: str
    owner: str
    period: Period
    path: str
    level: str | None
    title: str
    type: ObjectiveType
    aligns_to: str | None
    parent: tuple[str, Period] | None  # the objective aligned to, as (ref, period), once resolved
    weight: float
    score: float
    grade: Grade
    expected: float
    status: PaceStatus
    confidence: float | None
    forecast: float | None
    review: Review | None  # once the period has ended: a missed commitment or a too-easy objective
    guardrails: tuple[GuardrailStatus, ...]
    key_results: tuple[KeyResultScore, ...]
    children: tuple[str, ...]  # refs of the objectives aligned to this one

    @property
    def rollup(self) -> bool:
        return not self.key_results


@dataclass(frozen=True)
class OwnerScore:
    owner: str
    period: Period
    path: str
    score: float
    grade: Grade


def weighted_mean(pairs: list[tuple[float, float]]) -> float:
    """Mean of (value, weight) pairs; weights are positive, as the models require.

    Weights are divided by the largest first, so weights near the float range (1e308) neither overflow
    nor drown the others, and the sums are exact (`math.fsum`): one rounding per sum, not one per term.
    """
    largest = max(float(weight) for _, weight in pairs)
    shares = [(value, float(weight) / largest) for value, weight in pairs]
    return math.fsum(value * share for value, share in shares) / math.fsum(share for _, share in shares)


def grade_of(score: float, config: Config) -> Grade:
    if at_least(score, config.grades.green):
        return "green"
    if at_least(score, config.grades.yellow):
        return "yellow"
    return "red"


def evaluation_day(period: Period, as_of: date) -> date:
    """D: values are read as of the as-of date, but never past the period's last day."""
    return min(as_of, period.end)


def period_ended(period: Period, as_of: date) -> bool:
    """From its last day on, a period counts as ended (pace `ended`, no forecast, OKR304/OKR305)."""
    return as_of >= period.end


def pace(period: Period, as_of: date, score: float, objective_type: str, config: Config) -> tuple[PaceStatus, float]:
    """The pace status and the expected score as of `as_of`."""
    share = HEALTHY_LANDING[objective_type]
    if as_of < period.start:
        return "not_started", 0.0
    if period_ended(period, as_of):
        return "ended", share
    elapsed = ((as_of - period.start).days + 1) / period.days
    expected = elapsed * share
    gap = expected - score
    if at_most(gap, config.pace.on_track):
        return "on_track", expected
    if at_most(gap, config.pace.at_risk):
        return "at_risk", expected
    return "off_track", expected


def review_of(objective_type: str, score: float, key_results: tuple[KeyResultScore, ...]) -> Review | None:
    """How an ended objective landed (OKR304, OKR305): a committed one below 1.0, an aspirational one with key
    results that all reached 1.0."""
    if objective_type == "committed" and not at_least(score, 1.0):
        return "missed_commitment"
    if objective_type == "aspirational" and key_results and all(at_least(kr.score, 1.0) for kr in key_results):
        return "too_easy"
    return None


def least_squares_at(points: list[tuple[float, float]], x: float) -> float | None:
    """The least-squares line through `points` (two or more distinct x), evaluated at `x`; None when the
    figures overflow the float range."""
    try:
        line = statistics.linear_regression([p[0] for p in points], [p[1] for p in points])
    except OverflowError:  # math.fsum of values near 1e308
        return None
    projected = line.intercept + line.slope * x
    return projected if math.isfinite(projected) else None


class Scorer:
    """Scores the objectives of one project as of one date, memoising roll-ups."""

    def __init__(self, project: Project, config: Config, as_of: date) -> None:
        self.project = project
        self.config = config
        self.as_of = as_of
        self._objectives: dict[ObjectiveEntry, ObjectiveScore] = {}
        self._visiting: set[ObjectiveEntry] = set()

    # -- key results -------------------------------------------------------------------------------

    def kpi_for(self, entry: ObjectiveEntry, index: int, ref: str) -> Kpi:
        found = self.project.kpis_by_ref.get(ref)
        if not found:
            message = f"kpi {ref!r} is not available: its file is not among the checked paths or has errors"
            raise ScoringError(entry.file, (*entry.loc, "key_results", index, "kpi"), "OKR004", message)
        return found[0].kpi

    def metric_start(self, entry: ObjectiveEntry, index: int, key_result: KeyResult) -> float:
        """The given start, or the KPI's last measurement on or before the period's first day."""
        if key_result.start is not None:
            return key_result.start
        assert key_result.kpi is not None  # the kind check guarantees a start or a kpi
        kpi = self.kpi_for(entry, index, key_result.kpi)
        history = measurements_until(kpi, entry.period.start)
        if not history:
            message = (
                f"key result {key_result.id!r} needs a start: its kpi {key_result.kpi!r} has no measurement "
                f"on or before {entry.period.start}, the period's first day"
            )
            raise ScoringError(entry.file, (*entry.loc, "key_results", index), "OKR006", message)
        start = history[-1]["value"]
        assert key_result.target is not None
        if no_distance(start, key_result.target):
            message = (
                f"key result {key_result.id!r} takes its start from {key_result.kpi!r} ({start}), "
                "which equals its target: there is no distance to measure"
            )
            raise ScoringError(entry.file, (*entry.loc, "key_results", index, "target"), "OKR007", message)
        return start

    def dated_values(
        self, entry: ObjectiveEntry, index: int, key_result: KeyResult, day: date
    ) -> list[tuple[date, float]]:
        """The key result's dated values up to `day`, one per date (the later in the file wins)."""
        if key_result.kpi is not None:
            kpi = self.kpi_for(entry, index, key_result.kpi)
            return [(m["date"], m["value"]) for m in measurements_until(kpi, day)]
        by_date: dict[date, float] = {}
        for checkin in key_result.checkins or []:
            if checkin["date"] <= day:
                by_date[checkin["date"]] = checkin["value"]
        return sorted(by_date.items())

    def key_result(self, entry: ObjectiveEntry, index: int) -> KeyResultScore:
        key_result = entry.objective.key_results[index]
        kind = key_result.kind
        if kind is None:
            message = kind_problem(key_result)
            assert message is not None  # a key result has a kind or a kind problem
            raise ScoringError(entry.file, (*entry.loc, "key_results", index), "OKR006", message)
        period = entry.period
        day = evaluation_day(period, self.as_of)
        ref = f"{entry.ref}/{key_result.id}"

        start: float | None = None
        value: float | None = None
        dated: list[tuple[date, float]] = []
        if kind.has_value:
            dated = self.dated_values(entry, index, key_result, day)
            if dated:
                value = dated[-1][1]
            elif key_result.kpi is None and key_result.checkins is None:
                value = key_result.current
        if kind.needs_start:
            assert key_result.target is not None  # the kind check: a kind that needs a start has a target
            start = self.metric_start(entry, index, key_result)
            if no_distance(start, key_result.target):  # lint's OKR007; a scorer never divides by zero
                message = (
                    f"key result {key_result.id!r} has start {start} and target {key_result.target}, "
                    "equal as floating-point numbers: there is no distance to measure"
                )
                raise ScoringError(entry.file, (*entry.loc, "key_results", index, "target"), "OKR007", message)
        progress = kind.progress(key_result, value, start, day)
        score = clamp(progress)

        forecast = None if period_ended(period, self.as_of) else self._forecast(key_result, kind, start, period, dated)
        if key_result.grade is not None:
            score = float(key_result.grade)
        confidence, confidence_date = self._confidence(key_result, day)
        return KeyResultScore(
            ref=ref,
            title=key_result.title,
            kind=kind,
            start=start,
            target=key_result.target,
            at_least=key_result.at_least,
            at_most=key_result.at_most,
            done=key_result.done,
            value=value,
            unit=key_result.unit,
            weight=key_result.weight,
            progress=progress,
            score=score,
            manual_grade=key_result.grade is not None,
            grade_note=key_result.grade_note,
            confidence=confidence,
            confidence_date=confidence_date,
            forecast=forecast,
            last_checkin=dated[-1][0] if dated else None,
        )

    @staticmethod
    def _confidence(key_result: KeyResult, day: date) -> tuple[float | None, date | None]:
        """The latest check-in dated ≤ D (on one date, the later in the file) gives the confidence and its
        date; if it states none, there is none: an older one would pass a stale view off as current."""
        latest: Checkin | None = None
        for checkin in key_result.checkins or []:
            if checkin["date"] <= day and (latest is None or checkin["date"] >= latest["date"]):
                latest = checkin
        if latest is None or latest.get("confidence") is None:
            return None, None
        return latest.get("confidence"), latest["date"]

    @staticmethod
    def _forecast(
        key_result: KeyResult, kind: KeyResultKind, start: float | None, period: Period, dated: list[tuple[date, float]]
    ) -> float | None:
        """The least-squares line through the in-period values, projected to the last day and scored."""
        points = [(float((d - period.start).days), v) for d, v in dated if d >= period.start]
        if len(points) < 2:
            return None
        projected = least_squares_at(points, float((period.end - period.start).days))
        if projected is None:
            return None
        return kind.forecast(key_result, projected, start)

    # -- objectives and owners ---------------------------------------------------------------------

    def objective(self, entry: ObjectiveEntry) -> ObjectiveScore:
        """The objective's score; a roll-up's aligned objectives are scored first, deepest first, with an
        explicit stack, so alignment chains of any length score without nested calls."""
        if entry in self._objectives:
            return self._objectives[entry]
        stack: list[tuple[ObjectiveEntry, bool]] = [(entry, False)]
        try:
            while stack:
                current, children_done = stack.pop()
                if current in self._objectives:
                    continue
                if children_done:
                    self._objectives[current] = self._score_objective(current)
                    self._visiting.discard(current)
                    continue
                if current in self._visiting:  # met again below itself
                    raise ScoringError(
                        current.file,
                        (*current.loc, "aligns_to"),
                        "OKR005",
                        f"objective {current.ref!r} is in an alignment cycle",
                    )
                self._visiting.add(current)
                stack.append((current, True))
                if not current.objective.key_results:
                    stack.extend((child, False) for child in reversed(self.project.children.get(current, [])))
        finally:
            self._visiting.clear()
        return self._objectives[entry]

    def _score_objective(self, entry: ObjectiveEntry) -> ObjectiveScore:
        objective = entry.objective
        children = self.project.children.get(entry, [])
        key_results = tuple(self.key_result(entry, i) for i in range(len(objective.key_results)))
        confidence = forecast = None
        if key_results:
            score = weighted_mean([(kr.score, kr.weight) for kr in key_results])
            confident = [(c, kr.weight) for kr in key_results if (c := kr.confidence) is not None]
            confidence = weighted_mean(confident) if confident else None
            if any(kr.forecast is not None for kr in key_results):  # none once the period has ended
                forecast = weighted_mean(
                    [(kr.forecast if kr.forecast is not None else kr.score, kr.weight) for kr in key_results]
                )
        elif children:
            scores = [self.objective(child) for child in children]
            score = weighted_mean([(child.score, child.weight) for child in scores])
        else:
            from okrctl.rules.okr006_key_result_kind import nothing_to_score  # OKR006 words it

            raise ScoringError(entry.file, entry.loc, "OKR006", nothing_to_score(objective))
        status, expected = pace(entry.period, self.as_of, score, objective.type, self.config)
        parent = self.project.aligned_parent(entry)
        day = evaluation_day(entry.period, self.as_of)
        return ObjectiveScore(
            ref=entry.ref,
            owner=entry.okrs.owner,
            period=entry.period,
            path=entry.file.path,
            level=entry.okrs.level,
            title=objective.title,
            type=objective.type,
            aligns_to=objective.aligns_to,
            parent=(parent.ref, parent.period) if parent else None,
            weight=objective.weight,
            score=score,
            grade=grade_of(score, self.config),
            expected=expected,
            status=status,
            confidence=confidence,
            forecast=forecast,
            review=review_of(objective.type, score, key_results) if period_ended(entry.period, self.as_of) else None,
            guardrails=tuple(self._guardrail(ref, day) for ref in objective.guardrails),
            key_results=key_results,
            children=tuple(child.ref for child in children),
        )

    def _guardrail(self, ref: str, day: date) -> GuardrailStatus:
        found = self.project.kpis_by_ref.get(ref)
        if not found:
            return GuardrailStatus(ref, "no_data", False)
        entry = found[0]
        health = kpi_health(ref, entry.kpi, entry.owner, day, self.config.stale_grace_days)
        return GuardrailStatus(ref, health.status, health.stale)

    def owner(self, file: GoalFile) -> OwnerScore:
        """One okrs file: the weighted mean of its objectives."""
        entries = self.project.objectives_of(file)
        scores = [self.objective(e) for e in entries]
        score = weighted_mean([(s.score, s.weight) for s in scores])
        assert file.period is not None
        return OwnerScore(entries[0].okrs.owner, file.period, file.path, score, grade_of(score, self.config))
