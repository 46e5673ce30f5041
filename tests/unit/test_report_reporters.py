"""Each score, status, kpis and tree reporter on its own, from the Report of a small tree written here: the
numbers, bands, bars and references it prints. (The command line and the examples: test_reports_cli.py.)"""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any

import pytest

from okrctl.commands.report import compute
from okrctl.report import Report
from okrctl.reporters import ReportOptions, formats, renderables, reporter

AS_OF = date(2026, 11, 15)  # day 46 of the 92 of 2026-Q4
OKRS = """\
kind: okrs
period: 2026-Q4
owner: ops
objectives:
  - id: rel
    title: Make the service boring
    key_results:
      - id: lat
        title: Cut p95 latency from 400 ms to 200 ms
        start: 400
        target: 200
        checkins:
          - {date: 2026-10-15, value: 350, confidence: 0.7}
          - {date: 2026-11-10, value: 300}
      - id: region
        title: The EU region serves production traffic
        done: true
        done_on: 2026-11-03
"""
KPIS = """\
kind: kpis
owner: ops
kpis:
  - id: uptime
    title: API uptime
    owner: jonas
    unit: "%"
    definition: Successful checks / all checks
    source: Status page
    frequency: weekly
    green: {min: 99.9}
    amber: {min: 99.5}
    measurements:
      - {date: 2026-11-02, value: 99.95}
      - {date: 2026-11-09, value: 99.7}
"""


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[bool, Report]:
    """The small tree's report with objectives (score, status, tree) and without (kpis)."""
    folder = tmp_path_factory.mktemp("small-tree")
    (folder / "okrs.yaml").write_text(OKRS, encoding="utf-8")
    (folder / "kpis.yaml").write_text(KPIS, encoding="utf-8")
    built = {}
    for objectives in (True, False):
        computed = compute([folder], AS_OF, use_cache=False, objectives=objectives)
        assert computed.findings == []
        built[objectives] = computed.report
    return built


def render(reports: dict[bool, Report], command: str, name: str, **options: Any) -> str:
    report = reports[command != "kpis"]
    return reporter(command, name)(report, ReportOptions(**{"width": 100, **options}))


def lines(text: str) -> list[str]:
    return [line.rstrip() for line in text.splitlines()]


def cells(line: str) -> list[str]:
    """A table row's cells: the columns are set apart by at least two spaces."""
    return re.split(r" {2,}", line.strip())


def test_every_report_format_has_a_test_here() -> None:
    assert {command: formats(command) for command in ("score", "status", "kpis", "tree")} == {
        "score": ("table", "json", "markdown"),
        "status": ("table", "json", "markdown"),
        "kpis": ("table", "json", "markdown"),
        "tree": ("table", "json"),
    }


def test_score_table(reports: dict[bool, Report]) -> None:
    shown = lines(render(reports, "score", "table"))
    assert shown[:2] == ["Scores as of 2026-11-15", "ops · 2026-Q4 · 0.75 green"]
    assert cells(shown[2]) == ["objective / key result", "start → now → target", "weight", "score"]
    assert cells(shown[4]) == ["rel", "Make the service boring", "aspirational", "1", "0.75 green"]
    assert cells(shown[5]) == ["lat", "Cut p95 latency from 400 ms to 200 ms", "400 → 300 → 200", "1", "0.50"]
    assert cells(shown[6]) == ["region", "The EU region serves production traffic", "done", "1", "1.00"]
    assert cells(shown[-1]) == ["ops", "2026-Q4", "0.75", "green", "1"]  # the owners' summary


def test_score_markdown(reports: dict[bool, Report]) -> None:
    assert lines(render(reports, "score", "markdown"))[:9] == [
        "## OKR scores as of 2026-11-15",
        "",
        "### ops · 2026-Q4 · 0.75 🟢 green",
        "",
        "| objective / key result | start → now → target | weight | score |",
        "|---|---|--:|--:|",
        "| **rel** Make the service boring | aspirational | 1 | **0.75 🟢 green** |",
        "| ↳ lat Cut p95 latency from 400 ms to 200 ms | 400 → 300 → 200 | 1 | 0.50 |",
        "| ↳ region The EU region serves production traffic | done | 1 | 1.00 |",
    ]


@pytest.mark.parametrize("command", ["score", "status"])
def test_score_and_status_json(reports: dict[bool, Report], command: str) -> None:
    document = json.loads(render(reports, command, "json"))
    assert (document["version"], document["as_of"]) == (1, "2026-11-15")
    (objective,) = document["objectives"]
    assert {key: objective[key] for key in ("ref", "period", "score", "grade", "expected", "status")} == {
        "ref": "ops/rel",
        "period": "2026-Q4",
        "score": 0.75,
        "grade": "green",
        "expected": 0.35,
        "status": "on_track",
    }
    lat, region = objective["key_results"]
    assert (lat["ref"], lat["value"], lat["score"], lat["last_checkin"]) == ("ops/rel/lat", 300, 0.5, "2026-11-10")
    assert (region["ref"], region["score"]) == ("ops/rel/region", 1)


def test_status_table(reports: dict[bool, Report]) -> None:
    shown = lines(render(reports, "status", "table"))
    assert shown[:5] == [
        "Status as of 2026-11-15",
        "",
        "2026-Q4 · day 46 of 92 (50%)",
        "",
        "ops/rel  Make the service boring",
    ]
    assert cells(shown[5])[1:] == ["0.75", "expected 0.35", "on track"]  # after the bar
    assert cells(shown[6]) == ["confidence – · forecast 1.00"]
    assert cells(shown[7])[0] == "lat" and shown[7].endswith(" 0.50 300 → 200 (target) · forecast 0.99")
    assert cells(shown[8]) == ["region ██████████ 1.00 done"]
    assert "ops/uptime API uptime (green ≥ 99.9, amber ≥ 99.5)" in shown[-1] and "99.7%  amber" in shown[-1]


def test_status_markdown(reports: dict[bool, Report]) -> None:
    shown = lines(render(reports, "status", "markdown"))
    assert shown[:3] == ["## OKR status as of 2026-11-15", "", "**2026-Q4 · day 46 of 92 (50%)**"]
    assert "| **ops/rel** Make the service boring | 0.75 | 0.35 | ✅ on track | – | 1.00 |  |" in shown
    assert "| ↳ lat Cut p95 latency from 400 ms to 200 ms | 0.50 | | | – | 0.99 | 300 → 200 (target) |" in shown
    assert [line for line in shown if line][-1] == (
        "| **ops/uptime** API uptime | 99.7% | 🟠 amber (green ≥ 99.9, amber ≥ 99.5) | ↓ worse | 2026-11-09 |"
    )


def test_kpis_table_markdown_and_json(reports: dict[bool, Report]) -> None:
    table = lines(render(reports, "kpis", "table"))
    assert cells(table[0]) == ["KPI", "value", "band", "measured", "trend", "last 12"]
    row = ["ops/uptime API uptime (green ≥ 99.9, amber ≥ 99.5)", "99.7%", "amber", "2026-11-09", "↓ worse"]
    assert cells(table[2])[:-1] == row
    assert table[-1] == "KPI health as of 2026-11-15: 0 green, 1 amber, 0 red, 0 stale"
    assert lines(render(reports, "kpis", "markdown").rstrip("\n")) == [
        "## KPI health as of 2026-11-15",
        "",
        "| KPI | value | band | trend | last measured |",
        "|---|--:|---|---|---|",
        "| **ops/uptime** API uptime | 99.7% | 🟠 amber (green ≥ 99.9, amber ≥ 99.5) | ↓ worse | 2026-11-09 |",
    ]
    assert json.loads(render(reports, "kpis", "json")) == {
        "version": 1,
        "as_of": "2026-11-15",
        "kpis": [
            {
                "ref": "ops/uptime",
                "title": "API uptime",
                "owner": "jonas",
                "value": 99.7,
                "unit": "%",
                "date": "2026-11-09",
                "status": "amber",
                "stale": False,
                "trend": "worse",
            }
        ],
    }


def test_tree_table_and_json(reports: dict[bool, Report]) -> None:
    assert lines(render(reports, "tree", "table")) == [
        "Alignment as of 2026-11-15",
        "└── ops/rel [2026-Q4] Make the service boring  0.75 on track",
    ]
    document = json.loads(render(reports, "tree", "json"))
    assert [(o["ref"], o["aligns_to"], o["score"]) for o in document["objectives"]] == [("ops/rel", None, 0.75)]


@pytest.mark.parametrize("command", ["score", "status", "kpis", "tree"])
def test_colour_only_adds_styles_and_the_export_renderables_hold_the_table(
    reports: dict[bool, Report], command: str
) -> None:
    plain = render(reports, command, "table")
    coloured = render(reports, command, "table", color=True)
    assert "\x1b[" in coloured and "\x1b[" not in plain
    assert re.sub(r"\x1b\[[0-9;]*m", "", coloured) == plain
    assert renderables(command)(reports[command != "kpis"], ReportOptions(width=100))  # what --export saves
