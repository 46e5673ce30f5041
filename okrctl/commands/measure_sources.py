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
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from okrctl.commands.common import EditableRoot, load_for_editing
from okrctl.commands.edit import OUTCOME_FORMATS, Outcome, record_rows
from okrctl.measurement_rows import ImportRow
from okrctl.model import QUERY_ASKS, Kpi
from okrctl.periods import PeriodError, parse_date
from okrctl.project import KpiEntry, Project
from okrctl.sources import Request, Source, SourceError, Window, open_source
from okrctl.validation import did_you_mean
from okrctl.writing import EditRefused

__all__ = ["FromSourcesOptions", "due_days", "parse_backfill", "run_measure_from_sources"]

# A backfill asks each source once per due day: a year of a daily KPI is 366 questions, more is a mistake.
BACKFILL_DAYS_LIMIT = 366
# From this many questions on, a terminal shows a progress bar (a few are done before it would be read).
PROGRESS_FROM = 20


@dataclass(frozen=True)
class FromSourcesOptions:
    paths: list[Path]
    day: date | None  # --date: the one day to measure (default: the last complete day)
    backfill: tuple[date, date] | None  # --backfill START..END, both included
    only: list[str]  # --only: these KPIs, due or not
    replace: bool = False
    dry_run: bool = False
    output_format: str = "text"


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


def _add_months(day: date, months: int) -> date:
    """`day` a number of calendar months later: the same day of the month, or the month's last day."""
    import calendar

    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def next_due(last: date, frequency: str | None) -> date:
    """The first day a KPI measured on `last` is due again: a day, 7 or 14 days later, or a calendar month or
    quarter later (a monthly KPI measured on the 1st is due on the 1st, whatever the month's length)."""
    if frequency == "monthly":
        return _add_months(last, 1)
    if frequency == "quarterly":
        return _add_months(last, 3)
    return last + timedelta(days={"weekly": 7, "biweekly": 14}.get(frequency or "daily", 1))


def due_days(kpi: Kpi, days: list[date], named: bool) -> list[date]:
    """The days of `days` (in order) on which the KPI is measured.

    A day already recorded is not due (unless the KPI is named for one day: it is asked again, and the same
    value changes nothing); otherwise a day is due when the KPI's last measurement before it is at least its
    frequency old (no frequency: daily), counting the days this run measures.
    """
    recorded = {measurement["date"] for measurement in kpi.measurements}
    if named and len(days) == 1:
        return days
    earlier = [day for day in recorded if day < days[0]]
    last = max(earlier) if earlier else None
    due = []
    for day in days:
        if day in recorded:
            last = day
        elif last is None or day >= next_due(last, kpi.frequency):
            due.append(day)
            last = day
    return due


@dataclass
class _Failure:
    ref: str
    day: date
    datasource: str
    message: str

    def text(self) -> str:
        return f"{self.ref} ({self.day}, datasource {self.datasource}): {self.message}"


def run_measure_from_sources(options: FromSourcesOptions) -> int:
    last_complete = date.today() - timedelta(days=1)
    days = _days(options, last_complete)
    tree = load_for_editing(options.paths, holding=b"query")  # a KPI with a query: its file says so
    project = Project([f for f in tree.files if f.valid])
    entries = _chosen(tree, project, options.only)
    requests = [
        Request(entry.ref, entry.kpi.query, Window.of(day, entry.kpi.frequency))
        for entry in entries
        if entry.kpi.query is not None
        for day in due_days(entry.kpi, days, bool(options.only))
    ]
    rows, failures = _ask(tree, requests)
    outcomes, refused = (
        record_rows(tree, project, rows, options.replace, lambda row: f"{row.ref} ({row.day})", not options.dry_run)
        if rows
        else ([], [])
    )
    broken = [f.path for f in tree.files if not f.valid]
    if broken:  # their KPIs could not be read, so not measured: as much a failure as a source's
        refused.append(f"{len(broken)} goal files have errors and were not measured ({broken[0]}…): run okrctl lint")
    _report(options, outcomes, failures, refused, len(entries), days)
    return 1 if failures or refused else 0


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


def _chosen(tree: EditableRoot, project: Project, only: list[str]) -> list[KpiEntry]:
    """The KPIs to measure: those with a query (or the ones named), each asking a datasource of the config."""
    datasources = tree.loaded.config.datasources
    if only:
        entries = []
        for ref in dict.fromkeys(only):
            found = project.kpis_by_ref.get(ref)
            if not found:  # only the files that mention a query were read
                with_query = sorted(e.ref for e in project.kpis if e.kpi.query is not None)
                raise EditRefused(f"--only: no KPI {ref!r} with a query{did_you_mean(ref, with_query)}")
            if len(found) > 1:
                raise EditRefused(f"--only: {ref!r} is defined in {len(found)} files: fix that first (okrctl lint)")
            if found[0].kpi.query is None:
                raise EditRefused(f"--only: {ref} has no query: to measure it from a source, give it one")
            entries.append(found[0])
    else:
        entries = [entry for entry in project.kpis if entry.kpi.query is not None]
    for entry in entries:
        assert entry.kpi.query is not None
        datasource = datasources.get(entry.kpi.query.datasource)
        if datasource is None:
            known = ", ".join(sorted(datasources)) or "none"
            raise EditRefused(
                f"{entry.file.path}: {entry.ref} asks the datasource {entry.kpi.query.datasource!r}, which "
                f"okrctl.yaml does not define (datasources: {known}); nothing was measured"
            )
        if datasource.type != QUERY_ASKS[entry.kpi.query.asks]:
            raise EditRefused(
                f"{entry.file.path}: {entry.ref} asks the {datasource.type} datasource "
                f"{entry.kpi.query.datasource!r} with {entry.kpi.query.asks}: okrctl lint says how (OKR004)"
            )
    return entries


def _ask(tree: EditableRoot, requests: list[Request]) -> tuple[list[ImportRow], list[_Failure]]:
    """Ask each request's datasource, opening each datasource once, when first needed."""
    datasources = tree.loaded.config.datasources
    opened: dict[str, Source | SourceError] = {}
    rows: list[ImportRow] = []
    failures: list[_Failure] = []
    try:
        with _progress(len(requests)) as advance:
            for request in requests:
                name = request.query.datasource
                if name not in opened:
                    try:
                        opened[name] = open_source(name, datasources[name], tree.loaded.root)
                    except SourceError as error:
                        opened[name] = error
                source = opened[name]
                try:
                    if isinstance(source, SourceError):
                        raise source
                    reading = source.read(request)
                except SourceError as error:
                    failures.append(_Failure(request.ref, request.window.day, name, str(error)))
                else:
                    rows.append(ImportRow(0, request.ref, request.window.day, reading.value, reading.note))
                advance()
    finally:
        for source in opened.values():
            if not isinstance(source, SourceError):
                source.close()
    return rows, failures


@contextmanager
def _progress(total: int) -> Iterator[Callable[[], None]]:
    """A progress bar on standard error when it is a terminal and there are many questions to ask."""
    if total < PROGRESS_FROM or not sys.stderr.isatty():
        yield lambda: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    columns = (TextColumn("measuring"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task("measuring", total=total)
        yield lambda: progress.advance(task)


def _report(
    options: FromSourcesOptions,
    outcomes: list[Outcome],
    failures: list[_Failure],
    refused: list[str],
    kpis: int,
    days: list[date],
) -> None:
    if options.output_format == "json":
        for outcome in outcomes:
            document = json.loads(OUTCOME_FORMATS["json"](outcome))
            print(json.dumps({**document, "dry_run": options.dry_run}))
        for failure in failures:
            print(
                json.dumps(
                    {
                        "version": 1,
                        "ref": failure.ref,
                        "date": failure.day.isoformat(),
                        "datasource": failure.datasource,
                        "action": "failed",
                        "error": failure.message,
                    }
                )
            )
    else:
        prefix = "(dry run, not written) " if options.dry_run else ""
        for outcome in outcomes:
            print(f"{outcome.path}: {outcome.ref}: {prefix}{outcome.summary}")
        if not outcomes and not failures and not refused:
            when = f"{days[0]}..{days[-1]}" if len(days) > 1 else str(days[0])
            print(f"nothing is due on {when} ({kpis} KPIs with a query)")
    for failure in failures:
        print(f"okrctl: error: {failure.text()}", file=sys.stderr)
    for reason in refused:
        print(f"okrctl: error: {reason}", file=sys.stderr)
