"""`okrctl schema` (the editor schema, in sync and valid) and `okrctl init` (a starter that lints clean)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from conftest import EXAMPLES, ROOT, git, okrctl

from okrctl.periods import quarter_of
from okrctl.schema import goal_file_schema, schema_text
from okrctl.yamlread import parse_yaml


@pytest.mark.parametrize("copy", ["okrctl.schema.json", "examples/acme/okrctl.schema.json"])
def test_committed_schema_copies_are_in_sync(copy: str) -> None:
    assert (ROOT / copy).read_text(encoding="utf-8") == schema_text(), f"regenerate: okrctl schema -o {copy}"


def test_schema_command_prints_and_writes_it(tmp_path: Path) -> None:
    printed = okrctl("schema", cwd=tmp_path)
    assert (printed.code, printed.out) == (0, schema_text())
    written = okrctl("schema", "--output", "s.json", cwd=tmp_path)
    assert (written.code, written.err) == (0, "okrctl: wrote s.json\n")
    assert (tmp_path / "s.json").read_text() == schema_text()
    refused = okrctl("schema", "--output", "no/such/folder/s.json", cwd=tmp_path)
    assert refused.code == 2
    assert refused.err.startswith("okrctl: error: cannot write no/such/folder/s.json:")


def _properties(schema: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return [
        (f"{name}.{field}", spec)
        for name, definition in schema["definitions"].items()
        for field, spec in definition.get("properties", {}).items()
    ]


def test_schema_is_draft_07_with_a_description_on_every_field() -> None:
    schema = goal_file_schema()
    jsonschema.Draft7Validator.check_schema(schema)
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    assert "$defs" not in json.dumps(schema)  # draft-07 uses definitions
    missing = [name for name, spec in _properties(schema) if not spec.get("description")]
    assert missing == []
    assert len(_properties(schema)) > 40


def _validate(path: Path) -> list[str]:
    data = parse_yaml(path.read_text(encoding="utf-8"))
    validator = jsonschema.Draft7Validator(goal_file_schema(), format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)
    return [error.message for error in validator.iter_errors(data)]


GOAL_FILES = sorted(p for p in (EXAMPLES / "acme").rglob("*.yaml") if p.name != "okrctl.yaml")


@pytest.mark.parametrize("path", GOAL_FILES, ids=lambda p: p.name)
def test_example_goal_files_validate_against_the_schema(path: Path) -> None:
    assert _validate(path) == []


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("okr002-unknown-field.yaml", "Additional properties are not allowed ('taget' was unexpected)"),
        ("okr201-kpi-definition.yaml", None),  # a warning, not a schema error: valid
    ],
)
def test_schema_errors_in_bad_examples(name: str, message: str | None) -> None:
    errors = _validate(EXAMPLES / "bad" / name)
    if message is None:
        assert errors == []
    else:
        assert any(message in error for error in errors), errors


_KR = "{id: k, title: Grow k from 0 to 10"


def _okrs_with(key_result: str, period: str = "2026-Q4") -> str:
    return f"kind: okrs\nperiod: {period}\nowner: a\nobjectives:\n  - id: o\n    title: T\n    key_results:\n      - {key_result}\n"


@pytest.mark.parametrize(
    ("key_result", "period", "message"),
    [
        (f"{_KR}, start: 0, target: 10}}", "2026-Q4", None),
        (f"{_KR}, start: 0, target: 10, done_on: null}}", "2026-Q4", None),  # null is left out, as in lint
        (f"{_KR}, start: 0, target: 10}}", "2026-10-05..2026-11-15", None),
        (f"{_KR}, start: 0, target: 10, weight: -1}}", "2026-Q4", "-1 is less than or equal to the minimum of 0"),
        (f"{_KR}, start: 0, target: 10, weight: 0}}", "2026-Q4", "0 is less than or equal to the minimum of 0"),
        (f"{_KR}, start: 0, target: 10, checkins: [{{date: 2026-11-01, value: 1, confidence: 7}}]}}", "2026-Q4",
         "7 is greater than the maximum of 1"),
        (f"{_KR}, start: 0, target: 10, grade: 1.5}}", "2026-Q4", "1.5 is not valid under any of the given schemas"),
        (f"{_KR}, start: 0, target: 10}}", "2026-Q9", "'2026-Q9' is not valid under any of the given schemas"),
        (f"{_KR}, start: 0, target: 10}}", "2026-13", "'2026-13' is not valid under any of the given schemas"),
        (f"{_KR}, start: 0, target: 10, at_least: 5}}", "2026-Q4", "should not be valid under"),
        (f"{_KR}, at_most: 5, done: true}}", "2026-Q4", "should not be valid under"),
        (f"{_KR}, unit: USD}}", "2026-Q4", "is not valid under any of the given schemas"),
        (f"{_KR}, start: 0, target: 10, current: 1, checkins: []}}", "2026-Q4", "should not be valid under"),
        (f"{_KR}, kpi: ops/up, at_least: 5, current: 6}}", "2026-Q4", "should not be valid under"),
    ],
)  # fmt: skip
def test_schema_checks_bounds_periods_and_key_result_kinds(key_result: str, period: str, message: str | None) -> None:
    """The editor schema refuses what lint refuses as a schema or kind error."""
    validator = jsonschema.Draft7Validator(goal_file_schema())
    found = list(validator.iter_errors(parse_yaml(_okrs_with(key_result, period))))
    errors = []
    while found:  # the errors, and the errors inside each anyOf branch that did not match
        error = found.pop()
        errors.append(error.message)
        found += error.context or []
    if message is None:
        assert errors == []
    else:
        assert any(message in error for error in errors), errors


def test_schema_offers_no_null_defaults_and_no_implementation_notes() -> None:
    schema = goal_file_schema()
    nulls = [name for name, spec in _properties(schema) if "default" in spec and spec["default"] is None]
    assert nulls == []
    assert "plain dict" not in json.dumps(schema)
    assert schema["definitions"]["Checkin"]["description"].startswith("A dated value of a key result")


def test_init_creates_a_starter_that_lints_clean_and_never_overwrites(git_repo: Path) -> None:
    created = okrctl("init", "goals-repo", "--owner", "platform", cwd=git_repo)
    period = quarter_of(__import__("datetime").date.today()).label
    okrs = f"goals-repo/goals/{period}/platform.yaml"
    assert created.code == 0
    assert [line for line in created.out.splitlines() if not line.startswith("hint:")] == [
        "created goals-repo/okrctl.yaml",
        "created goals-repo/okrctl.schema.json",
        f"created {okrs}",
        "created goals-repo/kpis/platform.yaml",
        f"next: edit {okrs}, then run okrctl lint goals-repo",
    ]
    root = git_repo / "goals-repo"
    assert (root / "okrctl.schema.json").read_text() == schema_text()
    assert (
        (root / okrs.removeprefix("goals-repo/"))
        .read_text()
        .startswith("# yaml-language-server: $schema=../../okrctl.schema.json\n")
    )
    assert okrctl("lint", "--strict", cwd=root).out == "All clear: 2 goal files checked, no findings.\n"

    (root / "okrctl.yaml").write_text("# ours\n")
    again = okrctl("init", "goals-repo", "--owner", "platform", cwd=git_repo)
    assert again.code == 0
    assert again.out.count("it exists; okrctl init never overwrites") == 4
    assert (root / "okrctl.yaml").read_text() == "# ours\n"


def test_a_new_user_flow_init_checkin_measure_diff_lint(git_repo: Path) -> None:
    assert okrctl("init", "--owner", "web", cwd=git_repo).code == 0
    git("add", "-A", cwd=git_repo)
    git("commit", "-qm", "Starter goals", cwd=git_repo)
    # The starter files hold a baseline dated today, so a check-in today is another value for a recorded date.
    first = okrctl("checkin", "web/reliability/incidents", "10", "--confidence", "0.7", cwd=git_repo)
    assert (first.code, "run the command again with --replace" in first.err) == (2, True)
    edits = [
        ["checkin", "web/reliability/incidents", "10", "--confidence", "0.7"],
        ["checkin", "web/reliability/test-coverage", "81.5"],
        ["measure", "web/deploy-frequency", "14", "--note", "merge queue on"],
    ]
    for args in edits:
        assert okrctl(*args, "--replace", cwd=git_repo).code == 0
    diff = subprocess.run(["git", "diff", "-U0"], cwd=git_repo, capture_output=True, text=True, check=True).stdout
    added = [line for line in diff.splitlines() if line.startswith("+") and not line.startswith("+++")]
    removed = [line for line in diff.splitlines() if line.startswith("-") and not line.startswith("---")]
    today = __import__("datetime").date.today().isoformat()
    assert removed == [
        f"-          - {{date: {today}, value: 12, confidence: 0.6, note: baseline}}",
        f"-          - {{date: {today}, value: 78}}",
        f"-      - {{date: {today}, value: 12}}",
    ]
    assert added == [
        f"+          - {{date: {today}, value: 10, confidence: 0.7, note: baseline}}",
        f"+          - {{date: {today}, value: 81.5}}",
        f"+      - {{date: {today}, value: 14, note: merge queue on}}",
    ]
    assert okrctl("lint", "--strict", cwd=git_repo).code == 0


def test_init_refuses_a_bad_owner(tmp_path: Path) -> None:
    result = okrctl("init", "--owner", "Web Team", cwd=tmp_path)
    assert (result.code, result.out) == (2, "")
    assert "--owner 'Web Team' is not a valid identifier" in result.err


# -- init: the fiscal calendar, --period, the templates (in process, at fixed dates) ----------------


def _init(folder: Path, today: str, period: str | None = None, owner: str = "newteam") -> list[str]:
    """Run `okrctl init` in process on a fixed day; the lines it printed."""
    import contextlib
    import io
    from datetime import date

    from okrctl.commands.init import InitOptions, run

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert run(InitOptions(folder, owner, period, date.fromisoformat(today))) == 0
    return out.getvalue().splitlines()


def _lint(folder: Path, as_of: str) -> list[str]:
    from datetime import date

    from okrctl.commands.lint import collect

    result = collect([folder], date.fromisoformat(as_of), use_cache=False)
    assert result.files == 2
    return [f"{f.path}:{f.line} {f.code} {f.message}" for f in result.findings]


def test_init_labels_the_quarter_by_the_existing_configs_fiscal_year(tmp_path: Path) -> None:
    (tmp_path / "okrctl.yaml").write_text("fiscal_year_start: 7\n")
    lines = _init(tmp_path, "2026-11-27")
    okrs = tmp_path / "goals" / "2027-Q2" / "newteam.yaml"  # fiscal 2027-Q2 is October to December 2026
    assert f"created {okrs.as_posix()}" in lines
    assert "period: 2027-Q2\n" in okrs.read_text()
    assert "{date: 2026-11-27, value: 12" in okrs.read_text()
    assert _lint(tmp_path, "2026-11-27") == []


def test_a_nested_starter_config_keeps_the_enclosing_fiscal_year(tmp_path: Path) -> None:
    (tmp_path / "okrctl.yaml").write_text("fiscal_year_start: 4\n")
    _init(tmp_path / "sub", "2026-11-27")
    assert (tmp_path / "sub" / "okrctl.yaml").read_text().count("fiscal_year_start: 4 ") == 1
    assert (tmp_path / "sub" / "goals" / "2027-Q3" / "newteam.yaml").exists()  # Oct-Dec of fiscal 2027 (Apr-Mar)


def test_init_period_option_for_the_next_and_a_past_quarter(tmp_path: Path) -> None:
    _init(tmp_path / "next", "2026-12-20", period="2027-Q1")
    upcoming = (tmp_path / "next" / "goals" / "2027-Q1" / "newteam.yaml").read_text()
    assert "period: 2027-Q1\n" in upcoming and "checkins:" not in upcoming  # no check-in before it starts
    assert _lint(tmp_path / "next", "2026-12-20") == []
    _init(tmp_path / "past", "2026-11-27", period="2026-Q3")
    past = (tmp_path / "past" / "goals" / "2026-Q3" / "newteam.yaml").read_text()
    assert "{date: 2026-09-30, value: 12" in past  # the baseline on the period's last day, not after it
    assert [line for line in _lint(tmp_path / "past", "2026-11-27") if "OKR303" in line] == []


def test_init_near_a_quarters_end_names_the_next_one(tmp_path: Path) -> None:
    lines = _init(tmp_path / "late", "2026-12-20")
    assert lines[-1] == "hint: 2026-Q4 ends on 2026-12-31; to plan the next quarter: okrctl init --period 2027-Q1"
    assert (tmp_path / "late" / "goals" / "2026-Q4").is_dir()  # still the current quarter by default
    assert not any(line.startswith("hint:") for line in _init(tmp_path / "early", "2026-11-27"))


def test_init_refuses_a_bad_period(tmp_path: Path) -> None:
    result = okrctl("init", "--period", "2026-Q9", cwd=tmp_path)
    assert (result.code, result.out) == (2, "")
    assert result.err.startswith("okrctl: error: --period: ")
    assert not (tmp_path / "goals").exists()


def test_init_templates_say_the_truth(tmp_path: Path) -> None:
    from okrctl.config import Config

    _init(tmp_path, "2026-11-27")
    kpis = parse_yaml((tmp_path / "kpis" / "newteam.yaml").read_text())
    assert kpis["kpis"][0]["owner"] != "newteam"  # the accountable person, not the team
    config = parse_yaml((tmp_path / "okrctl.yaml").read_text())
    defaults = Config().model_dump()
    shown = {key: value for key, value in config.items() if key not in ("exclude", "fiscal_year_start")}
    for key, value in shown.items():
        if isinstance(value, dict):
            assert all(defaults[key][k] == v for k, v in value.items()), key
        else:
            assert defaults[key] == value, key


def test_init_never_writes_through_a_linked_folder(tmp_path: Path) -> None:
    """A committed `goals -> ../elsewhere` must not take the starter out of the folder (found trying okrctl)."""
    from okrctl.errors import UserError

    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "repo").mkdir()
    (tmp_path / "repo" / "goals").symlink_to("../elsewhere")
    with pytest.raises(UserError, match=r"repo/goals is a symbolic link: okrctl init writes inside .*repo only"):
        _init(tmp_path / "repo", "2026-11-27")
    assert list((tmp_path / "elsewhere").iterdir()) == []
