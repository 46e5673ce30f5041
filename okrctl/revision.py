"""A goals root as committed at a revision (`--at REV`), read from git without touching the work tree.

The goals root is the one the paths name in the work tree (the folder of the nearest okrctl.yaml); its config
and its files are then taken as they stood at the revision, chosen as discovery chooses them on disk: `.yaml`
and `.yml` files, no hidden folders, no `exclude` globs, no folder that holds an okrctl.yaml of its own.
Each file is shown as `goals/sales.yaml@1a2b3c4`, so every finding says where it came from.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from okrctl.config import CONFIG_NAME, Config, LoadedConfig, chosen_config, config_from_text, config_start, load_config
from okrctl.discovery import Candidate, excluded, is_yaml_name
from okrctl.errors import UserError
from okrctl.git import Commit, Repository
from okrctl.goal_bytes import MAX_BYTES, display_path

if TYPE_CHECKING:
    from okrctl.engine import RootFiles
    from okrctl.loader import GoalFile


@dataclass(frozen=True)
class Revision:
    """A commit of the repository that holds the goals: what `--at REV` names."""

    repository: Repository
    commit: Commit


def open_revision(revision: str, paths: list[Path]) -> Revision:
    """The commit `revision` names in the repository holding `paths` (or the current folder)."""
    repository = Repository.containing(config_start(paths))
    return Revision(repository, repository.commit(revision))


@dataclass
class RevisionTree:
    """A goals root's config and candidate files at a revision, their bytes read from git."""

    loaded: LoadedConfig
    own: list[Candidate]  # the files asked for: named, or found in the named folders (all: the whole root)
    context: list[Candidate]  # the rest of the root, when files were named and their root is wanted
    data: dict[Path, bytes]


def tree_at(revision: Revision, paths: list[Path], with_context: bool) -> RevisionTree:
    """The goals root under `paths` (default: the whole root) as committed at `revision`.

    `with_context`: when files are named, the rest of their root comes too, as on disk.
    """
    repository, commit = revision.repository, revision.commit
    on_disk = load_config(config_start(paths))
    root = repository.relative(on_disk.root)
    loaded = config_at(revision, on_disk, root)
    files = repository.tree(commit.id, [root] if root else [])
    nested = {
        folder for folder, _, name in (path.rpartition("/") for path in files) if name == CONFIG_NAME and folder != root
    }
    judged = sorted(path for path in files if _judged(path, root, loaded.config, nested))
    if not paths and not judged and nested:  # the goals live in a goals root below: the one, as on disk
        inner = _one_nested_root(revision, nested, files)
        if inner is not None:
            return tree_at(revision, [repository.top / inner], with_context)

    own: dict[str, bool] = {}  # path → named
    for given in paths or [on_disk.root]:
        relative = repository.relative(given)
        if relative in files:
            own[relative] = True
            continue
        below = [path for path in judged if not relative or path.startswith(relative + "/")]
        if not below and not any(not relative or path.startswith(relative + "/") for path in files):
            raise UserError(f"{display_path(given)}: not in {commit.short} (no such file or folder then)")
        own.update({path: False for path in below if path not in own})
    whole = not paths or any(repository.relative(given) == root for given in paths)
    context = [path for path in judged if path not in own] if with_context and not whole else []

    def candidate(path: str, explicit: bool) -> Candidate:
        shown = f"{display_path(repository.top / path)}@{commit.short}"
        return Candidate(repository.top / path, explicit, origin=f"{repository.top}\0{files[path]}", shown=shown)

    data = {}
    for path in [*own, *context]:
        data[repository.top / path] = repository.read(files[path], MAX_BYTES)  # what is over is refused unread
    return RevisionTree(
        loaded, [candidate(p, named) for p, named in own.items()], [candidate(p, False) for p in context], data
    )


def _one_nested_root(revision: Revision, nested: set[str], files: dict[str, str]) -> str | None:
    """The one folder of `nested` that holds YAML files at the revision; None if none; refused if several."""
    holding = sorted(
        folder for folder in nested if any(path.startswith(folder + "/") and is_yaml_name(path) for path in files)
    )
    if len(holding) > 1:
        roots = ", ".join(f"{folder}/" for folder in holding)
        raise UserError(
            f"at {revision.commit.short}, goal files lie in {len(holding)} goals roots, each with its own "
            f"okrctl.yaml ({roots}): name one of them"
        )
    return holding[0] if holding else None


def judged_by(root: str, config: Config, nested: Collection[str] = ()) -> Callable[[str], bool]:
    """Whether discovery would judge a file at a path (relative to the repository's top) from the goals root
    `root` (also relative to the top; "" for the top itself), given the folders `nested` that hold a goals
    root of their own."""
    return lambda path: _judged(path, root, config, nested)


def _judged(path: str, root: str, config: Config, nested: Collection[str]) -> bool:
    """Whether discovery would judge the file at `path` from the goals root `root` (paths relative to the top)."""
    below = path[len(root) + 1 :] if root else path
    folders = below.split("/")[:-1]
    if not is_yaml_name(path) or any(folder.startswith(".") for folder in folders):
        return False
    if any(f"{root}/{'/'.join(folders[: depth + 1])}".lstrip("/") in nested for depth in range(len(folders))):
        return False
    return not config.exclude or not excluded(below, config.exclude)


def config_at(revision: Revision, on_disk: LoadedConfig, root: str) -> LoadedConfig:
    """The config as committed at the revision (the defaults when it had none); `--config PATH` is as given."""
    if chosen_config() is not None:
        return on_disk
    path = f"{root}/{CONFIG_NAME}" if root else CONFIG_NAME
    data = revision.repository.read_at(revision.commit.id, path)
    if data is None:
        return LoadedConfig(config=Config(), root=on_disk.root, path=None)
    shown = f"{display_path(on_disk.root / CONFIG_NAME)}@{revision.commit.short}"
    return config_from_text(data.decode("utf-8", errors="replace"), shown, on_disk.root / CONFIG_NAME)


def load_files_at(revision: Revision, paths: list[str], loaded: LoadedConfig, as_of: date, jobs: int) -> list[GoalFile]:
    """The goal files at `paths` (relative to the repository's top) as committed at `revision`, loaded with
    the config `loaded`; those not there then, and those discovery would not judge, left out."""
    from okrctl.pipeline import Reading, finish_stage

    repository, commit = revision.repository, revision.commit
    root = repository.relative(loaded.root)
    files = repository.tree(commit.id, paths) if paths else {}
    judged = judged_by(root, loaded.config)
    chosen = [path for path in paths if path in files and judged(path)]
    candidates = [
        Candidate(
            repository.top / path,
            False,
            origin=f"{repository.top}\0{files[path]}",
            shown=f"{display_path(repository.top / path)}@{commit.short}",
        )
        for path in chosen
    ]
    read: list[tuple[bytes | None, str]] = [(repository.read(files[path], MAX_BYTES), "") for path in chosen]
    reading = Reading(candidates, loaded.config, as_of, None, read, [None] * len(candidates))
    return [result.file for _, result in finish_stage(reading, jobs) if result is not None]


def load_root_at(revision: Revision, paths: list[Path], as_of: date, jobs: int, with_context: bool) -> RootFiles:
    """The per-file stage over the goal files under `paths` as committed at `revision` (see `load_root`)."""
    from okrctl.commands.common import Scope, load_scope
    from okrctl.pipeline import Reading

    tree = tree_at(revision, paths, with_context)
    ordered = tree.own + tree.context
    read: list[tuple[bytes | None, str]] = [(tree.data[c.path], "") for c in ordered]
    reading = Reading(ordered, tree.loaded.config, as_of, None, read, [None] * len(ordered))
    return load_scope(Scope(tree.loaded, tree.own, paths), reading, jobs)
