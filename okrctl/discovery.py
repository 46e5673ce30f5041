"""Find candidate goal files under the paths a command was given (SPEC section 1, discovery)."""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from okrctl.errors import UserError

YAML_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True, order=True)
class Candidate:
    path: Path
    explicit: bool  # named on the command line, rather than found by walking a folder


def _excluded(relative: str, patterns: list[str]) -> bool:
    # fnmatch's `*` crosses `/`, so `archive/**` matches everything below archive/ and the folder itself.
    return bool(patterns) and any(fnmatch.fnmatch(relative, p) or fnmatch.fnmatch(relative + "/", p) for p in patterns)


def discover(paths: list[Path], root: Path, exclude: list[str]) -> list[Candidate]:
    """Files named directly, plus `.yaml`/`.yml` files under named folders, in a stable order.

    Hidden folders and the config's `exclude` globs (relative to the goals root) are skipped while
    walking; a file named directly is always read. A path that does not exist is a UserError.
    """
    found: dict[Path, Candidate] = {}
    for given in paths:
        if not os.path.lexists(given):
            raise UserError(f"{given}: no such file or directory")
        if given.is_dir():
            for path in _walk(given, root, exclude):
                found.setdefault(path, Candidate(path, explicit=False))
        else:
            found[given] = Candidate(given, explicit=True)
    return _unique_targets(sorted(found.values()))


def file_identity(path: Path) -> tuple[int, int] | str:
    """What makes two paths one file (a symlink and its target): device and inode, else the path itself."""
    try:
        status = path.stat()
    except OSError:  # broken links and the like: only themselves; the loader reports them
        return str(path)
    return status.st_dev, status.st_ino


def _unique_targets(candidates: list[Candidate]) -> list[Candidate]:
    """One candidate per real file: a symlink and its target are the same goal file, read once."""
    seen: set[tuple[int, int] | str] = set()
    unique = []
    for candidate in candidates:
        identity = file_identity(candidate.path)
        if identity not in seen:
            seen.add(identity)
            unique.append(candidate)
    return unique


def _walk(folder: Path, root: Path, exclude: list[str]) -> Iterable[Path]:
    for current, dirs, files in os.walk(folder, onerror=_raise_unreadable):
        here = Path(current)
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and not _excluded(_rel(here / d, root), exclude))
        for name in sorted(files):
            if name.endswith(YAML_SUFFIXES):
                path = here / name
                if not exclude or not _excluded(_rel(path, root), exclude):
                    yield path


def _rel(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def _raise_unreadable(error: OSError) -> None:
    raise UserError(f"{error.filename}: cannot read folder: {error.strerror}")
