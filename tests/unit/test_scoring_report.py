"""The report model: which objectives a command reports, and what it says about them (in process)."""

from __future__ import annotations

import json
import textwrap
from datetime import date
from pathlib import Path

import pytest

from okrctl.commands.report import ReportCommandOptions, run
from okrctl.errors import UserError
from okrctl.reporters import ReportOptions

# company/revenue (annual roll-up) ← sales/win (Q4, weight 2), sales/pipeline (Q3), product/fit (H2, weight 3)
TREE = {
    "company.yaml": """
        kind: okrs
        period: "2026"
        owner: company
        level: company
        objectives:
          - id: revenue
            title: Grow revenue
    """,
    "sales-q3.yaml": """
        kind: okrs
        period: 2026-Q3
        owner: sales
        objectives:
          - id: pipeline
            title: Fill the pipeline
            aligns_to: company/revenue
            key_results:
              - {id: leads, title: Grow leads from 0 to 100, start: 0, target: 100, current: 95}
    """,
    "sales-q4.yaml": """
        kind: okrs
        period: 2026-Q4
        owner: sales
        objectives:
          - id: win
            title: Win deals
            aligns_to: company/revenue
            weight: 2
            guardrails: [ops/lat]
            key_results:
              - {id: deals, title: Grow deals from 0 to 8, start: 0, target: 8, current: 3}
              - {id: nps, title: Keep NPS, at_least: 40, current: 30, grade: 0.6,
                 grade_note: two vendors in negotiation}
    """,
    "product-h2.yaml": """
        kind: okrs
        period: 2026-H2
        owner: product
        objectives:
          - id: fit
            title: Find product fit
            aligns_to: company/revenue
            weight: 3
            key_results:
              - {id: users, title: Grow users from 0 to 10, start: 0, target: 10, current: 0}
    """,
    "ops-q3.yaml": """
        kind: okrs
        period: 2026-Q3
        owner: ops
        objectives:
          - id: stable
            title: Keep the platform stable
            key_results:
              - {id: up, title: Hold uptime, at_least: 99.9, current: 99.95}
    """,
    "ops-kpis.yaml": """
        kind: kpis
        owner: ops
        kpis:
          - {id: lat, title: Latency, frequency: daily, green: {max: 200},
             measurements: [{date: 2026-10-22, value: 150}]}
          - {id: amberonly, title: Amber only, frequency: weekly, amber: {min: 5},
             measurements: [{date: 2026-10-20, value: 6}, {date: 2026-10-21, value: 4}]}
          - {id: later, title: Measured later, frequency: weekly, green: {min: 1},
             measurements: [{date: 2026-12-20, value: 2}]}
    """,
}


@pytest.fixture
def goals(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name, text in TREE.items():
        (tmp_path / name).write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def report(
    capsys: pytest.CaptureFixture[str], command: str, as_of: str, output_format: str = "json", **extra: str
) -> tuple[int, str, str]:
    options = ReportCommandOptions(
        command=command,
        paths=[],
        output_format=output_format,
        as_of=date.fromisoformat(as_of),
        report=ReportOptions(width=200),
        use_cache=False,
        **extra,  # type: ignore[arg-type]
    )
    code = run(options)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_tree_shows_every_objective_counting_in_a_shown_roll_up(
    goals: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = report(capsys, "tree", "2026-11-15", "table")
    assert code == 0
    for line in ("company/revenue", "sales/win", "sales/pipeline [2026-Q3]", "product/fit"):
        assert line in out  # the ended Q3 child counts in the annual roll-up, so it is shown
    assert "ops/stable" not in out  # counts in nothing shown


def test_tree_of_an_annual_period_shows_its_full_subtree(goals: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = report(capsys, "tree", "2026-11-15", "table", period="2026")
    assert [ref for ref in ("company/revenue", "product/fit", "sales/pipeline", "sales/win") if ref in out] == [
        "company/revenue",
        "product/fit",
        "sales/pipeline",
        "sales/win",
    ]


def test_json_carries_staleness_grade_note_confidence_date_and_review(
    goals: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, out, _ = report(capsys, "status", "2026-11-15")
    win = {o["ref"]: o for o in json.loads(out)["objectives"]}["sales/win"]
    assert win["guardrails"] == [{"ref": "ops/lat", "status": "green", "stale": True}]
    nps = win["key_results"][1]
    assert (nps["manual_grade"], nps["grade_note"]) == (True, "two vendors in negotiation")
    assert (nps["confidence"], nps["confidence_date"]) == (None, None)
    assert win["review"] is None  # the period is running


def test_text_and_markdown_show_stale_guardrails_and_grade_notes(
    goals: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, text, _ = report(capsys, "status", "2026-11-15", "table", owner="sales")
    assert "guardrails: ops/lat green (stale)" in text
    assert "manual grade: two vendors in negotiation" in text
    _, markdown, _ = report(capsys, "status", "2026-11-15", "markdown", owner="sales")
    assert "ops/lat 🟢 (stale)" in markdown
    _, scores, _ = report(capsys, "score", "2026-11-15", "markdown", owner="sales")
    assert "0.60 (manual: two vendors in negotiation)" in scores


def test_an_ended_period_has_no_forecast_and_marks_its_review(goals: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = report(capsys, "score", "2027-01-10", period="2026-Q3")
    stable = {o["ref"]: o for o in json.loads(out)["objectives"]}["ops/stable"]
    assert stable["forecast"] is None and all(kr["forecast"] is None for kr in stable["key_results"])
    assert stable["review"] == "too_easy"  # as lint's OKR305 says
    _, table, _ = report(capsys, "score", "2027-01-10", "table", period="2026-Q3")
    assert "aspirational ⚑ too easy" in table
    _, status, _ = report(capsys, "status", "2027-01-10", "table", period="2026-Q3")
    assert "forecast" not in status


def test_an_owner_nobody_has_is_a_usage_error_with_a_suggestion(
    goals: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(UserError, match=r"--owner: no goal file is owned by 'opps' \(did you mean 'ops'\?\)"):
        report(capsys, "score", "2026-11-15", owner="opps")


def test_an_owner_gets_the_periods_of_their_own_files(goals: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = report(capsys, "status", "2026-11-15", owner="ops")  # ops has only a Q3 file: its latest ended
    assert [(o["ref"], o["period"]) for o in json.loads(out)["objectives"]] == [("ops/stable", "2026-Q3")]


def test_before_any_period_starts_the_next_one_is_shown(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "q4.yaml").write_text(textwrap.dedent(TREE["sales-q4.yaml"]).replace("aligns_to: company/revenue", ""))
    (tmp_path / "ops-kpis.yaml").write_text(textwrap.dedent(TREE["ops-kpis.yaml"]))
    monkeypatch.chdir(tmp_path)
    _, out, _ = report(capsys, "status", "2026-09-15")  # planning week
    objectives = json.loads(out)["objectives"]
    assert [(o["ref"], o["status"]) for o in objectives] == [("sales/win", "not_started")]


def test_an_amber_only_kpi_is_amber_or_red_and_fails_the_gate(goals: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = report(capsys, "kpis", "2026-10-22", "table", fail_on="red")
    assert code == 1
    assert err == "okrctl: 1 KPI at or past red: ops/amberonly\n"
    assert "KPI health as of 2026-10-22: 1 green, 0 amber, 1 red, 0 stale, 1 no data" in out


@pytest.mark.parametrize(
    ("period", "start", "target"),
    [("2026-Q3", "5", "5"), ("2026-Q4", "9007199254740993", "9007199254740992.0"), ("2026-Q4", "0.0", "-0.0")],
)
@pytest.mark.parametrize("command", ["score", "status", "tree"])
def test_a_zero_range_leaves_its_file_out_with_a_located_error(
    period: str, start: str, target: str, command: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    zero = f"""\
        kind: okrs
        period: {period}
        owner: x
        objectives:
          - id: a
            title: A
            key_results:
              - {{id: k, title: K, start: {start}, target: {target}, current: 3}}
    """
    (tmp_path / "zero.yaml").write_text(textwrap.dedent(zero))
    (tmp_path / "fine.yaml").write_text(textwrap.dedent(TREE["ops-q3.yaml"]))
    monkeypatch.chdir(tmp_path)
    code, out, err = report(capsys, command, "2026-11-23", "table")
    assert code == 1
    assert "zero.yaml:8:" in err and "OKR007" in err  # at the key result's target
    assert "left out of the report" in err and "internal error" not in err
    assert "x/a" not in out
