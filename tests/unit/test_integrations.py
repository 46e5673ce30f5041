"""okrctl with the real CI clients: pre-commit, check-jsonschema, a SARIF schema validator, a JUnit parser."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import junitparser
import pytest
from conftest import AS_OF, EXAMPLES, ROOT, git, run_okrctl

from okrctl.rules import RULES

BIN = Path(sys.executable).parent
SARIF_SCHEMA = Path(__file__).parent.parent / "data" / "sarif-schema-2.1.0.json"


def _tool(name: str) -> str:
    path = BIN / name
    if not path.exists():
        pytest.fail(f"{name} is not installed: pip install -e '.[dev]'")
    return str(path)


# -- pre-commit -----------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One pre-commit cache for the session: the hook environment is built once."""
    return tmp_path_factory.mktemp("pre-commit-home")


@pytest.fixture(scope="session")
def hooks_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This working tree, committed into a fresh repository: try-repo sees exactly the code under test."""
    copy = tmp_path_factory.mktemp("hooks") / "okrctl"
    ignored = shutil.ignore_patterns(".git", ".venv", "*.egg-info", "__pycache__", ".*_cache", ".hypothesis")
    shutil.copytree(ROOT, copy, ignore=ignored)
    git("init", "-q", "-b", "main", cwd=copy)
    git("add", "-A", cwd=copy)
    git("-c", "user.email=ci@example.com", "-c", "user.name=CI", "commit", "-qm", "snapshot", cwd=copy)
    return copy


def _try_repo(repo: Path, home: Path, hooks: Path, hook: str, *files: str) -> subprocess.CompletedProcess[str]:
    args = [_tool("pre-commit"), "try-repo", str(hooks), hook, "--color", "never"]
    args += ["--files", *files] if files else ["--all-files"]
    env = {**os.environ, "PRE_COMMIT_HOME": str(home), "NO_COLOR": "1"}
    env.pop("GITHUB_ACTIONS", None)
    return subprocess.run(args, cwd=repo, env=env, capture_output=True, text=True, timeout=900)


def test_pre_commit_hooks_through_try_repo(acme_repo: Path, pre_commit_home: Path, hooks_repo: Path) -> None:
    (acme_repo / ".github").mkdir()
    (acme_repo / ".github" / "ci.yml").write_text("on: [push]\njobs: {}\n")  # unrelated YAML
    git("add", "-A", cwd=acme_repo)
    clean = _try_repo(acme_repo, pre_commit_home, hooks_repo, "okrctl-lint", "goals/2026/sales.yaml", ".github/ci.yml")
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "okrctl lint" in clean.stdout and "Passed" in clean.stdout

    sales = acme_repo / "goals" / "2026" / "sales.yaml"
    sales.write_text(sales.read_text().replace("target: 50\n", "target: 0\n"))  # OKR007 once the start is 0
    git("add", "-A", cwd=acme_repo)
    broken = _try_repo(acme_repo, pre_commit_home, hooks_repo, "okrctl-lint", "goals/2026/sales.yaml", ".github/ci.yml")
    assert broken.returncode == 1
    assert "Failed" in broken.stdout
    assert (
        "goals/2026/sales.yaml:27:9 OKR007 error key result 'enterprise-deals' has start equal to target"
        in broken.stdout
    )

    everything = _try_repo(acme_repo, pre_commit_home, hooks_repo, "okrctl-lint-all")
    assert everything.returncode == 1
    assert "goals/2026/sales.yaml:27:9 OKR007 error" in everything.stdout


def test_pre_commit_hook_definitions() -> None:
    from okrctl.yamlread import parse_yaml

    hooks = {hook["id"]: hook for hook in parse_yaml((ROOT / ".pre-commit-hooks.yaml").read_text())}
    assert set(hooks) == {"okrctl-lint", "okrctl-lint-all"}
    assert hooks["okrctl-lint-all"]["pass_filenames"] is False
    assert all(hook["entry"] == "okrctl lint" and hook["language"] == "python" for hook in hooks.values())


# -- the editor schema, with check-jsonschema -----------------------------------------------------


def _check_jsonschema(*files: Path, schema: str = "okrctl.schema.json") -> subprocess.CompletedProcess[str]:
    option = ["--builtin-schema", schema] if schema.startswith("vendor.") else ["--schemafile", str(ROOT / schema)]
    return subprocess.run([_tool("check-jsonschema"), *option, *map(str, files)], capture_output=True, text=True)


def test_check_jsonschema_accepts_every_valid_example() -> None:
    files = sorted(p for p in (EXAMPLES / "acme").rglob("*.yaml") if p.name != "okrctl.yaml")
    assert len(files) == 11
    result = _check_jsonschema(*files)
    assert result.returncode == 0, result.stdout + result.stderr


def test_check_jsonschema_rejects_the_bad_examples_that_are_schema_errors() -> None:
    bad = EXAMPLES / "bad"
    schema_errors = [
        bad / "okr001-duplicate-key.yaml",
        bad / "okr002-unknown-field.yaml",
        bad / "okr006-key-result-kind.yaml",
    ]
    for path in schema_errors:
        result = _check_jsonschema(path)
        assert result.returncode == 1, path
    assert "'taget' was unexpected" in _check_jsonschema(bad / "okr002-unknown-field.yaml").stdout
    assert "should not be valid under" in _check_jsonschema(bad / "okr006-key-result-kind.yaml").stdout  # mixed kinds
    lint_only = sorted(set(bad.glob("*.yaml")) - set(schema_errors))  # good shape, bad practice: lint's job
    assert _check_jsonschema(*lint_only).returncode == 0


# -- SARIF ----------------------------------------------------------------------------------------


def test_sarif_validates_against_the_official_schema() -> None:
    result = run_okrctl("lint", "examples/bad", "--as-of", AS_OF, "--format", "sarif", cwd=ROOT)
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
        json.loads(run_okrctl("lint", "examples/bad", "--as-of", AS_OF, "--format", "json", cwd=ROOT).out)["findings"]
    )


def test_sarif_with_no_findings_is_valid() -> None:
    result = run_okrctl("lint", "examples/acme", "--as-of", AS_OF, "--format", "sarif", cwd=ROOT)
    document = json.loads(result.out)
    jsonschema.Draft4Validator(json.loads(SARIF_SCHEMA.read_text())).validate(document)
    assert (result.code, document["runs"][0]["results"]) == (0, [])


def test_sarif_uris_are_percent_encoded_and_still_valid() -> None:
    from okrctl.findings import Finding
    from okrctl.lint import LintResult
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
    result = run_okrctl("lint", "examples/bad", "--as-of", AS_OF, "--format", "junit", cwd=ROOT)
    assert result.code == 1
    suite = _junit_counts_agree(result.out, tmp_path)
    cases = {case.name: case for case in suite}
    assert len(cases) == 21  # every goal file of examples/bad
    failures = {name: [r for r in case.result if isinstance(r, junitparser.Failure)] for name, case in cases.items()}
    assert sum(len(f) for f in failures.values()) == 8 == suite.failures
    zero_range = failures["examples/bad/okr007-zero-range.yaml"][0]
    assert zero_range.type == "OKR007"
    assert zero_range.message.startswith("OKR007 key result 'uptime' has start equal to target")
    assert failures["examples/bad/okr104-number-in-objective.yaml"] == []  # a warning is not a failure
    assert "OKR104 warning" in (cases["examples/bad/okr104-number-in-objective.yaml"].system_out or "")


def test_junit_one_failure_per_file_holds_all_its_errors(tmp_path: Path) -> None:
    from okrctl.findings import Finding
    from okrctl.lint import LintResult
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
    result = run_okrctl(
        "lint", "examples/bad/okr104-number-in-objective.yaml", "--strict", "--format", "junit", cwd=ROOT
    )
    assert result.code == 1
    assert _junit_counts_agree(result.out, tmp_path).failures == 1


def test_junit_stays_well_formed_with_control_characters_in_names(tmp_path: Path) -> None:
    goals = tmp_path / "goals"
    goals.mkdir()
    name = "a\x1b]0;pwned\x07\nb.yaml"
    (goals / name).write_bytes((EXAMPLES / "bad" / "okr007-zero-range.yaml").read_bytes())
    result = run_okrctl("lint", "--format", "junit", "--as-of", AS_OF, cwd=goals)
    assert result.code == 1
    suite = _junit_counts_agree(result.out, tmp_path)
    (case,) = list(suite)
    assert case.name == "a\\x1b]0;pwned\\x07\\nb.yaml"  # escapes made visible, the line break too (display_path)
    assert "\x1b" not in result.out and "\x07" not in result.out


# -- CI examples, output in CI logs ---------------------------------------------------------------


def test_ci_examples_validate_against_the_vendors_schemas() -> None:
    assert _check_jsonschema(EXAMPLES / "ci" / "github-workflow.yml", schema="vendor.github-workflows").returncode == 0
    assert _check_jsonschema(EXAMPLES / "ci" / "gitlab-ci.yml", schema="vendor.gitlab-ci").returncode == 0


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
        result = run_okrctl(
            *command.split()[1:], "--as-of", AS_OF, cwd=tmp_path / "repo", env={"GITHUB_ACTIONS": "true"}
        )
        assert result.code in (0, 1), (command, result.err)  # 1: the example's red KPI trips the gate


def test_text_reports_are_readable_in_a_narrow_ci_log() -> None:
    result = run_okrctl("lint", "examples/bad", "--as-of", AS_OF, cwd=ROOT, env={"COLUMNS": "20"})
    lines = [line for line in result.out.splitlines() if "OKR" in line]
    findings = json.loads(run_okrctl("lint", "examples/bad", "--as-of", AS_OF, "--format", "json", cwd=ROOT).out)
    assert len(lines) == len(findings["findings"]) == 22  # one line per finding, whatever COLUMNS says
    assert all(line.startswith("examples/bad/") for line in lines)


def test_markdown_never_carries_ansi_even_when_colour_is_forced() -> None:
    for command in ("score", "status", "kpis"):
        result = run_okrctl(
            command, "examples/acme", "--as-of", AS_OF, "--format", "markdown", "--color", "always", cwd=ROOT
        )
        assert "\x1b[" not in result.out
    forced = run_okrctl("lint", "examples/bad/okr007-zero-range.yaml", "--color", "always", cwd=ROOT)
    assert "\x1b[" in forced.out
    never = run_okrctl(
        "lint", "examples/bad/okr007-zero-range.yaml", "--color", "never", cwd=ROOT, env={"FORCE_COLOR": "1"}
    )
    assert "\x1b[" not in never.out
