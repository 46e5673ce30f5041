"""`okrctl history REF`: each commit that changed a key result, an objective or a KPI (real git repositories)."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
from conftest import ROOT, commit_all, git, okrctl

SALES = """kind: okrs
period: 2026-Q4
owner: sales
objectives:
  - id: acquire
    title: Drive acquisition
    key_results:
      - id: rev
        title: Revenue to 2M
        start: 0
        target: 2000000
        unit: USD
        checkins:
          - {date: 2026-10-02, value: 100000}
      - id: deals
        title: Close 20 deals
        start: 0
        target: 20
        weight: 3
        checkins:
          - {date: 2026-10-02, value: 2}
  - id: retain
    title: Keep customers
    key_results:
      - id: churn
        title: Churn below 2%
        at_most: 2
"""

KPIS = """kind: kpis
owner: sales
kpis:
  - id: winrate
    title: Win rate
    unit: "%"
    frequency: monthly
    green: {min: 30}
    amber: {min: 20}
    measurements:
      - {date: 2026-09-30, value: 25}
"""


def edit(repo: Path, name: str, old: str, new: str) -> None:
    path = repo / name
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))


@pytest.fixture
def sales(git_repo: Path) -> dict[str, str]:
    """A quarter of sales goals: added, a check-in, a lowered target, another key result's check-in, a
    rewritten check-in; the commits' short ids by name."""
    (git_repo / "okrctl.yaml").write_text("")
    (git_repo / "goals").mkdir()
    (git_repo / "goals" / "sales.yaml").write_text(SALES)
    ids = {"added": commit_all(git_repo, "Q4 goals", "2026-09-28", "Ann")}
    edit(
        git_repo,
        "goals/sales.yaml",
        "value: 100000}\n",
        "value: 100000}\n          - {date: 2026-10-20, value: 900000}\n",
    )
    ids["checkin"] = commit_all(git_repo, "rev check-in", "2026-10-21", "Bob")
    edit(git_repo, "goals/sales.yaml", "target: 2000000", "target: 1600000")
    ids["target"] = commit_all(git_repo, "Lower the revenue target", "2026-11-02", "Ann")
    edit(git_repo, "goals/sales.yaml", "value: 2}\n", "value: 2}\n          - {date: 2026-11-05, value: 8}\n")
    ids["deals"] = commit_all(git_repo, "deals check-in", "2026-11-06", "Bob")
    edit(git_repo, "goals/sales.yaml", "{date: 2026-10-20, value: 900000}", "{date: 2026-10-20, value: 950000}")
    ids["rewrite"] = commit_all(git_repo, "Fix the October figure", "2026-11-10", "Cy")
    return {name: commit[:7] for name, commit in ids.items()}


def test_a_key_results_history_shows_each_commit_that_changed_it(git_repo: Path, sales: dict[str, str]) -> None:
    result = okrctl("history", "sales/acquire/rev", "--as-of", "2026-11-27", cwd=git_repo)
    assert result.code == 0, result.err
    assert result.out == (
        "sales/acquire/rev · key result in 2026-Q4 · goals/sales.yaml\n"
        "Revenue to 2M\n"
        "date        commit   author        value         target  score  what\n"
        f"{'─' * 100}\n"
        f"2026-09-28  {sales['added']}  Ann               –  2,000,000 USD   0.00  added\n"
        f"2026-10-21  {sales['checkin']}  Bob     900,000 USD  2,000,000 USD   0.45  check-in 2026-10-20: 900,000\n"
        f"2026-11-02  {sales['target']}  Ann     900,000 USD  1,600,000 USD   0.56  target 2,000,000 → 1,600,000\n"
        f"2026-11-10  {sales['rewrite']}  Cy      950,000 USD  1,600,000 USD   0.59  check-in 2026-10-20: 900,000 →\n"
        "                                                                950,000\n"
        "value over 4 commits: ▁▁█\n"
    )
    assert sales["deals"] not in result.out  # another key result's check-in


def test_the_docs_show_this_history(git_repo: Path, sales: dict[str, str]) -> None:
    """The example on the command's page is this test's output (the commits' ids are the same everywhere: their
    dates, authors and contents are fixed)."""
    page = (ROOT / "docs" / "commands" / "history.md").read_text(encoding="utf-8")
    shown = re.search(r"^```\n(sales/acquire/rev .*?)^```$", page, re.M | re.S)
    assert shown is not None
    assert shown[1] == okrctl("history", "sales/acquire/rev", "--as-of", "2026-11-27", cwd=git_repo).out


def test_colour_marks_commits_and_grades(git_repo: Path, sales: dict[str, str]) -> None:
    result = okrctl("history", "sales/acquire/rev", "--color", "always", "--as-of", "2026-11-27", cwd=git_repo)
    assert result.code == 0, result.err
    assert f"\x1b[33m{sales['target']}\x1b[0m" in result.out  # the commit, as git colours it
    assert "\x1b[1;31m0.00\x1b[0m" in result.out  # red below 0.4 (the default grades)
    assert "\x1b[1;33m0.56\x1b[0m" in result.out  # yellow from 0.4


def test_a_key_results_history_as_json(git_repo: Path, sales: dict[str, str]) -> None:
    result = okrctl("history", "sales/acquire/rev", "--format", "json", "--as-of", "2026-11-27", cwd=git_repo)
    assert result.code == 0, result.err
    document = json.loads(result.out)
    assert {key: document[key] for key in ("version", "ref", "kind", "period", "title", "paths")} == {
        "version": 1,
        "ref": "sales/acquire/rev",
        "kind": "key_result",
        "period": "2026-Q4",
        "title": "Revenue to 2M",
        "paths": ["goals/sales.yaml"],
    }
    changes = document["changes"]
    assert [change["short"] for change in changes] == [
        sales[name] for name in ("added", "checkin", "target", "rewrite")
    ]
    assert all(change["commit"].startswith(change["short"]) and len(change["commit"]) == 40 for change in changes)
    assert changes[2] == {
        "commit": changes[2]["commit"],
        "short": sales["target"],
        "date": "2026-11-02",
        "author": "Ann",
        "subject": "Lower the revenue target",
        "what": ["target 2,000,000 → 1,600,000"],
        "value": 900000,
        "target": 1600000,
        "score": 0.5625,
    }
    assert [change["what"] for change in changes[-1:]] == [["check-in 2026-10-20: 900,000 → 950,000"]]


def test_a_thresholds_target_is_its_bound(git_repo: Path, sales: dict[str, str]) -> None:
    edit(
        git_repo,
        "goals/sales.yaml",
        "at_most: 2\n",
        "at_most: 2\n        checkins:\n          - {date: 2026-11-20, value: 1.5}\n",
    )
    commit_all(git_repo, "churn check-in", "2026-11-21")
    result = okrctl("history", "sales/retain/churn", "--format", "json", "--as-of", "2026-11-27", cwd=git_repo)
    changes = json.loads(result.out)["changes"]
    assert [(c["what"], c["value"], c["target"], c["score"]) for c in changes] == [
        (["added"], None, 2, 0.0),
        (["check-in 2026-11-20: 1.5"], 1.5, 2, 1.0),
    ]


def test_a_milestone_scores_once_done_and_a_dropped_key_result_leaves_its_objectives_score(git_repo: Path) -> None:
    (git_repo / "goals").mkdir()
    milestone = "      - id: launch\n        title: Launch\n        done: false\n"
    (git_repo / "goals" / "sales.yaml").write_text(
        SALES.replace("      - id: deals\n", milestone + "      - id: deals\n")
    )
    commit_all(git_repo, "Goals", "2026-10-01")
    edit(git_repo, "goals/sales.yaml", "done: false", "done: true\n        done_on: 2026-10-15")
    commit_all(git_repo, "Launched", "2026-10-16")
    result = okrctl("history", "sales/acquire/launch", "--format", "json", "--as-of", "2026-11-27", cwd=git_repo)
    assert result.code == 0, result.err
    changes = json.loads(result.out)["changes"]
    assert [(c["what"], c["value"], c["target"], c["score"]) for c in changes] == [
        (["added"], None, None, 0.0),
        (["done false → true", "done_on – → 2026-10-15"], None, None, 1.0),
    ]
    edit(git_repo, "goals/sales.yaml", milestone.replace("false", "true\n        done_on: 2026-10-15"), "")
    commit_all(git_repo, "Drop the launch", "2026-10-20")
    result = okrctl("history", "sales/acquire", "--format", "json", "--as-of", "2026-11-27", cwd=git_repo)
    changes = json.loads(result.out)["changes"]
    assert [(c["what"], c["score"]) for c in changes] == [
        (["added"], 0.0),  # on its day, the check-ins of 2026-10-02 were still to come
        (["launch: done false → true", "launch: done_on – → 2026-10-15"], pytest.approx((0.05 + 1 + 3 * 0.1) / 5)),
        (["launch: removed"], pytest.approx((0.05 + 3 * 0.1) / 4)),
    ]


def test_the_as_of_date_ends_the_history(git_repo: Path, sales: dict[str, str]) -> None:
    result = okrctl("history", "sales/acquire/rev", "--format", "json", "--as-of", "2026-10-31", cwd=git_repo)
    assert [change["short"] for change in json.loads(result.out)["changes"]] == [sales["added"], sales["checkin"]]


def test_an_objectives_history_scores_it_from_its_key_results(git_repo: Path, sales: dict[str, str]) -> None:
    result = okrctl("history", "sales/acquire", "--format", "json", "--as-of", "2026-11-27", cwd=git_repo)
    assert result.code == 0, result.err
    changes = json.loads(result.out)["changes"]
    assert [(change["short"], change["what"]) for change in changes] == [
        (sales["added"], ["added"]),
        (sales["checkin"], ["rev: check-in 2026-10-20: 900,000"]),
        (sales["target"], ["rev: target 2,000,000 → 1,600,000"]),
        (sales["deals"], ["deals: check-in 2026-11-05: 8"]),
        (sales["rewrite"], ["rev: check-in 2026-10-20: 900,000 → 950,000"]),
    ]
    # the weighted mean of rev (weight 1) and deals (weight 3) as of each commit's day
    assert [change["score"] for change in changes] == pytest.approx(
        [0.0, (0.45 + 3 * 0.1) / 4, (0.5625 + 3 * 0.1) / 4, (0.5625 + 3 * 0.4) / 4, (0.59375 + 3 * 0.4) / 4]
    )
    assert all(change["value"] is None and change["target"] is None for change in changes)
    text = okrctl("history", "sales/acquire", "--as-of", "2026-11-27", cwd=git_repo).out
    assert text.splitlines()[0] == "sales/acquire · objective in 2026-Q4 · goals/sales.yaml"
    assert text.splitlines()[-1] == "score over 5 commits: ▁▄▄██"


def test_a_kpis_history_shows_its_band_and_follows_a_renamed_file(git_repo: Path) -> None:
    (git_repo / "kpis").mkdir()
    (git_repo / "kpis" / "sales.yaml").write_text(KPIS)
    first = commit_all(git_repo, "KPIs", "2026-10-01")
    edit(git_repo, "kpis/sales.yaml", "value: 25}\n", "value: 25}\n      - {date: 2026-10-31, value: 31}\n")
    measured = commit_all(git_repo, "October win rate", "2026-11-01")
    git("mv", "kpis/sales.yaml", "kpis/sales-kpis.yaml", cwd=git_repo)
    renamed = commit_all(git_repo, "Rename", "2026-11-03")
    edit(git_repo, "kpis/sales-kpis.yaml", "min: 30", "min: 32")
    raised = commit_all(git_repo, "Raise the green band", "2026-11-05")
    result = okrctl("history", "sales/winrate", "--format", "json", "--as-of", "2026-11-27", cwd=git_repo)
    assert result.code == 0, result.err
    document = json.loads(result.out)
    assert (document["kind"], document["period"]) == ("kpi", None)
    assert (document["paths"], document["renamed_from"]) == (["kpis/sales-kpis.yaml"], ["kpis/sales.yaml"])
    rows = [(c["short"], c["what"], c["value"], c["band"], c["score"]) for c in document["changes"]]
    assert rows == [
        (first[:7], ["added"], 25, "amber", None),
        (measured[:7], ["measurement 2026-10-31: 31"], 31, "green", None),
        (raised[:7], ["green ≥ 30 → ≥ 32"], 31, "amber", None),
    ]
    assert renamed[:7] not in result.out  # the rename changed nothing
    text = okrctl("history", "sales/winrate", "--as-of", "2026-11-27", cwd=git_repo).out
    assert text.splitlines()[0] == "sales/winrate · KPI · kpis/sales-kpis.yaml (earlier kpis/sales.yaml)"
    assert f"2026-11-05  {raised[:7]}  Dev       31%  amber  green ≥ 30 → ≥ 32" in text
    refused = okrctl("history", "sales/winrate", "--period", "2026-Q4", cwd=git_repo)
    assert (refused.code, refused.err) == (
        2,
        "okrctl: error: --period: 'sales/winrate' is a KPI, which has no period\n",
    )


def test_a_key_result_on_a_kpi_takes_its_values_from_the_kpis_measurements(git_repo: Path) -> None:
    (git_repo / "kpis").mkdir()
    (git_repo / "kpis" / "sales.yaml").write_text(KPIS)
    (git_repo / "goals").mkdir()
    goals = SALES.replace("        start: 0\n        target: 20\n", "        kpi: sales/winrate\n        target: 35\n")
    (git_repo / "goals" / "sales.yaml").write_text(goals)
    commit_all(git_repo, "Goals", "2026-10-01")
    edit(git_repo, "kpis/sales.yaml", "value: 25}\n", "value: 25}\n      - {date: 2026-10-31, value: 31}\n")
    measured = commit_all(git_repo, "October win rate", "2026-11-01")
    document = json.loads(okrctl("history", "sales/acquire/deals", "--format", "json", cwd=git_repo).out)
    last = document["changes"][-1]
    assert (last["short"], last["what"], last["value"]) == (
        measured[:7],
        ["sales/winrate: measurement 2026-10-31: 31"],
        31,
    )
    assert last["score"] == pytest.approx((31 - 25) / (35 - 25))  # the start: the KPI on the period's first day


def two_periods(repo: Path) -> None:
    (repo / "goals").mkdir()
    (repo / "goals" / "sales-q3.yaml").write_text(
        SALES.replace("2026-Q4", "2026-Q3").replace("2026-10-02", "2026-07-02")
    )
    commit_all(repo, "Q3 goals", "2026-06-28")
    (repo / "goals" / "sales.yaml").write_text(SALES)
    commit_all(repo, "Q4 goals", "2026-09-28")


@pytest.mark.parametrize(
    ("options", "period"),
    [
        (["--as-of", "2026-11-15"], "2026-Q4"),  # the period holding the as-of date
        (["--as-of", "2026-08-01"], "2026-Q3"),
        (["--as-of", "2027-02-01"], "2026-Q4"),  # none holds it: the latest
        (["--as-of", "2026-11-15", "--period", "2026-Q3"], "2026-Q3"),
    ],
)
def test_a_reference_in_two_periods_follows_one(git_repo: Path, options: list[str], period: str) -> None:
    two_periods(git_repo)
    result = okrctl("history", "sales/acquire/rev", "--format", "json", *options, cwd=git_repo)
    assert result.code == 0, result.err
    document = json.loads(result.out)
    assert document["period"] == period
    assert document["paths"] == ["goals/sales-q3.yaml" if period == "2026-Q3" else "goals/sales.yaml"]
    assert len(document["changes"]) == 1


def test_a_period_the_reference_is_not_in_is_refused(git_repo: Path) -> None:
    two_periods(git_repo)
    result = okrctl("history", "sales/acquire/rev", "--period", "2026-Q1", cwd=git_repo)
    assert (result.code, result.out) == (2, "")
    assert result.err == "okrctl: error: 'sales/acquire/rev' is not in the period 2026-Q1 (it is in 2026-Q3, 2026-Q4)\n"


@pytest.mark.parametrize(
    ("ref", "message"),
    [
        ("sales/acquire/revv", "no key result 'sales/acquire/revv' (did you mean 'sales/acquire/rev'?)"),
        ("sales/aquire", "no objective or KPI 'sales/aquire' (did you mean 'sales/acquire'?)"),
        ("sales", "'sales' is not a reference: write OWNER/OBJECTIVE/KR for a key result, OWNER/OBJECTIVE for an"),
    ],
)
def test_an_unknown_reference_exits_2_with_a_suggestion(
    git_repo: Path, sales: dict[str, str], ref: str, message: str
) -> None:
    result = okrctl("history", ref, cwd=git_repo)
    assert (result.code, result.out) == (2, "")
    assert result.err.startswith(f"okrctl: error: {message}"), result.err


def test_a_reference_gone_from_the_work_tree_is_found_at_head(git_repo: Path, sales: dict[str, str]) -> None:
    (git_repo / "goals" / "sales.yaml").unlink()  # deleted, not committed yet
    result = okrctl("history", "sales/acquire/rev", "--format", "json", "--as-of", "2026-11-27", cwd=git_repo)
    assert result.code == 0, result.err
    assert json.loads(result.out)["paths"] == [f"goals/sales.yaml@{sales['rewrite']}"]
    assert len(json.loads(result.out)["changes"]) == 4


def test_a_reference_in_a_file_git_does_not_track_yet(git_repo: Path, sales: dict[str, str]) -> None:
    (git_repo / "goals" / "support.yaml").write_text(SALES.replace("owner: sales", "owner: support"))
    result = okrctl("history", "support/acquire/rev", cwd=git_repo)
    assert (result.code, result.out) == (2, "")
    assert result.err == (
        "okrctl: error: 'support/acquire/rev' is in no file git tracks yet: its history starts with the commit "
        "that adds it\n"
    )


def test_a_reference_added_but_not_committed_has_no_history_yet(git_repo: Path, sales: dict[str, str]) -> None:
    edit(
        git_repo,
        "goals/sales.yaml",
        "  - id: retain\n",
        "  - id: expand\n    title: Expand\n    key_results:\n"
        "      - {id: upsell, title: Upsell, start: 0, target: 5}\n  - id: retain\n",
    )
    result = okrctl("history", "sales/expand/upsell", "--format", "json", cwd=git_repo)
    assert result.code == 0, result.err
    assert json.loads(result.out)["changes"] == []
    text = okrctl("history", "sales/expand/upsell", "--as-of", "2026-11-27", cwd=git_repo).out
    assert text.splitlines()[-1] == "no commit up to 2026-11-27 changed it"


def test_outside_a_repository_exits_2(tmp_path: Path) -> None:
    (tmp_path / "sales.yaml").write_text(SALES)
    result = okrctl("history", "sales/acquire/rev", cwd=tmp_path)
    assert (result.code, result.out) == (2, "")
    assert "is not in a git repository: this command reads goals from git history" in result.err


def test_a_shallow_clone_exits_2_with_what_to_fetch(git_repo: Path, sales: dict[str, str], tmp_path: Path) -> None:
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{git_repo}", str(clone)], check=True)
    result = okrctl("history", "sales/acquire/rev", cwd=clone)
    assert (result.code, result.out) == (2, "")
    assert "shallow clone" in result.err and "fetch-depth: 0" in result.err


def test_hostile_text_is_escaped(git_repo: Path) -> None:
    (git_repo / "goals").mkdir()
    hostile = SALES.replace("title: Revenue to 2M", 'title: "Rev red\\n::error::forged"')
    (git_repo / "goals" / "sales.yaml").write_text(hostile)
    commit_all(git_repo, "Goals", "2026-10-01", author="Eve\x1b]0;owned\x07")
    edit(git_repo, "goals/sales.yaml", "red\\n::error::forged", "plain")
    commit_all(git_repo, "Retitle", "2026-10-02")
    result = okrctl("history", "sales/acquire/rev", cwd=git_repo, env={"COLUMNS": "200"})
    assert result.code == 0, result.err
    assert "\x1b" not in result.out and "\u202e" not in result.out and "\x07" not in result.out
    assert "\n::" not in result.out
    assert "Rev red ::error::forged" in result.out and "Eve\\x1b]0;owned" in result.out
    raw = okrctl("history", "sales/acquire/rev", "--format", "json", cwd=git_repo).out
    assert "\x1b" not in raw and "\\u001b" in raw
    document = json.loads(raw)
    assert document["title"] == "Rev plain"
    assert document["changes"][0]["author"].startswith("Eve\x1b]0;owned")  # JSON escapes it
    assert document["changes"][1]["what"] == ['title "Rev red\n::error::forged" → "Rev plain"']


def test_a_goals_root_below_the_repository_top_is_read_with_its_own_config(tmp_path: Path) -> None:
    repo = tmp_path / "nested"
    (repo / "okrs").mkdir(parents=True)
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=repo, check=True)
    (repo / "okrs" / "okrctl.yaml").write_text("fiscal_year_start: 7\n")  # 2027-Q2 is 2026-10-01..2026-12-31
    goals = (
        "kind: okrs\nperiod: 2027-Q2\nowner: sales\nobjectives:\n  - id: grow\n    title: Grow\n    key_results:\n"
        "      - id: rev\n        title: Revenue to 10\n        start: 0\n        target: 10\n        checkins:\n"
        "          - {date: 2026-12-10, value: 5}\n"
    )
    (repo / "okrs" / "sales.yaml").write_text(goals)
    commit_all(repo, "goals", "2026-12-10")
    late = goals + "          - {date: 2027-01-15, value: 8}\n"  # after the period: it does not count
    (repo / "okrs" / "sales.yaml").write_text(late)
    commit_all(repo, "a value after the period", "2027-01-16")
    from_top = okrctl("history", "sales/grow/rev", "--as-of", "2027-01-20", "--format", "json", cwd=repo)
    inside = okrctl("history", "sales/grow/rev", "--as-of", "2027-01-20", "--format", "json", cwd=repo / "okrs")
    assert from_top.code == inside.code == 0, from_top.err
    assert json.loads(from_top.out)["changes"] == json.loads(inside.out)["changes"]
    assert [change["score"] for change in json.loads(inside.out)["changes"]] == [0.5, 0.5]


def test_a_file_moved_but_not_committed_keeps_its_history(git_repo: Path) -> None:
    goals = (
        "kind: okrs\nperiod: 2026-Q4\nowner: q\nobjectives:\n  - id: o\n    title: O\n    key_results:\n"
        "      - id: met\n        title: Met\n        start: 0\n        target: 100\n"
    )
    (git_repo / "g.yaml").write_text(goals)
    commit_all(git_repo, "init", "2026-09-30")
    (git_repo / "g.yaml").write_text(goals.replace("target: 100", "target: 80"))
    commit_all(git_repo, "lower", "2026-11-02")
    git("mv", "g.yaml", "goals.yaml", cwd=git_repo)
    result = okrctl("history", "q/o/met", "--as-of", "2026-11-10", "--format", "json", cwd=git_repo)
    assert result.code == 0, result.err
    assert [change["what"] for change in json.loads(result.out)["changes"]] == [["added"], ["target 100 → 80"]]
