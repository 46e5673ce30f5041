"""Goal files as git holds them: revisions, commits and file versions, read with the git command line.

One `git log` lists the versions and one long-lived `git cat-file --batch` reads their contents: reading a
quarter of history then costs about a second, where a git process per version costs 17-260 times more, and
pygit2, dulwich or GitPython cost more to import than git takes to answer. Nothing here touches the work tree
or the index. What stops a command that needs history (no git, not a repository, a shallow clone, a repository
git refuses as another user's) is a `GitError`: exit 2, with what to change.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import IO

from okrctl.errors import UserError
from okrctl.paths import absolute_unresolved

SHORT = 7  # the short commit id shown to people, as git shows it by default
NULL_ID = "0" * 40


class GitError(UserError):
    """Git history cannot be read here: say why and what to change (exit 2)."""


@dataclass(frozen=True)
class Commit:
    """One commit, as the history rules and reports name it."""

    id: str
    time: int  # the committer's time, in seconds: when the change entered this history
    author: str
    subject: str = ""

    @property
    def short(self) -> str:
        return self.id[:SHORT]

    @property
    def date(self) -> date:
        """The commit's day (UTC): what check-in dates are compared with."""
        return datetime.fromtimestamp(self.time, UTC).date()


@dataclass(frozen=True)
class FileChange:
    """One goal file's change in a commit: its blob before and after (None: it did not exist)."""

    path: str  # relative to the repository's top folder, with `/`
    old: str | None
    new: str | None


@dataclass(frozen=True)
class CommitChanges:
    commit: Commit
    changes: tuple[FileChange, ...]


@functools.cache
def git_program() -> str:
    found = shutil.which("git")
    if found is None:
        raise GitError("git is not installed: this command reads goals from git history (install git)")
    return found


_opened: dict[Path, Repository] = {}


def close_repositories() -> None:
    """Close every repository opened in this process (their `cat-file` processes end)."""
    for repository in _opened.values():
        repository.close()
    _opened.clear()


class Repository:
    """A git repository, opened from a folder inside its work tree."""

    def __init__(self, top: Path, shallow: bool) -> None:
        self.top = top
        self.shallow = shallow
        self._reader: _BlobReader | None = None

    @classmethod
    def opened(cls, top: Path) -> Repository:
        """The repository at `top`, once per process: its `cat-file` process serves every reader."""
        return _opened.get(top) or cls.containing(top)

    @classmethod
    def containing(cls, path: Path) -> Repository:
        """The repository whose work tree holds `path` (a file or folder, which may no longer exist: git runs
        in the nearest folder above it that does); a GitError when there is none git will read."""
        folder = path
        while not folder.is_dir() and folder != folder.parent:
            folder = folder.parent
        done = run_git(["rev-parse", "--show-toplevel", "--is-shallow-repository"], folder, check=False)
        if done.returncode != 0:
            message = os.fsdecode(done.stderr).strip()
            if "dubious ownership" in message:
                raise GitError(
                    f"git refuses to read the repository at {folder} because another user owns it (dubious "
                    f"ownership): trust it with `git config --global --add safe.directory {folder}` (in a "
                    "container job: the checkout's folder, e.g. $GITHUB_WORKSPACE)"
                )
            raise GitError(f"{folder} is not in a git repository: this command reads goals from git history")
        top, shallow = os.fsdecode(done.stdout).splitlines()[:2]
        found = _opened.get(Path(top))
        if found is None:
            found = _opened[Path(top)] = cls(Path(top), shallow.strip() == "true")
        return found

    def require_full_history(self) -> None:
        """Refuse a shallow clone: its first commit would seem to add every goal at once."""
        if self.shallow:
            raise GitError(
                "the repository is a shallow clone, so its history is cut short: fetch all of it with "
                "`git fetch --unshallow` (in GitHub Actions: `fetch-depth: 0` on actions/checkout)"
            )

    # -- revisions ---------------------------------------------------------------------------------------

    def commit(self, revision: str) -> Commit:
        """The commit `revision` names (a branch, a tag, an id, `HEAD~3`…); a GitError when it names none."""
        done = run_git(["rev-parse", "--verify", "--quiet", "--end-of-options", revision], self.top, check=False)
        if done.returncode == 0 and done.stdout.strip():  # then peeled to its commit (`:/text` takes no suffix)
            named = os.fsdecode(done.stdout).strip()
            done = run_git(["rev-parse", "--verify", "--quiet", f"{named}^{{commit}}"], self.top, check=False)
        if done.returncode != 0 or not done.stdout.strip():
            hint = " (the repository is a shallow clone: fetch its history with `git fetch --unshallow`)"
            if not self.has_commits():
                raise GitError("the repository has no commit yet: its history starts with the first commit")
            raise GitError(f"{revision!r} is not a commit in this repository{hint if self.shallow else ''}")
        found = self.commits([os.fsdecode(done.stdout).strip()], walk=False)
        if len(found) != 1:  # `^HEAD` and the like: rev-parse names an exclusion, not a commit
            raise GitError(f"{revision!r} is not a commit in this repository")
        return found[0]

    def commits(self, revisions: list[str], walk: bool = True, paths: list[str] | None = None) -> list[Commit]:
        """The commits of `git log REVISIONS` (newest first); `walk=False`: just those named."""
        arguments = ["log", "--format=%H%x00%ct%x00%an%x00%s", "-z"]
        if not walk:
            arguments.append("--no-walk")
        arguments += ["--end-of-options", *revisions, "--", *(paths or [])]
        done = run_git(arguments, self.top)
        # With -z, git ends each commit's record with a NUL, as the format ends each field but the last: the
        # fields come four by four (a subject holds no NUL).
        fields = done.stdout.split(b"\0")
        return [
            commit_from_record(b"\0".join(fields[at : at + 4])) for at in range(0, len(fields) - 3, 4) if fields[at]
        ]

    def has_commits(self) -> bool:
        done = run_git(["rev-parse", "--verify", "--quiet", "HEAD^{commit}"], self.top, check=False)
        return done.returncode == 0

    def merge_base(self, first: str, second: str) -> str | None:
        done = run_git(["merge-base", "--end-of-options", first, second], self.top, check=False)
        return os.fsdecode(done.stdout).strip() or None

    def default_base(self) -> str:
        """What a pull request of the current branch would be compared with: the merge base of HEAD with the
        upstream's default branch (`origin/HEAD`, else `origin/main` or `origin/master`, else local `main` or
        `master`, else the branch's upstream) — as `git diff` users expect. A GitError names what to pass when
        there is none. A shallow clone has no merge base to find: refused (see `require_full_history`)."""
        self.require_full_history()
        if not self.has_commits():
            raise GitError("the repository has no commit yet: there is nothing to compare the working tree with")
        candidates = ["origin/HEAD", "origin/main", "origin/master", "main", "master", "@{upstream}"]
        for candidate in candidates:
            done = run_git(["rev-parse", "--verify", "--quiet", f"{candidate}^{{commit}}"], self.top, check=False)
            if done.returncode == 0 and done.stdout.strip():
                base = self.merge_base(os.fsdecode(done.stdout).strip(), "HEAD")
                if base is not None:
                    return base
        raise GitError("no default branch to compare with (no origin/HEAD, main or master): name a base revision")

    # -- trees and versions ------------------------------------------------------------------------------

    def tree(self, revision: str, paths: list[str]) -> dict[str, str]:
        """The files below `paths` (relative to the top folder; all: `[]`) at `revision`: path → blob id."""
        scope = [path or "." for path in paths]  # "" is the top folder, which git spells `.`
        done = run_git(["ls-tree", "-r", "-z", "--full-tree", revision, "--", *scope], self.top)
        files = {}
        for entry in done.stdout.split(b"\0"):
            if not entry:
                continue
            meta, _, path = entry.partition(b"\t")
            mode, kind, blob = meta.decode().split(" ")
            if kind == "blob" and mode != "120000":  # symbolic links are not followed in history either
                files[os.fsdecode(path)] = blob
        return files

    def changes(self, revisions: list[str], paths: list[str], since: date | None = None) -> list[CommitChanges]:
        """Each commit of `git log REVISIONS -- PATHS`, oldest first, with the files it changed and their blobs.

        Merge commits are left out here: each change is the work of the commit that made it, compared with its
        parent, on whichever branch it was made (a change made only while resolving a merge is not seen).
        Renames are not followed: a moved file is a removal and an addition, which the comparison by
        reference makes no change at all.
        """
        arguments = ["log", "--raw", "-z", "--no-abbrev", "--no-renames", "--no-merges", "--reverse", "--topo-order"]
        arguments.append("--format=%x01%H%x00%ct%x00%an%x00%s")
        if since is not None:
            arguments.append(f"--since={since.isoformat()}T00:00:00Z")
        arguments += ["--end-of-options", *revisions, "--", *paths]
        done = run_git(arguments, self.top)
        found = []
        for record in done.stdout.split(b"\x01")[1:]:
            fields = record.split(b"\0")
            commit = commit_from_record(b"\0".join(fields[:4]))
            changes = []
            rest = [field.lstrip(b"\n") for field in fields[4:]]
            for meta, path in zip(rest[::2], rest[1::2], strict=False):
                if not meta.startswith(b":"):
                    continue
                _, _, old, new, _ = meta[1:].decode().split(" ")
                changes.append(
                    FileChange(os.fsdecode(path), None if old == NULL_ID else old, None if new == NULL_ID else new)
                )
            found.append(CommitChanges(commit, tuple(changes)))
        return found

    def changed_files(self, base: str, head: str | None, paths: list[str]) -> list[str]:
        """The files below `paths` that differ between the commits `base` and `head` (None: the working
        tree, untracked files that are not ignored included), relative to the top folder."""
        scope = [path or "." for path in paths] or ["."]
        arguments = ["diff", "--raw", "-z", "--no-renames", "--no-abbrev", "--no-ext-diff", base]
        listed = run_git([*arguments, *([head] if head else []), "--", *scope], self.top).stdout.split(b"\0")
        names = [os.fsdecode(name) for meta, name in zip(listed[::2], listed[1::2], strict=False) if meta[:1] == b":"]
        if head is None:
            untracked = run_git(["ls-files", "-z", "--others", "--exclude-standard", "--", *scope], self.top)
            names += [os.fsdecode(name) for name in untracked.stdout.split(b"\0") if name]
        return names

    def grep(self, search: list[str], revision: str | None, paths: list[str], untracked: bool = False) -> list[str]:
        """The files below `paths` (relative to the top folder) whose text matches `search` (git grep's options
        and `-e` patterns): at `revision`, else in the work tree (`untracked`: with untracked files that are
        not ignored); relative to the top folder."""
        scope = [path or "." for path in paths] or ["."]
        where = [revision] if revision else (["--untracked"] if untracked else [])
        done = run_git(["grep", "-l", "-z", "-I", *search, *where, "--", *scope], self.top, check=False)
        if done.returncode not in (0, 1):  # 1: nothing found
            message = os.fsdecode(done.stderr).strip().splitlines()
            raise GitError(f"git grep failed: {message[-1] if message else f'exit {done.returncode}'}")
        prefix = f"{revision}:" if revision else ""  # at a revision git names each file `REV:path`
        return [os.fsdecode(entry)[len(prefix) :] for entry in done.stdout.split(b"\0") if entry]

    def tag_day(self, revision: str) -> date | None:
        """The day (UTC) an annotated tag was made, when `revision` names one; else None (a branch, a commit,
        a lightweight tag). A tag moved by each run of a job says when the job last ran, whatever it
        committed: what `okrctl notify --since` compares time with."""
        done = run_git(["cat-file", "-p", f"refs/tags/{revision}"], self.top, check=False)
        if done.returncode != 0 or not done.stdout.startswith(b"object "):
            return None
        for line in done.stdout.split(b"\n\n", 1)[0].splitlines():
            if line.startswith(b"tagger "):
                try:
                    seconds = int(line.rsplit(b" ", 2)[1])
                except (IndexError, ValueError):
                    return None
                return datetime.fromtimestamp(seconds, UTC).date()
        return None

    def user_name(self) -> str:
        """Who would author the next commit here (git's `user.name`), for uncommitted changes."""
        done = run_git(["config", "user.name"], self.top, check=False)
        return os.fsdecode(done.stdout).strip() or "you"

    def read(self, blob: str, limit: int | None = None) -> bytes:
        """The contents of a blob, through one `git cat-file --batch` kept open for the command's life.

        With `limit`, a blob larger than it is not kept in memory: its first `limit + 1` bytes stand for it
        (enough for the loader to refuse it as too big), and the rest is read past.
        """
        if self._reader is None:
            self._reader = _BlobReader(self.top)
        return self._reader.read(blob, limit)

    def read_at(self, revision: str, path: str) -> bytes | None:
        """A file's contents at `revision`, or None when it did not exist there."""
        blob = self.tree(revision, [path]).get(path)
        return None if blob is None else self.read(blob)

    def close(self) -> None:
        if self._reader is not None:
            self._reader.close()
            self._reader = None

    def relative(self, path: Path) -> str:
        """`path` relative to the top folder, with `/` ("" for the top itself); a GitError outside the work tree."""
        absolute = absolute_unresolved(path)
        for inside in (absolute, absolute.resolve()):
            for top in (self.top, self.top.resolve()):
                if inside == top:
                    return ""
                if top in inside.parents:
                    return inside.relative_to(top).as_posix()
        raise GitError(f"{path} is outside the git repository at {self.top}")


class _BlobReader:
    """A `git cat-file --batch` process: ask for an object id, read its contents back."""

    def __init__(self, top: Path) -> None:
        self.process = subprocess.Popen(
            [git_program(), "cat-file", "--batch"],
            cwd=top,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=_environment(),
        )

    def read(self, blob: str, limit: int | None) -> bytes:
        stdin, stdout = self.process.stdin, self.process.stdout
        assert stdin is not None and stdout is not None
        try:
            stdin.write(blob.encode() + b"\n")
            stdin.flush()
        except OSError as error:  # git ended (killed, out of memory): say so rather than fail inside okrctl
            raise GitError(f"git cat-file stopped answering: {error.strerror or error}") from None
        header = stdout.readline()
        parts = header.split()
        if len(parts) != 3:
            raise GitError(f"git cannot read object {blob}: {header.decode(errors='replace').strip() or 'no answer'}")
        return _read_exactly(stdout, int(parts[2]), limit)

    def close(self) -> None:
        try:
            if self.process.stdin is not None:
                self.process.stdin.close()
            self.process.wait(timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            self.process.kill()


def _read_exactly(stream: IO[bytes], size: int, limit: int | None) -> bytes:
    if limit is None or size <= limit:
        data = stream.read(size)
    else:
        data = stream.read(limit + 1)
        left = size - limit - 1
        while left > 0:  # read past the rest, a megabyte at a time
            left -= len(stream.read(min(left, 2**20)) or b"x" * left)
    stream.read(1)  # the newline after each object
    return data


def commit_from_record(record: bytes) -> Commit:
    identity, time, author, subject = [*record.strip(b"\0\n").split(b"\0"), b"", b"", b""][:4]
    return Commit(identity.decode(), int(time or 0), author.decode(errors="replace"), subject.decode(errors="replace"))


def _environment() -> dict[str, str]:
    # Plain, stable output whatever the user's settings: no pager, no prompts, no colour, English messages.
    return {**os.environ, "GIT_PAGER": "cat", "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C", "GIT_OPTIONAL_LOCKS": "0"}


def run_git(arguments: list[str], folder: Path, check: bool = True) -> subprocess.CompletedProcess[bytes]:
    command = [git_program(), "-c", "core.quotepath=off", "-c", "color.ui=never", *arguments]
    try:
        done = subprocess.run(command, cwd=folder, capture_output=True, check=False, env=_environment())
    except OSError as error:
        raise GitError(f"cannot run git: {error.strerror or error}") from None
    if check and done.returncode != 0:
        message = os.fsdecode(done.stderr).strip().splitlines()
        raise GitError(f"git {arguments[0]} failed: {message[-1] if message else f'exit {done.returncode}'}")
    return done
