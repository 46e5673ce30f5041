"""okrctl's own files: what is at a path (links not followed); temporary files, with one maker
(`create_temporary`) for the cache, exports and edits, and one tidier that removes what killed runs left
behind, never a link, never another file's, never one a running writer may hold."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from okrctl.safe_files import (
    STALE_TEMPORARY_AGE,
    TEMPORARY_SUFFIX,
    create_temporary,
    file_type,
    remove_stale_temporaries,
)

LONG_AGO = time.time() - STALE_TEMPORARY_AGE - 60


def test_the_file_type_is_that_of_the_path_itself(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    (tmp_path / "folder").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "folder")
    (tmp_path / "dangling").symlink_to(tmp_path / "nothing")
    os.mkfifo(tmp_path / "pipe")
    names = ["file", "folder", "link", "dangling", "pipe", "nothing"]
    assert [file_type(tmp_path / name) for name in names] == ["file", "folder", "link", "link", "other", None]
    with pytest.raises(OSError):
        file_type(tmp_path / "file" / "below")  # a parent that is no folder: cannot be told


@pytest.fixture
def folder_as(request: pytest.FixtureRequest, tmp_path: Path) -> object:
    """The folder as a path, or as an open folder's descriptor (how an edit names it)."""
    if request.param == "path":
        yield tmp_path
        return
    descriptor = os.open(tmp_path, os.O_RDONLY | os.O_DIRECTORY)
    yield descriptor
    os.close(descriptor)


@pytest.mark.parametrize("folder_as", ["path", "descriptor"], indirect=True)
def test_a_temporary_is_new_hidden_named_after_its_file_and_made_with_the_mode(
    folder_as: Path | int, tmp_path: Path
) -> None:
    descriptor, temporary = create_temporary(folder_as, "okrs.yaml", mode=0o600)
    os.write(descriptor, b"data")
    os.close(descriptor)
    made = tmp_path / temporary.name
    assert temporary.is_absolute() is isinstance(folder_as, Path)
    assert made.name.startswith(".okrs.yaml.") and made.name.endswith(TEMPORARY_SUFFIX)
    assert made.read_bytes() == b"data"
    assert made.stat().st_mode & 0o777 == 0o600 & ~_umask()


def test_a_temporary_is_never_made_through_a_link(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    elsewhere = tmp_path / "elsewhere"
    monkeypatch.setattr("secrets.token_hex", lambda _: "k3x9q2ab")
    (tmp_path / f".okrs.yaml.k3x9q2ab{TEMPORARY_SUFFIX}").symlink_to(elsewhere)
    with pytest.raises(FileExistsError):
        create_temporary(tmp_path, "okrs.yaml")
    assert not elsewhere.exists()


@pytest.mark.parametrize("folder_as", ["path", "descriptor"], indirect=True)
def test_stale_temporaries_of_the_file_go_and_nothing_else(folder_as: Path | int, tmp_path: Path) -> None:
    stale = tmp_path / f".okrs.yaml.k3x9q2ab{TEMPORARY_SUFFIX}"
    fresh = tmp_path / f".okrs.yaml.zz11yy22{TEMPORARY_SUFFIX}"  # a writer may hold it now
    other = tmp_path / f".kpis.yaml.k3x9q2ab{TEMPORARY_SUFFIX}"  # another file's
    unlike = tmp_path / ".okrs.yaml.backup"  # not a name of ours
    for path in (stale, fresh, other, unlike):
        path.write_text("partial")
        os.utime(path, (LONG_AGO, LONG_AGO))
    os.utime(fresh, None)
    link = tmp_path / f".okrs.yaml.aaaabbbb{TEMPORARY_SUFFIX}"
    link.symlink_to(unlike)
    os.utime(link, (LONG_AGO, LONG_AGO), follow_symlinks=False)
    remove_stale_temporaries(folder_as, "okrs.yaml")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([fresh.name, other.name, unlike.name, link.name])
    remove_stale_temporaries(folder_as)  # every file's
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([fresh.name, unlike.name, link.name])
    assert unlike.read_text() == "partial"


def test_a_missing_folder_has_nothing_to_tidy(tmp_path: Path) -> None:
    remove_stale_temporaries(tmp_path / "gone", "okrs.yaml")


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
