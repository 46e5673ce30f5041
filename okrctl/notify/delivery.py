"""Sending each channel's message: a JSON POST to its webhook, with timeouts and retries (`okrctl.http`).

A webhook's whole URL is a secret — a Slack or Teams webhook carries its token in the path — so it comes from
the environment (`url: env:VARIABLE`) and a message names it as scheme://host[:port] and the channel's name,
never its path, query or password. Any 2xx answer is success (Slack answers 200 `ok`, a Teams Workflows webhook
202 Accepted). 429 and 5xx answers, timeouts and failed connections are tried again (`ATTEMPTS` tries in all,
after the server's Retry-After or a growing pause); any other 4xx is final. A failure never stops the other
channels: `deliver_all` tries every one and returns what happened to each, for the caller to print and exit on.

Time: each channel's delivery takes at most `timeout × ATTEMPTS + PAUSES` seconds (a retry that could not
finish within that budget is not made, and a Retry-After longer than PAUSES is cut to it), so a run cannot hang:
over n channels with the default timeout of 10 s, it takes at most n × 60 s.
"""

from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from okrctl.config import Channel
from okrctl.http import HttpError, check_address, request, shown

__all__ = ["ATTEMPTS", "PAUSES", "Delivery", "deliver", "deliver_all"]

ATTEMPTS = 3  # tries per channel: the first and two retries
BACKOFF = 1.0  # seconds before the first retry without a Retry-After; doubled for each next one
PAUSES = 30.0  # seconds of pauses between tries that a channel's budget allows, in all


@dataclass(frozen=True)
class Delivery:
    """What became of one channel's message; `status` is the last HTTP status (None when no answer came or
    nothing was sent), `attempts` the requests made (0 when none could be)."""

    channel: str
    ok: bool
    status: int | None
    attempts: int
    message: str


def webhook_address(channel: Channel, environ: Mapping[str, str] | None = None) -> tuple[str, str]:
    """The variable that holds the channel's webhook address, and the address ("" when it is not set)."""
    variable = channel.url.removeprefix("env:")
    return variable, (os.environ if environ is None else environ).get(variable, "").strip()


def deliver(
    name: str,
    channel: Channel,
    payload: Mapping[str, object],
    *,
    environ: Mapping[str, str] | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> Delivery:
    """POST `payload` as JSON to the channel `name`'s webhook; never raises for a failure of the network, the
    server or the environment: the returned Delivery says what went wrong."""
    variable, url = webhook_address(channel, environ)
    if not url:
        return Delivery(
            name,
            ok=False,
            status=None,
            attempts=0,
            message=f"channel {name}: not sent: its url comes from the environment variable {variable}, "
            "which is not set (or empty)",
        )
    if channel.type == "apprise":
        return _deliver_with_apprise(name, variable, url, payload)
    try:
        check_address(url, private_path=True)
    except HttpError as error:
        return Delivery(name, False, None, 0, f"channel {name}: not sent: the url in {variable}: {error}")
    pauses = 0

    def pause(seconds: float) -> None:  # each pause comes before one more attempt
        nonlocal pauses
        pauses += 1
        sleep(seconds)

    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    try:
        answer = request(
            "POST",
            url,
            body=body,
            headers={"Content-Type": "application/json; charset=utf-8"},
            timeout=channel.timeout,
            attempts=ATTEMPTS,
            backoff=BACKOFF,
            budget=channel.timeout * ATTEMPTS + PAUSES,
            max_wait=PAUSES,
            sleep=pause,
            private_path=True,
        )
    except HttpError as error:
        return Delivery(name, ok=False, status=error.status, attempts=pauses + 1, message=f"channel {name}: {error}")
    retried = f" after {pauses + 1} attempts" if pauses else ""
    return Delivery(
        name,
        ok=True,
        status=answer.status,
        attempts=pauses + 1,
        message=f"channel {name}: sent to {shown(url, path=False)} (HTTP {answer.status}){retried}",
    )


def _deliver_with_apprise(name: str, variable: str, url: str, payload: Mapping[str, object]) -> Delivery:
    """Hand the message to Apprise (the optional extra, imported only here), which knows how to reach the
    service its URL names; Apprise makes one attempt, with its own timeouts (`cto`, `rto` in the URL)."""
    try:
        import apprise
    except ImportError:
        message = "the apprise channel type needs the optional extra: pip install 'okrctl[apprise]'"
        return Delivery(name, False, None, 0, f"channel {name}: not sent: {message}")
    # Apprise logs what it does, addresses and answers included: keep its log (which could quote a token)
    # out of okrctl's output; the Delivery says what happened.
    log = logging.getLogger("apprise")
    log.addHandler(logging.NullHandler())
    log.propagate = False
    scheme = url.partition("://")[0] if "://" in url else "?"
    notifier = apprise.Apprise()
    if not notifier.add(url):
        problem = f"the url in {variable} is not an Apprise URL that apprise {apprise.__version__} knows ({scheme}://…)"
        return Delivery(name, False, None, 0, f"channel {name}: not sent: {problem}")
    sent = notifier.notify(
        title=str(payload.get("title", "")), body=str(payload.get("body", "")), body_format=apprise.NotifyFormat.TEXT
    )
    if not sent:
        return Delivery(
            name, False, None, 1, f"channel {name}: apprise could not send it to {scheme}://… (refused or no answer)"
        )
    return Delivery(name, True, None, 1, f"channel {name}: sent through apprise to {scheme}://…")


def deliver_all(
    messages: Sequence[tuple[str, Channel, Mapping[str, object]]],
    *,
    environ: Mapping[str, str] | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> list[Delivery]:
    """Each (channel name, channel, payload) delivered in turn, every one tried whatever became of the others;
    the results in the same order."""
    return [deliver(name, channel, payload, environ=environ, sleep=sleep) for name, channel, payload in messages]
