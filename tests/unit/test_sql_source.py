"""The sql datasource on SQLite, in process: values, `{date}`/`{start}`/`{end}` bound as parameters (never
pasted into the SQL), every way a query fails, SQLite paths read from the goals root, the `okrctl[sql]` extra
or a driver missing, the DSN's secret never shown, and `okrctl measure --from-sources` through it."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from conftest import AS_OF, EXAMPLES, okrctl

from okrctl.config import Datasource
from okrctl.model import Query
from okrctl.sources import Request, Source, SourceError, Window, open_source
from okrctl.sources.sql import SqlSource, bound

DAY = date(2026, 10, 3)
PASSWORD = "hunter2-swordfish-secret"
ROWS = [("2026-09-27", 1), ("2026-09-30", 2.5), ("2026-10-01", 4), ("2026-10-02", 8), ("2026-10-03", 16)]


def make_database(path: Path) -> Path:
    with sqlite3.connect(path) as database:
        database.execute("create table daily (day text primary key, value real)")
        database.executemany("insert into daily values (?, ?)", ROWS)
        database.execute("create table labels (name text)")
        database.execute("insert into labels values ('ten')")
    database.close()
    return path


@pytest.fixture
def warehouse(tmp_path: Path) -> Iterator[SqlSource]:
    make_database(tmp_path / "metrics.db")
    source = open_source("wh", Datasource(type="sql", dsn="sqlite:///metrics.db"), tmp_path)
    assert isinstance(source, SqlSource)
    yield source
    source.close()


def ask(source: Source, sql: str, day: date = DAY, frequency: str | None = None) -> str:
    return source.read(
        Request("ops/kpi", Query.model_validate({"datasource": "wh", "sql": sql}), Window.of(day, frequency))
    ).value


def refusal(source: Source, sql: str) -> str:
    with pytest.raises(SourceError) as raised:
        ask(source, sql)
    return str(raised.value)


@pytest.mark.parametrize(
    ("sql", "value"),
    [
        ("select 42", "42"),
        ("select -3", "-3"),
        ("select 2.5", "2.5"),
        ("select '17.25'", "17.25"),
        ("select value from daily where day = {date}", "16.0"),
        ("select cast(value as integer) from daily where day = {date}", "16"),
    ],
)
def test_one_row_of_one_number_is_the_value(warehouse: SqlSource, sql: str, value: str) -> None:
    assert ask(warehouse, sql) == value


def test_start_and_end_bound_the_frequencys_window(warehouse: SqlSource) -> None:
    weekly = "select sum(value) from daily where day >= {start} and day < {end}"
    assert ask(warehouse, weekly, frequency="weekly") == "31.5"  # 2026-09-27 .. 2026-10-03, both included
    assert ask(warehouse, weekly, date(2026, 10, 2), "weekly") == "15.5"  # 09-26 .. 10-02: not 10-03
    assert ask(warehouse, "select {start} || ' ' || {end} = '2026-09-27 2026-10-04'", frequency="weekly") == "1"


class HostileDay(date):
    """A day whose text, pasted into the SQL, would change the statement."""

    def isoformat(self) -> str:
        return "0 or 1 = 1"

    def __str__(self) -> str:
        return self.isoformat()


def test_placeholders_are_bound_parameters_never_text(warehouse: SqlSource) -> None:
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    seen: list[tuple[str, Any]] = []

    def record(_connection: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        seen.append((statement, parameters))

    event.listen(Engine, "before_cursor_execute", record)
    try:
        hostile = HostileDay(2026, 10, 1)
        sql = "select count(*) from daily where day = {date}"
        request = Request(
            "ops/kpi", Query.model_validate({"datasource": "wh", "sql": sql}), Window(hostile, hostile, hostile)
        )
        assert warehouse.read(request).value == "1"  # pasted, `day = 0 or 1 = 1` would count all 5 rows
    finally:
        event.remove(Engine, "before_cursor_execute", record)
    statement, parameters = seen[-1]
    assert statement == "select count(*) from daily where day =  ? "
    assert parameters == ("2026-10-01",)


def test_the_query_text_keeps_casts_colons_and_braces() -> None:
    assert bound("select {date}::date, x::numeric, '{a}', ':name' where d < {end}") == (
        "select  :date \\:\\:date, x\\:\\:numeric, '{a}', '\\:name' where d <  :end ",
        ["date", "end"],
    )
    assert bound("{start}{start}") == (" :start  :start ", ["start"])


@pytest.mark.parametrize(
    ("sql", "value"),
    [
        ("select 7 -- where x = {date}", "7"),
        ("select 7 /* where x = {date} */", "7"),
        ("select /* {start} .. {end}: the week */ count(*) from daily where day = {date} -- {date}", "1"),
        ("select value -- {start}\nfrom daily where day = {date}", "16.0"),
        ("select length('-- {a}') + length('/* */') + count(*) from daily where day = {date}", "12"),
    ],
)
def test_a_placeholder_in_a_comment_is_left_as_written(warehouse: SqlSource, sql: str, value: str) -> None:
    assert ask(warehouse, sql) == value


@pytest.mark.parametrize(
    "sql",
    [
        "select 'a {date} b'",
        "select 'it''s {start}' from daily",
        "select 1 where 'x' = 'y' or 'from {end} on' = ''",
        'select "{date}" from daily',
        "select `{date}` from daily",
        "select 'open {date}",
    ],
)
def test_a_placeholder_in_quotes_is_refused(warehouse: SqlSource, sql: str) -> None:
    assert refusal(warehouse, sql) == (
        "write {date}, {start} and {end} without quotes: each is a bound parameter (a date)"
    )


def test_each_database_quotes_its_own_way() -> None:
    assert bound("select $${date}$$ || {date}") == ("select $$ :date $$ ||  :date ", ["date"])
    with pytest.raises(SourceError):
        bound("select $${date}$$ || {date}", "postgresql")
    with pytest.raises(SourceError):
        bound("select $q$ it's {date} $q$", "postgresql")
    assert bound("select $q$ it's $q$ || {date}", "postgresql") == ("select $q$ it's $q$ ||  :date ", ["date"])
    assert bound("select 1 # {date}", "mysql") == ("select 1 # {date}", [])
    with pytest.raises(SourceError):
        bound("select 'it\\'s {date}'", "mysql")
    assert bound("select 'C:\\' || {date}") == ("select 'C\\:\\' ||  :date ", ["date"])


def test_literal_colons_and_braces_reach_the_database_as_written(warehouse: SqlSource) -> None:
    assert ask(warehouse, "select length(':x {y} {dates} {date') + 0 * length({date})") == "20"


@pytest.mark.parametrize(
    ("sql", "message"),
    [
        ("select value from daily where day = '1999-01-01'", "the query returned no rows"),
        ("select value from daily", "the query returned more than one value (5 rows)"),
        ("select 1 union all " * 150 + "select 1", "the query returned more than one value (more than 100 rows)"),
        ("select 1, 2", "the query returned more than one value (2 columns)"),
        ("select null", "the query returned no value (NULL)"),
        ("select name from labels", "'ten' is not a number"),
        ("select value from nowhere", "no such table: nowhere"),
        ("selec 1", 'near "selec": syntax error'),
        ("pragma foreign_keys = on", "the statement returned no rows (it is not a select)"),
        ("select '{date}'", "write {date}, {start} and {end} without quotes: each is a bound parameter (a date)"),
    ],
)
def test_each_failure_has_a_clean_message(warehouse: SqlSource, sql: str, message: str) -> None:
    assert refusal(warehouse, sql) == message


def test_a_query_cannot_write(tmp_path: Path, warehouse: SqlSource) -> None:
    assert refusal(warehouse, "insert into daily values ('2030-01-01', 99) returning value") == (
        "attempt to write a readonly database"
    )
    assert refusal(warehouse, "delete from daily") == "attempt to write a readonly database"
    assert ask(warehouse, "select count(*) from daily") == "5"
    with sqlite3.connect(tmp_path / "metrics.db") as database:
        assert database.execute("select count(*) from daily").fetchone() == (5,)
    database.close()


def test_a_locked_database_is_waited_for_within_the_timeout(tmp_path: Path) -> None:
    make_database(tmp_path / "metrics.db")
    source = open_source("wh", Datasource(type="sql", dsn="sqlite:///metrics.db", timeout=0.3), tmp_path)
    writer = sqlite3.connect(tmp_path / "metrics.db", isolation_level=None)
    try:
        writer.execute("begin exclusive")  # no reader gets in until it ends
        started = time.monotonic()
        assert refusal(source, "select count(*) from daily") == "database is locked"
        assert 0.25 < time.monotonic() - started < 5
        writer.execute("rollback")
        assert ask(source, "select count(*) from daily") == "5"
    finally:
        writer.close()
        source.close()


def test_a_failed_query_leaves_the_source_usable(warehouse: SqlSource) -> None:
    refusal(warehouse, "select value from nowhere")
    assert ask(warehouse, "select 1") == "1"


def test_a_relative_sqlite_path_is_read_from_the_goals_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "goals"
    (root / "metrics").mkdir(parents=True)
    make_database(root / "metrics" / "warehouse.db")
    monkeypatch.chdir(tmp_path)  # not the goals root
    for dsn in ("sqlite:///metrics/warehouse.db", f"sqlite:///{root}/metrics/warehouse.db"):
        source = open_source("wh", Datasource(type="sql", dsn=dsn), root)
        try:
            assert ask(source, "select count(*) from daily") == "5"
        finally:
            source.close()


def test_a_missing_sqlite_file_is_an_error_not_a_new_database(tmp_path: Path) -> None:
    with pytest.raises(SourceError) as raised:
        open_source("wh", Datasource(type="sql", dsn="sqlite:///metrics/nope.db"), tmp_path)
    assert str(raised.value) == (
        f"datasource wh: no SQLite database metrics/nope.db (read from {tmp_path / 'metrics' / 'nope.db'})"
    )
    assert list(tmp_path.iterdir()) == []


def test_an_in_memory_sqlite_database_needs_no_file(tmp_path: Path) -> None:
    source = open_source("wh", Datasource(type="sql", dsn="sqlite://"), tmp_path)
    try:
        assert ask(source, "select 6 * 7") == "42"
    finally:
        source.close()


def opening_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, dsn: str) -> str:
    monkeypatch.setenv("WAREHOUSE_DSN", dsn)
    with pytest.raises(SourceError) as raised:
        open_source("wh", Datasource(type="sql", dsn="env:WAREHOUSE_DSN", timeout=3), tmp_path)
    return str(raised.value)


def test_without_the_extra_the_message_says_what_to_install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "sqlalchemy", None)  # `import sqlalchemy` now fails, as when not installed
    message = opening_error(tmp_path, monkeypatch, "sqlite://")
    assert message.startswith(
        "datasource wh: the sql datasource needs the okrctl[sql] extra: pip install 'okrctl[sql]'"
    )
    assert "driver" in message and "psycopg" in message


@pytest.mark.parametrize(
    ("dsn", "message"),
    [
        (
            f"postgresql+pg8000://me:{PASSWORD}@db/x",
            "datasource wh: the postgresql driver 'pg8000' is not installed (pip install it, or name an installed "
            "driver in the dsn: dialect+driver://…)",
        ),
        (f"nosuchdb://me:{PASSWORD}@db/x", "datasource wh: no SQLAlchemy dialect 'nosuchdb'"),
        (
            f"{PASSWORD} is no url",
            "datasource wh: the dsn is not a database URL (dialect+driver://user:password@host/database)",
        ),
    ],
)
def test_a_driver_or_dialect_missing_or_a_bad_dsn(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, dsn: str, message: str
) -> None:
    pytest.importorskip("sqlalchemy")
    if "pg8000" in dsn:
        monkeypatch.setitem(sys.modules, "pg8000", None)
    assert opening_error(tmp_path, monkeypatch, dsn) == message


def test_a_server_that_refuses_is_reported_without_the_password(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("psycopg")
    message = opening_error(tmp_path, monkeypatch, f"postgresql+psycopg://okr:{PASSWORD}@127.0.0.1:1/warehouse")
    assert message.startswith("datasource wh: cannot connect: ")
    assert "127.0.0.1" in message and PASSWORD not in message


def test_an_unset_variable_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("WAREHOUSE_DSN", raising=False)
    with pytest.raises(SourceError, match="environment variable WAREHOUSE_DSN, which is not set"):
        open_source("wh", Datasource(type="sql", dsn="env:WAREHOUSE_DSN"), tmp_path)


def test_the_core_never_imports_sqlalchemy() -> None:
    run = f"""
import sys
from okrctl.cli import main
import okrctl.sources, okrctl.commands.measure_sources
sys.argv = ["okrctl", "lint", "--as-of", "{AS_OF}", "--no-cache"]
try:
    main()
except SystemExit:
    pass
print("sqlalchemy" in sys.modules, file=sys.stderr)
"""
    done = subprocess.run([sys.executable, "-c", run], cwd=EXAMPLES / "acme", capture_output=True, text=True)
    assert done.stderr.splitlines()[-1] == "False", done.stderr


def test_no_warning_of_sqlalchemys_reaches_standard_error(tmp_path: Path) -> None:
    root = goals_root(tmp_path)
    run = """
import sys
from okrctl.cli import main
sys.argv = ["okrctl", "measure", "--from-sources", "--date", "2026-10-03", "--only", "ops/daily-value"]
main()
"""
    # SQLAlchemy warns that the pysqlite driver ignores `mode` (SQLite URI arguments need `uri=true`).
    env = {"PATH": "/usr/bin:/bin", "WAREHOUSE_DSN": "sqlite:///metrics/warehouse.db?mode=rw"}
    done = subprocess.run([sys.executable, "-c", run], cwd=root, env=env, capture_output=True, text=True)
    assert (done.returncode, done.stdout, done.stderr) == (
        0,
        "ops.yaml: ops/daily-value: measured 16.0 on 2026-10-03\n",
        "",
    )


# End to end: okrctl measure --from-sources with a sql datasource.

CONFIG = "datasources:\n  wh: {type: sql, dsn: env:WAREHOUSE_DSN}\n"
KPIS = """kind: kpis
owner: ops
kpis:
  - id: daily-value
    title: Daily value
    frequency: daily
    query: {datasource: wh, sql: 'select value from daily where day = {date}'}
    measurements:
      - {date: 2026-10-01, value: 4}
  - id: weekly-sum
    title: Weekly sum
    frequency: weekly
    query: {datasource: wh, sql: 'select sum(value) from daily where day >= {start} and day < {end}'}
  - id: broken
    title: Broken
    frequency: daily
    query: {datasource: wh, sql: 'select value from nowhere where day = {date}'}
"""


def goals_root(tmp_path: Path) -> Path:
    root = tmp_path / "goals"
    (root / "metrics").mkdir(parents=True)
    make_database(root / "metrics" / "warehouse.db")
    (root / "okrctl.yaml").write_text(CONFIG)
    (root / "ops.yaml").write_text(KPIS)
    return root


def test_measure_from_sources_writes_each_value_and_reports_the_failing_kpi(tmp_path: Path) -> None:
    root = goals_root(tmp_path)
    env = {"WAREHOUSE_DSN": "sqlite:///metrics/warehouse.db"}
    result = okrctl("measure", "--from-sources", "--date", "2026-10-03", cwd=root, env=env)
    assert result.code == 1
    assert result.out.splitlines() == [
        "ops.yaml: ops/daily-value: measured 16.0 on 2026-10-03",
        "ops.yaml: ops/weekly-sum: measured 31.5 on 2026-10-03",
    ]
    assert result.err == "okrctl: error: ops/broken (2026-10-03, datasource wh): no such table: nowhere\n"
    written = (root / "ops.yaml").read_text()
    assert written == KPIS.replace(
        "      - {date: 2026-10-01, value: 4}\n",
        "      - {date: 2026-10-01, value: 4}\n      - {date: 2026-10-03, value: 16.0}\n",
    ).replace(
        "and day < {end}'}\n",
        "and day < {end}'}\n    measurements:\n      - {date: 2026-10-03, value: 31.5}\n",
    )
    again = okrctl("measure", "--from-sources", "--date", "2026-10-03", "--only", "ops/daily-value", cwd=root, env=env)
    assert again.code == 0 and (root / "ops.yaml").read_text() == written


def test_measure_from_sources_without_the_extra_reports_each_kpi_and_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = goals_root(tmp_path)
    monkeypatch.setitem(sys.modules, "sqlalchemy", None)
    env = {"WAREHOUSE_DSN": "sqlite:///metrics/warehouse.db"}
    result = okrctl("measure", "--from-sources", "--date", "2026-10-03", "--format", "json", cwd=root, env=env)
    assert result.code == 1
    failed = [json.loads(line) for line in result.out.splitlines()]
    assert [(f["ref"], f["action"]) for f in failed] == [
        ("ops/daily-value", "failed"),
        ("ops/weekly-sum", "failed"),
        ("ops/broken", "failed"),
    ]
    assert "pip install 'okrctl[sql]'" in failed[0]["error"]
    assert (root / "ops.yaml").read_text() == KPIS


def test_measure_from_sources_never_shows_the_dsn_secret(tmp_path: Path) -> None:
    pytest.importorskip("psycopg")
    root = goals_root(tmp_path)
    env = {"WAREHOUSE_DSN": f"postgresql+psycopg://okr:{PASSWORD}@127.0.0.1:1/warehouse"}
    result = okrctl("measure", "--from-sources", "--date", "2026-10-03", cwd=root, env=env)
    assert result.code == 1
    assert "ops/daily-value (2026-10-03, datasource wh): cannot connect:" in result.err
    assert PASSWORD not in result.out + result.err
    assert (root / "ops.yaml").read_text() == KPIS


def test_a_backfill_asks_every_day_through_one_connection(tmp_path: Path) -> None:
    from sqlalchemy import event
    from sqlalchemy.pool import Pool

    root = goals_root(tmp_path)
    (root / "ops.yaml").write_text(KPIS.replace("    measurements:\n      - {date: 2026-10-01, value: 4}\n", ""))
    connections: list[object] = []

    def opened(connection: object, _record: object) -> None:
        connections.append(connection)

    event.listen(Pool, "connect", opened)
    try:
        env = {"WAREHOUSE_DSN": "sqlite:///metrics/warehouse.db"}
        result = okrctl("measure", "--from-sources", "--backfill", "2026-09-30..2026-10-03", cwd=root, env=env)
    finally:
        event.remove(Pool, "connect", opened)
    assert len(connections) == 1, result
    assert result.code == 1
    assert result.out.splitlines() == [
        "ops.yaml: ops/daily-value: measured 2.5 on 2026-09-30",
        "ops.yaml: ops/daily-value: measured 4.0 on 2026-10-01",
        "ops.yaml: ops/daily-value: measured 8.0 on 2026-10-02",
        "ops.yaml: ops/daily-value: measured 16.0 on 2026-10-03",
        "ops.yaml: ops/weekly-sum: measured 3.5 on 2026-09-30",  # 2026-09-24 .. 2026-09-30; next due 10-07
    ]
    assert result.err.splitlines() == [
        f"okrctl: error: ops/broken ({day}, datasource wh): no such table: nowhere"
        for day in ("2026-09-30", "2026-10-01", "2026-10-02", "2026-10-03")
    ]
