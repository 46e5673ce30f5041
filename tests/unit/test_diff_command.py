"""`okrctl diff`: the goals' changes between two revisions, in real git repositories made with the git CLI."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from conftest import okrctl

from okrctl.findings import Finding

GOLDEN = Path(__file__).parent.parent / "golden"
AS_OF = "2026-11-15"

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
        checkins:
          - {date: 2026-10-15, value: 500000}
          - {date: 2026-10-31, value: 600000}
      - id: logos
        title: Win 10 new logos
        start: 0
        target: 10
        checkins:
          - {date: 2026-10-31, value: 4}
"""
SUPPORT = """kind: kpis
owner: support
kpis:
  - id: csat
    title: CSAT
    green: {min: 4.6}
    amber: {min: 4.3}
    measurements:
      - {date: 2026-11-02, value: 4.5}
  - id: tickets
    title: Open tickets
    green: {max: 50}
    measurements:
      - {date: 2026-11-02, value: 40}
"""


def git(repo: Path, *args: str, day: str = "2026-10-01") -> str:
    """Run git in `repo` with a fixed identity and date: commit ids are the same on every run."""
    stamp = f"{day}T10:00:00Z"
    environment = {
        **os.environ,
        "GIT_AUTHOR_NAME": "Dev",
        "GIT_AUTHOR_EMAIL": "dev@example.com",
        "GIT_COMMITTER_NAME": "Dev",
        "GIT_COMMITTER_EMAIL": "dev@example.com",
        "GIT_AUTHOR_DATE": stamp,
        "GIT_COMMITTER_DATE": stamp,
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    done = subprocess.run(["git", *args], cwd=repo, env=environment, capture_output=True, text=True, check=True)
    return done.stdout.strip()


def commit_all(repo: Path, message: str, day: str) -> None:
    git(repo, "add", "-A", day=day)
    git(repo, "commit", "-qm", message, day=day)


def write(repo: Path, name: str, text: str) -> None:
    path = repo / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A goals tree committed on `main` on 2026-10-01 (okrctl.yaml at the top, goals in goals/)."""
    folder = tmp_path / "repo"
    folder.mkdir()
    git(folder, "init", "-q", "-b", "main")
    write(folder, "okrctl.yaml", "stale_grace_days: 7\n")
    write(folder, "goals/sales.yaml", SALES)
    write(folder, "goals/support.yaml", SUPPORT)
    commit_all(folder, "Goals for Q4", "2026-10-01")
    return folder


def edit(repo: Path, name: str, *replacements: tuple[str, str]) -> None:
    path = repo / name
    text = path.read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")


def every_kind_of_change(repo: Path) -> None:
    """On a branch `feature`: a moved target with a new and a rewritten check-in, a removed key result, a new
    objective, a renamed objective, a moved KPI band with a new measurement, a removed and an added KPI."""
    git(repo, "checkout", "-qb", "feature")
    edit(
        repo,
        "goals/sales.yaml",
        ("title: Drive acquisition", "title: Drive new customer acquisition"),
        ("target: 2000000", "target: 1600000"),
        (
            "          - {date: 2026-10-31, value: 600000}\n",
            "          - {date: 2026-10-31, value: 650000}\n          - {date: 2026-11-10, value: 900000}\n",
        ),
        (
            "      - id: logos\n        title: Win 10 new logos\n        start: 0\n        target: 10\n"
            "        checkins:\n          - {date: 2026-10-31, value: 4}\n",
            "",
        ),
    )
    with (repo / "goals/sales.yaml").open("a", encoding="utf-8") as file:
        file.write(
            "  - id: expand\n    title: Grow existing accounts\n    key_results:\n      - id: upsell\n"
            "        title: Upsell 20 accounts\n        start: 0\n        target: 20\n        checkins:\n"
            "          - {date: 2026-11-05, value: 5}\n"
        )
    edit(
        repo,
        "goals/support.yaml",
        ("green: {min: 4.6}", "green: {min: 4.4}"),
        (
            "      - {date: 2026-11-02, value: 4.5}\n",
            "      - {date: 2026-11-02, value: 4.5}\n      - {date: 2026-11-09, value: 4.45}\n",
        ),
        (
            "  - id: tickets\n    title: Open tickets\n    green: {max: 50}\n    measurements:\n"
            "      - {date: 2026-11-02, value: 40}\n",
            "  - id: nps\n    title: Net promoter score\n    green: {min: 40}\n    amber: {min: 20}\n"
            "    measurements:\n      - {date: 2026-11-03, value: 35}\n",
        ),
    )
    commit_all(repo, "Rework Q4 goals", "2026-11-12")


def diff_json(repo: Path, *args: str, cwd: Path | None = None) -> dict[str, Any]:
    run = okrctl("diff", "--as-of", AS_OF, "--format", "json", *args, cwd=cwd or repo)
    assert (run.code, run.err) == (0, ""), run.err
    document: dict[str, Any] = json.loads(run.out)
    return document


def by_ref(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {change["ref"]: change for change in document["changes"]}


# -- what changed --------------------------------------------------------------------------------------


def test_objectives_key_results_and_kpis_added_removed_and_changed(repo: Path) -> None:
    every_kind_of_change(repo)
    document = diff_json(repo, "main", "feature")
    assert {ref: (c["kind"], c["status"]) for ref, c in by_ref(document).items()} == {
        "sales/acquire": ("objective", "changed"),
        "sales/acquire/rev": ("key_result", "changed"),
        "sales/expand": ("objective", "added"),
        "sales/expand/upsell": ("key_result", "added"),
        "sales/acquire/logos": ("key_result", "removed"),
        "support/csat": ("kpi", "changed"),
        "support/nps": ("kpi", "added"),
        "support/tickets": ("kpi", "removed"),
    }
    changes = by_ref(document)
    assert changes["sales/acquire"]["fields"] == [
        {"name": "title", "old": "Drive acquisition", "new": "Drive new customer acquisition"}
    ]
    assert changes["support/csat"]["fields"] == [
        {"name": "green", "old": {"min": 4.6, "max": None}, "new": {"min": 4.4, "max": None}}
    ]
    assert changes["sales/acquire/logos"]["before"] == {
        "score": 0.4,
        "grade": "yellow",
        "status": "on_track",
        "band": None,
    }
    assert changes["sales/acquire/logos"]["after"] is None
    assert changes["sales/expand/upsell"]["before"] is None
    assert changes["sales/expand/upsell"]["values"]["added"] == [{"date": "2026-11-05", "value": 5}]
    assert (changes["support/nps"]["after"]["band"], changes["support/tickets"]["before"]["band"]) == ("amber", "green")
    assert (document["base"]["rev"], document["head"]["rev"], document["as_of"]) == ("main", "feature", AS_OF)
    assert document["base"]["date"] == "2026-10-01" and len(document["head"]["commit"]) == 40


def test_a_moved_target_with_its_score_grade_pace_and_band_before_and_after(repo: Path) -> None:
    every_kind_of_change(repo)
    changes = by_ref(diff_json(repo, "main", "feature"))
    revenue = changes["sales/acquire/rev"]
    assert revenue["fields"] == [{"name": "target", "old": 2000000, "new": 1600000}]
    assert revenue["before"] == {"score": 0.3, "grade": "red", "status": "on_track", "band": None}
    assert revenue["after"] == {"score": 0.5625, "grade": "yellow", "status": "on_track", "band": None}
    assert (revenue["path"], revenue["line"]) == ("goals/sales.yaml", 11)  # the target's line
    csat = changes["support/csat"]
    assert (csat["before"]["band"], csat["after"]["band"]) == ("amber", "green")  # same values, lower band


def test_new_rewritten_and_removed_checkins_and_measurements(repo: Path) -> None:
    every_kind_of_change(repo)
    edit(repo, "goals/sales.yaml", ("          - {date: 2026-10-15, value: 500000}\n", ""))
    changes = by_ref(diff_json(repo, "main"))  # the working tree as HEAD
    assert changes["sales/acquire/rev"]["values"] == {
        "added": [{"date": "2026-11-10", "value": 900000}],
        "rewritten": [{"date": "2026-10-31", "old": 600000, "new": 650000}],
        "removed": [{"date": "2026-10-15", "value": 500000}],
    }
    assert changes["support/csat"]["values"]["added"] == [{"date": "2026-11-09", "value": 4.45}]
    text = okrctl("diff", "main", "--as-of", AS_OF, cwd=repo).out
    assert "    new check-in 2026-11-10: 900,000\n" in text
    assert "    check-in 2026-10-31 rewritten: 600,000 → 650,000\n" in text
    assert "    check-in 2026-10-15 removed: 500,000\n" in text
    assert "    new measurement 2026-11-09: 4.45\n" in text


def test_a_renamed_file_and_goals_moved_between_files_are_no_change(repo: Path) -> None:
    git(repo, "mv", "goals/sales.yaml", "goals/sales-q4.yaml")
    git(repo, "mv", "goals/support.yaml", "kpis.yaml")
    commit_all(repo, "Move files", "2026-10-02")
    run = okrctl("diff", "main~1", "main", "--as-of", AS_OF, cwd=repo)
    assert (run.code, run.err) == (0, "")
    assert run.out.endswith("No goal changes.\n")
    assert diff_json(repo, "HEAD~1", "HEAD")["changes"] == []


def test_identical_sides_say_no_goal_changes_in_every_format(repo: Path) -> None:
    texts = {fmt: okrctl("diff", "HEAD", "--as-of", AS_OF, "--format", fmt, cwd=repo) for fmt in ("text", "markdown")}
    assert all(run.code == 0 for run in texts.values())
    assert texts["text"].out == "Goal changes from HEAD (" + git(repo, "rev-parse", "--short", "HEAD") + (
        ") to the working tree, as of 2026-11-15\nNo goal changes.\n"
    )
    assert texts["markdown"].out == "## Goal changes\n\nNo goal changes.\n\n<!-- okrctl-diff -->\n"
    github = okrctl("diff", "HEAD", "--as-of", AS_OF, "--format", "github", cwd=repo)
    assert (github.code, github.out) == (0, "okrctl: No goal changes.\n")


# -- which revisions --------------------------------------------------------------------------------------


@pytest.fixture
def branched(repo: Path) -> Path:
    """`feature` branched from the first commit; `main` then moved on (a new KPI) after the branch point."""
    every_kind_of_change(repo)
    git(repo, "checkout", "-q", "main")
    with (repo / "goals/support.yaml").open("a", encoding="utf-8") as file:
        file.write("  - id: backlog\n    title: Backlog age\n    green: {max: 5}\n")
    commit_all(repo, "Main moves on", "2026-11-13")
    git(repo, "checkout", "-q", "feature")
    return repo


def test_two_dots_compare_the_tips_three_dots_the_merge_base(branched: Path) -> None:
    two = by_ref(diff_json(branched, "main..feature"))
    assert two["support/backlog"]["status"] == "removed"  # main has it, feature never had it
    three = diff_json(branched, "main...feature")
    assert "support/backlog" not in by_ref(three)
    assert three["base"]["commit"] == git(branched, "merge-base", "main", "feature")
    assert three["base"]["rev"] == "merge-base(main, feature)"
    assert set(by_ref(three)) == set(by_ref(diff_json(branched, "main~1", "feature")))


def test_no_revision_compares_the_merge_base_with_main_and_the_working_tree(branched: Path) -> None:
    edit(branched, "goals/sales.yaml", ("target: 20\n", "target: 25\n"))  # not committed
    document = diff_json(branched)
    assert document["base"]["commit"] == git(branched, "merge-base", "main", "HEAD")
    assert document["head"] == "working tree"
    changes = by_ref(document)
    assert "support/backlog" not in changes  # the merge base, not main's tip
    assert changes["sales/expand/upsell"]["status"] == "added"
    assert changes["sales/expand/upsell"]["fields"] == []
    one = by_ref(diff_json(branched, "feature"))  # one revision: it and the working tree
    assert list(one) == ["sales/expand", "sales/expand/upsell"]  # the objective, as its key result moved it
    assert one["sales/expand"]["fields"] == [] and one["sales/expand"]["before"] != one["sales/expand"]["after"]
    assert one["sales/expand/upsell"]["fields"] == [{"name": "target", "old": 20, "new": 25}]


def test_paths_after_a_double_dash_or_existing_ones_narrow_the_comparison(repo: Path) -> None:
    every_kind_of_change(repo)
    after_dashes = by_ref(diff_json(repo, "main", "feature", "--", "goals/support.yaml"))
    assert set(after_dashes) == {"support/csat", "support/nps", "support/tickets"}
    existing = by_ref(diff_json(repo, "main", "goals/support.yaml"))
    assert set(existing) == set(after_dashes)
    assert set(by_ref(diff_json(repo / "goals", "main", "--", "sales.yaml"))) == {
        "sales/acquire",
        "sales/acquire/rev",
        "sales/expand",
        "sales/expand/upsell",
        "sales/acquire/logos",
    }


def test_a_file_only_on_one_side_is_all_added_or_all_removed(repo: Path) -> None:
    write(repo, "goals/new.yaml", SUPPORT.replace("owner: support", "owner: ops"))
    added = by_ref(diff_json(repo, "main", "--", "goals/new.yaml"))
    assert {ref: c["status"] for ref, c in added.items()} == {"ops/csat": "added", "ops/tickets": "added"}
    (repo / "goals/support.yaml").unlink()
    removed = by_ref(diff_json(repo, "main", "--", "goals/support.yaml"))
    assert {c["status"] for c in removed.values()} == {"removed"}


def test_from_a_goals_folder_with_its_own_config_below_the_top(tmp_path: Path) -> None:
    """From the repository's top, whose folder has no okrctl.yaml, the goals root below it is compared."""
    folder = tmp_path / "project"
    folder.mkdir()
    git(folder, "init", "-q", "-b", "main")
    write(folder, "goals/okrctl.yaml", "{}\n")
    write(folder, "goals/sales.yaml", SALES)
    commit_all(folder, "Goals", "2026-10-01")
    edit(folder, "goals/sales.yaml", ("target: 10\n", "target: 12\n"))
    changes = by_ref(diff_json(folder, "HEAD"))
    assert list(changes) == ["sales/acquire", "sales/acquire/logos"]
    assert changes["sales/acquire/logos"]["path"] == "goals/sales.yaml"


# -- formats ------------------------------------------------------------------------------------------


GOLDENS = [("diff.txt", "text"), ("diff.json", "json"), ("diff.md", "markdown"), ("diff-github.txt", "github")]


@pytest.mark.parametrize(("name", "output_format"), GOLDENS, ids=[g[0] for g in GOLDENS])
def test_golden_diff_reports(name: str, output_format: str, repo: Path, request: pytest.FixtureRequest) -> None:
    every_kind_of_change(repo)
    run = okrctl(
        "diff", "main", "feature", "--as-of", AS_OF, "--format", output_format, cwd=repo, env={"COLUMNS": "80"}
    )
    assert (run.code, run.err) == (0, "")
    assert "\x1b[" not in run.out
    golden = GOLDEN / name
    if request.config.getoption("--update-golden"):
        golden.write_text(run.out, encoding="utf-8")
    assert run.out == golden.read_text(encoding="utf-8"), f"run pytest --update-golden after checking {name}"


def test_text_in_colour_on_request(repo: Path) -> None:
    every_kind_of_change(repo)
    plain = okrctl("diff", "main", "feature", "--as-of", AS_OF, cwd=repo).out
    coloured = okrctl("diff", "main", "feature", "--as-of", AS_OF, "--color", "always", cwd=repo).out
    assert "\x1b[" in coloured and "\x1b[" not in plain


HOSTILE = "<img src=x onerror=alert(1)> | *bold* [link](http://x) %0A\n::error::forged `code`"


def test_hostile_titles_are_escaped_in_markdown_and_github(repo: Path) -> None:
    edit(repo, "goals/sales.yaml", ("title: Revenue to 2M", f"title: {json.dumps(HOSTILE)}"))
    markdown = okrctl("diff", "HEAD", "--as-of", AS_OF, "--format", "markdown", cwd=repo)
    assert markdown.code == 0
    row = next(line for line in markdown.out.splitlines() if line.startswith("| **acquire/rev**"))
    assert "<img" not in row and "&lt;img src=x onerror=alert(1)&gt;" in row
    assert r"\| \*bold\* \[link\](http://x)" in row and r"\`code\`" in row
    assert row.count(" | ") == 4  # five cells: the title's `|` ends none of them
    assert not any(line.lstrip().startswith("::") for line in markdown.out.splitlines())
    assert markdown.out.endswith("<!-- okrctl-diff -->\n")
    github = okrctl("diff", "HEAD", "--as-of", AS_OF, "--format", "github", cwd=repo)
    [annotation] = [line for line in github.out.splitlines() if line.startswith("::notice")]
    assert annotation.startswith(
        "::notice file=goals/sales.yaml,line=9,title=key result changed%3A sales/acquire/rev::"
    )
    assert "%250A" in annotation and "::error::" in annotation.split("::", 2)[2]  # data, on the one line
    assert len(github.out.splitlines()) == 2


def test_github_annotations_name_repository_paths_from_any_folder(repo: Path) -> None:
    every_kind_of_change(repo)
    run = okrctl("diff", "main", "feature", "--as-of", AS_OF, "--format", "github", cwd=repo / "goals")
    files = {line.split("file=", 1)[1].split(",", 1)[0] for line in run.out.splitlines() if "file=" in line}
    assert files == {"goals/sales.yaml", "goals/support.yaml"}
    assert "@" not in run.out.split("okrctl:", 1)[0]
    assert sum(line.startswith("::notice title=") for line in run.out.splitlines()) == 2  # removed: no line


def test_a_goal_file_that_cannot_be_read_is_not_compared(repo: Path) -> None:
    write(repo, "goals/support.yaml", "kind: kpis\nowner: support\nkpis: [\n")
    run = okrctl("diff", "HEAD", "--as-of", AS_OF, cwd=repo)
    assert run.code == 0
    assert "goals/support.yaml: not compared, it cannot be read on one side (see okrctl lint)" in run.out
    assert "removed" not in run.out
    assert diff_json(repo, "HEAD")["unreadable"] == ["goals/support.yaml"]


# -- goal-post findings ---------------------------------------------------------------------------------

FINDINGS = [
    Finding("goals/sales.yaml", 11, 9, "OKR401", "target-moved", "error", "target 2,000,000 → 1,600,000 <b>|"),
    Finding("goals/support.yaml", 6, 5, "OKR405", "band-moved", "warning", "green 4.6 → 4.4"),
]


@pytest.mark.parametrize(("findings", "code"), [(FINDINGS, 1), (FINDINGS[1:], 0)], ids=["error", "warning"])
def test_findings_print_in_every_format_and_an_error_exits_1(
    findings: list[Finding], code: int, repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("okrctl.commands.diff.history_findings", lambda *arguments: findings)
    runs = {
        fmt: okrctl("diff", "HEAD", "--as-of", AS_OF, "--format", fmt, cwd=repo)
        for fmt in ("text", "json", "markdown", "github")
    }
    assert {fmt: run.code for fmt, run in runs.items()} == dict.fromkeys(runs, code)
    assert "goals/support.yaml:6:5 OKR405 warning green 4.6 → 4.4 (band-moved)" in runs["text"].out
    assert json.loads(runs["json"].out)["findings"][-1] == {
        "path": "goals/support.yaml",
        "line": 6,
        "column": 5,
        "code": "OKR405",
        "name": "band-moved",
        "severity": "warning",
        "message": "green 4.6 → 4.4",
    }
    assert "### Goal-post findings\n\n" in runs["markdown"].out
    assert "- ⚠️ **OKR405** band-moved · goals/support.yaml:6: green 4.6 → 4.4\n" in runs["markdown"].out
    assert "::warning file=goals/support.yaml,line=6,col=5,title=OKR405 band-moved::green 4.6 → 4.4\n" in (
        runs["github"].out
    )
    if code:
        assert "&lt;b&gt;\\|" in runs["markdown"].out
        assert "::error file=goals/sales.yaml,line=11,col=9,title=OKR401 target-moved::" in runs["github"].out


# -- refusals -----------------------------------------------------------------------------------------


def test_not_a_repository_bad_revision_ambiguous_and_unknown_arguments_exit_2(repo: Path, tmp_path: Path) -> None:
    outside = tmp_path / "plain"
    outside.mkdir()
    cases = [
        (outside, ["HEAD"], "is not in a git repository: this command reads goals from git history"),
        (repo, ["nope..main"], "'nope' is not a commit in this repository"),
        (repo, ["main", "--", "goals"], None),
        (repo, ["nope", "--", "goals"], "'nope' is not a commit in this repository"),
        (repo, ["nope"], "'nope' is neither a revision nor a path in the working tree"),
        (repo, ["a", "b", "c"], "'a' is neither a revision nor a path"),
        (repo, ["main", "main", "main"], "too many revisions (main main main)"),
        (repo, ["goals", "main"], "revision 'main' after a path"),
        (repo, ["main", "--", "goals/none.yaml"], "goals/none.yaml: no such file or folder in"),
        (repo, ["main", "--", str(tmp_path)], "is outside the git repository at"),
    ]
    for cwd, args, message in cases:
        run = okrctl("diff", "--as-of", AS_OF, *args, cwd=cwd)
        if message is None:
            assert run.code == 0, run.err
            continue
        assert (run.code, run.out) == (2, ""), args
        assert run.err.startswith("okrctl: error: ") and message in run.err, (args, run.err)
    (repo / "main").mkdir()  # a folder named like the branch
    run = okrctl("diff", "main", cwd=repo)
    assert (run.code, run.out) == (2, "")
    assert "'main' is both a revision and a path: put paths after '--'" in run.err


def test_three_dots_between_unrelated_histories_exit_2(repo: Path) -> None:
    git(repo, "checkout", "-q", "--orphan", "other")
    commit_all(repo, "Another history", "2026-10-05")
    run = okrctl("diff", "main...other", cwd=repo)
    assert (run.code, run.out) == (2, "")
    assert run.err == "okrctl: error: 'main' and 'other' have no common ancestor (no merge base)\n"


def test_a_path_outside_the_goals_root_exits_2(repo: Path) -> None:
    write(repo, "goals/okrctl.yaml", "{}\n")
    write(repo, "docs/readme.yaml", "title: not goals\n")
    run = okrctl("diff", "HEAD", "--config", "goals/okrctl.yaml", "--", "docs", cwd=repo)
    assert (run.code, run.out) == (2, "")
    assert "docs is outside the goals root goals/" in run.err


def test_a_shallow_clone_without_the_base_says_to_fetch_its_history(repo: Path, tmp_path: Path) -> None:
    every_kind_of_change(repo)
    clone = tmp_path / "clone"
    clone.mkdir()
    git(clone, "init", "-q")  # as actions/checkout does: one commit fetched, checked out detached
    git(clone, "fetch", "-q", "--depth", "1", f"file://{repo}", "feature")
    git(clone, "checkout", "-q", "FETCH_HEAD")
    run = okrctl("diff", "--as-of", AS_OF, cwd=clone)
    assert run.code == 2
    assert "shallow clone" in run.err and "fetch-depth: 0" in run.err, run.err
    named = okrctl("diff", "HEAD~1", "--as-of", AS_OF, cwd=clone)
    assert named.code == 2 and "git fetch --unshallow" in named.err, named.err


def test_without_git_it_says_so(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from okrctl.git import git_program

    monkeypatch.setattr(shutil, "which", lambda name: None)
    git_program.cache_clear()
    try:
        run = okrctl("diff", "--as-of", AS_OF, cwd=repo)
    finally:
        git_program.cache_clear()
    assert (run.code, run.out) == (2, "")
    assert run.err == "okrctl: error: git is not installed: this command reads goals from git history (install git)\n"


def test_an_unknown_format_is_a_usage_error(repo: Path) -> None:
    run = okrctl("diff", "--format", "sarif", cwd=repo)
    assert run.code == 2 and "'sarif' is not one of text, json, markdown, github" in run.err


# -- values for people ----------------------------------------------------------------------------------


def test_values_are_formatted_without_hiding_a_change() -> None:
    from okrctl.reporters.diff_view import _scores, value_texts

    assert value_texts(2000000, 1600000) == ("2,000,000", "1,600,000")
    assert value_texts(99.949, 99.95) == ("99.949", "99.95")
    assert value_texts(None, 5) == ("–", "5")
    assert value_texts((4.6, None), (4.6, 4.61)) == ("≥ 4.6", "4.6–4.61")
    assert value_texts((None, 50), None) == ("≤ 50", "–")
    assert value_texts(("a", "b"), ("a",)) == ("a, b", "a")
    assert value_texts(True, False) == ("true", "false")
    assert _scores(0.301, 0.304) == ("0.301", "0.304")
    assert _scores(0.3, None) == ("0.30", "–")
