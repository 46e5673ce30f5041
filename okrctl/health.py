"""KPI health as of a date: band, staleness and trend. Pure functions, no I/O."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

from okrctl.model import FREQUENCY_DAYS, Band, Kpi, Measurement

BandStatus = Literal["green", "amber", "red", "no_data", "unknown"]
Trend = Literal["better", "worse", "flat"]


def band_of(kpi: Kpi, value: float) -> BandStatus:
    """green inside the green band, else amber inside the amber band, else red: without a green
    band no value is green. `unknown` only for a KPI with no band at all."""
    if kpi.green is None and kpi.amber is None:
        return "unknown"
    if kpi.green is not None and kpi.green.contains(value):
        return "green"
    if kpi.amber is not None and kpi.amber.contains(value):
        return "amber"
    return "red"


def measurements_until(kpi: Kpi, day: date) -> list[Measurement]:
    """Measurements dated on or before `day`, oldest first; on one date, the later in the file wins."""
    by_date: dict[date, Measurement] = {}
    for measurement in kpi.measurements:
        if measurement["date"] <= day:
            by_date[measurement["date"]] = measurement
    return [by_date[d] for d in sorted(by_date)]


def _goodness(green: Band, value: float) -> float:
    """Higher is better: the value itself, its negation, or minus the distance to the band's middle."""
    if green.min is not None and green.max is not None:
        return -abs(value - (green.min / 2 + green.max / 2))  # halves first: finite for any two floats
    if green.min is not None:
        return value
    return -value


def mean_before_latest(values: Sequence[float]) -> float:
    """The mean of up to three values before the last one: what a trend compares the latest value with."""
    before = values[-4:-1]
    return sum(value / len(before) for value in before)  # shares first: finite for values near 1e308


def trend_of(kpi: Kpi, history: list[Measurement]) -> Trend | None:
    """The latest value against the mean of up to three before it, in the direction green prefers (amber's,
    for a KPI with only an amber band)."""
    band = kpi.green or kpi.amber
    if len(history) < 2 or band is None:
        return None
    latest = history[-1]["value"]
    mean = mean_before_latest([m["value"] for m in history[-4:]])
    change = _goodness(band, latest) - _goodness(band, mean)
    if abs(change) <= 1e-9 * max(1.0, abs(latest), abs(mean)):
        return "flat"
    return "better" if change > 0 else "worse"


@dataclass(frozen=True)
class KpiHealth:
    ref: str
    title: str
    owner: str
    unit: str | None
    value: float | None
    date: date | None
    status: BandStatus
    stale: bool
    trend: Trend | None
    history: tuple[float, ...]  # every value up to the as-of date, oldest first (for sparklines)
    bands: tuple[tuple[str, float | None, float | None], ...] = ()  # (name, min, max) of green and amber


def bands_of(kpi: Kpi) -> tuple[tuple[str, float | None, float | None], ...]:
    return tuple((name, band.min, band.max) for name, band in (("green", kpi.green), ("amber", kpi.amber)) if band)


def kpi_health(ref: str, kpi: Kpi, file_owner: str, as_of: date, grace_days: int) -> KpiHealth:
    history = measurements_until(kpi, as_of)
    if not history:
        return KpiHealth(
            ref, kpi.title, kpi.owner or file_owner, kpi.unit, None, None, "no_data", False, None, (), bands_of(kpi)
        )
    last = history[-1]
    stale = kpi.frequency is not None and (as_of - last["date"]).days > FREQUENCY_DAYS[kpi.frequency] + grace_days
    return KpiHealth(
        ref,
        kpi.title,
        kpi.owner or file_owner,
        kpi.unit,
        last["value"],
        last["date"],
        band_of(kpi, last["value"]),
        stale,
        trend_of(kpi, history),
        tuple(m["value"] for m in history),
        bands_of(kpi),
    )
