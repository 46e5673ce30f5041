"""`okrctl lint` and every report agree on the findings of a tree and config, and rules load history only
when they declare they need it. In process, through the commands' `run`.

A report prints on stderr exactly the findings that leave files out, each as lint prints it; the only other
findings it may print are the scorer's reasons for a file left out because of another (lint cannot see
those: the file itself is fine). An ignored or suppressed finding is printed by neither; a file it leaves
out is still left out, with a note that says why.
"""

from __future__ import annotations

import datetime as dt
import types
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from okrctl.commands import lint as lint_command
from okrctl.commands import report as report_command
from okrctl.commands.common import load_root
from okrctl.engine import SCORING_CODES, lint_root, stops_scoring
from okrctl.findings import Finding, Problem
from okrctl.model import KpiFile, OkrFile
from okrctl.project import Project
from okrctl.reporters import ReportOptions
from okrctl.reporters.text import finding_line
from okrctl.rules import RULES, LintContext, Rule
from okrctl.rules.base import at, key_results

MID_PERIOD = dt.date(2026, 11, 15)
AFTER_THE_END = dt.date(2027, 1, 5)

SALES = """\
kind: okrs
period: 2026-Q4
owner: sales
objectives:
  - id: grow
    title: Grow revenue in every market
    type: committed
    key_results:
      - {id: a, title: Grow a from 0 to 10, start: 0, target: 10, checkins: [{date: 2026-11-10, value: 5}]}
      - {id: b, title: Grow b from 0 to 10, start: 0, target: 10, checkins: [{date: 2026-11-10, value: 5}]}
"""

SUPPORT = """\
kind: okrs
period: 2026-Q4
owner: support
objectives:
  - id: reliable
    title: Keep the service reliable
    key_results:
      - {id: up, title: Lift uptime to 99.9, kpi: ops/up, target: 99.9}
      - {id: pages, title: Cut pages from 10 to 2, start: 10, target: 2, checkins: [{date: 2026-11-10, value: 6}]}
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
    measurements: [{date: 2026-09-20, value: 99.5}, {date: 2026-11-12, value: 99.7}]
"""

MIXED_KINDS = ("checkins: [{date: 2026-11-10, value: 5}]}", "at_least: 3, checkins: [{date: 2026-11-10, value: 5}]}")


@dataclass
class Case:
    name: str
    changes: dict[str, tuple[str, str]] = field(default_factory=dict)  # file → (old, new), replaced once
    config: str = ""
    as_of: dt.date = MID_PERIOD
    notes: dict[str, list[str]] = field(default_factory=dict)  # command → its notes (all commands if "*")
    consequences: set[tuple[str, str]] = field(default_factory=set)  # (path, code) printed by reports only


NOTE = "okrctl: note: {} left out of the report: it cannot be scored ({})"

CASES = [
    Case("clean"),
    Case("ended period", as_of=AFTER_THE_END),  # OKR304 on sales: a warning, so nothing is left out
    Case("OKR006 ignored by the config", {"sales.yaml": MIXED_KINDS}, "lint: {ignore: [OKR006]}\n",
         notes={"score": [NOTE.format("sales.yaml", "OKR006, ignored by the config")]}),
    Case("OKR006 made a warning", {"sales.yaml": MIXED_KINDS}, "lint: {severity: {OKR006: warning}}\n"),
    Case("OKR006 suppressed inline", {"sales.yaml": (MIXED_KINDS[0], MIXED_KINDS[1] + "  # okrctl: ignore OKR006")},
         notes={"score": [NOTE.format("sales.yaml", "OKR006, suppressed inline")]}),
    Case("a file left out", {"sales.yaml": ("start: 0, target: 10", "start: 10, target: 10")}),
    Case("a file left out in an ended period", {"sales.yaml": ("start: 0, target: 10", "start: 10, target: 10")},
         as_of=AFTER_THE_END),
    Case("a KR whose KPI file is broken", {"kpis.yaml": ("frequency:", "frequncy:")},
         consequences={("support.yaml", "OKR004")}),
    Case("a broken file, its error ignored", {"kpis.yaml": ("frequency:", "frequncy:")}, "lint: {ignore: [OKR002]}\n",
         notes={"*": [NOTE.format("kpis.yaml", "OKR002, ignored by the config")]},
         consequences={("support.yaml", "OKR004")}),
    Case("a KPI-fed start that equals the target, ignored", {"support.yaml": ("target: 99.9", "target: 99.5")},
         "lint: {ignore: [OKR007]}\n", notes={"score": [NOTE.format("support.yaml", "OKR007, ignored by the config")]}),
]  # fmt: skip

COMMANDS = ["score", "status", "kpis", "tree"]


def _write(folder: Path, case: Case) -> None:
    for name, text in {"sales.yaml": SALES, "support.yaml": SUPPORT, "kpis.yaml": KPIS}.items():
        old, new = case.changes.get(name, ("", ""))
        assert old in text
        (folder / name).write_text(text.replace(old, new, 1) if old else text, encoding="utf-8")
    (folder / "okrctl.yaml").write_text(case.config, encoding="utf-8")


def _lint(as_of: dt.date) -> list[Finding]:
    return lint_command.collect([], as_of, use_cache=False).findings


def _report(command: str, as_of: dt.date, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str], list[str]]:
    """The exit code, the finding lines and the notes a report prints on stderr."""
    options = report_command.ReportCommandOptions(command, [], "json", as_of, ReportOptions(), use_cache=False)
    code = report_command.run(options)
    lines = capsys.readouterr().err.splitlines()
    return code, [line for line in lines if not line.startswith("okrctl: ")], [n for n in lines if "note:" in n]


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_lint_and_every_report_agree_on_the_findings(
    case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _write(tmp_path, case)
    monkeypatch.chdir(tmp_path)
    linted = _lint(case.as_of)
    for command in COMMANDS:
        judged = (lambda path: path == "kpis.yaml") if command == "kpis" else (lambda path: True)
        code, printed, notes = _report(command, case.as_of, capsys)
        said_by_lint = {finding_line(f): f for f in linted}
        for line in printed:
            finding = said_by_lint.get(line)
            if finding is None:  # the scorer's reason for a file left out because of another
                assert (line.split(":")[0], line.split()[1]) in case.consequences, (command, line)
            else:  # lint's own finding, about a file the report judges, of a rule that decides scoring
                assert judged(finding.path) and finding.code in SCORING_CODES, (command, line)
        stopping = {finding_line(f) for f in linted if stops_scoring(f) and judged(f.path)}
        assert stopping <= set(printed), command
        expected_notes = case.notes.get("*", case.notes.get("score" if command != "kpis" else "kpis", []))
        assert notes == expected_notes, command
        assert code == (1 if printed or notes else 0), command


def test_an_ignored_code_that_stops_scoring_gives_a_note_not_a_finding(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`ignore: [OKR006]`: lint said all clear (exit 0) while status printed an OKR006 error (exit 1)."""
    (tmp_path / "okrctl.yaml").write_text("lint: {ignore: [OKR006]}\n", encoding="utf-8")
    (tmp_path / "sales.yaml").write_text(SALES.replace(*MIXED_KINDS, 1), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    lint_options = lint_command.LintOptions([], "text", False, MID_PERIOD, ReportOptions(), use_cache=False)
    assert lint_command.run(lint_options) == 0
    assert "OKR006" not in capsys.readouterr().out
    status = report_command.ReportCommandOptions("status", [], "json", MID_PERIOD, ReportOptions(), use_cache=False)
    assert report_command.run(status) == 1  # the file cannot be scored: left out, as the exit code says
    shown = capsys.readouterr()
    assert shown.err == NOTE.format("sales.yaml", "OKR006, ignored by the config") + "\n"
    assert '"objectives": []' in shown.out


def test_a_finding_made_a_warning_prints_as_lint_prints_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "okrctl.yaml").write_text("lint: {severity: {OKR006: warning}}\n", encoding="utf-8")
    (tmp_path / "sales.yaml").write_text(SALES.replace(*MIXED_KINDS, 1), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    (finding,) = [f for f in _lint(MID_PERIOD) if f.code == "OKR006"]
    assert finding.severity == "warning"
    code, printed, notes = _report("status", MID_PERIOD, capsys)
    assert (code, printed, notes) == (1, [finding_line(finding)], [])


# -- rules declare the history they need ------------------------------------------------------------


def _register(monkeypatch: pytest.MonkeyPatch, needs_history: bool, seen: list[int]) -> None:
    """A cross-file rule, registered for one test, that counts the check-ins of every key result."""

    def check_project(project: Project, context: LintContext) -> Iterator[Problem]:
        for file in project.okr_files:
            for loc, _, key_result in key_results(file):
                seen.append(len(key_result.checkins or []))
                yield at(file, loc, "counted")

    rule = Rule("OKR399", "test-history", "warning", "A test rule.", None, check_project, needs_history)
    monkeypatch.setitem(RULES, "OKR399", rule)


def test_a_cross_file_rule_that_declares_history_sees_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "sales.yaml").write_text(SALES, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    seen: list[int] = []
    _register(monkeypatch, True, seen)
    findings = _lint(MID_PERIOD)
    assert seen == [1, 1]
    assert [f.code for f in findings].count("OKR399") == 2


def test_a_cross_file_rule_that_reads_history_undeclared_fails_loudly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "sales.yaml").write_text(SALES, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    _register(monkeypatch, False, [])
    with pytest.raises(RuntimeError, match=r"set aside: call GoalFile\.load_history"):
        _lint(MID_PERIOD)


def _history_loaded(as_of: dt.date) -> dict[str, bool]:
    root = load_root([], as_of, jobs=1, use_cache=False)
    lint_root(root, as_of)
    return {file.path: file.history is None for file in root.files}


@pytest.mark.parametrize(
    ("as_of", "config", "loaded"),
    [
        (MID_PERIOD, "", False),  # no rule in force needs it: a mid-period lint stays lean
        (AFTER_THE_END, "", True),  # OKR304/OKR305 score the ended period
        (AFTER_THE_END, "lint: {ignore: [OKR304, OKR305]}\n", False),  # a rule ignored loads nothing
    ],
)
def test_history_is_loaded_only_when_a_rule_in_force_needs_it(
    as_of: dt.date, config: str, loaded: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "okrctl.yaml").write_text(config, encoding="utf-8")
    (tmp_path / "sales.yaml").write_text(SALES, encoding="utf-8")
    (tmp_path / "kpis.yaml").write_text(KPIS, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert _history_loaded(as_of) == {"kpis.yaml": loaded, "sales.yaml": loaded}


def test_a_start_taken_from_a_kpi_loads_history_mid_period(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "support.yaml").write_text(SUPPORT, encoding="utf-8")
    (tmp_path / "kpis.yaml").write_text(KPIS, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert _history_loaded(MID_PERIOD) == {"kpis.yaml": True, "support.yaml": True}  # OKR006, OKR007 derive it


def test_history_needed_without_needs_history_is_refused() -> None:
    module = types.ModuleType("okrctl.rules.okr399_test")
    module.__dict__.update(CODE="OKR399", NAME="test", SEVERITY="warning", history_needed=lambda p, c: True)
    with pytest.raises(RuntimeError, match="defines history_needed but not NEEDS_HISTORY"):
        Rule.from_module(module)


@pytest.mark.parametrize("dump", [lambda model: model.model_dump(), lambda model: model.model_dump_json()])
def test_a_model_with_its_history_set_aside_refuses_to_be_dumped(
    dump: Callable[[OkrFile | KpiFile], object], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "kpis.yaml").write_text(KPIS, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    (file,) = load_root([], MID_PERIOD, jobs=1, use_cache=False).files
    assert file.model is not None
    with pytest.raises(Exception, match=r"set aside: call GoalFile\.load_history"):
        dump(file.model)
    file.load_history()
    assert file.model.model_dump()["kpis"][0]["measurements"][-1]["value"] == 99.7


def test_a_report_scores_each_objective_once_with_the_scorer_the_rules_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """After a period's end the rules score too (OKR006/OKR007 derive a start from a KPI): one scorer serves
    them and the report, and no objective is scored twice."""
    from okrctl.project import ObjectiveEntry
    from okrctl.scoring import ObjectiveScore, Scorer

    made: list[Scorer] = []
    scored: list[str] = []
    original_init, original_score = Scorer.__init__, Scorer._score_objective

    def counting_init(self: Scorer, *args: Any) -> None:
        made.append(self)
        original_init(self, *args)

    def counting_score(self: Scorer, entry: ObjectiveEntry) -> ObjectiveScore:
        scored.append(entry.ref)
        return original_score(self, entry)

    monkeypatch.setattr(Scorer, "__init__", counting_init)
    monkeypatch.setattr(Scorer, "_score_objective", counting_score)
    for name, text in {"sales.yaml": SALES, "support.yaml": SUPPORT, "kpis.yaml": KPIS}.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, printed, notes = _report("status", AFTER_THE_END, capsys)
    assert (code, printed, notes) == (0, [], [])
    assert len(made) == 1
    assert sorted(scored) == ["sales/grow", "support/reliable"]
