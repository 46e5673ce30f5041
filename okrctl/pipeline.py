"""The per-file stage of lint and the reports: read, parse, validate, run the file rules — once per file,
across processes, and cached by content.

Each file's result is lean (see `GoalFile.make_lean`), so it is cheap to send back from a worker and to
cache. Cross-file rules, scoring and reports then run on the collected results in the parent, every time.

The stage has two halves: `read_stage` reads every file and finds its cache key (`okrctl.cache`), which is
all it takes to tell that nothing changed since the last run (`run_memo`: lint then reuses that run's
result whole, and reads only the files whose status changed since); `finish_stage` takes each result from
the cache or processes the file.
"""

from __future__ import annotations

import gc
import hashlib
import os
import pickle
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from okrctl.cache import Cache
from okrctl.goal_bytes import Status, display_path, file_status, read_bytes_and_status

if TYPE_CHECKING:  # the loader, the models and the rules load when a file is processed, not to read it
    from okrctl.config import Config
    from okrctl.discovery import Candidate
    from okrctl.engine import RawProblem
    from okrctl.loader import GoalFile

_PARALLEL_FROM = 64  # below this many files to process, starting workers costs more than it saves


@dataclass
class FileResult:
    """One file's result of the per-file stage."""

    file: GoalFile  # lean, its history set aside
    problems: list[RawProblem]  # from loading and from the file rules


def process(
    path: Path,
    config: Config,
    as_of: date,
    explicit: bool,
    data: bytes | None = None,
    origin: str = "",
    shown: str = "",
) -> FileResult | None:
    """Load one file (its bytes `data`, when read already) and run the file rules; `origin` and `shown`: a
    version from git history (see `discovery.Candidate`)."""
    from okrctl.engine import file_rule_problems
    from okrctl.loader import load_file
    from okrctl.rules import LintContext

    goal_file = load_file(path, config, explicit, data, origin=origin, shown=shown)
    if goal_file is None:
        return None
    problems = file_rule_problems(goal_file, LintContext(config, as_of))
    goal_file.make_lean()
    goal_file.set_history_aside()
    return FileResult(goal_file, problems)


# -- running the stage --------------------------------------------------------------------------------

_worker: dict[str, Any] = {}


def _init_worker(config: Config, as_of: date) -> None:
    _worker.update(config=config, as_of=as_of)


def _work(job: tuple[str, bool, bytes | None, str, str]) -> bytes | None:
    """Process one file in a worker; the result goes back pickled, and the parent keeps those bytes for the
    cache rather than pickling the result again."""
    path, explicit, data, origin, shown = job
    result = process(Path(path), _worker["config"], _worker["as_of"], explicit, data, origin, shown)
    return None if result is None else _pickled(result)


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def run_stage(
    candidates: list[Candidate], root: Path, config: Config, as_of: date, jobs: int, use_cache: bool
) -> list[tuple[Candidate, FileResult | None]]:
    """Each candidate with its result (None: not a goal file), in the candidates' order."""
    return finish_stage(read_stage(candidates, root, config, as_of, use_cache), jobs)


@dataclass
class Reading:
    """The first half of the per-file stage over one goals root: each candidate's bytes and cache key (until
    `finish_stage` uses them)."""

    candidates: list[Candidate]
    config: Config
    as_of: date
    cache: Cache | None  # None: without the cache
    read: list[tuple[bytes | None, str]]  # per candidate: its bytes (None: unreadable), its key ("": none)
    statuses: list[Status | None] = field(default_factory=list)  # per candidate, as read (or looked at)
    unread: set[int] = field(default_factory=set)  # the candidates not read yet (see `read_stage`)
    started: int = field(default_factory=time.time_ns)  # made before any of them was read (see `_RACY_NS`)

    def read_one(self, index: int) -> None:
        candidate = self.candidates[index]
        data, problem, status = read_bytes_and_status(candidate.path)
        key = ""
        if self.cache is not None and data is not None:
            key = self.cache.key(display_path(candidate.path), candidate.explicit, data)
        self.read[index] = (data if problem is None else None, key)
        self.statuses[index] = status
        self.unread.discard(index)

    def finish_reading(self) -> None:
        """Read what `read_stage(..., lazily=True)` and a remembered run left unread."""
        for index in sorted(self.unread):
            self.read_one(index)


def read_stage(
    candidates: list[Candidate], root: Path, config: Config, as_of: date, use_cache: bool, lazily: bool = False
) -> Reading:
    """Read every candidate and find its cache key: all a run needs to tell whether anything changed.

    `lazily` (with the cache): only look at each file's status, and leave the reading to `Memo.recall`, which
    reads only the files whose status changed since the remembered run, or to `Reading.finish_reading`.
    """
    cache = Cache(root, config, as_of) if use_cache else None
    if cache is not None and cache.note:
        print(f"okrctl: note: running without the cache: {cache.note}", file=sys.stderr)
    if cache is not None and not cache.usable:
        cache = None
    reading = Reading(candidates, config, as_of, cache, [(None, "")] * len(candidates), [None] * len(candidates))
    if lazily and cache is not None:
        reading.statuses = [file_status(candidate.path) for candidate in candidates]
        reading.unread = set(range(len(candidates)))
    else:
        for index in range(len(candidates)):
            reading.read_one(index)
    return reading


def finish_stage(reading: Reading, jobs: int) -> list[tuple[Candidate, FileResult | None]]:
    """The second half: each candidate's result, from the cache or processed (in worker processes for many).

    The garbage collector is paused meanwhile, as the results are built (with thousands of files, its
    collections would scan them over and over for nothing: they live until the command ends); its state is
    restored after. The `okrctl` command itself runs without it (see `cli.main`).
    """
    reading.finish_reading()
    paused = gc.isenabled()
    gc.disable()
    try:
        return _finish_stage(reading, jobs)
    finally:
        if paused:
            gc.enable()


def _finish_stage(reading: Reading, jobs: int) -> list[tuple[Candidate, FileResult | None]]:
    candidates, config, as_of, cache = reading.candidates, reading.config, reading.as_of, reading.cache
    results: dict[int, FileResult | None] = {}
    misses: list[tuple[int, str, bytes | None]] = []
    for index, (data, key) in enumerate(reading.read):
        if cache is not None and key:
            hit = cache.get(key, FileResult)
            if hit is not None:
                results[index] = hit
                continue
        misses.append((index, key, data))
    reading.read = []  # used once: let the bytes of the hits go

    jobs_to_run = [
        (str(candidates[i].path), candidates[i].explicit, data, candidates[i].origin, candidates[i].shown)
        for i, _, data in misses
    ]
    if jobs > 1 and len(misses) >= _PARALLEL_FROM:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        context = multiprocessing.get_context("fork" if sys.platform == "linux" else "spawn")
        chunk = max(1, len(misses) // (jobs * 8))
        with ProcessPoolExecutor(jobs, mp_context=context, initializer=_init_worker, initargs=(config, as_of)) as pool:
            for (index, key, _), payload in zip(misses, pool.map(_work, jobs_to_run, chunksize=chunk), strict=True):
                results[index] = None if payload is None else pickle.loads(payload)
                if cache is not None and key and payload is not None:
                    cache.add(key, display_path(candidates[index].path), candidates[index].explicit, payload)
    else:
        for (index, key, _), (path, explicit, data, origin, shown) in zip(misses, jobs_to_run, strict=True):
            result = results[index] = process(Path(path), config, as_of, explicit, data, origin, shown)
            if cache is not None and key and result is not None:
                cache.add(key, display_path(candidates[index].path), explicit, _pickled(result))
    if cache is not None:
        cache.save()
    return [(candidate, results[index]) for index, candidate in enumerate(candidates)]


_T = TypeVar("_T")


# A file modified this close before the remembered run began reading it may have been written again within
# the same tick of its file system's clock after it was read, keeping its status: it is read again ("racily
# clean", in git's words). Two seconds covers the coarsest clocks (FAT's). The run's start, not the time its
# memo was written: an edit made during a long run, after the file was read, is caught too. (The comparison
# takes the file system's clock to agree with this machine's within those two seconds.)
_RACY_NS = 2_000_000_000


@dataclass
class Memo:
    """A run's final result, kept in the cache (see `Cache.recall`) under the run's settings and inputs."""

    cache: Cache
    settings: str
    readings: list[Reading]
    sealed: tuple[bytes, dict[str, tuple[Status, str]]] | None = None  # the inputs and files of `seal`
    started: int = 0  # when this run began reading files (see `_RACY_NS`)

    def recall(self, expected: type[_T]) -> _T | None:
        """The remembered result if every file's cache key, the config and the options are unchanged.

        As git's index does, a file whose status (size, modification and change times, inode, device) is the
        one the remembered run read it with keeps the key it had, unread — unless it was racily clean then.
        Restoring a file's modification time after an edit (`touch -d`) still changes its change time.
        """
        files, began = self.cache.remembered_files(self.settings)
        for number, reading in enumerate(self.readings):
            for index in sorted(reading.unread):
                status = reading.statuses[index]
                known = files.get(_file_name(number, reading.candidates[index]))
                if status is not None and known is not None and known[0] == status and status[1] < began - _RACY_NS:
                    reading.read[index] = (None, known[1])  # its bytes stay unread, for `finish_reading`
                else:
                    reading.read_one(index)
        self.seal()
        return None if self.sealed is None else self.cache.recall(self.settings, self.sealed[0], expected)

    def seal(self) -> None:
        """Take the inputs (every file's key) and each file's status as the readings hold them now; a file
        that could not be read makes the run one that cannot be remembered (what stopped it is in no key)."""
        self.sealed = None
        digest = hashlib.sha256()
        files: dict[str, tuple[Status, str]] = {}
        for number, reading in enumerate(self.readings):
            if reading.cache is None:
                return
            digest.update(f"\0{reading.cache.folder}\0".encode() + reading.cache.salt)
            for index, (_, key) in enumerate(reading.read):
                if not key:
                    return
                digest.update(key.encode())
                status = reading.statuses[index]
                if status is not None:
                    files[_file_name(number, reading.candidates[index])] = (status, key)
        self.sealed = (digest.digest(), files)

    def remember(self, result: object) -> None:
        if self.sealed is not None:
            self.cache.remember(self.settings, self.sealed[0], result, self.sealed[1], self.started)


def _file_name(number: int, candidate: Candidate) -> str:
    return f"{number}\0{os.fspath(candidate.path)}\0{candidate.explicit}"


def run_memo(readings: list[Reading], settings: str) -> Memo | None:
    """The memo of a run whose per-file stages read `readings`, or None when the run cannot be remembered
    (without the cache).

    Its inputs are every file's cache key, so any change to a file, its path, the config, the date or okrctl
    itself makes a new run; `settings` names the rest (the command, its options, the current folder).
    """
    if not readings or any(reading.cache is None for reading in readings):
        return None
    cache = readings[0].cache
    assert cache is not None
    started = min(reading.started for reading in readings)
    return Memo(cache, f"{Path.cwd()}\0{settings}", readings, started=started)


def _pickled(result: FileResult) -> bytes:
    return pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)


_Job = TypeVar("_Job")
_Result = TypeVar("_Result")


def map_in_workers(function: Callable[[_Job], _Result], jobs_to_run: list[_Job], jobs: int) -> list[_Result]:
    """`function` over `jobs_to_run`, in order: in `jobs` worker processes when there are enough of them to pay
    for starting workers (the per-file stage's rule), else here. `function` must be a module-level function."""
    if jobs <= 1 or len(jobs_to_run) < _PARALLEL_FROM:
        return [function(job) for job in jobs_to_run]
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context("fork" if sys.platform == "linux" else "spawn")
    chunk = max(1, len(jobs_to_run) // (jobs * 8))
    with ProcessPoolExecutor(jobs, mp_context=context) as pool:
        return list(pool.map(function, jobs_to_run, chunksize=chunk))
