"""okrctl/notify/delivery.py against a real HTTP server on a loopback port: what the receiver sees, which
answers are success, retries and their pauses, timeouts, every channel tried, and a webhook URL (whose path is
the secret) in no message."""

from __future__ import annotations

import logging
import socket
import time
from typing import Literal

import pytest
from scripted_server import Answer, scripted_server

from okrctl.config import Channel
from okrctl.notify.delivery import ATTEMPTS, PAUSES, Delivery, deliver, deliver_all

PAYLOAD = {"text": "support/first-response entered red: 9.5 h (red above 8 h) — owner Zoë", "blocks": []}
SECRET_PATH = "/services/T000/B000/XXXXSECRET"
SECRET_PIECES = ("/services", "T000", "B000", "XXXXSECRET")


class Pauses:
    """Stands for time.sleep: records each pause and sleeps none of it."""

    def __init__(self) -> None:
        self.taken: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.taken.append(seconds)


def channel(
    kind: Literal["slack", "teams", "webhook", "apprise"] = "slack", variable: str = "OKR_HOOK", timeout: float = 2
) -> Channel:
    return Channel(type=kind, url=f"env:{variable}", timeout=timeout)


def send(url: str, *, timeout: float = 2, pauses: Pauses | None = None) -> Delivery:
    return deliver("alerts", channel(timeout=timeout), PAYLOAD, environ={"OKR_HOOK": url}, sleep=pauses or Pauses())


def test_the_receiver_gets_a_json_post_whose_body_is_the_payload() -> None:
    with scripted_server([Answer(200, b"ok")]) as server:
        delivery = send(server.url + SECRET_PATH)
    assert delivery == Delivery("alerts", True, 200, 1, f"channel alerts: sent to {server.url} (HTTP 200)")
    (received,) = server.received
    assert (received.method, received.path) == ("POST", SECRET_PATH)
    assert received.headers["content-type"] == "application/json; charset=utf-8"
    assert received.headers["user-agent"].startswith("okrctl/")
    assert received.json() == PAYLOAD
    assert "Zoë".encode() in received.body  # UTF-8, as the header says


@pytest.mark.parametrize(("status", "body"), [(200, b"ok"), (202, b""), (204, b"")])
def test_any_2xx_is_success(status: int, body: bytes) -> None:
    with scripted_server([Answer(status, body)]) as server:
        delivery = send(server.url + "/hook")
    assert (delivery.ok, delivery.status, delivery.attempts) == (True, status, 1)


def test_a_5xx_is_tried_again_after_a_pause() -> None:
    pauses = Pauses()
    with scripted_server([Answer(500, b"oops"), Answer(200, b"ok")]) as server:
        delivery = send(server.url + "/hook", pauses=pauses)
    assert delivery == Delivery(
        "alerts", True, 200, 2, f"channel alerts: sent to {server.url} (HTTP 200) after 2 attempts"
    )
    assert len(server.received) == 2
    assert server.received[0].body == server.received[1].body
    assert pauses.taken == [1.0]


def test_429_waits_as_long_as_its_retry_after_asks() -> None:
    pauses = Pauses()
    with scripted_server([Answer(429, b"rate_limited", {"Retry-After": "1"}), Answer(200, b"ok")]) as server:
        delivery = send(server.url + "/hook", pauses=pauses)
    assert (delivery.ok, delivery.attempts) == (True, 2)
    assert pauses.taken == [1.0]


def test_5xx_every_time_gives_up_after_the_attempts() -> None:
    pauses = Pauses()
    with scripted_server([Answer(503, b"busy")]) as server:
        delivery = send(server.url + "/hook", pauses=pauses)
    assert delivery == Delivery(
        "alerts",
        False,
        503,
        ATTEMPTS,
        f"channel alerts: POST {server.url}: HTTP 503 Service Unavailable: busy (after {ATTEMPTS} attempts)",
    )
    assert len(server.received) == ATTEMPTS
    assert pauses.taken == [1.0, 2.0]


@pytest.mark.parametrize(
    ("status", "body", "reason"),
    [(400, b"invalid_payload", "Bad Request"), (403, b"invalid_token", "Forbidden"), (404, b"no_service", "Not Found")],
)
def test_other_4xx_are_not_tried_again(status: int, body: bytes, reason: str) -> None:
    pauses = Pauses()
    with scripted_server([Answer(status, body), Answer(200, b"ok")]) as server:
        delivery = send(server.url + "/hook", pauses=pauses)
    assert delivery == Delivery(
        "alerts", False, status, 1, f"channel alerts: POST {server.url}: HTTP {status} {reason}: {body.decode()}"
    )
    assert len(server.received) == 1
    assert pauses.taken == []


def test_an_answer_later_than_the_timeout_is_tried_again_then_reported() -> None:
    started = time.monotonic()
    pauses = Pauses()
    with scripted_server([Answer(200, b"ok", delay=0.5)]) as server:
        delivery = send(server.url + "/hook", timeout=0.1, pauses=pauses)
    assert time.monotonic() - started < 0.1 * ATTEMPTS + 0.5
    assert delivery == Delivery(
        "alerts", False, None, ATTEMPTS, f"channel alerts: POST {server.url}: no answer within 0.1 s (after 3 attempts)"
    )
    assert pauses.taken == [1.0, 2.0]


def test_a_retry_after_longer_than_the_pauses_allowed_is_cut_to_them() -> None:
    pauses = Pauses()
    with scripted_server([Answer(429, b"", {"Retry-After": "3600"}), Answer(200, b"ok")]) as server:
        delivery = send(server.url + "/hook", pauses=pauses)
    assert (delivery.ok, delivery.attempts) == (True, 2)
    assert pauses.taken == [PAUSES]


class PausesOnTheClock(Pauses):
    """Pauses that the clock sees go by (as the budget is measured on it), without sleeping them."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        super().__init__()
        real = time.monotonic
        monkeypatch.setattr(time, "monotonic", lambda: real() + sum(self.taken))


def test_no_retry_is_made_that_could_not_finish_within_the_channel_s_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    pauses = PausesOnTheClock(monkeypatch)
    with scripted_server([Answer(429, b"", {"Retry-After": "20"})]) as server:
        # a budget of 0.1 s x 3 + 30 s: the first pause (20 s) fits, a second one would not
        delivery = send(server.url + "/hook", timeout=0.1, pauses=pauses)
    assert pauses.taken == [20.0]
    assert (delivery.ok, delivery.status, delivery.attempts) == (False, 429, 2)


def closed_port() -> int:
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port: int = unused.getsockname()[1]
    return port


def test_a_closed_port_is_tried_again_then_reported() -> None:
    port = closed_port()
    pauses = Pauses()
    delivery = send(f"http://127.0.0.1:{port}{SECRET_PATH}", pauses=pauses)
    assert delivery == Delivery(
        "alerts",
        False,
        None,
        ATTEMPTS,
        f"channel alerts: POST http://127.0.0.1:{port}: connection refused (after {ATTEMPTS} attempts)",
    )
    assert pauses.taken == [1.0, 2.0]


def test_every_channel_is_tried_when_one_fails() -> None:
    with (
        scripted_server([Answer(403, b"invalid_token")]) as slack,
        scripted_server([Answer(202, b"")]) as teams,
    ):
        deliveries = deliver_all(
            [
                ("alerts", channel("slack", "SLACK_HOOK"), {"text": "one"}),
                ("managers", channel("teams", "TEAMS_HOOK"), {"type": "message"}),
                ("nowhere", channel("webhook", "UNSET_HOOK"), {"version": "1"}),
            ],
            environ={"SLACK_HOOK": slack.url + SECRET_PATH, "TEAMS_HOOK": teams.url + "/workflows/1"},
            sleep=Pauses(),
        )
    assert [(d.channel, d.ok, d.status) for d in deliveries] == [
        ("alerts", False, 403),
        ("managers", True, 202),
        ("nowhere", False, None),
    ]
    assert [received.json() for received in teams.received] == [{"type": "message"}]


def test_a_variable_not_set_is_named_and_nothing_is_sent() -> None:
    delivery = deliver("alerts", channel(variable="OKR_SLACK_URL"), PAYLOAD, environ={"OKR_SLACK_URL": " "})
    assert delivery == Delivery(
        "alerts",
        False,
        None,
        0,
        "channel alerts: not sent: its url comes from the environment variable OKR_SLACK_URL, which is not set "
        "(or empty)",
    )


def test_the_process_environment_is_read_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    with scripted_server([Answer(200, b"ok")]) as server:
        monkeypatch.setenv("OKR_HOOK", server.url + "/hook")
        delivery = deliver("alerts", channel(), PAYLOAD, sleep=Pauses())
    assert delivery.ok
    assert len(server.received) == 1


@pytest.mark.parametrize(
    ("value", "said"),
    [
        (
            "hooks.example.com/services/T000/B000/XXXXSECRET",
            "only http and https addresses can be read, not an address with no scheme",
        ),
        ("ftp://h/services/T000/B000/XXXXSECRET", "only http and https addresses can be read, not a ftp: address"),
        ("http://[::1/services/T000/B000/XXXXSECRET", "the address is not a valid URL"),
        ("https:///services/T000/B000/XXXXSECRET", "the address https:// has no host"),
        (
            "https://hooks.example.com/services/T000/B000/XXXX SECRET",
            "the address is not a valid URL: it holds a space or a control character",
        ),
        (
            "https://" + "h" * 64 + ".example.com/services/T000/B000/XXXXSECRET",
            "the address has a host name that is not valid",
        ),
    ],
)
def test_an_address_that_cannot_be_used_is_not_quoted_and_nothing_is_sent(value: str, said: str) -> None:
    delivery = deliver("alerts", channel(), PAYLOAD, environ={"OKR_HOOK": value}, sleep=Pauses())
    assert delivery == Delivery("alerts", False, None, 0, f"channel alerts: not sent: the url in OKR_HOOK: {said}")
    assert [piece for piece in (*SECRET_PIECES, "hhhh") if piece in delivery.message] == []


def test_no_part_of_a_webhook_s_path_appears_in_any_message_or_log(
    caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]
) -> None:
    caplog.set_level(logging.DEBUG)
    echo = f"no such hook {SECRET_PATH}".encode()  # a server repeating the address it was asked for
    scripts = [
        [Answer(200, b"ok")],
        [Answer(500, echo), Answer(200, b"ok")],
        [Answer(404, echo)],
        [Answer(503, echo)],
        [Answer(429, echo, {"Retry-After": "1"})],
        [Answer(200, b"late", delay=0.5)],
        [Answer(hang_up=True)],
        [Answer(302, b"", {"Location": "http://elsewhere.invalid" + SECRET_PATH})],
        [Answer(303, b"", {"Location": SECRET_PATH + "/again"}), Answer(400, echo)],
    ]
    messages: list[str] = []
    for script in scripts:
        with scripted_server(script) as server:
            messages.append(send(server.url + SECRET_PATH, timeout=0.2).message)
    messages.append(send(f"http://127.0.0.1:{closed_port()}{SECRET_PATH}").message)
    messages.append(send(f"http://user:XXXXSECRET@127.0.0.1:{closed_port()}{SECRET_PATH}?token=XXXXSECRET").message)
    out, err = capsys.readouterr()
    said = "\n".join([*messages, caplog.text, out, err])
    assert [piece for piece in SECRET_PIECES if piece in said] == []
    assert all(message.startswith("channel alerts: ") for message in messages)
