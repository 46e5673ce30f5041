"""benchmarks/run.py --history: the commits and the pull request it times, and a failed command reported as
FAIL with its exit code and first stderr line instead of a figure."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))

import run  # noqa: E402 - the benchmarks are scripts, not a package
from history import generate_history  # noqa: E402


def _git(repo: Path, *args: str) -> str:
    env = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull}
    return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=True, env=env).stdout


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("history")
    generate_history(folder, 3)
    return folder


def test_the_commit_of_a_day_is_the_last_one_made_that_day(repo: Path) -> None:
    commit = run._commit_of(repo, "2026-11-16")
    assert _git(repo, "log", "-1", "--format=%ad", "--date=short", commit).strip() == "2026-11-16"
    assert _git(repo, "log", "--format=%ad", "--date=short", f"{commit}..main").split()[-1] > "2026-11-16"
    assert run._commit_of(repo, "2026-11-23") == _git(repo, "rev-parse", "main").strip()


def test_the_pull_request_changes_three_files_on_top_of_main_and_leaves_the_work_tree(repo: Path) -> None:
    main = _git(repo, "rev-parse", "main").strip()
    run._pull_request_branch(repo)
    assert _git(repo, "rev-parse", "pr~1").strip() == main
    changed = _git(repo, "diff", "--name-only", "main...pr").split()
    assert changed == ["goals/team-0001.yaml", "goals/team-0003.yaml", "kpis/team-0002.yaml"]
    patch = _git(repo, "diff", "main...pr")
    assert patch.count("\n+          - {date: 2026-11-23") == 1 and patch.count("\n+      - {date: 2026-11-23") == 1
    assert patch.count("\n-        target: ") == patch.count("\n+        target: ") == 1
    assert _git(repo, "rev-parse", "main").strip() == main
    assert _git(repo, "status", "--porcelain") == ""
    assert not (repo / ".git" / "pr-index").exists()


def test_a_failing_command_is_measured_and_says_why(tmp_path: Path) -> None:
    failing = [
        sys.executable,
        "-c",
        "import sys; sys.stderr.write('\\nokrctl: error: no such command\\nmore\\n'); sys.exit(2)",
    ]
    result = run.measure("okrctl diff of a week, cold", failing, tmp_path, 1)
    assert result.failed and result.exit_code == 2
    assert result.error == "okrctl: error: no such command"
    findings = run.measure("okrctl lint with findings", [sys.executable, "-c", "raise SystemExit(1)"], tmp_path, 1)
    assert not findings.failed and findings.error == ""


def test_a_failed_command_makes_its_target_fail_not_pass_or_miss() -> None:
    lint = run.Measure("okrctl lint, cold (no cache)", 4.0, 100, 0)
    score = run.Measure("okrctl score, cold", 5.0, 100, 0)
    figures = {
        "diff_week": run.Measure("okrctl diff of a week, cold", 5.0, 100, 0),
        "diff_pull_request": run.Measure("okrctl diff main...pr (three files), cold", 0.7, 90, 1),
        "lint_history_cold": run.Measure("okrctl lint --history, cold", 0.2, 30, 2, "okrctl: error: no such option"),
        "lint_history_warm": run.Measure("okrctl lint --history, warm", 1.0, 30, 0),
        "score_at": run.Measure("okrctl score --at a month-old commit, cold", 5.5, 100, 0),
        "history_ref": run.Measure("okrctl history REF, cold", 0.2, 30, 0),
    }
    targets = {name: (figure, met) for name, figure, met in run._history_targets(lint, score, figures)}
    assert targets["diff of a week <= 1.5x lint cold"] == ("5.00 s vs 4.00 s = 1.25x", True)
    assert targets["diff of a three-file pull request <= 0.5 s"] == ("0.70 s", False)  # exit 1: findings, timed
    assert targets["lint --history cold <= 3x lint cold"] == (
        "lint --history, cold: exit 2, okrctl: error: no such option",
        None,
    )
    assert targets["lint --history warm <= 2 s"][1] is True
    assert targets["score --at a month-old commit <= 1.2x score cold"] == ("5.50 s vs 5.00 s = 1.10x", True)
    assert targets["history REF <= 0.5 s"][1] is True
