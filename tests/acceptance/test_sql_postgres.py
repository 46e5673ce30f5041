"""The sql datasource against a real PostgreSQL server, started for this module (Debian's `postgresql`
package) on a free loopback port, with password authentication: values of each numeric type, `{date}`,
`{start}` and `{end}` bound as dates (casts beside them included), a statement timeout, SQL errors, read-only
transactions, the password never shown, and `okrctl measure --from-sources` writing what the server holds."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from conftest import run_okrctl

from okrctl.config import Datasource
from okrctl.model import Query
from okrctl.sources import Request, Source, SourceError, Window, open_source

PASSWORD = "pg-hunter2-swordfish"
USER = "okr"
DAY = date(2026, 10, 3)
DAILY = [("2026-09-27", "1.5", 1), ("2026-09-30", "2", 2), ("2026-10-01", "4", 3), ("2026-10-03", "12.25", 4)]


def _binaries() -> Path | None:
    """The folder of initdb, pg_ctl and postgres: on PATH, or Debian's /usr/lib/postgresql/VERSION/bin."""
    found = shutil.which("initdb")
    candidates = [Path(found).resolve().parent] if found else []
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name), reverse=True)
    for folder in [*candidates, *versions]:
        if all((folder / name).is_file() for name in ("initdb", "pg_ctl", "postgres")):
            return folder
    return None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass(frozen=True)
class Server:
    port: int

    def dsn(self, password: str = PASSWORD) -> str:
        return f"postgresql+psycopg://{USER}:{password}@127.0.0.1:{self.port}/postgres"

    def execute(self, sql: str, *parameters: Any) -> list[tuple[Any, ...]]:
        """Run SQL as the server's owner, outside okrctl (to set up tables and check what changed)."""
        import psycopg

        with psycopg.connect(
            host="127.0.0.1", port=self.port, user=USER, password=PASSWORD, dbname="postgres", autocommit=True
        ) as connection:
            cursor = connection.execute(sql, parameters or None)
            return cursor.fetchall() if cursor.description else []


@pytest.fixture(scope="module")
def postgres() -> Iterator[Server]:
    """A PostgreSQL server in a temporary folder, stopped and removed at the end of the module. PostgreSQL
    refuses to run as root: as root, it runs as Debian's `postgres` system user, which owns the folder."""
    pytest.importorskip("psycopg", reason="psycopg is in the dev extra: pip install -e '.[dev]'")
    binaries = _binaries()
    if binaries is None:
        pytest.skip("PostgreSQL's initdb, pg_ctl and postgres are not installed: apt-get install postgresql (Debian)")
    as_user: list[str] = []
    if os.geteuid() == 0:
        import pwd

        try:
            owner = pwd.getpwnam("postgres")
        except KeyError:
            pytest.skip("running as root needs the postgres system user that Debian's postgresql package creates")
        as_user = ["runuser", "-u", "postgres", "--"]
    # Not under pytest's tmp_path: its parents are root's alone, and the server's user must reach its folder.
    base = Path(tempfile.mkdtemp(prefix="okrctl-postgres-"))
    data, sockets, password_file = base / "data", base / "sockets", base / "password"
    sockets.mkdir()
    password_file.write_text(PASSWORD + "\n")
    if as_user:
        for path in (base, sockets, password_file):
            os.chown(path, owner.pw_uid, owner.pw_gid)
    port = _free_port()

    def run(*command: str) -> None:
        done = subprocess.run([*as_user, *command], cwd=base, capture_output=True, text=True, timeout=120)
        log = base / "server.log"
        assert done.returncode == 0, done.stdout + done.stderr + (log.read_text() if log.exists() else "")

    run(
        str(binaries / "initdb"),
        *("-D", str(data), "-U", USER, f"--pwfile={password_file}", "--auth=scram-sha-256"),
        *("--locale=C", "--encoding=UTF8", "--no-sync"),
    )
    options = f"-c listen_addresses=127.0.0.1 -p {port} -k {sockets} -c fsync=off -c full_page_writes=off"
    run(str(binaries / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(base / "server.log"), "-w", "start")
    try:
        server = Server(port)
        server.execute(
            "create table daily (day date primary key, value numeric, visits integer);"
            "create table labels (name text, flag boolean, ratio double precision);"
            "insert into labels values ('ten', true, 0.25);"
            "create sequence ticket"
        )
        for day, value, visits in DAILY:
            server.execute("insert into daily values (%s, %s, %s)", date.fromisoformat(day), value, visits)
        yield server
    finally:
        with contextlib.suppress(AssertionError, subprocess.TimeoutExpired):
            run(str(binaries / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture
def warehouse(postgres: Server, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Source]:
    monkeypatch.setenv("WAREHOUSE_DSN", postgres.dsn())
    source = open_source("wh", Datasource(type="sql", dsn="env:WAREHOUSE_DSN", timeout=1), tmp_path)
    yield source
    source.close()


def ask(source: Source, sql: str, day: date = DAY, frequency: str | None = None) -> str:
    request = Request("ops/kpi", Query.model_validate({"datasource": "wh", "sql": sql}), Window.of(day, frequency))
    return source.read(request).value


def refusal(source: Source, sql: str) -> str:
    with pytest.raises(SourceError) as raised:
        ask(source, sql)
    message = str(raised.value)
    assert PASSWORD not in message
    return message


@pytest.mark.parametrize(
    ("sql", "value"),
    [
        ("select value from daily where day = {date}", "12.25"),
        ("select visits from daily where day = {date}", "4"),
        ("select value * 4 from daily where day = {date}", "49"),  # numeric 49.00: the number, not its scale
        ("select ratio from labels", "0.25"),
        ("select 10000000000::bigint", "10000000000"),
        ("select -0.5::numeric", "-0.5"),
    ],
)
def test_each_numeric_type_gives_its_number(warehouse: Source, sql: str, value: str) -> None:
    assert ask(warehouse, sql) == value


def test_the_window_is_bound_as_dates(warehouse: Source) -> None:
    weekly = "select sum(value) from daily where day >= {start} and day < {end}"
    assert ask(warehouse, weekly, frequency="weekly") == "19.75"  # 2026-09-27 .. 2026-10-03
    assert ask(warehouse, weekly, date(2026, 10, 2), "weekly") == "7.5"  # 2026-09-26 .. 2026-10-02
    assert ask(warehouse, "select ({end} - {start}) * 1", frequency="weekly") == "7"  # date - date: days


def test_casts_beside_placeholders_keep_working(warehouse: Source) -> None:
    sql = (
        "select count(*)::numeric from daily "
        "where day between {start}::date and {date}::date and to_char({date}::date, 'YYYY:MM') = '2026:10'"
    )
    assert ask(warehouse, sql, frequency="weekly") == "4"
    assert ask(warehouse, "select extract(day from {date}::timestamp)::int") == "3"
    assert ask(warehouse, "select length(':a {b} {dates}')") == "14"


def test_comments_are_left_alone_and_quotes_refused(warehouse: Source) -> None:
    assert ask(warehouse, "select visits /* {start}..{end} */ from daily where day = {date} -- {date}::date") == "4"
    for quoted in ("select 'day {date}'", "select $${date}$$", "select $q$ it's {end} $q$", 'select "{date}"'):
        assert refusal(warehouse, quoted) == (
            "write {date}, {start} and {end} without quotes: each is a bound parameter (a date)"
        )
    assert ask(warehouse, "select length($q$ it's $q$) + visits from daily where day = {date}") == "10"


class HostileDay(date):
    def isoformat(self) -> str:
        return "2026-10-03' or 'x' = 'x"

    def __str__(self) -> str:
        return self.isoformat()


def test_a_value_is_never_pasted_into_the_sql(warehouse: Source) -> None:
    hostile = HostileDay(2026, 9, 30)
    query = Query.model_validate({"datasource": "wh", "sql": "select count(*) from daily where day = {date}"})
    assert warehouse.read(Request("ops/kpi", query, Window(hostile, hostile, hostile))).value == "1"


@pytest.mark.parametrize(
    ("sql", "message"),
    [
        ("select value from daily where day = {date} - 100", "the query returned no rows"),
        ("select value from daily", "the query returned more than one value (4 rows)"),
        ("select value, visits from daily where day = {date}", "the query returned more than one value (2 columns)"),
        ("select value from daily where day = {date} - 1 union all select null", "the query returned no value (NULL)"),
        ("select name from labels", "'ten' is not a number"),
        ("select flag from labels", "True is not a number"),
        ("select {date}", "datetime.date(2026, 10, 3) is not a number"),
        ("select value from nowhere", 'relation "nowhere" does not exist'),
        ("select 1 +", "syntax error at end of input"),
        ("select 1 / 0", "division by zero"),
    ],
)
def test_each_failure_has_the_databases_message(warehouse: Source, sql: str, message: str) -> None:
    assert refusal(warehouse, sql) == message


def test_a_query_past_the_timeout_is_cancelled(warehouse: Source) -> None:
    started = time.monotonic()
    assert refusal(warehouse, "select pg_sleep(10)::text::int") == (
        "the query did not finish within 1 s (canceling statement due to statement timeout)"
    )
    assert time.monotonic() - started < 5
    assert ask(warehouse, "select 1") == "1"  # the connection is still good


def test_a_connection_the_server_ended_is_reported_and_opened_again(warehouse: Source, postgres: Server) -> None:
    assert ask(warehouse, "select 1") == "1"
    postgres.execute(
        "select pg_terminate_backend(pid) from pg_stat_activity "
        "where pid <> pg_backend_pid() and backend_type = 'client backend'"
    )
    assert refusal(warehouse, "select 2") == "terminating connection due to administrator command"
    assert ask(warehouse, "select 3") == "3"


def test_a_query_cannot_change_the_database(warehouse: Source, postgres: Server) -> None:
    before = postgres.execute("select count(*), sum(value) from daily")
    assert refusal(warehouse, "insert into daily values ('2030-01-01', 99, 1) returning 1") == (
        "cannot execute INSERT in a read-only transaction"
    )
    assert refusal(warehouse, "with gone as (delete from daily returning 1) select count(*) from gone") == (
        "cannot execute SELECT in a read-only transaction"  # the statement, whose CTE deletes
    )
    assert refusal(warehouse, "select nextval('ticket')") == "cannot execute nextval() in a read-only transaction"
    assert postgres.execute("select count(*), sum(value) from daily") == before
    assert postgres.execute("select last_value, is_called from ticket") == [(1, False)]


# Samples around 2026-10-03 (UTC): 1 before its midnight, 10 + 100 + 1000 within it, 10000 after it.
EVENTS = [
    ("2026-10-02 23:30Z", 1),
    ("2026-10-03 00:30Z", 10),
    ("2026-10-03 04:30Z", 100),
    ("2026-10-03 23:30Z", 1000),
    ("2026-10-04 00:30Z", 10000),
]
DAY_OF_EVENTS = [
    "select sum(v) from events where t >= {start}::timestamptz and t < {end}::timestamptz",
    "select sum(v) from events where t >= {start} and t < {end}",
    "select sum(v) from events where t::date = {date}",
    "select extract(epoch from {date}::timestamptz)::bigint",
]


@pytest.fixture(scope="module")
def zoned(postgres: Server) -> Server:
    """A table of timestamptz samples; a role whose time zone is New York's, and a database whose zone is
    Tokyo's (the role's own setting wins over the database's, so the owner reads that one)."""
    postgres.execute(
        "create table events (t timestamptz, v integer);"
        f"create role eastern login password '{PASSWORD}';"
        "alter role eastern set timezone = 'America/New_York';"
        "grant select on events to eastern"
    )
    for moment, value in EVENTS:
        postgres.execute("insert into events values (%s, %s)", moment, value)
    postgres.execute("create database tokyo")
    postgres.execute("alter database tokyo set timezone = 'Asia/Tokyo'")
    with psycopg_connect(postgres, "tokyo") as connection:
        connection.execute("create table events (t timestamptz, v integer)")
        for moment, value in EVENTS:
            connection.execute("insert into events values (%s, %s)", (moment, value))
    return postgres


def psycopg_connect(server: Server, database: str, user: str = USER) -> Any:
    import psycopg

    return psycopg.connect(
        host="127.0.0.1", port=server.port, user=user, password=PASSWORD, dbname=database, autocommit=True
    )


@pytest.mark.parametrize(
    ("user", "database", "zone"), [("eastern", "postgres", "America/New_York"), (USER, "tokyo", "Asia/Tokyo")]
)
def test_a_day_is_a_utc_day_whatever_the_sessions_time_zone(
    zoned: Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, user: str, database: str, zone: str
) -> None:
    with psycopg_connect(zoned, database, user) as connection:  # outside okrctl, the session has that zone
        assert connection.execute("select current_setting('TimeZone')").fetchone() == (zone,)
    dsn = f"postgresql+psycopg://{user}:{PASSWORD}@127.0.0.1:{zoned.port}/{database}"
    monkeypatch.setenv("WAREHOUSE_DSN", dsn)
    source = open_source("wh", Datasource(type="sql", dsn="env:WAREHOUSE_DSN", timeout=5), tmp_path)
    try:
        assert [ask(source, sql) for sql in DAY_OF_EVENTS] == ["1110", "1110", "1110", "1790985600"]
        assert ask(source, "select (current_setting('TimeZone') = 'UTC')::int") == "1"
        assert ask(source, DAY_OF_EVENTS[0], date(2026, 10, 4)) == "10000"
        assert ask(source, DAY_OF_EVENTS[1], frequency="weekly") == "1111"  # 2026-09-27 .. 2026-10-03
    finally:
        source.close()


def test_a_wrong_password_is_reported_without_either_password(
    postgres: Server, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    wrong = "not-the-" + PASSWORD
    monkeypatch.setenv("WAREHOUSE_DSN", postgres.dsn(wrong))
    with pytest.raises(SourceError) as raised:
        open_source("wh", Datasource(type="sql", dsn="env:WAREHOUSE_DSN", timeout=5), tmp_path)
    message = str(raised.value)
    assert message.startswith("datasource wh: cannot connect: ")
    assert f'password authentication failed for user "{USER}"' in message
    assert wrong not in message and PASSWORD not in message


CONFIG = "datasources:\n  wh: {type: sql, dsn: env:WAREHOUSE_DSN, timeout: 2}\n"
KPIS = """kind: kpis
owner: ops
kpis:
  - id: revenue
    title: Revenue
    frequency: daily
    query: {datasource: wh, sql: 'select value from daily where day = {date}::date'}
  - id: weekly-visits
    title: Weekly visits
    frequency: weekly
    query: {datasource: wh, sql: 'select sum(visits) from daily where day >= {start} and day < {end}'}
  - id: slow
    title: Slow
    frequency: daily
    query: {datasource: wh, sql: 'select pg_sleep(10)::text::numeric'}
"""


def test_measure_from_sources_writes_what_the_server_holds(postgres: Server, tmp_path: Path) -> None:
    (tmp_path / "okrctl.yaml").write_text(CONFIG)
    (tmp_path / "ops.yaml").write_text(KPIS)
    env = {"WAREHOUSE_DSN": postgres.dsn()}
    result = run_okrctl("measure", "--from-sources", "--date", "2026-10-03", cwd=tmp_path, env=env)
    assert result.code == 1, result.err
    assert result.out.splitlines() == [
        "ops.yaml: ops/revenue: measured 12.25 on 2026-10-03",
        "ops.yaml: ops/weekly-visits: measured 10 on 2026-10-03",
    ]
    assert result.err == (
        "okrctl: error: ops/slow (2026-10-03, datasource wh): "
        "the query did not finish within 2 s (canceling statement due to statement timeout)\n"
    )
    assert PASSWORD not in result.out + result.err
    written = (tmp_path / "ops.yaml").read_text()
    assert "    measurements:\n      - {date: 2026-10-03, value: 12.25}\n" in written
    assert "    measurements:\n      - {date: 2026-10-03, value: 10}\n" in written
    assert written.count("measurements:") == 2
