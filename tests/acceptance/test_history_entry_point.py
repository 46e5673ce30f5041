"""`okrctl history` through the installed console script: a real repository, git run by okrctl's own processes."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import commit_all, run_okrctl

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
          - {date: 2026-10-02, value: 500000}
"""


def test_history_of_a_lowered_target_through_the_console_script(git_repo: Path) -> None:
    (git_repo / "okrctl.yaml").write_text("")
    (git_repo / "goals").mkdir()
    path = git_repo / "goals" / "sales.yaml"
    path.write_text(GOALS)
    commit_all(git_repo, "Q4 goals", "2026-10-03", "Ann")
    path.write_text(GOALS.replace("target: 2000000", "target: 1000000"))
    lowered = commit_all(git_repo, "Lower the target", "2026-11-02", "Bob")
    text = run_okrctl("history", "sales/acquire/rev", "--as-of", "2026-11-27", cwd=git_repo / "goals")
    assert (text.code, text.err) == (0, "")
    assert f"2026-11-02  {lowered[:7]}  Bob     500,000  1,000,000   0.50  target 2,000,000 → 1,000,000" in text.out
    document = json.loads(
        run_okrctl("history", "sales/acquire/rev", "--format", "json", "--as-of", "2026-11-27", cwd=git_repo).out
    )
    assert [(c["author"], c["score"]) for c in document["changes"]] == [("Ann", 0.25), ("Bob", 0.5)]


def test_history_outside_a_repository_exits_2(tmp_path: Path) -> None:
    (tmp_path / "sales.yaml").write_text(GOALS)
    result = run_okrctl("history", "sales/acquire/rev", cwd=tmp_path)
    assert (result.code, result.out) == (2, "")
    assert result.err.startswith("okrctl: error: ") and "not in a git repository" in result.err


def test_history_without_git_installed_exits_2(git_repo: Path, tmp_path: Path) -> None:
    (git_repo / "sales.yaml").write_text(GOALS)
    commit_all(git_repo, "Q4 goals", "2026-10-03")
    result = run_okrctl("history", "sales/acquire/rev", cwd=git_repo, env={"PATH": str(tmp_path / "no-programs")})
    assert (result.code, result.out) == (2, "")
    assert result.err == (
        "okrctl: error: git is not installed: this command reads goals from git history (install git)\n"
    )
