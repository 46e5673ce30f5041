"""Scoring with figures worked out by hand."""

from __future__ import annotations

from datetime import date

import pytest
from scoring_helpers import kpis, metric, objective, okrs, project

from okrctl.config import Config
from okrctl.periods import parse_period
from okrctl.scoring import ObjectiveScore, Scorer, ScoringError, least_squares_at, pace

Q4_END = date(2026, 12, 31)


def score_one(kr: dict[str, object], as_of: date = Q4_END, **objective_fields: object) -> ObjectiveScore:
    file = okrs("team", "2026-Q4", [objective("o", [kr], **objective_fields)])
    built = project(file)
    return Scorer(built, Config(), as_of).objective(built.objectives[0])


@pytest.mark.parametrize(
    ("start", "target", "value", "progress", "score"),
    [
        (5, 2, 2, 1.0, 1.0),  # a decrease, reached
        (5, 2, 1, 4 / 3, 1.0),  # a decrease, overshot: progress unclamped, score clamped
        (5, 2, 3.5, 0.5, 0.5),  # a decrease, halfway
        (5, 2, 6, -1 / 3, 0.0),  # a decrease that went the wrong way
        (10, 20, 8, -0.2, 0.0),  # below start
        (0, 200, 250, 1.25, 1.0),  # progress 1.25 scores 1.0
        (0, 2_000_000, 1_300_000, 0.65, 0.65),
    ],
)
def test_metric_progress_and_score(start: float, target: float, value: float, progress: float, score: float) -> None:
    kr = score_one(metric("m", start, target, value)).key_results[0]
    assert kr.progress == pytest.approx(progress)
    assert kr.score == pytest.approx(score)


def test_metric_without_value_scores_zero() -> None:
    kr = score_one(metric("m", 0, 10)).key_results[0]
    assert (kr.value, kr.progress, kr.score) == (None, 0.0, 0.0)


@pytest.mark.parametrize(
    ("bound", "value", "score"),
    [
        ({"at_least": 4.6}, 4.6, 1.0),
        ({"at_least": 4.6}, 4.59, 0.0),
        ({"at_most": 3}, 3, 1.0),
        ({"at_most": 3}, 3.01, 0.0),
    ],
)
def test_threshold_boundaries_are_inclusive(bound: dict[str, float], value: float, score: float) -> None:
    kr = score_one({"id": "t", "title": "Hold it", "current": value, **bound}).key_results[0]
    assert kr.score == score


def test_threshold_without_value_scores_zero() -> None:
    assert score_one({"id": "t", "title": "Hold it", "at_least": 1}).key_results[0].score == 0.0


@pytest.mark.parametrize(
    ("done", "done_on", "as_of", "score"),
    [
        (True, None, date(2026, 11, 1), 1.0),
        (True, "2026-11-20", date(2026, 11, 20), 1.0),
        (True, "2026-11-20", date(2026, 11, 19), 0.0),  # done after the as-of date: not yet
        (False, None, Q4_END, 0.0),
    ],
)
def test_milestones(done: bool, done_on: str | None, as_of: date, score: float) -> None:
    kr = {"id": "eu", "title": "EU region open", "done": done, **({"done_on": done_on} if done_on else {})}
    assert score_one(kr, as_of=as_of).key_results[0].score == score


def test_manual_grade_overrides_the_computed_score() -> None:
    kr = score_one(metric("m", 0, 10, 9, grade=0.4, grade_note="partner churned")).key_results[0]
    assert (kr.progress, kr.score, kr.manual_grade) == (0.9, 0.4, True)


def test_weights() -> None:
    # (1.0 × 2 + 0.4 × 1) / 3 = 0.8
    file = okrs("team", "2026-Q4", [objective("o", [metric("a", 0, 10, 10, weight=2), metric("b", 0, 10, 4)])])
    built = project(file)
    assert Scorer(built, Config(), Q4_END).objective(built.objectives[0]).score == pytest.approx(0.8)


def test_values_as_of_a_date_and_same_day_checkins() -> None:
    checkins = [
        {"date": "2026-10-10", "value": 2, "confidence": 0.9},
        {"date": "2026-11-01", "value": 4, "confidence": 0.5},
        {"date": "2026-11-01", "value": 5},  # same date: the later one in the list wins
        {"date": "2026-12-01", "value": 9, "confidence": 0.2},
    ]
    kr = score_one(metric("m", 0, 10, checkins=checkins), as_of=date(2026, 11, 15)).key_results[0]
    assert (kr.value, kr.score, kr.last_checkin) == (5, 0.5, date(2026, 11, 1))
    # the latest check-in dated ≤ D (on one date, the later in the list) states no confidence: there is none
    assert (kr.confidence, kr.confidence_date) == (None, None)
    ended = score_one(metric("m", 0, 10, checkins=checkins), as_of=date(2027, 3, 1)).key_results[0]
    assert (ended.value, ended.confidence, ended.confidence_date) == (9, 0.2, date(2026, 12, 1))  # D: the last day


def test_confidence_is_the_latest_checkins_never_an_older_one() -> None:
    checkins = [
        {"date": "2026-10-05", "value": 2, "confidence": 0.9},
        {"date": "2026-11-10", "value": 4},
    ]
    stated = [{"date": "2026-10-05", "value": 2}, {"date": "2026-11-10", "value": 4, "confidence": 0.3}]
    file = okrs(
        "team",
        "2026-Q4",
        [objective("o", [metric("a", 0, 10, checkins=checkins), metric("b", 0, 10, checkins=stated)])],
    )
    built = project(file)
    scored = Scorer(built, Config(), date(2026, 11, 15)).objective(built.objectives[0])
    a, b = scored.key_results
    assert (a.confidence, a.confidence_date) == (None, None)  # the six-week-old 0.9 is not carried forward
    assert (b.confidence, b.confidence_date) == (0.3, date(2026, 11, 10))
    assert scored.confidence == 0.3  # the objective's: the key results that have one


def test_kpi_backed_key_result_takes_value_and_start_from_the_kpi() -> None:
    measurements = [
        {"date": "2026-09-28", "value": 25},
        {"date": "2026-10-01", "value": 26},  # on the first day: this is the start
        {"date": "2026-11-16", "value": 43},
        {"date": "2026-11-30", "value": 50},
    ]
    kpi_file = kpis("product", [{"id": "adoption", "title": "Adoption", "measurements": measurements}])
    kr = {"id": "users", "title": "Grow adoption to 60%", "kpi": "product/adoption", "target": 60}
    file = okrs("product", "2026-Q4", [objective("o", [kr])])
    built = project(file, kpi_file)
    scored = Scorer(built, Config(), date(2026, 11, 20)).objective(built.objectives[0]).key_results[0]
    assert (scored.start, scored.value) == (26, 43)
    assert scored.score == pytest.approx((43 - 26) / (60 - 26))


def test_kpi_start_missing_is_a_located_error() -> None:
    kpi_file = kpis(
        "product", [{"id": "adoption", "title": "Adoption", "measurements": [{"date": "2026-10-02", "value": 1}]}]
    )
    file = okrs(
        "product", "2026-Q4", [objective("o", [{"id": "u", "title": "Grow", "kpi": "product/adoption", "target": 6}])]
    )
    built = project(file, kpi_file)
    with pytest.raises(ScoringError) as caught:
        Scorer(built, Config(), Q4_END).objective(built.objectives[0])
    assert (caught.value.code, caught.value.loc) == ("OKR006", ("objectives", 0, "key_results", 0))


def test_roll_up_across_periods_is_the_weighted_mean_of_aligned_objectives() -> None:
    # (0.2 × 1 + 0.6 × 3) / 4 = 0.5; the annual objective has no key results of its own.
    annual = okrs("company", "2026", [{"id": "growth", "title": "Grow"}])
    q3 = okrs("sales", "2026-Q3", [objective("a", [metric("x", 0, 10, 2)], aligns_to="company/growth")])
    q4 = okrs("product", "2026-Q4", [objective("b", [metric("y", 0, 10, 6)], aligns_to="company/growth", weight=3)])
    built = project(annual, q3, q4)
    growth = Scorer(built, Config(), Q4_END).objective(built.objectives[0])
    assert growth.rollup and growth.score == pytest.approx(0.5)
    assert set(growth.children) == {"sales/a", "product/b"}


def test_owner_score_is_the_weighted_mean_of_its_objectives() -> None:
    file = okrs(
        "team", "2026-Q4", [objective("a", [metric("x", 0, 10, 9)], weight=2), objective("b", [metric("y", 0, 10, 3)])]
    )
    built = project(file)
    assert Scorer(built, Config(), Q4_END).owner(file).score == pytest.approx((0.9 * 2 + 0.3) / 3)


@pytest.mark.parametrize(
    ("score", "grade"), [(0.7, "green"), (0.6999, "yellow"), (0.4, "yellow"), (0.3999, "red"), (1.0, "green")]
)
def test_grade_colours_at_their_boundaries(score: float, grade: str) -> None:
    assert score_one(metric("m", 0, 1, score)).grade == grade


def test_grade_thresholds_come_from_the_config() -> None:
    file = okrs("team", "2026-Q4", [objective("o", [metric("m", 0, 1, 0.65)])])
    built = project(file)
    config = Config.model_validate({"grades": {"green": 0.6, "yellow": 0.3}})
    assert Scorer(built, config, Q4_END).objective(built.objectives[0]).grade == "green"


Q4 = parse_period("2026-Q4")  # 92 days


@pytest.mark.parametrize(
    ("as_of", "score", "kind", "status", "expected"),
    [
        (date(2026, 9, 30), 0.0, "aspirational", "not_started", 0.0),
        (date(2026, 10, 1), 0.0, "committed", "on_track", 1 / 92),  # day 1
        (date(2026, 11, 15), 0.25, "aspirational", "on_track", 46 / 92 * 0.7),  # mid: 0.35, gap 0.10
        (date(2026, 11, 15), 0.24, "aspirational", "at_risk", 46 / 92 * 0.7),  # gap 0.11
        (date(2026, 11, 15), 0.25, "committed", "at_risk", 46 / 92),  # 0.5, gap 0.25
        (date(2026, 11, 15), 0.2499, "committed", "off_track", 46 / 92),
        (date(2026, 12, 30), 0.1, "committed", "off_track", 91 / 92),  # the day before the last
        (date(2026, 12, 31), 0.1, "committed", "ended", 1.0),  # the last day: ended
        (date(2027, 2, 1), 0.9, "aspirational", "ended", 0.7),
    ],
)
def test_pace(as_of: date, score: float, kind: str, status: str, expected: float) -> None:
    actual_status, actual_expected = pace(Q4, as_of, score, kind, Config())
    assert actual_status == status
    assert actual_expected == pytest.approx(expected)


def test_forecast_on_a_known_line() -> None:
    # value = 10 + 0.5 × day: on the last day (day 91 after the start) the line reaches 55.5;
    # scored from 10 to 100: (55.5 − 10) / 90.
    checkins = [{"date": f"2026-10-{1 + d:02d}", "value": 10 + 0.5 * d} for d in (0, 10, 20)]
    kr = score_one(metric("m", 10, 100, checkins=checkins), as_of=date(2026, 10, 25)).key_results[0]
    assert kr.forecast == pytest.approx((55.5 - 10) / 90)
    assert least_squares_at([(0, 1), (1, 3), (2, 5)], 10) == pytest.approx(21)


def test_forecast_needs_two_dates_inside_the_period() -> None:
    checkins = [
        {"date": "2026-09-20", "value": 1},
        {"date": "2026-10-05", "value": 2},
        {"date": "2026-10-05", "value": 3},
    ]
    assert score_one(metric("m", 0, 10, checkins=checkins)).key_results[0].forecast is None


def test_threshold_forecast_is_scored_like_the_key_result() -> None:
    checkins = [{"date": "2026-10-01", "value": 70}, {"date": "2026-11-01", "value": 75}]
    kr = score_one({"id": "t", "title": "Hold", "at_least": 80, "checkins": checkins}, as_of=date(2026, 11, 2))
    assert kr.key_results[0].forecast == 1.0  # the line reaches ~80.0 by Dec 31
    assert kr.key_results[0].score == 0.0


def test_guardrail_status_is_the_kpi_band_as_of_d() -> None:
    kpi_file = kpis(
        "support",
        [{"id": "csat", "title": "CSAT", "green": {"min": 4.6}, "amber": {"min": 4.3},
          "measurements": [{"date": "2026-11-02", "value": 4.7}, {"date": "2026-11-09", "value": 4.4}]}],
    )  # fmt: skip
    file = okrs("sales", "2026-Q4", [objective("o", [metric("m", 0, 1, 1)], guardrails=["support/csat"])])
    built = project(file, kpi_file)
    early = Scorer(built, Config(), date(2026, 11, 5)).objective(built.objectives[0])
    late = Scorer(built, Config(), date(2026, 11, 20)).objective(built.objectives[0])
    assert [g.status for g in early.guardrails] == ["green"]
    assert [g.status for g in late.guardrails] == ["amber"]
