"""The format of KPI sources: `query:` on a KPI and `datasources:` in okrctl.yaml (secrets only from the
environment), and OKR004 on a query its datasource cannot answer."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import okrctl

KPIS = """kind: kpis
owner: ops
kpis:
  - id: deploys
    title: Deploys
    query: {query}
"""


def lint(folder: Path, query: str, config: str) -> tuple[int, list[tuple[int, str, str]], str]:
    (folder / "k.yaml").write_text(KPIS.replace("{query}", query))
    (folder / "okrctl.yaml").write_text(config)
    result = okrctl("lint", "--format", "json", "--as-of", "2026-11-20", cwd=folder)
    if result.code == 2:
        return 2, [], result.err
    found = [(f["line"], f["code"], f["message"]) for f in json.loads(result.out)["findings"] if f["code"] != "OKR201"]
    return result.code, found, result.err


PROM = "datasources:\n  prom: {type: prometheus, url: 'http://prom:9090', token: env:PROM_TOKEN}\n"


def test_a_query_its_datasource_answers_lints_clean(tmp_path: Path) -> None:
    query = """{datasource: prom, expr: 'sum(increase(deploys_total{job="api"}[7d]))'}"""
    assert lint(tmp_path, query, PROM) == (0, [], "")


@pytest.mark.parametrize(
    ("query", "code", "message"),
    [
        ("{datasource: prom}", "OKR002", "a query asks one thing: expr, sql, column or command (it gives none)"),
        ("{datasource: prom, expr: x, sql: y}", "OKR002", "(it gives expr and sql)"),
        ("{datasource: prom, command: []}", "OKR002", "command"),
        ("{datasource: prom, exprs: x}", "OKR002", "exprs"),
        ("{datasource: warehouse, expr: x}", "OKR004", "datasource 'warehouse' is not under datasources:"),
        ("{datasource: prom, sql: 'select 1'}", "OKR004", "datasource 'prom' is a prometheus one: ask it with expr"),
    ],
)
def test_a_query_that_cannot_be_answered(tmp_path: Path, query: str, code: str, message: str) -> None:
    status, found, _ = lint(tmp_path, query, PROM)
    assert status == 1 and len(found) == 1, found
    assert found[0][1] == code and message in found[0][2]


@pytest.mark.parametrize(
    ("datasource", "message"),
    [
        (
            "{type: prometheus, url: 'https://me:secret@prom:9090'}",
            "url holds credentials: secrets come from the environment",
        ),
        ("{type: prometheus, url: env:PROM_URL, token: abc123}", "token: secrets come from the environment"),
        ("{type: sql, dsn: 'postgresql://me:pw@db/x'}", "dsn holds credentials"),
        ("{type: sql, url: env:X}", "url is for a prometheus datasource, not sql"),
        ("{type: csv}", "a csv datasource needs path"),
        ("{type: ftp, path: x}", "type"),
        ("{type: command, timeout: 0}", "timeout"),
    ],
)
def test_a_datasource_with_a_secret_written_in_or_a_missing_field_is_a_bad_config(
    tmp_path: Path, datasource: str, message: str
) -> None:
    status, _, err = lint(tmp_path, "{datasource: src, command: [x]}", f"datasources:\n  src: {datasource}\n")
    assert status == 2 and "bad config" in err and message in err, err


def test_secrets_from_the_environment_and_plain_addresses_are_fine(tmp_path: Path) -> None:
    config = (
        "datasources:\n  prom: {type: prometheus, url: env:PROM_URL, token: env:PROM_TOKEN}\n"
        "  db: {type: sql, dsn: 'sqlite:///metrics.db'}\n  files: {type: csv, path: metrics/kpis.csv}\n"
        "  run: {type: command, timeout: 5}\n"
    )
    assert lint(tmp_path, "{datasource: run, command: [./count-deploys, '{start}', '{end}']}", config) == (0, [], "")


@pytest.mark.parametrize(
    ("datasource", "message"),
    [
        ("{type: sql, dsn: 'postgresql+psycopg://db/x?password=qsecret77&user=bob'}", "dsn holds credentials"),
        ("{type: sql, dsn: 'postgresql://db/x?sslpassword=s'}", "dsn holds credentials"),
        ("{type: prometheus, url: 'https://prom.example.com/?access_token=qq'}", "url holds credentials"),
        ("{type: prometheus, url: 'env:'}", "env: names an environment variable"),
        ("{type: prometheus, url: 'env:PROM URL'}", "env: names an environment variable"),
        ("{type: prometheus, url: 'ftp://prom.example.com'}", "http:// or https://"),
        ("{type: prometheus, url: 'prom.example.com:9090'}", "http:// or https://"),
        ("{type: command, timeout: '5'}", "expected a number"),
    ],
)
def test_a_datasource_a_run_could_not_use_is_a_bad_config(tmp_path: Path, datasource: str, message: str) -> None:
    (tmp_path / "okrctl.yaml").write_text(f"datasources:\n  it: {datasource}\n")
    done = okrctl("lint", cwd=tmp_path)
    assert done.code == 2 and message in done.err, done.err
    assert "qsecret77" not in done.err and "qq" not in done.err.replace("okrctl", "")


def test_a_query_without_secrets_is_fine(tmp_path: Path) -> None:
    (tmp_path / "okrctl.yaml").write_text(
        "datasources:\n  it: {type: sql, dsn: 'postgresql+psycopg://db/x?sslmode=require&connect_timeout=5'}\n"
        "  prom: {type: prometheus, url: 'https://prom.example.com/prometheus?dedup=true', timeout: 5}\n"
    )
    assert okrctl("lint", cwd=tmp_path).code == 0
