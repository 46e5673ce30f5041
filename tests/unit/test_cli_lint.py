"""`okrctl lint` on the command line (in process): formats, exit codes, streams, config and the examples."""

from __future__ import annotations

import json
import re
from pathlib import Path

from conftest import AS_OF, EXAMPLES, ROOT, git, okrctl

from okrctl.rules import RULES

BAD = EXAMPLES / "bad"
_EXPECT = re.compile(r"#\s*expect:\s*(OKR\d{3})")


def _expected_markers() -> list[tuple[str, int, str]]:
    markers = []
    for path in sorted(BAD.glob("*.yaml")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if match := _EXPECT.search(line):
                markers.append((f"examples/bad/{path.name}", number, match.group(1)))
    return markers


def test_acme_example_lints_clean() -> None:
    result = okrctl("lint", "examples/acme", "--as-of", AS_OF, cwd=ROOT)
    assert result.code == 0
    assert result.out == "All clear: 11 goal files checked, no findings.\n"
    assert result.err == ""


def test_lint_without_paths_uses_the_goals_root_of_a_git_repository(acme_repo: Path) -> None:
    (acme_repo / ".github").mkdir()
    (acme_repo / ".github" / "ci.yaml").write_text("on: [push]\njobs: {lint: {runs-on: ubuntu-latest}}\n")
    (acme_repo / "archive" / "old.yaml").write_text("kind: okrs\nowner: BROKEN\n")
    git("add", "-A", cwd=acme_repo)
    git("commit", "-qm", "CI and an archived file", cwd=acme_repo)
    result = okrctl("lint", "--as-of", AS_OF, cwd=acme_repo / "goals" / "2026")
    assert (result.code, result.out) == (0, "All clear: 11 goal files checked, no findings.\n")


def test_bad_examples_report_every_code_at_its_marked_line() -> None:
    result = okrctl("lint", "examples/bad", "--as-of", AS_OF, "--format", "json", cwd=ROOT)
    assert result.code == 1
    document = json.loads(result.out)
    found = [(f["path"], f["line"], f["code"]) for f in document["findings"]]
    assert found == _expected_markers()
    targeted = {code for _, _, code in found}
    assert targeted == set(RULES)  # every rule of this release has a bad example


def test_text_format_is_one_line_per_finding_grouped_by_file_with_a_summary(tmp_path: Path) -> None:
    for name in ("okr104-number-in-objective.yaml", "okr007-zero-range.yaml"):
        (tmp_path / name).write_bytes((BAD / name).read_bytes())
    result = okrctl("lint", "--as-of", AS_OF, cwd=tmp_path)
    assert result.code == 1
    assert result.out == (
        "okr007-zero-range.yaml:13:9 OKR007 error key result 'uptime' has start equal to target (99.9): "
        "set a target to move to, or use at_least / at_most to hold a level (zero-range)\n"
        "\n"
        "okr104-number-in-objective.yaml:7:5 OKR104 warning objective 'revenue' title holds a number ('15%'): "
        "move it to a key result (number-in-objective)\n"
        "\n"
        "1 error and 1 warning in 2 of 2 goal files.\n"
    )
    assert "\x1b[" not in result.out  # piped: plain text


def test_json_format_matches_the_spec(tmp_path: Path) -> None:
    goals = tmp_path / "goals"
    goals.mkdir()
    (goals / "ops.yaml").write_bytes((BAD / "okr007-zero-range.yaml").read_bytes())
    result = okrctl("lint", "goals", "--format", "json", "--as-of", AS_OF, cwd=tmp_path)
    assert result.code == 1
    assert json.loads(result.out) == {
        "version": 1,
        "findings": [
            {
                "path": "goals/ops.yaml",
                "line": 13,
                "column": 9,
                "code": "OKR007",
                "name": "zero-range",
                "severity": "error",
                "message": "key result 'uptime' has start equal to target (99.9): set a target to move to, "
                "or use at_least / at_most to hold a level",
            }
        ],
        "files": 1,
        "errors": 1,
        "warnings": 0,
    }


def test_github_format_is_chosen_in_actions_and_escapes_properly(tmp_path: Path) -> None:
    text = (BAD / "okr002-unknown-field.yaml").read_text(encoding="utf-8")
    (tmp_path / "a,b:c.yaml").write_text(text.replace("taget: 2", "taget: 2\n        100%: 1"))
    result = okrctl("lint", "--as-of", AS_OF, cwd=tmp_path, env={"GITHUB_ACTIONS": "true"})
    assert result.code == 1
    assert result.out.splitlines() == [
        "::error file=a%2Cb%3Ac.yaml,line=12,col=9,title=OKR002 schema::unknown field 'taget' (did you mean 'target'?)",
        "::error file=a%2Cb%3Ac.yaml,line=13,col=9,title=OKR002 schema::unknown field '100%25'; allowed here: "
        "id, title, start, target, at_least, at_most, done, done_on, kpi, checkins, current, unit, weight, "
        "grade, grade_note, rebaselined",
        "okrctl: 2 errors and 0 warnings in 1 goal file",
    ]


def test_explicit_format_overrides_github_actions(tmp_path: Path) -> None:
    (tmp_path / "ops.yaml").write_bytes((BAD / "okr007-zero-range.yaml").read_bytes())
    result = okrctl("lint", "--format", "json", "--as-of", AS_OF, cwd=tmp_path, env={"GITHUB_ACTIONS": "true"})
    assert json.loads(result.out)["errors"] == 1


def test_warnings_exit_zero_unless_strict(tmp_path: Path) -> None:
    (tmp_path / "ops.yaml").write_bytes((BAD / "okr104-number-in-objective.yaml").read_bytes())
    assert okrctl("lint", "--as-of", AS_OF, cwd=tmp_path).code == 0
    strict = okrctl("lint", "--strict", "--as-of", AS_OF, cwd=tmp_path)
    assert strict.code == 1
    assert "OKR104 warning" in strict.out


def test_config_ignores_and_changes_severities(tmp_path: Path) -> None:
    (tmp_path / "ops.yaml").write_bytes((BAD / "okr104-number-in-objective.yaml").read_bytes())
    (tmp_path / "okrctl.yaml").write_text("lint:\n  severity: {OKR104: error}\n")
    raised = okrctl("lint", "--as-of", AS_OF, cwd=tmp_path)
    assert raised.code == 1
    assert "ops.yaml:7:5 OKR104 error objective 'revenue'" in raised.out
    (tmp_path / "okrctl.yaml").write_text("lint:\n  ignore: [OKR1]  # a prefix selects OKR101..OKR106\n")
    ignored = okrctl("lint", "--as-of", AS_OF, cwd=tmp_path)
    assert (ignored.code, ignored.out) == (0, "All clear: 1 goal file checked, no findings.\n")


def test_bad_config_is_a_located_usage_error(tmp_path: Path) -> None:
    (tmp_path / "okrctl.yaml").write_text("fiscal_year_start: 7\nlint:\n  max_objectivs: 3\n")
    result = okrctl("lint", cwd=tmp_path)
    assert result.code == 2
    assert result.out == ""
    assert result.err == (
        "okrctl: error: okrctl.yaml:3:3: bad config: unknown field 'max_objectivs' (did you mean 'max_objectives'?)\n"
    )
    (tmp_path / "okrctl.yaml").write_text("lint:\n  ignore: [OKR999]\n")
    unknown = okrctl("lint", cwd=tmp_path)
    assert unknown.code == 2
    assert "bad config: unknown rule code 'OKR999'" in unknown.err


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    bad_format = okrctl("lint", "--format", "xml", cwd=tmp_path)
    assert bad_format.code == 2
    assert "'xml' is not one of text, json, github" in bad_format.err
    bad_date = okrctl("lint", "--as-of", "2026-02-30", cwd=tmp_path)
    assert bad_date.code == 2
    assert "'2026-02-30' is not a valid date" in bad_date.err
    missing = okrctl("lint", "nowhere/goals.yaml", cwd=tmp_path)
    assert (missing.code, missing.out) == (2, "")
    assert missing.err == "okrctl: error: nowhere/goals.yaml: no such file or directory\n"


def test_a_named_file_that_is_not_a_goal_file_is_skipped_with_a_note(tmp_path: Path) -> None:
    (tmp_path / "ci.yaml").write_text("on: [push]\n")
    result = okrctl("lint", "ci.yaml", cwd=tmp_path)
    assert result.code == 0
    assert result.out == "All clear: 0 goal files checked, no findings.\n"
    assert result.err == "okrctl: ci.yaml: not a goal file (no kind: okrs or kind: kpis), skipped\n"


def test_version(tmp_path: Path) -> None:
    from okrctl import __version__

    assert okrctl("--version", cwd=tmp_path).out == f"okrctl {__version__}\n"


def test_github_escaping_of_line_breaks_and_separators() -> None:
    from okrctl.reporters.github import escape_data, escape_property

    assert escape_data("50%\r\nnext: a,b") == "50%25%0D%0Anext: a,b"
    assert escape_property("dir,x/a:b%.yaml") == "dir%2Cx/a%3Ab%25.yaml"
