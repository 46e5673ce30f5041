"""A remembered lint trusts a file's status instead of reading it, as git's index does: same size, modification
and change times, inode and device as when the remembered run read it means the same bytes, unless the file
was modified within two seconds before that run began reading ("racily clean"): such a file is read again."""

from __future__ import annotations

import os
import shutil
import time
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from conftest import EXAMPLES

from okrctl import goal_bytes, pipeline
from okrctl.cache import CACHE_DIR
from okrctl.commands.lint import collect

HOUR_AGO = time.time() - 3600


@pytest.fixture
def acme(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "repo"
    shutil.copytree(EXAMPLES / "acme", root, ignore=shutil.ignore_patterns(CACHE_DIR))
    monkeypatch.chdir(root)
    return root


def _age(root: Path) -> None:
    for path in root.rglob("*.yaml"):
        os.utime(path, (HOUR_AGO, HOUR_AGO))


def _lint(use_cache: bool = True) -> list[Any]:
    return collect([], date(2026, 11, 23), use_cache=use_cache).findings


def _count_reads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    reads: list[Path] = []

    def counted(path: Path) -> Any:
        reads.append(path)
        return goal_bytes.read_bytes_and_status(path)

    monkeypatch.setattr(pipeline, "read_bytes_and_status", counted)
    return reads


def _same_size_edit(target: Path) -> None:
    text = target.read_text()
    assert "period: 2026-Q4" in text
    target.write_text(text.replace("period: 2026-Q4", "period: 2026-Q9"))  # same size, now an error


def test_an_unchanged_old_file_is_not_read_again(acme: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _age(acme)
    fresh = _lint(use_cache=False)
    assert _lint() == fresh  # fills the cache and the memo
    reads = _count_reads(monkeypatch)
    assert _lint() == fresh
    assert reads == []


def test_an_edit_that_keeps_size_and_modification_time_is_seen(acme: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Restoring the modification time (`touch -d`, `os.utime`) sets the change time: the status differs."""
    _age(acme)
    before = _lint()
    target = acme / "goals" / "2026" / "sales.yaml"
    _same_size_edit(target)
    os.utime(target, (HOUR_AGO, HOUR_AGO))
    after = _lint()
    assert after != before
    assert after == _lint(use_cache=False)
    assert any(f.path.endswith("sales.yaml") and f.code == "OKR002" for f in after)


def test_an_edit_is_seen_whenever_the_modification_time_changes(acme: Path) -> None:
    _age(acme)
    before = _lint()
    target = acme / "goals" / "2026" / "sales.yaml"
    _same_size_edit(target)
    os.utime(target, (HOUR_AGO + 1, HOUR_AGO + 1))
    assert _lint() != before
    assert _lint() == _lint(use_cache=False)


def test_a_racily_clean_file_is_read_again_even_when_its_status_is_unchanged(
    acme: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Files written just before the run that remembered them: an edit within the same tick of a coarse clock
    keeps the whole status, faked here by reporting the status the file had before the edit."""
    target = acme / "goals" / "2026" / "sales.yaml"
    target.write_text(target.read_text())  # modified just before the run: racily clean
    before = _lint()
    remembered = goal_bytes.file_status(target)
    _same_size_edit(target)
    real = goal_bytes.file_status

    def same_status(path: Path) -> Any:
        return remembered if Path(path).samefile(target) else real(path)

    monkeypatch.setattr(pipeline, "file_status", same_status)
    reads = _count_reads(monkeypatch)
    after = _lint()
    assert after != before
    assert any(Path(path).name == "sales.yaml" for path in reads)
    monkeypatch.undo()
    monkeypatch.chdir(acme)
    assert after == _lint(use_cache=False)


def test_a_file_replaced_by_another_of_the_same_size_and_times_is_seen(acme: Path) -> None:
    """A new inode (an editor that saves by renaming a new file over the old) is a new file."""
    _age(acme)
    before = _lint()
    target = acme / "goals" / "2026" / "sales.yaml"
    status = target.stat()
    replacement = target.with_suffix(".new")
    replacement.write_text(target.read_text().replace("period: 2026-Q4", "period: 2026-Q9"))
    os.utime(replacement, ns=(status.st_atime_ns, status.st_mtime_ns))
    replacement.replace(target)
    assert _lint() != before
