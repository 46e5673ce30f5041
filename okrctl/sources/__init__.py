"""Where `okrctl measure --from-sources` reads KPI values: one module per datasource type, imported only
when a KPI asks that type (so the core keeps its start-up time, and `okrctl[sql]` stays optional).

A source answers one `Request` (a KPI, its `query:` and the day measured) with a `Reading` (the number as
text, written into the file as is), or raises `SourceError` with the source's own message: a timeout, an HTTP
or SQL error, no value, more than one, not a number, a command's failure. The caller reports it with the KPI's
reference and goes on with the other KPIs.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from importlib import import_module
from pathlib import Path
from typing import Protocol

from okrctl.config import Datasource
from okrctl.model import Query

__all__ = [
    "PLACEHOLDERS",
    "Reading",
    "Request",
    "Source",
    "SourceError",
    "Window",
    "add_months",
    "fill",
    "number_text",
    "open_source",
    "secret",
]


class SourceError(Exception):
    """A source could not give a KPI's value; the message says why, in the source's words."""


@dataclass(frozen=True)
class Window:
    """The day measured and the range of time its value covers: `{date}`, `{start}` and `{end}`.

    `end` is the day after `day`, and `start` the first day of the frequency's window ending on `day`: the day
    itself (daily), 6 or 13 days before (weekly, biweekly), a calendar month or quarter before `end`
    (monthly, quarterly: measured on 2026-06-30, the window is June; on 2026-07-15, June 16 to July 15). The
    half-open range `start <= t < end` covers the window exactly (`ts >= {start} and ts < {end}` in SQL), and
    the windows of the days a KPI is due on meet without overlapping; days are UTC days, and a Prometheus
    instant query is evaluated at `end`'s midnight UTC, the end of the day.
    """

    day: date
    start: date
    end: date

    @classmethod
    def of(cls, day: date, frequency: str | None) -> Window:
        end = day + timedelta(days=1)
        if frequency in ("monthly", "quarterly"):
            return cls(day, add_months(end, -1 if frequency == "monthly" else -3), end)
        return cls(day, day - timedelta(days={"weekly": 6, "biweekly": 13}.get(frequency or "daily", 0)), end)

    def values(self) -> dict[str, date]:
        return {"date": self.day, "start": self.start, "end": self.end}


def add_months(day: date, months: int) -> date:
    """`day` a number of calendar months later (or earlier): the same day of the month, or the month's last."""
    import calendar

    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


PLACEHOLDERS = ("{date}", "{start}", "{end}")


def fill(text: str, window: Window) -> str:
    """`text` with each placeholder written as its ISO date (PromQL, a command's argument; never SQL)."""
    for name, value in window.values().items():
        text = text.replace("{" + name + "}", value.isoformat())
    return text


@dataclass(frozen=True)
class Request:
    ref: str  # OWNER/KPI
    query: Query
    window: Window


@dataclass(frozen=True)
class Reading:
    value: str  # the number as text: written into the file as is
    note: str | None = None


class Source(Protocol):
    def read(self, request: Request) -> Reading:
        """The KPI's value for the request's day, or SourceError."""
        ...

    def close(self) -> None: ...


def number_text(value: object) -> str:
    """A value a source returned, as the text of a finite number to write; SourceError for anything else
    (None, a bool, text that is no number, NaN, infinity)."""
    from decimal import Decimal

    from okrctl.measurement_rows import parse_number
    from okrctl.writing import EditRefused

    if isinstance(value, bool) or value is None:
        raise SourceError(f"{_shown(value)} is not a number")
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise SourceError(f"{value} is not a finite number")
        value = format(value.normalize(), "f") if value == value.to_integral_value() else str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise SourceError(f"{value} is not a finite number")
        return repr(value)
    if isinstance(value, str):
        try:
            parse_number(value, "the value")
        except EditRefused:
            if _is_float(value) and not math.isfinite(float(value)):  # nan, inf: what a program may print
                raise SourceError(f"{_shown(value.strip())} is not a finite number") from None
            raise SourceError(f"{_shown(value.strip())} is not a number") from None
        return value.strip()
    raise SourceError(f"{_shown(value)} is not a number")


def _is_float(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:40] + "…" + text[-12:]


def secret(value: str, what: str, environ: Mapping[str, str] | None = None) -> str:
    """A config value that may be `env:VARIABLE`: the variable's value (SourceError when it is not set)."""
    if not value.startswith("env:"):
        return value
    name = value[len("env:") :]
    found = (os.environ if environ is None else environ).get(name)
    if not found:
        raise SourceError(f"{what} comes from the environment variable {name}, which is not set (or empty)")
    return found


# type → the module that reads it; each defines `connect(name, datasource, root) -> Source`
_MODULES = {
    "prometheus": "okrctl.sources.prometheus",
    "sql": "okrctl.sources.sql",
    "csv": "okrctl.sources.csv_file",
    "command": "okrctl.sources.command",
}


def open_source(name: str, datasource: Datasource, root: Path) -> Source:
    """The datasource `name`, ready to read (SourceError when it cannot be opened: a variable not set, the
    `okrctl[sql]` extra not installed, a file missing)."""
    module = import_module(_MODULES[datasource.type])
    source: Source = module.connect(name, datasource, root)
    return source
