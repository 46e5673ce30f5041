"""The per-file stage of lint and the reports: read, parse, validate, run the file rules — once per file,
across processes, and cached by content.

Each file's result is lean (see `GoalFile.make_lean`), so it is cheap to send back from a worker and to
cache. Cross-file rules, scoring and reports then run on the collected results in the parent, every time.

The results are cached by `okrctl.cache.Cache`.
"""

from __future__ import annotations

import gc
import os
import pickle
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from okrctl.cache import Cache
from okrctl.config import Config
from okrctl.discovery import Candidate
from okrctl.findings import Problem
from okrctl.lint import file_problems
from okrctl.loader import GoalFile, display_path, load_file, read_bytes
from okrctl.rules import LintContext

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


# -- running the stage --------------------------------------------------------------------------------

_worker: dict[str, Any] = {}


def _init_worker(config: Config, as_of: date) -> None:
    _worker.update(config=config, as_of=as_of)


def _work(job: tuple[str, bool, bytes | None]) -> bytes | None:
    """Process one file in a worker; the result goes back pickled, and the parent keeps those bytes for the
    cache rather than pickling the result again."""
    path, explicit, data = job
    result = process(Path(path), _worker["config"], _worker["as_of"], explicit, data)
    return None if result is None else _pickled(result)


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
    if cache is not None and cache.note:
        print(f"okrctl: note: running without the cache: {cache.note}", file=sys.stderr)
    if cache is not None and not cache.usable:
        cache = None
    results: dict[int, Processed | None] = {}
    misses: list[tuple[int, str, bytes | None]] = []
    for index, candidate in enumerate(candidates):
        data, problem = read_bytes(candidate.path)
        key = ""
        if cache is not None and data is not None:
            key = cache.key(display_path(candidate.path), candidate.explicit, data)
            hit = cache.get(key, Processed)
            if hit is not None:
                results[index] = hit
                continue
        misses.append((index, key, data if problem is None else None))

    jobs_to_run = [(str(candidates[i].path), candidates[i].explicit, data) for i, _, data in misses]
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
        for (index, key, _), (path, explicit, data) in zip(misses, jobs_to_run, strict=True):
            result = results[index] = process(Path(path), config, as_of, explicit, data)
            if cache is not None and key and result is not None:
                cache.add(key, display_path(candidates[index].path), explicit, _pickled(result))
    if cache is not None:
        cache.save()
    return [(candidate, results[index]) for index, candidate in enumerate(candidates)]


def _pickled(result: Processed) -> bytes:
    return pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
