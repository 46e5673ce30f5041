"""`okrctl history REF`: each commit that changed a key result, an objective or a KPI, and where it stood after.

Only the files that hold REF are walked, not the whole goals tree: `git grep` finds the tracked files that
mention REF's owner and first id in the work tree (else at HEAD), and parsing them (through the version
cache, by blob id) confirms which hold it. Their history is then read with `history.read_history(...,
complete=True)`, followed back through a rename when REF first appears in a renaming commit. A key result
that takes its values from a KPI (`kpi:`) walks that KPI's file too.

What a row shows after its commit is worked out from the items alone, as of the commit's day (never past the
period's last day): a key result's value is its latest check-in on or before that day (its KPI's latest
measurement, with `kpi:`), else `current`; its score is what its kind makes of that value (`grade` when set by
hand); an objective's score is the weighted mean of its key results' scores (a roll-up, scored from other
teams' files, shows none); a KPI shows its band.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from okrctl.arithmetic import clamp, is_number
from okrctl.config import Config, LoadedConfig, config_start, load_config
from okrctl.discovery import discover
from okrctl.errors import UserError
from okrctl.git import Commit, GitError, Repository, run_git
from okrctl.goal_bytes import MAX_BYTES, display_path
from okrctl.goal_items import BAND_FIELDS, Change, Dated, Item, ItemKind
from okrctl.history import History, VersionItems, parse_version, read_history
from okrctl.key_result_kinds import KINDS, no_distance
from okrctl.periods import Period, PeriodError, parse_period
from okrctl.reporters import ReportOptions, reporter
from okrctl.revision import judged_by

KIND_WORDS: dict[ItemKind, str] = {"key_result": "key result", "objective": "objective", "kpi": "KPI"}


@dataclass(frozen=True)
class HistoryOptions:
    ref: str
    paths: list[Path]
    output_format: str
    as_of: date | None  # None: today
    period: str | None
    report: ReportOptions
    use_cache: bool = True


@dataclass(frozen=True)
class Row:
    """One commit that changed the item, and where the item stood after it."""

    commit: Commit
    what: tuple[str, ...]
    value: float | None
    target: float | None
    score: float | None
    grade: str | None = None  # the score's grade (colours the text report)
    band: str | None = None  # a KPI's band: green, amber, red, no_data or unknown


@dataclass
class ItemHistory:
    """What `okrctl history` reports: the item, where it is, and one row per commit that changed it."""

    ref: str
    kind: ItemKind
    period: str | None  # the okrs file's period label; None for a KPI
    title: str
    paths: list[str]  # the files that hold it now, as shown
    renamed_from: list[str]  # earlier names of those files, followed through renames, as shown
    as_of: date
    unit: str | None = None
    rows: list[Row] = field(default_factory=list)

    @property
    def plotted(self) -> list[float]:
        """What the sparkline draws: a key result's or a KPI's value, an objective's score."""
        values = [row.score if self.kind == "objective" else row.value for row in self.rows]
        return [value for value in values if value is not None]


def run(options: HistoryOptions) -> int:
    history = item_history(options)
    sys.stdout.write(reporter("history", options.output_format)(history, options.report))
    return 0


# -- finding the item ---------------------------------------------------------------------------------


@dataclass
class _Found:
    path: str  # relative to the repository's top folder
    shown: str
    items: list[Item]


def _kind_of_reference(ref: str) -> list[ItemKind]:
    parts = ref.split("/")
    if len(parts) == 3 and all(parts):
        return ["key_result"]
    if len(parts) == 2 and all(parts):
        return ["objective", "kpi"]
    raise UserError(
        f"{ref!r} is not a reference: write OWNER/OBJECTIVE/KR for a key result, OWNER/OBJECTIVE for an objective "
        "or OWNER/KPI for a KPI, e.g. sales/acquire/deals"
    )


def _mentions(data: bytes, ref: str) -> bool:
    """Whether a file's bytes could hold `ref` (its owner and its first id both appear): only a sieve, the
    parsed file decides."""
    owner, first = ref.split("/")[:2]
    return owner.encode() in data and first.encode() in data


def _holding(files: Iterable[tuple[str, str, bytes]], refs: set[str], versions: VersionItems) -> list[_Found]:
    """The files (path, shown, bytes) whose items include one of `refs`, with all their items."""
    found = []
    for path, shown, data in files:
        if len(data) > MAX_BYTES or not any(_mentions(data, ref) for ref in refs):
            continue
        items = versions.items_of_data(data, path)
        if items and any(item.ref in refs for item in items):
            found.append(_Found(path, shown, items))
    return found


class _Tree:
    """The goal files REF is searched in: those git tracks in the work tree, else those at HEAD (a file git
    does not track has no history). `git grep` finds the files that mention REF's owner and first id."""

    def __init__(self, repository: Repository, loaded: LoadedConfig, paths: list[Path], versions: VersionItems) -> None:
        self.repository = repository
        self.loaded = loaded
        self.versions = versions
        self.paths = paths
        root = repository.relative(loaded.root)
        self.judged = judged_by(root, loaded.config)
        within = [repository.relative(path) for path in paths or [loaded.root]]
        self.within = [] if "" in within else within  # the top folder: everything

    def _grep(self, ref: str, revision: str | None) -> list[str]:
        owner, first = ref.split("/")[:2]
        search = ["-F", "--all-match", "-e", owner, "-e", first]
        return [path for path in self.repository.grep(search, revision, self.within) if self.judged(path)]

    def _work_tree(self, refs: set[str]) -> list[tuple[str, str, bytes]]:
        files = []
        for path in dict.fromkeys(path for ref in sorted(refs) for path in self._grep(ref, None)):
            try:
                data = (self.repository.top / path).read_bytes()
            except OSError:
                continue  # deleted since: looked for at HEAD
            files.append((path, display_path(self.repository.top / path), data))
        return files

    def _at_head(self, refs: set[str]) -> list[tuple[str, str, bytes]]:
        paths = list(dict.fromkeys(path for ref in sorted(refs) for path in self._grep(ref, "HEAD")))
        blobs = self.repository.tree("HEAD", paths) if paths else {}
        head = self.repository.commit("HEAD").short if blobs else ""
        return [
            (path, f"{display_path(self.repository.top / path)}@{head}", self.repository.read(blob, MAX_BYTES))
            for path, blob in blobs.items()
        ]

    def find(self, refs: set[str]) -> list[_Found]:
        versions = self.versions
        return _holding(self._work_tree(refs), refs, versions) or self.find_at_head(refs)

    def find_at_head(self, refs: set[str]) -> list[_Found]:
        return _holding(self._at_head(refs), refs, self.versions)

    def known_refs(self, ref: str) -> list[str]:
        """Every reference in the goal files of REF's owner (else in all of them): for a did-you-mean."""
        loaded = self.loaded
        candidates = discover(self.paths or [loaded.root], loaded.root, loaded.config.exclude, [])
        owner = ref.split("/")[0].encode()
        files = []
        for candidate in candidates:
            try:
                files.append(candidate.path.read_bytes())
            except OSError:
                continue
        refs: list[str] = []
        for data in [data for data in files if owner in data] or files:
            refs += [item.ref for item in parse_version(data, loaded.config) or []]
        return sorted(set(refs))


def _parsed_period(label: str, config: Config) -> Period | None:
    try:
        return parse_period(label, config.fiscal_year_start)
    except PeriodError:
        return None


def _choose_period(ref: str, periods: list[str], wanted: str | None, as_of: date, config: Config) -> str:
    """The period label to follow REF in: `--period`, else the one holding the as-of date (the shortest, when
    an annual and a quarterly file both hold it), else the latest."""
    spans = {label: _parsed_period(label, config) for label in periods}
    if wanted is not None:
        try:
            asked = parse_period(wanted, config.fiscal_year_start)
        except PeriodError as error:
            raise UserError(f"--period: {error}") from None
        for label, span in spans.items():
            if span is not None and (span.start, span.end) == (asked.start, asked.end):
                return label
        raise UserError(f"{ref!r} is not in the period {wanted} (it is in {', '.join(sorted(periods))})")
    known = [(label, span) for label, span in spans.items() if span is not None]
    if not known:
        return sorted(periods)[-1]
    holding = [(label, span) for label, span in known if span.contains(as_of)]
    if holding:
        return max(holding, key=lambda pair: (pair[1].start, -pair[1].days))[0]
    return max(known, key=lambda pair: (pair[1].end, pair[1].start))[0]


def _renamed_into(repository: Repository, commit: str, paths: Collection[str]) -> list[str]:
    """The files that commit `commit` renamed (or copied, as git detects them) into one of `paths`."""
    done = run_git(["diff-tree", "-r", "-M", "-C", "--name-status", "-z", "--no-commit-id", commit], repository.top)
    fields = [os.fsdecode(field) for field in done.stdout.split(b"\0")]
    found = []
    index = 0
    while index < len(fields) and fields[index]:
        status = fields[index]
        if status[:1] in ("R", "C"):
            old, new = fields[index + 1], fields[index + 2]
            if new in paths:
                found.append(old)
            index += 3
        else:
            index += 2
    return found


def _walk(
    repository: Repository, key: tuple[str, str], paths: list[str], config: Config, versions: VersionItems
) -> tuple[History, list[str]]:
    """The history of `paths`, followed back through renames: when the item `key` (reference and period) is
    first added by a commit that renamed one of the files, the file's earlier name is walked too (git's
    `--follow` takes one path and walks the whole history to find renames; this asks git about one commit)."""
    while True:
        walked = read_history(repository, ["HEAD"], paths, lambda path: True, config, complete=True, versions=versions)
        first = next(((commit, change) for commit, change in walked.of(key[0]) if change.item.key == key), None)
        if first is None or first[1].status != "added":
            return walked, paths
        earlier = [path for path in _renamed_into(repository, first[0].id, paths) if path not in paths]
        if not earlier:
            return walked, paths
        paths = [*paths, *earlier]


# -- the item's history -------------------------------------------------------------------------------


def item_history(options: HistoryOptions) -> ItemHistory:
    ref = options.ref
    kinds = _kind_of_reference(ref)
    as_of = options.as_of or date.today()
    loaded = load_config(config_start(options.paths))
    config = loaded.config
    repository = Repository.containing(loaded.root)
    repository.require_full_history()
    if not repository.has_commits():
        raise GitError(f"the repository has no commit yet: {ref!r} has no history before the first commit")
    versions = VersionItems(repository, config, loaded.root if options.use_cache else None)
    tree = _Tree(repository, loaded, options.paths, versions)

    found = tree.find({ref})
    inner = _goals_root_of(repository, loaded, found)
    if inner is not None:  # REF lies in a goals root below, with an okrctl.yaml of its own: judged with that
        loaded, config = inner, inner.config
        versions = VersionItems(repository, config, loaded.root if options.use_cache else None)
        tree = _Tree(repository, loaded, [loaded.root], versions)
        found = tree.find({ref})
    matches = [item for place in found for item in place.items if item.ref == ref and item.kind in kinds]
    if not matches:
        what = " or ".join(KIND_WORDS[kind] for kind in kinds)
        from okrctl.validation import did_you_mean_ref

        known = tree.known_refs(ref)
        if ref in known:
            raise UserError(f"{ref!r} is in no file git tracks yet: its history starts with the commit that adds it")
        raise UserError(f"no {what} {ref!r}{did_you_mean_ref(ref, known)}")
    kind = "objective" if any(item.kind == "objective" for item in matches) else matches[0].kind
    matches = [item for item in matches if item.kind == kind]
    period = "" if kind == "kpi" else _choose_period(ref, [i.period for i in matches], options.period, as_of, config)
    if kind == "kpi" and options.period is not None:
        raise UserError(f"--period: {ref!r} is a KPI, which has no period")
    item = next(item for item in matches if item.period == period)
    places = [place for place in found if any(i.ref == ref and i.period == period for i in place.items)]

    # A key result that takes its values from a KPI: that KPI's file is walked too.
    followed = [i for place in places for i in place.items if _belongs(i, ref, kind, period)]
    linked = {i.get("kpi") for i in followed if i.kind == "key_result" and i.get("kpi")}
    kpi_places = tree.find(linked) if linked else []
    paths = list(dict.fromkeys(place.path for place in [*places, *kpi_places]))
    at_head = repository.tree("HEAD", paths)
    if any(path not in at_head for path in paths):  # moved or renamed, not committed yet: walk HEAD's file too
        paths += [place.path for place in tree.find_at_head({ref}) if place.path not in paths]
    walked, walked_paths = _walk(repository, (ref, period), paths, config, versions)
    result = ItemHistory(
        ref=ref,
        kind=kind,
        period=period or None,
        title=str(item.get("title") or ""),
        paths=[place.shown for place in places],
        renamed_from=[display_path(repository.top / path) for path in walked_paths[len(paths) :]],
        as_of=as_of,
        unit=item.get("unit"),
    )
    tracker = _Tracker(ref, kind, period, linked, config, graded=options.report.color)
    for step in walked.steps:
        if step.commit.date > as_of:
            continue
        row = tracker.step(step.commit, step.changes)
        if row is not None:
            result.rows.append(row)
    return result


def _goals_root_of(repository: Repository, loaded: LoadedConfig, found: list[_Found]) -> LoadedConfig | None:
    """The config of the goals root below `loaded`'s that holds the files found, if they lie in one."""
    from okrctl.config import find_config, load_config_file

    for place in found:
        nearest = find_config((repository.top / place.path).parent)
        if nearest is not None and nearest.parent != loaded.root and loaded.root in nearest.parents:
            return load_config_file(nearest)
    return None


def _belongs(item: Item, ref: str, kind: ItemKind, period: str) -> bool:
    """Whether `item` is REF or, for an objective, one of its key results, in the followed period."""
    if item.period != period:
        return False
    if kind == "objective":
        return item.ref == ref or (item.kind == "key_result" and item.ref.startswith(ref + "/"))
    return item.ref == ref and item.kind == kind


class _Tracker:
    """Keeps every item of the walked files as the commits leave them, and makes REF's rows."""

    def __init__(self, ref: str, kind: ItemKind, period: str, linked: set[str], config: Config, graded: bool) -> None:
        self.graded = graded  # grades only colour the text report
        self.ref = ref
        self.kind = kind
        self.period = period
        self.linked = linked
        self.config = config
        self.items: dict[tuple[str, str], Item] = {}

    def step(self, commit: Commit, changes: tuple[Change, ...]) -> Row | None:
        what: list[str] = []
        for change in changes:
            if change.old is not None:
                self.items.pop(change.old.key, None)
            if change.new is not None:
                self.items[change.new.key] = change.new
            what += self._described(change)
        if self.kind == "objective" and what[:1] in (["added"], ["removed"]):
            what = what[:1]  # its key results came or went with it
        if not what:
            return None
        return self._row(commit, tuple(what))

    def _described(self, change: Change) -> list[str]:
        sides = [item for item in (change.old, change.new) if item is not None]
        if any(_belongs(item, self.ref, self.kind, self.period) for item in sides):
            prefix = "" if change.ref == self.ref else change.ref[len(self.ref) + 1 :] + ": "
        elif change.item.kind == "kpi" and change.ref in self.linked:
            prefix = f"{change.ref}: "
        else:
            return []
        return [prefix + text for text in describe(change)]

    # -- where the item stands ------------------------------------------------------------------------

    def _row(self, commit: Commit, what: tuple[str, ...]) -> Row:
        if self.kind == "kpi":
            kpi = self.items.get((self.ref, ""))
            value = _latest(kpi.dated, commit.date) if kpi is not None else None
            band = _band(kpi, value) if kpi is not None else None
            return Row(commit, what, value, None, None, band=band)
        if self.kind == "key_result":
            key_result = self.items.get((self.ref, self.period))
            if key_result is None:
                return Row(commit, what, None, None, None)
            value, target, score = self._key_result(key_result, commit.date)
            return Row(commit, what, value, target, score, self._grade(score))
        objective = self.items.get((self.ref, self.period))
        key_results = [
            item
            for item in self.items.values()
            if item.kind == "key_result" and item.period == self.period and item.ref.startswith(self.ref + "/")
        ]
        mean: float | None = None
        if objective is not None and key_results:
            from okrctl.scoring import weighted_mean

            scored = [(self._key_result(kr, commit.date)[2], float(kr.get("weight") or 1)) for kr in key_results]
            if all(each is not None for each, _ in scored):
                mean = weighted_mean([(each, weight) for each, weight in scored if each is not None])
        return Row(commit, what, None, None, mean, self._grade(mean))

    def _grade(self, score: float | None) -> str | None:
        if score is None or not self.graded:
            return None
        from okrctl.scoring import grade_of  # here: it loads the scoring machinery, which only colour needs

        return grade_of(score, self.config)

    def _key_result(self, item: Item, day: date) -> tuple[float | None, float | None, float | None]:
        """A key result's value, target and score as of `day` (never past its period's last day)."""
        from okrctl.model import KeyResult

        kind = KINDS.get(item.get("kind") or "")
        span = _parsed_period(item.period, self.config)
        if kind is None or span is None:
            return None, None, None
        day = min(day, span.end)
        kpi = self.items.get((item.get("kpi"), "")) if item.get("kpi") else None
        value: float | None = None
        if kind.has_value:
            if item.get("kpi"):
                value = _latest(kpi.dated, day) if kpi is not None else None
            else:
                value = _latest(item.dated, day) if item.dated else item.get("current")
        # what it aims at: a target, else the bound it must hold (none for a kind without either)
        aims = [item.get(name) for name in ("target", "at_least", "at_most") if name in kind.fields]
        target = next((aim for aim in aims if aim is not None), None)
        start = item.get("start")
        if kind.needs_start and start is None:
            start = _latest(kpi.dated, span.start) if kpi is not None else None
        if kind.needs_start and (start is None or target is None or no_distance(start, target)):
            return value, target, None  # lint says why (OKR006, OKR007); nothing to score from
        if item.get("grade") is not None:
            return value, target, float(item.get("grade"))
        fields = {name: item.get(name) for name in KeyResult.model_fields if item.get(name) is not None}
        progress = kind.progress(KeyResult.model_construct(**fields), value, start, day)
        return value, target, clamp(progress)


def _latest(dated: Iterable[Dated], day: date) -> float | None:
    """The latest value dated on or before `day` (on one date, the later in the file), else None."""
    by_date = {entry.date: entry.value for entry in dated if entry.date <= day}
    return by_date[max(by_date)] if by_date else None


def _band(kpi: Item, value: float | None) -> str:
    from okrctl.health import band_of
    from okrctl.model import Band, Kpi

    if value is None:
        return "no_data"
    bands = {
        name: Band.model_construct(min=bounds[0], max=bounds[1])
        for name in BAND_FIELDS
        if (bounds := kpi.get(name)) is not None
    }
    return band_of(Kpi.model_construct(None, **bands), value)


# -- what changed, in words ---------------------------------------------------------------------------


def describe(change: Change) -> list[str]:
    """What a change did to one item, for people: `added`, `target 2,000,000 → 1,600,000`,
    `check-in 2026-11-10: 900,000`, `measurement 2026-10-31: 4.6 → 4.2`, `check-in 2026-10-02 removed (1)`."""
    if change.status != "changed":
        return [change.status]
    texts = []
    for changed in change.fields:
        old, new = _shown_pair(changed.name, changed.old, changed.new)
        texts.append(f"{changed.name} {old} → {new}")
    noun = "measurement" if change.item.kind == "kpi" else "check-in"
    rewritten = change.rewritten()
    rewritten_days = {entry.date for entry in rewritten if entry.new is not None}
    for entry in change.added:
        if entry.date not in rewritten_days:
            texts.append(f"{noun} {entry.date}: {_number(entry.value)}")
    for rewrite in rewritten:
        if rewrite.new is None:
            texts.append(f"{noun} {rewrite.date} removed ({_number(rewrite.old)})")
        else:
            old, new = _shown_pair("value", rewrite.old, rewrite.new)
            texts.append(f"{noun} {rewrite.date}: {old} → {new}")
    return texts


def _number(value: float) -> str:
    from okrctl.reporters.formatting import exact_number

    return exact_number(value)


def _shown_pair(name: str, old: Any, new: Any) -> tuple[str, str]:
    from okrctl.reporters.formatting import exact_numbers

    if _numeric(old) and _numeric(new) and (old is not None or new is not None):
        first, second = exact_numbers(old, new)
        return first, second
    return _shown(name, old), _shown(name, new)


def _numeric(value: Any) -> bool:
    return value is None or is_number(value)


def _shown(name: str, value: Any) -> str:
    from okrctl.reporters.formatting import exact_number as number

    if value is None:
        return "–"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return number(value)
    if isinstance(value, date):
        return value.isoformat()
    if name in BAND_FIELDS:
        low, high = value
        if low is not None and high is not None:
            return f"{number(low)}–{number(high)}"
        return f"≥ {number(low)}" if low is not None else f"≤ {number(high)}"
    if isinstance(value, tuple | list):
        return ", ".join(str(part) for part in value)
    return f'"{value}"'
