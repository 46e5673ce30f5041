"""okrctl's reports as CI clients read them: a SARIF schema validator, a JUnit parser, the CI examples' commands,
CI logs; and the pre-commit hook definitions. The real pre-commit and check-jsonschema run in
tests/acceptance/test_ci_clients.py."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema
import junitparser
from conftest import AS_OF, EXAMPLES, ROOT, okrctl

from okrctl.rules import RULES

# examples/bad: one small file per rule, each line at fault marked `# expect: CODE` (counted, not written down,
# so a new rule's example needs no change here).
BAD_FILES = sorted((EXAMPLES / "bad").glob("*.yaml"))
BAD_MARKERS = [
    (path, code)
    for path in BAD_FILES
    for line in path.read_text(encoding="utf-8").splitlines()
    if "# expect:" in line
    for code in [line.split("# expect:", 1)[1].split()[0]]
]

SARIF_SCHEMA = Path(__file__).parent.parent / "data" / "sarif-schema-2.1.0.json"


# -- pre-commit -----------------------------------------------------------------------------------


def test_pre_commit_hook_definitions() -> None:
    from okrctl.yamlread import parse_yaml

    hooks = {hook["id"]: hook for hook in parse_yaml((ROOT / ".pre-commit-hooks.yaml").read_text())}
    assert set(hooks) == {"okrctl-lint", "okrctl-lint-all", "okrctl-fmt"}
    assert hooks["okrctl-lint-all"]["pass_filenames"] is False
    assert hooks["okrctl-fmt"]["entry"] == "okrctl fmt --check"
    lint_hooks = [hooks["okrctl-lint"], hooks["okrctl-lint-all"]]
    assert all(hook["entry"] == "okrctl lint" for hook in lint_hooks)
    assert all(hook["language"] == "python" for hook in hooks.values())


# -- SARIF ----------------------------------------------------------------------------------------


def test_sarif_validates_against_the_official_schema() -> None:
    result = okrctl("lint", "examples/bad", "--as-of", AS_OF, "--format", "sarif", cwd=ROOT)
    assert result.code == 1
    document = json.loads(result.out)
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft4Validator(schema).validate(document)

    run = document["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [rule["id"] for rule in rules] == list(RULES)
    assert all(
        rule["shortDescription"]["text"] and rule["fullDescription"]["text"] and rule["help"]["text"] for rule in rules
    )
    first = run["results"][0]
    assert first["ruleId"] == "OKR001" and rules[first["ruleIndex"]]["id"] == "OKR001"
    assert first["level"] == "error"
    assert first["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "examples/bad/okr001-duplicate-key.yaml", "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": 8, "startColumn": 5},
    }
    assert {r["level"] for r in run["results"]} == {"error", "warning"}
    assert len(run["results"]) == len(
        json.loads(okrctl("lint", "examples/bad", "--as-of", AS_OF, "--format", "json", cwd=ROOT).out)["findings"]
    )


def test_sarif_with_no_findings_is_valid() -> None:
    result = okrctl("lint", "examples/acme", "--as-of", AS_OF, "--format", "sarif", cwd=ROOT)
    document = json.loads(result.out)
    jsonschema.Draft4Validator(json.loads(SARIF_SCHEMA.read_text())).validate(document)
    assert (result.code, document["runs"][0]["results"]) == (0, [])


def test_sarif_uris_are_percent_encoded_and_still_valid() -> None:
    from okrctl.engine import LintResult
    from okrctl.findings import Finding
    from okrctl.reporters import ReportOptions
    from okrctl.reporters.sarif import lint_sarif

    names = {
        "goals/with space é.yaml": "goals/with%20space%20%C3%A9.yaml",
        "100%#1?.yaml": "100%25%231%3F.yaml",
        "bad\udcff.yaml": "bad%FF.yaml",
    }
    findings = [Finding(name, 1, 1, "OKR001", "yaml-syntax", "error", "broken") for name in names]
    document = json.loads(lint_sarif(LintResult(sorted(findings), list(names)), ReportOptions()))
    jsonschema.Draft4Validator(json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))).validate(document)
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in document["runs"][0]["results"]}
    assert uris == set(names.values())


# -- JUnit ----------------------------------------------------------------------------------------


def _junit_counts_agree(text: str, tmp_path: Path) -> junitparser.TestSuite:
    """Parse a JUnit report with xml.etree and junitparser, and check its counts as xunitparser does:
    `tests` is the number of test cases, `failures` the number of failing ones."""
    import xml.etree.ElementTree as ElementTree

    root = ElementTree.fromstring(text.encode("utf-8"))
    suite_element = root.find("testsuite")
    assert suite_element is not None
    cases = suite_element.findall("testcase")
    failing = [case for case in cases if case.findall("failure")]
    assert all(len(case.findall("failure")) == 1 for case in failing)
    for element in (root, suite_element):
        assert (int(element.attrib["tests"]), int(element.attrib["failures"])) == (len(cases), len(failing))
    report = tmp_path / "junit.xml"
    report.write_text(text, encoding="utf-8")
    (suite,) = list(junitparser.JUnitXml.fromfile(str(report)))
    assert (suite.tests, suite.failures) == (len(cases), len(failing))
    return suite


def test_junit_has_a_case_per_file_and_a_failure_per_failing_file(tmp_path: Path) -> None:
    result = okrctl("lint", "examples/bad", "--as-of", AS_OF, "--format", "junit", cwd=ROOT)
    assert result.code == 1
    suite = _junit_counts_agree(result.out, tmp_path)
    cases = {case.name: case for case in suite}
    # every goal file of examples/bad, one per rule but the history rules (theirs need commits: tests/rules)
    assert len(cases) == len(BAD_FILES) == len([rule for rule in RULES.values() if rule.check_history is None])
    failures = {name: [r for r in case.result if isinstance(r, junitparser.Failure)] for name, case in cases.items()}
    failing = {path for path, code in BAD_MARKERS if RULES[code].severity == "error"}
    assert sum(len(f) for f in failures.values()) == len(failing) == suite.failures > 0
    zero_range = failures["examples/bad/okr007-zero-range.yaml"][0]
    assert zero_range.type == "OKR007"
    assert zero_range.message.startswith("OKR007 key result 'uptime' has start equal to target")
    assert failures["examples/bad/okr104-number-in-objective.yaml"] == []  # a warning is not a failure
    assert "OKR104 warning" in (cases["examples/bad/okr104-number-in-objective.yaml"].system_out or "")


def test_junit_one_failure_per_file_holds_all_its_errors(tmp_path: Path) -> None:
    from okrctl.engine import LintResult
    from okrctl.findings import Finding
    from okrctl.reporters import ReportOptions
    from okrctl.reporters.junit import lint_junit

    findings = [
        Finding("a.yaml", 3, 1, "OKR002", "schema", "error", "first"),
        Finding("a.yaml", 9, 5, "OKR007", "zero-range", "error", "second"),
        Finding("b.yaml", 4, 1, "OKR104", "number-in-objective", "warning", "a number"),
    ]
    result = LintResult(findings, ["a.yaml", "b.yaml", "c.yaml"])
    suite = _junit_counts_agree(lint_junit(result, ReportOptions()), tmp_path)
    assert (suite.tests, suite.failures) == (3, 1)
    (failure,) = next(case for case in suite if case.name == "a.yaml").result
    assert failure.message == "OKR002 first (and 1 more)"
    assert failure.text == "a.yaml:3:1 OKR002 error first\na.yaml:9:5 OKR007 error second"
    # --strict: a warning fails the run, so it fails its test case too (never a green report on a red job)
    strict = _junit_counts_agree(lint_junit(result, ReportOptions(strict=True)), tmp_path)
    assert (strict.tests, strict.failures) == (3, 2)


def test_junit_strict_run_never_shows_a_green_report(tmp_path: Path) -> None:
    result = okrctl("lint", "examples/bad/okr104-number-in-objective.yaml", "--strict", "--format", "junit", cwd=ROOT)
    assert result.code == 1
    assert _junit_counts_agree(result.out, tmp_path).failures == 1


def test_junit_stays_well_formed_with_control_characters_in_names(tmp_path: Path) -> None:
    goals = tmp_path / "goals"
    goals.mkdir()
    name = "a\x1b]0;pwned\x07\nb.yaml"
    (goals / name).write_bytes((EXAMPLES / "bad" / "okr007-zero-range.yaml").read_bytes())
    result = okrctl("lint", "--format", "junit", "--as-of", AS_OF, cwd=goals)
    assert result.code == 1
    suite = _junit_counts_agree(result.out, tmp_path)
    (case,) = list(suite)
    assert case.name == "a\\x1b]0;pwned\\x07\\nb.yaml"  # escapes made visible, the line break too (display_path)
    assert "\x1b" not in result.out and "\x07" not in result.out


# -- CI examples, output in CI logs ---------------------------------------------------------------


def test_ci_example_commands_run_on_the_example(tmp_path: Path) -> None:
    """Every okrctl command line of the workflows runs, in a copy of the acme repository."""
    shutil.copytree(EXAMPLES / "acme", tmp_path / "repo")
    commands = set()
    for name in ("github-workflow.yml", "gitlab-ci.yml"):
        for line in (EXAMPLES / "ci" / name).read_text().splitlines():
            text = line.strip().removeprefix("- ").removeprefix("run: ")
            if text.startswith("okrctl "):
                commands.add(text.split(" >", 1)[0].split(" ||", 1)[0])
    assert len(commands) >= 6
    for command in sorted(commands):
        result = okrctl(*command.split()[1:], "--as-of", AS_OF, cwd=tmp_path / "repo", env={"GITHUB_ACTIONS": "true"})
        assert result.code in (0, 1), (command, result.err)  # 1: the example's red KPI trips the gate


def test_text_reports_are_readable_in_a_narrow_ci_log() -> None:
    result = okrctl("lint", "examples/bad", "--as-of", AS_OF, cwd=ROOT, env={"COLUMNS": "20"})
    lines = [line for line in result.out.splitlines() if "OKR" in line]
    findings = json.loads(okrctl("lint", "examples/bad", "--as-of", AS_OF, "--format", "json", cwd=ROOT).out)
    assert len(lines) == len(findings["findings"]) == len(BAD_MARKERS)  # one line per finding, whatever COLUMNS says
    assert all(line.startswith("examples/bad/") for line in lines)


def test_markdown_never_carries_ansi_even_when_colour_is_forced() -> None:
    for command in ("score", "status", "kpis"):
        result = okrctl(
            command, "examples/acme", "--as-of", AS_OF, "--format", "markdown", "--color", "always", cwd=ROOT
        )
        assert "\x1b[" not in result.out
    forced = okrctl("lint", "examples/bad/okr007-zero-range.yaml", "--color", "always", cwd=ROOT)
    assert "\x1b[" in forced.out
    never = okrctl(
        "lint", "examples/bad/okr007-zero-range.yaml", "--color", "never", cwd=ROOT, env={"FORCE_COLOR": "1"}
    )
    assert "\x1b[" not in never.out
