"""Find candidate goal files (`.yaml`, `.yml`) under the paths a command was given.

In a git work tree a folder's files are listed as git lists them (tracked, plus untracked files that are not
ignored), so `node_modules/` or `build/` in `.gitignore` is skipped as ruff and prettier skip it; elsewhere
(or without git, or when git fails) the folder is walked. Either way hidden folders and the config's
`exclude` globs are skipped, symlinked folders are not followed, and a folder holding its own `okrctl.yaml`
is another goals root: it is not walked here but reported in `nested`, to be judged with its own config.
"""

from __future__ import annotations

import fnmatch
import functools
import os
import shutil
import stat
import subprocess
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from okrctl.config import CONFIG_NAME
from okrctl.errors import UserError
from okrctl.paths import absolute_unresolved, same_unresolved

YAML_SUFFIXES = (".yaml", ".yml")  # in any letter case: `Goals.YAML` is a YAML file too


@dataclass(frozen=True, order=True)
class Candidate:
    path: Path
    explicit: bool  # named on the command line, rather than found by walking a folder
    origin: str = ""  # a version in git history (see `okrctl.revision`): `repository top\0blob id`; "": on disk
    shown: str = ""  # how findings name it, when not by its path (`goals/sales.yaml@1a2b3c4`)


def is_yaml_name(name: str) -> bool:
    return name.lower().endswith(YAML_SUFFIXES)


def excluded(relative: str, patterns: list[str]) -> bool:
    # fnmatch's `*` crosses `/`, so `archive/**` matches everything below archive/ and the folder itself.
    return bool(patterns) and any(fnmatch.fnmatch(relative, p) or fnmatch.fnmatch(relative + "/", p) for p in patterns)


def discover(paths: list[Path], root: Path, exclude: list[str], nested: list[Path] | None = None) -> list[Candidate]:
    """Files named directly, plus `.yaml`/`.yml` files under named folders, in a stable order.

    Hidden folders and the config's `exclude` globs (relative to the goals root) are skipped while
    walking; a file named directly is always read, even one git ignores. A path that does not exist is a
    UserError. With `nested`, folders below `root` that hold their own `okrctl.yaml` are not walked but
    appended to it.
    """
    from okrctl.goal_bytes import display_path

    found: dict[Path, Candidate] = {}
    for given in paths:
        if not os.path.lexists(given):
            raise UserError(f"{display_path(given)}: no such file or directory")
        if given.is_dir():
            _refuse_a_link_out(given, root)
            for path in _files_below(given, root, exclude, nested):
                found.setdefault(path, Candidate(path, explicit=False))
        else:
            found[given] = Candidate(given, explicit=True)
    return _unique_targets(sorted(found.values()))


def _refuse_a_link_out(folder: Path, root: Path) -> None:
    """A named link to a folder is searched when it leads inside the current directory or the goals root:
    `okrctl lint x.yaml` where x.yaml links to `/` must not walk the whole filesystem."""
    from okrctl.goal_bytes import display_path
    from okrctl.reporters.safe_text import printable

    if not folder.is_symlink():
        return
    target = folder.resolve()
    if not any(target == base or base in target.parents for base in (Path.cwd().resolve(), root.resolve())):
        raise UserError(
            f"{display_path(folder)} is a link to a folder outside the current directory ({printable(str(target))}): "
            "name that folder itself to search it"
        )


def file_identity(path: Path) -> tuple[int, int] | str:
    """What makes two paths one file (a symlink and its target): device and inode, else the path itself."""
    try:
        status = path.stat()
    except OSError:  # broken links and the like: only themselves; the loader reports them
        return str(path)
    return status.st_dev, status.st_ino


def _unique_targets(candidates: list[Candidate]) -> list[Candidate]:
    """One candidate per real file: a symlink and its target are the same goal file, read once.

    Found in a folder, what is no file is dropped here, where each candidate is looked at anyway: a file git
    still tracks but that was deleted, and a committed symlink to a folder (never followed).
    """
    seen: set[tuple[int, int] | str] = set()
    unique = []
    for candidate in candidates:
        identity: tuple[int, int] | str
        try:
            status = candidate.path.stat()
        except OSError:  # broken links and the like: only themselves; the loader reports them
            if not candidate.explicit and not os.path.lexists(candidate.path):
                continue
            identity = str(candidate.path)
        else:
            if not candidate.explicit and stat.S_ISDIR(status.st_mode):
                continue
            identity = status.st_dev, status.st_ino
        if identity not in seen:
            seen.add(identity)
            unique.append(candidate)
    return unique


def _files_below(folder: Path, root: Path, exclude: list[str], nested: list[Path] | None) -> Iterable[Path]:
    listed = _git_listing(folder)
    if not listed:  # outside git; or a folder git ignores whole, which was named: searched as asked
        yield from _walk(folder, root, exclude, nested)
    else:
        yield from _listed(folder, listed, root, exclude, nested)


def _is_nested_root(folder: Path, root: Path, nested: list[Path] | None) -> bool:
    if nested is None or not _holds_config(folder) or same_unresolved(folder, root):
        return False
    nested.append(folder)
    return True


def _holds_config(folder: Path) -> bool:
    try:
        return (folder / CONFIG_NAME).is_file()
    except OSError:  # a folder we may not look into (EACCES): no goals root of ours
        return False


def _walk(folder: Path, root: Path, exclude: list[str], nested: list[Path] | None) -> Iterable[Path]:
    for current, dirs, files in _walk_folders(os.fspath(folder)):
        here = Path(current)
        dirs[:] = sorted(
            d
            for d in dirs
            if not d.startswith(".")
            and not excluded(_rel(here / d, root), exclude)
            and not _is_nested_root(here / d, root, nested)
        )
        for name in sorted(files):
            if is_yaml_name(name):
                path = here / name
                if not exclude or not excluded(_rel(path, root), exclude):
                    yield path


def _listed(
    folder: Path, listed: list[str], root: Path, exclude: list[str], nested: list[Path] | None
) -> Iterable[Path]:
    """The YAML files of git's listing of `folder`, with the walk's rules for hidden, excluded and nested folders."""
    skipped: set[str] = set()  # folders (relative to `folder`) that are hidden, excluded or another root
    kept: set[str] = {""}
    submodules = []

    def keep_folder(relative: str) -> bool:
        # Up to the nearest folder already judged, then down again: a loop, not recursion (a tracked file can
        # sit a thousand folders deep).
        unjudged = []
        while relative not in kept and relative not in skipped:
            unjudged.append(relative)
            relative = relative.rpartition("/")[0]
        ok = relative in kept
        for below in reversed(unjudged):
            path = folder / below
            ok = ok and not below.rpartition("/")[2].startswith(".")
            ok = ok and not excluded(_rel(path, root), exclude) and not _is_nested_root(path, root, nested)
            (kept if ok else skipped).add(below)
        return ok

    for relative in sorted(listed):
        parent, _, name = relative.rpartition("/")
        if not keep_folder(parent):
            continue
        path = folder / relative
        if not is_yaml_name(name):
            if "." not in name and _is_submodule(path):
                submodules.append(relative)
        elif not exclude or not excluded(_rel(path, root), exclude):
            yield path  # one deleted since, or a link to a folder, is dropped by `_unique_targets`
    for relative in submodules:  # another repository checked out here: listed as its own git lists it
        if keep_folder(relative):
            yield from _files_below(folder / relative, root, exclude, nested)


def _is_submodule(path: Path) -> bool:
    try:
        return stat.S_ISDIR(path.lstat().st_mode)
    except OSError:
        return False


@functools.cache
def _git() -> str | None:
    return shutil.which("git")


def _git_listing(folder: Path) -> list[str] | None:
    """Paths below `folder` (relative to it) as git lists them, or None outside a work tree or without git.

    One process: tracked files plus untracked ones that no .gitignore (or .git/info/exclude, or the user's
    global excludes) ignores. `-z` gives names as they are, whatever `core.quotepath` says.
    """
    git = _git()
    if git is None or not _maybe_in_work_tree(folder):
        return None
    command = [git, "-c", "core.quotepath=off", "ls-files", "-z", "--cached", "--others", "--exclude-standard"]
    try:
        done = subprocess.run(command, cwd=folder, capture_output=True, timeout=60, check=False)
    except (OSError, subprocess.SubprocessError):  # no permission, a hung git: walk instead
        return None
    if done.returncode != 0:  # not a work tree, inside .git, dubious ownership…: walk as outside git
        return None
    names = {os.fsdecode(name).rstrip("/") for name in done.stdout.split(b"\0") if name}  # `repo/`: a nested one
    return sorted(names)  # a file both tracked and changed is listed once


def _maybe_in_work_tree(folder: Path) -> bool:
    """False when no `.git` is in `folder` or above it: spares starting git (~15 ms) outside a repository."""
    if "GIT_DIR" in os.environ or "GIT_WORK_TREE" in os.environ:
        return True
    absolute = absolute_unresolved(folder)
    return any((parent / ".git").exists() for parent in (absolute, *absolute.parents))


def _rel(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def _walk_folders(top: str) -> Iterator[tuple[str, list[str], list[str]]]:
    """`os.walk(top)` without recursion (Python 3.11's recurses, so a folder tree a thousand deep overflowed the
    stack): top down, the caller may prune `dirs`; symlinked folders are listed but never entered (a link to
    `/` is not ours to walk); an unreadable folder is a UserError."""
    pending = [top]
    while pending:
        current = pending.pop()
        dirs: list[str] = []
        files: list[str] = []
        links: set[str] = set()
        try:
            with os.scandir(current) as entries:
                for entry in entries:
                    try:
                        is_dir = entry.is_dir()
                    except OSError:
                        is_dir = False
                    (dirs if is_dir else files).append(entry.name)
                    if is_dir and entry.is_symlink():
                        links.add(entry.name)
        except OSError as error:
            _raise_unreadable(error)
        yield current, dirs, files
        pending += [os.path.join(current, d) for d in reversed(dirs) if d not in links]  # noqa: PTH118


def _raise_unreadable(error: OSError) -> None:
    from okrctl.goal_bytes import display_path

    raise UserError(f"{display_path(Path(error.filename))}: cannot read folder: {error.strerror}")
