"""`okrctl lint --format gitlab`: GitLab's code quality report, checked against GitLab's own schema.

tests/data/gitlab-codeclimate.json is GitLab's validator for each issue of a code quality report, copied
from gitlab-org/gitlab (mirror gitlabhq/gitlabhq, app/validators/json_schemas/codeclimate.json, commit
33827e3a534757eead42e6c17460564c49ff1c3a, MIT licence). It is loose (it requires description,
fingerprint, severity and location), so the documented rest of the format is checked here too:
https://docs.gitlab.com/ci/testing/code_quality/#code-quality-report-format
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema
from conftest import AS_OF, EXAMPLES, ROOT, okrctl

from okrctl.engine import LintResult
from okrctl.findings import Finding
from okrctl.reporters import ReportOptions
from okrctl.reporters.gitlab import lint_gitlab

SCHEMA = json.loads((Path(__file__).parent.parent / "data" / "gitlab-codeclimate.json").read_text(encoding="utf-8"))
SEVERITIES = {"info", "minor", "major", "critical", "blocker"}


def _check_report(issues: list[dict[str, object]]) -> None:
    validator = jsonschema.Draft7Validator(SCHEMA)
    for issue in issues:
        validator.validate(issue)
        assert issue["severity"] in SEVERITIES
        assert isinstance(issue["check_name"], str) and issue["check_name"]
        location = issue["location"]
        assert isinstance(location, dict) and isinstance(location["path"], str)
        assert isinstance(location["lines"]["begin"], int) and location["lines"]["begin"] >= 1
    fingerprints = [issue["fingerprint"] for issue in issues]
    assert len(set(fingerprints)) == len(fingerprints)


def test_the_bad_examples_as_a_gitlab_report() -> None:
    result = okrctl("lint", "examples/bad", "--as-of", AS_OF, "--format", "gitlab", cwd=ROOT)
    issues = json.loads(result.out)
    assert result.code == 1
    _check_report(issues)
    findings = json.loads(okrctl("lint", "examples/bad", "--as-of", AS_OF, "--format", "json", cwd=ROOT).out)
    assert [(i["check_name"], i["location"]["path"], i["location"]["lines"]["begin"]) for i in issues] == [
        (f["code"], f["path"], f["line"]) for f in findings["findings"]
    ]
    zero_range = next(i for i in issues if i["check_name"] == "OKR007")
    assert zero_range["severity"] == "major"
    assert zero_range["description"].startswith("OKR007 zero-range: key result 'uptime' has start equal to target")
    assert next(i for i in issues if i["check_name"] == "OKR104")["severity"] == "minor"


def test_a_clean_tree_is_an_empty_report() -> None:
    result = okrctl("lint", "examples/acme", "--as-of", AS_OF, "--format", "gitlab", cwd=ROOT)
    assert (result.code, json.loads(result.out)) == (0, [])


def test_fingerprints_survive_moved_lines_and_tell_repeats_apart(tmp_path: Path) -> None:
    shutil.copy(EXAMPLES / "bad" / "okr007-zero-range.yaml", tmp_path / "ops.yaml")
    before = json.loads(okrctl("lint", "--as-of", AS_OF, "--format", "gitlab", cwd=tmp_path).out)
    again = json.loads(okrctl("lint", "--as-of", AS_OF, "--format", "gitlab", cwd=tmp_path).out)
    text = (tmp_path / "ops.yaml").read_text()
    (tmp_path / "ops.yaml").write_text("# a comment above moves every line down\n" + text)
    moved = json.loads(okrctl("lint", "--as-of", AS_OF, "--format", "gitlab", cwd=tmp_path).out)
    assert [i["fingerprint"] for i in before] == [i["fingerprint"] for i in again] == [i["fingerprint"] for i in moved]
    assert [i["location"]["lines"]["begin"] + 1 for i in before] == [i["location"]["lines"]["begin"] for i in moved]

    twice = [Finding("a.yaml", line, 1, "OKR104", "number-in-objective", "warning", "same") for line in (3, 9)]
    issues = json.loads(lint_gitlab(LintResult(twice, ["a.yaml"]), ReportOptions()))
    _check_report(issues)


def test_odd_file_names_stay_valid_json() -> None:
    names = ["with space é.yaml", "tab\tand\x1bescape.yaml", "bad\udcff.yaml"]
    findings = [Finding(name, 1, 1, "OKR001", "yaml-syntax", "error", "broken") for name in names]
    text = lint_gitlab(LintResult(findings, names), ReportOptions())
    issues = json.loads(text)
    _check_report(issues)
    assert [i["location"]["path"] for i in issues] == names
    assert text.isascii()
