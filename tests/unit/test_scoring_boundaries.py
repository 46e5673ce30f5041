"""Boundaries equal on paper compare equal, and no number breaks scoring."""

from __future__ import annotations

import json
import sys
from datetime import date
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from scoring_helpers import metric, objective, okrs, project

from okrctl.config import Config
from okrctl.report import Report, as_document
from okrctl.reporters import ReportOptions
from okrctl.reporters.report_json import report_json
from okrctl.scoring import ObjectiveScore, Scorer, ScoringError, grade_of, review_of, weighted_mean

Q4_END = date(2026, 12, 31)


def score(krs: list[dict[str, Any]], period: str = "2026-Q4", as_of: date = Q4_END, **fields: Any) -> ObjectiveScore:
    built = project(okrs("team", period, [objective("o", krs, **fields)]))
    return Scorer(built, Config(), as_of).objective(built.objectives[0])


def at(value: float, id: str = "k", weight: float = 1) -> dict[str, Any]:
    """A metric from 0 to 1 whose score is `value`."""
    return metric(id, 0, 1, value, weight=weight)


# -- boundaries --------------------------------------------------------------------------------


@pytest.mark.parametrize("values", [[0.7, 0.7, 0.7], [0.6, 0.7, 0.8], [0.9, 0.5, 0.7, 0.7]])
def test_key_results_averaging_to_0_7_grade_green(values: list[float]) -> None:
    scored = score([at(v, f"k{i}") for i, v in enumerate(values)])
    assert scored.score == pytest.approx(0.7)
    assert scored.grade == "green"


def test_three_key_results_at_seven_of_ten_grade_green() -> None:
    scored = score([metric(f"k{i}", 0, 10, 7) for i in range(3)])
    assert scored.grade == "green"


def test_a_pace_gap_of_exactly_the_on_track_limit_is_on_track() -> None:
    # day 4 of 10, committed: expected 0.40; two key results at 3/10: a gap of exactly 0.10
    krs = [metric("a", 0, 10, 3), metric("b", 0, 10, 3)]
    scored = score(krs, period="2026-10-01..2026-10-10", as_of=date(2026, 10, 4), type="committed")
    assert scored.expected == pytest.approx(0.4)
    assert scored.status == "on_track"


@pytest.mark.parametrize(
    ("bound", "value"),
    [
        ({"at_most": 0.3}, 0.1 + 0.2),  # 0.30000000000000004, as a tool adding 0.1 and 0.2 writes it
        ({"at_least": 0.1 + 0.2}, 0.3),
        ({"at_least": 1.1}, 3.3 / 3),  # 1.0999999999999999
    ],
)
def test_threshold_values_equal_on_paper_meet_the_threshold(bound: dict[str, float], value: float) -> None:
    scored = score([{"id": "t", "title": "Hold it", "current": value, **bound}])
    assert scored.key_results[0].score == 1.0


def test_a_threshold_truly_missed_stays_missed() -> None:
    scored = score([{"id": "t", "title": "Hold it", "current": 99.949, "at_least": 99.95}])
    assert scored.key_results[0].score == 0.0


def test_commitment_reached_on_paper_is_not_missed_and_scores_like_lint() -> None:
    on_paper_one = sum([0.1] * 10)  # 0.9999999999999999
    assert review_of("committed", on_paper_one, ()) is None
    assert review_of("committed", 0.99, ()) == "missed_commitment"
    ended = score([metric("k", 0, 10, 9)], as_of=date(2027, 1, 5), type="committed")
    running = score([metric("k", 0, 10, 9)], as_of=date(2026, 11, 5), type="committed")
    assert (ended.review, running.review) == ("missed_commitment", None)


def test_too_easy_needs_every_key_result_at_1() -> None:
    easy = score([metric("a", 0, 10, 12), at(1.0, "b")], as_of=date(2027, 1, 5))
    stretched = score([metric("a", 0, 10, 12), at(0.7, "b")], as_of=date(2027, 1, 5))
    rollup_free = score([metric("a", 0, 10, 12)], as_of=date(2027, 1, 5), type="committed")
    assert (easy.review, stretched.review, rollup_free.review) == ("too_easy", None, None)


BOUNDARIES = [70, 40, 100]  # green, yellow, and a commitment's 1.0, in hundredths


@st.composite
def landing_exactly_on(draw: st.DrawFn) -> tuple[int, list[tuple[float, float]]]:
    """Key-result scores k/100 with weights, whose exact weighted mean is a boundary: pairs of scores
    mirrored around it (same weight), plus optionally one at the boundary itself, in a random order."""
    boundary = draw(st.sampled_from(BOUNDARIES))
    weight = st.integers(min_value=1, max_value=1000).map(lambda w: w / 100)  # 0.01 to 10, in hundredths
    pairs = []
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        offset, share = draw(st.integers(min_value=0, max_value=min(boundary, 100 - boundary))), draw(weight)
        pairs += [((boundary + offset) / 100, share), ((boundary - offset) / 100, share)]
    if draw(st.booleans()):
        pairs.append((boundary / 100, draw(weight)))
    return boundary, draw(st.permutations(pairs))


@given(landing_exactly_on())
def test_no_boundary_flips_from_floating_point_error(case: tuple[int, list[tuple[float, float]]]) -> None:
    boundary, pairs = case
    scored = score([at(value, f"k{i}", weight) for i, (value, weight) in enumerate(pairs)], as_of=date(2027, 1, 5))
    expected_grade = {70: "green", 40: "yellow", 100: "green"}[boundary]
    assert scored.grade == expected_grade
    assert grade_of(weighted_mean(pairs), Config()) == expected_grade
    if boundary == 100:
        assert review_of("committed", scored.score, scored.key_results) is None


@given(landing_exactly_on())
def test_a_pace_gap_equal_to_the_limit_on_paper_is_on_track(case: tuple[int, list[tuple[float, float]]]) -> None:
    # committed, day 8 of 10: expected 0.80; a score landing on 0.70 is exactly 0.10 behind
    boundary, pairs = case
    if boundary != 70:
        return
    krs = [at(value, f"k{i}", weight) for i, (value, weight) in enumerate(pairs)]
    scored = score(krs, period="2026-10-01..2026-10-10", as_of=date(2026, 10, 8), type="committed")
    assert scored.status == "on_track"


# -- a zero range never divides -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "target"),
    [(5, 5), (9007199254740993, 9007199254740992.0), (0.0, -0.0)],
    ids=["equal", "equal-as-floats", "signed-zeros"],
)
@pytest.mark.parametrize("value", [3, None])
def test_a_zero_range_is_a_located_okr007_not_a_crash(start: float, target: float, value: float | None) -> None:
    with pytest.raises(ScoringError) as caught:
        score([metric("k", start, target, value)])
    assert (caught.value.code, caught.value.loc) == ("OKR007", ("objectives", 0, "key_results", 0, "target"))
    assert "no distance to measure" in caught.value.message


# -- no NaN, no Infinity --------------------------------------------------------------------------


def test_weights_near_the_float_range_give_the_right_mean() -> None:
    assert score([at(1.0, "a", 1e308), at(1.0, "b", 1e308)]).score == 1.0
    assert score([at(1.0, "a", 1), at(0.5, "b", 1e308), at(0.5, "c", 1e308)]).score == 0.5
    assert weighted_mean([(1.0, 10**308), (0.5, 10**308), (0.0, 10**308)]) == 0.5  # integers: no OverflowError


@pytest.mark.parametrize(
    ("start", "target", "value", "progress"),
    [
        (0, 1e-300, 1e300, sys.float_info.max),  # past the float range: the largest float
        (0, 1e-300, -1e300, -sys.float_info.max),
        (-1e308, 1e308, 1e308, 1.0),  # target − start overflows
        (-1e308, 1e308, 0, 0.5),
        (1e308, -1e308, -1e308, 1.0),
    ],
)
def test_progress_stays_finite_and_json_strict(start: float, target: float, value: float, progress: float) -> None:
    checkins = [{"date": "2026-10-05", "value": start}, {"date": "2026-11-05", "value": value}]
    scored = score([metric("k", start, target, checkins=checkins)], as_of=date(2026, 11, 10))
    assert scored.key_results[0].progress == progress
    assert scored.key_results[0].score == min(1.0, max(0.0, progress))
    report = Report(as_of=date(2026, 11, 10), objectives=[scored], owners=[], kpis=[])
    document = json.loads(report_json(report, ReportOptions()))  # allow_nan=False: raises on NaN or Infinity
    assert document == json.loads(json.dumps(as_document(report), allow_nan=False))


# -- any depth ------------------------------------------------------------------------------------


def test_a_long_alignment_chain_scores_without_recursion() -> None:
    depth = 3000
    chain: list[dict[str, Any]] = [{"id": "o0", "title": "Root"}]
    chain += [{"id": f"o{i}", "title": f"Level {i}", "aligns_to": f"team/o{i - 1}"} for i in range(1, depth)]
    chain[-1]["key_results"] = [at(0.5)]
    built = project(okrs("team", "2026-Q4", chain))
    root = Scorer(built, Config(), Q4_END).objective(built.objectives[0])  # the root first: the deepest path
    assert root.score == 0.5


def test_a_cycle_is_a_located_okr005() -> None:
    cycle = [
        {"id": "a", "title": "A", "aligns_to": "team/b"},
        {"id": "b", "title": "B", "aligns_to": "team/a"},
    ]
    built = project(okrs("team", "2026-Q4", cycle))
    scorer = Scorer(built, Config(), Q4_END)
    for entry in built.objectives:  # and again: a failure leaves no state behind
        with pytest.raises(ScoringError) as caught:
            scorer.objective(entry)
        assert caught.value.code == "OKR005"


def test_score_reviews_and_lint_agree() -> None:
    """`score`'s review marks exactly the objectives lint's OKR304 and OKR305 flag."""
    from okrctl.engine import cross_file_problems
    from okrctl.project import Project
    from okrctl.rules import LintContext

    ended = okrs(
        "team",
        "2026-Q3",
        [
            objective("missed", [metric("k", 0, 10, 9)], type="committed"),
            objective("short", [at(0.6, "a"), at(0.8, "b"), metric("c", 0, 10, 10)], type="committed", weight=2),
            objective("kept", [metric("a", 0, 10, 10), metric("b", 10, 0, 0)], type="committed"),
            objective("easy", [metric("k", 0, 10, 12), at(1.0, "b")]),
            objective("fine", [at(0.7)]),
        ],
    )
    built = project(ended)
    as_of = date(2026, 11, 1)
    scorer = Scorer(built, Config(), as_of)
    reviews = {e.objective.id: scorer.objective(e).review for e in built.objectives}
    assert reviews == {
        "missed": "missed_commitment",
        "short": "missed_commitment",
        "kept": None,
        "easy": "too_easy",
        "fine": None,
    }
    flagged = {
        (code, name)
        for code, problem in cross_file_problems(Project([ended]), LintContext(Config(), as_of))
        for name in reviews
        if code in ("OKR304", "OKR305") and f"objective {name!r}" in problem.message
    }
    assert flagged == {("OKR304", "missed"), ("OKR304", "short"), ("OKR305", "easy")}
