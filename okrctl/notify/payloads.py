"""The message `okrctl notify` sends to one channel in one run: Slack blocks, a Teams Adaptive Card, or a JSON
body with Alertmanager's field names. Pure functions from events to a dict; nothing here sends or prints.

One message per channel per run, whatever the number of events, grouped by kind, the worst news first (a KPI
entering red, an objective off track, amber, stale, goal posts moved, check-ins overdue, recoveries last); within
a kind by date, then reference. Each event says what crossed, its value with its unit, the band bounds, the day,
the owner and the command that shows more.

Titles, notes, units and owners are the user's text: each chat format gets them on one line (`one_line`),
escaped for its own markup and clipped, so a title cannot mention a channel, link, or format the message, and
a message always stays within the service's limits: what does not fit is counted in a last line that names the
command showing everything, never dropped in silence.
"""

from __future__ import annotations

import hashlib
import json
import re
import shlex
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal
from urllib.parse import quote

from okrctl.config import EventKind
from okrctl.notify.events import Event
from okrctl.reporters.formatting import band_bounds, number, with_unit
from okrctl.reporters.safe_text import one_line

ChannelType = Literal["slack", "teams", "webhook"]
WEBHOOK_VERSION = "okrctl/1"

# The worst news first; each kind is one group of the message.
KIND_ORDER: tuple[EventKind, ...] = (
    "enter_red",
    "off_track",
    "enter_amber",
    "stale",
    "goalpost",
    "reminder",
    "recover",
)
KIND_HEADINGS: Mapping[str, str] = {
    "enter_red": "Entered red",
    "off_track": "Off track, or back on track",
    "enter_amber": "Entered amber",
    "stale": "Stale or no data",
    "goalpost": "Goal posts moved",
    "reminder": "Check-ins overdue",
    "recover": "Recovered",
}

# Slack's documented limits (Block Kit): blocks per message, a header's plain text, a section's text. The
# fallback `text` is a notification's preview: kept to the length of a section.
SLACK_MAX_BLOCKS = 50
SLACK_HEADER_CHARS = 150
SLACK_SECTION_CHARS = 3000
SLACK_TEXT_CHARS = 3000
# Teams refuses a card over about 28 KB; the body of events stops well short, leaving room for the rest.
TEAMS_MAX_BYTES = 28_000
_TEAMS_EVENT_BYTES = 24_000

# How much of each piece of user text a chat message shows, counted after escaping.
_TITLE_CHARS = 200
_SUMMARY_CHARS = 400
_SHORT_CHARS = 120  # a reference, and each fact: an owner, a transition, a value with its unit
_DETAIL_CHARS = 100
_DETAILS_SHOWN = 5
_LINK_CHARS = 400  # a longer address is left out: it would crowd out the text
_ELLIPSIS = "…"

_LINK_BASE = re.compile(r"https?://[^\s<>|()\[\]{}\"'`\\^]+")


def link_problem(link: str) -> str | None:
    """Why `link` cannot be the base of the messages' links, or None."""
    if not _LINK_BASE.fullmatch(link):
        return f"not an http(s) address without spaces, quotes, brackets or pipes: {one_line(link)!r}"
    return None


@dataclass(frozen=True)
class Context:
    """What every message of a run shows besides its events: the as-of date, the name of the goals root, an
    optional address under which each goal file can be read (`https://github.com/ORG/REPO/blob/main/`; a link
    per event is this base and the goal file's path) and the command that shows every event."""

    as_of: date
    root: str
    link: str | None = None
    command: str = "okrctl notify --dry-run"

    def __post_init__(self) -> None:
        # The base goes into Slack's `<url|text>` and Markdown's `[text](url)` unescaped: only a plain http(s)
        # address, with none of the characters that would end or reshape either syntax.
        problem = link_problem(self.link) if self.link is not None else None
        if problem is not None:
            raise ValueError(f"link: {problem}")

    def link_of(self, event: Event) -> str | None:
        """The address of the event's goal file, its path percent-encoded (so `|`, `>` or `)` in a file name
        cannot end the link); None without a base, or when the address would be too long to show."""
        if self.link is None:
            return None
        link = self.link.rstrip("/") + "/" + quote(event.path.lstrip("/"), safe="/", errors="surrogateescape")
        return link if len(link) <= _LINK_CHARS else None


def see_more(event: Event) -> str:
    """The command that shows what is behind an event: a goal's history (a KPI's values, a goal post's
    commits), or the owner's status (an objective's pace, the key results awaiting a check-in)."""
    if event.kind in ("off_track", "reminder"):
        return f"okrctl status --owner {shlex.quote(one_line(event.owner))}"
    return f"okrctl history {shlex.quote(one_line(event.ref))}"


def is_resolved(event: Event) -> bool:
    """A recovery, or an objective's pace leaving off track (`off_track→at_risk`), ends a condition."""
    if event.kind == "recover":
        return True
    return event.kind == "off_track" and not event.transition.endswith("off_track")


def payload(channel_type: str, events: list[Event], context: Context, channel_name: str = "") -> dict[str, Any]:
    """The one message for a channel of `channel_type` carrying all of `events` (`channel_name`: the
    `receiver` of a webhook body)."""
    ordered = _ordered(events)
    if channel_type == "slack":
        return _slack(ordered, context)
    if channel_type == "teams":
        return _teams(ordered, context)
    if channel_type == "webhook":
        return _webhook(ordered, context, channel_name)
    if channel_type == "apprise":
        return _apprise(ordered, context)
    raise ValueError(f"unknown channel type {channel_type!r} (slack, teams, webhook, apprise)")


def test_payload(channel_type: str, channel_name: str, context: Context) -> dict[str, Any]:
    """What `okrctl notify --test CHANNEL` sends: a message that says okrctl can post here, for which goals
    and on which date, and alerts nobody (a webhook body has no alerts and is `resolved`)."""
    name = one_line(channel_name)
    line = f"okrctl can post here: channel {name}, goals {one_line(context.root)}, {context.as_of.isoformat()}."
    if channel_type == "slack":
        text = _clip(line, SLACK_SECTION_CHARS, _slack_escape)
        return {
            "text": text,
            "blocks": [
                {"type": "header", "text": {"type": "plain_text", "text": "okrctl can post here", "emoji": False}},
                _slack_section(text),
            ],
        }
    if channel_type == "teams":
        return _teams_message(
            [
                {
                    "type": "TextBlock",
                    "text": "okrctl can post here",
                    "size": "Large",
                    "weight": "Bolder",
                    "wrap": True,
                },
                {"type": "TextBlock", "text": _clip(line, 2000, _teams_escape), "wrap": True},
            ]
        )
    if channel_type == "webhook":
        body = _webhook([], context, channel_name)
        body["test"] = True
        body["commonAnnotations"] = {"summary": line}
        return body
    if channel_type == "apprise":
        return {"title": "okrctl can post here", "body": line}
    raise ValueError(f"unknown channel type {channel_type!r} (slack, teams, webhook, apprise)")


# ----------------------------------------------------------------------------------------------------- text


def _ordered(events: Iterable[Event]) -> list[Event]:
    rank = {kind: index for index, kind in enumerate(KIND_ORDER)}
    return sorted(events, key=lambda e: (rank.get(e.kind, len(rank)), e.day, e.ref, e.transition))


def _heading(kind: str) -> str:
    return KIND_HEADINGS.get(kind, kind)


def _groups(events: list[Event]) -> list[tuple[EventKind, list[Event]]]:
    groups: dict[EventKind, list[Event]] = {}
    for event in events:
        groups.setdefault(event.kind, []).append(event)
    return list(groups.items())


def _clip(text: str, limit: int, escape: Callable[[str], str]) -> str:
    """`text` on one line and escaped, at most `limit` characters once escaped: cut between characters of the
    original (never inside an escape such as `&amp;`) and ended with an ellipsis."""
    text = " ".join(one_line(text).split())
    escaped = escape(text)
    if len(escaped) <= limit:
        return escaped
    # The longest prefix whose escaped form leaves room for the ellipsis: escaping never shrinks text, so
    # a search over the prefix's length finds it.
    low, high = 0, min(len(text), limit)
    while low < high:
        middle = (low + high + 1) // 2
        if len(escape(text[:middle])) + len(_ELLIPSIS) <= limit:
            low = middle
        else:
            high = middle - 1
    return escape(text[:low]) + _ELLIPSIS


# Slack's mrkdwn: `&`, `<`, `>` as entities (so `<!channel>` and `<https://x|y>` are text); `*`, `_`, `~`, and
# the backtick, which mrkdwn has no escape for, as look-alike characters; a word joiner after `@`, so `@here`
# is not read as a mention by any client.
_SLACK = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "*": "∗", "_": "ˍ", "~": "∼", "`": "ˋ", "@": "@\u2060"})
# In plain text Slack decodes the three entities and formats nothing else. Inside a code span, where a
# reference or a command is shown so that it can be copied as it is, nothing is formatted either: only the
# entities, and a backtick (which would end the span) as a look-alike.
_SLACK_PLAIN = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
_SLACK_CODE = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "`": "ˋ"})
# Adaptive Cards' Markdown is a CommonMark subset (bold, italic, lists, links); a backslash escapes its
# punctuation. Inline markup can be anywhere; a list or heading marker only at the start of a text. HTML is
# not rendered, so `<` stays as it is.
_TEAMS_INLINE = re.compile(r"[\\`*_\[\]~]")
_TEAMS_LEADING = re.compile(r"^(\s*)((?:[-+*#]|\d+[.)])(?=\s|$)|>)")


def _slack_escape(text: str) -> str:
    return text.translate(_SLACK)


def _slack_plain_escape(text: str) -> str:
    return text.translate(_SLACK_PLAIN)


def _slack_code(text: str, limit: int) -> str:
    return f"`{_clip(text, limit, lambda t: t.translate(_SLACK_CODE))}`"


def _teams_escape(text: str) -> str:
    text = _TEAMS_INLINE.sub(lambda m: "\\" + m.group(), text)
    return _TEAMS_LEADING.sub(lambda m: m.group(1) + m.group(2)[:-1] + "\\" + m.group(2)[-1], text)


def _facts(event: Event) -> list[tuple[str, str]]:
    """What an event says, as (label, plain text) pairs, before any escaping."""
    facts = [("What", event.transition.replace("_", " "))]
    if event.value is not None:
        facts.append(("Value", with_unit(number(event.value), event.unit)))
    if event.bounds:
        facts.append(("Bounds", band_bounds(event.bounds)))
    facts.append(("Date", event.day.isoformat()))
    facts.append(("Owner", event.owner))
    if event.commit:
        facts.append(("Commit", event.commit[:12]))
    return facts


def _details(event: Event) -> list[str]:
    shown = list(event.details[:_DETAILS_SHOWN])
    if len(event.details) > _DETAILS_SHOWN:
        shown.append(f"and {len(event.details) - _DETAILS_SHOWN} more")
    return shown


def _count(events: list[Event]) -> str:
    return f"{len(events)} event" + ("" if len(events) == 1 else "s")


def _overview(events: list[Event], context: Context) -> str:
    by_kind = ", ".join(f"{_heading(kind).lower()}: {len(group)}" for kind, group in _groups(events))
    overview = f"{_count(events)} in {one_line(context.root)} as of {context.as_of.isoformat()}"
    return f"{overview}: {by_kind}" if by_kind else overview


def _more(hidden: int, context: Context) -> str:
    return f"{_ELLIPSIS} and {hidden} more: run {context.command}"


# ---------------------------------------------------------------------------------------------------- Slack


def _slack_event(event: Event, context: Context) -> str:
    """One event as mrkdwn lines, each piece of user text escaped and clipped: well under a section's limit."""
    title = _clip(event.title, _TITLE_CHARS, _slack_escape)
    ref = _slack_code(event.ref, _SHORT_CHARS)
    link = context.link_of(event)
    head = f"• *{title}* {ref}" + (f" <{link}|open>" if link else "")
    facts = " · ".join(f"{label}: {_clip(text, _SHORT_CHARS, _slack_escape)}" for label, text in _facts(event))
    lines = [head, f"    {_clip(event.summary, _SUMMARY_CHARS, _slack_escape)}", f"    {facts}"]
    lines += [f"    ◦ {_clip(detail, _DETAIL_CHARS, _slack_escape)}" for detail in _details(event)]
    lines.append(f"    See more: {_slack_code(see_more(event), _TITLE_CHARS)}")
    return "\n".join(lines)  # at most about 2,800 characters: every piece is clipped


def _mrkdwn(text: str) -> dict[str, Any]:
    """Verbatim: Slack then neither links a URL or a `#channel` written in a title, nor parses a mention."""
    return {"type": "mrkdwn", "text": text, "verbatim": True}


def _slack_section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": _mrkdwn(text)}


def _slack(events: list[Event], context: Context) -> dict[str, Any]:
    header = _clip(f"okrctl: {_count(events)} in {context.root}", SLACK_HEADER_CHARS, _slack_plain_escape)
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": header, "emoji": False}},
        {
            "type": "context",
            "elements": [_mrkdwn(_clip(_overview(events, context), SLACK_SECTION_CHARS, _slack_escape))],
        },
    ]
    room = SLACK_MAX_BLOCKS - 2  # the last two: what did not fit, and the command that shows everything
    shown = 0
    full = False
    for kind, group in _groups(events):
        if len(blocks) + 2 > room:  # a divider and at least one section
            break
        blocks.append({"type": "divider"})
        text = f"*{_heading(kind)}* ({len(group)})"
        for event in group:
            line = _slack_event(event, context)
            if len(text) + 1 + len(line) > SLACK_SECTION_CHARS:
                if len(blocks) + 2 > room:  # this section and the next one
                    full = True
                    break
                blocks.append(_slack_section(text))
                text = line
            else:
                text += "\n" + line
            shown += 1
        blocks.append(_slack_section(text))
        if full:
            break
    hidden = len(events) - shown
    if hidden:
        more = f"{_ELLIPSIS} and {hidden} more: run {_slack_code(context.command, 300)}"
        blocks.append(_slack_section(more))
    footer = f"See everything: {_slack_code(context.command, 300)}"
    blocks.append({"type": "context", "elements": [_mrkdwn(footer)]})
    return {"text": _clip(f"okrctl: {_overview(events, context)}", SLACK_TEXT_CHARS, _slack_escape), "blocks": blocks}


# ---------------------------------------------------------------------------------------------------- Teams


def _teams_message(body: list[dict[str, Any]]) -> dict[str, Any]:
    card = {
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "type": "AdaptiveCard",
        "version": "1.4",
        "body": body,
        "msteams": {"width": "Full"},
    }
    return {
        "type": "message",
        "attachments": [
            {"contentType": "application/vnd.microsoft.card.adaptive", "contentUrl": None, "content": card}
        ],
    }


def _teams_event(event: Event, context: Context) -> list[dict[str, Any]]:
    title = _clip(event.title, _TITLE_CHARS, _teams_escape)
    ref = _clip(event.ref, _SHORT_CHARS, _teams_escape)
    link = context.link_of(event)
    items: list[dict[str, Any]] = [
        {
            "type": "TextBlock",
            "text": f"**{title}** ({ref})" + (f" [open]({link})" if link else ""),
            "wrap": True,
            "spacing": "Medium",
        },
        {"type": "TextBlock", "text": _clip(event.summary, _SUMMARY_CHARS, _teams_escape), "wrap": True},
    ]
    facts = [*_facts(event), *(("Detail", detail) for detail in _details(event)), ("See more", see_more(event))]
    items.append(
        {
            "type": "FactSet",
            "facts": [{"title": label, "value": _clip(text, _SHORT_CHARS, _teams_escape)} for label, text in facts],
        }
    )
    return items


def _size(item: object) -> int:
    """Bytes as JSON with every non-ASCII character escaped: never fewer than as UTF-8, so the card stays under
    the limit however it is sent."""
    return len(json.dumps(item))


def _teams(events: list[Event], context: Context) -> dict[str, Any]:
    body: list[dict[str, Any]] = [
        {
            "type": "TextBlock",
            "text": _clip(f"okrctl: {_count(events)} in {context.root}", _TITLE_CHARS, _teams_escape),
            "size": "Large",
            "weight": "Bolder",
            "wrap": True,
        },
        {"type": "TextBlock", "text": _clip(_overview(events, context), 1000, _teams_escape), "wrap": True},
    ]
    budget = _TEAMS_EVENT_BYTES - _size(body)
    shown = 0
    for kind, group in _groups(events):
        heading = {
            "type": "TextBlock",
            "text": f"{_heading(kind)} ({len(group)})",
            "size": "Medium",
            "weight": "Bolder",
            "separator": True,
            "wrap": True,
        }
        first = _teams_event(group[0], context)
        if _size([heading, *first]) > budget:
            break
        body.append(heading)
        budget -= _size(heading)
        for event in group:
            items = _teams_event(event, context)
            if _size(items) > budget:
                break
            body += items
            budget -= _size(items)
            shown += 1
        else:
            continue
        break
    hidden = len(events) - shown
    if hidden:
        body.append({"type": "TextBlock", "text": _clip(_more(hidden, context), 500, _teams_escape), "wrap": True})
    body.append(
        {
            "type": "TextBlock",
            "text": _clip(f"See everything: {context.command}", 500, _teams_escape),
            "isSubtle": True,
            "wrap": True,
        }
    )
    return _teams_message(body)


# -------------------------------------------------------------------------------------------------- webhook


def _rfc3339(day: date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


_NEVER = "0001-01-01T00:00:00Z"  # Alertmanager's `endsAt` of an alert still firing


# An alert's name is its condition's, the same for the events that start and end it, so that a receiver pairs a
# recovery (resolved) with the alert it ends by their labels and `fingerprint`, as Alertmanager does.
ALERT_NAMES: dict[str, str] = {
    "enter_amber": "okrctl_kpi_band",
    "enter_red": "okrctl_kpi_band",
    "recover": "okrctl_kpi_band",
    "off_track": "okrctl_off_track",
    "stale": "okrctl_kpi_stale",
    "goalpost": "okrctl_goal_post",
    "reminder": "okrctl_checkins_overdue",
}
WEBHOOK_ALERTS = 1000  # alerts in one body, worst first; the rest counted in `truncatedAlerts`


def _labels(event: Event) -> dict[str, str]:
    labels = {"alertname": ALERT_NAMES[event.kind], "ref": one_line(event.ref), "owner": one_line(event.owner)}
    if event.kind == "goalpost":  # each goal post is its own alert: the rule and the commit that moved it
        labels["code"] = one_line(event.transition)
        labels["commit"] = (event.commit or "")[:12]
    return labels


def _labels_fingerprint(labels: dict[str, str]) -> str:
    key = "\0".join(f"{name}={value}" for name, value in sorted(labels.items()))
    return hashlib.sha256(key.encode("utf-8", errors="surrogateescape")).hexdigest()[:16]


def _alert(event: Event, context: Context) -> dict[str, Any]:
    """An event as an alert. Its text is whole (a receiver is a program, which cuts as it needs) but on one
    line, with control and bidi characters escaped as everywhere else. `fingerprint` is the alert's (its
    labels'), shared by the firing and the resolved; `eventFingerprint` is the event's own."""
    resolved = is_resolved(event)
    labels = _labels(event)
    return {
        "status": "resolved" if resolved else "firing",
        "labels": labels,
        "annotations": {
            "summary": one_line(event.summary),
            "description": one_line("; ".join(f"{label}: {text}" for label, text in _facts(event))),
            "title": one_line(event.title),
            "kind": event.kind,
            "transition": one_line(event.transition),
            "command": see_more(event),
        },
        "startsAt": _rfc3339(event.day if resolved else event.episode or event.day),  # a repeat: the first's day
        "endsAt": _rfc3339(event.day) if resolved else _NEVER,
        "generatorURL": context.link_of(event) or "",
        "fingerprint": _labels_fingerprint(labels),
        # Beyond Alertmanager's fields: the event's own fingerprint, and the figures, for receivers that compute.
        "eventFingerprint": event.fingerprint,
        "day": event.day.isoformat(),
        "path": one_line(event.path),
        "cause": event.cause,
        "value": event.value,
        "unit": None if event.unit is None else one_line(event.unit),
        "bounds": [{"band": band, "min": low, "max": high} for band, low, high in event.bounds],
        "commit": event.commit,
        "details": [one_line(detail) for detail in event.details],
    }


def _common(mappings: list[dict[str, str]]) -> dict[str, str]:
    if not mappings:
        return {}
    first = mappings[0]
    return {key: value for key, value in first.items() if all(m.get(key) == value for m in mappings[1:])}


def _webhook(events: list[Event], context: Context, channel_name: str) -> dict[str, Any]:
    """Every event (up to `WEBHOOK_ALERTS`, worst first), none summarised: a receiver is a program, and
    Alertmanager's names let it route them."""
    alerts = [_alert(event, context) for event in events[:WEBHOOK_ALERTS]]
    firing = any(alert["status"] == "firing" for alert in alerts)
    return {
        "version": WEBHOOK_VERSION,
        "receiver": one_line(channel_name),
        "status": "firing" if firing else "resolved",
        "alerts": alerts,
        "groupLabels": {"receiver": one_line(channel_name)},
        "commonLabels": _common([alert["labels"] for alert in alerts]),
        "commonAnnotations": _common([alert["annotations"] for alert in alerts]),
        "externalURL": context.link or "",
        "groupKey": f"okrctl:{one_line(channel_name)}:{context.as_of.isoformat()}",
        "truncatedAlerts": max(0, len(events) - WEBHOOK_ALERTS),
        "asOf": context.as_of.isoformat(),
        "root": one_line(context.root),
    }


# -------------------------------------------------------------------------------------------------- Apprise

APPRISE_EVENTS = 100  # events listed in one message (each service clips long bodies its own way); the rest counted


def _apprise(events: list[Event], context: Context) -> dict[str, Any]:
    """A title and a plain-text body (Apprise turns it into each service's format, escaped for it): the
    overview, then each kind's events, worst first, each with its summary, link, details and the command
    that shows more; events beyond `APPRISE_EVENTS` counted."""
    lines = [_overview(events, context)]
    shown = 0
    for kind, group in _groups(events):
        listed = group[: APPRISE_EVENTS - shown]
        if not listed:
            break
        lines += ["", f"{_heading(kind)} ({len(group)})"]
        for event in listed:
            lines.append(f"- {one_line(event.summary)}")
            link = context.link_of(event)
            if link:
                lines.append(f"  {link}")
            lines += [f"  - {one_line(detail)}" for detail in _details(event)]
            lines.append(f"  See more: {see_more(event)}")
        shown += len(listed)
    if len(events) > shown:
        lines += ["", _more(len(events) - shown, context)]
    return {"title": f"okrctl: {_count(events)} in {one_line(context.root)}", "body": "\n".join(lines)}
