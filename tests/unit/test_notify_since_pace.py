"""`okrctl notify --since` follows an objective's pace only from the first day that can hold a new event: on a
real history (the benchmark's quarter, three teams, a commit per changed file per day), the events it keeps are
exactly those of following every objective from its period's start, for baselines early, mid and late in the
quarter, with a back-dated check-in and a new objective added after the baseline."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from okrctl.commands.common import load_root
from okrctl.config import Config
from okrctl.notify import events as events_module
from okrctl.notify.events import Baseline, baseline_at, events_of, refs_of, rows_of, since_filter
from okrctl.project import ObjectiveEntry, Project
from okrctl.revision import load_root_at, open_revision

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))

from history import generate_history  # noqa: E402 - the benchmarks are scripts, not a package

AS_OF = date(2026, 12, 10)
PACE = """\
kind: okrs
period: 2026-Q4
owner: pace
objectives:
  - id: ship
    title: Ship the new onboarding to every customer
    type: committed
    key_results:
      - id: customers
        title: Move customers from 0 to 100
        start: 0
        target: 100
        checkins:
          - {date: 2026-10-05, value: 5}
          - {date: 2026-10-20, value: 20}
          - {date: 2026-11-10, value: 45}
"""
LATER = ["          - {date: 2026-11-24, value: 30}\n", "          - {date: 2026-11-27, value: 75}\n"]
NEW_TEAM = """\
kind: okrs
period: 2026-Q4
owner: newteam
objectives:
  - id: launch
    title: Launch the new team's service
    type: committed
    key_results:
      - id: users
        title: Grow users from 0 to 100
        start: 0
        target: 100
        checkins:
          - {date: 2026-10-05, value: 40}
          - {date: 2026-10-20, value: 41}
"""


def _git(repo: Path, *args: str, day: str = "2026-11-20") -> str:
    stamp = f"{day}T18:00:00+00:00"
    env = {
        **os.environ,
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_AUTHOR_DATE": stamp,
        "GIT_COMMITTER_DATE": stamp,
    }
    command = ["git", "-c", "user.name=Test", "-c", "user.email=test@example.com", *args]
    return subprocess.run(command, cwd=repo, capture_output=True, text=True, check=True, env=env).stdout


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The benchmark's quarter for three teams (its objectives stay on track), then a team whose objective
    falls off track and back, committed on 21, 25 and 28 November; in the work tree, never committed: a
    check-in back-dated to 2 November that drops it off track, and a new team's objective."""
    repo = tmp_path_factory.mktemp("quarter")
    generate_history(repo, 3)
    pace = repo / "goals" / "pace.yaml"
    pace.write_text(PACE)
    for day, rows in (("2026-11-21", []), ("2026-11-25", LATER[:1]), ("2026-11-28", LATER)):
        pace.write_text(PACE + "".join(rows))
        _git(repo, "add", "-A", day=day)
        _git(repo, "commit", "-q", "-m", f"pace on {day}", day=day)
    text = pace.read_text()
    at = text.index("          - {date: 2026-11-10")
    pace.write_text(text[:at] + "          - {date: 2026-11-02, value: 10}\n" + text[at:])
    (repo / "goals" / "newteam.yaml").write_text(NEW_TEAM)
    return repo


def _project(repo: Path) -> tuple[Project, Config]:
    root = load_root([repo], AS_OF, 1, False, with_context=True)
    for file in root.everything:
        file.load_history()
    return Project(root.everything), root.loaded.config


def _baselines(repo: Path) -> list[Baseline]:
    commits = _git(repo, "rev-list", "--reverse", "HEAD").split()
    chosen = [commits[len(commits) // 5], commits[len(commits) // 2], *commits[-3:]]
    return [baseline_at(open_revision(commit, [repo]), [repo], AS_OF) for commit in chosen]


@pytest.mark.parametrize("consecutive, renotify_days", [(1, 0), (2, 7)])
def test_the_events_kept_since_a_baseline_are_those_of_the_whole_walk(
    repo: Path, consecutive: int, renotify_days: int
) -> None:
    project, config = _project(repo)
    everything = events_of(project, config, AS_OF, consecutive=consecutive, renotify_days=renotify_days)
    told: Counter[str] = Counter()
    for baseline in _baselines(repo):
        whole = since_filter(everything, baseline)
        found = events_of(project, config, AS_OF, consecutive=consecutive, renotify_days=renotify_days, since=baseline)
        walked = since_filter(found, baseline)
        assert walked == whole, baseline.commit
        told.update(event.kind for event in whole)
    # the comparison covered pace and band events, not only empty lists
    assert told["off_track"] > 0 and told["enter_red"] > 0 and told["recover"] > 0, told
    # after the last commit: the back-dated check-in's fall (before every baseline's day), and the new team's
    # objective, which no baseline held, falling off track with time
    late = since_filter(everything, _baselines(repo)[-1])
    assert [(e.day.isoformat(), e.ref, e.transition) for e in late if e.kind == "off_track"] == [
        ("2026-11-02", "pace/ship", "at_risk→off_track"),
        ("2026-11-30", "newteam/launch", "at_risk→off_track"),
    ]


def test_a_baseline_late_in_the_quarter_scores_far_fewer_days(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project, config = _project(repo)
    asked: list[tuple[str, date]] = []
    score = events_module._Scores.score

    def counted(self: events_module._Scores, entry: ObjectiveEntry, day: date) -> float:
        asked.append((entry.ref, day))
        return score(self, entry, day)

    monkeypatch.setattr(events_module._Scores, "score", counted)
    events_of(project, config, AS_OF)
    whole = len(asked)
    asked.clear()
    events_of(project, config, AS_OF, since=_baselines(repo)[-2])
    assert 0 < len(asked) < whole / 3
    # from the back-dated check-in's eve at the earliest; the objective added since, from its period's start
    assert min(day for ref, day in asked if ref != "newteam/launch") == date(2026, 11, 1)
    assert min(day for ref, day in asked if ref == "newteam/launch") == date(2026, 10, 1)


def test_a_baseline_takes_unchanged_files_from_the_work_tree_and_reads_the_rest_from_git(repo: Path) -> None:
    root = load_root([repo], AS_OF, 1, False, with_context=True)
    for file in root.everything:
        file.load_history()
    commits = _git(repo, "rev-list", "--reverse", "HEAD").split()
    for commit in [commits[len(commits) // 2], *commits[-3:]]:
        revision = open_revision(commit, [repo])
        at_revision = load_root_at(revision, [repo], AS_OF, 1, with_context=True)  # the revision's files, all parsed
        for file in at_revision.everything:
            file.load_history()
        project = Project(at_revision.everything)
        reusing = baseline_at(revision, [repo], AS_OF, current=root.everything)
        by_blob = baseline_at(revision, [repo], AS_OF)
        assert (reusing.rows, reusing.refs) == (by_blob.rows, by_blob.refs) == (rows_of(project), refs_of(project))
    # the last commit differs from the work tree in pace.yaml (a back-dated check-in) and newteam.yaml (new)
    last = baseline_at(open_revision(commits[-1], [repo]), [repo], AS_OF, current=root.everything)
    assert ("pace/ship/customers", date(2026, 11, 2), 10) not in last.rows
    assert ("pace/ship/customers", date(2026, 11, 27), 75) in last.rows
    assert "newteam/launch" not in last.refs
