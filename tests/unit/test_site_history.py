"""`okrctl site` with git history: target changes (OKR401) marked on the key results' charts; without, said so."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from conftest import EXAMPLES, commit_all, okrctl


def _sales_page(tree: Path, out: Path, *extra: str) -> str:
    result = okrctl("site", "-o", str(out), "--as-of", "2026-11-20", *extra, cwd=tree)
    assert result.code == 0, result.err
    return (out / "owners/sales.html").read_text(encoding="utf-8")


def test_a_moved_target_is_marked_on_its_chart(git_repo: Path, tmp_path: Path) -> None:
    shutil.copytree(EXAMPLES / "acme", git_repo, dirs_exist_ok=True)
    commit_all(git_repo, "Goals for Q4", "2026-10-01", author="Ana")
    sales = git_repo / "goals/2026/sales.yaml"
    sales.write_text(sales.read_text(encoding="utf-8").replace("target: 2000000", "target: 1600000", 1), "utf-8")
    commit = commit_all(git_repo, "Lower the revenue target", "2026-11-05", author="Bo")
    page = _sales_page(git_repo, tmp_path / "site")
    assert f"up to commit {commit[:12]} (1 marked)" in page
    section = page.split('data-key-result="sales/acquire/new-revenue"')[1].split('class="key-result"')[0]
    assert '<line class="marker"' in section
    assert "target 2,000,000 → 1,600,000 on 2026-11-05" in section  # in the chart's label
    assert '<time datetime="2026-11-05">2026-11-05</time>: key result &#39;new-revenue&#39; moved: target' in section
    others = page.split('data-key-result="sales/acquire/enterprise-deals"')[1]
    assert '<line class="marker"' not in others

    quiet = _sales_page(git_repo, tmp_path / "quiet", "--no-history")
    assert '<line class="marker"' not in quiet and "no git history was read" in quiet


def test_outside_git_the_charts_say_what_they_show(tmp_path: Path) -> None:
    tree = tmp_path / "acme"
    shutil.copytree(EXAMPLES / "acme", tree)
    page = _sales_page(tree, tmp_path / "site")
    assert "the goals are not in a git repository with a commit, so target changes are not marked" in page
    assert '<polyline class="values"' in page  # the dated check-ins are drawn all the same


def test_a_repository_without_a_commit_or_a_shallow_clone_says_so(git_repo: Path, tmp_path: Path) -> None:
    shutil.copytree(EXAMPLES / "acme", git_repo, dirs_exist_ok=True)
    page = _sales_page(git_repo, tmp_path / "fresh")  # nothing committed yet
    assert "not in a git repository with a commit, so target changes are not marked" in page
    commit_all(git_repo, "Goals for Q4", "2026-10-01")
    (git_repo / "notes.txt").write_text("a second commit, so that a depth-1 clone is shallow")
    commit_all(git_repo, "Notes", "2026-10-02")
    clone = tmp_path / "clone"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", f"file://{git_repo}", str(clone)], check=True, capture_output=True
    )
    page = _sales_page(clone, tmp_path / "shallow")
    assert "this is a shallow clone, so target changes are not marked" in page
