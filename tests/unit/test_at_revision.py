"""`--at REV`: judge the goals as committed at a revision, read from git without touching the work tree."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import commit_all, git, okrctl

EXAMPLES = Path(__file__).parents[2] / "examples"


def acme_history(repo: Path) -> str:
    """The acme example committed on 2026-11-01, then a lowered target committed on 2026-11-20; the first id."""
    shutil.copytree(EXAMPLES / "acme", repo, dirs_exist_ok=True)
    first = commit_all(repo, "Goals for Q4", "2026-11-01")
    path = repo / "goals" / "2026" / "sales-emea.yaml"
    path.write_text(path.read_text().replace("target: 3000000", "target: 2400000"))
    commit_all(repo, "Lower the target", "2026-11-20")
    return first


def test_score_at_a_commit_equals_checking_it_out(git_repo: Path, tmp_path: Path) -> None:
    first = acme_history(git_repo)
    at = okrctl("score", "--at", first[:10], "--format", "json", cwd=git_repo)
    checkout = tmp_path / "checkout"
    subprocess.run(["git", "worktree", "add", "-q", "--detach", str(checkout), first], cwd=git_repo, check=True)
    there = okrctl("score", "--as-of", "2026-11-01", "--format", "json", cwd=checkout)
    assert at.code == there.code == 0, at.err
    assert json.loads(at.out) == json.loads(there.out)
    assert json.loads(at.out)["as_of"] == "2026-11-01"  # the commit's date
    now = json.loads(okrctl("score", "--as-of", "2026-11-01", "--format", "json", cwd=git_repo).out)
    assert now != json.loads(at.out)  # the work tree has the lowered target


def test_lint_at_a_commit_names_files_with_the_commit_and_reads_its_config(git_repo: Path) -> None:
    (git_repo / "goals" / "2026").mkdir(parents=True)
    (git_repo / "goals" / "2026" / "extra.yaml").write_text(EXTRA)
    first = acme_history(git_repo)
    (git_repo / "goals" / "2026" / "broken.yaml").write_text("kind: okrs\nowner: x\n")  # not committed
    result = okrctl("lint", "--at", "HEAD", "--format", "json", "--as-of", "2026-11-20", cwd=git_repo)
    paths = {finding["path"] for finding in json.loads(result.out)["findings"]}
    assert paths and all(path.endswith("@" + result_short(git_repo, "HEAD")) for path in paths), paths
    assert not any("broken.yaml" in path for path in paths)
    config = git_repo / "okrctl.yaml"
    config.write_text(config.read_text() + "\n# changed\n")
    config.write_text(config.read_text().replace("lint:\n", "lint:\n  ignore: [OKR1]\n", 1))
    commit_all(git_repo, "ignore OKR1", "2026-11-21")
    codes_then = {
        f["code"] for f in json.loads(okrctl("lint", "--at", first, "--format", "json", cwd=git_repo).out)["findings"]
    }
    codes_now = {
        f["code"] for f in json.loads(okrctl("lint", "--at", "HEAD", "--format", "json", cwd=git_repo).out)["findings"]
    }
    assert any(code.startswith("OKR1") for code in codes_then)
    assert not any(code.startswith("OKR1") for code in codes_now)


EXTRA = """kind: okrs
period: 2026-Q4
owner: extra
objectives:
  - id: grow
    title: Grow revenue 20% in every market
    key_results:
      - {id: a, title: Revenue from 1 to 2, start: 1, target: 2, current: 1.5}
      - {id: b, title: Deals from 1 to 2, start: 1, target: 2, current: 1.5}
"""


def result_short(repo: Path, revision: str) -> str:
    done = subprocess.run(["git", "rev-parse", "--short=7", revision], cwd=repo, capture_output=True, text=True)
    return done.stdout.strip()


def test_a_named_file_at_a_commit_and_one_that_did_not_exist_then(git_repo: Path) -> None:
    first = acme_history(git_repo)
    named = okrctl("status", "goals/2026/sales-emea.yaml", "--at", first, "--format", "json", cwd=git_repo)
    assert named.code == 0, named.err
    refs = {o["ref"] for o in json.loads(named.out)["objectives"]}
    assert refs and all(ref.startswith("sales-emea/") for ref in refs)
    (git_repo / "goals" / "new.yaml").write_text((git_repo / "goals" / "2026" / "finance.yaml").read_text())
    missing = okrctl("lint", "goals/new.yaml", "--at", first, cwd=git_repo)
    assert missing.code == 2 and "not in" in missing.err and "Traceback" not in missing.err


def test_bad_revisions_and_no_repository_exit_2(git_repo: Path, tmp_path: Path) -> None:
    acme_history(git_repo)
    bad = okrctl("kpis", "--at", "no-such-branch", cwd=git_repo)
    assert bad.code == 2 and "'no-such-branch' is not a commit" in bad.err
    option_like = okrctl("tree", "--at=--output=/tmp/x", cwd=git_repo)
    assert option_like.code == 2 and "is not a commit" in option_like.err
    for exclusion in ("^HEAD", "^HEAD~1"):  # rev-parse names an exclusion, no commit
        excluded = okrctl("score", "--at", exclusion, cwd=git_repo)
        assert excluded.code == 2 and "is not a commit" in excluded.err and "internal error" not in excluded.err
    plain = tmp_path / "plain"
    shutil.copytree(EXAMPLES / "acme", plain)
    outside = okrctl("lint", "--at", "HEAD", cwd=plain)
    assert outside.code == 2 and "not in a git repository" in outside.err
    git("init", "-q", cwd=tmp_path / "plain")
    empty = okrctl("lint", "--at", "HEAD", cwd=plain)
    assert empty.code == 2 and "the repository has no commit yet" in empty.err


def test_a_committed_file_over_the_limit_is_refused_unread_and_links_are_not_followed(git_repo: Path) -> None:
    (git_repo / "goals").mkdir()
    (git_repo / "goals" / "big.yaml").write_bytes(b"kind: okrs\n# " + b"x" * (3 * 2**20) + b"\n")
    (git_repo / "goals" / "link.yaml").symlink_to("/etc/passwd")
    (git_repo / "goals" / "ok.yaml").write_text(EXTRA)
    commit_all(git_repo, "goals", "2026-11-01")
    result = okrctl("lint", "--at", "HEAD", "--format", "json", cwd=git_repo)
    findings = json.loads(result.out)["findings"]
    short = result_short(git_repo, "HEAD")
    assert [(f["path"], f["code"]) for f in findings if f["code"] == "OKR001"] == [
        (f"goals/big.yaml@{short}", "OKR001")
    ]
    assert "over the 1,048,576-byte (1 MiB) limit" in next(f["message"] for f in findings if f["code"] == "OKR001")
    assert not any("link.yaml" in f["path"] for f in findings)
    assert json.loads(result.out)["files"] == 2


def test_from_the_top_of_the_repository_the_one_goals_root_below_is_read(git_repo: Path) -> None:
    shutil.copytree(EXAMPLES / "acme", git_repo / "okrs")
    commit_all(git_repo, "goals in okrs/", "2026-11-01")
    at = okrctl("status", "--at", "HEAD", "--format", "json", cwd=git_repo)
    now = okrctl("status", "--as-of", "2026-11-01", "--format", "json", cwd=git_repo)
    assert at.code == now.code == 0, at.err
    assert json.loads(at.out)["objectives"] and json.loads(at.out) == json.loads(now.out)
    shutil.copytree(EXAMPLES / "acme", git_repo / "more")
    commit_all(git_repo, "a second goals root", "2026-11-02")
    two = okrctl("status", "--at", "HEAD", cwd=git_repo)
    assert two.code == 2 and "2 goals roots" in two.err and "name one of them" in two.err


@pytest.mark.skipif(os.geteuid() != 0, reason="giving the repository to another user needs root (chown)")
def test_a_repository_owned_by_another_user_exits_2_saying_what_to_trust(git_repo: Path, tmp_path: Path) -> None:
    acme_history(git_repo)
    subprocess.run(["chown", "-R", "65534:65534", str(git_repo)], check=True)
    home = tmp_path / "home"  # no global config that trusts every folder
    home.mkdir()
    for command in (["lint", "--at", "HEAD"], ["diff", "HEAD"], ["history", "sales/acquire"], ["lint", "--history"]):
        result = okrctl(*command, cwd=git_repo, env={"HOME": str(home), "XDG_CONFIG_HOME": str(home)})
        assert result.code == 2, (command, result.err)
        assert "dubious ownership" in result.err and f"safe.directory {git_repo}" in result.err, command


def test_a_repository_without_a_commit_and_a_revision_found_by_its_message(git_repo: Path) -> None:
    shutil.copytree(EXAMPLES / "acme", git_repo, dirs_exist_ok=True)
    for command in (["diff"], ["history", "sales/acquire"], ["lint", "--at", "HEAD"]):
        empty = okrctl(*command, cwd=git_repo)
        assert empty.code == 2 and "the repository has no commit yet" in empty.err, (command, empty.err)
    commit_all(git_repo, "Goals for Q4", "2026-11-01")
    found = okrctl("score", "--at", ":/Goals for", "--format", "json", cwd=git_repo)
    assert found.code == 0 and json.loads(found.out)["as_of"] == "2026-11-01", found.err
