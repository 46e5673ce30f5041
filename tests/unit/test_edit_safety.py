"""How an edit reaches the disk: the per-file lock, the checks that refuse a write, the atomic replace."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest
from edit_samples import KPIS, OKRS, files_in
from test_edit_upserts import okrctl

from okrctl.commands import edit
from okrctl.commands.common import load_for_editing
from okrctl.project import Project
from okrctl.safe_files import STALE_TEMPORARY_AGE
from okrctl.writing import EditRefused, edit_lock, lock_name


@pytest.fixture
def goals(tmp_path: Path) -> Path:
    (tmp_path / "okrs.yaml").write_text(OKRS, encoding="utf-8")
    (tmp_path / "kpis.yaml").write_text(KPIS, encoding="utf-8")
    return tmp_path


# -- concurrent edits ---------------------------------------------------------------------------


# The concurrent runs of the real entry point: tests/acceptance/test_concurrent_edits.py


def test_an_edit_waits_for_the_lock_and_refuses_after_the_timeout(goals: Path) -> None:
    target = goals / "okrs.yaml"
    with edit_lock(target, "okrs.yaml"):
        assert (goals / lock_name(target)).exists()
        started = time.monotonic()
        with (
            pytest.raises(EditRefused, match=r"okrs\.yaml is being edited by another okrctl process .* try again"),
            edit_lock(target, "okrs.yaml", timeout=0.3),
        ):
            pass
        assert time.monotonic() - started >= 0.3
    assert not (goals / lock_name(target)).exists()

    held = threading.Event()

    def hold() -> None:
        with edit_lock(target, "okrs.yaml"):
            held.set()
            time.sleep(0.3)

    holder = threading.Thread(target=hold)
    holder.start()
    assert held.wait(10)
    started = time.monotonic()
    with edit_lock(target, "okrs.yaml", timeout=10):  # waits for the holder instead of failing
        assert time.monotonic() - started >= 0.1
    holder.join()
    assert not (goals / lock_name(target)).exists()


def test_an_edit_planned_on_a_stale_read_is_replanned_under_the_lock(
    goals: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another edit lands between our read and our lock: ours is made on top of it, not refused, not lost."""
    monkeypatch.chdir(goals)
    stale = load_for_editing([])
    assert okrctl(goals, "checkin", "ops/rel/lat", "350", "--date", "2026-11-10").code == 0
    monkeypatch.setattr(edit, "_load", lambda *words: (stale, Project([f for f in stale.files if f.valid])))
    options = edit.CheckinOptions("ops/rel/lat", "340", edit.parse_day("2026-11-17"), None, None, None)
    assert edit.run_checkin(options) == 0
    text = (goals / "okrs.yaml").read_text()
    assert "{date: 2026-11-10, value: 350}" in text
    assert "{date: 2026-11-17, value: 340}" in text


# -- refusals that write nothing (over the size limit, read-only, hard links, outside the goals root) ----------------------------------------


def test_a_read_only_file_is_refused(goals: Path) -> None:
    (goals / "okrs.yaml").chmod(0o444)  # root may write it anyway: the mode bits decide
    before = files_in(goals)
    result = okrctl(goals, "checkin", "ops/rel/lat", "300", "--date", "2026-11-20")
    assert (result.code, result.err) == (
        2,
        "okrctl: error: okrs.yaml is read-only (mode 0444): make it writable (chmod u+w) to edit it; "
        "nothing was written\n",
    )
    assert files_in(goals) == before
    assert (goals / "okrs.yaml").stat().st_mode & 0o777 == 0o444


def test_a_file_with_hard_links_is_refused(goals: Path) -> None:
    (goals / "elsewhere").mkdir()
    os.link(goals / "kpis.yaml", goals / "elsewhere" / "copy.txt")
    result = okrctl(goals, "measure", "ops/uptime", "99.9", "--date", "2026-11-20")
    assert result.code == 2
    assert result.err.startswith("okrctl: error: kpis.yaml has 2 hard links: okrctl writes a new file and renames")
    assert (goals / "kpis.yaml").read_text() == KPIS
    assert (goals / "kpis.yaml").stat().st_ino == (goals / "elsewhere" / "copy.txt").stat().st_ino


def test_a_link_to_a_file_outside_the_goals_root_is_refused(tmp_path: Path) -> None:
    root, outside = tmp_path / "root", tmp_path / "outside"
    root.mkdir()
    outside.mkdir()
    (root / "okrctl.yaml").write_text("fiscal_year_start: 1\n")
    (outside / "kpis.yaml").write_text(KPIS)
    (root / "kpis.yaml").symlink_to(outside / "kpis.yaml")
    result = okrctl(root, "measure", "ops/uptime", "99.9", "--date", "2026-11-20")
    assert result.code == 2
    assert result.err.startswith(f"okrctl: error: kpis.yaml leads to {outside / 'kpis.yaml'}, outside the goals root")
    assert (outside / "kpis.yaml").read_text() == KPIS
    assert sorted(p.name for p in outside.iterdir()) == ["kpis.yaml"]


def test_an_edit_over_the_size_limit_is_refused(tmp_path: Path) -> None:
    head = KPIS.replace("      - {date: 2026-10-05, value: 12}\n\n", "")
    padding = 1024 * 1024 - len(head) - 10
    text = head + "#" * (padding - 1) + "\n"
    (tmp_path / "kpis.yaml").write_text(text)
    assert okrctl(tmp_path, "lint", "--as-of", "2026-11-23").code == 0
    result = okrctl(tmp_path, "measure", "ops/uptime", "99.9", "--date", "2026-11-20")
    size = len(text) + len(", {date: 2026-11-20, value: 99.9}")  # appended inline to the flow list
    assert (result.code, result.err) == (
        2,
        f"okrctl: error: kpis.yaml: the edit would make the file {size:,} bytes, over the 1,048,576-byte (1 MiB) "
        "limit of goal files; nothing was written: split the file\n",
    )
    assert (tmp_path / "kpis.yaml").read_text() == text


# -- what the new file keeps, and what an edit tidies -----------------------------------------


def test_stale_temporary_files_of_the_edited_file_are_removed(goals: Path) -> None:
    old = time.time() - STALE_TEMPORARY_AGE - 60
    stale = goals / ".okrs.yaml.k3x9q2ab.okrctl-tmp"
    fresh = goals / ".okrs.yaml.zz11yy22.okrctl-tmp"  # perhaps an edit running now without a lock
    other = goals / ".kpis.yaml.k3x9q2ab.okrctl-tmp"  # another file's
    unlike = goals / ".okrs.yaml.backup"
    for path in (stale, fresh, other, unlike):
        path.write_text("partial")
        os.utime(path, (old, old))
    os.utime(fresh, None)
    link = goals / ".okrs.yaml.aaaabbbb.okrctl-tmp"
    link.symlink_to(unlike)
    os.utime(link, (old, old), follow_symlinks=False)
    assert okrctl(goals, "checkin", "ops/rel/lat", "300", "--date", "2026-11-20").code == 0
    assert sorted(p.name for p in goals.iterdir()) == sorted(
        [fresh.name, other.name, unlike.name, link.name, "kpis.yaml", "okrs.yaml"]
    )


@pytest.mark.skipif(os.geteuid() != 0, reason="only root can give a file to another user")
def test_the_owner_and_group_are_kept(goals: Path) -> None:
    os.chown(goals / "okrs.yaml", 4242, 4343)
    (goals / "okrs.yaml").chmod(0o664)
    assert okrctl(goals, "checkin", "ops/rel/lat", "300", "--date", "2026-11-20").code == 0
    status = (goals / "okrs.yaml").stat()
    assert (status.st_uid, status.st_gid, status.st_mode & 0o777) == (4242, 4343, 0o664)
    assert "{date: 2026-11-20, value: 300}" in (goals / "okrs.yaml").read_text()


def test_a_file_whose_name_needs_escaping_is_edited_where_it_is(goals: Path) -> None:
    """Its display path shows the tab escaped; the edit reads and writes the file itself."""
    (goals / "okrs.yaml").rename(goals / "ok\trs.yaml")
    before = (goals / "ok\trs.yaml").read_text(encoding="utf-8")
    result = okrctl(goals, "checkin", "ops/rel/lat", "300", "--date", "2026-11-20")
    assert result.code == 0, result.err
    assert result.out.startswith("ok\\trs.yaml: ops/rel/lat:")
    after = (goals / "ok\trs.yaml").read_text(encoding="utf-8")
    assert len(after.splitlines()) == len(before.splitlines()) + 1 and "300" in after
    assert sorted(p.name for p in goals.iterdir()) == ["kpis.yaml", "ok\trs.yaml"]


def test_an_edit_from_a_root_that_holds_a_nested_root_edits_its_own_files(goals: Path) -> None:
    """A folder below with its own okrctl.yaml is a project of its own; it does not block edits here (review)."""
    (goals / "okrctl.yaml").write_text("")
    (goals / "team").mkdir()
    (goals / "team" / "okrctl.yaml").write_text("")
    (goals / "team" / "kpis.yaml").write_text(KPIS.replace("owner: ops", "owner: team"), encoding="utf-8")
    result = okrctl(goals, "checkin", "ops/rel/lat", "300", "--date", "2026-11-20")
    assert result.code == 0, result.err
    assert "300" in (goals / "okrs.yaml").read_text(encoding="utf-8")
