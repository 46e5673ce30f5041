"""`okrctl measure --from-sources`: each KPI with a `query:` that is due asks its datasource for its value,
which is recorded as `okrctl measure --from` records a row (the same checks, one atomic write per file).

A source that fails is reported with the KPI's reference and the source's own message; the other KPIs are
still written. Exit 0 when every due KPI was recorded (or nothing was due), 1 when some failed or were
refused, 2 for a usage or config problem (nothing is asked of any source then).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

from okrctl.commands.common import EditableRoot, one_root, scopes
from okrctl.commands.edit import OUTCOME_FORMATS, Outcome, record_rows
from okrctl.config import LoadedConfig
from okrctl.discovery import Candidate, discover, file_identity
from okrctl.loader import GoalFile, load_file
from okrctl.measurement_rows import ImportRow
from okrctl.model import QUERY_ASKS, Kpi, KpiFile, Query
from okrctl.periods import PeriodError, parse_date
from okrctl.pipeline import default_jobs
from okrctl.project import Project
from okrctl.reporters.safe_text import guard_commands, one_line
from okrctl.sources import Request, Source, SourceError, Window, add_months, open_source
from okrctl.validation import did_you_mean
from okrctl.writing import EditRefused, defer_folder_syncs, sync_deferred_folders

__all__ = ["FromSourcesOptions", "due_days", "parse_backfill", "run_measure_from_sources"]

# A backfill asks each source once per due day: a year of a daily KPI is 366 questions, more is a mistake.
BACKFILL_DAYS_LIMIT = 366
# From this many questions on, a terminal shows a progress bar (a few are done before it would be read).
PROGRESS_FROM = 20
# From this many files to read on, worker processes share the work (below, starting them costs more).
PARALLEL_FROM = 32
BATCH = 16  # files per message to a worker

_R = TypeVar("_R")


@dataclass(frozen=True)
class FromSourcesOptions:
    paths: list[Path]
    day: date | None  # --date: the one day to measure (default: the last complete day)
    backfill: tuple[date, date] | None  # --backfill START..END, both included
    only: list[str]  # --only: these KPIs, due or not
    replace: bool = False
    dry_run: bool = False
    output_format: str = "text"
    jobs: int | None = None  # processes (default: all cores)


def parse_backfill(text: str) -> tuple[date, date]:
    start, separator, end = text.partition("..")
    if not separator:
        raise EditRefused(f"--backfill {text!r}: write START..END, e.g. 2026-10-01..2026-10-31")
    try:
        first, last = parse_date(start.strip()), parse_date(end.strip())
    except PeriodError as error:
        raise EditRefused(f"--backfill: {error}") from None
    if first > last:
        raise EditRefused(f"--backfill {text}: {first} is after {last}")
    if (last - first).days + 1 > BACKFILL_DAYS_LIMIT:
        raise EditRefused(f"--backfill {text}: at most {BACKFILL_DAYS_LIMIT} days per run; split the range")
    return first, last


def next_due(last: date, frequency: str | None) -> date:
    """The first day a KPI measured on `last` is due again: a day, 7 or 14 days later, or the same day a
    calendar month or quarter later, counted from the day after (measured on the 1st, due on the next 1st; on
    a month's last day, due on the next month's last day), so each window starts where the last one ended."""
    if frequency in ("monthly", "quarterly"):
        return add_months(last + timedelta(days=1), 1 if frequency == "monthly" else 3) - timedelta(days=1)
    return last + timedelta(days={"weekly": 7, "biweekly": 14}.get(frequency or "daily", 1))


@dataclass(frozen=True)
class Schedule:
    """What decides the days a KPI is due: its frequency and the days it was measured (all a worker sends back
    of a KPI, rather than the KPI with every value)."""

    frequency: str | None
    recorded: frozenset[date]

    @classmethod
    def of(cls, kpi: Kpi) -> Schedule:
        return cls(kpi.frequency, frozenset(measurement["date"] for measurement in kpi.measurements))


def due_days(kpi: Kpi | Schedule, days: list[date], named: bool) -> list[date]:
    """The days of `days` (in order) on which the KPI is measured.

    A day is due when the KPI's last measurement before it is at least its frequency old (no frequency:
    daily), counting the days this run measures. A day already recorded is not due, unless the KPI is named
    (`--only`): then its recorded days are asked again too (the same value changes nothing, another is
    refused unless `--replace`), which is how a corrected month is pulled again, and one day asked for
    (`--date`) is asked whatever the schedule.
    """
    schedule = kpi if isinstance(kpi, Schedule) else Schedule.of(kpi)
    recorded = schedule.recorded
    if named and len(days) == 1:
        return days
    earlier = [day for day in recorded if day < days[0]]
    last = max(earlier) if earlier else None
    due = []
    for day in days:
        if day in recorded:
            if named:
                due.append(day)
            last = day
        elif last is None or day >= next_due(last, schedule.frequency):
            due.append(day)
            last = day
    return due


@dataclass
class _Failure:
    """A value not recorded: a source that failed ("failed"), a value refused when recording ("refused", its
    reason printed once for its file), a KPI defined twice, or a goal file that could not be read ("unreadable",
    with no KPI or day)."""

    ref: str | None
    day: date | None
    datasource: str | None
    message: str
    path: str
    action: str = "failed"
    shown: bool = True  # printed on standard error as it is (a refusal is printed once, for its file)

    def text(self) -> str:
        if self.ref is None or self.day is None:  # a file unreadable, a KPI defined twice
            return f"{self.path}: {self.message}"
        message = self.message.removeprefix(f"datasource {self.datasource}: ")  # named already
        return f"{self.ref} ({self.day}, datasource {self.datasource}): {message}"

    def document(self, dry_run: bool) -> dict[str, object]:
        return {
            "version": 1,
            "ref": self.ref,
            "path": self.path,
            "date": self.day.isoformat() if self.day else None,
            "datasource": self.datasource,
            "action": self.action,
            "error": self.message,
            "dry_run": dry_run,
        }


# -- the work on one file, in this process or a worker ------------------------------------------------------
#
# A KPI file is parsed once to find its KPIs, once to place the new rows, once to check the result. With many
# files, that work is split between worker processes, each keeping the files it read for the second step (a
# file always goes back to the worker that read it), each opening the datasources it needs once.


@dataclass(frozen=True)
class _KpiSummary:
    ref: str
    query: Query | None
    schedule: Schedule


@dataclass(frozen=True)
class _FileSummary:
    number: int
    path: str
    valid: bool
    kpis: list[_KpiSummary]


@dataclass
class _FileResult:
    outcomes: list[Outcome] = field(default_factory=list)
    failures: list[_Failure] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)


@dataclass
class _WorkerState:
    loaded: LoadedConfig | None = None
    replace: bool = False
    write: bool = True
    files: dict[int, GoalFile] = field(default_factory=dict)
    sources: dict[str, Source | SourceError] = field(default_factory=dict)


_state = _WorkerState()


def _start(loaded: LoadedConfig, replace: bool, write: bool) -> None:
    _state.loaded, _state.replace, _state.write = loaded, replace, write
    _state.files.clear()
    _state.sources.clear()
    defer_folder_syncs()  # each folder made durable once, when the work ends


def _read(number: int, path: Path, explicit: bool, data: bytes | None) -> _FileSummary | None:
    """Load one candidate, keep it for `_measure`, and say which KPIs it holds (None: not a goal file)."""
    assert _state.loaded is not None
    goal_file = load_file(path, _state.loaded.config, explicit, data)
    if goal_file is None:
        return None
    _state.files[number] = goal_file
    kpis = []
    if goal_file.valid and isinstance(goal_file.model, KpiFile):
        owner = goal_file.model.owner
        kpis = [_KpiSummary(f"{owner}/{kpi.id}", kpi.query, Schedule.of(kpi)) for kpi in goal_file.model.kpis]
    return _FileSummary(number, goal_file.path, goal_file.valid, kpis)


def _measure(number: int, requests: list[Request]) -> _FileResult:
    """Ask the datasources for one file's requests and record what they give: checked, locked, atomic."""
    assert _state.loaded is not None
    goal_file = _state.files[number]
    result = _FileResult()
    rows = []
    asked = {}
    for request in requests:
        name = request.query.datasource
        try:
            reading = _source(name).read(request)
        except SourceError as error:
            result.failures.append(_Failure(request.ref, request.window.day, name, str(error), goal_file.path))
        else:
            rows.append(ImportRow(0, request.ref, request.window.day, reading.value, reading.note))
            asked[request.ref, request.window.day] = name
    if rows:
        tree = EditableRoot(_state.loaded, [goal_file])
        result.outcomes, result.refused = record_rows(
            tree, Project([goal_file]), rows, _state.replace, lambda row: f"{row.ref} ({row.day})", _state.write
        )
        recorded = {(outcome.ref, outcome.day) for outcome in result.outcomes}
        for row in rows:
            if (row.ref, row.day) not in recorded:  # refused: its reason names the row, or the whole file
                reason = next((r for r in result.refused if r.startswith(f"{row.ref} ({row.day})")), None)
                message = reason or (result.refused[0] if result.refused else "not recorded")
                name = asked[row.ref, row.day]
                result.failures.append(
                    _Failure(row.ref, row.day, name, message, goal_file.path, "refused", shown=False)
                )
    return result


def _source(name: str) -> Source:
    """The datasource `name`, opened once per process (an error opening it is every request's answer)."""
    assert _state.loaded is not None
    if name not in _state.sources:
        try:
            _state.sources[name] = open_source(name, _state.loaded.config.datasources[name], _state.loaded.root)
        except SourceError as error:
            _state.sources[name] = error
    source = _state.sources[name]
    if isinstance(source, SourceError):
        raise source
    return source


def _finish() -> None:
    sync_deferred_folders()
    for source in _state.sources.values():
        if not isinstance(source, SourceError):
            source.close()
    _state.sources.clear()
    _state.files.clear()


def _batch(function: Callable[..., _R], calls: list[tuple[int, Any]]) -> list[_R]:
    return [function(number, *arguments) for number, arguments in calls]


class _Workers:
    """Where the per-file work runs: this process, or one worker process per job, each file going to the
    worker `number % jobs` in both steps (so the worker that read a file measures it)."""

    def __init__(self, jobs: int, loaded: LoadedConfig, replace: bool, write: bool) -> None:
        self._pools: list[Any] = []
        if jobs > 1:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            context = multiprocessing.get_context("fork" if sys.platform == "linux" else "spawn")
            arguments = (loaded, replace, write)
            self._pools = [
                ProcessPoolExecutor(1, mp_context=context, initializer=_start, initargs=arguments) for _ in range(jobs)
            ]
        else:
            _start(loaded, replace, write)

    def map(self, function: Callable[..., _R], calls: list[tuple[int, Any]]) -> Iterator[_R]:
        """`function(number, *arguments)` for each call, results in the calls' order. A worker gets its calls
        in batches (one message each way per batch, not per file)."""
        if not self._pools:
            return (function(number, *arguments) for number, arguments in calls)
        jobs = len(self._pools)
        batches: list[list[tuple[int, Any]]] = []
        for worker in range(jobs):
            mine = [call for call in calls if call[0] % jobs == worker]
            size = max(1, min(BATCH, -(-len(mine) // 4)))  # at least four batches a worker: a progress bar moves
            batches += [mine[start : start + size] for start in range(0, len(mine), size)]
        futures = [(batch, self._pools[batch[0][0] % jobs].submit(_batch, function, batch)) for batch in batches]
        return self._in_order(calls, futures)

    @staticmethod
    def _in_order(calls: list[tuple[int, Any]], futures: list[tuple[list[tuple[int, Any]], Any]]) -> Iterator[_R]:
        where = {
            call[0]: (index, offset) for index, (batch, _) in enumerate(futures) for offset, call in enumerate(batch)
        }
        results: dict[int, list[_R]] = {}
        for number, _ in calls:
            index, offset = where[number]
            if index not in results:
                results[index] = futures[index][1].result()
            yield results[index][offset]

    def close(self) -> None:
        if not self._pools:
            _finish()
            return
        for future in [pool.submit(_finish) for pool in self._pools]:
            future.result()
        for pool in self._pools:
            pool.shutdown()


def run_measure_from_sources(options: FromSourcesOptions) -> int:
    # in UTC: a prometheus source reads a day's value at its end, midnight UTC, which must have passed
    last_complete = datetime.now(UTC).date() - timedelta(days=1)
    days = _days(options, last_complete)
    loaded, candidates = _candidates(options.paths)
    jobs = options.jobs or default_jobs()
    workers = _Workers(jobs if len(candidates) >= PARALLEL_FROM else 1, loaded, options.replace, not options.dry_run)
    result = _FileResult()
    try:
        calls = [(number, (c.path, c.explicit, data)) for number, (c, data, _) in enumerate(candidates)]
        summaries = [summary for summary in workers.map(_read, calls) if summary is not None]
        asked = {number for number, (_, _, named) in enumerate(candidates) if named}
        chosen, result.failures = _chosen(loaded, summaries, asked, options.only)
        work: dict[int, list[Request]] = {}
        for number, entry in chosen:
            assert entry.query is not None
            for day in due_days(entry.schedule, days, bool(options.only)):
                window = Window.of(day, entry.schedule.frequency)
                work.setdefault(number, []).append(Request(entry.ref, entry.query, window))
        with _progress(sum(len(requests) for requests in work.values())) as advance:
            for requests, done in zip(
                work.values(), workers.map(_measure, [(n, (r,)) for n, r in work.items()]), strict=True
            ):
                result.outcomes += done.outcomes
                result.failures += done.failures
                result.refused += done.refused
                advance(len(requests))
    finally:
        workers.close()
    for summary in summaries:
        if not summary.valid and summary.number in asked:  # its KPIs could not be read, so not measured
            message = "the file has errors, so its KPIs were not measured: run okrctl lint"
            result.failures.append(_Failure(None, None, None, message, summary.path, "unreadable"))
    _report(options, result, len(chosen), days)
    return 1 if result.failures or result.refused else 0


def _candidates(paths: list[Path]) -> tuple[LoadedConfig, list[tuple[Candidate, bytes | None, bool]]]:
    """The goals root measured and its candidate files that mention a query (a KPI with one says so), with
    their bytes and whether PATHS name them: the others are not parsed at all. Given PATHS, the whole root's
    files that mention a query are read still, so a KPI defined twice is seen wherever its other file is."""
    chosen: list[_Scope] = []
    for scope in scopes(paths):
        chosen.append(_Scope(scope.loaded, _mentioning_a_query(scope.candidates)))
        if not paths:  # the goals root okrctl runs in: a nested root below it is a project of its own
            break
    root = one_root(chosen, [s.loaded for s in chosen if s.files])
    if not paths:
        return root.loaded, [(candidate, data, True) for candidate, data in root.files]
    named = {file_identity(candidate.path) for candidate, _ in root.files}
    everything = _mentioning_a_query(discover([root.loaded.root], root.loaded.root, root.loaded.config.exclude))
    return root.loaded, [(c, data, file_identity(c.path) in named) for c, data in everything]


def _mentioning_a_query(candidates: list[Candidate]) -> list[tuple[Candidate, bytes | None]]:
    kept: list[tuple[Candidate, bytes | None]] = []
    for candidate in candidates:
        try:
            data = candidate.path.read_bytes()
        except OSError:
            kept.append((candidate, None))  # loading it reports why it cannot be read
            continue
        if b"query" in data:
            kept.append((candidate, data))
    return kept


@dataclass
class _Scope:
    loaded: LoadedConfig
    files: list[tuple[Candidate, bytes | None]]


def _days(options: FromSourcesOptions, last_complete: date) -> list[date]:
    if options.backfill is not None:
        first, last = options.backfill
        if last > last_complete:
            raise EditRefused(
                f"--backfill ends on {last}, a day not over yet: the last complete day is {last_complete}"
            )
        return [first + timedelta(days=n) for n in range((last - first).days + 1)]
    day = options.day or last_complete
    if day > last_complete:
        raise EditRefused(
            f"--date {day} is not over yet: a source is asked for a complete day (the last one is {last_complete})"
        )
    return [day]


def _chosen(
    loaded: LoadedConfig, summaries: list[_FileSummary], asked: set[int], only: list[str]
) -> tuple[list[tuple[int, _KpiSummary]], list[_Failure]]:
    """The KPIs to measure, with the file each is in: those of the files asked for that have a query (or the
    ones named), each asking a datasource of the config the way its type answers; and the KPIs that cannot be
    measured because they are defined twice. A usage or config problem stops the run here, before any source
    is asked."""
    found: dict[str, list[tuple[int, _KpiSummary, str]]] = {}
    for summary in summaries:
        for kpi in summary.kpis:
            found.setdefault(kpi.ref, []).append((summary.number, kpi, summary.path))
    mine = {ref: places for ref, places in found.items() if any(number in asked for number, _, _ in places)}
    for ref in dict.fromkeys(only):
        if ref not in mine:
            where = " in the given paths" if ref in found else ""  # only the files that mention a query were read
            with_query = sorted(r for r, places in mine.items() if places[0][1].query is not None)
            raise EditRefused(f"--only: no KPI {ref!r} with a query{where}{did_you_mean(ref, with_query)}")
        if all(kpi.query is None for _, kpi, _ in mine[ref]):
            raise EditRefused(f"--only: {ref} has no query: to measure it from a source, give it one")
    named = set(only)
    datasources = loaded.config.datasources
    chosen, twice = [], []
    for ref, places in mine.items():  # in the order of the files, and of the KPIs in each
        if not (ref in named if named else any(kpi.query is not None for _, kpi, _ in places)):
            continue
        if len(places) > 1:
            paths = sorted({path for _, _, path in places})
            where = f"twice in {paths[0]}" if len(paths) == 1 else f"in {len(places)} files ({', '.join(paths)})"
            message = f"{ref} is defined {where}, so it was not measured: okrctl lint reports it (OKR003)"
            twice.append(_Failure(ref, None, None, message, places[0][2]))
            continue
        number, kpi, path = places[0]
        assert kpi.query is not None
        datasource = datasources.get(kpi.query.datasource)
        if datasource is None:
            known = ", ".join(sorted(datasources)) or "none"
            raise EditRefused(
                f"{path}: {ref} asks the datasource {kpi.query.datasource!r}, which okrctl.yaml does not define "
                f"(datasources: {known}); nothing was measured"
            )
        if datasource.type != QUERY_ASKS[kpi.query.asks]:
            raise EditRefused(
                f"{path}: {ref} asks the {datasource.type} datasource {kpi.query.datasource!r} with "
                f"{kpi.query.asks}: okrctl lint says how (OKR004)"
            )
        chosen.append((number, kpi))
    return chosen, twice


@contextmanager
def _progress(total: int) -> Iterator[Callable[[int], None]]:
    """A progress bar on standard error when it is a terminal and there are many questions to ask."""
    if total < PROGRESS_FROM or not sys.stderr.isatty():
        yield lambda done: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    columns = (TextColumn("measuring"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task("measuring", total=total)
        yield lambda done: progress.advance(task, done)


def _report(
    options: FromSourcesOptions,
    result: _FileResult,
    kpis: int,
    days: list[date],
) -> None:
    """What was recorded on standard output, what was not on standard error (and, with --format json, as
    objects on standard output too). Text from a source or a file passes through `one_line`/`guard_commands`:
    a program's output or a server's message can hold terminal escapes or a CI workflow command."""
    if options.output_format == "json":
        for outcome in result.outcomes:
            document = json.loads(OUTCOME_FORMATS["json"](outcome))
            print(json.dumps({**document, "dry_run": options.dry_run}))
        for failure in result.failures:
            print(json.dumps(failure.document(options.dry_run)))
    else:
        prefix = "(dry run, not written) " if options.dry_run else ""
        for outcome in result.outcomes:
            print(guard_commands(one_line(f"{outcome.path}: {outcome.ref}: {prefix}{outcome.summary}")))
        if not result.outcomes and not result.failures and not result.refused:
            when = f"{days[0]}..{days[-1]}" if len(days) > 1 else str(days[0])
            print(f"nothing is due on {when} ({_count(kpis, 'KPI')} with a query)")
    for line in [*(failure.text() for failure in result.failures if failure.shown), *result.refused]:
        print(guard_commands(one_line(f"okrctl: error: {line}")), file=sys.stderr)


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"
