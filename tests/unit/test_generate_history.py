"""The benchmark's git history: a real repository whose last commit is the generated tree, made the same way
every time, with exactly the moved targets and the late check-ins it says it has."""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))

from generate import generate  # noqa: E402 - the benchmarks are scripts, not a package
from history import History, generate_history  # noqa: E402

TEAMS = 3


def _git(repo: Path, *args: str) -> str:
    env = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull}  # not the user's config
    return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=True, env=env).stdout


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, History]:
    repo = tmp_path_factory.mktemp("history")
    return repo, generate_history(repo, TEAMS)


def _files(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and ".git" not in p.relative_to(folder).parts
    }


def test_the_work_tree_is_the_generated_tree_and_the_last_commit_holds_it(
    built: tuple[Path, History], tmp_path: Path
) -> None:
    repo, _ = built
    generate(tmp_path, TEAMS)
    assert _files(repo) == _files(tmp_path)
    committed = _git(repo, "ls-tree", "-r", "--name-only", "HEAD").split()
    assert sorted(committed) == sorted(_files(tmp_path))
    assert _git(repo, "status", "--porcelain", "--untracked-files=all") == ""  # every byte as committed


def test_the_tree_without_history_has_the_bytes_it_always_had(tmp_path: Path) -> None:
    """Benchmark figures of different days compare the same tree: its bytes are pinned."""
    generate(tmp_path, TEAMS)
    digest = hashlib.sha256()
    for path, data in _files(tmp_path).items():
        digest.update(path.encode() + b"\0" + data + b"\0")
    assert digest.hexdigest() == "b4730a2f00b8f748abe34a6f4f5ac911e4841124d2ec10b581f1885b29dd0bc4"


def _history_days(repo: Path, team: str) -> set[str]:
    """The days on which a team's files gained a line: check-ins, and measurements of the quarter."""
    days = set(re.findall(r"\{date: (\d{4}-\d\d-\d\d)", (repo / "goals" / f"{team}.yaml").read_text()))
    days |= set(re.findall(r"\{date: (\d{4}-\d\d-\d\d)", (repo / "kpis" / f"{team}.yaml").read_text()))
    return {d for d in days if d >= "2026-10-01"}


def test_one_commit_per_team_and_day_plus_the_planning_the_moves_and_the_late_batch(
    built: tuple[Path, History],
) -> None:
    repo, history = built
    per_team_day = sum(len(_history_days(repo, f"team-{t + 1:04d}")) for t in range(TEAMS))
    expected = 1 + per_team_day + len(history.moved) + 1
    assert history.commits == expected
    assert int(_git(repo, "rev-list", "--count", "HEAD")) == expected
    assert _git(repo, "rev-list", "--max-parents=0", "HEAD").count("\n") == 1  # one line of history


def test_the_moved_targets_are_exactly_what_git_log_G_finds_after_the_first_commit(
    built: tuple[Path, History],
) -> None:
    repo, history = built
    root = _git(repo, "rev-list", "--max-parents=0", "HEAD").strip()
    found = _git(repo, "log", "-G", r"^\s+target:", "--format=%H%x09%an%x09%ad%x09%s", "--date=short").splitlines()
    moves = [line.split("\t") for line in found if not line.startswith(root)]
    assert len(moves) == len(history.moved) >= 1
    for (commit, author, day, subject), reference in zip(moves, reversed(history.moved), strict=True):
        team, kr = reference.split("/", 1)
        assert subject.startswith(f"{team}: lower {kr} target from ")
        assert "2026-10-15" <= day <= "2026-11-13"  # mid-quarter, well after the first week
        team_authors = set(_git(repo, "log", "--format=%an", "--", f"kpis/{team}.yaml").split("\n")) - {""}
        assert author not in team_authors  # not the team's own author: the department's head
        lowered = re.findall(r"^[-+]\s+target: (\S+)$", _git(repo, "show", "--format=", commit), re.M)
        assert len(lowered) == 2 and float(lowered[0]) > float(lowered[1])  # one target, lowered


def test_the_late_check_ins_are_committed_twenty_days_after_their_date(built: tuple[Path, History]) -> None:
    repo, history = built
    team, day = history.backdated
    (line,) = _git(repo, "log", "--format=%H %ad", "--date=short", "--grep=forgotten").splitlines()
    commit, committed = line.split()
    assert (date.fromisoformat(committed) - date.fromisoformat(day)).days == 20
    added = re.findall(r"^\+\s+- \{date: (\S+),", _git(repo, "show", "--format=", commit), re.M)
    assert added and set(added) == {day}
    assert _git(repo, "show", "--name-only", "--format=", commit).split() == [f"goals/{team}.yaml"]


def test_every_commit_adds_only_what_is_dated_its_day(built: tuple[Path, History]) -> None:
    repo, history = built
    log = _git(repo, "log", "--reverse", "-p", "--format=@@commit %ad %s", "--date=short", "--no-renames")
    for chunk in log.split("@@commit ")[2:]:  # after the planning commit
        day, subject = chunk.split(" ", 1)
        added = re.findall(r"^\+\s+- \{date: (\S+),", chunk, re.M)
        removed = [line for line in chunk.splitlines() if line.startswith("-") and not line.startswith("---")]
        removed = [line for line in removed if not line.endswith(("checkins: []", "measurements: []"))]
        if "forgotten" in subject:
            assert set(added) == {history.backdated[1]}
        elif " lower " in subject:
            assert not added and len(removed) == 2  # the title and the target
        else:
            assert added and set(added) == {day} and not removed, subject


def test_two_builds_make_the_same_commits(built: tuple[Path, History], tmp_path: Path) -> None:
    repo, _ = built
    again = generate_history(tmp_path, TEAMS)
    assert _git(tmp_path, "rev-parse", "HEAD") == _git(repo, "rev-parse", "HEAD")
    assert again.moved == built[1].moved and again.backdated == built[1].backdated
    times = [line.split() for line in _git(repo, "log", "--format=%at %ct").splitlines()]
    assert all(authored == committed for authored, committed in times)
    assert [int(t) for t, _ in times] == sorted((int(t) for t, _ in times), reverse=True)  # in order of time
    planned = _git(repo, "log", "--max-parents=0", "--format=%ad", "--date=short").strip()
    assert planned < "2026-10-01" and _git(repo, "log", "-1", "--format=%ad", "--date=short").strip() <= "2026-11-23"


def test_a_folder_that_is_already_a_repository_is_refused(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    with pytest.raises(SystemExit, match="already a git repository"):
        generate_history(tmp_path, 1)
