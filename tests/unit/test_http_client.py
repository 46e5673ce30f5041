"""okrctl/http.py against a real HTTP server on a loopback port: statuses, retries and their pauses, Retry-After,
timeouts, and messages that never show a secret of the URL."""

from __future__ import annotations

import socket
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest
from scripted_server import Answer, Received, scripted_server

from okrctl.http import HttpError, _same_server, check_address, request, shown


class Pauses:
    """Stands for time.sleep: records each pause and sleeps none of it."""

    def __init__(self) -> None:
        self.taken: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.taken.append(seconds)


def test_an_answer_gives_its_status_headers_and_body_and_the_parameters_are_sent() -> None:
    with scripted_server([Answer(200, b'{"a": 1}', {"X-Thing": "yes"})]) as server:
        answer = request("GET", server.url + "/api/v1/query", params={"query": "up{a='b c'}", "time": "1"}, timeout=2)
    assert answer.status == 200
    assert answer.body == b'{"a": 1}'
    assert answer.headers["x-thing"] == "yes"
    assert server.received[0].path == "/api/v1/query?query=up%7Ba%3D%27b+c%27%7D&time=1"
    assert server.received[0].headers["user-agent"].startswith("okrctl/")


def test_parameters_are_added_to_a_query_the_url_already_has_and_a_body_is_posted() -> None:
    with scripted_server([Answer(204, b"")]) as server:
        answer = request(
            "POST",
            server.url + "/hook?org=1",
            params={"x": "2"},
            body=b'{"text": "hi"}',
            headers={"Content-Type": "application/json"},
            timeout=2,
        )
    assert answer.status == 204
    (received,) = server.received
    assert (received.method, received.path, received.body) == ("POST", "/hook?org=1&x=2", b'{"text": "hi"}')
    assert received.headers["content-type"] == "application/json"


def test_5xx_and_429_are_tried_again_with_growing_pauses_until_one_succeeds() -> None:
    pauses = Pauses()
    script = [Answer(503, b"busy"), Answer(429, b"slow down"), Answer(500, b"oops"), Answer(200, b"done")]
    with scripted_server(script) as server:
        answer = request("GET", server.url + "/x", timeout=2, attempts=4, backoff=0.01, sleep=pauses)
    assert answer.body == b"done"
    assert len(server.received) == 4
    assert pauses.taken == [0.01, 0.02, 0.04]


def test_the_last_failure_is_reported_on_one_line_with_the_number_of_attempts() -> None:
    pauses = Pauses()
    with (
        scripted_server([Answer(502, b"\n  upstream   gone\nsecond line\n")]) as server,
        pytest.raises(HttpError) as raised,
    ):
        request("GET", server.url + "/api/v1/query", timeout=2, attempts=3, backoff=0.01, sleep=pauses)
    assert str(raised.value) == f"GET {server.url}/api/v1/query: HTTP 502 Bad Gateway: upstream gone (after 3 attempts)"
    assert raised.value.status == 502
    assert raised.value.body.startswith(b"\n  upstream")
    assert len(server.received) == 3
    assert len(pauses.taken) == 2


@pytest.mark.parametrize("status", [400, 401, 403, 404, 422])
def test_other_4xx_are_final(status: int) -> None:
    pauses = Pauses()
    with scripted_server([Answer(status, b"no")]) as server, pytest.raises(HttpError) as raised:
        request("GET", server.url + "/x", timeout=2, sleep=pauses)
    assert len(server.received) == 1
    assert pauses.taken == []
    assert raised.value.status == status
    assert f"HTTP {status} " in str(raised.value)
    assert "attempts" not in str(raised.value)


def test_a_long_body_is_shortened_in_the_message() -> None:
    with scripted_server([Answer(400, b"x" * 5000)]) as server, pytest.raises(HttpError) as raised:
        request("GET", server.url + "/x", timeout=2)
    assert len(str(raised.value)) < 250
    assert str(raised.value).endswith("x…")


def test_retry_after_in_seconds_sets_the_pause() -> None:
    pauses = Pauses()
    with scripted_server([Answer(429, b"", {"Retry-After": "3"}), Answer(200, b"ok")]) as server:
        request("GET", server.url + "/x", timeout=2, backoff=0.01, sleep=pauses)
    assert pauses.taken == [3.0]


def test_retry_after_is_capped() -> None:
    pauses = Pauses()
    with scripted_server([Answer(503, b"", {"Retry-After": "86400"}), Answer(200, b"ok")]) as server:
        request("GET", server.url + "/x", timeout=2, max_wait=7, sleep=pauses)
    assert pauses.taken == [7]


def test_retry_after_as_an_http_date() -> None:
    pauses = Pauses()
    later = format_datetime(datetime.now(UTC) + timedelta(seconds=30), usegmt=True)
    past = format_datetime(datetime(2020, 1, 1, tzinfo=UTC), usegmt=True)
    script = [Answer(503, b"", {"Retry-After": later}), Answer(503, b"", {"Retry-After": past}), Answer(200)]
    with scripted_server(script) as server:
        request("GET", server.url + "/x", timeout=2, attempts=3, backoff=0.01, sleep=pauses)
    assert 25 < pauses.taken[0] <= 30
    assert pauses.taken[1] == 0


def test_an_unreadable_retry_after_falls_back_to_the_backoff() -> None:
    pauses = Pauses()
    with scripted_server([Answer(503, b"", {"Retry-After": "soon"}), Answer(200)]) as server:
        request("GET", server.url + "/x", timeout=2, backoff=0.25, sleep=pauses)
    assert pauses.taken == [0.25]


def test_no_retry_whose_pause_would_overrun_the_budget() -> None:
    pauses = Pauses()
    with (
        scripted_server([Answer(503, b"", {"Retry-After": "20"}), Answer(200)]) as server,
        pytest.raises(HttpError, match="HTTP 503"),
    ):
        request("GET", server.url + "/x", timeout=2, budget=10, sleep=pauses)
    assert pauses.taken == []
    assert len(server.received) == 1


def test_a_slow_answer_is_a_timeout_and_is_tried_again() -> None:
    pauses = Pauses()
    with scripted_server([Answer(200, b"late", delay=0.5), Answer(200, b"quick")]) as server:
        started = time.monotonic()
        answer = request("GET", server.url + "/x", timeout=0.1, backoff=0.01, sleep=pauses)
    assert answer.body == b"quick"
    assert time.monotonic() - started < 0.45
    assert pauses.taken == [0.01]


def test_timeouts_every_time_say_so() -> None:
    with scripted_server([Answer(200, b"late", delay=0.3)]) as server, pytest.raises(HttpError) as raised:
        request("GET", server.url + "/x", timeout=0.05, attempts=2, sleep=Pauses())
    assert str(raised.value) == f"GET {server.url}/x: no answer within 0.05 s (after 2 attempts)"
    assert raised.value.status is None


def test_a_connection_closed_without_an_answer_is_tried_again() -> None:
    with scripted_server([Answer(hang_up=True), Answer(200, b"back")]) as server:
        answer = request("GET", server.url + "/x", timeout=2, sleep=Pauses())
    assert answer.body == b"back"


def test_a_refused_connection_is_tried_again_then_reported() -> None:
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    pauses = Pauses()
    with pytest.raises(HttpError) as raised:
        request("GET", f"http://127.0.0.1:{port}/api", timeout=1, attempts=2, sleep=pauses)
    assert str(raised.value) == f"GET http://127.0.0.1:{port}/api: connection refused (after 2 attempts)"
    assert len(pauses.taken) == 1


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://me:pw@example.com/x", "only http and https addresses can be read, not a ftp: address"),
        ("file:///etc/passwd", "only http and https addresses can be read, not a file: address"),
        ("example.com/x", "only http and https addresses can be read, not an address with no scheme"),
        ("http://example.com:port/x", "the address is not a valid URL"),
        ("http:///x", "the address http:///x has no host"),
        ("http://example.com/a b?pw=1", "the address is not a valid URL: it holds a space or a control character"),
        ("http://example.com/a\nb", "the address is not a valid URL: it holds a space or a control character"),
        ("http://" + "a" * 64 + ".example.com/x", "the address has a host name that is not valid"),
        ("http://a..example.com/x", "the address has a host name that is not valid"),
    ],
)
def test_only_http_and_https_urls(url: str, message: str) -> None:
    with pytest.raises(HttpError) as raised:
        request("GET", url, timeout=1)
    assert str(raised.value) == message
    assert "pw" not in str(raised.value)


def test_the_url_s_user_password_and_query_never_appear_in_a_message() -> None:
    with scripted_server([Answer(500, b"broken")]) as server:
        port = server.url.rsplit(":", 1)[1]
        url = f"http://alice:Sup3rSecretPw@127.0.0.1:{port}/prefix/api?api_key=K3yS3cret#frag"
        with pytest.raises(HttpError) as raised:
            request("GET", url, params={"token": "ParamS3cret"}, timeout=2, attempts=2, sleep=Pauses())
    message = str(raised.value)
    assert (
        message == f"GET http://127.0.0.1:{port}/prefix/api: HTTP 500 Internal Server Error: broken (after 2 attempts)"
    )
    for secret in ("alice", "Sup3rSecretPw", "K3yS3cret", "ParamS3cret", "frag"):
        assert secret not in message


def test_a_user_and_password_in_the_url_are_sent_as_basic_authentication() -> None:
    with scripted_server([Answer(200)]) as server:
        url = server.url.replace("http://", "http://al%40ice:p%3Ass@")
        request("GET", url + "/x", timeout=2)
    # base64 of "al@ice:p:ss"
    assert server.received[0].headers["authorization"] == "Basic YWxAaWNlOnA6c3M="


def test_a_given_authorization_header_is_sent_and_wins_over_the_url_s_user() -> None:
    with scripted_server([Answer(200)]) as server:
        url = server.url.replace("http://", "http://user:pw@")
        request("GET", url + "/x", headers={"Authorization": "Bearer T0ken"}, timeout=2)
    assert server.received[0].headers["authorization"] == "Bearer T0ken"


def test_a_redirect_on_the_same_server_is_followed_without_the_credentials() -> None:
    def moved(received: Received) -> Answer:
        if received.path.startswith("/old"):
            return Answer(302, b"", {"Location": "/new?page=2"})
        return Answer(200, b"landed")

    with scripted_server(moved) as server:
        url = server.url.replace("http://", "http://bob:pw@") + "/old"
        answer = request("GET", url, headers={"X-Kept": "yes"}, timeout=2)
    assert answer.body == b"landed"
    first, second = server.received
    assert first.headers["authorization"] == "Basic Ym9iOnB3"
    assert second.path == "/new?page=2"
    assert second.headers["x-kept"] == "yes"
    assert "authorization" not in second.headers


def test_a_redirect_to_another_server_is_refused_and_names_it_without_its_secrets() -> None:
    with scripted_server([Answer(200, b"landed")]) as target:
        elsewhere = target.url.replace("http://", "http://eve:EvePassw0rd@") + "/landing?token=qqsecret#top"

        with scripted_server([Answer(302, b"", {"Location": elsewhere})]) as server:
            url = server.url.replace("http://", "http://bob:BobPassw0rd@") + "/redirect?token=qqsecret"
            with pytest.raises(HttpError) as raised:
                request("GET", url, headers={"Authorization": "Bearer T0ken"}, timeout=2, sleep=Pauses())
        assert target.received == []
    assert len(server.received) == 1
    message = str(raised.value)
    assert message == (
        f"GET {server.url}/redirect: redirected to another server ({target.url}/landing): not followed; "
        "set the url to where it points"
    )
    assert raised.value.status == 302
    for secret in ("bob", "BobPassw0rd", "eve", "EvePassw0rd", "qqsecret", "T0ken", "top"):
        assert secret not in message


def test_a_redirect_from_http_to_https_on_another_port_is_another_server() -> None:
    with (
        scripted_server(
            lambda received: Answer(307, b"", {"Location": f"https://{received.headers['host']}/x"})
        ) as server,
        pytest.raises(HttpError, match="redirected to another server"),
    ):
        request("GET", server.url + "/x", timeout=2, sleep=Pauses())
    assert len(server.received) == 1


@pytest.mark.parametrize(
    ("url", "target", "same"),
    [
        ("http://prom.example.com/a", "http://prom.example.com:80/b?x=1", True),
        ("http://prom.example.com/a", "https://PROM.example.com/a", True),  # an upgrade on the default ports
        ("http://prom.example.com:80/a", "https://prom.example.com:443/a", True),
        ("http://prom.example.com:8080/a", "https://prom.example.com:8443/a", False),
        ("http://prom.example.com:8080/a", "https://prom.example.com/a", False),
        ("https://prom.example.com/a", "http://prom.example.com/a", False),  # never down to http
        ("http://prom.example.com/a", "http://prom.example.com:8080/a", False),
        ("http://prom.example.com/a", "http://evil.example.com/a", False),
        ("http://127.0.0.1:19091/a", "http://localhost:19091/a", False),
    ],
)
def test_which_redirects_stay_on_the_same_server(url: str, target: str, same: bool) -> None:
    assert _same_server(url, target) is same


def test_a_failure_after_a_redirect_names_the_address_asked_and_where_it_came_from() -> None:
    def moved(received: Received) -> Answer:
        if received.path.startswith("/old"):
            return Answer(301, b"", {"Location": "/new?session=S3ssionKey"})
        return Answer(500, b"broken at /new?session=S3ssionKey")

    with scripted_server(moved) as server:
        url = server.url.replace("http://", "http://bob:BobPassw0rd@") + "/old?token=qqsecret"
        with pytest.raises(HttpError) as raised:
            request("GET", url, timeout=2, attempts=2, sleep=Pauses())
    message = str(raised.value)
    assert message == (
        f"GET {server.url}/new (after a redirect from {server.url}/old): HTTP 500 Internal Server Error: "
        "broken at /new?*** (after 2 attempts)"
    )
    for secret in ("bob", "BobPassw0rd", "qqsecret", "S3ssionKey"):
        assert secret not in message


def test_a_redirect_loop_is_reported_on_one_line() -> None:
    with (
        scripted_server([Answer(302, b"", {"Location": "/again?token=qqsecret"})]) as server,
        pytest.raises(HttpError) as raised,
    ):
        request("GET", server.url + "/x", timeout=2, sleep=Pauses())
    message = str(raised.value)
    assert message.startswith(f"GET {server.url}/again (after a redirect from {server.url}/x): HTTP 302 ")
    assert "infinite loop" in message
    assert "\n" not in message
    assert "qqsecret" not in message


def test_a_redirect_to_another_scheme_is_refused() -> None:
    with (
        scripted_server([Answer(301, b"", {"Location": "ftp://me:pw@example.com/file?k=secret"})]) as server,
        pytest.raises(HttpError) as raised,
    ):
        request("GET", server.url + "/x", timeout=2, sleep=Pauses())
    assert str(raised.value) == f"GET {server.url}/x: redirected to a ftp: address: not followed"
    assert len(server.received) == 1


@pytest.fixture
def no_proxy_exceptions(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("no_proxy", "NO_PROXY", "http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY"):
        monkeypatch.delenv(name, raising=False)


@pytest.mark.usefixtures("no_proxy_exceptions")
def test_a_proxy_that_refuses_the_connection_is_named_without_its_password(monkeypatch: pytest.MonkeyPatch) -> None:
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    monkeypatch.setenv("http_proxy", f"http://puser:ProxyPassw0rd@127.0.0.1:{port}")
    with pytest.raises(HttpError) as raised:
        request(
            "GET",
            "http://bob:BobPassw0rd@prom.example.com:9090/api?token=qqsecret",
            timeout=1,
            attempts=2,
            sleep=Pauses(),
        )
    message = str(raised.value)
    assert message == (
        f"GET http://prom.example.com:9090/api through the proxy http://127.0.0.1:{port}: connection refused "
        "(after 2 attempts)"
    )
    for secret in ("bob", "BobPassw0rd", "qqsecret", "puser", "ProxyPassw0rd"):
        assert secret not in message


@pytest.mark.usefixtures("no_proxy_exceptions")
def test_a_proxy_s_error_page_quoting_the_address_does_not_show_its_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(received: Received) -> Answer:
        return Answer(403, f"Access denied to {received.path}\n".encode())

    with scripted_server(refuse) as proxy:
        monkeypatch.setenv("http_proxy", proxy.url)
        with pytest.raises(HttpError) as raised:
            request("GET", "http://prom.example.com:9090/api?token=qqsecret", params={"query": "up"}, timeout=2)
    assert proxy.received[0].path == "http://prom.example.com:9090/api?token=qqsecret&query=up"
    assert str(raised.value) == (
        f"GET http://prom.example.com:9090/api through the proxy {proxy.url}: HTTP 403 Forbidden: "
        "Access denied to http://prom.example.com:9090/api?***&query=up"
    )


@pytest.mark.usefixtures("no_proxy_exceptions")
def test_a_proxy_that_refuses_a_tunnel_to_https_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    with scripted_server([Answer(403, b"no")]) as proxy:
        monkeypatch.setenv("https_proxy", proxy.url)
        with pytest.raises(HttpError) as raised:
            request(
                "GET",
                "https://bob:BobPassw0rd@prom.example.com/api?token=qqsecret",
                timeout=2,
                attempts=2,
                sleep=Pauses(),
            )
    assert [(received.method, received.path) for received in proxy.received] == [
        ("CONNECT", "prom.example.com:443")
    ] * 2
    assert str(raised.value) == (
        f"GET https://prom.example.com/api through the proxy {proxy.url}: the proxy refused the connection: "
        "403 Forbidden (after 2 attempts)"
    )


@pytest.mark.parametrize(
    ("url", "printed"),
    [
        ("https://u:p@prom.example.com:9443/a/b?x=1#y", "https://prom.example.com:9443/a/b"),
        ("http://[::1]:9090/api", "http://[::1]:9090/api"),
        ("http://host", "http://host"),
    ],
)
def test_shown(url: str, printed: str) -> None:
    assert shown(url) == printed


def test_a_header_value_http_cannot_send_is_refused_without_showing_it() -> None:
    with pytest.raises(HttpError) as raised:
        request("GET", "http://127.0.0.1:9/x", headers={"Authorization": "Bearer s3cret\nX-Evil: 1"}, timeout=1)
    assert str(raised.value) == (
        "GET http://127.0.0.1:9/x: the Authorization header holds a character HTTP cannot send (a line break?)"
    )


WEBHOOK_PATH = "/services/T0SECRET/B0SECRET/XXXXSECRET"
PATH_PIECES = ("services", "T0SECRET", "B0SECRET", "XXXXSECRET")


def test_a_private_path_is_left_out_of_a_status_message_and_out_of_the_quoted_answer() -> None:
    # a server that repeats the address it was asked for in its error page
    echo = f"no such hook: {WEBHOOK_PATH} (B0SECRET/XXXXSECRET)".encode()
    with scripted_server([Answer(404, echo)]) as server, pytest.raises(HttpError) as raised:
        request("POST", server.url + WEBHOOK_PATH, body=b"{}", timeout=2, private_path=True)
    message = str(raised.value)
    assert message == f"POST {server.url}: HTTP 404 Not Found: no such hook: *** (***/***)"
    assert not [piece for piece in PATH_PIECES if piece in message]


def test_a_private_path_is_left_out_of_a_timeout_and_a_redirect_to_another_server() -> None:
    with scripted_server([Answer(200, b"late", delay=0.3)]) as server, pytest.raises(HttpError) as late:
        request("POST", server.url + WEBHOOK_PATH, timeout=0.05, attempts=1, private_path=True)
    assert str(late.value) == f"POST {server.url}: no answer within 0.05 s"
    elsewhere = {"Location": "http://elsewhere.invalid" + WEBHOOK_PATH}
    with scripted_server([Answer(302, b"", elsewhere)]) as server, pytest.raises(HttpError) as moved:
        request("POST", server.url + WEBHOOK_PATH, timeout=2, private_path=True)
    assert str(moved.value) == (
        f"POST {server.url}: redirected to another server (http://elsewhere.invalid): not followed; "
        "set the url to where it points"
    )


def test_a_private_path_is_left_out_after_a_redirect_on_the_same_server() -> None:
    def moved(received: Received) -> Answer:
        if received.path.startswith("/old"):
            return Answer(303, b"", {"Location": WEBHOOK_PATH})
        return Answer(500, b"down")

    with scripted_server(moved) as server, pytest.raises(HttpError) as raised:
        request("POST", server.url + "/old/T0SECRET", timeout=2, attempts=1, private_path=True)
    assert str(raised.value) == (
        f"GET {server.url} (after a redirect from {server.url}): HTTP 500 Internal Server Error: down"
    )


def test_non_ascii_characters_in_the_path_and_query_are_sent_percent_encoded() -> None:
    with scripted_server([Answer(200)]) as server:
        request("POST", server.url + "/hooks/é?team=Zoë", params={"q": "ä"}, timeout=2)
    assert server.received[0].path == "/hooks/%C3%A9?team=Zo%C3%AB&q=%C3%A4"


def test_a_private_path_sent_percent_encoded_is_blotted_out_of_an_answer_that_repeats_it() -> None:
    def echo(received: Received) -> Answer:
        return Answer(404, f"unknown hook {received.path}".encode())

    with scripted_server(echo) as server, pytest.raises(HttpError) as raised:
        request("POST", server.url + "/hooks/Zoë-S3CRET", timeout=2, private_path=True)
    assert str(raised.value) == f"POST {server.url}: HTTP 404 Not Found: unknown hook ***"


def test_shown_without_the_path() -> None:
    assert (
        shown("https://u:p@hooks.example.com:8443/services/T/B/X?q=1", path=False) == "https://hooks.example.com:8443"
    )
    assert shown("https://hooks.example.com/services/T/B/X") == "https://hooks.example.com/services/T/B/X"


def test_check_address_refuses_what_request_would_refuse_before_sending() -> None:
    check_address("https://hooks.example.com/services/T/B/X?x=1")  # nothing to say
    with pytest.raises(HttpError) as raised:
        check_address("https:///services/T0SECRET", private_path=True)
    assert str(raised.value) == "the address https:// has no host"
    with pytest.raises(HttpError) as raised:
        check_address("gopher://example.com/x")
    assert str(raised.value) == "only http and https addresses can be read, not a gopher: address"
