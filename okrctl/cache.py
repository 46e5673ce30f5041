"""The per-file cache: each goal file's result (see `pipeline.FileResult`) from earlier runs, by content.

The cache lives in `.okrctl-cache/` at the goals root (it ignores itself for git and is safe to delete).
An entry is keyed on the file's bytes and path, the config, the as-of date and okrctl's own code; the pack
holding the entries is signed with a key kept outside the repository, so a pack someone committed or crafted
is never loaded. Beside the packs, signed the same way, run memos keep the final result of the last runs (see
`Cache.recall`).
"""

from __future__ import annotations

import contextlib
import errno
import functools
import hashlib
import hmac
import os
import pickle
import re
import secrets
import shutil
import stat
import sys
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

from okrctl import __version__
from okrctl.config import Config
from okrctl.goal_bytes import Status, display_path
from okrctl.safe_files import (
    create_temporary,
    file_type,
    read_regular,
    remove_stale_temporaries,
    replace_with,
    write_atomically,
)

CACHE_DIR = ".okrctl-cache"
_FORMAT = 3  # bump when what the cache holds changes
_PACKS_KEPT = 4
_PACK_LIMIT = 512 * 2**20  # a pack holds about the tree's size (26 MB for 2,101 files); more is not ours

_T = TypeVar("_T")


class Cache:
    """The per-file results of earlier runs, in one signed pack file per set of settings.

    One file rather than one per goal file: a warm run over thousands of files then costs one read and one
    signature check rather than thousands of each. The pack keeps one entry per file (path and whether it was named),
    so an edited file replaces its entry, and the entries of deleted files are dropped when it is rewritten.
    """

    def __init__(self, root: Path, config: Config, as_of: date) -> None:
        self.folder = root / CACHE_DIR / f"v{_FORMAT}"
        self.secret, self.note = _secret()
        self.salt = salt(config, as_of)
        self.path = self.folder / f"{hashlib.sha256(self.salt).hexdigest()[:32]}.pack"
        self.usable = self.secret is not None and self._all_ours()
        self._stored: dict[str, Entry] | None = None  # read on first use: a remembered run never needs it
        self.used: dict[str, Entry] = {}  # the entries of this run: hits, and new results to store
        self.added = False
        self._memos: dict[str, tuple[Any, ...] | None] = {}  # the run memos read, by settings

    @property
    def stored(self) -> dict[str, Entry]:
        if self._stored is None:
            self._stored = self._read() if self.usable else {}
        return self._stored

    @stored.setter
    def stored(self, entries: dict[str, Entry]) -> None:
        self._stored = entries

    def _all_ours(self) -> bool:
        """Whether every name the cache uses holds nothing or what okrctl would put there.

        A repository can commit a link as `.okrctl-cache/`, `v3/`, `.gitignore` or a pack (pointing at a folder or
        a file of yours, or at nothing yet), or a pipe: then run without the cache, writing and removing nothing.
        """
        expected = {
            self.folder.parent: "folder",
            self.folder: "folder",
            self.folder.parent / ".gitignore": "file",
            self.path: "file",
        }
        for path, wanted in expected.items():
            try:
                kind = file_type(path)
            except OSError:
                return False  # cannot even look (say, `.okrctl-cache` is a file): not a usable cache
            if kind not in (None, wanted):
                shown = display_path(path)
                self.note = f"{shown} is {'a symbolic link' if kind == 'link' else 'not a ' + wanted}"
                return False
        return True

    def key(self, shown: str, explicit: bool, data: bytes) -> str:
        return file_key(self.salt, shown, explicit, data)

    def get(self, key: str, expected: type[_T]) -> _T | None:
        """The stored result under `key` if it unpickles to an `expected`; anything else is a miss."""
        entry = self.stored.get(key)
        if entry is None:
            return None
        try:
            result = pickle.loads(entry[2])
        except Exception:  # a corrupt entry is a miss
            return None
        if not isinstance(result, expected):
            return None
        self.used[key] = entry
        return result

    def add(self, key: str, shown: str, explicit: bool, payload: bytes) -> None:
        self.used[key] = (shown, explicit, payload)
        self.added = True

    def save(self) -> None:
        """Write the pack if this run changed it: new results in, replaced and deleted files' entries out."""
        if not self.usable:
            return
        files = {(shown, explicit) for shown, explicit, _ in self.used.values()}
        kept = {
            key: entry
            for key, entry in self.stored.items()
            if key not in self.used and entry[:2] not in files and os.path.lexists(entry[0])
        }
        pack = {**kept, **self.used}
        unchanged = not self.added and pack.keys() == self.stored.keys()
        payload = b"" if unchanged else pickle.dumps(pack, protocol=pickle.HIGHEST_PROTOCOL)
        del pack, kept
        self.stored, self.used = {}, {}  # let the entries' bytes go before the cross-file rules run
        if unchanged:
            return  # all hits, nothing gone: the pack on disk is already this one
        if self._write_signed(self.path, "pack", payload):
            self._tidy()

    def _write_signed(self, path: Path, name: str, payload: bytes) -> bool:
        """Write `payload` and its signature to `path` in the cache folder, atomically; False if it could not."""
        assert self.secret is not None
        try:
            for folder in (self.folder.parent, self.folder):
                with contextlib.suppress(FileExistsError):
                    folder.mkdir()
                if file_type(folder) != "folder":  # made a link since we looked: not ours
                    raise OSError(errno.ELOOP, "not a folder", str(folder))
            gitignore = self.folder.parent / ".gitignore"
            if file_type(gitignore) is None:
                write_atomically(gitignore, b"# written by okrctl; safe to delete\n*\n")
            descriptor, temporary = create_temporary(self.folder, name, mode=0o600)
            try:
                with os.fdopen(descriptor, "wb") as stream:
                    stream.write(hmac.new(self.secret, payload, "sha256").digest())
                    stream.write(payload)
                replace_with(temporary, path)  # atomic: a concurrent run reads the old file or the new one
            except BaseException:
                with contextlib.suppress(OSError):
                    temporary.unlink()
                raise
        except OSError:
            self.usable = False  # a read-only checkout, a full disk, a link planted meanwhile: no cache this run
            return False
        return True

    def _read_signed(self, path: Path) -> Any:
        """What `_write_signed` wrote to `path`, unpickled; None when there is nothing of ours to read."""
        blob = read_regular(path, _PACK_LIMIT)  # a link, a pipe, a device or a huge file: a miss
        if blob is None:
            return None
        signature, payload = blob[:32], memoryview(blob)[32:]  # a view: no copy of a pack of many megabytes
        assert self.secret is not None
        if not hmac.compare_digest(signature, hmac.new(self.secret, payload, "sha256").digest()):
            return None  # not written by okrctl on this machine: never unpickled
        try:
            return pickle.loads(payload)
        except Exception:  # a corrupt file is an empty one
            return None

    def _read(self) -> dict[str, Entry]:
        pack = self._read_signed(self.path)
        return pack if isinstance(pack, dict) else {}

    # -- the run memo ------------------------------------------------------------------------------

    def _memo_path(self, settings: str) -> Path:
        return self.folder / f"{hashlib.sha256(self.salt + settings.encode()).hexdigest()[:32]}.memo"

    def _memo(self, settings: str) -> tuple[Any, ...] | None:
        """The memo of the last run with these `settings`, read once per run; None when there is none of ours."""
        if settings not in self._memos:
            memo = self._read_signed(self._memo_path(settings)) if self.usable else None
            self._memos[settings] = memo if isinstance(memo, tuple) and len(memo) == 5 else None
        return self._memos[settings]

    def recall(self, settings: str, inputs: bytes, expected: type[_T]) -> _T | None:
        """The final result of the last run with these `settings` (the command, its options and where it ran),
        if that run read exactly these `inputs` (see `pipeline.run_memo`) and its result is an `expected`.

        When nothing changed, this spares a warm run the unpickling of every file's result and the cross-file
        rules. Signed as the pack is, so a memo someone committed or crafted is never unpickled. It also names
        the pack as that run left it: a pack damaged since is not left so because the run that would rewrite
        it was spared.
        """
        memo = self._memo(settings)
        if memo is None or memo[0] != inputs or memo[1] != self._pack_stamp():
            return None
        return memo[2] if isinstance(memo[2], expected) else None

    def remembered_files(self, settings: str) -> tuple[dict[str, tuple[Status, str]], int]:
        """What the last run with these `settings` read: each file's status and cache key (see
        `pipeline.Memo.recall`), and when that run began reading them (nanoseconds since the epoch)."""
        memo = self._memo(settings)
        if memo is None or not isinstance(memo[3], dict) or not isinstance(memo[4], int):
            return {}, 0
        return memo[3], memo[4]

    def remember(
        self, settings: str, inputs: bytes, result: object, files: dict[str, tuple[Status, str]], read_from: int
    ) -> None:
        """Keep `result` for `recall` by the next run with the same settings and inputs (after `save`), and
        `files` (each file's status and key, read from time `read_from` on) for `remembered_files`."""
        if not self.usable:
            return
        path = self._memo_path(settings)
        stamp = self._pack_stamp()
        try:
            if stamp is None or file_type(path) not in (None, "file"):
                return  # no pack of ours, or a link or a pipe planted under the memo's name: left alone
        except OSError:
            return
        payload = pickle.dumps((inputs, stamp, result, files, read_from), protocol=pickle.HIGHEST_PROTOCOL)
        if self._write_signed(path, "memo", payload):
            self._tidy()

    def _pack_stamp(self) -> tuple[int, int, int] | None:
        """The pack's size, modification time and inode (a link not followed), or None when it is no regular file."""
        try:
            status = os.lstat(self.path)
        except OSError:
            return None
        return (status.st_size, status.st_mtime_ns, status.st_ino) if stat.S_ISREG(status.st_mode) else None

    def _tidy(self) -> None:
        """Keep the packs (and run memos) of the last few settings (as-of dates, configs); drop older ones and
        older formats, and the temporary files of runs killed while writing (`remove_stale_temporaries`: once
        stale, as an edit's are; a running writer's file is seconds old).

        Links are never followed nor removed: only regular files and real folders of okrctl's own names go.
        """
        with contextlib.suppress(OSError):
            packs, memos, versions, formatted = [], [], [], []
            with os.scandir(self.folder) as found:
                for entry in found:
                    if not entry.is_file(follow_symlinks=False):
                        continue
                    modified = entry.stat(follow_symlinks=False).st_mtime
                    if entry.name.endswith(".pack"):
                        packs.append((modified, entry.path))
                    elif entry.name.endswith(".memo"):
                        memos.append((modified, entry.path))
                    elif entry.name.endswith(".versions"):
                        versions.append((modified, entry.path))
                    elif entry.name.endswith(".formatted"):
                        formatted.append((modified, entry.path))
            remove_stale_temporaries(self.folder)
            kept_files = (
                *(sorted(k, reverse=True)[_PACKS_KEPT:] for k in (packs, memos)),
                sorted(versions)[:-2],
                sorted(formatted)[:-2],
            )
            for old in [path for stale in kept_files for _, path in stale]:
                Path(old).unlink(missing_ok=True)
            with os.scandir(self.folder.parent) as found:
                for entry in found:
                    if (
                        entry.path != str(self.folder)
                        and re.fullmatch(r"v\d+", entry.name)
                        and entry.is_dir(follow_symlinks=False)
                    ):
                        shutil.rmtree(entry.path, ignore_errors=True)  # removes links inside, never their targets


class VersionCache(Cache):
    """The items of file versions from git history by blob id (see `history.VersionItems`).

    A blob id names the same bytes forever, so each version is parsed once ever: what it parses to depends
    only on okrctl's code and the fiscal calendar, which name the file. Signed as the packs are. It keeps the
    versions of the last runs, up to `_VERSIONS_KEPT`: the ones a run used are kept first.
    """

    def __init__(self, root: Path, config: Config) -> None:
        super().__init__(root, config, date.min)
        self.salt = f"{code_fingerprint()}\0{_FORMAT}\0versions\0{config.fiscal_year_start}".encode()
        self.path = self.folder / f"{hashlib.sha256(self.salt).hexdigest()[:32]}.versions"
        self.usable = self.secret is not None and self._all_ours()
        self.fresh: dict[str, bytes] = {}

    def get_items(self, blob: str) -> tuple[bool, Any]:
        """(True, the items) when the version `blob` was parsed before, else (False, None)."""
        entry = self.stored.get(blob)
        if entry is None:
            return False, None
        try:
            items = pickle.loads(entry[2])
        except Exception:  # a corrupt entry is a miss
            return False, None
        self.used[blob] = entry
        return True, items

    def put_items(self, blob: str, items: Any) -> None:
        self.used[blob] = ("", False, pickle.dumps(items, protocol=pickle.HIGHEST_PROTOCOL))
        self.added = True

    def save_items(self) -> None:
        if not self.usable or not self.added:
            return
        kept = [(blob, entry) for blob, entry in self.stored.items() if blob not in self.used]
        room = max(0, _VERSIONS_KEPT - len(self.used))
        pack = dict(kept[len(kept) - room :] if room else [])
        pack.update(self.used)
        if self._write_signed(self.path, "versions", pickle.dumps(pack, protocol=pickle.HIGHEST_PROTOCOL)):
            self._tidy()
        self.stored, self.used, self.added = {}, {}, False


_VERSIONS_KEPT = 50_000


class FormattedFiles(Cache):
    """The bytes of files known to be in `okrctl fmt`'s layout, by digest: `fmt` skips the round trip for them.

    Sound because formatting is a pure function of the text and the code: the same bytes, formatted by the same
    okrctl, ruamel.yaml and PyYAML, give themselves back. Signed as the packs are, so a committed or crafted
    file cannot mark a file formatted; it keeps the digests of the last runs, up to `_FORMATTED_KEPT`.
    """

    def __init__(self, root: Path, config: Config) -> None:
        import ruamel.yaml
        import yaml

        super().__init__(root, config, date.min)
        versions = f"{ruamel.yaml.__version__}\0{yaml.__version__}"
        self.salt = f"{code_fingerprint()}\0{_FORMAT}\0formatted\0{versions}".encode()
        self.path = self.folder / f"{hashlib.sha256(self.salt).hexdigest()[:32]}.formatted"
        self.usable = self.secret is not None and self._all_ours()

    def digest(self, data: bytes) -> str:
        digest = hashlib.blake2b(self.salt, digest_size=32)
        digest.update(b"\0")
        digest.update(data)
        return digest.hexdigest()

    def known(self, data: bytes) -> bool:
        key = self.digest(data)
        if key not in self.stored:
            return False
        self.used[key] = self.stored[key]
        return True

    def learn(self, data: bytes) -> None:
        self.used[self.digest(data)] = ("", False, b"")
        self.added = True

    def save_formatted(self) -> None:
        if not self.usable or not self.added:
            return
        kept = [(key, entry) for key, entry in self.stored.items() if key not in self.used]
        room = max(0, _FORMATTED_KEPT - len(self.used))
        pack = dict(kept[len(kept) - room :] if room else [])
        pack.update(self.used)
        if self._write_signed(self.path, "formatted", pickle.dumps(pack, protocol=pickle.HIGHEST_PROTOCOL)):
            self._tidy()
        self.stored, self.used, self.added = {}, {}, False


_FORMATTED_KEPT = 100_000


def salt(config: Config, as_of: date) -> bytes:
    """What every file's result depends on besides the file itself: okrctl's code, the config, the date."""
    return f"{code_fingerprint()}\0{_FORMAT}\0{config.model_dump_json()}\0{as_of}".encode()


def file_key(salt: bytes, shown: str, explicit: bool, data: bytes) -> str:
    """A file's cache key: its bytes, its path as shown, whether it was named, and the settings (`salt`).

    BLAKE2b rather than SHA-256: twice as fast without SHA instructions, and a warm run hashes the whole tree.
    """
    digest = hashlib.blake2b(salt, digest_size=32)
    digest.update(f"\0{shown}\0{explicit}\0".encode())
    digest.update(data)
    return digest.hexdigest()


Entry = tuple[str, bool, bytes]  # shown path, named on the command line, pickled result (`pipeline.FileResult`)


@functools.cache
def code_fingerprint() -> str:
    """What the cached results depend on besides the inputs: okrctl's own code and what unpickles it.

    The source itself, not only the version number: an install from git keeps its version across commits,
    and a changed rule must not reuse the findings of the old one. Reading it costs ~2 ms.
    """
    import pydantic

    digest = hashlib.sha256(f"{__version__}\0{pydantic.VERSION}\0{sys.version}".encode())
    package = Path(__file__).parent
    for path in sorted(package.rglob("*.py")):
        digest.update(f"\0{path.relative_to(package).as_posix()}\0".encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def key_folder() -> Path:
    """Where the cache's signing key lives: `$OKRCTL_CACHE_HOME`, else the platform's user cache folder
    (`~/.cache/okrctl` on Linux, or under `$XDG_CACHE_HOME`). Outside any repository, so a repository cannot
    bring its own key."""
    override = os.environ.get("OKRCTL_CACHE_HOME")
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_cache_dir("okrctl", appauthor=False))


_KEY_BYTES = 32
_KEY_HINT = " (OKRCTL_CACHE_HOME can name another folder for the key)"


def _secret() -> tuple[bytes | None, str | None]:
    """The signing key (made on first use), or None and why there is none.

    A key of the wrong length (empty after a crash, truncated) is replaced, atomically; a link or anything but
    a regular file under the key's name is left alone, and the cache is off until the user removes it.
    """
    folder = key_folder()
    path = folder / "cache-key"
    try:
        kind = file_type(path)
        if kind not in (None, "file"):
            return None, f"{path} is {'a symbolic link' if kind == 'link' else 'not a regular file'}{_KEY_HINT}"
        if kind == "file":
            secret = read_regular(path, _KEY_BYTES)
            if secret is not None and len(secret) == _KEY_BYTES:
                return secret, None
        folder.mkdir(parents=True, exist_ok=True)
        descriptor, temporary = create_temporary(folder, "cache-key", mode=0o600)  # readable by its owner only
        try:
            with os.fdopen(descriptor, "wb") as stream:
                stream.write(secrets.token_bytes(_KEY_BYTES))
            if kind is None:
                with contextlib.suppress(FileExistsError):
                    os.link(temporary, path)  # the first writer wins; everyone reads the same key
            else:
                replace_with(temporary, path)  # a broken key: the last writer wins, the others' packs miss once
        finally:
            temporary.unlink(missing_ok=True)
    except OSError as error:
        return None, f"cannot write {path}: {error.strerror or error}{_KEY_HINT}"
    secret = read_regular(path, _KEY_BYTES)
    if secret is None or len(secret) != _KEY_BYTES:
        return None, f"{path} is not a {_KEY_BYTES}-byte key{_KEY_HINT}"
    return secret, None
