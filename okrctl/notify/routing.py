"""Which events go to which channel: the config's `notify.rules`, and what one evaluation of `okrctl notify`
found. Pure: the command computes the events, this decides where each goes.

A rule takes the events of its kinds (`on`) whose reference matches its glob (`match`, with `fnmatch`:
`support/*`, `*/csat`), computed with its own `consecutive` and `renotify_days` (the events are computed once
per distinct pair). A reminder's reference is its owner: `support/*` matches the reminder of `support`. An
event goes to each channel once, however many rules send it there, even when their options date it apart.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from fnmatch import fnmatchcase

from okrctl.config import NotifyRule
from okrctl.notify.events import Baseline, Event

Settings = tuple[int, int]  # (consecutive, renotify_days): what the events are computed with
DEFAULT_SETTINGS: Settings = (1, 0)


def settings_of(rules: list[NotifyRule]) -> list[Settings]:
    """The distinct (consecutive, renotify_days) of the rules, in their order; the defaults without rules."""
    found = list(dict.fromkeys((rule.consecutive, rule.renotify_days) for rule in rules))
    return found or [DEFAULT_SETTINGS]


def matches(rule: NotifyRule, event: Event) -> bool:
    if event.kind not in rule.on:
        return False
    if fnmatchcase(event.ref, rule.match):
        return True
    return event.kind == "reminder" and fnmatchcase(event.ref + "/", rule.match)  # `support/*`: support's owner


def route(rules: list[NotifyRule], events: Mapping[Settings, list[Event]]) -> list[tuple[str, list[Event]]]:
    """Each channel a rule names (in the rules' order) with its events, each once, sorted by day, reference
    and kind; `events` holds the events computed with each rule's settings (`settings_of`)."""
    routed: dict[str, dict[object, Event]] = {}
    for rule in rules:
        chosen = routed.setdefault(rule.channel, {})
        for event in events[(rule.consecutive, rule.renotify_days)]:
            if matches(rule, event):
                chosen.setdefault(_identity(event), event)
    return [(channel, sorted(chosen.values(), key=_order)) for channel, chosen in routed.items()]


def _identity(event: Event) -> object:
    """What makes two events one for a channel: the same crossing of the same condition, whichever rule's
    `consecutive` or `renotify_days` dated it (a band entered on the 9th is told on the 9th by one rule and
    on the 16th by another with `consecutive: 2`: once, by the first rule)."""
    if event.episode is None:
        return event.fingerprint
    return event.kind, event.ref, event.episode, event.repeat


def _order(event: Event) -> tuple[date, str, str, str]:
    return event.day, event.ref, event.kind, event.transition


@dataclass
class Evaluation:
    """What `okrctl notify` found: every event to tell (after `--since`), and where each goes."""

    as_of: date
    since: Baseline | None
    routed: list[tuple[str, list[Event]]]  # channel → its events; empty without rules
    events: list[Event]  # each event once: those routed, or every event when no rule routes them
    ruled: bool  # whether the config has rules
    notes: list[str] = field(default_factory=list)  # what could not be judged, and why
    messages: list[tuple[str, dict[str, object]]] = field(default_factory=list)  # a dry run's: channel → its message
    unjudged: list[str] = field(default_factory=list)  # goal files with errors: their goals tell nothing
    _channels: dict[str, list[str]] | None = field(default=None, init=False, repr=False, compare=False)

    def channels_of(self, event: Event) -> list[str]:
        """The channels the event goes to, in the rules' order."""
        if self._channels is None:  # built once: a run can hold tens of thousands of events
            self._channels = {}
            for channel, events in self.routed:
                for routed in events:
                    self._channels.setdefault(routed.fingerprint, []).append(channel)
        return self._channels.get(event.fingerprint, [])


def unique(events_lists: list[list[Event]], keep: Callable[[Event], bool] = lambda _: True) -> list[Event]:
    """The events of the lists, each once (by fingerprint), sorted by day, reference and kind."""
    found: dict[str, Event] = {}
    for events in events_lists:
        for event in events:
            if keep(event):
                found.setdefault(event.fingerprint, event)
    return sorted(found.values(), key=_order)
