"""A sql datasource: a query run through SQLAlchemy (the `okrctl[sql]` extra, plus the database's own driver,
such as psycopg for PostgreSQL), returning one row of one number.

`{date}`, `{start}` and `{end}` in the query are bound parameters (dates), never text pasted into the SQL, so a
PostgreSQL cast such as `{date}::date` works and nothing a value holds can change the statement. Each query
runs in a transaction that is always rolled back, read-only where the database allows it (PostgreSQL, SQLite),
within the datasource's timeout. A relative SQLite path (`sqlite:///metrics.db`) is read from the goals root.

SQLAlchemy is imported here only, when a KPI asks a sql datasource: the core never loads it.
"""

from __future__ import annotations

import contextlib
import math
import re
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, quote_plus

from okrctl.config import Datasource
from okrctl.sources import Reading, Request, SourceError, number_text, secret

if TYPE_CHECKING:
    from sqlalchemy.engine import URL, Connection, Engine

__all__ = ["SqlSource", "bound", "connect"]

EXTRA_HINT = (
    "the sql datasource needs the okrctl[sql] extra: pip install 'okrctl[sql]' "
    "(and the database's driver too, e.g. pip install 'psycopg[binary]' for PostgreSQL)"
)
# More rows than this are not counted: the message says "more than 100 rows".
ROWS_COUNTED = 100
_PLACEHOLDER = re.compile(r"\{(date|start|end)\}")
QUOTED_HINT = "write {date}, {start} and {end} without quotes: each is a bound parameter (a date)"
# What the query holds besides plain SQL: a comment, where a placeholder is left as written, or a quoted string
# or name, where one is refused. MySQL escapes a quote with a backslash too; PostgreSQL has $tag$ quotes.
_COMMENT = r"--[^\n]*|/\*.*?(?:\*/|\Z)"
_QUOTES = r"'(?:[^']|'')*(?:'|\Z)|\"(?:[^\"]|\"\")*(?:\"|\Z)|`(?:[^`]|``)*(?:`|\Z)"
_BACKSLASH_QUOTES = r"'(?:[^'\\]|\\.|'')*(?:'|\Z)|\"(?:[^\"\\]|\\.|\"\")*(?:\"|\Z)|`(?:[^`]|``)*(?:`|\Z)"
_DOLLAR_QUOTE = r"(?<![\w$])\$(?P<tag>(?:[A-Za-z_]\w*)?)\$.*?(?:\$(?P=tag)\$|\Z)"
_MYSQL_TOKENS = re.compile(rf"(?P<comment>{_COMMENT}|\#[^\n]*)|(?P<quoted>{_BACKSLASH_QUOTES})", re.S)
_TOKENS = {
    "mysql": _MYSQL_TOKENS,
    "mariadb": _MYSQL_TOKENS,
    "postgresql": re.compile(rf"(?P<comment>{_COMMENT})|(?P<quoted>{_QUOTES}|{_DOLLAR_QUOTE})", re.S),
}
_STANDARD_TOKENS = re.compile(rf"(?P<comment>{_COMMENT})|(?P<quoted>{_QUOTES})", re.S)


def bound(sql: str, dialect: str = "") -> tuple[str, list[str]]:
    """The query as `sqlalchemy.text` reads it, and the placeholders it binds.

    Each `{date}`, `{start}`, `{end}` becomes the bind parameter `:date`, `:start`, `:end` (spaced, so a word
    beside it stays apart); every other colon is escaped, so `::numeric` or a `:name` the query holds stays
    literal text, as do braces that are no placeholder. A placeholder in a comment is left as written; one in
    quotes is refused (SourceError): a bound parameter cannot be part of a string.
    """
    text: list[str] = []
    names: list[str] = []
    done = 0
    for match in _TOKENS.get(dialect, _STANDARD_TOKENS).finditer(sql):
        _bind(sql[done : match.start()], text, names)
        if match.group("quoted") and _PLACEHOLDER.search(match.group()):
            raise SourceError(QUOTED_HINT)
        text.append(_escaped(match.group()))
        done = match.end()
    _bind(sql[done:], text, names)
    return "".join(text), list(dict.fromkeys(names))


def _bind(sql: str, text: list[str], names: list[str]) -> None:
    """Plain SQL: each placeholder a bind parameter, every other colon escaped."""
    for index, part in enumerate(_PLACEHOLDER.split(sql)):
        if index % 2:  # a placeholder's name (split keeps the group)
            text.append(f" :{part} ")
            names.append(part)
        else:
            text.append(_escaped(part))


def _escaped(sql: str) -> str:
    return sql.replace(":", "\\:")


class SqlSource:
    def __init__(self, engine: Engine, connection: Connection, timeout: float, hidden: list[str]) -> None:
        self._engine = engine
        self._connection = connection
        self._timeout = timeout
        self._hidden = hidden
        self._dialect = engine.dialect.name

    def read(self, request: Request) -> Reading:
        from sqlalchemy import Date, bindparam, exc, text

        sql = request.query.sql or ""
        statement, names = bound(sql, self._dialect)
        values = request.window.values()
        query = text(statement).bindparams(*(bindparam(name, values[name], type_=Date) for name in names))
        transaction = None
        try:
            with _quiet():
                transaction = self._connection.begin()  # fails too when the server went away since the last read
                self._guard()
                result = self._connection.execute(query)
                if not result.returns_rows:
                    raise SourceError("the statement returned no rows (it is not a select)")
                columns = len(result.keys())
                rows = result.fetchmany(ROWS_COUNTED + 1)
        except exc.SQLAlchemyError as error:
            raise SourceError(self._said(error)) from None
        finally:
            if transaction is not None:
                with _quiet():
                    self._rollback(transaction)
        if not rows:
            raise SourceError("the query returned no rows")
        if len(rows) > 1:
            counted = f"more than {ROWS_COUNTED}" if len(rows) > ROWS_COUNTED else str(len(rows))
            raise SourceError(f"the query returned more than one value ({counted} rows)")
        if columns != 1:
            raise SourceError(f"the query returned more than one value ({columns} columns)")
        value = rows[0][0]
        if value is None:
            raise SourceError("the query returned no value (NULL)")
        return Reading(number_text(value))

    def _guard(self) -> None:
        """Make the transaction read-only and bound its statements by the timeout, where the database can; on
        PostgreSQL, read in UTC, whatever zone the role, database or server sets: a day is a UTC day, so a date
        cast to or compared with a timestamptz must mean its midnight UTC."""
        from sqlalchemy import text

        if self._dialect == "postgresql":
            self._connection.execute(text("SET TRANSACTION READ ONLY"))
            milliseconds = str(max(1, math.ceil(self._timeout * 1000)))
            self._connection.execute(
                text("SELECT set_config('statement_timeout', :ms, true), set_config('TimeZone', 'UTC', true)"),
                {"ms": milliseconds},
            )
        elif self._dialect == "sqlite":
            self._connection.exec_driver_sql("PRAGMA query_only = ON")

    def _rollback(self, transaction: Any) -> None:
        from sqlalchemy import exc

        with contextlib.suppress(exc.SQLAlchemyError):  # the connection is gone: the next read says so
            transaction.rollback()

    def _said(self, error: Exception) -> str:
        """The database's own first line for a failed query, with nothing of the DSN's secret in it."""
        message = _first_line(getattr(error, "orig", None) or error)
        if "statement timeout" in message:
            message = f"the query did not finish within {self._timeout:g} s ({message})"
        return _hide(message, self._hidden)

    def close(self) -> None:
        from sqlalchemy import exc

        try:
            self._connection.close()
        except exc.SQLAlchemyError:
            pass
        finally:
            self._engine.dispose()


def connect(name: str, datasource: Datasource, root: Path) -> SqlSource:
    try:
        import sqlalchemy
        from sqlalchemy import exc
    except ImportError:
        raise SourceError(f"datasource {name}: {EXTRA_HINT}") from None
    assert datasource.dsn is not None  # the config requires it
    dsn = secret(datasource.dsn, f"datasource {name}: the dsn")
    try:
        url = sqlalchemy.engine.make_url(dsn)
    except (exc.ArgumentError, ValueError):
        raise SourceError(
            f"datasource {name}: the dsn is not a database URL (dialect+driver://user:password@host/database)"
        ) from None
    password = url.password or ""
    hidden = [text for text in (dsn, password, quote_plus(password), quote(password, safe="")) if text]
    url = _with_root(name, url, root)
    try:
        with _quiet():
            engine = sqlalchemy.create_engine(
                url, poolclass=sqlalchemy.pool.NullPool, connect_args=_timeouts(url, datasource.timeout)
            )
    except exc.NoSuchModuleError:
        raise SourceError(f"datasource {name}: no SQLAlchemy dialect {url.drivername!r}") from None
    except ImportError as error:
        driver = error.name or url.get_driver_name()
        raise SourceError(
            f"datasource {name}: the {url.get_backend_name()} driver {driver!r} is not installed "
            f"(pip install it, or name an installed driver in the dsn: dialect+driver://…)"
        ) from None
    except (exc.SQLAlchemyError, TypeError, ValueError) as error:
        raise SourceError(f"datasource {name}: {_hide(_first_line(error), hidden)}") from None
    try:
        with _quiet():
            connection = engine.connect()
    except exc.SQLAlchemyError as error:
        engine.dispose()
        said = _hide(_first_line(getattr(error, "orig", None) or error), hidden)
        raise SourceError(f"datasource {name}: cannot connect: {said}") from None
    return SqlSource(engine, connection, datasource.timeout, hidden)


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """No warning of SQLAlchemy's or the driver's (a URL argument ignored, …) printed raw on standard error,
    with a line of okrctl's source: what matters fails the read, with a message."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


def _with_root(name: str, url: URL, root: Path) -> URL:
    """A SQLite URL's relative path read from the goals root; a missing database file is an error (SQLite would
    create an empty one)."""
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return url
    if url.database.startswith("file:"):  # a URI filename: SQLite reads it as given
        return url
    path = Path(url.database)
    if not path.is_absolute():
        path = root / path
    if not path.is_file():
        raise SourceError(f"datasource {name}: no SQLite database {url.database} (read from {path})")
    return url.set(database=str(path))


def _timeouts(url: URL, timeout: float) -> dict[str, Any]:
    """The driver's connect timeout (SQLite: how long to wait for a locked database)."""
    driver = url.get_driver_name()
    if url.get_backend_name() == "sqlite":
        return {"timeout": timeout}
    if driver in {"psycopg", "psycopg2", "pymysql", "mysqldb"}:
        return {"connect_timeout": max(1, math.ceil(timeout))}
    if driver == "pg8000":
        return {"timeout": timeout}
    return {}


def _first_line(error: object) -> str:
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    return lines[0][:300] if lines else type(error).__name__


def _hide(message: str, hidden: list[str]) -> str:
    for secret_text in hidden:
        message = message.replace(secret_text, "***")
    return message
