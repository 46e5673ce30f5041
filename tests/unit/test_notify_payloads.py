"""The messages `okrctl notify` sends: Slack blocks and a Teams Adaptive Card checked against the documented
shapes (JSON schemas under tests/schemas), hostile user text escaped and clipped, limits kept with a count of
what did not fit, and a webhook body with Alertmanager's field names."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from okrctl.notify import payloads
from okrctl.notify.events import Event
from okrctl.notify.payloads import Context, payload
from okrctl.reporters.safe_text import one_line

SCHEMAS = Path(__file__).parent.parent / "schemas"
SLACK = jsonschema.Draft202012Validator(json.loads((SCHEMAS / "slack-blocks.schema.json").read_text()))
TEAMS = jsonschema.Draft202012Validator(json.loads((SCHEMAS / "teams-adaptive-card.schema.json").read_text()))
WEBHOOK = jsonschema.Draft202012Validator(json.loads((SCHEMAS / "okrctl-webhook.schema.json").read_text()))
CONTEXT = Context(as_of=date(2026, 11, 27), root="acme-goals", link="https://git.example.com/acme/goals/blob/main")

HOSTILE = [
    "**bold** _it_ ~strike~ `code` [click](https://evil.example) # Heading",
    "<!channel> <!here> <@U123> <#C999> <https://evil.example|click here>",
    "ping @here and @channel and @everyone",
    "<b>html</b> <img src=x onerror=alert(1)> &amp; &",
    "*bold* - not a list",
    "- starts a list",
    "1. starts a numbered list",
    "line one\nline two\r\n\tline three",
    "escape \x1b[31mred\x1b[0m bell \x07 nul \x00",
    "bidi \u202eevil\u202c \u2066isolate\u2069",
    "x" * 10_000,
    "&" * 10_000,
]


def event(**fields: Any) -> Event:
    defaults: dict[str, Any] = {
        "kind": "enter_red",
        "ref": "support/csat",
        "day": date(2026, 11, 20),
        "title": "Customer satisfaction",
        "owner": "support",
        "path": "goals/support/2026-Q4.yaml",
        "transition": "amber→red",
        "summary": "Customer satisfaction entered red: 71% on 2026-11-20 (green ≥ 85, amber ≥ 75)",
        "cause": "measurement",
        "value": 71.0,
        "unit": "%",
        "bounds": (("green", 85.0, None), ("amber", 75.0, None)),
    }
    return Event(**{**defaults, **fields})


def one_of_each() -> list[Event]:
    return [
        event(),
        event(
            kind="enter_amber",
            ref="support/frt",
            title="First response",
            transition="green→amber",
            value=3.5,
            unit="h",
            bounds=(("green", None, 2.0), ("amber", None, 4.0)),
        ),
        event(kind="recover", ref="support/nps", title="NPS", transition="red→green", value=41.0, unit=None),
        event(
            kind="stale",
            ref="ops/uptime",
            owner="ops",
            title="Uptime",
            transition="stale",
            cause="time",
            summary="Uptime has no value since 2026-10-01",
            value=None,
            unit=None,
            bounds=(),
        ),
        event(
            kind="off_track",
            ref="support/delight",
            title="Delight customers",
            transition="at_risk→off_track",
            cause="checkin",
            value=None,
            unit=None,
            bounds=(),
            summary="Delight customers is off track",
        ),
        event(
            kind="goalpost",
            ref="support/delight/kr1",
            title="Reply within a day",
            transition="OKR401",
            cause="commit",
            commit="a" * 40,
            value=None,
            unit=None,
            bounds=(),
            summary="the target of Reply within a day moved from 24 to 48 after the period started",
        ),
        event(
            kind="reminder",
            ref="support",
            title="support",
            transition="overdue",
            cause="time",
            value=None,
            unit=None,
            bounds=(),
            summary="3 key results without a check-in for 14 days",
            details=tuple(f"support/delight/kr{n}: last check-in 2026-10-{n:02}" for n in range(1, 9)),
        ),
    ]


def hostile_events() -> list[Event]:
    return [
        event(ref=f"team/kpi{n}", title=text, summary=text, owner=text[:200], unit=text[:50], details=(text, text))
        for n, text in enumerate(HOSTILE)
    ]


def many_events(count: int) -> list[Event]:
    kinds = ("enter_red", "enter_amber", "recover", "stale")
    return [
        event(
            kind=kinds[n % 4],
            ref=f"team{n % 7}/kpi{n}",
            title=f"KPI number {n} " + "word " * 40,
            summary="a long summary " * 30,
        )
        for n in range(count)
    ]


def slack_texts(message: dict[str, Any]) -> list[str]:
    texts = [message["text"]]
    for block in message["blocks"]:
        if "text" in block:
            texts.append(block["text"]["text"])
        texts += [element["text"] for element in block.get("elements", [])]
    return texts


def card(message: dict[str, Any]) -> dict[str, Any]:
    content: dict[str, Any] = message["attachments"][0]["content"]
    return content


def teams_texts(message: dict[str, Any]) -> list[str]:
    texts = []
    for item in card(message)["body"]:
        if item["type"] == "TextBlock":
            texts.append(item["text"])
        else:
            texts += [fact["value"] for fact in item["facts"]] + [fact["title"] for fact in item["facts"]]
    return texts


def slack_event_count(message: dict[str, Any]) -> int:
    return sum(text.count("\n• ") + text.startswith("• ") for text in slack_texts(message)[1:])


def teams_event_count(message: dict[str, Any]) -> int:
    return sum(item["type"] == "FactSet" for item in card(message)["body"])


def hidden_count(texts: list[str]) -> int:
    found = [re.search(r"… and (\d+) more: run `?okrctl notify --dry-run", text) for text in texts]
    numbers = [int(match.group(1)) for match in found if match]
    assert len(numbers) <= 1
    return numbers[0] if numbers else 0


@pytest.mark.parametrize(
    "events", [[], one_of_each(), hostile_events(), many_events(200)], ids=["none", "each", "hostile", "200"]
)
def test_every_slack_message_and_teams_card_has_the_documented_shape(events: list[Event]) -> None:
    SLACK.validate(payload("slack", events, CONTEXT))
    teams = payload("teams", events, CONTEXT)
    TEAMS.validate(teams)
    assert len(json.dumps(teams).encode()) < payloads.TEAMS_MAX_BYTES
    WEBHOOK.validate(payload("webhook", events, CONTEXT, channel_name="hook"))


def test_the_schemas_refuse_what_slack_and_teams_refuse() -> None:
    """The schemas are the test's eyes: a message over a limit must fail them."""
    for validator in (SLACK, TEAMS, WEBHOOK):
        jsonschema.Draft202012Validator.check_schema(validator.schema)
    message = payload("slack", one_of_each(), CONTEXT)
    too_many = {**message, "blocks": message["blocks"] * 20}
    long_header = {**message, "blocks": [{"type": "header", "text": {"type": "plain_text", "text": "h" * 151}}]}
    long_section = {**message, "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "s" * 3001}}]}
    for wrong in (too_many, long_header, long_section, {**message, "blocks": [{"type": "sektion"}]}):
        assert not SLACK.is_valid(wrong)
    teams = payload("teams", one_of_each(), CONTEXT)
    wrong_version = json.loads(json.dumps(teams))
    card(wrong_version)["version"] = "1.5"
    wrong_size = json.loads(json.dumps(teams))
    card(wrong_size)["body"][0]["size"] = "Huge"
    for wrong in (wrong_version, wrong_size):
        assert not TEAMS.is_valid(wrong)


def test_one_message_groups_every_event_by_kind_worst_news_first() -> None:
    events = one_of_each()
    message = payload("slack", list(reversed(events)), CONTEXT)
    sections = "\n".join(b["text"]["text"] for b in message["blocks"] if b["type"] == "section")
    headings = re.findall(r"^\*([^*]+)\* \(1\)$", sections, re.MULTILINE)
    assert headings == [payloads.KIND_HEADINGS[kind] for kind in payloads.KIND_ORDER]
    assert slack_event_count(message) == len(events)
    assert message["blocks"][0]["text"]["text"] == "okrctl: 7 events in acme-goals"
    assert (
        "7 events in acme-goals as of 2026-11-27: entered red: 1, off track, or back on track: 1, entered amber: 1"
        in message["text"]
    )
    teams = payload("teams", events, CONTEXT)
    bolder = [item["text"] for item in card(teams)["body"] if item.get("size") == "Medium"]
    assert bolder == [f"{payloads.KIND_HEADINGS[kind]} (1)" for kind in payloads.KIND_ORDER]
    assert teams_event_count(teams) == len(events)


def test_each_event_says_what_crossed_its_value_bounds_date_owner_and_the_command_to_see_more() -> None:
    red, amber, _, stale, off_track, goalpost, reminder = one_of_each()
    slack = "\n".join(slack_texts(payload("slack", [red, amber, reminder, off_track, goalpost], CONTEXT)))
    teams = "\n".join(teams_texts(payload("teams", [red, amber, reminder, off_track, goalpost], CONTEXT)))
    for text in (slack, teams):
        for expected in (
            "amber→red",
            "71%",
            "green ≥ 85, amber ≥ 75",
            "2026-11-20",
            "support",
            "okrctl history support/csat",
            "3.5 h",
            "green ≤ 2, amber ≤ 4",
            "okrctl status --owner support",  # an objective's pace, a reminder
            "okrctl history support/delight/kr1",  # a goal post
            "aaaaaaaaaaaa",  # its commit, short
            "support/delight/kr5: last check-in 2026-10-05",  # a reminder's key results, five of them
            "and 3 more",
        ):
            assert expected in text, expected
        assert "kr6" not in text
    assert "<https://git.example.com/acme/goals/blob/main/goals/support/2026-Q4.yaml|open>" in slack
    assert "[open](https://git.example.com/acme/goals/blob/main/goals/support/2026-Q4.yaml)" in teams
    assert "Value" not in "\n".join(teams_texts(payload("teams", [stale], CONTEXT)))  # no value, no line for it


def test_hostile_text_cannot_mention_link_or_format_in_slack() -> None:
    message = payload("slack", hostile_events(), replace(CONTEXT, link=None))
    SLACK.validate(message)
    for text in slack_texts(message):
        codes = re.findall(r"`([^`]*)`", text)  # references and commands, shown as code to be copied
        assert codes == [] or all("<" not in code and ">" not in code for code in codes)
        text = re.sub(r"`[^`]*`", "", text)
        assert "<" not in text and ">" not in text  # no mention, no link: `&lt;!channel&gt;` is text
        assert re.search(r"&(?!amp;|lt;|gt;)", text) is None  # every `&` is an entity's
        assert not re.search(r"@(here|channel|everyone)", text)
        assert "`" not in text and "~" not in text and "_" not in text.replace("ˍ", "")
        assert "*bold*" not in text and "**" not in text
        assert not any(ord(c) < 0x20 and c != "\n" for c in text) and "\u202e" not in text and "\u2066" not in text
    mrkdwn = [b["text"] for b in message["blocks"] if b["type"] == "section"]
    mrkdwn += [element for b in message["blocks"] for element in b.get("elements", [])]
    assert all(text["verbatim"] for text in mrkdwn)  # no URL or #channel in a title turned into a link
    sections = [b["text"]["text"] for b in message["blocks"] if b["type"] == "section"]
    joined = "\n".join(sections)
    assert "&lt;!channel&gt; &lt;!here&gt; &lt;@\u2060U123&gt;" in joined
    assert "&lt;https://evil.example|click here&gt;" in joined
    assert "∗bold∗" in joined and "@\u2060here" in joined
    assert "line one line two line three" in joined  # on one line
    assert "\\x1b[31mred\\x1b[0m" in joined and "\\u202eevil" in joined  # shown escaped, not acted on
    assert "• *" + "x" * 199 + "…* `team/kpi10`" in joined  # a 10,000-character title, clipped
    assert "x" * 400 not in joined  # and its summary
    assert all(len(text) <= payloads.SLACK_SECTION_CHARS for text in sections)
    assert slack_event_count(message) == len(HOSTILE)


def test_hostile_text_cannot_format_or_link_in_a_teams_card() -> None:
    message = payload("teams", hostile_events(), replace(CONTEXT, link=None))
    TEAMS.validate(message)
    texts = teams_texts(message)
    joined = "\n".join(texts)
    assert "\\*\\*bold\\*\\* \\_it\\_ \\~strike\\~ \\`code\\` \\[click\\](https://evil.example)" in joined
    assert "[click](" not in joined.replace("\\[click\\](", "")
    for text in texts:
        assert not re.match(r"\s*([-+#>]|\d+[.)])", text)  # no user text starts a list or a heading
        assert "\n" not in text and "\r" not in text and "\u202e" not in text
        assert len(text) <= 500
    assert "\\- starts a list" in joined and "1\\. starts a numbered list" in joined
    assert "x" * 190 + "…" in joined


def test_two_hundred_events_keep_slack_limits_and_count_what_did_not_fit() -> None:
    events = many_events(200)
    message = payload("slack", events, CONTEXT)
    SLACK.validate(message)
    assert len(message["blocks"]) <= payloads.SLACK_MAX_BLOCKS
    shown = slack_event_count(message)
    hidden = hidden_count(slack_texts(message))
    assert 0 < shown < 200 and shown + hidden == 200
    assert message["blocks"][-1]["elements"][0]["text"] == "See everything: `okrctl notify --dry-run`"


def test_two_hundred_events_keep_a_teams_card_under_its_size_and_count_what_did_not_fit() -> None:
    message = payload("teams", many_events(200), CONTEXT)
    assert len(json.dumps(message).encode()) < payloads.TEAMS_MAX_BYTES
    shown = teams_event_count(message)
    assert 0 < shown < 200 and shown + hidden_count(teams_texts(message)) == 200


def test_a_message_that_fits_says_nothing_is_left_out() -> None:
    for channel_type in ("slack", "teams"):
        message = payload(channel_type, one_of_each(), CONTEXT)
        texts = slack_texts(message) if channel_type == "slack" else teams_texts(message)
        assert hidden_count(texts) == 0


def test_the_command_to_see_everything_is_the_contexts() -> None:
    context = replace(CONTEXT, command="okrctl notify goals/ --dry-run --as-of 2026-11-27")
    message = payload("slack", many_events(200), context)
    assert "more: run `okrctl notify goals/ --dry-run --as-of 2026-11-27`" in "\n".join(slack_texts(message))


def test_a_webhook_body_uses_alertmanagers_field_names_and_statuses() -> None:
    events = one_of_each()
    body = payload("webhook", events, CONTEXT, channel_name="ops-hook")
    assert body["version"] == "okrctl/1" and body["receiver"] == "ops-hook" and body["status"] == "firing"
    assert set(body) >= {"groupLabels", "commonLabels", "commonAnnotations", "externalURL", "alerts"}
    assert body["externalURL"] == CONTEXT.link
    by_ref = {alert["labels"]["ref"]: alert for alert in body["alerts"]}
    assert [a["eventFingerprint"] for a in body["alerts"]] == [e.fingerprint for e in payloads._ordered(events)]
    assert sorted(alert["eventFingerprint"] for alert in body["alerts"]) == sorted(e.fingerprint for e in events)
    red = by_ref["support/csat"]
    assert red["status"] == "firing"
    assert red["labels"] == {"alertname": "okrctl_kpi_band", "ref": "support/csat", "owner": "support"}
    assert red["annotations"]["kind"] == "enter_red"
    assert red["annotations"]["summary"] == events[0].summary
    assert "Value: 71%; Bounds: green ≥ 85, amber ≥ 75; Date: 2026-11-20" in red["annotations"]["description"]
    assert red["startsAt"] == "2026-11-20T00:00:00Z" and red["endsAt"] == "0001-01-01T00:00:00Z"
    assert red["value"] == 71.0 and red["unit"] == "%"
    assert red["bounds"] == [{"band": "green", "min": 85.0, "max": None}, {"band": "amber", "min": 75.0, "max": None}]
    assert red["generatorURL"] == "https://git.example.com/acme/goals/blob/main/goals/support/2026-Q4.yaml"
    recovered = by_ref["support/nps"]
    assert recovered["status"] == "resolved" and recovered["endsAt"] == "2026-11-20T00:00:00Z"
    assert by_ref["support/delight"]["status"] == "firing"
    assert body["commonLabels"] == {}  # no label shared by all seven
    json.dumps(body, allow_nan=False)  # strict JSON


def test_a_recovery_resolves_the_alert_it_ends_by_labels_and_fingerprint() -> None:
    """A receiver pairs a resolved alert with the firing one as Alertmanager does: the same labels, the same
    `fingerprint`; each event keeps its own in `eventFingerprint`."""
    red = event(kind="enter_red", transition="green→red", day=date(2026, 11, 2))
    still = event(kind="enter_red", transition="still red", day=date(2026, 11, 9), episode=date(2026, 11, 2))
    back = event(kind="recover", transition="red→green", day=date(2026, 11, 16))
    other = event(kind="enter_red", ref="support/nps", transition="green→red")
    alerts = {
        a["eventFingerprint"]: a for a in payload("webhook", [red, still, back, other], CONTEXT, "hook")["alerts"]
    }
    fired, repeated, resolved, elsewhere = (alerts[e.fingerprint] for e in (red, still, back, other))
    assert fired["labels"] == repeated["labels"] == resolved["labels"] != elsewhere["labels"]
    assert fired["fingerprint"] == repeated["fingerprint"] == resolved["fingerprint"] != elsewhere["fingerprint"]
    assert (fired["status"], resolved["status"]) == ("firing", "resolved")
    assert repeated["startsAt"] == fired["startsAt"] == "2026-11-02T00:00:00Z"  # still the alert of the 2nd
    assert len({fired["eventFingerprint"], repeated["eventFingerprint"], resolved["eventFingerprint"]}) == 3


@pytest.mark.parametrize(
    ("transition", "status"),
    [
        ("on_track→off_track", "firing"),
        ("at_risk→off_track", "firing"),
        ("off_track→at_risk", "resolved"),
        ("off_track→on_track", "resolved"),
    ],
)
def test_an_objective_leaving_off_track_is_resolved(transition: str, status: str) -> None:
    body = payload("webhook", [event(kind="off_track", transition=transition)], CONTEXT, channel_name="hook")
    assert body["alerts"][0]["status"] == body["status"] == status


def test_a_webhook_body_is_resolved_when_nothing_fires_and_keeps_every_event() -> None:
    recovered = [event(kind="recover", ref=f"t/k{n}", transition="red→green") for n in range(3)]
    body = payload("webhook", recovered, CONTEXT, channel_name="hook")
    assert body["status"] == "resolved"
    assert body["commonLabels"] == {"alertname": "okrctl_kpi_band", "owner": "support"}
    everything = payload("webhook", many_events(200), CONTEXT, channel_name="hook")
    assert len(everything["alerts"]) == 200 and everything["truncatedAlerts"] == 0
    too_many = payload("webhook", many_events(payloads.WEBHOOK_ALERTS + 7), CONTEXT, channel_name="hook")
    assert len(too_many["alerts"]) == payloads.WEBHOOK_ALERTS and too_many["truncatedAlerts"] == 7
    hostile = payload("webhook", hostile_events(), CONTEXT, channel_name="hook")
    assert [a["annotations"]["title"] for a in hostile["alerts"]] == [
        one_line(e.title) for e in payloads._ordered(hostile_events())
    ]


@pytest.mark.parametrize("channel_type", ["slack", "teams", "webhook"])
def test_the_test_message_says_okrctl_can_post_here_for_which_goals_and_when(channel_type: str) -> None:
    message = payloads.test_payload(channel_type, "alerts", CONTEXT)
    text = json.dumps(message, ensure_ascii=False)
    assert "okrctl can post here" in text and "acme-goals" in text and "2026-11-27" in text and "alerts" in text
    if channel_type == "slack":
        SLACK.validate(message)
    elif channel_type == "teams":
        TEAMS.validate(message)
    else:
        WEBHOOK.validate(message)
        assert message["status"] == "resolved" and message["alerts"] == [] and message["test"] is True


def test_the_test_message_escapes_a_hostile_channel_name() -> None:
    message = payloads.test_payload("slack", "<!channel> *x*", CONTEXT)
    assert "&lt;!channel&gt; ∗x∗" in message["blocks"][1]["text"]["text"]


@pytest.mark.parametrize("link", ["javascript:alert(1)", "https://x.example/a|b", "https://x.example/>", "ftp://x", ""])
def test_a_link_base_that_would_break_a_link_is_refused(link: str) -> None:
    with pytest.raises(ValueError, match="not an http"):
        Context(as_of=date(2026, 11, 27), root="g", link=link)


def test_a_goal_files_path_is_percent_encoded_in_its_link() -> None:
    odd = event(path="goals/a b|c>(d).yaml")
    assert CONTEXT.link_of(odd) == "https://git.example.com/acme/goals/blob/main/goals/a%20b%7Cc%3E%28d%29.yaml"
    assert replace(CONTEXT, link=None).link_of(odd) is None


def test_an_unknown_channel_type_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown channel type 'irc'"):
        payload("irc", [], CONTEXT)
    with pytest.raises(ValueError, match="unknown channel type 'irc'"):
        payloads.test_payload("irc", "x", CONTEXT)


@pytest.mark.parametrize("text", ["&" * 50, "a&b<c>d" * 20, "x" * 100, "*_~`@" * 20, "é" * 100])
@pytest.mark.parametrize("limit", [1, 2, 5, 17, 40])
def test_clipping_keeps_the_limit_once_escaped_and_never_cuts_an_escape(text: str, limit: int) -> None:
    for escape in (payloads._slack_escape, payloads._teams_escape):
        clipped = payloads._clip(text, limit, escape)
        assert len(clipped) <= limit and clipped.endswith("…")
        assert escape(text).startswith(clipped[:-1])
    assert not re.search(r"&[a-z]*$", payloads._clip("&" * 50, 17, payloads._slack_escape)[:-1].replace("&amp;", ""))


def test_the_goals_root_is_escaped_and_clipped_in_a_slack_header() -> None:
    hostile = replace(CONTEXT, root="<!channel> & *team*")
    header = payload("slack", one_of_each(), hostile)["blocks"][0]["text"]["text"]
    assert header == "okrctl: 7 events in &lt;!channel&gt; &amp; *team*"  # plain text: only the entities
    long_root = payload("slack", one_of_each(), replace(CONTEXT, root="r" * 10_000))
    SLACK.validate(long_root)
    assert long_root["blocks"][0]["text"]["text"].endswith("r…")
    TEAMS.validate(payload("teams", one_of_each(), replace(CONTEXT, root="r" * 10_000)))


def test_an_event_with_every_field_at_its_longest_fits_one_slack_section() -> None:
    text = "<&>*" * 2_500
    longest = event(
        title=text,
        ref=text,
        owner=text,
        unit=text,
        summary=text,
        transition=text,
        commit="f" * 40,
        path="p" * 250,
        details=(text,) * 9,
        bounds=(("green", 1e300, 2e300), ("amber", -1e300, 1e-300)),
    )
    context = replace(CONTEXT, link="https://git.example.com/" + "b" * 80)
    message = payload("slack", [longest], context)
    SLACK.validate(message)
    assert slack_event_count(message) == 1
    assert "|open>" in "\n".join(slack_texts(message))  # a 400-character address still shows
    TEAMS.validate(payload("teams", [longest], context))


def test_an_address_too_long_to_show_is_left_out() -> None:
    assert CONTEXT.link_of(event(path="p" * 500)) is None
    text = "\n".join(slack_texts(payload("slack", [event(path="p" * 500)], CONTEXT)))
    assert "|open>" not in text and "• *Customer satisfaction* `support/csat`\n" in text


def test_a_thousand_short_events_keep_slacks_block_count() -> None:
    events = [event(ref=f"t/k{n}", title="t", summary="s") for n in range(1000)]
    message = payload("slack", events, CONTEXT)
    SLACK.validate(message)
    shown = slack_event_count(message)
    assert shown + hidden_count(slack_texts(message)) == 1000 and shown < 1000


def test_a_card_of_characters_outside_ascii_stays_under_teams_limit_however_it_is_encoded() -> None:
    events = [event(ref=f"t/k{n}", title="🚀é漢" * 100, summary="🚀" * 400) for n in range(200)]
    message = payload("teams", events, CONTEXT)
    TEAMS.validate(message)
    assert len(json.dumps(message).encode()) < payloads.TEAMS_MAX_BYTES
    assert len(json.dumps(message, ensure_ascii=False).encode()) < payloads.TEAMS_MAX_BYTES
    assert hidden_count(teams_texts(message)) > 0


def test_no_events_make_a_message_without_a_dangling_list() -> None:
    message = payload("slack", [], CONTEXT)
    assert message["text"] == "okrctl: 0 events in acme-goals as of 2026-11-27"
    assert payload("webhook", [], CONTEXT, channel_name="hook")["status"] == "resolved"


def test_a_webhook_body_has_user_text_on_one_line_and_encodes_as_utf8() -> None:
    odd = event(title="a\nb \u202eevil", path=b"bad\xff.yaml".decode("utf-8", "surrogateescape"), details=("x\ty",))
    body = payload("webhook", [odd], CONTEXT, channel_name="hook\n2")
    alert = body["alerts"][0]
    assert alert["annotations"]["title"] == "a b \\u202eevil"
    assert alert["path"] == "bad\\xff.yaml" and alert["details"] == ["x y"] and body["receiver"] == "hook 2"
    assert alert["generatorURL"].endswith("/bad%FF.yaml")  # the file name's own byte
    json.dumps(body, ensure_ascii=False).encode()  # no lone surrogate left


def test_references_and_commands_can_be_copied_from_slack_as_they_are() -> None:
    odd = event(kind="reminder", ref="first_response", owner="team_a*b", title="t")
    text = "\n".join(slack_texts(payload("slack", [odd, event(ref="support/first_response")], CONTEXT)))
    assert "`support/first_response`" in text and "`okrctl history support/first_response`" in text
    assert "`okrctl status --owner 'team_a*b'`" in text
    hostile = "\n".join(slack_texts(payload("slack", [event(ref="a`b<!here>")], CONTEXT)))
    assert "`aˋb&lt;!here&gt;`" in hostile  # a backtick cannot end the code span
