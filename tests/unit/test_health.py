"""KPI bands, staleness and trend."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from okrctl.health import kpi_health
from okrctl.model import Kpi


def kpi(**fields: Any) -> Kpi:
    return Kpi.model_validate({"id": "k", "title": "K", **fields})


@pytest.mark.parametrize(
    ("bands", "value", "status"),
    [
        ({"green": {"min": 4.6}, "amber": {"min": 4.3}}, 4.6, "green"),  # min only: higher is better
        ({"green": {"min": 4.6}, "amber": {"min": 4.3}}, 4.3, "amber"),
        ({"green": {"min": 4.6}, "amber": {"min": 4.3}}, 4.29, "red"),
        ({"green": {"max": 4}, "amber": {"max": 8}}, 4, "green"),  # max only: lower is better
        ({"green": {"max": 4}, "amber": {"max": 8}}, 8, "amber"),
        ({"green": {"max": 4}, "amber": {"max": 8}}, 8.01, "red"),
        ({"green": {"min": 18, "max": 24}, "amber": {"min": 16, "max": 26}}, 24, "green"),  # a range
        ({"green": {"min": 18, "max": 24}, "amber": {"min": 16, "max": 26}}, 16, "amber"),
        ({"green": {"min": 18, "max": 24}, "amber": {"min": 16, "max": 26}}, 26.5, "red"),
        ({"green": {"min": 18, "max": 24}}, 17, "red"),  # no amber band: straight to red
        ({"amber": {"min": 5}}, 6, "amber"),  # no green band: no value is green, so amber or red
        ({"amber": {"min": 5}}, 5, "amber"),
        ({"amber": {"min": 5}}, 4, "red"),
        ({"amber": {"min": 16, "max": 26}}, 27, "red"),
        ({}, 17, "unknown"),  # no band at all: cannot judge
    ],
)
def test_bands_with_exact_boundaries(bands: dict[str, Any], value: float, status: str) -> None:
    health = kpi_health(
        "s/k", kpi(measurements=[{"date": "2026-11-01", "value": value}], **bands), "s", date(2026, 11, 1), 2
    )
    assert health.status == status


def test_no_data() -> None:
    health = kpi_health("s/k", kpi(measurements=[{"date": "2026-12-01", "value": 1}]), "s", date(2026, 11, 1), 2)
    assert (health.status, health.value, health.stale, health.trend) == ("no_data", None, False, None)


@pytest.mark.parametrize(
    ("frequency", "last", "stale"),
    [
        ("weekly", date(2026, 11, 14), False),  # 9 days = 7 + 2 grace: exactly at the limit
        ("weekly", date(2026, 11, 13), True),  # one day past
        ("daily", date(2026, 11, 20), False),
        ("daily", date(2026, 11, 19), True),
        ("monthly", date(2026, 10, 21), False),
        ("quarterly", date(2026, 8, 21), False),  # 94 days = 92 + 2
        ("quarterly", date(2026, 8, 20), True),
    ],
)
def test_staleness_at_and_past_the_limit(frequency: str, last: date, stale: bool) -> None:
    measured = kpi(frequency=frequency, measurements=[{"date": last.isoformat(), "value": 1}])
    assert kpi_health("s/k", measured, "s", date(2026, 11, 23), 2).stale is stale


@pytest.mark.parametrize(
    ("green", "values", "trend"),
    [
        ({"min": 4.6}, [4.0, 4.2, 4.4, 4.5], "better"),  # 4.5 against mean(4.0, 4.2, 4.4) = 4.2
        ({"min": 4.6}, [4.9, 4.2, 4.4, 4.6, 4.3], "worse"),  # only the three before count: mean 4.4
        ({"max": 4}, [6.0, 5.0], "better"),  # lower is better
        ({"min": 18, "max": 24}, [26.0, 22.0], "better"),  # closer to the middle (21)
        ({"min": 18, "max": 24}, [21.0, 18.5], "worse"),
        ({"min": 18, "max": 24}, [19.0, 23.0], "flat"),  # as far from the middle either side
        ({"min": 1}, [3.0], None),  # fewer than two measurements
    ],
)
def test_trend(green: dict[str, float], values: list[float], trend: str | None) -> None:
    measurements = [{"date": f"2026-11-{i + 1:02d}", "value": v} for i, v in enumerate(values)]
    assert kpi_health("s/k", kpi(green=green, measurements=measurements), "s", date(2026, 11, 30), 2).trend == trend


def test_an_amber_only_kpi_trends_in_the_direction_of_its_amber_band() -> None:
    measurements = [{"date": "2026-10-20", "value": 6}, {"date": "2026-10-21", "value": 4}]
    health = kpi_health("s/k", kpi(amber={"min": 5}, measurements=measurements), "s", date(2026, 10, 22), 2)
    assert (health.status, health.trend) == ("red", "worse")
    lower = kpi_health("s/k", kpi(amber={"max": 5}, measurements=measurements), "s", date(2026, 10, 22), 2)
    assert (lower.status, lower.trend) == ("amber", "better")


@pytest.mark.parametrize(
    ("green", "values", "trend"),
    [
        ({"min": 0}, [1e308, 1e308, 1e308, 1e308], "flat"),
        ({"min": 0}, [1e308, 1e308, -1e308], "worse"),  # the plain mean overflows to inf: "flat"
        ({"min": 1e308, "max": 1.5e308}, [1.7e308, 1.3e308], "better"),  # the plain middle overflows
    ],
)
def test_trend_near_the_float_range(green: dict[str, float], values: list[float], trend: str) -> None:
    measurements = [{"date": f"2026-11-{i + 1:02d}", "value": v} for i, v in enumerate(values)]
    assert kpi_health("s/k", kpi(green=green, measurements=measurements), "s", date(2026, 11, 30), 2).trend == trend
