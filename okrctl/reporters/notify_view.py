"""`okrctl notify`'s evaluation: one line per event (day, kind, reference, what happened, where it goes), or
JSON (version `JSON_VERSION`): `as_of`, `since` (the revision's commit and day, or null), `routed` (whether
the config has rules) and `events`, each with its fields, its `fingerprint` and its `channels`; with
`--dry-run`, `messages`: each channel's message as it would be sent."""

from __future__ import annotations

from typing import Any

from okrctl.notify.events import Event
from okrctl.notify.routing import Evaluation
from okrctl.report import JSON_VERSION
from okrctl.reporters import ReportOptions
from okrctl.reporters.safe_text import json_text, one_line


def notify_text(evaluation: Evaluation, options: ReportOptions) -> str:
    lines = []
    for event in evaluation.events:
        channels = evaluation.channels_of(event)
        where = f"  → {', '.join(channels)}" if channels else ""
        lines.append(one_line(f"{event.day}  {event.kind}  {event.ref}  {event.summary}{where}"))
        lines += [one_line(f"    {detail}") for detail in event.details]
    count = len(evaluation.events)
    since = f" since {evaluation.since.commit[:7]}" if evaluation.since is not None else ""
    lines.append(f"{count} event{'' if count == 1 else 's'}{since} as of {evaluation.as_of}")
    for channel, message in evaluation.messages:  # a dry run: what each channel would be sent
        lines += [f"--- the message to {channel}, not sent (dry run):", json_text(message).rstrip("\n")]
    return "\n".join(lines) + "\n"


def notify_json(evaluation: Evaluation, options: ReportOptions) -> str:
    since = evaluation.since
    document = {
        "version": JSON_VERSION,
        "as_of": evaluation.as_of.isoformat(),
        "since": None if since is None else {"commit": since.commit, "date": since.day.isoformat()},
        "routed": evaluation.ruled,
        "events": [event_document(event, evaluation.channels_of(event)) for event in evaluation.events],
    }
    if evaluation.messages:  # a dry run: what each channel would be sent
        document["messages"] = dict(evaluation.messages)
    return json_text(document)


def event_document(event: Event, channels: list[str]) -> dict[str, Any]:
    """An event's fields as JSON, with its fingerprint and the channels it goes to."""
    return {
        "kind": event.kind,
        "ref": event.ref,
        "day": event.day.isoformat(),
        "title": event.title,
        "owner": event.owner,
        "path": event.path,
        "transition": event.transition,
        "summary": event.summary,
        "cause": event.cause,
        "value": event.value,
        "unit": event.unit,
        "bounds": [{"band": band, "min": low, "max": high} for band, low, high in event.bounds],
        "commit": event.commit,
        "details": list(event.details),
        "rows": [{"ref": ref, "date": day.isoformat(), "value": value} for ref, day, value in event.rows],
        "fingerprint": event.fingerprint,
        "channels": channels,
    }
