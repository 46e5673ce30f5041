"""Rule cases as data: one YAML file per rule code in tests/rules/, each case a small goals folder.

Every case is linted through the core with a fixed as-of date; the findings of the case's rule must
equal the expected ones exactly — path, line, column and message — and carry the rule's severity. A case
may name `paths` to lint (as pre-commit names the files a commit touches); by default the whole folder is.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml

from okrctl.commands.lint import collect
from okrctl.rules import RULES

CASES_DIR = Path(__file__).parent / "rules"
DEFAULT_AS_OF = dt.date(2026, 11, 23)


def _cases() -> list[Any]:
    params = []
    for case_file in sorted(CASES_DIR.glob("*.yaml")):
        document = yaml.safe_load(case_file.read_text(encoding="utf-8"))
        for case in document["cases"]:
            params.append(pytest.param(document["rule"], case, id=f"{document['rule']}: {case['name']}"))
    return params


def test_every_rule_has_cases_that_fail_and_pass() -> None:
    documents = {path.stem: yaml.safe_load(path.read_text(encoding="utf-8")) for path in CASES_DIR.glob("*.yaml")}
    assert sorted(documents) == sorted(RULES)
    for code, document in documents.items():
        assert document["rule"] == code
        outcomes = {bool(case["expect"]) for case in document["cases"]}
        assert outcomes == {True, False}, f"{code} needs failing and passing cases"


@pytest.mark.parametrize(("code", "case"), _cases())
def test_rule_case(code: str, case: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name, text in case["files"].items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    as_of = case.get("as_of", DEFAULT_AS_OF)
    result = collect([Path(name) for name in case.get("paths", [])], as_of)

    default_path = next(name for name in case["files"] if name != "okrctl.yaml")
    expected = [
        (item.get("path", default_path), item["line"], item["column"], item["message"]) for item in case["expect"]
    ]
    actual = [(f.path, f.line, f.column, f.message) for f in result.findings if f.code == code]
    assert actual == expected
    severity = case.get("severity", RULES[code].severity)
    assert {f.severity for f in result.findings if f.code == code} <= {severity}
