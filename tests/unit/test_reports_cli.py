"""`score`, `status`, `kpis` and `tree` through the real entry point: golden reports, JSON, exit codes."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from conftest import EXAMPLES, ROOT, okrctl

GOLDEN = Path(__file__).parent.parent / "golden"
STATUS_DAY = "2026-11-23"
QUARTER_END = "2026-12-31"

REPORTS = [
    ("score-table.txt", ["score", "examples/acme", "--as-of", QUARTER_END]),
    ("score.md", ["score", "examples/acme", "--as-of", QUARTER_END, "--format", "markdown"]),
    ("score.json", ["score", "examples/acme", "--as-of", QUARTER_END, "--format", "json"]),
    ("status-table.txt", ["status", "examples/acme", "--as-of", STATUS_DAY]),
    ("status.md", ["status", "examples/acme", "--as-of", STATUS_DAY, "--format", "markdown"]),
    ("status-sales.txt", ["status", "examples/acme", "--as-of", STATUS_DAY, "--owner", "sales"]),
    ("kpis-table.txt", ["kpis", "examples/acme", "--as-of", STATUS_DAY]),
    ("kpis.md", ["kpis", "examples/acme", "--as-of", STATUS_DAY, "--format", "markdown"]),
    ("tree.txt", ["tree", "examples/acme", "--as-of", STATUS_DAY]),
]


@pytest.mark.parametrize(("name", "args"), REPORTS, ids=[r[0] for r in REPORTS])
def test_golden_reports_at_80_columns(name: str, args: list[str], request: pytest.FixtureRequest) -> None:
    result = okrctl(*args, cwd=ROOT, env={"COLUMNS": "80"})
    assert (result.code, result.err) == (0, "")
    assert "\x1b[" not in result.out
    golden = GOLDEN / name
    if request.config.getoption("--update-golden"):
        GOLDEN.mkdir(exist_ok=True)
        golden.write_text(result.out, encoding="utf-8")
    assert result.out == golden.read_text(encoding="utf-8"), f"run pytest --update-golden after checking {name}"
    if name.endswith(".txt"):
        assert max(len(line) for line in result.out.splitlines()) <= 80


def _acme_score() -> dict[str, Any]:
    result = okrctl("score", "examples/acme", "--as-of", QUARTER_END, "--format", "json", cwd=ROOT)
    document: dict[str, Any] = json.loads(result.out)
    return document


def test_score_json_follows_spec_section_5() -> None:
    document = _acme_score()
    assert set(document) == {"version", "as_of", "objectives", "owners", "kpis"}
    assert (document["version"], document["as_of"]) == (1, QUARTER_END)
    spec_objective = {"ref", "owner", "period", "title", "type", "aligns_to", "score", "grade", "expected", "status",
                      "guardrails", "key_results"}  # fmt: skip
    spec_key_result = {"ref", "title", "kind", "start", "target", "value", "unit", "weight", "progress", "score",
                       "confidence", "forecast", "last_checkin"}  # fmt: skip
    spec_kpi = {"ref", "title", "owner", "value", "date", "status", "stale", "trend"}
    for objective in document["objectives"]:
        assert spec_objective <= set(objective)
        assert objective["grade"] in ("green", "yellow", "red")
        assert objective["status"] in ("on_track", "at_risk", "off_track", "not_started", "ended")
        for guardrail in objective["guardrails"]:
            assert set(guardrail) == {"ref", "status", "stale"}
        for key_result in objective["key_results"]:
            assert spec_key_result <= set(key_result)
    for owner in document["owners"]:
        assert {"owner", "period", "score"} <= set(owner)
    for kpi in document["kpis"]:
        assert spec_kpi <= set(kpi)


def test_score_figures_can_be_recomputed_by_hand() -> None:
    objectives = {o["ref"]: o for o in _acme_score()["objectives"]}
    sales = objectives["sales/acquire"]
    revenue, deals, quota = sales["key_results"]
    assert revenue == {
        "ref": "sales/acquire/new-revenue", "title": "Generate $2M in new customer revenue", "kind": "metric",
        "start": 0, "target": 2000000, "value": 1150000, "unit": "USD", "weight": 2, "progress": 0.575,
        "score": 0.575, "manual_grade": False, "grade_note": None, "confidence": 0.6,
        "confidence_date": "2026-11-20", "forecast": None, "last_checkin": "2026-11-20",
    }  # fmt: skip
    assert deals["score"] == pytest.approx(27 / 50)
    assert quota["score"] == pytest.approx((73 - 62) / (85 - 62))
    assert sales["score"] == pytest.approx((0.575 * 2 + 27 / 50 + 11 / 23) / 4)
    assert (sales["status"], sales["expected"], sales["grade"]) == ("ended", 0.7, "yellow")
    finance = objectives["finance/revenue-ops"]  # committed, with a decrease
    cac = finance["key_results"][0]
    assert cac["score"] == pytest.approx((11150 - 12000) / (10800 - 12000))
    assert (finance["type"], finance["expected"], finance["review"]) == ("committed", 1.0, "missed_commitment")
    product = objectives["product/adoption"]  # a KPI-backed key result with a start from the KPI
    users = product["key_results"][0]
    assert (users["start"], users["value"]) == (25, 33)
    growth = objectives["company/growth"]  # the annual roll-up of the company's Q4 objective
    assert growth["score"] == pytest.approx(objectives["company/revenue-growth"]["score"])
    assert growth["key_results"] == []


def test_period_and_owner_selection() -> None:
    q4 = okrctl("score", "examples/acme", "--as-of", QUARTER_END, "--period", "2026-Q4", "--format", "json", cwd=ROOT)
    refs = {o["ref"] for o in json.loads(q4.out)["objectives"]}
    assert "company/growth" not in refs and "sales/acquire" in refs
    annual = okrctl("score", "examples/acme", "--period", "2026", "--owner", "company", "--format", "json", cwd=ROOT)
    assert [o["ref"] for o in json.loads(annual.out)["objectives"]] == ["company/growth"]
    later = okrctl("score", "examples/acme", "--as-of", "2027-01-15", "--format", "json", cwd=ROOT)
    assert {o["period"] for o in json.loads(later.out)["objectives"]} == {"2026", "2026-Q4"}  # the latest ended
    bad = okrctl("score", "examples/acme", "--period", "Q4", cwd=ROOT)
    assert bad.code == 2
    assert "--period: 'Q4' is not a period" in bad.err


def test_files_with_errors_are_left_out_and_reported_on_stderr(tmp_path: Path) -> None:
    shutil.copytree(EXAMPLES / "acme", tmp_path / "acme")
    support = tmp_path / "acme" / "kpis" / "support.yaml"
    support.write_text(support.read_text().replace("green: {max: 3}", "green: {min: 5, max: 3}"))  # OKR008 error
    sales = tmp_path / "acme" / "goals" / "2026" / "sales.yaml"
    sales.write_text(sales.read_text().replace("start: 62", "start: 62\n        taget: 85"))  # OKR002 error
    result = okrctl("score", "acme", "--as-of", QUARTER_END, "--format", "json", cwd=tmp_path)
    assert result.code == 1
    assert result.err.splitlines() == [  # sorted by path: the third file depends on the KPI file
        "acme/goals/2026/customer-success.yaml:16:9 OKR004 error kpi 'support/churn' is not available: its file "
        "is not among the checked paths or has errors (unknown-reference)",
        "acme/goals/2026/sales.yaml:37:9 OKR002 error unknown field 'taget' (did you mean 'target'?) (schema)",
        "acme/kpis/support.yaml:13:5 OKR008 error green band has min 5 above max 3: swap them (band-order)",
        "okrctl: 3 files left out of the report because of the errors above",
    ]
    refs = {o["ref"] for o in json.loads(result.out)["objectives"]}
    assert "sales/acquire" not in refs and "customer-success/retention" not in refs
    assert {"finance/revenue-ops", "product/adoption", "company/revenue-growth"} <= refs


def test_kpis_on_a_tree_with_errors_and_ended_periods() -> None:
    result = okrctl("kpis", "examples/bad", "--as-of", STATUS_DAY, "--format", "json", cwd=ROOT)
    assert result.code == 1  # the kpis file with errors was left out; kpis reads no okrs file
    assert "internal error" not in result.err
    assert result.err.endswith("okrctl: 1 file left out of the report because of the errors above\n")
    assert {k["ref"] for k in json.loads(result.out)["kpis"]} >= {"team-okr302/uptime", "team-okr201/nps"}


def test_kpis_gate(tmp_path: Path) -> None:
    healthy = okrctl("kpis", "examples/acme/kpis/finance.yaml", "--as-of", STATUS_DAY, "--fail-on", "red", cwd=ROOT)
    assert (healthy.code, healthy.err) == (0, "")
    red = okrctl("kpis", "examples/acme", "--as-of", STATUS_DAY, "--fail-on", "red", cwd=ROOT)
    assert (red.code, red.err) == (1, "okrctl: 1 KPI at or past red: support/churn\n")
    amber = okrctl("kpis", "examples/acme", "--as-of", STATUS_DAY, "--fail-on", "amber", "--format", "json", cwd=ROOT)
    assert amber.code == 1
    assert amber.err == (
        "okrctl: 5 KPIs at or past amber: product/feature-adoption, support/churn, support/nrr, support/csat, "
        "support/first-response-time\n"
    )
    document = json.loads(amber.out)
    assert set(document) == {"version", "as_of", "kpis"}
    assert {k["ref"]: k["status"] for k in document["kpis"]}["support/csat"] == "amber"
    wrong = okrctl("kpis", "examples/acme", "--fail-on", "blue", cwd=ROOT)
    assert wrong.code == 2


@pytest.mark.parametrize("suffix", [".svg", ".html"])
def test_export(suffix: str, tmp_path: Path) -> None:
    target = tmp_path / f"status{suffix}"
    result = okrctl("status", "examples/acme", "--as-of", STATUS_DAY, "--export", str(target), cwd=ROOT)
    assert result.code == 0
    assert result.err == f"okrctl: wrote {target}\n"
    content = target.read_text(encoding="utf-8")
    assert ("<svg" in content) if suffix == ".svg" else ("<html" in content.lower())
    assert "sales/acquire" in content.replace("&#47;", "/")
    refused = okrctl("score", "examples/acme", "--export", str(tmp_path / "report.pdf"), cwd=ROOT)
    assert refused.code == 2
    assert "must end in .svg or .html" in refused.err


MARKUP_TITLES = """\
kind: okrs
period: 2026-Q4
owner: web
objectives:
  - id: fix
    title: "Fix [/] and [bold red]loud[/] things"
    key_results:
      - {id: clicks, title: "Lift [link=https://example.com]clicks[/link]", start: 10, target: 20, unit: "[/]"}
      - {id: kpi, title: "Keep [b]uptime[/b] up", kpi: web/up, at_least: 99}
"""
MARKUP_KPIS = """\
kind: kpis
owner: web
kpis:
  - {id: up, title: "Uptime [/red]", owner: ana, unit: "[%]", definition: d, source: s, frequency: weekly, green: {min: 99},
     measurements: [{date: 2026-11-16, value: 99.5}]}
"""


@pytest.mark.parametrize("command", ["status", "score", "tree", "kpis"])
@pytest.mark.parametrize("color", ["never", "always"])
def test_titles_that_look_like_rich_markup_print_as_written(command: str, color: str, tmp_path: Path) -> None:
    (tmp_path / "okrs.yaml").write_text(MARKUP_TITLES)
    (tmp_path / "kpis.yaml").write_text(MARKUP_KPIS)
    result = okrctl(command, "--as-of", STATUS_DAY, "--color", color, cwd=tmp_path, env={"COLUMNS": "200"})
    assert (result.code, result.err) == (0, "")
    expected = "Uptime [/red]" if command == "kpis" else "Fix [/] and [bold red]loud[/] things"
    assert expected in result.out


FORGING_OKRS = """\
kind: okrs
period: 2026-Q4
owner: web
objectives:
  - id: grow
    title: "Grow\\n::error file=README.md,line=1::Forged by a title\\n::add-mask::hunter2"
    key_results:
      - {id: k, title: "Lift\\n  ::warning::Forged by a key result", start: 10, target: 20,
         unit: "%\\n::error::Forged by a unit", checkins: [{date: 2026-11-01, value: 12, note: "a\\n::error::note"}]}
  - id: long
    title: "A long title that wraps somewhere in the middle ::warning file=x,line=1::Forged by wrapping ::warning::y"
    key_results:
      - {id: k, title: "Another long title to wrap at eighty columns ::warning::Forged by wrapping here too", start: 0,
         target: 5, current: 1}
"""
FORGING_KPIS = """\
kind: kpis
owner: web
kpis:
  - {id: up, title: "Uptime\\n::error file=README.md,line=1::Injected annotation\\n::add-mask::hunter2", owner: ana,
     unit: "%\\n::stop-commands::x", definition: d, source: s, frequency: weekly, green: {min: 99},
     measurements: [{date: 2026-11-09, value: 98}]}
"""
NOT_A_GOAL_FILE = "ci\n::error file=x,line=1::Forged by a file name\n.yaml"


def _no_workflow_commands(text: str) -> None:
    for line in text.splitlines():
        assert not line.lstrip().startswith("::"), line
        assert "##[" not in line


@pytest.mark.parametrize(
    "args",
    [["status"], ["score"], ["kpis", "--fail-on", "red"], ["tree"], ["lint", "--format", "text"], ["lint"]],
    ids=["status", "score", "kpis", "tree", "lint", "lint-github"],
)
@pytest.mark.parametrize("color", ["never", "always"])
def test_nothing_printed_reads_as_a_workflow_command(args: list[str], color: str, tmp_path: Path) -> None:
    (tmp_path / "okrs.yaml").write_text(FORGING_OKRS)
    (tmp_path / "kpis.yaml").write_text(FORGING_KPIS)
    (tmp_path / NOT_A_GOAL_FILE).write_text("name: not goals\n")
    (tmp_path / "bad\n::error::Forged by a path.yaml").write_text(
        "kind: okrs\nperiod: 2026-Q4\nowner: x\nobjectives: 1\n"
    )
    result = okrctl(
        *args, ".", NOT_A_GOAL_FILE, "--as-of", "2026-11-15", "--color", color, cwd=tmp_path,
        env={"COLUMNS": "80", "GITHUB_ACTIONS": "true"},
    )  # fmt: skip
    assert result.code == 1  # the broken file is left out (reports) or reported (lint)
    assert "Forged by a file name" in result.err
    if args == [
        "lint"
    ]:  # github format under Actions: its own annotations are the only commands, each one line, its data escaped
        annotations = [line for line in result.out.splitlines() if line.startswith("::")]
        assert annotations and all(
            re.match(r"::(error|warning) file=[^:\n]*,line=\d+,col=\d+,", a) for a in annotations
        )
        assert any("bad\\n%3A%3Aerror%3A%3AForged by a path.yaml" in a for a in annotations)  # display_path escapes
        _no_workflow_commands("\n".join(line for line in result.out.splitlines() if line not in annotations))
    else:
        _no_workflow_commands(result.out)
    _no_workflow_commands(result.err)
    if args[0] in ("status", "score", "tree"):
        assert "Forged by wrapping" in re.sub(r"\x1b\[[0-9;]*m", "", result.out).replace("\n", " ")


def test_an_error_quoting_a_path_stays_on_one_line(tmp_path: Path) -> None:
    result = okrctl("status", "missing\n::error file=x,line=1::Forged by an argument.yaml", cwd=tmp_path)
    assert result.code == 2
    assert result.err.count("\n") == 1 and "Forged by an argument" in result.err
    _no_workflow_commands(result.err)


def test_a_named_file_is_reported_among_the_rest_of_its_root(tmp_path: Path) -> None:
    """`okrctl status FILE` judges FILE as `okrctl lint FILE` does: its KPIs, guardrails and the objective it
    aligns to are in other files of its root. It reports FILE's objectives only, and a broken file it does not
    depend on is lint's business, not this report's."""
    shutil.copytree(EXAMPLES / "acme", tmp_path / "acme")
    named = "acme/goals/2026/product.yaml"
    (tmp_path / "acme" / "goals" / "2026" / "broken.yaml").write_text("kind: okrs\nowner: [\n", encoding="utf-8")
    lint = okrctl("lint", named, "--as-of", "2026-11-23", "--no-cache", cwd=tmp_path)
    assert (lint.code, lint.out) == (0, "All clear: 1 goal file checked, no findings.\n")
    for command in ("status", "score", "tree"):
        result = okrctl(command, named, "--as-of", "2026-11-23", "--format", "json", "--no-cache", cwd=tmp_path)
        assert (result.code, result.err) == (0, ""), command
        refs = {objective["ref"] for objective in json.loads(result.out)["objectives"]}
        assert "product/adoption" in refs, command
        if command != "tree":  # the tree also shows the roll-ups the file counts in
            assert {ref.split("/")[0] for ref in refs} == {"product"}, command
    status = json.loads(okrctl("status", named, "--as-of", "2026-11-23", "--format", "json", cwd=tmp_path).out)
    adoption = next(o for o in status["objectives"] if o["ref"] == "product/adoption")
    assert [g["status"] for g in adoption["guardrails"]] == ["green", "amber"]  # KPIs of support's file
    assert status["kpis"] == []  # the named file holds none
    kpis = json.loads(
        okrctl("kpis", "acme/kpis/product.yaml", "--as-of", "2026-11-23", "--format", "json", cwd=tmp_path).out
    )
    assert {k["ref"] for k in kpis["kpis"]} == {"product/weekly-active-users", "product/feature-adoption"}
