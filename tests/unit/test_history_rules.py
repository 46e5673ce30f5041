"""The history rules (OKR401-OKR405) and `okrctl lint --history` on real git repositories: branches merged
and squashed, files renamed, deleted and re-added, inline ignores and the config's severities, the run memo,
and `engine.history_findings` as `okrctl diff` calls it. The rules' basic cases are in tests/rules/OKR40x.yaml.
"""

from __future__ import annotations

import os
import subprocess
from datetime import date
from pathlib import Path

import pytest
from conftest import commit_all, git, okrctl

AS_OF = "2026-11-23"

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
"""


@pytest.fixture
def repo(git_repo: Path) -> Path:
    (git_repo / "goals").mkdir()
    (git_repo / "goals" / "sales.yaml").write_text(GOALS)
    commit_all(git_repo, "Q4 goals", "2026-09-28")
    return git_repo


def edit(repo: Path, old: str, new: str, name: str = "goals/sales.yaml") -> None:
    path = repo / name
    text = path.read_text()
    assert old in text, text
    path.write_text(text.replace(old, new, 1))


def lint(repo: Path, *args: str) -> list[str]:
    """The finding lines of `okrctl lint --history` (exit 0 expected)."""
    done = okrctl("lint", "--history", "--as-of", AS_OF, "--quiet", *args, cwd=repo)
    assert done.code == 0, done.out + done.err
    return [line for line in done.out.splitlines() if " OKR4" in line]


def codes(lines: list[str]) -> list[str]:
    return [line.split()[1] for line in lines]


def short(repo: Path, revision: str = "HEAD") -> str:
    done = subprocess.run(["git", "rev-parse", "--short=7", revision], cwd=repo, capture_output=True, text=True)
    return done.stdout.strip()


def merge(repo: Path, *args: str, day: str) -> None:
    when = f"{day}T12:00:00Z"
    environment = {**os.environ, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
    subprocess.run(["git", "merge", "-q", *args], cwd=repo, check=True, capture_output=True, env=environment)


def test_a_moved_target_names_the_commit_its_date_author_and_old_and_new(repo: Path) -> None:
    edit(repo, "target: 2000000", "target: 1600000")
    commit_all(repo, "lower", "2026-11-05", author="Bo")
    [line] = lint(repo)
    assert line == (
        f"goals/sales.yaml:11:9 OKR401 warning key result 'rev' moved: target 2,000,000 → 1,600,000 by "
        f"{short(repo)} (2026-11-05, Bo), 35 days into 2026-Q4: record it under rebaselined: ({{date: 2026-11-05, "
        "from: 2000000, reason: …}) with a reason, or restore the target (target-moved)"
    )
    assert okrctl("lint", "--as-of", AS_OF, "--quiet", cwd=repo).out.count("OKR4") == 0  # only when asked


def test_a_target_moved_on_the_last_day_of_grace_passes_and_the_next_day_is_flagged(repo: Path) -> None:
    edit(repo, "target: 2000000", "target: 1900000")
    commit_all(repo, "settle", "2026-10-08")  # the first day + 7
    assert lint(repo) == []
    edit(repo, "target: 1900000", "target: 1800000")
    commit_all(repo, "move", "2026-10-09")
    assert codes(lint(repo)) == ["OKR401"]
    (repo / "okrctl.yaml").write_text("history_grace_days: 8\n")
    assert lint(repo) == []


@pytest.mark.parametrize(
    ("entry", "flagged"),
    [
        ("{date: 2026-11-05, from: 2000000, reason: Board cut the EU launch}", False),
        ("{date: 2026-11-12, from: 2000000, reason: Recorded a week late}", False),  # within the grace days
        ("{date: 2026-11-13, from: 2000000, reason: Recorded too late}", True),
        ("{date: 2026-11-05, from: 1900000, reason: Not the value it moved from}", True),
    ],
)
def test_rebaselined_records_a_move_from_its_value_near_its_commit(repo: Path, entry: str, flagged: bool) -> None:
    edit(repo, "target: 2000000", "target: 1600000")
    commit_all(repo, "lower", "2026-11-05", author="Bo")
    edit(repo, "target: 1600000\n", f"target: 1600000\n        rebaselined:\n          - {entry}\n")
    commit_all(repo, "record", "2026-11-14")
    assert codes(lint(repo)) == (["OKR401"] if flagged else [])


def test_a_target_put_back_clears_its_moves_and_the_move_back_is_no_move(repo: Path) -> None:
    edit(repo, "target: 2000000", "target: 1600000")
    commit_all(repo, "lower", "2026-11-05")
    edit(repo, "target: 1600000", "target: 1500000")
    commit_all(repo, "lower again", "2026-11-06")
    assert codes(lint(repo)) == ["OKR401", "OKR401"]
    edit(repo, "target: 1500000", "target: 2000000")
    commit_all(repo, "restore", "2026-11-07")
    assert lint(repo) == []
    edit(repo, "target: 2000000", "target: 2500000")  # raised since: the moves count again, not the restore
    commit_all(repo, "raise", "2026-11-08")
    assert sorted(line.split(" by ")[0].rsplit(": ", 1)[1] for line in lint(repo)) == [
        "target 1,600,000 → 1,500,000",
        "target 2,000,000 → 1,600,000",
        "target 2,000,000 → 2,500,000",
    ]


def test_a_weight_and_a_band_put_back_are_no_finding(repo: Path) -> None:
    kpis = "kind: kpis\nowner: support\nkpis:\n  - id: csat\n    title: CSAT\n    green: {min: 4.5}\n"
    (repo / "goals" / "kpis.yaml").write_text(kpis)
    edit(repo, "target: 20\n", "target: 20\n        weight: 2\n")
    commit_all(repo, "planning", "2026-10-02")
    edit(repo, "weight: 2", "weight: 1")
    edit(repo, "{min: 4.5}", "{min: 4}", name="goals/kpis.yaml")
    commit_all(repo, "shift", "2026-11-05")
    assert codes(lint(repo)) == ["OKR405", "OKR402"]
    edit(repo, "weight: 1", "weight: 2")
    edit(repo, "{min: 4}", "{min: 4.5}", name="goals/kpis.yaml")
    commit_all(repo, "put back", "2026-11-06")
    assert lint(repo) == []


def test_a_squash_merged_branch_is_one_commit_made_when_it_landed(repo: Path) -> None:
    git("checkout", "-q", "-b", "feature", cwd=repo)
    edit(repo, "target: 20\n", "target: 15\n")
    commit_all(repo, "fewer deals", "2026-10-20", author="Cy")
    git("checkout", "-q", "main", cwd=repo)
    merge(repo, "--squash", "feature", day="2026-11-02")
    commit_all(repo, "Squashed feature", "2026-11-02", author="Dee")
    git("branch", "-q", "-D", "feature", cwd=repo)
    [line] = lint(repo)
    assert f"target 20 → 15 by {short(repo)} (2026-11-02, Dee), 32 days into 2026-Q4" in line


def test_a_merge_commit_is_left_out_and_the_branch_commit_is_named(repo: Path) -> None:
    git("checkout", "-q", "-b", "feature", cwd=repo)
    edit(repo, "target: 20\n", "target: 15\n")
    moved = commit_all(repo, "fewer deals", "2026-10-20", author="Cy")
    git("checkout", "-q", "main", cwd=repo)
    (repo / "README.md").write_text("readme\n")
    commit_all(repo, "readme", "2026-10-21")
    merge(repo, "--no-ff", "-m", "Merge feature", "feature", day="2026-11-02")
    [line] = lint(repo)
    assert f"by {moved[:7]} (2026-10-20, Cy)" in line and line.startswith("goals/sales.yaml:17:9 OKR401")


def test_a_renamed_file_and_a_file_rewritten_under_another_name_are_no_change(repo: Path) -> None:
    git("mv", "goals/sales.yaml", "goals/team-sales.yaml", cwd=repo)
    commit_all(repo, "rename", "2026-11-01")
    text = (repo / "goals" / "team-sales.yaml").read_text()
    (repo / "goals" / "team-sales.yaml").unlink()
    reordered = text.replace(
        "      - id: deals\n        title: Close 20 deals\n        start: 0\n        target: 20\n", ""
    )
    reordered = reordered.replace(
        "    key_results:\n", "    key_results:\n      - {id: deals, title: Close 20 deals, start: 0, target: 20}\n"
    )
    (repo / "goals" / "q4.yaml").write_text(reordered)
    commit_all(repo, "reorder", "2026-11-02")
    assert lint(repo) == []


def test_a_file_deleted_and_re_added_changes_nothing(repo: Path) -> None:
    edit(repo, "value: 100000}\n", "value: 100000}\n          - {date: 2026-10-20, value: 300000}\n")
    commit_all(repo, "on time", "2026-10-21")
    text = (repo / "goals" / "sales.yaml").read_text()
    (repo / "goals" / "sales.yaml").unlink()
    commit_all(repo, "oops", "2026-11-10")
    (repo / "goals" / "sales.yaml").write_text(text)
    commit_all(repo, "revert oops", "2026-11-11")
    assert lint(repo) == []


def test_a_dropped_key_result_whose_objective_is_gone_is_placed_on_its_owners_file(repo: Path) -> None:
    (repo / "goals" / "sales.yaml").write_text(GOALS.split("objectives:")[0] + "objectives:\n  - id: retain\n")
    edit(
        repo,
        "  - id: retain\n",
        "  - id: retain\n    title: Keep them\n    key_results:\n      - {id: churn, title: Churn to 2%, start: 5, target: 2}\n",
    )
    commit_all(repo, "new plan", "2026-11-05")
    found = lint(repo)
    assert codes(found) == ["OKR402", "OKR402"]
    assert all(line.startswith("goals/sales.yaml:4:1 ") for line in found)  # `objectives:`
    assert any("key result 'rev' (Revenue to 2M) dropped by" in line for line in found)


def test_a_file_deleted_for_good_has_nothing_to_point_at(repo: Path) -> None:
    (repo / "goals" / "other.yaml").write_text(GOALS.replace("owner: sales", "owner: ops"))
    commit_all(repo, "ops", "2026-09-29")
    (repo / "goals" / "sales.yaml").unlink()
    commit_all(repo, "drop sales", "2026-11-05")
    assert lint(repo) == []


def test_an_inline_ignore_on_the_line_and_the_configs_severity_apply(repo: Path) -> None:
    edit(repo, "target: 2000000", "target: 1600000")
    edit(repo, "target: 20\n", "target: 15\n")
    commit_all(repo, "lower both", "2026-11-05")
    edit(repo, "target: 1600000", "target: 1600000  # okrctl: ignore OKR401")
    assert [line.split()[0] for line in lint(repo)] == ["goals/sales.yaml:17:9"]
    (repo / "okrctl.yaml").write_text("lint: {severity: {OKR401: error}}\n")
    done = okrctl("lint", "--history", "--as-of", AS_OF, "--quiet", cwd=repo)
    assert done.code == 1 and "goals/sales.yaml:17:9 OKR401 error" in done.out
    (repo / "okrctl.yaml").write_text("lint: {ignore: [OKR4]}\n")
    assert lint(repo) == []


def test_the_config_runs_history_and_the_memo_knows_a_new_commit(repo: Path) -> None:
    (repo / "okrctl.yaml").write_text("lint: {history: true}\n")
    commit_all(repo, "config", "2026-09-29")
    edit(repo, "target: 2000000", "target: 1600000")
    first = okrctl("lint", "--as-of", AS_OF, "--quiet", cwd=repo)  # remembered: the edit is not committed yet
    assert first.code == 0 and "OKR401" not in first.out
    commit_all(repo, "lower", "2026-11-05")  # the same files: only HEAD changed
    second = okrctl("lint", "--as-of", AS_OF, "--quiet", cwd=repo)
    assert "OKR401" in second.out  # not the first run's result, remembered for the same files


def test_lint_reads_no_git_without_history_and_says_why_it_cannot_with_it(tmp_path: Path) -> None:
    (tmp_path / "sales.yaml").write_text(GOALS)
    assert okrctl("lint", "--as-of", AS_OF, "--quiet", cwd=tmp_path).code == 0
    done = okrctl("lint", "--history", "--as-of", AS_OF, cwd=tmp_path)
    assert done.code == 2 and "not in a git repository" in done.err
    (tmp_path / "okrctl.yaml").write_text("lint: {history: true}\n")
    assert okrctl("lint", "--as-of", AS_OF, "--no-cross-file", "sales.yaml", cwd=tmp_path).code == 0  # one file alone
    refused = okrctl("lint", "--history", "--no-cross-file", cwd=tmp_path)
    assert refused.code == 2 and "--no-cross-file" in refused.err
    assert okrctl("lint", "--history", "-", cwd=tmp_path, input=GOALS).code == 2


@pytest.mark.parametrize(
    ("config", "where"),
    [
        ("history_grace_days: -1\n", "okrctl.yaml:1:1"),
        ("backdate_days: '14'\n", "okrctl.yaml:1:1"),
        ("lint: {history: 'yes'}\n", "okrctl.yaml:1:8"),
    ],
)
def test_bad_history_settings_exit_2_with_their_location(tmp_path: Path, config: str, where: str) -> None:
    (tmp_path / "okrctl.yaml").write_text(config)
    done = okrctl("lint", cwd=tmp_path)
    assert done.code == 2 and f"{where}: bad config" in done.err


def test_at_a_revision_judges_the_history_up_to_it(repo: Path) -> None:
    edit(repo, "target: 2000000", "target: 1600000")
    commit_all(repo, "lower", "2026-11-05")
    edit(repo, "target: 20\n", "target: 15\n")
    commit_all(repo, "fewer", "2026-11-06")
    done = okrctl("lint", "--history", "--at", "HEAD~1", "--as-of", AS_OF, "--quiet", cwd=repo)
    [line] = [line for line in done.out.splitlines() if "OKR4" in line]
    assert line.startswith(f"goals/sales.yaml@{short(repo, 'HEAD~1')}:11:9 OKR401")


def test_history_findings_is_what_diff_calls(repo: Path) -> None:
    from okrctl.commands.common import load_root
    from okrctl.config import Config
    from okrctl.engine import history_findings
    from okrctl.git import Repository
    from okrctl.history import read_history
    from okrctl.revision import judged_by

    edit(repo, "value: 100000}", "value: 90000}")
    commit_all(repo, "rewrite", "2026-11-05", author="Bo")
    repository = Repository.containing(repo)
    history = read_history(repository, ["HEAD~1..HEAD"], [], judged_by("", Config()), Config())
    cwd = Path.cwd()
    os.chdir(repo)
    try:
        root = load_root([], date(2026, 11, 23), 1, False, with_context=True)
        [finding] = history_findings(root, history, date(2026, 11, 23))
    finally:
        os.chdir(cwd)
    assert (finding.path, finding.line, finding.code) == ("goals/sales.yaml", 13, "OKR404")
    assert finding.message.startswith("check-in of 2026-10-02 rewritten 100,000 → 90,000 by")


def test_the_rule_command_prints_a_history_rule() -> None:
    done = okrctl("rule", "OKR401", cwd=Path.cwd())
    assert done.code == 0 and "rebaselined" in done.out and "target-moved" in done.out


def test_a_repository_without_commits_has_no_history_and_a_shallow_clone_is_refused(repo: Path, tmp_path: Path) -> None:
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    git("init", "-q", "-b", "main", cwd=fresh)
    (fresh / "sales.yaml").write_text(GOALS)
    assert lint(fresh) == []
    edit(repo, "target: 20\n", "target: 15\n")
    commit_all(repo, "fewer", "2026-11-05")
    shallow = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo}", str(shallow)], check=True)
    done = okrctl("lint", "--history", "--as-of", AS_OF, cwd=shallow)
    assert done.code == 2 and "fetch-depth: 0" in done.err


def test_without_history_lint_never_reads_git_history(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import okrctl.git as git_module
    import okrctl.history as history_module

    def refuse(*args: object, **options: object) -> None:
        raise AssertionError("lint read git history without --history")

    edit(repo, "target: 2000000", "target: 1600000")
    commit_all(repo, "lower", "2026-11-05")
    monkeypatch.setattr(git_module, "run_git", refuse)
    monkeypatch.setattr(history_module, "run_git", refuse)
    done = okrctl("lint", "--as-of", AS_OF, "--quiet", cwd=repo)
    assert done.code == 0 and "OKR4" not in done.out and "goals/sales.yaml" in done.out
    asked = okrctl("lint", "--history", "--as-of", AS_OF, "--no-cache", cwd=repo)  # the refusal is met
    assert asked.code != 0 and "without --history" in asked.err, asked


def test_a_key_result_moved_into_next_quarter_is_dropped_from_this_one(repo: Path) -> None:
    text = (repo / "goals" / "sales.yaml").read_text()
    deals = text[text.index("      - id: deals") :]
    (repo / "goals" / "sales.yaml").write_text(text.replace(deals, ""))
    head = text[: text.index("    key_results:\n")].replace("2026-Q4", "2027-Q1")
    (repo / "goals" / "sales-q1.yaml").write_text(head + "    key_results:\n" + deals)
    commit_all(repo, "defer deals", "2026-11-05", author="Bo")
    [line] = lint(repo)
    assert line.startswith(
        "goals/sales-q1.yaml:8:9 OKR402 warning key result 'deals' moved out of 2026-Q4 into 2027-Q1 by"
    )


def test_an_items_first_commit_is_its_starting_record_and_a_re_added_item_is_not_new(repo: Path) -> None:
    kpis = "kind: kpis\nowner: support\nkpis:\n  - id: csat\n    title: CSAT\n    measurements:\n"
    (repo / "goals" / "kpis.yaml").write_text(kpis + "      - {date: 2026-06-30, value: 4.1}\n")
    commit_all(repo, "adopt okrctl with last quarter's data", "2026-11-02")
    assert lint(repo) == []
    (repo / "goals" / "kpis.yaml").unlink()
    commit_all(repo, "drop", "2026-11-03")
    (repo / "goals" / "kpis.yaml").write_text(
        kpis + "      - {date: 2026-06-30, value: 4.1}\n      - {date: 2026-10-01, value: 4.3}\n"
    )
    commit_all(repo, "back, with a late value", "2026-11-04")
    [line] = lint(repo)
    assert line.startswith("goals/kpis.yaml:8:9 OKR403 warning measurement of 2026-10-01 (4.3) first committed by")


def test_no_cache_keeps_no_parsed_versions_and_the_cache_keeps_them(repo: Path) -> None:
    edit(repo, "target: 2000000", "target: 1600000")
    commit_all(repo, "lower", "2026-11-05")
    assert codes(lint(repo, "--no-cache")) == ["OKR401"]
    assert not (repo / ".okrctl-cache").exists()
    assert codes(lint(repo)) == ["OKR401"]
    assert list((repo / ".okrctl-cache").glob("*/*.versions"))


def test_numbers_in_messages_never_hide_a_change() -> None:
    from okrctl.rules.history_base import raw, shown, values
    from okrctl.rules.okr405_band_moved import bands

    assert values(99.95, 99.949) == "99.95 → 99.949"
    assert values(2000000, 1600000) == "2,000,000 → 1,600,000"
    assert values(None, 3) == "unset → 3"
    assert shown(1234.5678) == "1,234.5678" and shown(0.1) == "0.1"
    assert (raw(2000000.0), raw(0.125)) == ("2000000", "0.125")
    assert bands((4.5, None), (4.499, 5.0)) == "≥ 4.5 → 4.499–5"
    assert bands(None, (None, 300)) == "unset → ≤ 300"
