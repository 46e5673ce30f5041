"""Reading a goal file's bytes and text, and the path as reports show it.

Apart from the loader (which re-exports all of it) so that a lint run that reuses its remembered result can
read and hash the files without importing the goal-file models.
"""

from __future__ import annotations

import functools
import os
import re
import stat
from pathlib import Path

from okrctl.findings import Problem
from okrctl.reporters.safe_text import printable

MAX_BYTES = 1024 * 1024


def display_path(path: Path) -> str:
    """The path as reports show it: relative to the current directory, with forward slashes, and safe to print.

    Characters that are not printable are shown escaped (`\\n`, `\\x1b`, `\\u202e`), and bytes that are not
    UTF-8 as `\\xff`: a file name can then neither drive the terminal (retitle it, hide text), nor forge a line
    of output, nor fail to encode on a strict UTF-8 stdout. Every path a user sees goes through here.
    """
    return _relative(path, os.getcwd())  # noqa: PTH109 - a str key for the memo, without a Path per call


@functools.lru_cache(maxsize=16384)
def _relative(path: Path, cwd: str) -> str:
    # Memoised, and a string cut for the usual case (a file below the current directory): `relpath` cost
    # a tenth of a warm run over a large tree.
    text = os.path.normpath(os.path.join(cwd, path))  # noqa: PTH118 - plain strings: a hot path
    below = cwd.rstrip(os.sep) + os.sep
    if text.startswith(below):
        shown = text[len(below) :]
    else:
        try:
            shown = os.path.relpath(text, cwd)
        except ValueError:  # another drive, on Windows
            shown = text
    return printable(shown.replace(os.sep, "/"))


# What a file's status says of its content: size, modification and change times, inode, device. The same
# status as when a file was read means the same bytes, unless it was written again within the same tick of
# the clock that stamps it: see `pipeline.read_stage` for when a status is trusted.
Status = tuple[int, int, int, int, int]


def status_of(status: os.stat_result) -> Status:
    return (status.st_size, status.st_mtime_ns, status.st_ctime_ns, status.st_ino, status.st_dev)


def file_status(path: Path) -> Status | None:
    """The status of the file a read of `path` would open (links followed, as `os.open` does), or None."""
    try:
        status = path.stat()
    except (OSError, ValueError):
        return None
    return status_of(status) if stat.S_ISREG(status.st_mode) else None


def read_bytes(path: Path) -> tuple[bytes | None, Problem | None]:
    """The file's bytes, or the OKR001 problem that stops us reading them (checked before reading).

    Opened without blocking, so a named pipe is reported rather than waited on, and checked on the open file
    (one system call fewer than stat-then-open, for every file of every run).
    """
    data, problem, _ = read_bytes_and_status(path)
    return data, problem


def read_bytes_and_status(path: Path) -> tuple[bytes | None, Problem | None, Status | None]:
    """`read_bytes`, and the file's status just before it was read (None when it was not)."""
    shown = display_path(path)
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError as error:
        return None, Problem(shown, 1, 1, f"cannot read file: {error.strerror or error}"), None
    try:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode):
            message = "not a regular file or folder (a pipe, socket or device): goal files are plain files"
            return None, Problem(shown, 1, 1, message), None
        size = status.st_size
        if size > MAX_BYTES:
            too_big = f"file is {size:,} bytes, over the {MAX_BYTES:,}-byte (1 MiB) limit"
            return None, Problem(shown, 1, 1, too_big), None
        chunks = []
        while chunk := os.read(descriptor, max(size, 65536)):  # a file may grow while we read it
            chunks.append(chunk)
        return b"".join(chunks), None, status_of(status)
    except OSError as error:
        return None, Problem(shown, 1, 1, f"cannot read file: {error.strerror or error}"), None
    finally:
        os.close(descriptor)


def read_text(path: Path, data: bytes | None = None) -> tuple[str | None, Problem | None]:
    """The file's text (from `data` when already read), or the OKR001 problem that stops us reading it."""
    shown = display_path(path)
    if data is None:
        data, problem = read_bytes(path)
        if data is None:
            return None, problem
    if len(data) > MAX_BYTES:  # bytes read elsewhere (a version from git), cut short past the limit
        return None, Problem(shown, 1, 1, f"file is over the {MAX_BYTES:,}-byte (1 MiB) limit")
    if b"\0" in data or data.startswith((b"\xff\xfe", b"\xfe\xff")):
        wide = wide_text(data)
        if wide is not None:
            return None, Problem(shown, 1, 1, f"the file is {wide[0]}: save it as UTF-8")
        return None, Problem(shown, 1, 1, "binary file (it holds NUL bytes): goal files are UTF-8 text")
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as error:
        before = data[: error.start]
        line = before.count(b"\n") + 1
        column = len(before) - (before.rfind(b"\n") + 1) + 1
        byte = data[error.start]
        return None, Problem(shown, line, column, f"not UTF-8 (byte 0x{byte:02x}): save the file as UTF-8")


_WIDE_BOMS = (  # longest first: the UTF-32 little-endian BOM starts with UTF-16's
    (b"\xff\xfe\x00\x00", "utf-32-le", "UTF-32"),
    (b"\x00\x00\xfe\xff", "utf-32-be", "UTF-32"),
    (b"\xff\xfe", "utf-16-le", "UTF-16"),
    (b"\xfe\xff", "utf-16-be", "UTF-16"),
)


def wide_text(data: bytes) -> tuple[str, str] | None:
    """(name, text) when `data` is UTF-16 or UTF-32 text (with a BOM, or without one but plainly text), else None.

    Windows editors save "Unicode" as UTF-16: such a file is text to its author, so it is named as such rather
    than called binary. Without a BOM, a decoding counts only if it gives mostly ASCII and no control characters,
    which binary data does not.
    """
    for bom, codec, name in _WIDE_BOMS:
        if data.startswith(bom):
            try:
                return name, data[len(bom) :].decode(codec)
            except UnicodeDecodeError:
                return None
    for codec, name in (
        ("utf-32-le", "UTF-32"),
        ("utf-32-be", "UTF-32"),
        ("utf-16-le", "UTF-16"),
        ("utf-16-be", "UTF-16"),
    ):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        if text and not _CONTROL_IN_TEXT.search(text) and sum(c < "\x80" for c in text) * 2 >= len(text):
            return name, text
    return None


_CONTROL_IN_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
