"""Properties of scoring that must hold for any numbers (hypothesis)."""

from __future__ import annotations

import math
from datetime import date
from typing import Any

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from scoring_helpers import metric, objective, okrs, project

from okrctl.config import Config
from okrctl.scoring import Scorer

finite = st.floats(min_value=-1e9, max_value=1e9, allow_nan=False, allow_infinity=False)
weights = st.floats(min_value=0.01, max_value=100, allow_nan=False)
AS_OF = date(2026, 11, 15)


@st.composite
def key_results(draw: st.DrawFn) -> list[dict[str, Any]]:
    count = draw(st.integers(min_value=1, max_value=6))
    krs = []
    for index in range(count):
        kind = draw(st.sampled_from(["metric", "threshold", "milestone"]))
        weight = draw(weights)
        if kind == "metric":
            start, target = draw(finite), draw(finite)
            assume(start != target)
            krs.append(metric(f"k{index}", start, target, draw(st.none() | finite), weight=weight))
        elif kind == "threshold":
            bound = draw(st.sampled_from(["at_least", "at_most"]))
            krs.append(
                {"id": f"k{index}", "title": "Hold", bound: draw(finite), "current": draw(finite), "weight": weight}
            )
        else:
            krs.append({"id": f"k{index}", "title": "Ship", "done": draw(st.booleans()), "weight": weight})
    return krs


def objective_score(krs: list[dict[str, Any]]) -> float:
    built = project(okrs("team", "2026-Q4", [objective("o", krs)]))
    return Scorer(built, Config(), AS_OF).objective(built.objectives[0]).score


@given(key_results())
def test_scores_are_always_between_0_and_1(krs: list[dict[str, Any]]) -> None:
    built = project(okrs("team", "2026-Q4", [objective("o", krs)]))
    scored = Scorer(built, Config(), AS_OF).objective(built.objectives[0])
    assert 0.0 <= scored.score <= 1.0
    assert all(0.0 <= kr.score <= 1.0 for kr in scored.key_results)
    assert all(kr.forecast is None or 0.0 <= kr.forecast <= 1.0 for kr in scored.key_results)


@given(finite, finite, finite)
def test_mirroring_start_target_and_value_gives_the_same_score(start: float, target: float, value: float) -> None:
    assume(start != target)
    plain = objective_score([metric("m", start, target, value)])
    mirrored = objective_score([metric("m", -start, -target, -value)])
    assert mirrored == pytest.approx(plain, abs=1e-9)


@given(key_results())
def test_duplicating_every_key_result_leaves_the_objective_score_unchanged(krs: list[dict[str, Any]]) -> None:
    doubled = krs + [{**kr, "id": f"{kr['id']}-copy"} for kr in krs]
    assert objective_score(doubled) == pytest.approx(objective_score(krs), abs=1e-9)


huge_weights = st.floats(min_value=1e-300, max_value=1e308, allow_nan=False)
any_values = st.floats(min_value=-1e308, max_value=1e308, allow_nan=False, allow_infinity=False)


@given(st.lists(st.tuples(any_values, any_values, any_values, huge_weights), min_size=1, max_size=5))
def test_any_finite_numbers_give_finite_scores(krs: list[tuple[float, float, float, float]]) -> None:
    """Weights up to 1e308 and values anywhere in the float range: no NaN, no Infinity, no exception."""
    assume(all(target - start != 0 for start, target, _, _ in krs))
    metrics = []
    for index, (start, target, value, weight) in enumerate(krs):
        checkins = [{"date": "2026-10-02", "value": start}, {"date": "2026-10-20", "value": value}]  # a forecast
        metrics.append(metric(f"k{index}", start, target, checkins=checkins, weight=weight))
    built = project(okrs("team", "2026-Q4", [objective("o", metrics)]))
    scored = Scorer(built, Config(), AS_OF).objective(built.objectives[0])
    numbers = [scored.score, scored.expected, scored.forecast or 0.0]
    numbers += [n for kr in scored.key_results for n in (kr.progress, kr.score, kr.forecast or 0.0)]
    assert all(math.isfinite(n) for n in numbers)
    assert 0.0 <= scored.score <= 1.0
    shares = [(kr.score, kr.weight) for kr in scored.key_results]
    largest = max(w for _, w in shares)
    assert scored.score == pytest.approx(
        sum(s * (w / largest) for s, w in shares) / sum(w / largest for _, w in shares)
    )
