"""The last step of `okrctl notify`: each channel's events as one message, shown (`--dry-run`) or sent.

The evaluation (which events, to which channels) is printed before anything is sent, so a run whose delivery
fails still says what it would have told; then every channel is tried, and a failure exits 3 once the others
are sent. A channel with no event gets no message.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence

from okrctl.config import Config
from okrctl.notify import payloads
from okrctl.notify.delivery import Delivery, deliver_all, webhook_address
from okrctl.notify.events import Event
from okrctl.reporters.safe_text import guard_commands, one_line

EXIT_DELIVERY_FAILED = 3


def messages(
    routed: Sequence[tuple[str, list[Event]]], config: Config, context: payloads.Context
) -> list[tuple[str, dict[str, object]]]:
    """Each channel that has events, with its message (in the config's order of channels)."""
    channels = config.notify.channels
    return [
        (name, payloads.payload(channels[name].type, events, context, channel_name=name))
        for name, events in routed
        if events
    ]


def send(routed: Sequence[tuple[str, list[Event]]], config: Config, context: payloads.Context, dry_run: bool) -> int:
    """Show (dry run) or send each channel's message: 0 when every one was sent, 3 when one failed."""
    built = messages(routed, config, context)
    if dry_run:
        for name, message in built:
            kind = config.notify.channels[name].type
            print(f"--- {name} ({kind}): the message okrctl would send")
            print(json.dumps(message, indent=2, ensure_ascii=False))
        return 0
    channels = config.notify.channels
    return _report(deliver_all([(name, channels[name], message) for name, message in built]))


def send_test(name: str, config: Config, context: payloads.Context) -> int:
    """`--test CHANNEL`: a message saying okrctl can post there, whatever the events."""
    channel = config.notify.channels[name]
    message = payloads.test_payload(channel.type, name, context)
    return _report(deliver_all([(name, channel, message)]))


def unusable(name: str, config: Config) -> str:
    """Why the channel's message could not be sent at all ("" if it could): its variable not set."""
    variable, url = webhook_address(config.notify.channels[name])
    return "" if url else f"channel {name}: {variable} is not set"


def _report(deliveries: list[Delivery]) -> int:
    """Each delivery on standard error (standard output holds the evaluation, which may be JSON)."""
    for delivery in deliveries:
        if delivery.ok:
            print(guard_commands(one_line(f"okrctl: sent to {delivery.channel}")), file=sys.stderr)
        else:
            print(guard_commands(one_line(f"okrctl: error: {delivery.message}")), file=sys.stderr)
    return EXIT_DELIVERY_FAILED if any(not delivery.ok for delivery in deliveries) else 0
