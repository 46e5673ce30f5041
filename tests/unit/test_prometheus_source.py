"""The prometheus source against a scripted HTTP server on a loopback port: what it sends (the instant query at
the end of the day, the timeout, the token), how it reads each kind of answer, and its messages, which never
show a secret. tests/acceptance/test_prometheus_server.py asks a real Prometheus."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from scripted_server import Answer, Received, scripted_server

from okrctl.config import Datasource
from okrctl.model import Query
from okrctl.sources import Request, SourceError, Window, open_source
from okrctl.sources.prometheus import PrometheusSource, connect

PASSWORD = "Pr0mPassw0rd"
TOKEN = "T0kenS3cret"
NOV_20 = Window.of(date(2026, 11, 20), "daily")


def request(expr: str, window: Window = NOV_20) -> Request:
    return Request("team/deploys", Query.model_validate({"datasource": "prom", "expr": expr}), window)


def vector(*values: str, labels: list[dict[str, str]] | None = None) -> bytes:
    result = [
        {"metric": (labels or [{}] * len(values))[n], "value": [1795219200, value]} for n, value in enumerate(values)
    ]
    return json.dumps({"status": "success", "data": {"resultType": "vector", "result": result}}).encode()


def answer_of(kind: str, result: object) -> bytes:
    return json.dumps({"status": "success", "data": {"resultType": kind, "result": result}}).encode()


def no_pause(seconds: float) -> None:
    pass


def read(body: bytes, expr: str = "x", status: int = 200) -> str:
    with scripted_server([Answer(status, body, {"Content-Type": "application/json"})]) as server:
        return PrometheusSource(server.url, None, 5, sleep=no_pause).read(request(expr)).value


def test_the_instant_query_at_the_end_of_the_day_with_the_timeout_and_the_token(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with scripted_server([Answer(200, vector("12"))]) as server:
        monkeypatch.setenv("PROM_URL", server.url + "/prom/")  # a path prefix, as behind a proxy
        monkeypatch.setenv("PROM_TOKEN", TOKEN)
        datasource = Datasource(type="prometheus", url="env:PROM_URL", token="env:PROM_TOKEN", timeout=12.5)
        source = open_source("prom", datasource, Path())
        weekly = Window.of(date(2026, 11, 20), "weekly")
        reading = source.read(request('sum(increase(deploys_total{since="{start}", day="{date}"}[7d]))', weekly))
    assert reading.value == "12"
    (received,) = server.received
    address = urlsplit(received.path)
    assert address.path == "/prom/api/v1/query"
    assert parse_qs(address.query) == {
        "query": ['sum(increase(deploys_total{since="2026-11-14", day="2026-11-20"}[7d]))'],
        "time": ["1795219200"],  # 2026-11-21T00:00:00Z: the end of 2026-11-20
        "timeout": ["12.5s"],
    }
    assert received.headers["authorization"] == f"Bearer {TOKEN}"


@pytest.mark.parametrize(
    ("body", "value"),
    [
        (vector("42"), "42"),
        (vector("0.75"), "0.75"),
        (vector("-3.5", labels=[{"team": "a"}]), "-3.5"),
        (answer_of("scalar", [1795219200, "1795219200"]), "1795219200"),
    ],
)
def test_one_series_or_a_scalar_is_the_value(body: bytes, value: str) -> None:
    assert read(body) == value


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (vector(), 'no value: sum(up{job="x"}) gives no series at 2026-11-21 00:00 UTC'),
        (
            vector("1", "2", labels=[{"__name__": "up", "job": "a", "instance": "h:1"}, {"job": "b"}]),
            'more than one value (2 series: up{instance="h:1", job="a"}, {job="b"}); '
            "aggregate them, e.g. sum(…) or sum by (…)",
        ),
        (
            vector("1", "2", "3", "4", labels=[{"n": str(n)} for n in range(4)]),
            'more than one value (4 series: {n="0"}, {n="1"}, {n="2"}, …); aggregate them, e.g. sum(…) or sum by (…)',
        ),
        (vector("NaN"), "NaN is not a finite number"),
        (vector("+Inf"), "+Inf is not a finite number"),
        (answer_of("scalar", [1, "-Inf"]), "-Inf is not a finite number"),
        (
            answer_of("matrix", [{"metric": {}, "values": [[1, "1"]]}]),
            "the expression gives a range vector, not one value: wrap the [range] selector in a function such as "
            "increase(…) or avg_over_time(…)",
        ),
        (answer_of("string", [1, "hello"]), "the expression gives a string, not a number"),
        (
            answer_of("vector", [{"metric": {}, "histogram": [1, {}]}]),
            "the answer's result is not one number (resultType 'vector')",
        ),
        (
            b'{"status": "error", "errorType": "execution", "error": "many-to-many\\nmatching"}',
            "Prometheus execution: many-to-many matching",
        ),
        (b'{"data": 1}', "the answer is not a Prometheus API answer"),
    ],
)
def test_answers_that_are_not_one_number(body: bytes, message: str) -> None:
    with pytest.raises(SourceError) as raised:
        read(body, expr='sum(up{job="x"})')
    assert str(raised.value) == message


@pytest.mark.parametrize(
    ("status", "errorType", "error"),
    [
        (400, "bad_data", 'invalid parameter "query": 1:5: parse error: unclosed left parenthesis'),
        (422, "execution", "found duplicate series for the match group"),
        (503, "timeout", "query timed out in expression evaluation"),
    ],
)
def test_prometheus_errors_are_told_in_its_own_words(status: int, errorType: str, error: str) -> None:
    body = json.dumps({"status": "error", "errorType": errorType, "error": error}).encode()
    with pytest.raises(SourceError) as raised:
        read(body, status=status)
    assert str(raised.value) == f"Prometheus {errorType}: {error}"


def test_an_answer_that_is_not_json() -> None:
    with scripted_server([Answer(200, b"<html>login</html>")]) as server, pytest.raises(SourceError) as raised:
        PrometheusSource(server.url + "/x", None, 5).read(request("up"))
    assert str(raised.value) == f"{server.url}/x/api/v1/query did not answer with JSON: is it a Prometheus server?"


def test_an_http_error_of_a_proxy_is_reported_with_the_address_but_no_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    with scripted_server([Answer(401, b"bad credentials\n<html>")]) as server:
        port = server.url.rsplit(":", 1)[1]
        monkeypatch.setenv("PROM_URL", f"https://okr:{PASSWORD}@127.0.0.1:{port}/prom?key=K3y".replace("https", "http"))
        monkeypatch.setenv("PROM_TOKEN", TOKEN)
        source = connect("prom", Datasource(type="prometheus", url="env:PROM_URL", token="env:PROM_TOKEN"), Path())
        with pytest.raises(SourceError) as raised:
            source.read(request("up"))
    message = str(raised.value)
    assert message == f"GET http://127.0.0.1:{port}/prom/api/v1/query: HTTP 401 Unauthorized: bad credentials"
    assert not any(secret in message for secret in (PASSWORD, TOKEN, "K3y"))


def test_5xx_is_asked_again_and_then_reported() -> None:
    script = [Answer(502, b"bad gateway"), Answer(502, b"bad gateway"), Answer(200, vector("7"))]
    with scripted_server(script) as server:
        assert PrometheusSource(server.url, None, 5, sleep=no_pause).read(request("up")).value == "7"
    with scripted_server([Answer(503, b"down for maintenance")]) as server, pytest.raises(SourceError) as raised:
        PrometheusSource(server.url, None, 5, sleep=no_pause).read(request("up"))
    assert str(raised.value) == (
        f"GET {server.url}/api/v1/query: HTTP 503 Service Unavailable: down for maintenance (after 3 attempts)"
    )
    assert len(server.received) == 3


def test_a_server_that_does_not_answer_in_time() -> None:
    with scripted_server([Answer(200, vector("1"), delay=0.4)]) as server, pytest.raises(SourceError) as raised:
        PrometheusSource(server.url, None, 0.05, sleep=no_pause).read(request("up"))
    assert str(raised.value) == f"GET {server.url}/api/v1/query: no answer within 0.05 s (after 3 attempts)"


def test_the_url_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PROM_URL", raising=False)
    with pytest.raises(SourceError) as raised:
        connect("prom", Datasource(type="prometheus", url="env:PROM_URL"), Path())
    assert (
        str(raised.value)
        == "datasource prom's url comes from the environment variable PROM_URL, which is not set (or empty)"
    )


@pytest.mark.parametrize(
    ("url", "what"),
    [
        (f"ftp://okr:{PASSWORD}@prom.example.com/", "a ftp: address"),
        (f"prom.example.com:9090/?key={PASSWORD}", "an address with no http:// or https://"),
        (f"{PASSWORD}@prom.example.com", "an address with no http:// or https://"),
        (f"okr:{PASSWORD}@prom.example.com:9090", "an address with no http:// or https://"),
    ],
)
def test_only_http_and_https_without_showing_the_url(monkeypatch: pytest.MonkeyPatch, url: str, what: str) -> None:
    monkeypatch.setenv("PROM_URL", url)
    with pytest.raises(SourceError) as raised:
        connect("prom", Datasource(type="prometheus", url="env:PROM_URL"), Path())
    assert str(raised.value) == f"datasource prom: the url must be an http or https address, not {what}"
    assert PASSWORD not in str(raised.value)


def test_the_core_does_not_import_the_prometheus_source_nor_the_http_client() -> None:
    code = (
        "import sys, okrctl.cli, okrctl.commands.measure_sources, okrctl.sources\n"
        "print(sorted(m for m in sys.modules if m in ('okrctl.http', 'okrctl.sources.prometheus')))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout == "[]\n"


def test_a_retry_after_longer_than_ten_seconds_is_cut_to_ten() -> None:
    pauses: list[float] = []
    with scripted_server([Answer(429, b"slow down", {"Retry-After": "3600"}), Answer(200, vector("5"))]) as server:
        assert PrometheusSource(server.url, None, 5, sleep=pauses.append).read(request("up")).value == "5"
    assert pauses == [10.0]


def test_a_url_that_cannot_be_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PROM_URL", f"http://okr:{PASSWORD}@[::1/")
    with pytest.raises(SourceError) as raised:
        connect("prom", Datasource(type="prometheus", url="env:PROM_URL"), Path())
    assert str(raised.value) == "datasource prom: the url is not a valid URL"


def test_a_token_from_a_file_loses_its_line_break(monkeypatch: pytest.MonkeyPatch) -> None:
    with scripted_server([Answer(200, vector("3"))]) as server:
        monkeypatch.setenv("PROM_URL", server.url)
        monkeypatch.setenv("PROM_TOKEN", TOKEN + "\n")
        datasource = Datasource(type="prometheus", url="env:PROM_URL", token="env:PROM_TOKEN")
        assert connect("prom", datasource, Path()).read(request("up")).value == "3"
    assert server.received[0].headers["authorization"] == f"Bearer {TOKEN}"


def test_a_long_prometheus_error_is_shortened() -> None:
    body = json.dumps({"status": "error", "errorType": "execution", "error": "many " * 200}).encode()
    with pytest.raises(SourceError) as raised:
        read(body, status=422)
    assert len(str(raised.value)) < 330
    assert str(raised.value).startswith("Prometheus execution: many many")


def test_a_redirect_to_another_server_is_not_followed_and_the_query_s_token_stays_home(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with scripted_server([Answer(200, vector("1"))]) as elsewhere:

        def moved(received: Received) -> Answer:  # passes the query on, as a careless gateway does
            return Answer(302, b"", {"Location": elsewhere.url + "/api/v1/query?" + urlsplit(received.path).query})

        with scripted_server(moved) as server:
            monkeypatch.setenv(
                "PROM_URL", server.url.replace("http://", f"http://bob:{PASSWORD}@") + "/prom?token=qqsecret"
            )
            monkeypatch.setenv("PROM_TOKEN", TOKEN)
            source = connect("prom", Datasource(type="prometheus", url="env:PROM_URL", token="env:PROM_TOKEN"), Path())
            with pytest.raises(SourceError) as raised:
                source.read(request("up"))
        assert elsewhere.received == []
    assert len(server.received) == 1
    message = str(raised.value)
    assert message == (
        f"GET {server.url}/prom/api/v1/query: redirected to another server ({elsewhere.url}/api/v1/query): "
        "not followed; set the url to where it points"
    )
    assert not any(secret in message for secret in ("bob", PASSWORD, TOKEN, "qqsecret"))
