"""`okrctl textconv`: a goal file as one fact per line for git's diff driver, and its own text for anything else."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import okrctl

from okrctl.goal_bytes import MAX_BYTES
from okrctl.reporters.formatting import exact_number
from okrctl.textconv import textconv

OKRS = """\
# yaml-language-server: $schema=../okrctl.schema.json
kind: okrs
period: 2026-Q4
owner: sales
level: department
objectives:
  - id: acquire
    title: Drive new customer acquisition
    type: committed
    weight: 2
    aligns_to: company/growth
    guardrails: [support/csat, support/churn]
    key_results:
      - id: new-revenue
        title: Generate $1.6M in new customer revenue
        start: 0
        target: 1600000
        unit: USD
        weight: 2
        checkins:
          - {date: 2026-10-31, value: 600000, confidence: 0.6, note: two enterprise deals}
          - {date: 2026-11-28, value: 1300000.5}
        rebaselined:
          - {date: 2026-11-02, from: 2000000, reason: enterprise moved to Q1}
      - id: churn
        title: Decrease monthly churn from 5% to 2%
        start: 5
        target: 2
        unit: "%"
        current: 3.5
      - id: csat-floor
        title: Keep CSAT at or above 8.5
        kpi: support/csat
        at_least: 8.5
        unit: /10
      - id: latency
        title: Keep p95 latency under 250 ms
        at_most: 250
        unit: ms
        grade: 0.4
        grade_note: measured on one region only
      - id: eu-region
        title: Open the EU region
        done: true
        done_on: 2026-11-15
  - id: roll-up
    title: Be the easiest vendor to buy from
"""

OKRS_FACTS = """\
sales  kind okrs
sales  period 2026-Q4
sales  level department
sales/acquire  title Drive new customer acquisition
sales/acquire  type committed
sales/acquire  weight 2
sales/acquire  aligns_to company/growth
sales/acquire  guardrails support/csat, support/churn
sales/acquire/new-revenue  title Generate $1.6M in new customer revenue
sales/acquire/new-revenue  start 0 USD
sales/acquire/new-revenue  target 1,600,000 USD
sales/acquire/new-revenue  unit USD
sales/acquire/new-revenue  weight 2
sales/acquire/new-revenue  check-in 2026-10-31  600,000 USD  confidence 0.6  "two enterprise deals"
sales/acquire/new-revenue  check-in 2026-11-28  1,300,000.5 USD
sales/acquire/new-revenue  rebaselined 2026-11-02  from 2,000,000 USD  "enterprise moved to Q1"
sales/acquire/churn  title Decrease monthly churn from 5% to 2%
sales/acquire/churn  start 5%
sales/acquire/churn  target 2%
sales/acquire/churn  current 3.5%
sales/acquire/churn  unit %
sales/acquire/csat-floor  title Keep CSAT at or above 8.5
sales/acquire/csat-floor  at_least 8.5/10
sales/acquire/csat-floor  kpi support/csat
sales/acquire/csat-floor  unit /10
sales/acquire/latency  title Keep p95 latency under 250 ms
sales/acquire/latency  at_most 250 ms
sales/acquire/latency  unit ms
sales/acquire/latency  grade 0.4
sales/acquire/latency  grade_note measured on one region only
sales/acquire/eu-region  title Open the EU region
sales/acquire/eu-region  done true
sales/acquire/eu-region  done_on 2026-11-15
sales/roll-up  title Be the easiest vendor to buy from
"""

KPIS = """\
kind: kpis
owner: support
kpis:
  - id: csat
    title: Customer satisfaction (CSAT)
    owner: maria
    unit: /10
    definition: Mean post-ticket survey score, 1 to 10
    source: Helpdesk survey export
    frequency: weekly
    green: {min: 8.5}
    amber: {min: 7.5}
    measurements:
      - {date: 2026-11-02, value: 8.0}
      - {date: 2026-11-09, value: 8.25, note: new macros}
  - id: invoice-accuracy
    title: Invoices issued without a correction
    unit: "%"
    green: {min: 99, max: 100}
    amber: {max: 100, min: 97}
  - id: backlog
    title: Open tickets
    green: {max: 40}
"""

KPIS_FACTS = """\
support  kind kpis
support/csat  title Customer satisfaction (CSAT)
support/csat  owner maria
support/csat  unit /10
support/csat  definition Mean post-ticket survey score, 1 to 10
support/csat  source Helpdesk survey export
support/csat  frequency weekly
support/csat  green ≥ 8.5/10
support/csat  amber ≥ 7.5/10
support/csat  measurement 2026-11-02  8/10
support/csat  measurement 2026-11-09  8.25/10  "new macros"
support/invoice-accuracy  title Invoices issued without a correction
support/invoice-accuracy  unit %
support/invoice-accuracy  green 99–100%
support/invoice-accuracy  amber 97–100%
support/backlog  title Open tickets
support/backlog  green ≤ 40
"""


def test_an_okrs_file_gives_one_fact_per_line_for_every_field_kind() -> None:
    assert textconv(OKRS.encode()) == OKRS_FACTS


def test_a_kpis_file_gives_its_fields_bands_and_measurements() -> None:
    assert textconv(KPIS.encode()) == KPIS_FACTS


def test_a_changed_target_changes_exactly_its_line() -> None:
    before = textconv(OKRS.encode()).splitlines()
    after = textconv(OKRS.replace("target: 1600000", "target: 1200000").encode()).splitlines()
    assert [line for line in before if line not in after] == ["sales/acquire/new-revenue  target 1,600,000 USD"]
    assert [line for line in after if line not in before] == ["sales/acquire/new-revenue  target 1,200,000 USD"]


def test_the_order_of_keys_and_comments_and_layout_change_nothing() -> None:
    reordered = OKRS.replace(
        "        start: 0\n        target: 1600000\n        unit: USD\n",
        "        unit: USD   # dollars\n        target: 1600000.0\n\n        start: 0\n",
    ).replace("# yaml-language-server: $schema=../okrctl.schema.json\n", "")
    assert textconv(reordered.encode()) == OKRS_FACTS


def test_a_number_written_as_text_is_quoted_so_the_change_shows() -> None:
    quoted = textconv(OKRS.replace("target: 1600000", 'target: "1600000"').encode())
    assert 'sales/acquire/new-revenue  target "1600000"' in quoted.splitlines()


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (0, "0"),
        (2000000, "2,000,000"),
        (2000000.0, "2,000,000"),
        (-1234567, "-1,234,567"),
        (1234.5678, "1,234.5678"),
        (0.00025, "0.00025"),
        (-0.5, "-0.5"),
        (-0.0, "-0"),
        (99.949, "99.949"),
        (0.1 + 0.2, "0.30000000000000004"),
        (1e-07, "1e-07"),
        (1.5e16, "1.5e+16"),
        (12345678901234567890123, "12,345,678,901,234,567,890,123"),
        (float("inf"), ".inf"),
        (float("-inf"), "-.inf"),
        (float("nan"), ".nan"),
    ],
)
def test_numbers_are_exact_and_grouped(value: float, shown: str) -> None:
    assert exact_number(value) == shown


def test_numbers_that_are_no_amounts_are_shown_as_written() -> None:
    assert exact_number(2026, grouped=False) == "2026" and exact_number(-1234.5, grouped=False) == "-1234.5"
    lines = textconv(OKRS.replace("period: 2026-Q4", "period: 2026").encode()).splitlines()
    assert lines[1] == "sales  period 2026"


def test_a_small_change_of_a_number_is_never_rounded_away() -> None:
    first = textconv(OKRS.replace("current: 3.5", "current: 0.00025").encode())
    second = textconv(OKRS.replace("current: 3.5", "current: 0.00026").encode())
    assert "sales/acquire/churn  current 0.00025%" in first.splitlines()
    assert "sales/acquire/churn  current 0.00026%" in second.splitlines()


def test_hostile_text_cannot_forge_a_line_or_drive_the_terminal() -> None:
    hostile = OKRS.replace(
        "title: Drive new customer acquisition",
        'title: "Drive\\n::error file=x::owned\\n\\u001b[2Jgrowth\\u202e"',
    ).replace("note: two enterprise deals", 'note: "a\\r\\nsales/acquire/new-revenue  target 1"')
    lines = textconv(hostile.encode()).splitlines()
    assert len(lines) == len(OKRS_FACTS.splitlines())
    assert "sales/acquire  title Drive\\n::error file=x::owned\\n\\x1b[2Jgrowth\\u202e" in lines
    assert (
        'sales/acquire/new-revenue  check-in 2026-10-31  600,000 USD  confidence 0.6  "a\\r\\nsales/acquire/new-revenue'
        '  target 1"' in lines
    )


def test_a_line_break_added_to_a_title_shows_as_a_change() -> None:
    broken = textconv(
        OKRS.replace("title: Drive new customer acquisition", 'title: "Drive new\\ncustomer acquisition"').encode()
    )
    assert "sales/acquire  title Drive new\\ncustomer acquisition" in broken.splitlines()
    assert "sales/acquire  title Drive new customer acquisition" in textconv(OKRS.encode()).splitlines()


def test_a_name_that_starts_with_a_workflow_command_is_guarded() -> None:
    text = textconv(KPIS.replace("owner: support", 'owner: "::error::x"').encode())
    assert all(not line.startswith("::") for line in text.splitlines())
    assert "\u200b::error::x/csat  title Customer satisfaction (CSAT)" in text.splitlines()


def test_unknown_fields_wrong_types_and_missing_ids_are_still_shown() -> None:
    odd = """\
kind: okrs
period: 2026-Q4
owner: ops
extra: [1, {a: b}]
objectives:
  - title: No id here
    key_results:
      - id: lat
        title: Cut latency
        start: "400"
        target: 250
        taget: 200
        checkins:
          - {date: 2026-11-02, value: 300, mood: good}
          - not a mapping
        rebaselined:
          - {date: 2026-11-01, from: 260, reason: x, by: cto}
      - just text
  - id: second
    key_results: {id: x}
"""
    assert textconv(odd.encode()).splitlines() == [
        "ops  kind okrs",
        "ops  period 2026-Q4",
        "ops  extra [1, {a: b}]",
        "ops/#1  title No id here",
        "ops/#1/lat  title Cut latency",
        'ops/#1/lat  start "400"',
        "ops/#1/lat  target 250",
        "ops/#1/lat  taget 200",
        "ops/#1/lat  check-in 2026-11-02  300  mood good",
        "ops/#1/lat  check-in not a mapping",
        'ops/#1/lat  rebaselined 2026-11-01  from 260  by cto  "x"',
        "ops/#1/#2  key result just text",
        "ops/second  key_results {id: x}",
    ]


RAW_CASES = {
    "broken YAML": b"kind: okrs\nowner: [sales\n  title: unclosed\n",
    "another kind of YAML": b"name: ci\non: [push]\njobs: {}\n",
    "a near miss of a kind": b"kind: okr\nowner: sales\n",
    "a list at the top": b"- kind: okrs\n",
    "a goal-file kind that is not text": b"kind: [okrs]\nowner: sales\n",
}


@pytest.mark.parametrize("data", RAW_CASES.values(), ids=RAW_CASES.keys())
def test_what_is_not_a_goal_file_comes_out_as_its_text(data: bytes) -> None:
    assert textconv(data) == data.decode()


def test_raw_text_is_decoded_with_replacement_and_made_safe() -> None:
    assert textconv(b"\xffbinary\x00data\n::error::x\r\n\x1b[31mred\n") == (
        "\ufffdbinary\\x00data\n\u200b::error::x\n\\x1b[31mred\n"
    )


def test_utf16_and_over_large_files_come_out_as_their_text() -> None:
    assert textconv("\ufeffkind: okrs\nowner: sales\n".encode("utf-16-le")) == "kind: okrs\nowner: sales\n"
    huge = OKRS + "# padding\n" * (MAX_BYTES // 10)
    assert textconv(huge.encode()) == huge


def test_an_empty_file_gives_nothing() -> None:
    assert textconv(b"") == ""


def test_a_byte_order_mark_and_crlf_line_ends_change_nothing() -> None:
    assert textconv(b"\xef\xbb\xbf" + OKRS.replace("\n", "\r\n").encode()) == OKRS_FACTS


def test_the_command_prints_the_facts_and_writes_nothing(tmp_path: Path) -> None:
    (tmp_path / "okrctl.yaml").write_text("lint: {}\n")
    (tmp_path / "sales.yaml").write_text(OKRS, encoding="utf-8")
    result = okrctl("textconv", "sales.yaml", cwd=tmp_path)
    assert (result.code, result.out, result.err) == (0, OKRS_FACTS, "")
    assert sorted(path.name for path in tmp_path.iterdir()) == ["okrctl.yaml", "sales.yaml"]


def test_the_command_prints_a_broken_file_as_text_and_exits_0(tmp_path: Path) -> None:
    (tmp_path / "broken.yaml").write_bytes(b"kind: okrs\nobjectives: [\n")
    result = okrctl("textconv", "broken.yaml", cwd=tmp_path)
    assert (result.code, result.out, result.err) == (0, "kind: okrs\nobjectives: [\n", "")


def test_a_missing_or_unreadable_file_is_exit_2(tmp_path: Path) -> None:
    missing = okrctl("textconv", "gone.yaml", cwd=tmp_path)
    assert (missing.code, missing.out) == (2, "")
    assert missing.err == "okrctl: error: cannot read gone.yaml: No such file or directory\n"
    folder = okrctl("textconv", ".", cwd=tmp_path)
    assert (folder.code, folder.err) == (2, "okrctl: error: cannot read .: Is a directory\n")
