"""How an edit reaches the disk: one okrctl edit of a file at a time, checked, then an atomic replace.

- **A lock per file** (`fcntl.flock` on `.NAME.okrctl-lock` beside it) is held from the re-read of the file
  through the rename, so two concurrent edits cannot both report success while one is lost; the second waits
  (up to `LOCK_TIMEOUT`) instead of being refused. The lock file is removed when the edit ends; a waiter that
  finds it replaced locks the new one.
- **Only inside the goals root**: the file is edited where its symlinks lead, but only if that is inside the
  goals root; every step opens names relative to the folder, without following links.
- **Refused, nothing written**: a read-only file (its write bits, since root ignores permissions), a file with
  several hard links (the rename would split them), a result over the loader's size limit, a file that changed
  on disk since it was read.
- **Atomic**: a temporary `.NAME.XXXXXXXX.okrctl-tmp` (`safe_files.create_temporary`) gets the original's
  mode and, where allowed, its owner and group; it is flushed, synced and renamed over the original.
  Temporary files of this file that a killed edit left behind are removed by the next edit, once stale.
"""

from __future__ import annotations

import fcntl
import os
import stat
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from okrctl.errors import UserError
from okrctl.loader import MAX_BYTES, GoalFile
from okrctl.safe_files import create_temporary, remove_stale_temporaries

BOM = "\ufeff"
LOCK_TIMEOUT = 10.0  # seconds an edit waits for another edit of the same file


class EditRefused(UserError):
    """An edit we will not make; nothing was written."""


def target_inside(path: Path, root: Path, shown: str) -> Path:
    """The file an edit of `path` writes (through any symlinks), refused when that is outside `root`."""
    target = path.resolve()
    if not target.is_relative_to(root.resolve()):
        raise EditRefused(
            f"{shown} leads to {target}, outside the goals root {root.resolve()}: okrctl edits files only inside "
            "it; nothing was written"
        )
    return target


def lock_name(target: Path) -> str:
    return f".{target.name}.okrctl-lock"


@contextmanager
def edit_lock(target: Path, shown: str, timeout: float = LOCK_TIMEOUT) -> Iterator[None]:
    """Hold the edit lock of `target` (waiting up to `timeout` seconds for another edit to finish)."""
    folder = _open_folder(target, shown)
    try:
        descriptor = _acquire(folder, lock_name(target), shown, timeout)
        try:
            remove_stale_temporaries(folder, target.name)
            yield
        finally:
            with suppress(OSError):  # before the lock goes: a waiter then sees the name gone and retries
                os.unlink(lock_name(target), dir_fd=folder)
            os.close(descriptor)
    finally:
        os.close(folder)


def _open_folder(target: Path, shown: str) -> int:
    try:
        return os.open(target.parent, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except OSError as error:
        raise EditRefused(f"cannot open the folder of {shown}: {error.strerror or error}") from None


def _acquire(folder: int, name: str, shown: str, timeout: float) -> int:
    deadline = time.monotonic() + timeout
    flags = os.O_RDONLY | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
    while True:
        try:
            descriptor = os.open(name, flags, 0o644, dir_fd=folder)
        except OSError as error:
            raise EditRefused(f"cannot create the lock file {name} beside {shown}: {error.strerror or error}") from None
        try:
            if not stat.S_ISREG(os.fstat(descriptor).st_mode):
                raise EditRefused(f"{name} beside {shown} is not a regular file: remove it; nothing was written")
            while True:
                try:
                    fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        raise EditRefused(
                            f"{shown} is being edited by another okrctl process (it has held {name} for over "
                            f"{timeout:g} s); nothing was written: try again"
                        ) from None
                    time.sleep(0.02)
            if _same_file(folder, name, descriptor):
                return descriptor
            os.close(descriptor)  # the edit before ours removed this lock file: lock the current one
        except BaseException:
            os.close(descriptor)
            raise


def _same_file(folder: int, name: str, descriptor: int) -> bool:
    try:
        named = os.stat(name, dir_fd=folder, follow_symlinks=False)
    except FileNotFoundError:
        return False
    held = os.fstat(descriptor)
    return (named.st_dev, named.st_ino) == (held.st_dev, held.st_ino)


def replace_goal_file(target: Path, file: GoalFile, new_text: str) -> None:
    """Replace `target` (a resolved path) with `new_text`, atomically, unless it changed since `file` was read.

    The caller holds `edit_lock(target)`, so no other okrctl edit runs between the re-read and the rename.
    """
    folder = _open_folder(target, file.path)
    try:
        original, status = _read(folder, target.name, file.path)
        _check_writable(status, folder, target.name, file.path)
        bom = BOM if original.startswith(BOM.encode()) else ""
        if original.decode("utf-8-sig", errors="replace") != file.text:
            raise EditRefused(f"{file.path} changed on disk while okrctl was editing it; nothing was written")
        data = (bom + new_text).encode("utf-8")
        check_size(file.path, len(data))
        _replace(folder, target.name, file.path, data, original, status)
        if _deferred is not None:
            _deferred.add(os.fspath(target.parent))
        else:
            with suppress(OSError):  # make the rename itself durable; some file systems cannot sync a folder
                os.fsync(folder)
    finally:
        os.close(folder)


def create_goal_file(target: Path, root: Path, shown: str, text: str) -> None:
    """Write `text` as the new file `target`, inside the goals root `root`: atomically (a temporary file,
    synced, then hard-linked to its name, so a reader never sees part of it) and only where nothing is, even
    in a race (the link fails on an existing name). Missing folders are made; nothing is written outside
    `root`, wherever a link leads."""
    data = text.encode("utf-8")
    check_size(shown, len(data))
    existing = target.parent
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    target_inside(existing, root, shown)  # before making any folder: a link may lead out of the root
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise EditRefused(
            f"cannot make the folder of {shown}: {error.strerror or error}; nothing was written"
        ) from None
    target_inside(target.parent, root, shown)
    folder = _open_folder(target, shown)
    try:
        try:
            descriptor, temporary = create_temporary(folder, target.name)
        except OSError as error:
            raise EditRefused(f"cannot write next to {shown}: {error.strerror or error}; nothing was written") from None
        try:
            with os.fdopen(descriptor, "wb") as stream:
                stream.write(data)
                stream.flush()
                os.fsync(stream.fileno())
            os.link(temporary, target.name, src_dir_fd=folder, dst_dir_fd=folder, follow_symlinks=False)
        except FileExistsError:
            raise EditRefused(f"{shown} exists: okrctl never overwrites a file; nothing was written to it") from None
        except OSError as error:
            raise EditRefused(f"cannot write {shown}: {error.strerror or error}; nothing was written") from None
        finally:
            with suppress(OSError):
                os.unlink(temporary, dir_fd=folder)
        with suppress(OSError):  # make the new name durable; some file systems cannot sync a folder
            os.fsync(folder)
    finally:
        os.close(folder)


def check_size(shown: str, size: int) -> None:
    """Refuse an edit that would push a file over the size every command reads (the loader's limit)."""
    if size > MAX_BYTES:
        raise EditRefused(
            f"{shown}: the edit would make the file {size:,} bytes, over the {MAX_BYTES:,}-byte (1 MiB) limit "
            "of goal files; nothing was written: split the file"
        )


def _read(folder: int, name: str, shown: str) -> tuple[bytes, os.stat_result]:
    try:
        descriptor = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC, dir_fd=folder)
    except OSError as error:
        raise EditRefused(f"cannot read {shown}: {error.strerror or error}; nothing was written") from None
    try:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode):
            raise EditRefused(f"{shown} is not a regular file; nothing was written")
        with os.fdopen(os.dup(descriptor), "rb") as stream:
            return stream.read(), status
    finally:
        os.close(descriptor)


def _check_writable(status: os.stat_result, folder: int, name: str, shown: str) -> None:
    mode = stat.S_IMODE(status.st_mode)
    # Root may write anything, so the mode bits decide too: a file nobody may write is read-only on purpose.
    if not mode & 0o222 or not os.access(name, os.W_OK, dir_fd=folder):
        raise EditRefused(
            f"{shown} is read-only (mode {mode:04o}): make it writable (chmod u+w) to edit it; nothing was written"
        )
    if status.st_nlink > 1:
        raise EditRefused(
            f"{shown} has {status.st_nlink} hard links: okrctl writes a new file and renames it over the old one, "
            "which would split them; edit it by hand, or make it a single file (a symlink works); nothing was written"
        )


def _replace(folder: int, name: str, shown: str, data: bytes, original: bytes, status: os.stat_result) -> None:
    try:
        descriptor, temporary = create_temporary(folder, name, mode=0o600)
    except OSError as error:
        raise EditRefused(f"cannot write next to {shown}: {error.strerror or error}; nothing was written") from None
    try:
        with os.fdopen(descriptor, "wb") as stream:
            _keep_owner(stream.fileno(), status)
            os.fchmod(stream.fileno(), stat.S_IMODE(status.st_mode))
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        if _read(folder, name, shown)[0] != original:
            raise EditRefused(f"{shown} changed on disk while okrctl was editing it; nothing was written")
        os.replace(temporary, name, src_dir_fd=folder, dst_dir_fd=folder)
    except OSError as error:
        with suppress(OSError):
            os.unlink(temporary, dir_fd=folder)
        raise EditRefused(f"cannot write {shown}: {error.strerror or error}; nothing was written") from None
    except BaseException:
        with suppress(OSError):
            os.unlink(temporary, dir_fd=folder)
        raise


# Folders whose renames wait for `sync_deferred_folders` (None: each rename is made durable at once).
_deferred: set[str] | None = None


def defer_folder_syncs() -> None:
    """Make the renames of the files replaced from now on durable once per folder, at `sync_deferred_folders`,
    rather than once per file: an import of many files in one folder syncs it once. Each file's content is
    still synced before its rename, so a crash leaves every file whole, old or new."""
    global _deferred
    _deferred = set()


def sync_deferred_folders() -> None:
    global _deferred
    folders, _deferred = _deferred or set(), None
    for path in sorted(folders):
        with suppress(OSError):
            descriptor = os.open(path, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
            try:
                os.fsync(descriptor)
            finally:
                os.close(descriptor)


def _keep_owner(descriptor: int, status: os.stat_result) -> None:
    """Give the new file the original's owner and group where we may (root; or a group we belong to)."""
    mine = os.fstat(descriptor)
    if (mine.st_uid, mine.st_gid) == (status.st_uid, status.st_gid):
        return
    try:
        os.fchown(descriptor, status.st_uid, status.st_gid)
    except PermissionError:
        with suppress(PermissionError):
            os.fchown(descriptor, -1, status.st_gid)
