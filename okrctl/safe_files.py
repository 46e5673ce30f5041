"""Reading and writing okrctl's own files (the cache, its signing key, exports) without following links.

A repository can commit symbolic links anywhere, including inside `.okrctl-cache/`: a link there must never make
okrctl create, overwrite or read a file elsewhere. So a file is only ever created new (`O_CREAT | O_EXCL`, never
through a link: `O_NOFOLLOW`) under a temporary name and renamed into place, and only over nothing or over a
regular file; and it is read only when it is a regular file of a bounded size, without blocking on a pipe.
The cache, exports and edits all make their temporary files here, and tidy away those of killed runs here.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import secrets
import stat
import time
from pathlib import Path

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_BINARY = getattr(os, "O_BINARY", 0)
TEMPORARY_SUFFIX = ".okrctl-tmp"
STALE_TEMPORARY_AGE = 300.0
"""Seconds after which a temporary file of ours is taken for one a killed run left behind: a running writer's
is seconds old, and five minutes leave room for a slow disk."""


def file_type(path: Path) -> str | None:
    """The type of what is at `path` itself, a link not followed: "file" (a regular file), "folder", "link",
    "other" (a pipe, a device, a socket), or None for nothing.

    Raises OSError when that cannot be told (a parent that is not a folder, no permission).
    """
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return None
    if stat.S_ISLNK(mode):
        return "link"
    if stat.S_ISREG(mode):
        return "file"
    return "folder" if stat.S_ISDIR(mode) else "other"


def refuse_unless_file(path: Path) -> None:
    """Raise OSError unless `path` holds nothing or a regular file (what a rename may replace)."""
    found = file_type(path)
    if found == "link":
        raise OSError(errno.ELOOP, "it is a symbolic link (okrctl never writes through one)", str(path))
    if found not in (None, "file"):
        raise OSError(errno.EEXIST, "it is not a regular file", str(path))


def read_regular(path: Path, limit: int) -> bytes | None:
    """The bytes of the regular file at `path`; None when it is missing or unreadable, not a regular file (a link,
    a pipe, a device), or larger than `limit` bytes. Never follows a link, never blocks, never reads past `limit`."""
    try:
        descriptor = os.open(path, os.O_RDONLY | _NOFOLLOW | _NONBLOCK | _BINARY)
    except OSError:
        return None
    try:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode) or status.st_size > limit:
            return None
        chunks: list[bytes] = []
        total = 0
        while total <= limit and (chunk := os.read(descriptor, min(max(status.st_size, 65536), limit + 1 - total))):
            chunks.append(chunk)  # a file may grow while we read it: at most one byte past the limit is read
            total += len(chunk)
        return None if total > limit else b"".join(chunks)
    except OSError:
        return None
    finally:
        os.close(descriptor)


def create_temporary(folder: Path | int, name: str, suffix: str = "", mode: int = 0o666) -> tuple[int, Path]:
    """A new empty file `.NAME.XXXXXXXX.okrctl-tmp` in `folder`, open for writing, and its path.

    `folder` is a path, or the descriptor of an open folder: then the path is relative to it (use `dir_fd`).
    Created by this call and no one else: `O_EXCL` never opens an existing name, `O_NOFOLLOW` never a link.
    """
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _BINARY
    for _ in range(100):
        temporary = f".{name}.{secrets.token_hex(4)}{TEMPORARY_SUFFIX}{suffix}"
        try:
            if isinstance(folder, int):
                return os.open(temporary, flags, mode, dir_fd=folder), Path(temporary)
            return os.open(folder / temporary, flags, mode), folder / temporary
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no free temporary name", str(folder))


def remove_stale_temporaries(folder: Path | int, name: str | None = None) -> None:
    """Remove the temporary files that killed runs left in `folder`: those of the file `name`, or all of ours.

    Only okrctl's own names (see `create_temporary`), only regular files (a link is neither followed nor
    removed), and only once older than `STALE_TEMPORARY_AGE`. `folder` is a path or an open folder's descriptor.
    """
    ours = re.compile(rf"\.{re.escape(name) if name else '.+'}\.\w+{re.escape(TEMPORARY_SUFFIX)}", re.ASCII)
    oldest_kept = time.time() - STALE_TEMPORARY_AGE
    with contextlib.suppress(OSError), os.scandir(folder) as entries:
        for entry in entries:
            if not ours.fullmatch(entry.name) or not entry.is_file(follow_symlinks=False):
                continue
            with contextlib.suppress(OSError):
                if entry.stat(follow_symlinks=False).st_mtime < oldest_kept:
                    # Listing a descriptor gives bare names as paths: they are then relative to it.
                    os.unlink(entry.path, dir_fd=folder if isinstance(folder, int) else None)


def replace_with(temporary: Path, target: Path) -> None:
    """Rename `temporary` over `target` (atomic), if `target` holds nothing or a regular file."""
    refuse_unless_file(target)
    temporary.replace(target)


def write_atomically(target: Path, data: bytes, mode: int = 0o666) -> None:
    """Write `data` as `target`: a reader sees the old file or the new one, never a part; raises OSError."""
    refuse_unless_file(target)
    descriptor, temporary = create_temporary(target.parent, target.name, mode=mode)
    try:
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(data)
        replace_with(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise
