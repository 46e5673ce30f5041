"""`okrctl.site.charts`: inline SVG that says what it shows, escapes every text, and survives odd numbers."""

from __future__ import annotations

import re
from datetime import date
from xml.etree import ElementTree

import pytest

from okrctl.site import charts
from okrctl.site.charts import Band, Line, Marker, kpi_chart, progress_chart

SVG = "{http://www.w3.org/2000/svg}"
Q4 = (date(2026, 10, 1), date(2026, 12, 31))


def _parse(svg: str) -> ElementTree.Element:
    return ElementTree.fromstring(svg)  # well-formed XML, or this raises


def _coordinates(svg: str) -> list[float]:
    return [float(v) for v in re.findall(r'(?:x|y|x1|x2|y1|y2|cx|cy|height)="(-?[\d.e+-]+)"', svg)]


def _child(element: ElementTree.Element, tag: str) -> ElementTree.Element:
    found = element.find(f"{SVG}{tag}")
    assert found is not None, tag
    return found


def test_a_kpi_chart_names_itself_and_draws_its_bands_and_points() -> None:
    points = [(date(2026, 10, 5), 10.0), (date(2026, 10, 12), 12.0), (date(2026, 10, 19), 9.0)]
    svg = kpi_chart("Uptime", points, [Band("green", 11, None), Band("amber", 9.5, None)], unit="%")
    root = _parse(svg)
    assert root.get("role") == "img"
    label = root.get("aria-label")
    assert label == "Uptime: 3 measurements from 2026-10-05 to 2026-10-19, in %"
    assert _child(root, "title").text == label
    bands = [r.get("class") for r in root.iter(f"{SVG}rect")]
    assert bands == ["band band-amber", "band band-green"]  # amber beneath green
    assert len(list(root.iter(f"{SVG}circle"))) == 3
    assert "2026-10-05" in svg and "2026-10-19" in svg  # the axis says the dates


def test_hostile_titles_are_escaped_in_text_and_attributes() -> None:
    title = '"><script>alert(1)</script>&'
    svg = kpi_chart(title, [(date(2026, 10, 5), 1.0)], [])
    assert "<script" not in svg
    root = _parse(svg)
    assert root.get("aria-label", "").startswith(title)  # the text survives, as text
    assert progress_chart(title, [], Q4).count("<script") == 0


def test_no_data_and_one_value_and_flat_values_draw() -> None:
    assert "no data" in kpi_chart("Empty", [], [Band("green", 1, 2)])
    one = kpi_chart("One", [(date(2026, 10, 5), 5.0)], [])
    flat = kpi_chart("Flat", [(date(2026, 10, 5), 5.0), (date(2026, 10, 6), 5.0)], [])
    for svg in (one, flat):
        _parse(svg)
        assert all(0 <= v <= 640 for v in _coordinates(svg))


def test_huge_and_non_finite_values_stay_inside_the_plot() -> None:
    points = [(date(2026, 10, 5), -1e308), (date(2026, 10, 6), 1e308), (date(2026, 10, 7), float("nan"))]
    svg = kpi_chart("Huge", points, [Band("green", None, 1e308)])
    _parse(svg)
    values = _coordinates(svg)
    assert values and all(0 <= v <= 640 for v in values), values
    assert "2 measurements" in svg  # the NaN is left out


def test_a_progress_chart_draws_the_pace_goal_and_target_changes() -> None:
    points = [(date(2026, 9, 20), 1.0), (date(2026, 10, 10), 3.0), (date(2026, 11, 10), 6.0)]
    pace = Line((Q4[0], 0.0), (Q4[1], 7.0), "expected pace")
    marker = Marker(date(2026, 11, 1), "target 10 → 12")
    svg = progress_chart("Deals", points, Q4, pace=pace, goal=10.0, markers=[marker, Marker(date(2027, 1, 5), "late")])
    root = _parse(svg)
    label = root.get("aria-label", "")
    assert label.startswith("Deals: 2 check-ins from 2026-10-10 to 2026-11-10")  # September's is before the period
    assert "expected pace from 0 to 7" in label and "goal 10" in label and "target 10 → 12 on 2026-11-01" in label
    classes = [e.get("class") for e in root.iter(f"{SVG}line")]
    assert classes.count("pace") == 1 and classes.count("goal") == 1
    assert classes.count("marker") == 1  # the marker outside the period is not drawn


def test_a_progress_chart_without_check_ins_says_so() -> None:
    svg = progress_chart("Nothing yet", [], Q4, goal=3.0)
    assert "no check-ins yet" in svg
    _parse(svg)


def test_a_long_series_is_a_line_with_its_latest_value_dotted() -> None:
    points = [(date(2026, 1, 1 + i), float(i)) for i in range(30)]
    root = _parse(kpi_chart("Long", points, []))
    (dot,) = root.iter(f"{SVG}circle")
    assert _child(dot, "title").text == "2026-01-30: 29"
    assert len(_child(root, "polyline").get("points", "").split()) == 30


@pytest.mark.parametrize(
    ("value", "label"),
    [
        (2066666.67, "2.07M"),
        (-1500.0, "-1.5k"),
        (999.0, "999"),
        (12.5, "12.5"),
        (0.00123, "0.00123"),
        (0.000123, "1.23e-04"),
        (1.08e16, "1.08e+16"),
        (0.0, "0"),
        (3.2e12, "3.2T"),
    ],
)
def test_axis_labels_are_short_enough_for_the_margin(value: float, label: str) -> None:
    assert charts.tick_number(value) == label
    assert len(label) <= 8  # the margin holds about eight characters of the tick font


def test_values_never_negative_get_no_negative_axis() -> None:
    svg = kpi_chart("Revenue", [(date(2026, 10, 1), 0.0), (date(2026, 11, 1), 150000.0)], [])
    ticks = re.findall(r'<text class="tick"[^>]*>([^<]*)</text>', svg)
    assert "0" in ticks and not any(tick.startswith("-") for tick in ticks)


def test_marker_labels_days_apart_take_turns_and_stay_inside_the_chart() -> None:
    period = (date(2026, 10, 1), date(2026, 12, 31))
    markers = [
        Marker(date(2026, 10, 15), "target 2,000,000 → 2,500,000"),
        Marker(date(2026, 11, 5), "target 2,500,000 → 2,200,000"),
        Marker(date(2026, 12, 28), "target 100 → 123,456,789"),
    ]
    svg = progress_chart("Revenue", [(date(2026, 10, 2), 1.0)], period, markers=markers)
    labels = re.findall(r'<text class="marker-label" x="([\d.]+)" y="([\d.]+)"( text-anchor="end")?>', svg)
    assert len(labels) == 3
    assert len({y for _, y, _ in labels}) == 3  # each on its own row
    assert labels[0][2] == "" and labels[2][2] == ' text-anchor="end"'  # the late one ends at its line
