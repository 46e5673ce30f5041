"""The goals' history in git: each commit that changed goal files, and what it changed, by reference.

One `git log -p` lists every commit that touched the goals with the lines it changed and the blob ids of the
versions before and after; the versions worth comparing are then read through one `git cat-file --batch` and
parsed once ever (their items are kept by blob id, see `cache.VersionCache`). Each commit is compared with
its parent over the files it changed, by reference (`goal_items.compare`): an item moved between files in
one commit, or a renamed file, is no change.

Reading git is cheap; parsing versions is not (about 30 times the cost). Most commits only append today's
check-ins and measurements, which no history rule can flag, so by default (`complete=False`) a file's change
is compared only when its changed lines could matter: anything but blank lines, comments and dated entries
added in flow style (`- {date: …, value: …}`) within `backdate_days` of the commit — and a dated entry removed
or rewritten. The sieve only spares work: whatever it lets through is judged on the parsed versions, never on
the text. `complete=True` compares every change (for `okrctl history`, which shows every value).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from okrctl.config import Config
from okrctl.git import NULL_ID, Commit, Repository, commit_from_record, run_git
from okrctl.goal_bytes import MAX_BYTES
from okrctl.goal_items import Change, FieldChange, Item, compare, items_of

if TYPE_CHECKING:
    from okrctl.loader import GoalFile

# A dated entry in flow style: `- {date: 2026-10-31, value: 600000, …}` (the form okrctl's edits write).
_FLOW_DATED = re.compile(rb"^\s*-\s*\{\s*date\s*:\s*(\d{4}-\d\d-\d\d)\s*,\s*value\s*:\s*([^,}\s]+)")
# The keys of a dated entry in block style, one per line (`- date: 2026-10-31`, `value: 5`, `note: …`).
_BLOCK_DATED = re.compile(rb"^\s*(-\s+)?(date|value|confidence|note)\s*:\s*(\S*)")
_HARMLESS = re.compile(rb"^\s*(#.*)?$")  # blank, or a comment alone
# A list of check-ins or measurements begun or emptied: `checkins: []` becoming `checkins:` and a first entry.
_DATED_LIST = re.compile(rb"^\s*(checkins|measurements)\s*:\s*(\[\s*\])?\s*(#.*)?$")


@dataclass(frozen=True)
class Step:
    """One commit and what it changed in the goals (with the sieve: in the files whose change could matter)."""

    commit: Commit
    changes: tuple[Change, ...]


@dataclass
class History:
    steps: list[Step] = field(default_factory=list)  # oldest first

    def of(self, ref: str) -> Iterator[tuple[Commit, Change]]:
        """Each commit's change to the item `ref` (any period), oldest first."""
        for step in self.steps:
            for change in step.changes:
                if change.ref == ref:
                    yield step.commit, change


@dataclass
class _FileDiff:
    path: str
    old: str | None = None
    new: str | None = None
    added: list[bytes] = field(default_factory=list)
    removed: list[bytes] = field(default_factory=list)
    binary: bool = False
    parents: tuple[str | None, ...] = ()  # a merge commit's file: its blob in each parent (`old` is the first's)


def read_history(
    repository: Repository,
    revisions: list[str],
    paths: list[str],
    judged: Callable[[str], bool],
    config: Config,
    since: date | None = None,
    complete: bool = False,
    backdate_days: int = 14,
    versions: VersionItems | None = None,
) -> History:
    """The commits of `git log REVISIONS -- PATHS` (oldest first) with what each changed in the goal files that
    `judged` keeps. Each change is the work of the commit that made it: a merge commit's changes are only
    those its result holds that none of its parents did (a change made while merging), never the changes
    its branches brought, which are their own commits'.

    `since`: only commits made on or after that day. `complete`: compare every change, not only the ones a
    history rule could flag (see the module's docstring). `versions`: where parsed versions are kept (give one
    made with the goals root to keep them across runs; by default, for this run only).
    """
    repository.require_full_history()
    versions = versions or VersionItems(repository, config, None)
    commits = list(_log(repository, revisions, paths, since))
    wanted: list[tuple[Commit, list[_FileDiff]]] = []
    for commit, diffs in commits:
        kept = [diff for diff in diffs if judged(diff.path)]
        chosen = kept if complete else [diff for diff in kept if _could_matter(diff, commit, backdate_days)]
        if chosen:
            wanted.append((commit, chosen))
    versions.parse([blob for _, diffs in wanted for diff in diffs for blob in (diff.old, diff.new) if blob])
    history = History()
    for commit, diffs in wanted:
        if any(diff.parents for diff in diffs):
            merged = _merge_changes(diffs, versions)
            if merged:
                history.steps.append(Step(commit, tuple(merged)))
            continue
        before: list[Item] = []
        after: list[Item] = []
        for diff in diffs:
            old = versions.items(diff.old, diff.path) if diff.old else []
            new = versions.items(diff.new, diff.path) if diff.new else []
            if old is None or new is None:
                continue  # a version that does not validate says nothing reliable about what changed
            before += old
            after += new
        changes = compare(before, after)
        if changes:
            history.steps.append(Step(commit, tuple(changes)))
    versions.save()
    return history


def _merge_changes(diffs: list[_FileDiff], versions: VersionItems) -> list[Change]:
    """What a merge commit changed on its own: each item's changes against its first parent that it also made
    against every other parent (git lists only the files whose merged text differs from every parent's)."""
    merged: list[Item] = []
    for diff in diffs:
        items = _items(versions, diff.new, diff.path)
        if items is None:
            return []  # a merged version that does not validate says nothing reliable
        merged += items
    against: list[list[Change]] = []
    for number in range(max(len(diff.parents) for diff in diffs)):
        parent: list[Item] = []
        for diff in diffs:
            blob = diff.parents[number] if number < len(diff.parents) else diff.old
            items = _items(versions, blob, diff.path)
            if items is None:
                return []
            parent += items
        against.append(compare(parent, merged))
    first, *others = against
    own = []
    for change in first:
        twins = [next((c for c in changes if c.item.key == change.item.key), None) for changes in others]
        if any(twin is None or twin.status != change.status for twin in twins):
            continue  # a parent already had it so: a branch's change, judged on that branch's commit
        fields = tuple(f for f in change.fields if all(_same_field(f, twin) for twin in twins))
        added = tuple(d for d in change.added if all(d in twin.added for twin in twins if twin))
        removed = tuple(d for d in change.removed if all(d in twin.removed for twin in twins if twin))
        if change.status != "changed" or fields or added or removed:
            own.append(Change(change.status, change.old, change.new, fields, added, removed))
    return own


def _same_field(field_change: FieldChange, twin: Change | None) -> bool:
    other = twin.field(field_change.name) if twin is not None else None
    return other is not None and other.new == field_change.new


def _items(versions: VersionItems, blob: str | None, path: str) -> list[Item] | None:
    return versions.items(blob, path) if blob else []


def _could_matter(diff: _FileDiff, commit: Commit, backdate_days: int) -> bool:
    """Whether a history rule could flag this change of one file: the sieve (see the module's docstring)."""
    if diff.parents:
        return True  # a change made while merging: rare, and judged against every parent
    if diff.binary or diff.old is None or diff.new is None:
        return True  # added, removed or unreadable as text: compare
    latest_fine = commit.date - timedelta(days=backdate_days)
    added_flow: list[tuple[bytes, bytes]] = []
    block_lines = False
    for line in diff.added:
        if _HARMLESS.match(line) or _DATED_LIST.match(line):
            continue
        flow = _FLOW_DATED.match(line)
        if flow is not None:
            if _day(flow[1]) < latest_fine:
                return True  # a back-dated entry
            added_flow.append((flow[1], flow[2]))
            continue
        block = _BLOCK_DATED.match(line)
        if block is None:
            return True
        block_lines = True
        if block[2] == b"date" and _day(block[3]) < latest_fine:
            return True
    for line in diff.removed:
        if _HARMLESS.match(line) or _DATED_LIST.match(line):
            continue  # a list emptied of its entries still removes them, and those lines are judged
        flow = _FLOW_DATED.match(line)
        if flow is None or block_lines:
            return True
        if (flow[1], flow[2]) not in added_flow:
            return True  # a dated value removed or rewritten
        added_flow.remove((flow[1], flow[2]))
    return False


def _day(text: bytes) -> date:
    try:
        return date.fromisoformat(text.decode())
    except ValueError:
        return date.min  # not a date: let the comparison judge it


_SPLIT_FROM = 2_000  # commits: below this, one git process reads the history faster than two start


def _log(
    repository: Repository, revisions: list[str], paths: list[str], since: date | None
) -> Iterator[tuple[Commit, list[_FileDiff]]]:
    """Each commit (oldest first) with its diffs. Computing the diffs is most of git's work, so a long history
    of one revision is read by one git process per core, each over its own part of the commits."""
    parts = _parts(repository, revisions, since)
    arguments = [
        "log",
        "-p",
        "-U0",
        "--full-index",
        "--no-renames",
        "--cc",  # a merge commit: only the files whose merged text differs from every parent's
        "--no-textconv",
        "--no-ext-diff",
        "--topo-order",
        "--reverse",
        "--format=%x01%H%x00%ct%x00%an%x00%s",
    ]
    if since is not None:
        arguments.append(f"--since={since.isoformat()}T00:00:00Z")
    scope = [path or "." for path in paths]  # "" is the top folder, which git spells `.`
    commands = [[*arguments, "--end-of-options", *part, "--", *scope] for part in parts]
    if len(commands) == 1:
        yield from _patches(run_git(commands[0], repository.top).stdout)
        return
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(len(commands)) as pool:  # git does the work; the threads only wait for it
        for done in pool.map(lambda command: run_git(command, repository.top), commands):
            yield from _patches(done.stdout)


def _parts(repository: Repository, revisions: list[str], since: date | None) -> list[list[str]]:
    """Disjoint sets of commits covering `revisions`, oldest first, to read concurrently.

    One revision is split at a commit M in the middle of its history: first M and its ancestors, then what
    is reachable from the revision but not from M. No commit of the second part is an ancestor of the first,
    so the parts read one after the other are still in topological order. Ranges are read whole.
    """
    from okrctl.pipeline import default_jobs

    jobs = default_jobs()
    if jobs < 2 or len(revisions) != 1 or ".." in revisions[0] or revisions[0].startswith(("^", "-")):
        return [revisions]
    arguments = ["rev-list", "--no-merges"]
    if since is not None:
        arguments.append(f"--since={since.isoformat()}T00:00:00Z")
    listed = run_git([*arguments, "--end-of-options", revisions[0], "--"], repository.top).stdout.split()
    if len(listed) < _SPLIT_FROM:
        return [revisions]
    middle = listed[len(listed) // 2].decode()
    return [[middle], [revisions[0], f"^{middle}"]]


def _patches(output: bytes) -> Iterator[tuple[Commit, list[_FileDiff]]]:
    """Parse `git log -p --full-index` output: each commit with the changed lines and blob ids of each file."""
    commit: Commit | None = None
    diffs: list[_FileDiff] = []
    diff: _FileDiff | None = None
    in_hunks = False
    for line in output.split(b"\n"):
        if line.startswith(b"\x01"):
            if commit is not None:
                yield commit, diffs
            commit, diffs, diff, in_hunks = commit_from_record(line[1:]), [], None, False
        elif line.startswith((b"diff --git ", b"diff --cc ", b"diff --combined ")):
            diff, in_hunks = _FileDiff(""), False
            diffs.append(diff)
        elif diff is None:
            continue
        elif in_hunks:
            if line.startswith(b"+"):
                diff.added.append(line[1:])
            elif line.startswith(b"-"):
                diff.removed.append(line[1:])
        elif line.startswith(b"index "):
            old, _, new = line[6:].split(b" ")[0].partition(b"..")
            parents = [None if blob == NULL_ID else blob for blob in old.decode().split(",")]
            diff.old = parents[0]
            diff.new = None if new.decode() == NULL_ID else new.decode()
            if len(parents) > 1:  # `index a,b..c`: a merge's file, with its blob in each parent
                diff.parents = tuple(parents)
        elif line.startswith(b"--- "):
            if line != b"--- /dev/null":
                diff.path = _unquote(line[4:])[2:]
        elif line.startswith(b"+++ "):
            if line != b"+++ /dev/null":
                diff.path = _unquote(line[4:])[2:]
            in_hunks = True
        elif line.startswith(b"Binary files "):
            diff.binary = True
            diff.path = diff.path or _binary_path(line)
    if commit is not None:
        yield commit, diffs
    # A file whose diff names no path (a mode change alone) changed no content: nothing to compare.


def _binary_path(line: bytes) -> str:
    # `Binary files a/x.yaml and b/x.yaml differ` (or /dev/null on one side)
    text = line[len(b"Binary files ") : -len(b" differ")]
    old, _, new = text.partition(b" and ")
    chosen = new if new != b"/dev/null" else old
    return _unquote(chosen)[2:]


def _unquote(path: bytes) -> str:
    """A path as git prints it in a diff header: as is, or C-quoted (`"a/t\\303\\251st.yaml"`) when it holds
    quotes, backslashes or control characters."""
    if not path.startswith(b'"'):  # git ends a name holding a space with a tab, for patch(1)
        return path.removesuffix(b"\t").decode("utf-8", errors="surrogateescape")
    raw = path[1:-1]
    out = bytearray()
    index = 0
    escapes = {b"n": b"\n", b"t": b"\t", b'"': b'"', b"\\": b"\\", b"a": b"\a", b"b": b"\b", b"f": b"\f", b"r": b"\r"}
    escapes[b"v"] = b"\v"
    while index < len(raw):
        char = raw[index : index + 1]
        if char == b"\\" and index + 1 < len(raw):
            following = raw[index + 1 : index + 2]
            if following.isdigit():
                out.append(int(raw[index + 1 : index + 4], 8))
                index += 4
                continue
            out += escapes.get(following, following)
            index += 2
            continue
        out += char
        index += 1
    return bytes(out).decode("utf-8", errors="surrogateescape")


class VersionItems:
    """The items of file versions by blob id, each version parsed once ever (kept in `cache.VersionCache`)."""

    def __init__(self, repository: Repository, config: Config, root: Path | None) -> None:
        """`root`: the goals root whose `.okrctl-cache/` keeps the parsed versions (None: no cache)."""
        from okrctl.cache import VersionCache

        self.repository = repository
        self.config = config
        self.known: dict[str, list[Item] | None] = {}
        self.cache = VersionCache(root, config) if root is not None else None
        if self.cache is not None and not self.cache.usable:
            self.cache = None

    def parse(self, blobs: list[str]) -> None:
        """Parse the versions not known yet (in worker processes when there are many)."""
        cache = self.cache
        missing = []
        for blob in dict.fromkeys(blobs):
            if blob in self.known:
                continue
            found, stored = cache.get_items(blob) if cache is not None else (False, None)
            if found:
                self.known[blob] = stored
            else:
                missing.append(blob)
        if not missing:
            return  # all known: neither the loader nor the workers are needed (a warm run imports neither)
        contents = [(blob, self.repository.read(blob, MAX_BYTES)) for blob in missing]
        for blob, items in _parse_all(contents, self.config):
            self.known[blob] = items
            if cache is not None:
                cache.put_items(blob, items)

    def know_work_tree(self, files: list[GoalFile]) -> None:
        """Take the items of goal files already loaded from the work tree (their history loaded), known by the
        blob id of their bytes on disk: the versions a history up to HEAD reads last are mostly these, and
        need not be parsed again."""
        import hashlib

        for file in files:
            if file.model is None:
                continue
            try:
                data = Path(file.source).read_bytes()
            except OSError:
                continue
            blob = hashlib.sha1(b"blob %d\0" % len(data) + data, usedforsecurity=False).hexdigest()
            self.known.setdefault(blob, items_of(file.model, ""))

    def items_of_data(self, data: bytes, path: str) -> list[Item] | None:
        """The items of a file's contents not read from git (the work tree's), known by the blob id git would
        give them: parsed only when no version with those very bytes was parsed before."""
        import hashlib

        blob = hashlib.sha1(b"blob %d\0" % len(data) + data, usedforsecurity=False).hexdigest()
        if blob not in self.known:
            found, stored = self.cache.get_items(blob) if self.cache is not None else (False, None)
            if not found:
                stored = parse_version(data, self.config)
                if self.cache is not None:
                    self.cache.put_items(blob, stored)
            self.known[blob] = stored
        return self.items(blob, path)

    def items(self, blob: str, path: str) -> list[Item] | None:
        """The items of the version `blob` of the file at `path` (None: it does not validate)."""
        if blob not in self.known:
            self.parse([blob])
        found = self.known[blob]
        if found is None:
            return None
        return [_at(item, path) for item in found]

    def save(self) -> None:
        if self.cache is not None:
            self.cache.save_items()


_PARALLEL_FROM = 64


def _at(item: Item, path: str) -> Item:
    if item.path == path:
        return item
    from dataclasses import replace

    return replace(item, path=path)


def parse_version(data: bytes, config: Config) -> list[Item] | None:
    """The items of one version of a goal file; None when it is no goal file or does not validate."""
    from okrctl.loader import load_text

    if len(data) > MAX_BYTES:
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    loaded = load_text("", text, config, explicit=False)
    if loaded is None or loaded.model is None:
        return None
    return items_of(loaded.model, "")


_worker_config: list[Config] = []


def _parse_in_worker(job: tuple[str, bytes]) -> tuple[str, list[Item] | None]:
    return job[0], parse_version(job[1], _worker_config[0])


def _init_worker(config: Config) -> None:
    _worker_config[:] = [config]


def _parse_all(contents: list[tuple[str, bytes]], config: Config) -> Iterator[tuple[str, list[Item] | None]]:
    from okrctl.pipeline import default_jobs

    jobs = default_jobs()
    if jobs == 1 or len(contents) < _PARALLEL_FROM:
        for blob, data in contents:
            yield blob, parse_version(data, config)
        return
    import multiprocessing
    import sys
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context("fork" if sys.platform == "linux" else "spawn")
    chunk = max(1, len(contents) // (jobs * 8))
    with ProcessPoolExecutor(jobs, mp_context=context, initializer=_init_worker, initargs=(config,)) as pool:
        yield from pool.map(_parse_in_worker, contents, chunksize=chunk)
