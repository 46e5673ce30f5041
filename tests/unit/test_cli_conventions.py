"""The conventions ruff and yamllint users reach for: one error shape, clean help, -h/-V, completion,
--quiet, --exit-zero, lint from stdin, `okrctl rule`, and the owner filters of kpis and tree.

They run the app in process (`app([...])` exits through SystemExit, as the console script does); what depends
on the real process (the console script, `python -m okrctl`, a real pipe on stdin) is in
tests/acceptance/test_entry_point.py.
"""

from __future__ import annotations

import io
import json
import re
import shutil
import sys
from pathlib import Path

import pytest
import typer
from conftest import AS_OF, EXAMPLES, okrctl

from okrctl.cli import app
from okrctl.rules import RULES

BAD = EXAMPLES / "bad"
OKRS = """\
kind: okrs
period: 2026-Q4
owner: {owner}
objectives:
  - id: grow
    title: Grow the business
    key_results:
      - {{id: a, title: Raise revenue from 1 to 2, start: 1, target: 2}}
      - {{id: b, title: Raise margin from 1 to 2, start: 1, target: 2}}
"""


def invoke(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run the app in process as the console script does: (exit code, stdout, stderr)."""
    with pytest.raises(SystemExit) as exited:
        app([*args], prog_name="okrctl")
    captured = capsys.readouterr()
    code = exited.value.code
    return (code if isinstance(code, int) else 0), captured.out, captured.err


# -- one error shape ------------------------------------------------------------------------------

USAGE_ERRORS = {
    "bad --as-of": (["lint", "--as-of", "2026-02-30"], "lint", "'2026-02-30' is not a valid date"),
    "unknown option": (["lint", "--bogus"], "lint", "no such option: --bogus"),
    "bad --format": (["score", "--format", "xml"], "score", "'xml' is not one of table, json, markdown"),
    "missing argument": (["checkin"], "checkin", "missing argument 'REF'"),
    "unknown command": (["lnt"], None, "no such command 'lnt'"),
    "bad --fail-on": (["kpis", "--fail-on", "blue"], "kpis", "'blue' is not one of red, amber"),
}


@pytest.mark.parametrize("case", USAGE_ERRORS.values(), ids=USAGE_ERRORS.keys())
def test_every_usage_error_has_one_shape_and_exits_2(
    case: tuple[list[str], str | None, str], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    args, command, message = case
    code, out, err = invoke(capsys, *args)
    assert (code, out) == (2, "")
    first, hint = err.splitlines()
    assert first.startswith("okrctl: error: ") and message in first
    assert hint == f"okrctl: see 'okrctl{' ' + command if command else ''} --help'"
    assert "Usage:" not in err and "╭" not in err


def test_a_usage_error_never_echoes_control_characters(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = invoke(capsys, "lint", "--\x1b]0;pwned\x07")  # click 8.1 echoes the option as typed
    assert code == 2
    assert "\x1b" not in err and "\\x1b]0;pwned\\x07" in err


# -- help, -h, -V, completion ---------------------------------------------------------------------


def _commands() -> list[str]:
    return sorted(typer.main.get_command(app).commands)  # type: ignore[attr-defined]


def test_every_command_has_short_and_long_help_without_python_types(capsys: pytest.CaptureFixture[str]) -> None:
    commands = _commands()
    assert {"lint", "score", "status", "kpis", "tree", "init", "checkin", "measure", "schema", "rule"} <= set(commands)
    for command in [None, *commands]:
        prefix = [command] if command else []
        code, long_help, _ = invoke(capsys, *prefix, "--help")
        assert code == 0
        assert invoke(capsys, *prefix, "-h") == (0, long_help, "")
        for leak in ("<str>", "<list", "<int>", "<path>", "[[", "{"):
            assert leak not in long_help, (command, leak)
        assert "-h, --help" in long_help


def test_help_says_what_the_options_mean(capsys: pytest.CaptureFixture[str]) -> None:
    lint_help = " ".join(invoke(capsys, "lint", "--help")[1].split())
    assert "pre-commit" not in lint_help  # the per-file hook keeps the cross-file rules on
    assert "a file you name is judged among the rest of its tree" in lint_help
    for command in ("score", "status", "tree"):
        assert "--as-of YYYY-MM-DD The scoring date" in " ".join(invoke(capsys, command, "--help")[1].split())
    assert "Usage: okrctl init [OPTIONS] [DIR]" in invoke(capsys, "init", "--help")[1]
    assert "Usage: okrctl checkin [OPTIONS] REF VALUE" in invoke(capsys, "checkin", "--help")[1]


def test_short_version_flag(capsys: pytest.CaptureFixture[str]) -> None:
    from okrctl import __version__

    assert invoke(capsys, "-V") == (0, f"okrctl {__version__}\n", "")


def test_shell_completion_script_and_completions(tmp_path: Path) -> None:
    shown = okrctl("--show-completion", "bash", cwd=tmp_path)
    assert shown.code == 0 and "_okrctl_completion" in shown.out
    # what the script asks: the shell sets these variables and runs okrctl for the words that fit
    asked = {"_OKRCTL_COMPLETE": "complete_bash", "COMP_WORDS": "okrctl li", "COMP_CWORD": "1"}
    assert okrctl(cwd=tmp_path, env=asked).out.split() == ["lint"]


# -- --quiet and --exit-zero ----------------------------------------------------------------------


@pytest.fixture
def bad_tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copy(BAD / "okr007-zero-range.yaml", tmp_path / "ops.yaml")
    shutil.copy(BAD / "okr104-number-in-objective.yaml", tmp_path / "sales.yaml")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_quiet_prints_the_findings_only(bad_tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, full, _ = invoke(capsys, "lint", "--as-of", AS_OF, "--no-cache")
    quiet_code, quiet, _ = invoke(capsys, "lint", "--as-of", AS_OF, "--no-cache", "-q")
    assert code == quiet_code == 1
    findings = [line for line in full.splitlines() if " OKR" in line]
    assert len(findings) == 2
    assert [line for line in quiet.splitlines() if line] == findings
    assert "error" in full.splitlines()[-1] and "goal file" in full.splitlines()[-1]  # the summary, not in -q
    github = invoke(capsys, "lint", "--as-of", AS_OF, "--no-cache", "--quiet", "--format", "github")[1]
    assert all(line.startswith("::") for line in github.splitlines())
    (bad_tree / "ops.yaml").unlink()
    (bad_tree / "sales.yaml").unlink()
    (bad_tree / "ok.yaml").write_text(OKRS.format(owner="ok"))
    (bad_tree / "okrctl.yaml").write_text("lint: {ignore: [OKR301]}\n")
    assert invoke(capsys, "lint", "--as-of", AS_OF, "--no-cache", "--quiet") == (0, "", "")


def test_exit_zero_even_with_errors_but_not_on_usage_errors(bad_tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = invoke(capsys, "lint", "--as-of", AS_OF, "--no-cache", "--exit-zero", "--strict")
    assert code == 0 and "OKR007 error" in out
    assert invoke(capsys, "lint", "--exit-zero", "--format", "xml")[0] == 2


# -- lint from stdin ------------------------------------------------------------------------------


@pytest.fixture
def goals_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "okrctl.yaml").write_text("lint: {ignore: [OKR3]}\n")
    (tmp_path / "teams").mkdir()
    (tmp_path / "teams" / "a.yaml").write_text(OKRS.format(owner="alpha"))
    (tmp_path / "teams" / "b.yaml").write_text(OKRS.format(owner="beta"))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _stdin(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text.encode())))


def test_stdin_is_judged_as_the_file_it_stands_in_for(
    goals_root: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # b.yaml as the editor holds it: its objective now aligns to one of a.yaml's, which resolves only
    # when the input is judged among the rest of its goals tree.
    aligned = OKRS.format(owner="beta").replace("title: Grow the business", "title: Grow it\n    aligns_to: TARGET")
    _stdin(monkeypatch, aligned.replace("TARGET", "alpha/grow"))
    code, out, _ = invoke(capsys, "lint", "-", "--stdin-filename", "teams/b.yaml", "--as-of", AS_OF, "--format", "json")
    assert (code, json.loads(out)["files"], json.loads(out)["findings"]) == (0, 1, [])
    _stdin(monkeypatch, aligned.replace("TARGET", "alpha/nowhere"))
    code, out, _ = invoke(capsys, "lint", "-", "--stdin-filename", "teams/b.yaml", "--as-of", AS_OF, "-q")
    assert code == 1
    assert out.startswith("teams/b.yaml:") and "OKR004 error aligns_to 'alpha/nowhere'" in out
    _stdin(monkeypatch, aligned.replace("TARGET", "alpha/nowhere"))
    no_context = invoke(capsys, "lint", "-", "--stdin-filename", "teams/b.yaml", "--as-of", AS_OF, "--no-cross-file")
    assert no_context[0] == 0
    # the same text with beta's owner: b.yaml on disk is replaced by it, not counted twice
    _stdin(monkeypatch, OKRS.format(owner="beta"))
    assert invoke(capsys, "lint", "-", "--stdin-filename", "teams/b.yaml", "--as-of", AS_OF)[0] == 0


def test_stdin_findings_point_into_the_input_not_the_file_on_disk(
    goals_root: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A cross-file finding's position is read from what the editor sent."""
    aligned = OKRS.format(owner="beta").replace("title: Grow the business", "title: Grow it\n    aligns_to: alpha/x")
    _stdin(monkeypatch, aligned)
    first = invoke(capsys, "lint", "-", "--stdin-filename", "teams/b.yaml", "--as-of", AS_OF, "-q")[1]
    _stdin(monkeypatch, "# one\n# two\n# three\n" + aligned)
    shifted = invoke(capsys, "lint", "-", "--stdin-filename", "teams/b.yaml", "--as-of", AS_OF, "-q")[1]
    line = int(first.split(":")[1])
    assert "OKR004" in first and shifted.split(":")[1] == str(line + 3), (first, shifted)


def test_stdin_takes_its_config_from_the_path_and_defaults_to_stdin_as_its_name(
    goals_root: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = OKRS.format(owner="gamma").replace("target: 2}}", "target: 1}}").replace("target: 2}", "target: 1}")
    _stdin(monkeypatch, broken)
    code, out, _ = invoke(capsys, "lint", "-", "--as-of", AS_OF, "--format", "json")
    assert code == 1
    assert {(f["path"], f["code"]) for f in json.loads(out)["findings"]} == {("<stdin>", "OKR007")}
    # OKR301 (stale) is ignored by the config of the folder the path names: as of 2027, no OKR3 finding
    _stdin(monkeypatch, OKRS.format(owner="gamma"))
    code, out, _ = invoke(capsys, "lint", "-", "--stdin-filename", "teams/new.yaml", "--as-of", "2026-12-20", "-q")
    assert (code, out) == (0, "")


def test_stdin_usage_errors(goals_root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert invoke(capsys, "lint", "-", "teams/a.yaml")[0] == 2
    code, _, err = invoke(capsys, "lint", "teams/a.yaml", "--stdin-filename", "x.yaml")
    assert code == 2 and "--stdin-filename" in err


# -- okrctl rule ----------------------------------------------------------------------------------


def test_rule_prints_a_rules_documentation(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = invoke(capsys, "rule", "OKR007")
    assert code == 0
    assert out.startswith("OKR007 zero-range (default: error)\n\n")
    assert "**Use instead**" in out and "at_least: 99.9" in out
    assert invoke(capsys, "rule", "zero-range")[1] == out
    assert invoke(capsys, "rule", "okr007")[1] == out


def test_rule_lists_every_code_and_prints_all(capsys: pytest.CaptureFixture[str]) -> None:
    code, listing, _ = invoke(capsys, "rule")
    assert code == 0
    assert [line.split()[:2] for line in listing.splitlines()] == [[r.code, r.name] for r in RULES.values()]
    everything = invoke(capsys, "rule", "--all")[1]
    assert all(f"{r.code} {r.name} (default: {r.severity})" in everything for r in RULES.values())


def test_rule_unknown_code_is_a_usage_error_with_a_suggestion(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = invoke(capsys, "rule", "OKR07")
    assert (code, out) == (2, "")
    assert err == "okrctl: error: unknown rule 'OKR07' (did you mean OKR007?): okrctl rule lists them\n"
    assert "did you mean zero-range?" in invoke(capsys, "rule", "zero-rang")[2]


# -- kpis and tree: --owner, tree --format json ---------------------------------------------------


def test_kpis_and_tree_take_an_owner_and_tree_prints_json(capsys: pytest.CaptureFixture[str]) -> None:
    acme = str(EXAMPLES / "acme")
    code, out, _ = invoke(capsys, "kpis", acme, "--owner", "sales", "--as-of", AS_OF, "--format", "json")
    refs = [k["ref"] for k in json.loads(out)["kpis"]]
    assert code == 0 and refs and all(ref.startswith("sales/") for ref in refs)
    code, out, _ = invoke(capsys, "tree", acme, "--owner", "sales", "--as-of", AS_OF)
    assert code == 0 and "sales/acquire" in out and "product/" not in out
    code, out, _ = invoke(capsys, "tree", acme, "--as-of", AS_OF, "--format", "json")
    document = json.loads(out)
    assert code == 0 and document["version"] == 1
    assert {"company/revenue-growth", "sales/acquire"} <= {o["ref"] for o in document["objectives"]}
    assert next(o for o in document["objectives"] if o["ref"] == "sales/acquire")["aligns_to"] == (
        "company/revenue-growth"
    )
    # the JSON holds what the table shows: with a quarter picked, the annual roll-up above it too
    code, table, _ = invoke(capsys, "tree", acme, "--as-of", AS_OF, "--period", "2026-Q4")
    code, out, _ = invoke(capsys, "tree", acme, "--as-of", AS_OF, "--period", "2026-Q4", "--format", "json")
    shown = {o["ref"] for o in json.loads(out)["objectives"]}
    assert "company/growth" in shown and "company/growth [2026]" in table
    assert shown == set(re.findall(r"([a-z0-9-]+/[a-z0-9-]+) \[", table))


def test_owners_lists_only_names_a_broken_file_claims(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A file that fails validation counts by the owner it claims only when that is an identifier: whatever
    else it holds (a workflow command, an escape sequence, a line break) is never printed."""
    (tmp_path / "okrctl.yaml").write_text("")
    (tmp_path / "a.yaml").write_text('kind: okrs\nperiod: 2026-Q4\nowner: "::error file=x::forged\\e[31m\\nsecond"\n')
    (tmp_path / "b.yaml").write_text("kind: okrs\nperiod: 2026-Q4\nowner: ops\nobjectives: 1\n")
    code, out, _ = invoke(capsys, "owners", str(tmp_path))
    assert (code, out) == (0, "ops  periods: -  KPIs: 0\n")


def test_init_refuses_an_owner_with_a_final_line_break(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = invoke(capsys, "init", str(tmp_path / "goals"), "--owner", "team\n")
    assert code == 2 and "not a valid" in err and not (tmp_path / "goals").exists()


def test_owners_lists_who_owns_goals(capsys: pytest.CaptureFixture[str]) -> None:
    acme = str(EXAMPLES / "acme")
    code, out, _ = invoke(capsys, "owners", acme, "--format", "json")
    owners = {entry["owner"]: entry for entry in json.loads(out)["owners"]}
    assert code == 0
    assert owners["company"] == {"owner": "company", "periods": ["2026", "2026-Q4"], "kpis": 0, "files": 2}
    assert owners["support"]["periods"] == [] and owners["support"]["kpis"] == 5
    code, text, _ = invoke(capsys, "owners", acme)
    assert code == 0 and [line.split()[0] for line in text.splitlines()] == sorted(owners)
