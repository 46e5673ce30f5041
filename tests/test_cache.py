"""The per-file cache gives exactly the findings of a run without it, whatever changed in between."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from conftest import AS_OF, EXAMPLES, run_okrctl

from okrctl.pipeline import CACHE_DIR


def _lint(folder: Path, *args: str) -> tuple[int, dict[str, Any]]:
    result = run_okrctl("lint", "--as-of", AS_OF, "--format", "json", *args, cwd=folder)
    return result.code, json.loads(result.out)


def _same_with_and_without_cache(folder: Path) -> dict[str, Any]:
    cached = _lint(folder)
    fresh = _lint(folder, "--no-cache")
    assert cached == fresh
    return cached[1]


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    root = tmp_path / "goals"
    shutil.copytree(EXAMPLES / "bad", root, ignore=shutil.ignore_patterns(CACHE_DIR))
    shutil.copytree(EXAMPLES / "acme", root / "acme", ignore=shutil.ignore_patterns(CACHE_DIR, "okrctl.yaml"))
    return root


def _entries(root: Path) -> list[Path]:
    return sorted(p for p in (root / CACHE_DIR).rglob("*") if p.is_file() and p.name != ".gitignore")


def test_the_cache_is_filled_ignored_by_git_and_reused(tree: Path) -> None:
    first = _same_with_and_without_cache(tree)
    entries = _entries(tree)
    assert len(entries) == first["files"]  # one entry per goal file
    assert (tree / CACHE_DIR / ".gitignore").read_text().splitlines()[-1] == "*"
    stamps = {p: p.stat().st_mtime_ns for p in entries}
    assert _same_with_and_without_cache(tree) == first
    assert {p: p.stat().st_mtime_ns for p in _entries(tree)} == stamps  # hits: nothing rewritten


def test_an_edited_file(tree: Path) -> None:
    _same_with_and_without_cache(tree)
    target = tree / "okr104-number-in-objective.yaml"
    target.write_text(target.read_text().replace("Grow revenue by 15%", "Grow revenue faster than the market"))
    after = _same_with_and_without_cache(tree)
    assert "okr104-number-in-objective.yaml" not in {f["path"] for f in after["findings"]}


def test_a_changed_config(tree: Path) -> None:
    before = _same_with_and_without_cache(tree)
    (tree / "okrctl.yaml").write_text("lint:\n  max_objective_words: 3\n  ignore: [OKR202]\n")
    after = _same_with_and_without_cache(tree)
    codes = [f["code"] for f in after["findings"]]
    assert "OKR202" not in codes and codes.count("OKR105") > 1
    assert after != before


def test_a_new_okrctl_version(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from datetime import date

    from okrctl import pipeline
    from okrctl.commands.lint import collect

    monkeypatch.chdir(tree)
    first = collect([], date(2026, 11, 23))
    count = len(_entries(tree))
    fingerprint = pipeline.code_fingerprint
    monkeypatch.setattr(pipeline, "__version__", "99.0.0")
    fingerprint.cache_clear()
    again = collect([], date(2026, 11, 23))
    assert again.findings == first.findings
    assert len(_entries(tree)) == 2 * count  # the new version wrote its own entries

    # Changed code under the same version number (an install from git): new entries again.
    monkeypatch.setattr(pipeline, "code_fingerprint", lambda: "other code")
    third = collect([], date(2026, 11, 23))
    assert third.findings == first.findings
    assert len(_entries(tree)) == 3 * count
    fingerprint.cache_clear()  # computed again, with the real version, after monkeypatch restores it


def test_a_deleted_and_a_renamed_file(tree: Path) -> None:
    _same_with_and_without_cache(tree)
    (tree / "okr007-zero-range.yaml").unlink()
    (tree / "okr106-grade-without-note.yaml").rename(tree / "renamed.yaml")
    after = _same_with_and_without_cache(tree)
    paths = {f["path"] for f in after["findings"]}
    assert "okr007-zero-range.yaml" not in paths and "okr106-grade-without-note.yaml" not in paths
    assert "renamed.yaml" in paths


def test_corrupt_and_forged_entries_are_ignored(tree: Path) -> None:
    first = _same_with_and_without_cache(tree)
    entries = _entries(tree)
    entries[0].write_bytes(b"not a cache entry")
    entries[1].write_bytes(entries[1].read_bytes()[:40])  # truncated
    # A forged entry: a valid pickle that would run code, without okrctl's signature.
    entries[2].write_bytes(b"\0" * 32 + b"cos\nsystem\n(S'touch pwned'\ntR.")
    assert _same_with_and_without_cache(tree) == first
    assert not (tree / "pwned").exists()


def test_a_read_only_tree_runs_without_the_cache(tree: Path, tmp_path: Path) -> None:
    import os

    if os.geteuid() == 0:
        pytest.skip("root writes anywhere")
    tree.chmod(0o555)
    try:
        assert _lint(tree)[0] == 1
    finally:
        tree.chmod(0o755)


def test_a_generated_tree_gives_the_same_output_with_any_jobs_and_cache(tmp_path: Path) -> None:
    """A running quarter without KPI-fed starts: lint never loads check-ins and measurements back."""
    import sys

    from conftest import ROOT

    sys.path.insert(0, str(ROOT / "benchmarks"))
    from generate import generate

    generate(tmp_path, 70)  # 148 goal files: enough for worker processes
    runs = [
        run_okrctl("lint", "--as-of", AS_OF, "--format", "json", *args, cwd=tmp_path)
        for args in (["--no-cache", "--jobs", "1"], ["--no-cache", "--jobs", "2"], ["--jobs", "2"], [])
    ]
    assert len({(r.code, r.out) for r in runs}) == 1
    assert json.loads(runs[0].out)["files"] == 148  # 70 teams x 2, 7 departments, the company
    scores = {
        run_okrctl("score", "--as-of", AS_OF, "--format", "json", *args, cwd=tmp_path).out
        for args in (["--no-cache", "--jobs", "1"], [], [])
    }
    assert len(scores) == 1
    assert '"value"' in scores.pop()  # check-ins were loaded back for the report


def test_set_aside_details_refuse_any_use_until_loaded() -> None:
    from datetime import date

    from okrctl.config import Config
    from okrctl.model import KpiFile
    from okrctl.pipeline import process

    result = process(EXAMPLES / "acme" / "kpis" / "support.yaml", Config(), date(2026, 11, 23), True)
    assert result is not None
    assert isinstance(result.file.model, KpiFile)
    kpi = result.file.model.kpis[0]
    with pytest.raises(RuntimeError, match=r"call GoalFile\.load_details"):
        list(kpi.measurements)
    result.file.load_details()
    assert isinstance(result.file.model, KpiFile)
    assert result.file.model.kpis[0].measurements[-1] == {
        "date": date(2026, 10, 31),
        "value": 4.6,
        "note": "save desk started Oct 5",
    }
