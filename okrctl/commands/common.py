"""What every command that reads goal files shares: find the goals roots and their configs, and load the files.

Lint and the reports load through the per-file stage (`load_roots`, `load_root`), which gives each root's
files lean, with their per-file problems, for the engine to judge; edits load whole files
(`load_for_editing`).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, TypeVar

from okrctl.config import (
    CONFIG_NAME,
    LoadedConfig,
    chosen_config,
    config_start,
    find_config,
    load_config,
    load_config_file,
)
from okrctl.discovery import Candidate, discover, file_identity
from okrctl.errors import UserError
from okrctl.goal_bytes import display_path
from okrctl.paths import absolute_unresolved, same_unresolved

if TYPE_CHECKING:  # the engine and the loader load when files are processed: a remembered lint never needs them
    from okrctl.engine import RootFiles
    from okrctl.loader import GoalFile
    from okrctl.pipeline import Reading
    from okrctl.revision import Revision


class _Rooted(Protocol):
    loaded: LoadedConfig


_T = TypeVar("_T", bound=_Rooted)


@dataclass
class EditableRoot:
    """One goals root with its goal files loaded whole (text and parse tree kept): what an edit needs."""

    loaded: LoadedConfig
    files: list[GoalFile]


def load_for_editing(paths: list[Path], holding: tuple[bytes, ...] = ()) -> EditableRoot:
    """Load every goal file under `paths` (default: the goals root) in full, in this process; with `holding`,
    only the files whose bytes hold each of those words (a cheap search that spares parsing files an edit
    cannot touch: the owner and id of the goal edited)."""
    from okrctl.loader import load_file

    trees = []
    for scope in scopes(paths):
        files = []
        for candidate in scope.candidates:
            data = None
            if holding:
                try:
                    data = candidate.path.read_bytes()
                except OSError:
                    data = None  # load_file reads it again and reports why it cannot
                else:
                    if not all(word in data for word in holding):
                        continue
            goal_file = load_file(candidate.path, scope.loaded.config, candidate.explicit, data)
            if goal_file is not None:
                files.append(goal_file)
        trees.append(EditableRoot(scope.loaded, files))
    if not paths:  # the goals root okrctl runs in: a nested root below it is a project of its own (cd into it)
        return trees[0]
    return one_root(trees, [t.loaded for t in trees if t.files])


@dataclass
class Scope:
    """One goals root (a folder with its okrctl.yaml, or the defaults) and the candidate files it judges."""

    loaded: LoadedConfig
    candidates: list[Candidate]
    named: list[Path]  # the paths asked of this root; empty for the whole root


def scopes(paths: list[Path]) -> list[Scope]:
    """Split what `paths` hold by goals root: a file is judged with the config of the nearest okrctl.yaml above it.

    The root found for the paths (the nearest okrctl.yaml above them, else the current directory) is walked;
    a folder below it that holds its own okrctl.yaml is a goals root of its own (as nested pyproject.toml files
    are for ruff), walked with its own config; so is a named file below one. `--config` makes one root of all.
    """
    loaded = load_config(config_start(paths))
    if chosen_config() is not None:
        return [Scope(loaded, discover(paths or [loaded.root], loaded.root, loaded.config.exclude), paths)]
    return _split(loaded, paths)


def _split(loaded: LoadedConfig, paths: list[Path]) -> list[Scope]:
    found: list[Scope] = []
    pending = [(loaded, paths)]  # a work list, not recursion: goals roots can nest deep
    while pending:
        loaded, paths = pending.pop(0)
        nested: list[Path] = []
        candidates = discover(paths or [loaded.root], loaded.root, loaded.config.exclude, nested)
        # Keyed by absolute folder (no links resolved), as `_nested_root_of` gives it; found walking: all of it.
        inner: dict[Path, list[Path]] = {absolute_unresolved(folder): [folder] for folder in nested}
        own = []
        for candidate in candidates:
            folder = _nested_root_of(candidate.path, loaded.root) if candidate.explicit else None
            if folder is None:
                own.append(candidate)
            else:
                inner.setdefault(folder, []).append(candidate.path)
        found.append(Scope(loaded, own, paths))
        pending += [(load_config_file(folder / CONFIG_NAME), named) for folder, named in inner.items()]
    return found


def _nested_root_of(path: Path, root: Path) -> Path | None:
    """The folder of the nearest okrctl.yaml above `path` when it is below `root`, else None."""
    config = find_config(absolute_unresolved(path.parent))
    if config is None:
        return None
    folder, top = config.parent, absolute_unresolved(root)
    return folder if top in folder.parents else None


def one_root(trees: list[_T], holding_goals: list[LoadedConfig]) -> _T:
    """The tree of the one goals root that holds goal files (reports and edits judge one root at a time)."""
    if len(holding_goals) > 1:
        roots = ", ".join(display_path(loaded.root) + "/" for loaded in holding_goals)
        raise UserError(
            f"the paths hold goal files of {len(holding_goals)} goals roots, each with its own okrctl.yaml "
            f"({roots}): name one of them (okrctl lint checks them all at once)"
        )
    for tree in trees:
        if tree.loaded in holding_goals:
            return tree
    return trees[0]


def at_revision(at: str | None, as_of: date | None, paths: list[Path]) -> tuple[Revision | None, date]:
    """The revision `--at` names (None without it) and the as-of date: as given, else the revision's commit
    date, else today."""
    if at is None:
        return None, as_of or date.today()
    from okrctl.revision import open_revision

    revision = open_revision(at, paths)
    return revision, as_of or revision.commit.date


def report_skipped(paths: list[str]) -> None:
    from okrctl.reporters.safe_text import one_line

    for path in paths:
        print(f"okrctl: {one_line(path)}: not a goal file (no kind: okrs or kind: kpis), skipped", file=sys.stderr)


def load_roots(
    paths: list[Path],
    as_of: date,
    jobs: int,
    use_cache: bool,
    with_context: bool = False,
    read: list[tuple[Scope, Reading]] | None = None,
) -> list[RootFiles]:
    """Run the per-file stage over `paths`, one goals root at a time (see `scopes`); `read`: the scopes found
    and their candidates read already (see `read_scopes`)."""
    if read is None:
        read = read_scopes(paths, as_of, use_cache, with_context)
    return [load_scope(scope, reading, jobs) for scope, reading in read]


def read_scopes(
    paths: list[Path], as_of: date, use_cache: bool, with_context: bool, lazily: bool = False
) -> list[tuple[Scope, Reading]]:
    """Each goals root under `paths` with its candidates read (the first half of the per-file stage; `lazily`:
    see `pipeline.read_stage`)."""
    from okrctl.pipeline import read_stage

    return [
        (
            scope,
            read_stage(
                stage_candidates(scope, with_context), scope.loaded.root, scope.loaded.config, as_of, use_cache, lazily
            ),
        )
        for scope in scopes(paths)
    ]


def load_root(paths: list[Path], as_of: date, jobs: int, use_cache: bool, with_context: bool = False) -> RootFiles:
    """The per-file stage over `paths`, which must hold the goal files of one goals root only."""
    roots = load_roots(paths, as_of, jobs, use_cache, with_context)
    chosen = one_root(roots, [r.loaded for r in roots if r.files])
    chosen.skipped = sorted(path for root in roots for path in root.skipped)
    return chosen


def load_scope(scope: Scope, reading: Reading, jobs: int) -> RootFiles:
    """Run the per-file stage (in parallel and cached) over a root's files, and the rest of the root for context."""
    from okrctl.engine import RootFiles
    from okrctl.pipeline import finish_stage

    candidates = scope.candidates
    results = finish_stage(reading, jobs)
    root = RootFiles(scope.loaded, [], [], [])
    for index, (candidate, result) in enumerate(results):
        if result is None:
            if candidate.explicit:
                root.skipped.append(display_path(candidate.path))
        elif index < len(candidates):
            root.files.append(result.file)
            root.problems.extend(result.problems)
        else:
            root.context.append(result.file)
    return root


def stage_candidates(scope: Scope, with_context: bool) -> list[Candidate]:
    """What the per-file stage reads for a scope: its candidates, then, when cross-file rules need them and
    only some files were named, the rest of its goals root as context."""
    loaded = scope.loaded
    whole = not scope.named or any(same_unresolved(path, loaded.root) for path in scope.named)
    if not with_context or whole or not may_walk_for_context(loaded):
        return scope.candidates
    named = {file_identity(c.path) for c in scope.candidates}
    context = discover([loaded.root], loaded.root, loaded.config.exclude, [])
    return [*scope.candidates, *(c for c in context if file_identity(c.path) not in named)]


def may_walk_for_context(loaded: LoadedConfig) -> bool:
    """Whether the root may be walked for context: a folder with an okrctl.yaml, or the current directory or
    one below it; never `/` or some other folder that named paths merely have in common (`/dev/fd`)."""
    if loaded.path is not None:
        return True
    cwd, root = Path.cwd(), absolute_unresolved(loaded.root)
    return root == cwd or cwd in root.parents
