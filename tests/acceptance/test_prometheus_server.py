"""The prometheus source and `okrctl measure --from-sources` against a real Prometheus server, started once for
this module with fixed samples (tests/prometheus_server.py says which); skipped where Debian's prometheus
package is not installed."""

from __future__ import annotations

import socket
import urllib.request
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
import yaml
from conftest import run_okrctl
from prometheus_server import deploys, nps, prometheus_server, signups
from scripted_server import Answer, Received, scripted_server

from okrctl.config import Datasource
from okrctl.model import Query
from okrctl.sources import Request, SourceError, Window
from okrctl.sources.prometheus import connect

PASSWORD = "Pr0mPassw0rd"  # in the URL's user part: Prometheus without a web config ignores it
TOKEN = "T0kenS3cret"
NOV_20 = date(2026, 11, 20)


@pytest.fixture(scope="module")
def prometheus_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with prometheus_server(tmp_path_factory.mktemp("prometheus")) as url:
        yield url


def ask(url: str, expr: str, day: date = NOV_20, frequency: str = "daily", token: str | None = None) -> str:
    source = connect("prom", Datasource(type="prometheus", url=url, token=token, timeout=10), Path())
    query = Query.model_validate({"datasource": "prom", "expr": expr})
    return source.read(Request("team/kpi", query, Window.of(day, frequency))).value


def refusal(url: str, expr: str, day: date = NOV_20) -> str:
    with pytest.raises(SourceError) as raised:
        ask(url, expr, day)
    return str(raised.value)


def test_the_value_at_the_end_of_the_day(prometheus_url: str) -> None:
    assert ask(prometheus_url, 'nps{product="app"}') == "50" == f"{nps(NOV_20):g}"
    assert ask(prometheus_url, 'nps{product="app"}', date(2026, 11, 21)) == "50.5"
    assert ask(prometheus_url, "time()") == "1795219200"  # evaluated at 2026-11-21T00:00:00Z


def test_placeholders_are_the_day_and_its_window(prometheus_url: str) -> None:
    assert ask(prometheus_url, 'batch_signups{day="{date}"}') == str(signups(NOV_20)) == "120"
    # a weekly KPI's window starts six days before the day: the value at the end of that first day
    assert ask(prometheus_url, 'batch_signups{day="{start}"} offset 6d', frequency="weekly") == "114"
    # the day after has no sample yet at the end of the day
    assert refusal(prometheus_url, 'batch_signups{day="{end}"}') == (
        'no value: batch_signups{day="2026-11-21"} gives no series at 2026-11-21 00:00 UTC'
    )


def test_a_counter_s_increase_over_the_week(prometheus_url: str) -> None:
    week = deploys("a", NOV_20) - deploys("a", date(2026, 11, 13))
    expr = 'deploys_total{team="a"} - deploys_total{team="a"} offset 7d'
    assert ask(prometheus_url, expr, frequency="weekly") == str(week) == "14"
    assert ask(prometheus_url, 'sum(deploys_total{team=~"a|c"})') == str(deploys("a", NOV_20) + deploys("c", NOV_20))


def test_no_value_several_series_and_what_is_not_one_number(prometheus_url: str) -> None:
    assert refusal(prometheus_url, 'deploys_total{team="nobody"}') == (
        'no value: deploys_total{team="nobody"} gives no series at 2026-11-21 00:00 UTC'
    )
    assert refusal(prometheus_url, "deploys_total") == (
        'more than one value (3 series: deploys_total{team="a"}, deploys_total{team="b"}, deploys_total{team="c"}); '
        "aggregate them, e.g. sum(…) or sum by (…)"
    )
    assert refusal(prometheus_url, 'nps{product="app"}[1h]').startswith("the expression gives a range vector")
    assert refusal(prometheus_url, '"hello"') == "the expression gives a string, not a number"
    assert refusal(prometheus_url, "vector(0) / 0") == "NaN is not a finite number"
    assert refusal(prometheus_url, "vector(1) / 0") == "+Inf is not a finite number"


def test_prometheus_errors_in_its_own_words(prometheus_url: str) -> None:
    assert refusal(prometheus_url, "sum(deploys_total") == (
        'Prometheus bad_data: invalid parameter "query": 1:18: parse error: unclosed left parenthesis'
    )
    assert refusal(prometheus_url, "deploys_total + on() deploys_total").startswith(
        "Prometheus execution: found duplicate series for the match group {} on the right hand-side"
    )


def test_the_token_and_a_path_prefix_through_a_proxy(prometheus_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A proxy in front of the server, as one often is: it serves Prometheus under /prom and wants the token."""

    def forward(received: Received) -> Answer:
        if received.headers.get("authorization") != f"Bearer {TOKEN}":
            return Answer(401, b"missing or wrong token")
        path = received.path.removeprefix("/prom")
        with urllib.request.urlopen(prometheus_url + path, timeout=10) as answer:
            return Answer(answer.status, answer.read(), {"Content-Type": "application/json"})

    with scripted_server(forward) as proxy:
        monkeypatch.setenv("PROM_URL", proxy.url.replace("http://", f"http://okr:{PASSWORD}@") + "/prom")
        monkeypatch.setenv("PROM_TOKEN", TOKEN)
        assert ask("env:PROM_URL", 'nps{product="app"}', token="env:PROM_TOKEN") == "50"
        monkeypatch.setenv("PROM_TOKEN", "wrong")
        with pytest.raises(SourceError) as raised:
            ask("env:PROM_URL", 'nps{product="app"}', token="env:PROM_TOKEN")
    assert [r.headers["authorization"] for r in proxy.received] == [f"Bearer {TOKEN}", "Bearer wrong"]
    assert str(raised.value) == f"GET {proxy.url}/prom/api/v1/query: HTTP 401 Unauthorized: missing or wrong token"
    assert PASSWORD not in str(raised.value)


# End to end: `okrctl measure --from-sources` as a user runs it, the URL and token from the environment.

CONFIG = "datasources:\n  prom: {type: prometheus, url: env:PROM_URL, token: env:PROM_TOKEN, timeout: 10}\n"


def kpi(name: str, expr: str, frequency: str = "daily", measurements: str = "[]") -> str:
    quoted = "'" + expr.replace("'", "''") + "'"
    return (
        f"  - id: {name}   # {name} is measured by Prometheus\n"
        f"    title: {name.title()}\n"
        f"    frequency: {frequency}\n"
        "    green: {min: 1}\n"
        f"    query: {{datasource: prom, expr: {quoted}}}\n"
        f"    measurements: {measurements}\n"
    )


@pytest.fixture
def goals(tmp_path: Path) -> Path:
    (tmp_path / "okrctl.yaml").write_text(CONFIG)
    (tmp_path / "kpis").mkdir()
    (tmp_path / "kpis" / "product.yaml").write_text(
        "kind: kpis\nowner: product\nkpis:\n"
        + kpi("nps", 'nps{product="app"}', measurements="\n      - {date: 2026-11-19, value: 49.5}")
        + kpi("signups", 'batch_signups{day="{date}"}')
    )
    (tmp_path / "kpis" / "platform.yaml").write_text(
        "kind: kpis\nowner: platform\nkpis:\n"
        + kpi("deploys", 'deploys_total{team="a"} - deploys_total{team="a"} offset 7d', frequency="weekly")
        + kpi("all-deploys", "deploys_total")  # several series: fails
    )
    return tmp_path


def values(path: Path, name: str) -> list[tuple[str, object]]:
    document = yaml.safe_load(path.read_text())
    found = next(k for k in document["kpis"] if k["id"] == name)
    return [(str(m["date"]), m["value"]) for m in found["measurements"]]


def secret_environment(prometheus_url: str) -> dict[str, str]:
    return {"PROM_URL": prometheus_url.replace("http://", f"http://okr:{PASSWORD}@"), "PROM_TOKEN": TOKEN}


def test_measure_from_sources_writes_the_values_and_reports_the_kpi_that_failed(
    prometheus_url: str, goals: Path
) -> None:
    environment = secret_environment(prometheus_url)
    first = run_okrctl("measure", "--from-sources", "--date", "2026-11-20", cwd=goals, env=environment)
    assert first.code == 1
    assert sorted(first.out.splitlines()) == [
        "kpis/platform.yaml: platform/deploys: measured 14 on 2026-11-20",
        "kpis/product.yaml: product/nps: measured 50 on 2026-11-20",
        "kpis/product.yaml: product/signups: measured 120 on 2026-11-20",
    ]
    assert first.err == (
        "okrctl: error: platform/all-deploys (2026-11-20, datasource prom): more than one value (3 series: "
        'deploys_total{team="a"}, deploys_total{team="b"}, deploys_total{team="c"}); '
        "aggregate them, e.g. sum(…) or sum by (…)\n"
    )
    product, platform = goals / "kpis" / "product.yaml", goals / "kpis" / "platform.yaml"
    assert values(product, "nps") == [("2026-11-19", 49.5), ("2026-11-20", 50)]
    assert values(product, "signups") == [("2026-11-20", 120)]
    assert values(platform, "deploys") == [("2026-11-20", 14)]
    assert values(platform, "all-deploys") == []
    assert "      - {date: 2026-11-20, value: 50}\n" in product.read_text()  # in the list's own style
    assert product.read_text().count("is measured by Prometheus") == 2
    assert PASSWORD not in first.out + first.err
    assert TOKEN not in first.out + first.err

    written = {path: path.read_bytes() for path in (product, platform)}
    second = run_okrctl("measure", "--from-sources", "--date", "2026-11-20", cwd=goals, env=environment)
    assert second.code == 1  # all-deploys still fails; the others are not due again
    assert second.out == ""
    assert second.err == first.err
    assert {path: path.read_bytes() for path in written} == written


def test_a_week_backfilled_from_prometheus(prometheus_url: str, goals: Path) -> None:
    done = run_okrctl(
        "measure",
        "--from-sources",
        "--backfill",
        "2026-11-14..2026-11-20",
        "--only",
        "product/nps",
        cwd=goals,
        env=secret_environment(prometheus_url),
    )
    assert done.code == 0, done.err
    expected = [(f"2026-11-{day}", nps(date(2026, 11, day))) for day in range(14, 21) if day != 19]
    assert values(goals / "kpis" / "product.yaml", "nps") == sorted([*expected, ("2026-11-19", 49.5)])


def test_the_url_s_variable_not_set(goals: Path) -> None:
    unset = run_okrctl("measure", "--from-sources", "--date", "2026-11-20", cwd=goals, env={"PROM_TOKEN": TOKEN})
    assert unset.code == 1
    assert unset.out == ""
    said = "datasource prom's url comes from the environment variable PROM_URL, which is not set (or empty)"
    assert sorted(unset.err.splitlines()) == [
        f"okrctl: error: {ref} (2026-11-20, datasource prom): {said}"
        for ref in ("platform/all-deploys", "platform/deploys", "product/nps", "product/signups")
    ]


def test_a_server_that_is_down_is_reported_without_the_url_s_password(goals: Path) -> None:
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    environment = {"PROM_URL": f"http://okr:{PASSWORD}@127.0.0.1:{port}/prom?key={PASSWORD}", "PROM_TOKEN": TOKEN}
    only = ("--only", "product/nps")
    down = run_okrctl("measure", "--from-sources", "--date", "2026-11-20", *only, cwd=goals, env=environment)
    assert down.code == 1
    assert down.out == ""
    assert down.err == (
        "okrctl: error: product/nps (2026-11-20, datasource prom): GET "
        f"http://127.0.0.1:{port}/prom/api/v1/query: connection refused (after 3 attempts)\n"
    )
    assert values(goals / "kpis" / "product.yaml", "nps") == [("2026-11-19", 49.5)]
