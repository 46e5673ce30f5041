"""Periods: quarters, halves and years on a fiscal calendar, calendar months and explicit ranges."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

_QUARTER = re.compile(r"(\d{4})-Q([1-4])\Z")
_HALF = re.compile(r"(\d{4})-H([12])\Z")
_YEAR = re.compile(r"(\d{4})\Z")
_MONTH = re.compile(r"(\d{4})-(\d{2})\Z")
_RANGE = re.compile(r"(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})\Z")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")

PERIOD_FORMS = "2026-Q4, 2026-H2, 2026, 2026-11 or 2026-10-05..2026-11-15"
# The shapes above as one pattern, for the editor schema (the calendar checks stay parse_period's).
PERIOD_PATTERN = r"^\d{4}(-Q[1-4]|-H[12]|-(0[1-9]|1[0-2])|-\d{2}-\d{2}\.\.\d{4}-\d{2}-\d{2})?$"


class PeriodError(ValueError):
    """A date or period label we cannot read; the message says how to write it."""


@dataclass(frozen=True, order=True)
class Period:
    """A labelled, inclusive range of days."""

    start: date
    end: date
    label: str

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    def encloses(self, other: Period) -> bool:
        return self.start <= other.start and other.end <= self.end


def parse_date(text: str) -> date:
    """A strict `YYYY-MM-DD` date; ValueError with a readable message otherwise."""
    if not _DATE.match(text):
        raise PeriodError(f"{text!r} is not a date: write YYYY-MM-DD")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise PeriodError(f"{text!r} is not a valid date (YYYY-MM-DD)") from None


def _add_months(year: int, month: int, months: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + months
    return index // 12, index % 12 + 1


def _month_span(year: int, month: int, months: int, label: str) -> Period:
    """`months` calendar months starting with (year, month)."""
    end_year, end_month = _add_months(year, month, months - 1)
    last_day = calendar.monthrange(end_year, end_month)[1]
    return Period(date(year, month, 1), date(end_year, end_month, last_day), label)


def fiscal_year_start(year: int, start_month: int) -> tuple[int, int]:
    """First (year, month) of fiscal year `year`, which is labelled by the calendar year it ends in."""
    return (year, 1) if start_month == 1 else (year - 1, start_month)


def quarter_of(day: date, start_month: int = 1) -> Period:
    """The fiscal quarter that contains `day`."""
    for year in (day.year, day.year + 1):
        for quarter in range(1, 5):
            period = parse_period(f"{year}-Q{quarter}", start_month)
            if period.contains(day):
                return period
    raise PeriodError(f"no quarter contains {day}")  # unreachable: fiscal years tile the calendar


def parse_period(label: str, start_month: int = 1) -> Period:
    """Parse a period label; quarters, halves and years follow the fiscal year starting in `start_month`."""
    try:
        return _parse_period(label, start_month)
    except PeriodError:
        raise
    except (OverflowError, ValueError):  # from `date()`: a year such as 0000 or one past 9999
        raise PeriodError(f"{label!r} is not a period: its dates are out of range") from None


def _parse_period(label: str, start_month: int) -> Period:
    if match := _QUARTER.match(label):
        year, month = fiscal_year_start(int(match[1]), start_month)
        return _month_span(*_add_months(year, month, 3 * (int(match[2]) - 1)), 3, label)
    if match := _HALF.match(label):
        year, month = fiscal_year_start(int(match[1]), start_month)
        return _month_span(*_add_months(year, month, 6 * (int(match[2]) - 1)), 6, label)
    if match := _YEAR.match(label):
        return _month_span(*fiscal_year_start(int(match[1]), start_month), 12, label)
    if match := _MONTH.match(label):
        month = int(match[2])
        if not 1 <= month <= 12:
            raise PeriodError(f"{label!r} is not a period: month {month} does not exist")
        return _month_span(int(match[1]), month, 1, label)
    if match := _RANGE.match(label):
        first, last = parse_date(match[1]), parse_date(match[2])
        if last < first:
            raise PeriodError(f"{label!r} is not a period: it ends before it starts")
        return Period(first, last, label)
    raise PeriodError(f"{label!r} is not a period: write {PERIOD_FORMS}")


def previous_period(period: Period, start_month: int = 1) -> Period:
    """The period of the same kind just before `period`: the quarter, half, year or month before it, or, for
    a range of days, the range of as many days that ends the day before it starts."""
    label = period.label
    if match := _QUARTER.match(label):
        year, quarter = int(match[1]), int(match[2])
        label = f"{year:04d}-Q{quarter - 1}" if quarter > 1 else f"{year - 1:04d}-Q4"
    elif match := _HALF.match(label):
        year, half = int(match[1]), int(match[2])
        label = f"{year:04d}-H1" if half == 2 else f"{year - 1:04d}-H2"
    elif match := _YEAR.match(label):
        label = f"{int(match[1]) - 1:04d}"
    elif match := _MONTH.match(label):
        year, month = _add_months(int(match[1]), int(match[2]), -1)
        label = f"{year:04d}-{month:02d}"
    else:
        try:
            end = period.start - timedelta(days=1)
            start = end - timedelta(days=period.days - 1)
        except OverflowError:
            raise PeriodError(f"no period comes before {period.label}") from None
        label = f"{start.isoformat()}..{end.isoformat()}"
    return parse_period(label, start_month)
