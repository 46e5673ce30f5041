"""`okrctl diff` runs the history rules over its range: the commits from the base to the head, and the
working tree's uncommitted changes when it is the head."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import commit_all, git, okrctl

GOALS = """kind: okrs
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
        checkins:
          - {date: 2026-10-15, value: 500000}
      - id: logos
        title: Win 10 new logos
        start: 0
        target: 10
"""


@pytest.fixture
def repo(git_repo: Path) -> Path:
    (git_repo / "goals").mkdir()
    (git_repo / "goals" / "sales.yaml").write_text(GOALS)
    commit_all(git_repo, "Q4 goals", "2026-09-28")
    return git_repo


def lower_target(repo: Path) -> None:
    path = repo / "goals" / "sales.yaml"
    path.write_text(path.read_text().replace("target: 2000000", "target: 1600000"))


def codes(run_out: str) -> list[tuple[str, str]]:
    return [(f["code"], f["message"]) for f in json.loads(run_out)["findings"]]


def test_a_target_moved_on_a_branch_is_a_finding_of_its_diff(repo: Path) -> None:
    git("checkout", "-q", "-b", "feature", cwd=repo)
    lower_target(repo)
    commit_all(repo, "Lower the target", "2026-11-05", author="Bo")
    result = okrctl("diff", "--as-of", "2026-11-15", "--format", "json", "main...feature", cwd=repo)
    assert result.code == 0, result.err
    [(code, message)] = codes(result.out)
    assert code == "OKR401"
    assert "2,000,000 → 1,600,000" in message.replace("2000000", "2,000,000").replace("1600000", "1,600,000")
    assert "(2026-11-05, Bo)" in message
    assert json.loads(result.out)["findings"][0]["path"] == "goals/sales.yaml"
    unchanged = okrctl("diff", "--as-of", "2026-11-15", "--format", "json", "main", "main", cwd=repo)
    assert codes(unchanged.out) == []


def test_uncommitted_changes_are_judged_when_the_head_is_the_working_tree(repo: Path) -> None:
    lower_target(repo)
    result = okrctl("diff", "--as-of", "2026-11-15", "--format", "json", "HEAD", cwd=repo)
    [(code, message)] = codes(result.out)
    assert code == "OKR401" and "uncommitted changes" in message


def test_a_history_rule_made_an_error_fails_the_diff(repo: Path) -> None:
    (repo / "okrctl.yaml").write_text("lint:\n  severity: {OKR401: error}\n")
    commit_all(repo, "config", "2026-09-29")
    lower_target(repo)
    commit_all(repo, "Lower the target", "2026-11-05")
    result = okrctl("diff", "--as-of", "2026-11-15", "--format", "github", "HEAD~1", "HEAD", cwd=repo)
    assert result.code == 1
    assert "::error file=goals/sales.yaml,line=11" in result.out and "OKR401" in result.out
    ignored = repo / "goals" / "sales.yaml"
    ignored.write_text(ignored.read_text().replace("target: 1600000", "target: 1600000  # okrctl: ignore OKR401"))
    commit_all(repo, "Accepted", "2026-11-06")
    quiet = okrctl("diff", "--as-of", "2026-11-15", "--format", "json", "HEAD~2", "HEAD", cwd=repo)
    assert quiet.code == 0 and codes(quiet.out) == []


def test_changes_show_every_digit_of_their_values(git_repo: Path) -> None:
    (git_repo / "okrctl.yaml").write_text("fiscal_year_start: 1\n")
    threshold = "kind: okrs\nperiod: 2026-Q4\nowner: q\nobjectives:\n  - id: o\n    title: O\n    key_results:\n"
    threshold += "      - id: thr\n        title: Uptime\n        at_least: 99.9\n        checkins:\n"
    threshold += "          - {date: 2026-10-10, value: 99.95}\n"
    (git_repo / "g.yaml").write_text(threshold)
    commit_all(git_repo, "goals", "2026-09-30")
    (git_repo / "g.yaml").write_text(threshold.replace("at_least: 99.9\n", "at_least: 99.949\n"))
    commit_all(git_repo, "raise", "2026-11-01")
    lint = okrctl("lint", "--history", "--as-of", "2026-11-10", "--format", "json", cwd=git_repo)
    [message] = [f["message"] for f in json.loads(lint.out)["findings"] if f["code"] == "OKR401"]
    assert "at_least 99.9 → 99.949" in message
    diff = okrctl("diff", "--as-of", "2026-11-10", "HEAD~1", "HEAD", cwd=git_repo)
    assert "at_least: 99.9 → 99.949" in diff.out
    history = okrctl("history", "q/o/thr", "--as-of", "2026-11-10", "--format", "json", cwd=git_repo)
    assert json.loads(history.out)["changes"][-1]["what"] == ["at_least 99.9 → 99.949"]


def test_the_top_folder_named_as_a_path_and_exclusions_as_revisions(repo: Path) -> None:
    lower_target(repo)
    commit_all(repo, "Lower the target", "2026-11-05")
    for arguments in (["HEAD~1", "."], ["HEAD~1", "HEAD", "--", "."]):
        result = okrctl("diff", "--as-of", "2026-11-15", "--format", "json", *arguments, cwd=repo)
        assert result.code == 0, (arguments, result.err)
        assert [c["ref"] for c in json.loads(result.out)["changes"]] == ["sales/acquire", "sales/acquire/rev"]
        assert [code for code, _ in codes(result.out)] == ["OKR401"]
    for arguments in (["^HEAD"], ["^HEAD~1", "HEAD"]):
        refused = okrctl("diff", *arguments, cwd=repo)
        assert refused.code == 2 and "internal error" not in refused.err, refused.err


def test_a_target_moved_after_the_period_ended_cannot_be_rebaselined(repo: Path) -> None:
    lower_target(repo)
    commit_all(repo, "Lower after Q4", "2027-01-05")
    first = okrctl("lint", "--history", "--as-of", "2027-01-06", "--format", "json", cwd=repo)
    [message] = [m for code, m in codes(first.out) if code == "OKR401"]
    assert "2026-Q4 had ended, so its result stands: restore the target" in message
    assert "rebaselined" not in message
    path = repo / "goals" / "sales.yaml"
    path.write_text(
        path.read_text().replace(
            "        target: 1600000\n",
            "        target: 1600000\n        rebaselined:\n          - {date: 2027-01-05, from: 2000000, reason: late}\n",
        )
    )
    commit_all(repo, "Record it", "2027-01-06")
    again = okrctl("lint", "--history", "--as-of", "2027-01-07", "--format", "json", cwd=repo)
    assert [code for code, _ in codes(again.out) if code == "OKR401"] == ["OKR401"]


def test_an_objective_whose_score_moved_with_its_key_results_is_listed(repo: Path) -> None:
    path = repo / "goals" / "sales.yaml"
    path.write_text(
        path.read_text().replace(
            "      - id: logos\n        title: Win 10 new logos\n        start: 0\n        target: 10\n", ""
        )
    )
    result = okrctl("diff", "--as-of", "2026-11-15", "--format", "json", "HEAD", cwd=repo)
    changes = json.loads(result.out)["changes"]
    assert [(c["ref"], c["status"]) for c in changes] == [
        ("sales/acquire", "changed"),
        ("sales/acquire/logos", "removed"),
    ]
    objective = changes[0]
    assert objective["fields"] == [] and objective["before"]["score"] < objective["after"]["score"]


def test_a_changed_config_is_said_in_every_format(repo: Path) -> None:
    (repo / "okrctl.yaml").write_text("grades: {green: 0.9, yellow: 0.5}\n")
    runs = {
        fmt: okrctl("diff", "--as-of", "2026-11-15", "--format", fmt, "HEAD", cwd=repo)
        for fmt in ("text", "json", "markdown", "github")
    }
    assert json.loads(runs["json"].out)["config_changed"] == "okrctl.yaml"
    for fmt in ("text", "markdown", "github"):
        assert "okrctl.yaml changed: each side is judged with its own" in runs[fmt].out, fmt
    unchanged = okrctl("diff", "--as-of", "2026-11-15", "--format", "json", "HEAD", "HEAD", cwd=repo)
    assert json.loads(unchanged.out)["config_changed"] is None


def test_a_pull_request_that_fixes_a_broken_config_can_be_diffed(repo: Path) -> None:
    (repo / "okrctl.yaml").write_text("grades: [oops\n")
    commit_all(repo, "broken config", "2026-10-02")
    (repo / "okrctl.yaml").write_text("grades: {green: 0.7, yellow: 0.4}\n")
    result = okrctl("diff", "--as-of", "2026-11-15", "--format", "json", "HEAD", cwd=repo)
    assert result.code == 0, result.err
    document = json.loads(result.out)
    assert document["unreadable"] == ["okrctl.yaml"] and document["changes"] == []
    assert document["config_changed"] == "okrctl.yaml"
