"""`checkin` and `measure` upsert by date, keep date order, keep comments with their items, and splice exactly.

These run the real command line in process (typer's runner): the parsing of VALUE and options is part of
what they check. Concurrent edits by real processes: tests/acceptance/test_concurrent_edits.py.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import Run
from edit_samples import KPIS, OKRS, files_in
from typer.testing import CliRunner

from okrctl.cli import app


def okrctl(root: Path, *args: str) -> Run:
    """Run the command line in process from `root` (exceptions propagate: a traceback fails the test)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(root)
        result = CliRunner().invoke(app, list(args), catch_exceptions=False)
    return Run(result.exit_code, result.stdout, result.stderr)


@pytest.fixture
def goals(tmp_path: Path) -> Path:
    (tmp_path / "okrs.yaml").write_text(OKRS, encoding="utf-8")
    (tmp_path / "kpis.yaml").write_text(KPIS, encoding="utf-8")
    return tmp_path


# -- upsert by date -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["checkin", "ops/rel/lat", "390", "--date", "2026-10-05"],
        ["checkin", "ops/rel/lat", "390.0", "--date", "2026-10-05", "--confidence", "0.7"],  # numbers, not text
        ["checkin", "ops/rel/errors", "0.50", "--date", "2026-11-10", "--note", "first week of retries"],
        ["checkin", "ops/rel/pages", "7.5"],
        ["checkin", "ops/rel/region", "done", "--date", "2026-11-03"],
        ["measure", "ops/uptime", "99.950", "--date", "2026-10-12"],
        ["measure", "ops/toil", "9", "--date", "2026-11-02"],
    ],
    ids=lambda args: " ".join(args[:2]),
)
def test_the_same_value_again_changes_nothing_and_says_so(args: list[str], goals: Path) -> None:
    before = files_in(goals)
    result = okrctl(goals, *args)
    assert (result.code, result.err) == (0, "")
    assert ": unchanged: " in result.out
    assert files_in(goals) == before
    as_json = json.loads(okrctl(goals, *args, "--format", "json").out)
    assert as_json["action"] == "unchanged"
    assert files_in(goals) == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["checkin", "ops/rel/lat", "380", "--date", "2026-10-05"],
            "okrctl: error: ops/rel/lat already has the value 390 on 2026-10-05: to replace it, run the command "
            "again with --replace; nothing was written\n",
        ),
        (
            ["checkin", "ops/rel/lat", "390", "--date", "2026-10-05", "--confidence", "0.5"],
            "okrctl: error: ops/rel/lat already has another confidence on 2026-10-05: to replace it, run the "
            "command again with --replace; nothing was written\n",
        ),
        (
            ["measure", "ops/uptime", "99.9", "--date", "2026-11-16"],
            "okrctl: error: ops/uptime already has the value 99.97 on 2026-11-16: to replace it, run the command "
            "again with --replace; nothing was written\n",
        ),
        (
            ["checkin", "ops/rel/region", "done", "--date", "2026-11-20"],
            "okrctl: error: ops/rel/region is already done on 2026-11-03: to record 2026-11-20 instead, run the "
            "command again with --replace; nothing was written\n",
        ),
    ],
)
def test_another_value_for_a_recorded_date_needs_replace(args: list[str], message: str, goals: Path) -> None:
    before = files_in(goals)
    result = okrctl(goals, *args)
    assert (result.code, result.out, result.err) == (2, "", message)
    assert files_in(goals) == before


def test_replace_sets_the_value_in_place_keeping_other_keys_and_comments(goals: Path) -> None:
    result = okrctl(goals, "checkin", "ops/rel/errors", "0.45", "--date", "2026-11-10", "--replace")
    assert (result.code, result.out) == (0, "okrs.yaml: ops/rel/errors: replaced the value of 2026-11-10 with 0.45\n")
    expected = OKRS.replace("value: 0.5   # retries", "value: 0.45   # retries")
    assert (goals / "okrs.yaml").read_text() == expected

    # a note or confidence is replaced only when given; one the entry lacks is added to it
    okrctl(goals, "checkin", "ops/rel/errors", "0.45", "--date", "2026-11-10", "--note", "week two", "--replace")
    expected = expected.replace("note: first week of retries", "note: week two")
    assert (goals / "okrs.yaml").read_text() == expected
    result = okrctl(goals, "checkin", "ops/rel/lat", "355", "--date", "2026-11-02", "--confidence", "0.8", "--replace")
    assert result.code == 0
    expected = expected.replace(
        "{date: 2026-11-02, value: 360}   # the fix", "{date: 2026-11-02, value: 355, confidence: 0.8}   # the fix"
    )
    assert (goals / "okrs.yaml").read_text() == expected

    result = okrctl(goals, "measure", "ops/toil", "8", "--date", "2026-10-05", "--replace", "--format", "json")
    assert json.loads(result.out) == {
        "version": 1,
        "ref": "ops/toil",
        "path": "kpis.yaml",
        "date": "2026-10-05",
        "value": 8,
        "action": "replaced",
    }
    assert (goals / "kpis.yaml").read_text() == KPIS.replace(
        "{date: 2026-10-05, value: 12}", "{date: 2026-10-05, value: 8}"
    )


def test_replace_moves_a_milestone_s_day(goals: Path) -> None:
    result = okrctl(goals, "checkin", "ops/rel/region", "done", "--date", "2026-11-20", "--replace")
    assert (result.code, result.out) == (0, "okrs.yaml: ops/rel/region: done on 2026-11-20\n")
    assert (goals / "okrs.yaml").read_text() == OKRS.replace("done_on: 2026-11-03", "done_on: 2026-11-20")


# -- date order and comments (A3) ---------------------------------------------------------------------


def test_a_back_dated_checkin_goes_in_date_order_above_the_comment_of_the_next_item(goals: Path) -> None:
    result = okrctl(goals, "checkin", "ops/rel/lat", "370", "--date", "2026-10-20")
    assert (result.code, result.out) == (
        0,
        "okrs.yaml: ops/rel/lat: checked in 370 on 2026-10-20 (inserted in date order)\n",
    )
    assert (goals / "okrs.yaml").read_text() == OKRS.replace(
        "          # November: after the cache fix\n",
        "          - {date: 2026-10-20, value: 370}\n          # November: after the cache fix\n",
    )
    result = okrctl(goals, "checkin", "ops/rel/errors", "0.75", "--date", "2026-10-01", "--format", "json")
    assert json.loads(result.out)["action"] == "inserted"
    assert (
        "          - date: 2026-10-01\n            value: 0.75\n          - date: 2026-10-10\n"
        in (goals / "okrs.yaml").read_text()
    )


def test_a_back_dated_measurement_keeps_comment_headings_with_their_items(goals: Path) -> None:
    assert okrctl(goals, "measure", "ops/toil", "11", "--date", "2026-10-19").code == 0
    assert okrctl(goals, "measure", "ops/uptime", "99.9", "--date", "2026-10-26").code == 0
    assert okrctl(goals, "measure", "ops/uptime", "99.99", "--date", "2026-11-23").code == 0
    assert (goals / "kpis.yaml").read_text() == KPIS.replace(
        "      {date: 2026-10-12, value: 99.95},\n      # November\n      {date: 2026-11-16, value: 99.97},\n",
        "      {date: 2026-10-12, value: 99.95},\n      {date: 2026-10-26, value: 99.9},\n      # November\n"
        "      {date: 2026-11-16, value: 99.97}, {date: 2026-11-23, value: 99.99},\n",
    ).replace(
        "      - {date: 2026-10-05, value: 12}\n\n",
        "      - {date: 2026-10-05, value: 12}\n\n      - {date: 2026-10-19, value: 11}\n",
    )


def test_the_text_report_of_an_unchanged_value(goals: Path) -> None:
    result = okrctl(goals, "measure", "ops/uptime", "99.97", "--date", "2026-11-16")
    assert (result.code, result.out) == (
        0,
        "kpis.yaml: ops/uptime: unchanged: 99.97 on 2026-11-16 is already recorded\n",
    )


def test_checkins_of_a_first_list_and_the_json_report(goals: Path) -> None:
    result = okrctl(goals, "checkin", "ops/rel/lat", "340", "--date", "2026-11-20", "--format", "json")
    assert (result.code, json.loads(result.out)) == (
        0,
        {
            "version": 1,
            "ref": "ops/rel/lat",
            "path": "okrs.yaml",
            "date": "2026-11-20",
            "value": 340,
            "action": "appended",
        },
    )
    result = okrctl(goals, "checkin", "ops/rel/pages", "6.5", "--format", "json")
    assert json.loads(result.out) == {
        "version": 1,
        "ref": "ops/rel/pages",
        "path": "okrs.yaml",
        "date": None,
        "value": 6.5,
        "action": "current_set",
    }


# -- options and values ----------------------------------------------------------


def test_a_negative_value_needs_no_double_dash(tmp_path: Path) -> None:
    (tmp_path / "o.yaml").write_text(
        "kind: okrs\nperiod: 2026-Q4\nowner: ops\nobjectives:\n  - id: o\n    title: Save\n    key_results:\n"
        "      - {id: delta, title: Move the balance from -10 to 0, start: -10, target: 0}\n"
    )
    assert okrctl(tmp_path, "checkin", "ops/o/delta", "-5", "--date", "2026-11-02").code == 0
    assert okrctl(tmp_path, "checkin", "ops/o/delta", "--date", "2026-11-09", "-4.5").code == 0
    assert okrctl(tmp_path, "checkin", "ops/o/delta", "--date", "2026-11-16", "--", "-4").code == 0
    result = okrctl(tmp_path, "checkin", "ops/o/delta", "-.5", "--date=2026-11-23", "--format", "json")
    assert json.loads(result.out)["value"] == -0.5
    assert (
        (tmp_path / "o.yaml")
        .read_text()
        .endswith(
            "target: 0, checkins: [{date: 2026-11-02, value: -5}, {date: 2026-11-09, value: -4.5}, "
            "{date: 2026-11-16, value: -4}, {date: 2026-11-23, value: -.5}]}\n"
        )
    )
    typo = okrctl(tmp_path, "checkin", "ops/o/delta", "-3", "--dat", "2026-11-20")
    assert (typo.code, "No such option: --dat" in typo.err) == (2, True)


def test_checkin_help_describes_checkin() -> None:
    result = CliRunner().invoke(app, ["checkin", "--help"], env={"COLUMNS": "200"})
    assert "The period of the key result" in result.stdout
    assert "The period to report" not in result.stdout
    assert "--replace" in result.stdout
    assert "--format" in result.stdout


def test_a_date_after_the_period_hints_at_its_last_day(goals: Path) -> None:
    result = okrctl(goals, "checkin", "ops/rel/lat", "300", "--date", "2027-01-05")
    assert (result.code, result.err) == (
        2,
        "okrctl: error: the date 2027-01-05 is outside the period of ops/rel/lat: 2026-Q4 (2026-10-01..2026-12-31); "
        "it ended on 2026-12-31: for its closing value, use --date 2026-12-31\n",
    )


HUGE = "1" + "0" * 320


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["checkin", "ops/rel/lat", HUGE], "value '10000000000000000000…00000000' is not a finite number"),
        (["checkin", "ops/rel/lat", "-" + HUGE], "value '-1000000000000000000…00000000' is not a finite number"),
        (["checkin", "ops/rel/lat", "1e999"], "value '1e999' is not a finite number"),
        (["checkin", "ops/rel/lat", ".inf"], "value '.inf' is not a finite number"),
        (["checkin", "ops/rel/lat", "-.inf"], "value '-.inf' is not a finite number"),
        (["checkin", "ops/rel/lat", ".nan"], "value '.nan' is not a finite number"),
        (["checkin", "ops/rel/lat", "nan"], "value 'nan' is not a number"),
        (["checkin", "ops/rel/lat", "inf"], "value 'inf' is not a number"),
        (["checkin", "ops/rel/lat", "300", "--confidence", HUGE], "confidence '10000000000000000000…00000000' is"),
        (["checkin", "ops/rel/lat", "300", "--confidence", "nan"], "confidence 'nan' is not a number"),
        (["checkin", "ops/rel/lat", "300", "--confidence", ".nan"], "confidence '.nan' is not a finite number"),
        (["checkin", "ops/rel/lat", "300", "--confidence", "1e999"], "confidence '1e999' is not a finite number"),
        (["checkin", "ops/rel/pages", HUGE], "value '10000000000000000000…00000000' is not a finite number"),
        (["measure", "ops/uptime", HUGE], "value '10000000000000000000…00000000' is not a finite number"),
        (["measure", "ops/uptime", "1e999"], "value '1e999' is not a finite number"),
        (["measure", "ops/uptime", "-inf"], "value '-inf' is not a number"),
    ],
    ids=lambda a: a if isinstance(a, str) else " ".join(x[:12] for x in a),
)
def test_numbers_beyond_floats_are_refused_cleanly(args: list[str], message: str, goals: Path) -> None:
    before = files_in(goals)
    result = okrctl(goals, *args)
    assert (result.code, result.out) == (2, "")
    assert result.err.startswith(f"okrctl: error: {message}"), result.err
    assert files_in(goals) == before


# -- the splicer ------------------------------------------------------------------------------

BLOCK_SCALARS = """\
kind: okrs
period: 2026-Q4
owner: ops
objectives:
  - id: o
    title: Win
    key_results:
      - id: literal
        start: 1
        target: 9
        title: |
          Grow the thing
          from 1 to 9

      - id: folded
        start: 1
        target: 9
        title: >-
          Grow the other thing
          from 1 to 9
        # the next one is a milestone
      - id: last
        title: Ship it
        done: false
"""


def test_a_first_checkin_after_a_block_scalar_goes_in_its_key_result(tmp_path: Path) -> None:
    (tmp_path / "o.yaml").write_text(BLOCK_SCALARS)
    assert okrctl(tmp_path, "checkin", "ops/o/literal", "3", "--date", "2026-11-02").code == 0
    assert okrctl(tmp_path, "checkin", "ops/o/folded", "4", "--date", "2026-11-02").code == 0
    assert (tmp_path / "o.yaml").read_text() == BLOCK_SCALARS.replace(
        "          from 1 to 9\n\n",
        "          from 1 to 9\n        checkins:\n          - {date: 2026-11-02, value: 3}\n\n",
    ).replace(
        "          from 1 to 9\n        # the next",
        "          from 1 to 9\n        checkins:\n          - {date: 2026-11-02, value: 4}\n        # the next",
    )


@pytest.mark.parametrize("eol", ["\r", "\r\n"])
def test_cr_only_and_crlf_files_keep_their_line_endings(eol: str, tmp_path: Path) -> None:
    original = OKRS.replace("\n", eol)
    (tmp_path / "o.yaml").write_bytes(original.encode())
    assert okrctl(tmp_path, "checkin", "ops/rel/lat", "370", "--date", "2026-10-20").code == 0
    assert okrctl(tmp_path, "checkin", "ops/rel/errors", "0.4", "--date", "2026-11-20").code == 0
    expected = original.replace(
        "          # November", f"          - {{date: 2026-10-20, value: 370}}{eol}          # November"
    ).replace(
        f"note: first week of retries{eol}",  # beside a block check-in holding a comment: flow, as fmt lays it out
        f"note: first week of retries{eol}          - {{date: 2026-11-20, value: 0.4}}{eol}",
    )
    assert (tmp_path / "o.yaml").read_bytes() == expected.encode()
    assert okrctl(tmp_path, "lint", "--as-of", "2026-11-23").code == 0


def test_a_mixed_file_gets_the_line_ending_of_the_neighbours_and_no_other_byte_changes(tmp_path: Path) -> None:
    lines = OKRS.splitlines(keepends=True)
    lines[14] = lines[14].replace("\n", "\r\n")  # the `- {date: 2026-11-02 …}` check-in
    lines[-1] = lines[-1].replace("\n", "\r\n")
    original = "".join(lines)
    assert "{date: 2026-11-02, value: 360}   # the fix shipped\r\n" in original
    (tmp_path / "o.yaml").write_bytes(original.encode())
    assert okrctl(tmp_path, "checkin", "ops/rel/lat", "340", "--date", "2026-11-20").code == 0
    assert okrctl(tmp_path, "checkin", "ops/rel/errors", "0.4", "--date", "2026-11-20").code == 0
    assert (tmp_path / "o.yaml").read_bytes() == original.replace(
        "# the fix shipped\r\n", "# the fix shipped\r\n          - {date: 2026-11-20, value: 340}\r\n"
    ).replace(
        "note: first week of retries\n",
        "note: first week of retries\n          - {date: 2026-11-20, value: 0.4}\n",
    ).encode()


def test_a_block_scalar_that_keeps_its_trailing_lines_keeps_them(tmp_path: Path) -> None:
    text = BLOCK_SCALARS.replace("title: |\n", "title: |+\n")
    (tmp_path / "o.yaml").write_text(text)
    assert okrctl(tmp_path, "checkin", "ops/o/literal", "3", "--date", "2026-11-02").code == 0
    assert (tmp_path / "o.yaml").read_text() == text.replace(
        "          from 1 to 9\n\n",
        "          from 1 to 9\n\n        checkins:\n          - {date: 2026-11-02, value: 3}\n",
    )


def test_comments_above_the_first_item_stay_with_it_and_a_hash_line_in_a_block_scalar_is_no_comment(
    tmp_path: Path,
) -> None:
    text = OKRS.replace(
        "          - date: 2026-10-10\n            value: 0.7\n",
        "          # from the October review\n          - date: 2026-10-10\n            value: 0.7\n"
        "            note: |\n              measured by hand\n              # not a comment: part of the note\n",
    )
    (tmp_path / "o.yaml").write_text(text)
    assert okrctl(tmp_path, "checkin", "ops/rel/errors", "0.75", "--date", "2026-10-03").code == 0
    assert okrctl(tmp_path, "checkin", "ops/rel/errors", "0.6", "--date", "2026-10-20").code == 0
    assert (tmp_path / "o.yaml").read_text() == text.replace(
        "          # from the October review\n",
        "          - date: 2026-10-03\n            value: 0.75\n          # from the October review\n",
    ).replace(
        "              # not a comment: part of the note\n",
        "              # not a comment: part of the note\n          - {date: 2026-10-20, value: 0.6}\n",
    )
