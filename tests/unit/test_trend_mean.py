"""The mean of the last three before the latest value: one computation for a KPI's trend and its arrow."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from okrctl.health import kpi_health, mean_before_latest
from okrctl.model import Kpi
from okrctl.reporters.kpi_view import direction


def health_of(values: list[float], **bands: Any) -> Any:
    start = date(2026, 10, 1)
    measurements = [{"date": (start + timedelta(days=i)).isoformat(), "value": v} for i, v in enumerate(values)]
    kpi = Kpi.model_validate({"id": "k", "title": "K", "measurements": measurements, **bands})
    return kpi_health("s/k", kpi, "s", date(2026, 11, 1), 2)


def test_the_mean_of_up_to_three_before_the_latest() -> None:
    assert mean_before_latest([1, 2, 3, 4, 10]) == 3.0  # 2, 3 and 4; the 1 is older, the 10 the latest
    assert mean_before_latest([4, 10]) == 4.0
    assert mean_before_latest([1e308, 1e308, 1e308, 1e308]) == 1e308  # shares first: no overflow


@pytest.mark.parametrize(
    ("values", "arrow", "trend"),
    [
        ([1, 2, 3, 4], "↑", "better"),
        ([4, 3, 2, 1], "↓", "worse"),
        ([2, 2, 2, 2], "→", "flat"),
        ([1e308, 1e308, 1e308, 1e308], "→", "flat"),  # a plain sum overflowed to inf and showed ↓
    ],
)
def test_the_arrow_and_the_trend_compare_with_the_same_mean(values: list[float], arrow: str, trend: str) -> None:
    health = health_of(values, green={"min": 0})
    assert (direction(health), health.trend) == (arrow, trend)
