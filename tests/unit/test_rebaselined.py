"""`rebaselined:` on a key result: what loads, what is refused (and where), the editor schema agreeing, and
`okrctl checkin` editing a key result that carries it."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import jsonschema
import pytest
from conftest import okrctl

from okrctl.config import Config
from okrctl.loader import load_text
from okrctl.model import OkrFile
from okrctl.schema import goal_file_schema
from okrctl.yamlread import parse_yaml

HEAD = """\
kind: okrs
period: 2026-Q4
owner: sales
objectives:
  - id: acquire
    title: Win new customers
    key_results:
      - id: new-revenue
        title: Generate $1.6M in new customer revenue
        start: 0
        target: 1600000
        rebaselined:
"""
ENTRY_LINE = 13  # the line of the first entry below `rebaselined:`


def _okrs(*entries: str) -> str:
    return HEAD + "".join(f"          - {entry}\n" for entry in entries)


def _problems(text: str) -> list[tuple[int, int, str]]:
    loaded = load_text("goals.yaml", text, Config())
    assert loaded is not None
    return [(problem.line, problem.column, problem.message) for _, problem in loaded.problems]


def _schema_errors(text: str) -> list[str]:
    validator = jsonschema.Draft7Validator(goal_file_schema(), format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)
    found = list(validator.iter_errors(parse_yaml(text)))
    errors = []
    while found:  # the errors, and the errors inside each anyOf branch that did not match
        error = found.pop()
        errors.append(error.message)
        found += error.context or []
    return errors


VALID = [
    "{date: 2026-11-02, from: 2000000, reason: the enterprise segment moved to Q1}",
    "{date: 2026-11-02, from: 1999999.5, reason: 'rounding, agreed with finance'}",
    "date: 2026-11-16\n            from: -3\n            reason: |\n              a reason over\n              two lines",
]


@pytest.mark.parametrize("entry", VALID)
def test_valid_entries_load_and_the_schema_accepts_them(entry: str) -> None:
    text = _okrs(entry)
    loaded = load_text("goals.yaml", text, Config())
    assert loaded is not None and isinstance(loaded.model, OkrFile), loaded and loaded.problems
    (rebaselined,) = loaded.model.objectives[0].key_results[0].rebaselined or []
    assert isinstance(rebaselined["date"], date) and isinstance(rebaselined["from"], int | float)
    assert rebaselined["reason"].strip()
    assert _schema_errors(text) == []


def test_several_entries_keep_their_order_and_values() -> None:
    loaded = load_text("goals.yaml", _okrs(VALID[0], "{date: 2026-11-20, from: 1800000, reason: second cut}"), Config())
    assert loaded is not None and isinstance(loaded.model, OkrFile)
    assert loaded.model.objectives[0].key_results[0].rebaselined == [
        {"date": date(2026, 11, 2), "from": 2000000, "reason": "the enterprise segment moved to Q1"},
        {"date": date(2026, 11, 20), "from": 1800000, "reason": "second cut"},
    ]


_WHERE = "objectives[0].key_results[0].rebaselined[0]"


@pytest.mark.parametrize(
    ("entry", "problems", "schema_error"),
    [
        ("{date: 2026-11-02, from: 2000000}", [(ENTRY_LINE, 13, f"missing required field 'reason' in {_WHERE}")],
         "'reason' is a required property"),
        ("{date: 2026-11-02, from: 2000000, reason: ''}",
         [(ENTRY_LINE, 47, f"{_WHERE}.reason: must not be empty: say why the target or threshold changed")],
         "does not match '\\\\S'"),
        ("{date: 2026-11-02, from: 2000000, reason: '   '}",
         [(ENTRY_LINE, 47, f"{_WHERE}.reason: must not be empty: say why the target or threshold changed")],
         "does not match '\\\\S'"),
        ("{date: 2026-11-02, from: 2000000, reason: null}",
         [(ENTRY_LINE, 47, f"{_WHERE}.reason: expected text, got nothing (null)")], "None is not of type 'string'"),
        ("{date: 2026-11-31, from: 2000000, reason: moved}",
         [(ENTRY_LINE, 14, f"{_WHERE}.date: '2026-11-31' is not a valid date (YYYY-MM-DD)")],
         "'2026-11-31' is not a 'date'"),
        ("{date: November 2, from: 2000000, reason: moved}",
         [(ENTRY_LINE, 14, f"{_WHERE}.date: 'November 2' is not a date: write YYYY-MM-DD")],
         "'November 2' is not a 'date'"),
        ("{date: 2026-11-02, from: '2000000', reason: moved}",
         [(ENTRY_LINE, 32, f"{_WHERE}.from: expected a number, got text ('2000000')")],
         "'2000000' is not of type 'number'"),
        ("{date: 2026-11-02, from: .inf, reason: moved}",
         [(ENTRY_LINE, 32, f"{_WHERE}.from: expected a finite number")], None),  # JSON has no infinity
        ("{date: 2026-11-02, from: 2000000, reason: moved, by: ceo}",
         [(ENTRY_LINE, 62, "unknown field 'by'; allowed here: date, from, reason")],
         "Additional properties are not allowed ('by' was unexpected)"),
        ("{date: 2026-11-02, form: 2000000, reason: moved}",
         [(ENTRY_LINE, 13, f"missing required field 'from' in {_WHERE}"),
          (ENTRY_LINE, 32, "unknown field 'form' (did you mean 'from'?)")],
         "Additional properties are not allowed ('form' was unexpected)"),
    ],
)  # fmt: skip
def test_bad_entries_are_okr002_at_the_field_and_the_schema_refuses_them(
    entry: str, problems: list[tuple[int, int, str]], schema_error: str | None
) -> None:
    text = _okrs(entry)
    assert _problems(text) == problems
    if schema_error is not None:
        errors = _schema_errors(text)
        assert any(schema_error in error for error in errors), errors


def test_rebaselined_must_be_a_list_of_mappings() -> None:
    text = HEAD.replace("        rebaselined:\n", "        rebaselined: {date: 2026-11-02, from: 1, reason: x}\n")
    assert _problems(text) == [(12, 9, "objectives[0].key_results[0].rebaselined: expected a list, got a mapping")]
    assert _schema_errors(text)


def test_lint_judges_a_file_with_rebaselined_entries_clean(tmp_path: Path) -> None:
    (tmp_path / "goals.yaml").write_text(
        _okrs(VALID[0]).replace("target: 1600000", "target: 1600000\n        unit: USD")
    )
    result = okrctl("lint", "--as-of", "2026-11-20", "goals.yaml", cwd=tmp_path)
    assert (result.code, result.err) == (0, ""), result.out


def test_a_milestone_with_rebaselined_entries_is_refused_by_lint_and_the_schema(tmp_path: Path) -> None:
    text = _okrs(VALID[0]).replace("start: 0\n        target: 1600000", "done: false")
    (tmp_path / "goals.yaml").write_text(text)
    result = okrctl("lint", "--as-of", "2026-11-20", "--format", "json", "goals.yaml", cwd=tmp_path)
    assert result.code == 1
    findings = json.loads(result.out)["findings"]
    assert [(f["code"], f["line"], f["message"]) for f in findings if f["code"] == "OKR006"] == [
        (
            "OKR006",
            11,
            "key result 'new-revenue' is a milestone: rebaselined records a change of a target or threshold, "
            "and a milestone has none: drop rebaselined",
        )
    ]
    assert any("should not be valid under" in error for error in _schema_errors(text))


def test_checkin_edits_a_key_result_that_carries_rebaselined_entries(tmp_path: Path) -> None:
    before = _okrs(VALID[0]).replace(
        "        rebaselined:\n",
        "        checkins:\n          - {date: 2026-10-31, value: 600000}\n        rebaselined:\n",
    )
    (tmp_path / "goals.yaml").write_text(before, encoding="utf-8")
    result = okrctl("checkin", "sales/acquire/new-revenue", "900000", "--date", "2026-11-20", cwd=tmp_path)
    assert result.code == 0, result.err
    after = (tmp_path / "goals.yaml").read_text(encoding="utf-8")
    assert after == before.replace(
        "value: 600000}\n", "value: 600000}\n          - {date: 2026-11-20, value: 900000}\n"
    )
    loaded = load_text("goals.yaml", after, Config())
    assert loaded is not None and isinstance(loaded.model, OkrFile)
    assert loaded.model.objectives[0].key_results[0].rebaselined == [
        {"date": date(2026, 11, 2), "from": 2000000, "reason": "the enterprise segment moved to Q1"}
    ]


def test_unknown_keys_in_check_ins_and_measurements_get_a_did_you_mean_too() -> None:
    """The rows validate as TypedDicts, like rebaselined entries: their field names are offered as well."""
    checkin = HEAD.replace("        rebaselined:\n", "        checkins:\n          - {date: 2026-11-02, vaule: 3}\n")
    assert (ENTRY_LINE, 32, "unknown field 'vaule' (did you mean 'value'?)") in _problems(checkin)
    kpis = (
        "kind: kpis\nowner: ops\nkpis:\n  - id: up\n    title: Uptime\n"
        "    measurements:\n      - {date: 2026-11-02, value: 1, note: x, notes: y}\n"
    )
    loaded = load_text("kpis.yaml", kpis, Config())
    assert loaded is not None
    assert [p.message for _, p in loaded.problems] == ["unknown field 'notes' (did you mean 'note'?)"]
