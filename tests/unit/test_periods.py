"""Periods and fiscal years."""

from __future__ import annotations

from datetime import date

import pytest

from okrctl.periods import parse_period


@pytest.mark.parametrize(
    ("label", "fiscal_start", "start", "end"),
    [
        ("2026-Q1", 1, date(2026, 1, 1), date(2026, 3, 31)),
        ("2026-Q4", 1, date(2026, 10, 1), date(2026, 12, 31)),
        ("2026-H2", 1, date(2026, 7, 1), date(2026, 12, 31)),
        ("2026", 1, date(2026, 1, 1), date(2026, 12, 31)),
        ("2026-02", 1, date(2026, 2, 1), date(2026, 2, 28)),
        ("2028-02", 1, date(2028, 2, 1), date(2028, 2, 29)),
        ("2026-10-05..2026-11-15", 1, date(2026, 10, 5), date(2026, 11, 15)),
        # A fiscal year is labelled by the calendar year in which it ends.
        ("2027-Q1", 7, date(2026, 7, 1), date(2026, 9, 30)),
        ("2027-Q4", 7, date(2027, 4, 1), date(2027, 6, 30)),
        ("2027-H1", 7, date(2026, 7, 1), date(2026, 12, 31)),
        ("2027", 7, date(2026, 7, 1), date(2027, 6, 30)),
        ("2027-Q1", 10, date(2026, 10, 1), date(2026, 12, 31)),
        ("2027-Q2", 10, date(2027, 1, 1), date(2027, 3, 31)),
        ("2027-Q4", 10, date(2027, 7, 1), date(2027, 9, 30)),
        ("2027", 2, date(2026, 2, 1), date(2027, 1, 31)),
        ("2027-Q4", 2, date(2026, 11, 1), date(2027, 1, 31)),
        # Months and explicit ranges ignore the fiscal calendar.
        ("2026-11", 7, date(2026, 11, 1), date(2026, 11, 30)),
        ("2026-10-05..2026-11-15", 7, date(2026, 10, 5), date(2026, 11, 15)),
    ],
)
def test_periods(label: str, fiscal_start: int, start: date, end: date) -> None:
    period = parse_period(label, fiscal_start)
    assert (period.start, period.end, period.label) == (start, end, label)


@pytest.mark.parametrize(
    ("label", "message"),
    [
        ("2026-Q5", "'2026-Q5' is not a period: write 2026-Q4, 2026-H2, 2026, 2026-11 or 2026-10-05..2026-11-15"),
        ("2026-13", "'2026-13' is not a period: month 13 does not exist"),
        ("2026-11-15..2026-10-05", "'2026-11-15..2026-10-05' is not a period: it ends before it starts"),
        ("2026-02-30..2026-03-01", "'2026-02-30' is not a valid date (YYYY-MM-DD)"),
        ("0000", "'0000' is not a period: its dates are out of range"),
        ("Q4 2026", "'Q4 2026' is not a period: write 2026-Q4, 2026-H2, 2026, 2026-11 or 2026-10-05..2026-11-15"),
    ],
)
def test_bad_periods(label: str, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_period(label, 1)
    assert str(caught.value) == message


def test_enclosing() -> None:
    year, quarter, month = parse_period("2026"), parse_period("2026-Q4"), parse_period("2026-11")
    assert year.encloses(quarter) and quarter.encloses(month) and quarter.encloses(quarter)
    assert not quarter.encloses(year)
    assert quarter.days == 92
