"""What `okrctl notify` tells people about: events computed from the goal files (and git history for goal
posts and `--since`), each with a stable fingerprint.

An event says what crossed (a KPI's band, an objective's pace, a target moved, check-ins overdue), on which
day, and what caused it: a measurement or check-in (`rows` names them: reference, date and value), a commit
(goal posts: `commit` is its id), or time passing (stale KPIs, reminders and their renotifications).
`--since REV` keeps the events whose cause is newer than REV (`since_filter`), so a rerun sends nothing new.

- **Bands** (`enter_amber`, `enter_red`, `recover`): between consecutive measurements up to the as-of date.
  A KPI's first measurement sets where it starts, with no event. With `consecutive: N` a KPI has changed
  band at the N-th measurement in a row in the new band (that is the event's day). Red → amber is no alert
  (but the KPI is amber from then on), green → amber is `enter_amber`, green or amber → red `enter_red`,
  amber or red → green `recover`. With `renotify_days: D`, while a KPI stays red (amber), the first
  measurement at least D days after the last event is another `enter_red` (`enter_amber`), "still red";
  like the first, it is caused by that measurement.
- **Stale** (`stale`): a KPI with a frequency whose last measurement is older than the frequency plus
  `stale_grace_days` (what `okrctl kpis` calls stale) from the day it became stale: the last measurement's
  day + frequency + grace + 1. A KPI with no measurement on or before the as-of date has one "no data"
  event, dated the first day of the as-of date's fiscal quarter (a day that stays put run after run).
  Renotified every D days while it lasts ("still stale", "still no data").
- **Pace** (`off_track`): an objective's pace status (`okrctl status`) as of each day one of its key results
  (or, for a roll-up, one below it) was checked in or measured, within its period and up to the as-of date:
  "on_track→off_track" (or "at_risk→off_track") when it falls off track, "off_track→on_track" (or
  "→at_risk") when it is back. Between check-ins only time passes, which can only lower the pace, so an
  objective that falls off track for lack of check-ins does so on a day found by bisection: an event of
  time.
- **Reminders** (`reminder`): per owner, the key results of running periods with no dated check-in in the
  last `lint.checkin_days` days (OKR301's notion), one event dated the day the earliest became overdue;
  renotified every D days while any is.
- **Goal posts** (`goalpost`): the history rules' findings (OKR401-405), dated by their commit.
"""

from __future__ import annotations

import hashlib
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from okrctl.config import EventKind

if TYPE_CHECKING:
    from collections.abc import Sequence

    from okrctl.config import Config
    from okrctl.discovery import Candidate
    from okrctl.findings import Finding
    from okrctl.history import VersionItems
    from okrctl.loader import GoalFile
    from okrctl.project import KpiEntry, ObjectiveEntry, Project
    from okrctl.revision import Revision
    from okrctl.scoring import Scorer

Cause = Literal["measurement", "checkin", "commit", "time"]
Row = tuple[str, date, float]  # a measurement or check-in: (OWNER/KPI or OWNER/OBJECTIVE/KR, date, value)

GOALPOST_CODES = frozenset({"OKR401", "OKR402", "OKR403", "OKR404", "OKR405"})


@dataclass(frozen=True)
class Event:
    kind: EventKind
    ref: str  # OWNER/KPI, OWNER/OBJECTIVE, OWNER/OBJECTIVE/KR, or OWNER for a reminder
    day: date  # when it happened: the measurement's or check-in's date, the commit's, the day it fell due
    title: str  # the goal's title (the owner's name for a reminder)
    owner: str
    path: str  # the goal file, as findings name it
    transition: str  # e.g. "green→red", "on_track→off_track", "stale", "OKR401", "overdue"
    summary: str  # one line for people: what crossed, its value and bounds, the date
    cause: Cause
    value: float | None = None
    unit: str | None = None
    bounds: tuple[tuple[str, float | None, float | None], ...] = ()  # (band, min, max) of green and amber
    commit: str | None = None  # the commit that caused it (goal posts), full id; "" for uncommitted changes
    details: tuple[str, ...] = field(default=())  # more lines: the key results behind a reminder, …
    rows: tuple[Row, ...] = ()  # the measurements or check-ins that caused it (cause measurement or checkin)
    # The condition it tells of, by the day it began: a band's first measurement in the new band (whatever
    # `consecutive` waited for), a stale KPI's first stale day, a reminder's first overdue day. A "still …"
    # repeat shares its first event's. None: an event that stands alone (pace, goal posts).
    episode: date | None = None

    @property
    def repeat(self) -> bool:
        """A renotification of a lasting condition ("still red", "still stale", "still overdue")."""
        return self.transition.startswith("still ")

    @cached_property
    def fingerprint(self) -> str:
        """Stable across runs and machines: the reference, the day and the transition (and the commit of a goal
        post), hashed; two runs over the same history give the same fingerprints."""
        key = "\0".join((self.kind, self.ref, self.day.isoformat(), self.transition, self.commit or ""))
        return hashlib.sha256(key.encode()).hexdigest()[:16]


def events_of(
    project: Project,
    config: Config,
    as_of: date,
    *,
    consecutive: int = 1,
    renotify_days: int = 0,
    since: Baseline | None = None,
) -> list[Event]:
    """Every event of the project's goals up to `as_of` but goal posts (`goalpost_events`), sorted by day,
    reference and kind. The project's files have their check-ins and measurements loaded.

    With `since`, the pace (the costly part: objectives scored day by day) is followed only over the days
    where a change could be new after the baseline, and a band event whose measurement the baseline held is
    not built: the events `since_filter` keeps are the same."""
    events: list[Event] = []
    held = since.rows if since is not None else frozenset()
    for entry in project.kpis:
        events += _band_events(entry, as_of, consecutive, renotify_days, held)
        events += _stale_events(entry, config, as_of, renotify_days)
    events += _pace_events(project, config, as_of, since)
    events += _reminders(project, config, as_of, renotify_days)
    return sorted(events, key=_order)


def _order(event: Event) -> tuple[date, str, str, str]:
    return event.day, event.ref, event.kind, event.transition


# -- bands ------------------------------------------------------------------------------------------

_ALERTS: dict[tuple[str, str], EventKind] = {
    ("green", "amber"): "enter_amber",
    ("green", "red"): "enter_red",
    ("amber", "red"): "enter_red",
}


def _band_kind(before: str, after: str) -> EventKind | None:
    """The event of a KPI moving from one band to another: red → amber is none (it is no alert)."""
    return "recover" if after == "green" else _ALERTS.get((before, after))


def _band_events(
    entry: KpiEntry, as_of: date, consecutive: int, renotify_days: int, held: frozenset[Row] = frozenset()
) -> Iterator[Event]:
    """The KPI's band events; those caused by a measurement in `held` (a baseline's) are skipped."""
    from okrctl.health import band_of, measurements_until

    kpi = entry.kpi
    history = measurements_until(kpi, as_of)
    if not history or (kpi.green is None and kpi.amber is None):
        return
    band = band_of(kpi, history[0]["value"])  # where the KPI starts: no event
    candidate, count = band, 0
    began = history[0]["date"]  # the first measurement of the run in `candidate`'s band
    alerted: date | None = None  # the day of the last alert while the KPI stays out of green
    episode: date | None = None  # the day the KPI's current band began (the last alert's episode)
    for measurement in history[1:]:
        now = band_of(kpi, measurement["value"])
        row = (entry.ref, measurement["date"], measurement["value"])
        if now == band:
            candidate, count = band, 0
            if alerted is not None and renotify_days and (measurement["date"] - alerted).days >= renotify_days:
                kind: EventKind = "enter_red" if band == "red" else "enter_amber"
                if row not in held:
                    yield _band_event(entry, kind, f"still {band}", measurement["date"], measurement["value"], episode)
                alerted = measurement["date"]
            continue
        if now != candidate:
            began = measurement["date"]
        count = count + 1 if now == candidate else 1
        candidate = now
        if count < consecutive:
            continue
        found = _band_kind(band, now)
        if found is not None and row not in held:
            yield _band_event(entry, found, f"{band}→{now}", measurement["date"], measurement["value"], began)
        if found == "recover":
            alerted = None
        elif found is not None:
            alerted = measurement["date"]
        band, count, episode = now, 0, began


_WORDS = {"enter_amber": "entered amber", "enter_red": "entered red", "recover": "recovered to green"}


def _band_event(
    entry: KpiEntry, kind: EventKind, transition: str, day: date, value: float, episode: date | None
) -> Event:
    from okrctl.health import bands_of

    kpi = entry.kpi
    bounds = bands_of(kpi)
    what = f"is still {transition.split()[-1]}" if transition.startswith("still") else _WORDS[kind]
    summary = (
        f"{kpi.title} ({entry.ref}) {what}: {_value_text(value, kpi.unit)} on {day} ({_bounds_text(bounds)}); "
        f"owner {kpi.owner or entry.owner}"
    )
    return _kpi_event(
        entry, kind, transition, day, summary, episode, "measurement", value, ((entry.ref, day, value),), bounds
    )


def _value_text(value: float, unit: str | None) -> str:
    from okrctl.reporters.formatting import exact_number

    shown = exact_number(value)
    return f"{shown} {unit}" if unit else shown


def _bounds_text(bounds: tuple[tuple[str, float | None, float | None], ...]) -> str:
    from okrctl.reporters.formatting import band_bounds

    return band_bounds(bounds) or "no bands"


# -- stale ------------------------------------------------------------------------------------------


def _stale_events(entry: KpiEntry, config: Config, as_of: date, renotify_days: int) -> Iterator[Event]:
    from okrctl.health import measurements_until
    from okrctl.model import FREQUENCY_DAYS
    from okrctl.periods import quarter_of

    kpi = entry.kpi
    history = measurements_until(kpi, as_of)
    owner = kpi.owner or entry.owner
    if not history:
        since = quarter_of(as_of, config.fiscal_year_start).start
        for day, again in _repeats(since, as_of, renotify_days):
            transition = "still no data" if again else "no data"
            summary = f"{kpi.title} ({entry.ref}) has no measurement yet; owner {owner}"
            yield _kpi_event(entry, "stale", transition, day, summary, since)
        return
    if kpi.frequency is None:
        return
    allowed = FREQUENCY_DAYS[kpi.frequency] + config.stale_grace_days
    last = history[-1]
    since = last["date"] + timedelta(days=allowed + 1)
    for day, again in _repeats(since, as_of, renotify_days):
        transition = "still stale" if again else "stale"
        summary = (
            f"{kpi.title} ({entry.ref}) is stale: last measured on {last['date']} "
            f"({_value_text(last['value'], kpi.unit)}), {kpi.frequency} allows {allowed} days with the grace days; "
            f"owner {owner}"
        )
        yield _kpi_event(entry, "stale", transition, day, summary, since)


def _kpi_event(
    entry: KpiEntry,
    kind: EventKind,
    transition: str,
    day: date,
    summary: str,
    episode: date | None,
    cause: Cause = "time",
    value: float | None = None,
    rows: tuple[Row, ...] = (),
    bounds: tuple[tuple[str, float | None, float | None], ...] | None = None,
) -> Event:
    """A KPI's event: its title, owner, file, unit and band bounds beside what happened."""
    from okrctl.health import bands_of

    kpi = entry.kpi
    return Event(
        kind,
        entry.ref,
        day,
        kpi.title,
        kpi.owner or entry.owner,
        entry.file.path,
        transition,
        summary,
        cause,
        value=value,
        unit=kpi.unit,
        bounds=bands_of(kpi) if bounds is None else bounds,
        rows=rows,
        episode=episode,
    )


def _repeats(first: date, as_of: date, every: int) -> Iterator[tuple[date, bool]]:
    """`first`, then every `every` days (0: never again), up to `as_of`; with whether it is a repeat."""
    day, again = first, False
    while day <= as_of:
        yield day, again
        if not every:
            return
        day, again = day + timedelta(days=every), True


# -- pace -------------------------------------------------------------------------------------------


def _scorer_class() -> type[Scorer]:
    from okrctl.scoring import GuardrailStatus, KeyResultScore, Scorer, evaluation_day

    # Shared by the scorers of every day: a key result's score changes only on the days a value of it is
    # dated (or its milestone is done), so it is scored once per such state, not once per day asked.
    dates_of: dict[tuple[int, int], list[date]] = {}
    scored: dict[tuple[int, int, int, bool], KeyResultScore] = {}

    class ScoreOnly(Scorer):
        """A scorer for the pace alone: an objective's score, without the forecasts and guardrails a report
        shows (most of the cost of scoring an objective on many days)."""

        @staticmethod
        def _forecast(*_: object) -> None:
            return None

        def _guardrail(self, ref: str, day: date) -> GuardrailStatus:
            return GuardrailStatus(ref, "unknown", False)

        def key_result(self, entry: ObjectiveEntry, index: int) -> KeyResultScore:
            key_result = entry.objective.key_results[index]
            if key_result.kind is None or not key_result.kind.has_value:
                return super().key_result(entry, index)
            where = (id(entry), index)
            dates = dates_of.get(where)
            if dates is None:  # every dated value's day (a KPI's that cannot be found raises below, uncached)
                dates = [day for day, _ in self.dated_values(entry, index, key_result, date.max)]
                dates_of[where] = dates
            day = evaluation_day(entry.period, self.as_of)
            done_on = key_result.done_on
            state = (*where, bisect_right(dates, day), done_on is not None and done_on <= day)
            score = scored.get(state)
            if score is None:
                score = scored[state] = super().key_result(entry, index)
            return score

    return ScoreOnly


class _Scores:
    """Objectives' scores on any day: one scorer per day, whose roll-ups are memoised, and whose key results'
    scores are shared (see `_scorer_class`)."""

    def __init__(self, project: Project, config: Config) -> None:
        self.project, self.config = project, config
        self.scorer = _scorer_class()
        self.scorers: dict[date, Scorer] = {}

    def score(self, entry: ObjectiveEntry, day: date) -> float:
        scorer = self.scorers.get(day)
        if scorer is None:
            scorer = self.scorers[day] = self.scorer(self.project, self.config, day)
        return scorer.objective(entry).score


def _pace_events(project: Project, config: Config, as_of: date, since: Baseline | None) -> Iterator[Event]:
    from okrctl.scoring import ScoringError

    scores = _Scores(project, config)
    for entry in project.objectives:
        try:
            yield from _objective_pace(project, config, scores, entry, as_of, since)
        except ScoringError:
            continue  # lint says why it cannot be scored; no event can be told


def _objective_pace(
    project: Project, config: Config, scores: _Scores, entry: ObjectiveEntry, as_of: date, baseline: Baseline | None
) -> Iterator[Event]:
    """The objective's pace changes to and from off track. Its score changes only on the days a value below
    it is dated (a check-in, a measurement of a key result's KPI, a milestone's done_on); in between only
    time passes, which can only lower the pace (`okrctl.scoring.pace`). The pace on a day depends on that
    day's score alone, so the walk can start on any day: with a baseline, on the first day that can hold a
    new event."""
    from okrctl.scoring import pace

    period = entry.period
    last = min(as_of, period.end - timedelta(days=1))  # from its last day on, a period has ended
    rows, done = _values_below(project, entry)
    first_new = _first_new_day(entry, rows, baseline)
    start = first_new - timedelta(days=1) if first_new > period.start else period.start
    if last <= start:
        return
    moves = sorted({day for _, day, _ in rows} | done)
    moves = [day for day in moves if start < day <= last]

    def status(day: date, score: float) -> str:
        return pace(period, day, score, entry.objective.type, config)[0]

    score = scores.score(entry, start)
    was, since = status(start, score), start
    for point in [*moves, None]:
        until = last if point is None else point - timedelta(days=1)
        if until > since:  # time alone, with the same score
            later = status(until, score)
            if (later == "off_track") != (was == "off_track"):
                crossed = _first_day(status, score, since, until)
                yield _pace_event(entry, status(crossed - timedelta(days=1), score), later, crossed, "time", ())
            was = later
        if point is None:
            break
        score = scores.score(entry, point)
        now = status(point, score)
        if (now == "off_track") != (was == "off_track"):
            on_day = tuple(row for row in rows if row[1] == point)
            yield _pace_event(entry, was, now, point, "checkin", on_day)
        was, since = now, point


def _first_new_day(entry: ObjectiveEntry, rows: list[Row], baseline: Baseline | None) -> date:
    """The first day on which a pace change of the objective can be newer than the baseline (`_newer`): the
    day after the baseline's, or the day of an earlier value below it that the baseline did not hold; any
    day (`date.min`) without a baseline or for an objective the baseline did not have."""
    if baseline is None or entry.ref not in baseline.refs:
        return date.min
    new = [row[1] for row in rows if row not in baseline.rows]
    return min([baseline.day + timedelta(days=1), *new])


def _first_day(status: Callable[[date, float], str], score: float, after: date, until: date) -> date:
    """The first day in (after, until] on the same side of off track as `until`, the score held (bisection:
    the side changes once, as only time passes in between)."""
    side = status(until, score) == "off_track"
    low, high = after, until  # invariant: `low` is on the other side, `high` on this one
    while (high - low).days > 1:
        middle = low + timedelta(days=(high - low).days // 2)
        if (status(middle, score) == "off_track") == side:
            high = middle
        else:
            low = middle
    return high


def _values_below(project: Project, entry: ObjectiveEntry) -> tuple[list[Row], set[date]]:
    """The check-ins (a key result's KPI's measurements) of the objective's key results, or of the key
    results of the objectives aligned below a roll-up; and the days their milestones were done."""
    rows: list[Row] = []
    done: set[date] = set()
    pending, seen = [entry], set()
    while pending:
        current = pending.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        for key_result in current.objective.key_results:
            if key_result.done_on is not None:
                done.add(key_result.done_on)
            if key_result.kpi is not None:
                for found in project.kpis_by_ref.get(key_result.kpi, [])[:1]:
                    rows += [(found.ref, m["date"], m["value"]) for m in found.kpi.measurements]
            else:
                ref = f"{current.ref}/{key_result.id}"
                rows += [(ref, c["date"], c["value"]) for c in key_result.checkins or []]
        if not current.objective.key_results:
            pending += project.children.get(current, [])
    return rows, done


def _pace_event(
    entry: ObjectiveEntry, before: str, after: str, day: date, cause: Cause, rows: tuple[Row, ...]
) -> Event:
    title, owner = entry.objective.title, entry.okrs.owner
    words = "fell off track" if after == "off_track" else f"is back {after.replace('_', ' ')}"
    because = "" if cause != "time" else " (no check-in since)" if after == "off_track" else ""
    summary = f"{title} ({entry.ref}) {words} on {day}{because}; owner {owner}"
    return Event(
        "off_track", entry.ref, day, title, owner, entry.file.path, f"{before}→{after}", summary, cause, rows=rows
    )


# -- reminders --------------------------------------------------------------------------------------


def _reminders(project: Project, config: Config, as_of: date, renotify_days: int) -> Iterator[Event]:
    from okrctl.rules.okr301_stale_key_result import overdue_since, running, wants_checkins

    limit = config.lint.checkin_days
    overdue: dict[str, list[tuple[date, str, str]]] = defaultdict(list)  # owner → (since, ref, path)
    for entry in project.objectives:
        if not running(entry.period, as_of):
            continue
        for key_result in entry.objective.key_results:
            if not wants_checkins(key_result):
                continue
            since = overdue_since(key_result, entry.period, as_of, limit)
            if since is not None:
                overdue[entry.okrs.owner].append((since, f"{entry.ref}/{key_result.id}", entry.file.path))
    for owner, late in overdue.items():
        late.sort()
        first = late[0][0]
        details = tuple(f"{ref}: check-in due since {since}" for since, ref, _ in late)
        count = f"{len(late)} key result{'s' if len(late) != 1 else ''}"
        for day, again in _repeats(first, as_of, renotify_days):
            summary = f"{owner}: {count} with no check-in in the last {limit} days (overdue since {first})"
            transition = "still overdue" if again else "overdue"
            yield Event(
                "reminder",
                owner,
                day,
                owner,
                owner,
                late[0][2],
                transition,
                summary,
                "time",
                details=details,
                episode=first,
            )


# -- goal posts -------------------------------------------------------------------------------------


def goalpost_events(findings: Iterable[Finding], project: Project | None = None) -> list[Event]:
    """The history rules' findings (OKR401-405, `engine.history_findings`) as `goalpost` events, dated by
    their commit's day; `project` gives the goals' titles (else the reference stands in)."""
    events = []
    for finding in findings:
        if finding.code not in GOALPOST_CODES or finding.commit is None:
            continue
        ref = finding.ref or finding.path
        owner = ref.partition("/")[0]
        title = _title(project, ref) if project is not None else ref
        summary = f"{title} ({ref}): {finding.message}"
        events.append(
            Event(
                "goalpost",
                ref,
                finding.commit.date,
                title,
                owner,
                finding.path,
                finding.code,
                summary,
                "commit",
                commit=finding.commit.id,
            )
        )
    return sorted(events, key=_order)


def _title(project: Project, ref: str) -> str:
    for kpi in project.kpis_by_ref.get(ref, [])[:1]:
        return kpi.kpi.title
    objective_ref, _, kr = ref.rpartition("/") if ref.count("/") == 2 else (ref, "", "")
    for objective in project.objectives_by_ref.get(objective_ref, []):
        if not kr:
            return objective.objective.title
        for key_result in objective.objective.key_results:
            if key_result.id == kr:
                return key_result.title
    return ref


# -- --since ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Baseline:
    """What a revision already held: what `--since REV` compares each event's cause with."""

    commit: str  # its full id
    day: date  # its commit's day (UTC)
    rows: frozenset[Row]  # every measurement and check-in in its goal files
    ancestors: frozenset[str]  # the ids of its commit and every commit before it
    refs: frozenset[str] = frozenset()  # the KPIs, objectives, key results and owners its goal files held


def since_filter(events: Iterable[Event], since: Baseline) -> list[Event]:
    """The events whose cause is newer than the baseline: a measurement or check-in it does not hold, a
    commit that is not in its history (or changes not committed), time that passed after its commit's day."""
    return [event for event in events if _newer(event, since)]


def without_backlog(events: Iterable[Event]) -> list[Event]:
    """One event per condition in a run: when a condition's first event is told, its "still …" repeats are
    not; when only repeats are, the latest. A run that covers weeks (the first, or after a pause, or a goal
    added with an old condition) says each lasting condition once, not once per renotification missed."""
    events = list(events)
    told: dict[tuple[str, str, date], Event] = {}  # the condition → the latest repeat kept for it
    first: set[tuple[str, str, date]] = set()
    for event in events:
        if event.episode is None:
            continue
        key = (event.kind, event.ref, event.episode)
        if not event.repeat:
            first.add(key)
        elif key not in told or event.day > told[key].day:
            told[key] = event
    return [
        event
        for event in events
        if event.episode is None
        or not event.repeat
        or (
            (event.kind, event.ref, event.episode) not in first
            and told[(event.kind, event.ref, event.episode)] is event
        )
    ]


def _newer(event: Event, since: Baseline) -> bool:
    if event.cause == "commit":
        return not event.commit or event.commit not in since.ancestors
    if event.cause in ("measurement", "checkin") and event.rows:
        return any(row not in since.rows for row in event.rows)
    # time passing: new after the revision's day, or when the revision did not hold the goal at all (a KPI
    # added since, with no data, is stale from a day before it was added)
    return event.day > since.day or event.ref not in since.refs


def refs_of(project: Project) -> frozenset[str]:
    """The references of the project's goals: KPIs, objectives, key results, and owners (reminders')."""
    refs: set[str] = {kpi.ref for kpi in project.kpis}
    for entry in project.objectives:
        refs.add(entry.ref)
        refs.add(entry.ref.split("/")[0])
        refs.update(f"{entry.ref}/{key_result.id}" for key_result in entry.objective.key_results)
    return frozenset(refs)


def rows_of(project: Project) -> frozenset[Row]:
    """Every measurement and check-in of the project's goal files (loaded with their history)."""
    rows: set[Row] = set()
    for kpi in project.kpis:
        rows.update((kpi.ref, m["date"], m["value"]) for m in kpi.kpi.measurements)
    for entry in project.objectives:
        for key_result in entry.objective.key_results:
            ref = f"{entry.ref}/{key_result.id}"
            rows.update((ref, c["date"], c["value"]) for c in key_result.checkins or [])
    return frozenset(rows)


def baseline_at(
    revision: Revision,
    paths: list[Path],
    as_of: date,
    jobs: int = 1,
    current: Sequence[GoalFile] = (),
    versions: VersionItems | None = None,
) -> Baseline:
    """The baseline of `revision`: its goal files under `paths` (default: the goals root) read from git (the
    work tree is not touched). A path that did not exist then holds nothing: everything in it is new.

    Under the same config as the work tree's: a file whose bytes on disk are those of the revision is taken
    from `current` (goal files already loaded from the work tree, with their history) rather than parsed again
    (in a nightly job, all but the files measured since the last run); the others are read as `versions`
    holds them parsed by blob (the history the goal posts read, and the root's cache of versions)."""
    from okrctl.config import config_start, load_config
    from okrctl.history import VersionItems
    from okrctl.pipeline import Reading, finish_stage
    from okrctl.project import Project
    from okrctl.revision import tree_at

    repository, commit = revision.repository, revision.commit
    on_disk = load_config(config_start(paths))
    root = on_disk.root
    present = [path for path in paths or [root] if repository.tree(commit.id, [repository.relative(path)])]
    rows: set[Row] = set()
    refs: set[str] = set()
    if present:
        tree = tree_at(revision, present if paths else [], with_context=True)
        same_config = tree.loaded.config == on_disk.config
        loaded = {_resolved(Path(file.source)): file for file in current if not file.origin} if same_config else {}
        files: list[GoalFile] = []
        parse: list[Candidate] = []
        for candidate in tree.own + tree.context:
            reused = loaded.get(_resolved(candidate.path))
            if reused is not None and _bytes_on_disk(candidate.path) == tree.data[candidate.path]:
                files.append(reused)
            else:
                parse.append(candidate)
        if parse and same_config:  # by blob: the versions the goal posts parsed are not parsed again
            versions = versions or VersionItems(repository, on_disk.config, None)
            blobs = {c.path: c.origin.rpartition("\0")[2] for c in parse}  # origin: "top\0blob id"
            versions.parse(list(blobs.values()))
            for candidate in parse:
                for item in versions.items(blobs[candidate.path], str(candidate.path)) or []:
                    refs.add(item.ref)
                    if item.kind == "objective":
                        refs.add(item.ref.split("/")[0])
                    rows.update((item.ref, dated.date, dated.value) for dated in item.dated)
        elif parse:
            read: list[tuple[bytes | None, str]] = [(tree.data[c.path], "") for c in parse]
            reading = Reading(parse, tree.loaded.config, as_of, None, read, [None] * len(parse))
            parsed = [result.file for _, result in finish_stage(reading, jobs) if result is not None]
            for file in parsed:
                file.load_history()
            files += parsed
        project = Project(files)
        rows.update(rows_of(project))
        refs.update(refs_of(project))
    ancestors = frozenset(c.id for c in repository.commits([commit.id]))
    return Baseline(commit.id, commit.date, frozenset(rows), ancestors, frozenset(refs))


def _resolved(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # a link loop: not the same file as anything
        return path


def _bytes_on_disk(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None
