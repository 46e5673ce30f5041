"""Reading the goals' history from git (okrctl/git.py, okrctl/history.py): real repositories made with git."""

from __future__ import annotations

import os
import subprocess
from datetime import date
from pathlib import Path

import pytest
from conftest import commit_all, git

from okrctl.config import Config
from okrctl.git import GitError, Repository
from okrctl.history import History, VersionItems, read_history
from okrctl.revision import judged_by

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
          - {date: 2026-10-02, value: 100000}
      - id: deals
        title: Close 20 deals
        start: 0
        target: 20
        checkins:
          - date: 2026-10-02
            value: 1
"""


def history(repo: Path, complete: bool = False, **options: object) -> History:
    repository = Repository.containing(repo)
    return read_history(repository, ["HEAD"], [], judged_by("", Config()), Config(), complete=complete, **options)  # type: ignore[arg-type]


def edit(repo: Path, old: str, new: str, name: str = "goals/sales.yaml") -> None:
    path = repo / name
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def described(found: History) -> list[tuple[str, str, list[str]]]:
    return [
        (step.commit.subject, change.ref, [f"{f.name} {f.old}->{f.new}" for f in change.fields])
        for step in found.steps
        for change in step.changes
        if change.status == "changed"
    ]


@pytest.fixture
def sales_repo(git_repo: Path) -> Path:
    (git_repo / "goals").mkdir()
    (git_repo / "goals" / "sales.yaml").write_text(GOALS)
    commit_all(git_repo, "Q4 goals", "2026-09-28")
    return git_repo


def append_checkin(repo: Path, day: str, value: int) -> None:
    edit(
        repo,
        "          - {date: 2026-10-02, value: 100000}\n",
        f"          - {{date: 2026-10-02, value: 100000}}\n          - {{date: {day}, value: {value}}}\n",
    )


def test_a_moved_target_is_found_and_daily_checkins_are_not_compared(sales_repo: Path) -> None:
    for day, value in (("2026-10-10", 200000), ("2026-10-20", 300000)):
        append_checkin(sales_repo, day, value)
        commit_all(sales_repo, f"check-in {day}", day)
    edit(sales_repo, "target: 2000000", "target: 1600000")
    commit_all(sales_repo, "Lower the revenue target", "2026-11-05", author="Bo")

    found = history(sales_repo)
    assert [step.commit.subject for step in found.steps] == ["Q4 goals", "Lower the revenue target"]
    [(commit, change)] = [(c, ch) for c, ch in found.of("sales/acquire/rev") if ch.status == "changed"]
    assert (commit.author, commit.date, commit.short) == ("Bo", date(2026, 11, 5), commit.id[:7])
    assert [(f.name, f.old, f.new) for f in change.fields] == [("target", 2000000, 1600000)]

    every = history(sales_repo, complete=True)  # every change: the check-ins too
    assert [s.commit.subject for s in every.steps] == [
        "Q4 goals",
        "check-in 2026-10-10",
        "check-in 2026-10-20",
        "Lower the revenue target",
    ]


def test_a_first_checkin_replacing_an_empty_list_is_not_compared(sales_repo: Path) -> None:
    edit(
        sales_repo, "        checkins:\n          - date: 2026-10-02\n            value: 1\n", "        checkins: []\n"
    )
    commit_all(sales_repo, "no deals yet", "2026-09-29")
    edit(sales_repo, "        checkins: []\n", "        checkins:\n          - {date: 2026-10-03, value: 1}\n")
    commit_all(sales_repo, "first deal", "2026-10-03")
    assert [step.commit.subject for step in history(sales_repo).steps] == ["Q4 goals", "no deals yet"]


def test_backdated_and_rewritten_values_pass_the_sieve(sales_repo: Path) -> None:
    append_checkin(sales_repo, "2026-10-01", 150000)  # committed 30 days after its date
    commit_all(sales_repo, "late check-in", "2026-10-31")
    edit(sales_repo, "{date: 2026-10-02, value: 100000}", "{date: 2026-10-02, value: 120000}")
    commit_all(sales_repo, "rewrite", "2026-11-02")
    edit(sales_repo, "            value: 1\n", "            value: 2\n")  # block style: compared whatever it is
    commit_all(sales_repo, "block rewrite", "2026-11-03")
    edit(sales_repo, "{date: 2026-10-02, value: 120000}", "{date: 2026-10-02, value: 120000, note: signed}")
    commit_all(sales_repo, "a note", "2026-11-04")

    found = history(sales_repo)
    subjects = [step.commit.subject for step in found.steps]
    assert subjects == ["Q4 goals", "late check-in", "rewrite", "block rewrite"]
    late = next(ch for c, ch in found.of("sales/acquire/rev") if c.subject == "late check-in")
    assert [(d.date, d.value) for d in late.added] == [(date(2026, 10, 1), 150000)]
    rewrite = next(ch for c, ch in found.of("sales/acquire/rev") if c.subject == "rewrite")
    assert [(r.date, r.old, r.new) for r in rewrite.rewritten()] == [(date(2026, 10, 2), 100000, 120000)]
    block = next(ch for c, ch in found.of("sales/acquire/deals") if c.subject == "block rewrite")
    assert [(r.old, r.new) for r in block.rewritten()] == [(1, 2)]


def test_a_renamed_file_and_goals_moved_between_files_are_no_change(sales_repo: Path) -> None:
    git("mv", "goals/sales.yaml", "goals/team-sales.yaml", cwd=sales_repo)
    commit_all(sales_repo, "rename", "2026-10-05")
    found = history(sales_repo)
    assert [step.commit.subject for step in found.steps] == ["Q4 goals"]


def test_a_version_that_does_not_validate_is_not_compared(sales_repo: Path) -> None:
    edit(sales_repo, "target: 2000000", "target: [oops")
    commit_all(sales_repo, "broken", "2026-10-05")
    edit(sales_repo, "target: [oops", "target: 2000000")
    commit_all(sales_repo, "fixed", "2026-10-06")
    assert [step.commit.subject for step in history(sales_repo).steps] == ["Q4 goals"]


def test_commits_since_a_day_and_parsed_versions_kept_by_blob_id(sales_repo: Path) -> None:
    edit(sales_repo, "target: 2000000", "target: 1600000")
    commit_all(sales_repo, "move", "2026-11-05")
    repository = Repository.containing(sales_repo)
    versions = VersionItems(repository, Config(), sales_repo)
    found = read_history(
        repository, ["HEAD"], [], judged_by("", Config()), Config(), since=date(2026, 10, 1), versions=versions
    )
    assert [step.commit.subject for step in found.steps] == ["move"]
    assert list(sales_repo.glob(".okrctl-cache/v*/*.versions"))
    again = VersionItems(repository, Config(), sales_repo)
    assert again.cache is not None
    known, items = again.cache.get_items(next(iter(versions.known)))
    assert known and items is not None and items[0].ref == "sales/acquire"


def test_merges_are_left_out_and_the_branch_commit_is_named(sales_repo: Path) -> None:
    git("checkout", "-q", "-b", "feature", cwd=sales_repo)
    edit(sales_repo, "target: 20\n", "target: 15\n")
    commit_all(sales_repo, "fewer deals", "2026-10-20", author="Cy")
    git("checkout", "-q", "main", cwd=sales_repo)
    (sales_repo / "README.md").write_text("readme\n")
    commit_all(sales_repo, "readme", "2026-10-21")
    subprocess.run(
        ["git", "merge", "-q", "--no-ff", "-m", "Merge feature", "feature"],
        cwd=sales_repo,
        check=True,
        capture_output=True,
        env={
            "GIT_AUTHOR_DATE": "2026-10-22T12:00:00Z",
            "GIT_COMMITTER_DATE": "2026-10-22T12:00:00Z",
            "PATH": "/usr/bin:/bin",
            "HOME": str(sales_repo),
        },
    )
    found = history(sales_repo)
    assert described(found) == [("fewer deals", "sales/acquire/deals", ["target 20->15"])]


def test_shallow_clones_and_folders_outside_git_are_refused(sales_repo: Path, tmp_path: Path) -> None:
    append_checkin(sales_repo, "2026-10-10", 200000)
    commit_all(sales_repo, "more", "2026-10-10")
    shallow = tmp_path / "shallow"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", f"file://{sales_repo}", str(shallow)], check=True, capture_output=True
    )
    with pytest.raises(GitError, match=r"shallow clone.*fetch-depth: 0"):
        history(shallow)
    outside = tmp_path / "plain"
    outside.mkdir()
    with pytest.raises(GitError, match="not in a git repository"):
        Repository.containing(outside)


def test_a_long_history_read_in_parts_is_the_same_history(sales_repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for day, value in (("2026-10-10", 200000), ("2026-10-11", 210000), ("2026-10-12", 220000)):
        append_checkin(sales_repo, day, value)
        commit_all(sales_repo, f"check-in {day}", day)
    edit(sales_repo, "target: 20\n", "target: 15\n")
    commit_all(sales_repo, "fewer deals", "2026-10-20")
    whole = history(sales_repo, complete=True)
    import okrctl.history
    import okrctl.pipeline

    monkeypatch.setattr(okrctl.history, "_SPLIT_FROM", 2)
    monkeypatch.setattr(okrctl.pipeline, "default_jobs", lambda: 2)
    parts = okrctl.history._parts(Repository.containing(sales_repo), ["HEAD"], None)
    assert len(parts) == 2
    split = history(sales_repo, complete=True)
    assert [s.commit for s in split.steps] == [s.commit for s in whole.steps]
    assert [s.changes for s in split.steps] == [s.changes for s in whole.steps]


@pytest.mark.parametrize("name", ["my goals.yaml", 'we\tird"q.yaml', "équipe.yaml", "a\\b.yaml"])
def test_file_names_as_git_prints_them_in_diffs(git_repo: Path, name: str) -> None:
    (git_repo / name).write_text(GOALS)
    commit_all(git_repo, "goals", "2026-09-28")
    edit(git_repo, "target: 2000000", "target: 1600000", name=name)
    commit_all(git_repo, "move", "2026-11-05")
    found = history(git_repo)
    assert [(c.subject, ch.item.path) for c, ch in found.of("sales/acquire/rev")] == [("goals", name), ("move", name)]


def test_a_change_made_while_merging_is_the_merge_commits_own(sales_repo: Path) -> None:
    git("checkout", "-q", "-b", "side", cwd=sales_repo)
    edit(sales_repo, "target: 20\n", "target: 15\n")  # the branch's own change
    commit_all(sales_repo, "fewer deals", "2026-10-20", author="Cy")
    git("checkout", "-q", "main", cwd=sales_repo)
    (sales_repo / "README.md").write_text("readme\n")
    commit_all(sales_repo, "readme", "2026-10-21")
    when = {"GIT_AUTHOR_DATE": "2026-10-22T12:00:00Z", "GIT_COMMITTER_DATE": "2026-10-22T12:00:00Z"}
    subprocess.run(
        ["git", "merge", "-q", "--no-ff", "--no-commit", "side"],
        cwd=sales_repo,
        check=True,
        capture_output=True,
        env={**os.environ, **when},
    )
    edit(sales_repo, "target: 2000000", "target: 1500000")  # made while merging: in neither parent
    subprocess.run(
        ["git", "commit", "-qam", "Merge side"],
        cwd=sales_repo,
        check=True,
        capture_output=True,
        env={**os.environ, **when, "GIT_AUTHOR_NAME": "Mo", "GIT_COMMITTER_NAME": "Mo"},
    )
    found = history(sales_repo)
    assert described(found) == [
        ("fewer deals", "sales/acquire/deals", ["target 20->15"]),
        ("Merge side", "sales/acquire/rev", ["target 2000000->1500000"]),
    ]
