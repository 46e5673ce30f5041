"""Each lint reporter on its own, from a small LintResult built here: what it prints for errors, warnings,
several files, a clean run, --quiet, --strict and colour. (The command line around them: test_cli_lint.py.)"""

from __future__ import annotations

import dataclasses
import json
import re
import xml.etree.ElementTree as ElementTree

import pytest

from okrctl import __version__
from okrctl.engine import LintResult
from okrctl.findings import Finding
from okrctl.reporters import ReportOptions, formats, reporter
from okrctl.rules import RULES

FINDINGS = [
    Finding("goals/a.yaml", 3, 5, "OKR007", "zero-range", "error", "key result 'up' has start equal to target"),
    Finding("goals/a.yaml", 9, 1, "OKR104", "number-in-objective", "warning", "objective 'grow' has a number"),
    Finding("goals/b.yaml", 2, 7, "OKR301", "stale", "warning", "50% done, a,b: no check-in\nsince 2026-10-01"),
]
RESULT = LintResult(FINDINGS, ["goals/a.yaml", "goals/b.yaml", "goals/c.yaml"])
CLEAN = LintResult([], ["goals/a.yaml", "goals/b.yaml"])


def lint(name: str, result: LintResult = RESULT, **options: bool) -> str:
    return reporter("lint", name)(result, ReportOptions(**options))


def test_every_lint_format_has_a_test_here() -> None:
    assert set(formats("lint")) == {"text", "json", "github", "gitlab", "sarif", "junit"}


def test_text_groups_findings_by_file_and_ends_with_a_summary() -> None:
    assert lint("text") == (
        "goals/a.yaml:3:5 OKR007 error key result 'up' has start equal to target (zero-range)\n"
        "goals/a.yaml:9:1 OKR104 warning objective 'grow' has a number (number-in-objective)\n"
        "\n"
        "goals/b.yaml:2:7 OKR301 warning 50% done, a,b: no check-in since 2026-10-01 (stale)\n"  # one line each
        "\n"
        "1 error and 2 warnings in 2 of 3 goal files.\n"
    )
    assert lint("text", CLEAN) == "All clear: 2 goal files checked, no findings.\n"


def test_text_quiet_prints_the_findings_only_and_colour_only_adds_styles() -> None:
    quiet = lint("text", quiet=True)
    assert quiet.splitlines() == lint("text").splitlines()[:-2]
    assert lint("text", CLEAN, quiet=True) == ""
    coloured = lint("text", color=True)
    assert "\x1b[" in coloured
    assert re.sub(r"\x1b\[[0-9;]*m", "", coloured) == lint("text")


def test_json_holds_every_finding_and_the_counts() -> None:
    document = json.loads(lint("json"))
    assert {key: document[key] for key in ("version", "files", "errors", "warnings")} == {
        "version": 1,
        "files": 3,
        "errors": 1,
        "warnings": 2,
    }
    assert document["findings"][0] == {
        "path": "goals/a.yaml",
        "line": 3,
        "column": 5,
        "code": "OKR007",
        "name": "zero-range",
        "severity": "error",
        "message": "key result 'up' has start equal to target",
    }
    assert [f["code"] for f in document["findings"]] == ["OKR007", "OKR104", "OKR301"]
    assert json.loads(lint("json", CLEAN))["findings"] == []


def test_github_prints_one_escaped_annotation_per_finding() -> None:
    lines = lint("github").splitlines()
    assert lines == [
        "::error file=goals/a.yaml,line=3,col=5,title=OKR007 zero-range::key result 'up' has start equal to target",
        "::warning file=goals/a.yaml,line=9,col=1,title=OKR104 number-in-objective::objective 'grow' has a number",
        "::warning file=goals/b.yaml,line=2,col=7,title=OKR301 stale::50%25 done, a,b: no check-in since 2026-10-01",
        "okrctl: 1 error and 2 warnings in 3 goal files",
    ]
    assert lint("github", quiet=True).splitlines() == lines[:-1]


def test_gitlab_is_a_code_quality_report_with_fingerprints_that_tell_repeats_apart() -> None:
    repeated = LintResult([*FINDINGS, dataclasses.replace(FINDINGS[0], line=30)], RESULT.paths)
    issues = json.loads(lint("gitlab", repeated))
    assert len(issues) == 4
    assert issues[0] == {
        "type": "issue",
        "check_name": "OKR007",
        "description": "OKR007 zero-range: key result 'up' has start equal to target",
        "categories": ["Style"],
        "fingerprint": issues[0]["fingerprint"],
        "severity": "major",
        "location": {"path": "goals/a.yaml", "lines": {"begin": 3}},
    }
    assert [issue["severity"] for issue in issues] == ["major", "minor", "minor", "major"]
    assert len({issue["fingerprint"] for issue in issues}) == 4  # the repeat of OKR007 has its own
    moved = LintResult([dataclasses.replace(FINDINGS[0], line=40)], RESULT.paths)
    assert json.loads(lint("gitlab", moved))[0]["fingerprint"] == issues[0]["fingerprint"]  # no line in it
    assert json.loads(lint("gitlab", CLEAN)) == []


def test_sarif_names_every_rule_and_points_each_result_at_its_rule_and_place() -> None:
    document = json.loads(lint("sarif"))
    assert document["version"] == "2.1.0"
    (run,) = document["runs"]
    driver = run["tool"]["driver"]
    assert (driver["name"], driver["version"]) == ("okrctl", __version__)
    assert [rule["id"] for rule in driver["rules"]] == list(RULES)
    results = run["results"]
    assert [(r["ruleId"], r["level"]) for r in results] == [
        ("OKR007", "error"),
        ("OKR104", "warning"),
        ("OKR301", "warning"),
    ]
    assert all(driver["rules"][r["ruleIndex"]]["id"] == r["ruleId"] for r in results)
    assert results[2]["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "goals/b.yaml", "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": 2, "startColumn": 7},
    }
    assert json.loads(lint("sarif", CLEAN))["runs"][0]["results"] == []


def test_sarif_help_links_lead_to_each_rules_documentation_in_the_repository() -> None:
    """A viewer's "learn more" link: the rule's module in the repository, whose docstring is its documentation
    (a README anchor would break whenever the README is reorganised, as it once was)."""
    from conftest import ROOT

    from okrctl.reporters.sarif import INFORMATION_URI

    for rule in json.loads(lint("sarif"))["runs"][0]["tool"]["driver"]["rules"]:
        uri = rule["helpUri"]
        assert uri.startswith(f"{INFORMATION_URI}/blob/main/okrctl/rules/{rule['id'].lower()}_")
        module = ROOT / uri.removeprefix(f"{INFORMATION_URI}/blob/main/")
        assert module.is_file() and RULES[rule["id"]].summary in module.read_text(encoding="utf-8")


@pytest.mark.parametrize(("strict", "failing"), [(False, {"goals/a.yaml"}), (True, {"goals/a.yaml", "goals/b.yaml"})])
def test_junit_has_a_case_per_file_and_fails_a_file_on_errors_or_with_strict_on_warnings(
    strict: bool, failing: set[str]
) -> None:
    root = ElementTree.fromstring(lint("junit", strict=strict))
    suite = root.find("testsuite")
    assert suite is not None
    cases = {case.attrib["name"]: case for case in suite.findall("testcase")}
    assert sorted(cases) == ["goals/a.yaml", "goals/b.yaml", "goals/c.yaml"]
    assert {name for name, case in cases.items() if case.find("failure") is not None} == failing
    assert (suite.attrib["tests"], suite.attrib["failures"]) == ("3", str(len(failing)))
    failure = cases["goals/a.yaml"].find("failure")
    assert failure is not None and failure.attrib["type"] == "OKR007"
    if not strict:
        assert failure.attrib["message"] == "OKR007 key result 'up' has start equal to target"
        assert "OKR104 warning" in (cases["goals/a.yaml"].findtext("system-out") or "")
