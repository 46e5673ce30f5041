"""The engine around the rules: which findings leave a file out of the reports, which files `okrctl kpis`
depends on, and what lint says when it finds nothing to check. In process, through the commands' `run`."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from okrctl.commands import lint as lint_command
from okrctl.commands import report as report_command
from okrctl.reporters import ReportOptions

AS_OF = dt.date(2026, 11, 15)

OKRS = """\
kind: okrs
period: 2026-Q4
owner: sales
objectives:
  - id: grow
    title: Grow revenue 20% in every market
    key_results:
      - {id: a, title: Grow a from 0 to 10, start: 0, target: 10, checkins: [{date: 2026-11-10, value: 5}]}
      - {id: b, title: Grow b from 0 to 10, start: 0, target: 10, checkins: [{date: 2026-11-10, value: 5}]}
"""

KPIS = """\
kind: kpis
owner: ops
kpis:
  - id: up
    title: Uptime
    owner: ana
    definition: Share of minutes up
    source: Pager
    frequency: weekly
    green: {min: 99}
    measurements: [{date: 2026-10-01, value: 99.5}]
"""


def _report(command: str, as_of: dt.date = AS_OF, fail_on: str | None = None) -> int:
    options = report_command.ReportCommandOptions(
        command=command, paths=[], output_format="json", as_of=as_of, report=ReportOptions(), fail_on=fail_on
    )
    return report_command.run(options)


def _lint(paths: list[Path] | None = None) -> int:
    options = lint_command.LintOptions(
        paths=paths or [], output_format="text", strict=False, as_of=AS_OF, report=ReportOptions()
    )
    return lint_command.run(options)


@pytest.fixture
def goals(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "okrs.yaml").write_text(OKRS, encoding="utf-8")
    (tmp_path / "kpis.yaml").write_text(KPIS, encoding="utf-8")  # stale as of AS_OF: OKR302
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize("severity", ["{OKR104: error, OKR302: error}", "{OKR1: error, OKR3: error}"])
def test_style_and_time_rules_raised_to_errors_gate_lint_but_leave_no_file_out(
    goals: Path, severity: str, capsys: pytest.CaptureFixture[str]
) -> None:
    (goals / "okrctl.yaml").write_text(f"lint: {{severity: {severity}}}\n", encoding="utf-8")

    assert _lint() == 1  # lint is the gate for style and staleness
    out = capsys.readouterr().out
    assert "OKR104 error" in out
    assert "OKR302 error" in out

    assert _report("status") == 0  # the dashboard shows the file and the stale KPI it should show
    shown = capsys.readouterr()
    assert '"ref": "sales/grow"' in shown.out
    assert '"ref": "ops/up"' in shown.out
    assert shown.err == ""

    assert _report("kpis", fail_on="red") == 0
    shown = capsys.readouterr()
    assert '"stale": true' in shown.out
    assert shown.err == ""


def test_an_error_that_stops_scoring_still_leaves_the_file_out(goals: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (goals / "okrs.yaml").write_text(OKRS.replace("start: 0, target: 10", "start: 10, target: 10", 1), "utf-8")
    assert _report("status") == 1
    shown = capsys.readouterr()
    assert '"objectives": []' in shown.out
    assert "okrs.yaml:8:56 OKR007 error key result 'a' has start equal to target" in shown.err
    assert "1 file left out of the report" in shown.err


def test_kpis_depends_only_on_kpis_files(goals: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (goals / "okrs.yaml").write_text(OKRS.replace("target: 10", "targte: 10", 1), encoding="utf-8")
    (goals / "broken.yaml").write_text("kind: okrs\nowner: [\n", encoding="utf-8")
    assert _report("kpis", fail_on="red") == 0
    shown = capsys.readouterr()
    assert '"ref": "ops/up"' in shown.out
    assert shown.err == ""  # the okrs files' errors are lint's and the score's business

    (goals / "kpis.yaml").write_text(KPIS.replace("frequency:", "frequncy:"), encoding="utf-8")
    assert _report("kpis", fail_on="red") == 1  # a broken kpis file is a KPI missing from the gate
    shown = capsys.readouterr()
    assert "kpis.yaml:9:5 OKR002 error unknown field 'frequncy'" in shown.err
    assert "okrs.yaml" not in shown.err


def test_lint_warns_when_it_finds_no_goal_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "ci.yaml").write_text("jobs: {}\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert _lint() == 0
    assert capsys.readouterr().err == "okrctl: warning: no goal files found under . (kind: okrs or kind: kpis)\n"
    (tmp_path / "sub").mkdir()
    assert _lint([Path("sub")]) == 0
    assert capsys.readouterr().err == "okrctl: warning: no goal files found under sub (kind: okrs or kind: kpis)\n"
    (tmp_path / "sub" / "goals.yaml").write_text(OKRS, encoding="utf-8")
    assert _lint([Path("sub")]) == 0
    assert capsys.readouterr().err == ""


def test_naming_a_file_reports_exactly_what_the_full_run_reports_for_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """pre-commit names the files a commit touches: each must get every finding it takes part in."""
    okrs = "kind: okrs\nperiod: 2026-Q4\nowner: {owner}\nobjectives:\n  - id: o\n    title: Win\n    aligns_to: {to}\n"
    okrs += "    key_results:\n      - {{id: k, title: Grow k from 1 to 2, start: 1, target: 2}}\n"
    files = {
        "a.yaml": okrs.format(owner="ta", to="tb/o"),  # a loop across two files
        "b.yaml": okrs.format(owner="tb", to="ta/o"),
        "c.yaml": okrs.format(owner="tc", to="tx/o"),  # an unknown reference
        "d.yaml": okrs.format(owner="tc", to="ta/o"),  # a second okrs file for tc in 2026-Q4
        "k1.yaml": "kind: kpis\nowner: ops\nkpis:\n" + "".join(f"  - {{id: k{i}, title: K}}\n" for i in range(6)),
        "k2.yaml": "kind: kpis\nowner: ops\nkpis:\n" + "".join(f"  - {{id: k{i}, title: K}}\n" for i in range(5, 11)),
    }
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)

    full = lint_command.collect([], AS_OF, use_cache=False).findings
    assert {(f.path, f.code) for f in full if f.code in ("OKR003", "OKR004", "OKR005", "OKR202")} == {
        ("a.yaml", "OKR005"),
        ("b.yaml", "OKR005"),
        ("c.yaml", "OKR004"),
        ("c.yaml", "OKR003"),
        ("d.yaml", "OKR003"),
        ("k1.yaml", "OKR003"),
        ("k2.yaml", "OKR003"),
        ("k1.yaml", "OKR202"),
        ("k2.yaml", "OKR202"),
    }
    for name in files:
        named = lint_command.collect([Path(name)], AS_OF, use_cache=False).findings
        assert named == [f for f in full if f.path == name], name


def test_a_roll_up_chain_thousands_deep_in_an_ended_period_lints_and_reports(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """OKR304/OKR305 ask whether each ended objective can be scored, down its roll-ups: a loop, not recursion."""
    depth = 1_500
    lines = ["kind: okrs\nperiod: 2026-Q3\nowner: x\nobjectives:\n  - {id: o0, title: Root}\n"]
    lines += [f"  - {{id: o{i}, title: Level {i}, aligns_to: x/o{i - 1}}}\n" for i in range(1, depth)]
    lines += [f"  - id: o{depth}\n    title: The leaf\n    aligns_to: x/o{depth - 1}\n    key_results:\n"]
    lines += [f"      - {{id: {k}, title: Grow {k} from 0 to 10, start: 0, target: 10, current: 7}}\n" for k in "ab"]
    (tmp_path / "chain.yaml").write_text("".join(lines))
    (tmp_path / "okrctl.yaml").write_text("lint: {ignore: [OKR101, OKR102]}\n")
    options = ReportOptions(width=100)
    as_of = dt.date(2026, 11, 23)
    assert lint_command.run(lint_command.LintOptions([tmp_path], "json", False, as_of, options, use_cache=False)) == 0
    score = report_command.ReportCommandOptions("score", [tmp_path], "json", as_of, options, use_cache=False)
    assert report_command.run(score) == 0
    assert '"ref": "x/o0"' in capsys.readouterr().out
