"""`okrctl diff` reads again only the files that changed between its sides: the result is the one a diff of
two wholly loaded sides gives, on a tree with KPI-fed key results, guardrails and roll-ups."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import commit_all, okrctl

import okrctl.commands.diff as diff_command

EXAMPLES = Path(__file__).parents[2] / "examples"


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))


@pytest.fixture
def acme_changes(git_repo: Path) -> Path:
    shutil.copytree(EXAMPLES / "acme", git_repo, dirs_exist_ok=True)
    commit_all(git_repo, "Goals for Q4", "2026-11-01")
    goals = git_repo / "goals" / "2026"
    edit(goals / "sales-emea.yaml", "target: 3000000", "target: 2400000")  # aligned to a company roll-up
    kpis = sorted((git_repo / "kpis").glob("*.yaml"))
    edit(kpis[0], "measurements:\n", "measurements:\n      - {date: 2026-10-01, value: 1}\n")  # feeds or guards
    edit(goals / "company-annual.yaml", "Build a durable, profitable growth engine", "Build a durable growth engine")
    edit(goals / "product.yaml", "guardrails: [support/uptime", "guardrails: [support/csat, support/uptime")
    commit_all(git_repo, "Changes", "2026-11-10")
    (goals / "finance.yaml").unlink()
    return git_repo


@pytest.mark.parametrize("few", [100, 0], ids=["changed files and what they read", "one side whole"])
@pytest.mark.parametrize("arguments", [["HEAD~1", "HEAD"], ["HEAD~1"]], ids=["two commits", "working tree"])
def test_the_changed_files_alone_give_the_diff_of_whole_sides(
    acme_changes: Path, arguments: list[str], few: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(diff_command, "_FEW_FILES", few)
    quick = okrctl("diff", "--as-of", "2026-11-15", "--format", "json", *arguments, cwd=acme_changes)
    assert quick.code == 0, quick.err
    monkeypatch.setattr(diff_command, "changed_paths", lambda comparison, root: None)  # read both sides whole
    whole = okrctl("diff", "--as-of", "2026-11-15", "--format", "json", *arguments, cwd=acme_changes)
    assert whole.code == 0, whole.err
    changes = {c["ref"]: c for c in json.loads(quick.out)["changes"]}
    assert {"company/growth", "product/adoption"} <= set(changes), "a roll-up and a KPI-fed, guarded objective"
    assert changes["company/growth"]["after"]["score"] is not None  # scored from its aligned objectives
    assert changes["product/adoption"]["after"]["score"] is not None
    whole_document = json.loads(whole.out)
    assert whole_document.pop("config_changed") == "okrctl.yaml"  # what reading whole stands for here
    assert json.loads(quick.out) == {**whole_document, "config_changed": None}


def test_a_changed_config_reads_both_sides_whole(acme_changes: Path) -> None:
    config = acme_changes / "okrctl.yaml"
    edit(config, "fiscal_year_start: 1", "fiscal_year_start: 10")  # every quarter means other days now
    result = okrctl("diff", "--as-of", "2026-11-15", "--format", "json", "HEAD", cwd=acme_changes)
    assert result.code == 0, result.err
    changed = {(c["ref"], c["status"]) for c in json.loads(result.out)["changes"]}
    assert any(status == "removed" for _, status in changed)  # finance.yaml, deleted in the working tree
    objective = next(c for c in json.loads(result.out)["changes"] if c["status"] == "removed")
    assert objective["before"] is not None


def test_only_the_changed_files_and_what_their_scores_read_are_loaded(
    git_repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(EXAMPLES / "acme", git_repo, dirs_exist_ok=True)
    commit_all(git_repo, "Goals for Q4", "2026-11-01")
    edit(git_repo / "goals" / "2026" / "product.yaml", "title: Improve feature adoption", "title: Lift adoption")
    loaded: list[str] = []
    real = diff_command._load_paths

    def recording(repository, side, config, paths, as_of, options):  # type: ignore[no-untyped-def]
        loaded.extend(paths)
        return real(repository, side, config, paths, as_of, options)

    monkeypatch.setattr(diff_command, "_load_paths", recording)
    result = okrctl("diff", "--as-of", "2026-11-15", "--format", "json", "HEAD", cwd=git_repo)
    assert result.code == 0, result.err
    # product.yaml on both sides, and the kpis files of the owners of its KPI and guardrails (product, support)
    assert sorted(set(loaded)) == ["goals/2026/product.yaml", "kpis/product.yaml", "kpis/support.yaml"]
