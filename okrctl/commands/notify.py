"""`okrctl notify [PATHS] [--since REV] [--as-of D]`: the events of the goals (`okrctl.notify.events`), routed
to channels by the config's `notify.rules` (`okrctl.notify.routing`), printed.

The goals are loaded as the reports load them (`load_root`), with their check-ins and measurements; the goal
posts come from the history rules over the commits up to HEAD, as `lint --history` reads them. `--since REV`
keeps the events caused after REV (`since_filter`), REV's goals read from git.
"""

from __future__ import annotations

import dataclasses
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from okrctl.notify.events import Baseline, Event
from okrctl.notify.routing import Evaluation, Settings, route, settings_of, unique
from okrctl.reporters import ReportOptions, reporter

if TYPE_CHECKING:
    from okrctl.config import LoadedConfig
    from okrctl.engine import RootFiles
    from okrctl.history import VersionItems
    from okrctl.loader import GoalFile
    from okrctl.notify.payloads import Context
    from okrctl.project import Project


@dataclass(frozen=True)
class NotifyOptions:
    paths: list[Path]
    since: str | None  # a git revision: only what was caused after it
    as_of: date | None  # None: today
    output_format: str
    report: ReportOptions
    dry_run: bool = False
    jobs: int = 1
    use_cache: bool = True
    test_channel: str | None = None  # --test CHANNEL: a test message there, and nothing else
    kinds: frozenset[str] = frozenset()  # --kind: only events of these kinds (empty: every kind)
    link: str | None = None  # --link URL: the address under which each goal file can be read


def run(options: NotifyOptions) -> int:
    """Evaluate, print the evaluation, then send each channel its message (or, with --dry-run, show it): exit
    0, or 3 when a delivery failed (the others are sent all the same)."""
    from okrctl.notify import send

    if options.test_channel is not None:
        return _test(options)
    evaluation = evaluate(options)
    for note in evaluation.notes:
        print(f"okrctl: note: {note}", file=sys.stderr)
    loaded = _loaded(options)  # read once for the messages (the evaluation read the goals with it)
    config, context = loaded.config, _context(loaded, evaluation.as_of, options.link)
    if options.dry_run:
        evaluation.messages = send.messages(evaluation.routed, config, context)
        for name, _ in evaluation.messages:  # what a real run would fail on, said now
            problem = send.unusable(name, config)
            if problem:
                print(f"okrctl: warning: {problem}: a real run would not send it (exit 3)", file=sys.stderr)
    sys.stdout.write(reporter("notify", options.output_format)(evaluation, options.report))
    sys.stdout.flush()  # the evaluation stands before any delivery's message
    code = 0 if options.dry_run else send.send(evaluation.routed, config, context, dry_run=False)
    for path in evaluation.unjudged:  # after sending: the other files' events still go out
        print(
            f"okrctl: error: {path}: the file has errors, so its goals were not judged: run okrctl lint",
            file=sys.stderr,
        )
    return code or (1 if evaluation.unjudged else 0)


def _test(options: NotifyOptions) -> int:
    from okrctl.errors import UserError
    from okrctl.notify import send

    loaded = _loaded(options)
    config, name = loaded.config, options.test_channel
    if name not in config.notify.channels:
        known = ", ".join(sorted(config.notify.channels)) or "none"
        raise UserError(f"--test: no channel {name!r} in notify.channels of the config (channels: {known})")
    context = _context(loaded, options.as_of or date.today(), options.link)
    if options.dry_run:  # the test message, shown
        from okrctl.notify import payloads
        from okrctl.reporters.safe_text import json_text

        sys.stdout.write(json_text(payloads.test_payload(config.notify.channels[name].type, name, context)))
        problem = send.unusable(name, config)
        if problem:
            print(f"okrctl: warning: {problem}: a real run would not send it (exit 3)", file=sys.stderr)
        return 0
    return send.send_test(name, config, context)


def _loaded(options: NotifyOptions) -> LoadedConfig:
    from okrctl.config import config_start, load_config

    return load_config(config_start(options.paths))


def _context(loaded: LoadedConfig, as_of: date, link: str | None) -> Context:
    from okrctl.notify.payloads import Context

    return Context(as_of, loaded.root.name or str(loaded.root), link)


def evaluate(options: NotifyOptions) -> Evaluation:
    """The events of the goals under the paths, after `--since`, and the channel each goes to: what the
    command prints, and what delivery sends (`Evaluation.routed`: channel → its events)."""
    from okrctl.commands.common import load_root
    from okrctl.notify.events import events_of, since_filter, without_backlog
    from okrctl.project import Project

    as_of = options.as_of or date.today()
    root = load_root(options.paths, as_of, options.jobs, options.use_cache, with_context=True)
    config = root.loaded.config
    for file in root.everything:
        file.load_history()
    project = Project(root.everything)
    asked = {file.path for file in root.files}
    rules = config.notify.rules
    notes: list[str] = []
    wants_goalposts = not rules or any("goalpost" in rule.on for rule in rules)
    versions = _versions(root, options.use_cache) if options.since is not None or wants_goalposts else None
    goalposts = _goalposts(root, project, as_of, options.use_cache, notes, versions) if wants_goalposts else []
    # after the goal posts: the versions they parsed serve the baseline too
    baseline = _baseline(options, as_of, root.everything, versions) if options.since is not None else None

    def kept(events: list[Event]) -> list[Event]:
        events = [
            event for event in events if event.path in asked and (not options.kinds or event.kind in options.kinds)
        ]
        return without_backlog(since_filter(events, baseline) if baseline is not None else events)

    computed: dict[Settings, list[Event]] = {}
    for consecutive, renotify_days in settings_of(rules):
        found = events_of(project, config, as_of, consecutive=consecutive, renotify_days=renotify_days, since=baseline)
        computed[(consecutive, renotify_days)] = kept([*found, *goalposts])
    routed = route(rules, computed)
    events = unique([events for _, events in routed] if rules else list(computed.values()))
    if not rules:
        notes.append("no rule in notify.rules of the config routes these events to a channel")
    unjudged = sorted(file.path for file in root.files if not file.valid)
    return Evaluation(as_of, baseline, routed, events, bool(rules), notes, unjudged=unjudged)


def _versions(root: RootFiles, use_cache: bool) -> VersionItems | None:
    """Where the versions read from git are kept parsed by blob, for the goal posts and the baseline alike
    (and in the root's cache); None outside a git repository with a commit."""
    from okrctl.git import GitError, Repository
    from okrctl.history import VersionItems

    try:
        repository = Repository.containing(root.loaded.root)
    except GitError:
        return None
    versions = VersionItems(repository, root.loaded.config, root.loaded.root if use_cache else None)
    versions.know_work_tree([file for file in root.everything if not file.origin])  # HEAD's versions, mostly
    return versions


def _baseline(options: NotifyOptions, as_of: date, current: list[GoalFile], versions: VersionItems | None) -> Baseline:
    from okrctl.notify.events import baseline_at
    from okrctl.revision import open_revision

    assert options.since is not None
    revision = open_revision(options.since, options.paths)
    baseline = baseline_at(revision, options.paths, as_of, options.jobs, current, versions)
    # An annotated tag that a job moves each run (okrctl/notified) dates the run itself: time events (stale,
    # reminders) are then new after the last run, even when nothing was committed for weeks.
    day = revision.repository.tag_day(options.since)
    return dataclasses.replace(baseline, day=max(day, baseline.day)) if day is not None else baseline


def _goalposts(
    root: RootFiles, project: Project, as_of: date, use_cache: bool, notes: list[str], versions: VersionItems | None
) -> list[Event]:
    """The history rules' findings over the commits up to HEAD, as goal-post events; none (with a note) when
    the goals are not in a git repository with a commit."""
    from okrctl.commands.lint import history_findings_at  # what `lint --history` judges, read the same way
    from okrctl.git import GitError
    from okrctl.notify.events import goalpost_events
    from okrctl.revision import open_revision

    try:
        head = open_revision("HEAD", [root.loaded.root])
    except GitError as error:
        notes.append(f"goal posts not judged: {error}")
        return []
    return goalpost_events(history_findings_at(root, head, as_of, use_cache, versions), project)
