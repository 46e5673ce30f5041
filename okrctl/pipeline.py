"""The per-file stage of lint and the reports: read, parse, validate, run the file rules — once per file,
across processes, and cached by content.

Each file's result is lean (see `GoalFile.make_lean`), so it is cheap to send back from a worker and to
cache. Cross-file rules, scoring and reports then run on the collected results in the parent, every time.

The cache lives in `.okrctl-cache/` at the goals root (it ignores itself for git and is safe to delete).
An entry is keyed on the file's bytes and path, the config, the as-of date and the okrctl version, and is
signed with a key kept outside the repository, so an entry someone committed or crafted is never loaded.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import hashlib
import hmac
import os
import pickle
import secrets
import sys
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from okrctl import __version__
from okrctl.config import Config
from okrctl.discovery import Candidate
from okrctl.findings import Problem
from okrctl.lint import file_problems
from okrctl.loader import GoalFile, display_path, load_file, read_bytes
from okrctl.rules import LintContext

CACHE_DIR = ".okrctl-cache"
_FORMAT = 2  # bump when what an entry holds changes
_PARALLEL_FROM = 64  # below this many files to process, starting workers costs more than it saves


@dataclass
class Processed:
    file: GoalFile  # lean
    problems: list[tuple[str, Problem]]  # from loading and from the file rules


def process(path: Path, config: Config, as_of: date, explicit: bool, data: bytes | None = None) -> Processed | None:
    goal_file = load_file(path, config, explicit, data)
    if goal_file is None:
        return None
    problems = file_problems(goal_file, LintContext(config, as_of))
    goal_file.make_lean()
    goal_file.set_details_aside()
    return Processed(goal_file, problems)


class Cache:
    def __init__(self, root: Path, config: Config, as_of: date) -> None:
        self.folder = root / CACHE_DIR / f"v{_FORMAT}"
        self.secret = _secret()
        self.salt = f"{code_fingerprint()}\0{_FORMAT}\0{config.model_dump_json()}\0{as_of}".encode()
        self.usable = self.secret is not None

    def key(self, shown: str, explicit: bool, data: bytes) -> str:
        digest = hashlib.sha256(self.salt)
        digest.update(f"\0{shown}\0{explicit}\0".encode())
        digest.update(data)
        return digest.hexdigest()

    def get(self, key: str) -> Processed | None:
        try:
            blob = (self.folder / key[:2] / key).read_bytes()
        except OSError:
            return None
        signature, payload = blob[:32], blob[32:]
        assert self.secret is not None
        if not hmac.compare_digest(signature, hmac.new(self.secret, payload, "sha256").digest()):
            return None  # not written by okrctl on this machine: never unpickled
        try:
            result = pickle.loads(payload)
        except Exception:  # a corrupt entry is a miss
            return None
        return result if isinstance(result, Processed) else None

    def put(self, key: str, result: Processed) -> None:
        assert self.secret is not None
        try:
            payload = pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
        except (RecursionError, pickle.PicklingError):
            return  # not worth caching
        folder = self.folder / key[:2]
        try:
            if not (self.folder.parent / ".gitignore").exists():
                self.folder.parent.mkdir(parents=True, exist_ok=True)
                (self.folder.parent / ".gitignore").write_text("# written by okrctl; safe to delete\n*\n")
            folder.mkdir(parents=True, exist_ok=True)
            handle, name = tempfile.mkstemp(dir=folder, prefix=".tmp-")
            with os.fdopen(handle, "wb") as stream:
                stream.write(hmac.new(self.secret, payload, "sha256").digest() + payload)
            Path(name).replace(folder / key)
        except OSError:
            self.usable = False  # a read-only checkout: run without the cache


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


def _secret() -> bytes | None:
    """The signing key, kept in the user's cache folder (created on first use); None if it cannot be."""
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "okrctl"
    path = base / "cache-key"
    try:
        secret = path.read_bytes()
        if len(secret) == 32:
            return secret
    except OSError:
        pass
    try:
        base.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(dir=base)
        with os.fdopen(handle, "wb") as stream:
            stream.write(secrets.token_bytes(32))  # mkstemp made it readable by its owner only
        with contextlib.suppress(FileExistsError):
            os.link(name, path)  # the first writer wins; everyone reads the same key
        Path(name).unlink()
        secret = path.read_bytes()
        return secret if len(secret) == 32 else None
    except OSError:
        return None


# -- running the stage --------------------------------------------------------------------------------

_worker: dict[str, Any] = {}


def _init_worker(config: Config, as_of: date, cache: Cache | None) -> None:
    _worker.update(config=config, as_of=as_of, cache=cache)


def _work(job: tuple[str, bool, bytes | None, str]) -> Processed | None:
    """Process one file, and cache its result here, in the worker, so pickling it runs in parallel."""
    path, explicit, data, key = job
    result = process(Path(path), _worker["config"], _worker["as_of"], explicit, data)
    cache: Cache | None = _worker["cache"]
    if cache is not None and cache.usable and key and result is not None:
        cache.put(key, result)
    return result


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def run_stage(
    candidates: list[Candidate], root: Path, config: Config, as_of: date, jobs: int, use_cache: bool
) -> list[tuple[Candidate, Processed | None]]:
    """Each candidate with its result (None: not a goal file), in the candidates' order.

    The garbage collector is paused while results are built and then told to leave them alone
    (`gc.freeze`): they live until the command ends, and with millions of objects alive each full
    collection would scan them all again — measured at a third of a warm run.
    """
    gc.disable()
    try:
        return _run_stage(candidates, root, config, as_of, jobs, use_cache)
    finally:
        gc.freeze()
        gc.enable()


def _run_stage(
    candidates: list[Candidate], root: Path, config: Config, as_of: date, jobs: int, use_cache: bool
) -> list[tuple[Candidate, Processed | None]]:
    cache = Cache(root, config, as_of) if use_cache else None
    if cache is not None and not cache.usable:
        cache = None
    results: dict[int, Processed | None] = {}
    misses: list[tuple[int, str, bytes | None]] = []
    for index, candidate in enumerate(candidates):
        data, problem = read_bytes(candidate.path)
        key = None
        if cache is not None and data is not None:
            key = cache.key(display_path(candidate.path), candidate.explicit, data)
            hit = cache.get(key)
            if hit is not None:
                results[index] = hit
                continue
        misses.append((index, key or "", data if problem is None else None))

    jobs_to_run = [(str(candidates[i].path), candidates[i].explicit, data, key) for i, key, data in misses]
    initargs = (config, as_of, cache)
    if jobs > 1 and len(misses) >= _PARALLEL_FROM:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        context = multiprocessing.get_context("fork" if sys.platform == "linux" else "spawn")
        chunk = max(1, len(misses) // (jobs * 8))
        with ProcessPoolExecutor(jobs, mp_context=context, initializer=_init_worker, initargs=initargs) as pool:
            computed = list(pool.map(_work, jobs_to_run, chunksize=chunk))
    else:
        _init_worker(*initargs)
        computed = [_work(job) for job in jobs_to_run]
    for (index, _, _), result in zip(misses, computed, strict=True):
        results[index] = result
    return [(candidate, results[index]) for index, candidate in enumerate(candidates)]
