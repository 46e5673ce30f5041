"""The key-result kinds, each on its own: recognition and OKR006 messages, scoring, forecast, the values text,
the JSON additions and the schema; and the claim that a kind lives in one module only."""

from __future__ import annotations

import ast
import pickle
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from scoring_helpers import objective, okrs, project

from okrctl.config import Config
from okrctl.key_result_kinds import (
    KINDS,
    KeyResultKind,
    Metric,
    Milestone,
    Threshold,
    kind_of,
    kind_problem,
    metric_progress,
    no_distance,
    reference_table,
    schema_description,
    start_from_kpi,
    zero_range,
)
from okrctl.model import KeyResult
from okrctl.reporters.layout import NO_BREAK
from okrctl.schema import goal_file_schema
from okrctl.scoring import KeyResultScore, Scorer, ScoringError

OKRCTL = Path(__file__).resolve().parents[2] / "okrctl"
DAY = date(2026, 11, 15)


def key_result(**fields: Any) -> KeyResult:
    return KeyResult.model_validate({"id": "kr", "title": "A key result", **fields})


def scored(as_of: date = date(2026, 12, 31), **fields: Any) -> KeyResultScore:
    built = project(okrs("team", "2026-Q4", [objective("o", [{"id": "kr", "title": "A key result", **fields}])]))
    return Scorer(built, Config(), as_of).objective(built.objectives[0]).key_results[0]


# -- the protocol and the registry -------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(KINDS))
def test_every_kind_implements_the_protocol_and_its_fields_are_the_models(name: str) -> None:
    kind = KINDS[name]
    assert isinstance(kind, KeyResultKind) and kind.name == name
    assert kind.fields and kind.summary.startswith(f"a {name} (") and kind.declared_with and kind.scored
    assert kind.checkin in ("number", "done")
    for field in kind.fields:  # declared on the model, described as this kind's
        description = KeyResult.model_fields[field].description or ""
        assert description.startswith(f"{name.capitalize()}: "), field


def test_no_field_belongs_to_two_kinds() -> None:
    fields = [field for kind in KINDS.values() for field in kind.fields]
    assert len(fields) == len(set(fields))


def test_a_kind_unpickles_as_the_registered_instance() -> None:
    for kind in KINDS.values():
        assert pickle.loads(pickle.dumps(kind)) is kind
    assert repr(KINDS["metric"]) == "<key-result kind metric>"


def test_only_the_kinds_module_names_a_kind() -> None:
    """Adding a kind touches key_result_kinds.py (and the model, for a new field): no other module of okrctl
    compares or spells a kind's name."""
    names = set(KINDS)
    spelled = []
    for path in sorted(OKRCTL.rglob("*.py")):
        if path.name == "key_result_kinds.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and node.value in names:
                spelled.append(f"{path.relative_to(OKRCTL)}:{node.lineno}: {node.value!r}")
    assert spelled == []


# -- recognition and OKR006 ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "kind"),
    [
        ({"start": 1, "target": 2}, Metric),
        ({"target": 2, "kpi": "support/csat"}, Metric),
        ({"at_least": 4.6}, Threshold),
        ({"at_most": 3}, Threshold),
        ({"done": False}, Milestone),
        ({"done": True, "done_on": "2026-11-02"}, Milestone),
    ],
)
def test_the_fields_make_the_kind(fields: dict[str, Any], kind: type[KeyResultKind]) -> None:
    made = kind_of(key_result(**fields))
    assert isinstance(made, kind) and made is KINDS[made.name]
    assert key_result(**fields).kind is made and kind_problem(key_result(**fields)) is None


@pytest.mark.parametrize(
    ("fields", "problem"),
    [
        ({}, "declares no kind: give start and target (metric), at_least or at_most (threshold), or done (milestone)"),
        ({"start": 1, "target": 2, "at_least": 4}, "mixes the metric and threshold kinds: keep the fields of one"),
        ({"at_most": 1, "done_on": "2026-11-02"}, "mixes the threshold and milestone kinds: keep the fields of one"),
        ({"start": 1}, "a metric key result needs a target"),
        ({"target": 2}, "a metric key result needs a start (or a kpi to take it from)"),
        ({"at_least": 1, "at_most": 2}, "a threshold key result takes at_least or at_most, not both"),
        ({"done_on": "2026-11-02"}, "a milestone key result needs done: true or false"),
        ({"done": True, "current": 1}, "a milestone key result has no value: drop kpi, checkins and current"),
        ({"done": True, "kpi": "support/csat"}, "a milestone key result has no value: drop kpi, checkins and current"),
        (
            {"at_least": 1, "current": 1, "checkins": []},
            "has both current and checkins: keep one (check-ins keep the history)",
        ),
    ],
)
def test_kind_problems_are_worded_once(fields: dict[str, Any], problem: str) -> None:
    assert kind_of(key_result(**fields)) is None
    assert kind_problem(key_result(**fields)) == f"key result 'kr' {problem}"


def test_the_scorer_reports_the_same_okr006_message_as_lint() -> None:
    with pytest.raises(ScoringError) as caught:
        scored(start=1, target=2, done=True)
    assert caught.value.code == "OKR006"
    assert caught.value.message == kind_problem(key_result(start=1, target=2, done=True))


def test_a_milestone_done_false_with_a_date_is_a_field_problem() -> None:
    assert list(Milestone().field_problems(key_result(done=False, done_on="2026-11-02"))) == [
        ("done_on", "key result 'kr' has done_on 2026-11-02 but done: false: set done: true, or drop done_on")
    ]
    assert list(Milestone().field_problems(key_result(done=True, done_on="2026-11-02"))) == []
    assert list(Metric().field_problems(key_result(start=1, target=2))) == []


def test_zero_range_and_a_start_from_a_kpi_are_metric_questions() -> None:
    assert zero_range(key_result(start=5, target=5.0)) and zero_range(key_result(start=0.0, target=-0.0))
    assert zero_range(key_result(start=9007199254740993, target=9007199254740992.0))
    assert not zero_range(key_result(start=1, target=2)) and not zero_range(key_result(at_least=5))
    assert start_from_kpi(key_result(target=2, kpi="support/csat"))
    assert not start_from_kpi(key_result(start=1, target=2, kpi="support/csat"))
    assert not start_from_kpi(key_result(at_least=5, kpi="support/csat"))
    assert no_distance(10**400, 10**400) and not no_distance(10**400, 1)  # past the float range: exact


# -- scoring and forecast ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "progress"), [(None, 0.0), (2, 1.0), (3.5, 0.5), (1, 4 / 3), (6, -1 / 3)]
)  # from 5 down to 2: the direction needs no field; progress is not clamped
def test_metric_progress_from_start_to_target(value: float | None, progress: float) -> None:
    assert Metric().progress(key_result(start=5, target=2), value, 5, DAY) == pytest.approx(progress)


def test_metric_progress_past_the_float_range_is_the_largest_float() -> None:
    assert metric_progress(1e308, -1e308, 1e308) == 1.0  # the differences overflow; worked out exactly
    assert metric_progress(-1e308, 0, 1e-308) == -1.7976931348623157e308


@pytest.mark.parametrize(
    ("bound", "value", "progress"),
    [
        ({"at_least": 4.6}, 4.6, 1.0),
        ({"at_least": 4.6}, 4.59, 0.0),
        ({"at_least": 0.7}, (0.6 + 0.7 + 0.8) / 3, 1.0),  # 0.6999999999999998: equal but for rounding
        ({"at_most": 3}, 3, 1.0),
        ({"at_most": 3}, 3.01, 0.0),
        ({"at_least": 4.6}, None, 0.0),
    ],
)
def test_threshold_progress_is_met_or_not(bound: dict[str, float], value: float | None, progress: float) -> None:
    assert Threshold().progress(key_result(**bound), value, None, DAY) == progress


@pytest.mark.parametrize(
    ("fields", "progress"),
    [
        ({"done": True}, 1.0),
        ({"done": True, "done_on": "2026-11-15"}, 1.0),  # done on the day
        ({"done": True, "done_on": "2026-11-16"}, 0.0),  # done after the day scored
        ({"done": False}, 0.0),
    ],
)
def test_milestone_progress_is_done_by_the_day(fields: dict[str, Any], progress: float) -> None:
    assert Milestone().progress(key_result(**fields), None, None, DAY) == progress


def test_each_kind_forecasts_from_a_projected_value() -> None:
    assert Metric().forecast(key_result(start=10, target=100), 55, 10) == 0.5
    assert Metric().forecast(key_result(start=10, target=100), 200, 10) == 1.0  # clamped, as a score
    assert Metric().forecast(key_result(target=100, kpi="support/csat"), 55, None) is None
    assert Threshold().forecast(key_result(at_least=80), 80.0000000001, None) == 1.0
    assert Threshold().forecast(key_result(at_most=80), 81, None) == 0.0
    assert Milestone().forecast(key_result(done=False), 1, None) is None


def test_the_scorer_scores_each_kind_through_its_kind() -> None:
    metric = scored(start=0, target=10, current=12)
    assert (metric.kind, metric.progress, metric.score) == (KINDS["metric"], 1.2, 1.0)
    threshold = scored(at_most=3, current=2)
    assert (threshold.kind, threshold.value, threshold.score) == (KINDS["threshold"], 2, 1.0)
    milestone = scored(done=True, done_on="2026-12-01", as_of=date(2026, 11, 30))
    assert (milestone.kind, milestone.value, milestone.score, milestone.forecast) == (
        KINDS["milestone"],
        None,
        0.0,
        None,
    )


# -- what reports show, the JSON document and the schema ----------------------------------------------------------


def _spaced(text: str) -> str:
    return text.replace(NO_BREAK, " ")


def test_metric_values_text_with_and_without_the_start() -> None:
    kr = scored(start=4, target=4.6, current=4.2)
    assert _spaced(Metric().values_text(kr, since_start=False)) == "4.2 → 4.6 (target)"
    assert _spaced(Metric().values_text(kr, since_start=True)) == "4 → 4.2 → 4.6"
    percent = scored(start=30, target=45, current=33.3333, unit="%")
    assert _spaced(Metric().values_text(percent, since_start=True)) == "30% → 33.33% → 45%"
    words = scored(start=1000, target=5000, current=2500, unit="USD")
    assert _spaced(Metric().values_text(words, since_start=False)) == "2,500 → 5,000 USD (target)"
    assert Metric().values_text(words, since_start=True).split(" ") == ["1,000", "→", "2,500", "→", _nbsp("5,000 USD")]


def test_threshold_and_milestone_values_text() -> None:
    kr = scored(at_least=99.95, current=99.949, unit="%")
    assert Threshold().values_text(kr, since_start=True) == _nbsp("99.949% (goal ≥ 99.95%)")
    assert Threshold().values_text(scored(at_most=3), since_start=False) == _nbsp("– (goal ≤ 3)")
    assert Milestone().values_text(scored(done=True), since_start=False) == "done"
    assert Milestone().values_text(scored(done=False), since_start=True) == "not done"


def _nbsp(text: str) -> str:
    return text.replace(" ", NO_BREAK)


def test_what_the_json_document_adds_per_kind() -> None:
    assert Metric().document(scored(start=1, target=2)) == {}
    assert Threshold().document(scored(at_most=3)) == {"at_least": None, "at_most": 3}
    assert Milestone().document(scored(done=True)) == {"done": True}


def test_the_schema_describes_the_kinds_and_allows_one() -> None:
    schema = goal_file_schema()["definitions"]["KeyResult"]
    assert (
        schema["description"]
        == schema_description()
        == ("A measurable result: a metric (start, target), a threshold (at_least / at_most) or a milestone (done).")
    )
    mixes = schema["allOf"][0]["not"]["anyOf"]
    pairs = {tuple(mix["required"]) for mix in mixes}
    for kind in KINDS.values():
        for other in KINDS.values():
            if kind is not other:
                assert any((a, b) in pairs or (b, a) in pairs for a in kind.fields for b in other.fields)
    declared = {name for option in schema["allOf"][1]["anyOf"] for name in option["required"]}
    assert declared == {field for kind in KINDS.values() for field in kind.fields}


def test_the_reference_table_has_a_row_per_kind() -> None:
    rows = reference_table().splitlines()[2:]
    assert [row.split(" | ")[0] for row in rows] == [f"| {name}" for name in KINDS]
    assert "| milestone | `done`, `done_on` |" in reference_table()
    assert rows[-1].endswith("| `done` | yes | no |")
