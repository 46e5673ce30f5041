"""okrctl fmt's core: the layout rules as data (tests/fmt/cases.yaml), refusals, line endings, and the check
that refuses a layout that would change what a file means."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import EXAMPLES

from okrctl.commands.init import InitOptions
from okrctl.commands.init import run as run_init
from okrctl.errors import UserError
from okrctl.fmt import FormatRefused, format_goal, format_text

CASES = yaml.safe_load((Path(__file__).parent.parent / "fmt" / "cases.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", CASES["layout"], ids=[case["name"] for case in CASES["layout"]])
def test_layout(case: dict[str, str]) -> None:
    assert format_text(case["before"]) == case["after"]
    assert format_text(case["after"]) == case["after"]  # formatted already: left as it is


@pytest.mark.parametrize("case", CASES["refused"], ids=[case["name"] for case in CASES["refused"]])
def test_refused(case: dict[str, str]) -> None:
    with pytest.raises(FormatRefused) as refused:
        format_text(case["text"])
    assert str(refused.value) == case["message"]
    assert isinstance(refused.value, UserError)  # the CLI's one clean line, exit 2


def test_a_formatted_file_comes_back_as_the_same_string() -> None:
    text = (EXAMPLES / "acme" / "goals" / "2026" / "sales.yaml").read_text(encoding="utf-8")
    assert format_text(text) is text


def test_every_example_file_is_formatted() -> None:
    files = sorted((EXAMPLES / "acme").rglob("*.yaml"))
    assert len(files) >= 10
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert format_text(text) == text, path


def test_other_yaml_is_not_a_goal_file() -> None:
    assert format_goal("on: [push]\n") is None
    assert format_goal("- a\n- b\n") is None
    assert format_goal("") is None
    assert format_goal("kind: deployment\n") is None


def test_line_endings_are_kept_and_a_final_one_added() -> None:
    crlf = "kind: okrs\r\nowner: x\r\nperiod: 2026-Q4\r\nobjectives:\r\n- id: a\r\n  title: A  # eol\r\n"
    expected = "kind: okrs\r\nperiod: 2026-Q4\r\nowner: x\r\nobjectives:\r\n  - id: a\r\n    title: A  # eol\r\n"
    assert format_text(crlf) == expected
    assert format_text(expected) is expected
    assert format_text("kind: kpis\nowner: x\nkpis:\n  - id: a\n    title: A") == (
        "kind: kpis\nowner: x\nkpis:\n  - id: a\n    title: A\n"
    )


def test_a_layout_that_would_change_the_data_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    """The last line of defence: whatever the round trip does, the result is read back with okrctl's reader
    and compared with the original; here a fault that renames the owner is simulated."""
    import okrctl.fmt

    real = okrctl.fmt._arrange

    def faulty(root: Any, kind: str, canonical: bool) -> None:
        real(root, kind, canonical)
        root["owner"] = "someone-else"

    monkeypatch.setattr(okrctl.fmt, "_arrange", faulty)
    with pytest.raises(FormatRefused, match="would change what the file means; fmt leaves it as it is"):
        format_text("owner: x\nkind: kpis\nkpis:\n  - id: a\n    title: A\n")


def test_a_layout_that_would_change_a_number_type_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    """1 and 1.0 are equal in Python but not in a goal file's data: the comparison holds types too."""
    import okrctl.fmt

    real = okrctl.fmt._arrange

    def faulty(root: Any, kind: str, canonical: bool) -> None:
        real(root, kind, canonical)
        root["kpis"][0]["green"]["min"] = 1.0

    monkeypatch.setattr(okrctl.fmt, "_arrange", faulty)
    with pytest.raises(FormatRefused, match="would change what the file means"):
        format_text("kind: kpis\nowner: x\nkpis:\n  - id: a\n    title: A\n    green: {min: 1}\n")


def test_a_layout_that_would_move_a_comment_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    import okrctl.fmt

    def misplaced(text: str, aside: Any, kind: str, markers: Any) -> str:
        return text.replace("  # kept", "") + "# kept\n"  # from the end of its line to the end of the file

    monkeypatch.setattr(okrctl.fmt, "_put_back", misplaced)
    with pytest.raises(FormatRefused, match="would move a comment away from its key or item"):
        format_text("kind: kpis\nowner: x\nkpis:\n  - id: a\n    title: A  # kept\n")


@pytest.mark.parametrize("period", ["2026-Q3", "2026-Q4", "2027-Q1"])  # ended, running, not started
def test_init_writes_formatted_files(tmp_path: Path, period: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_init(InitOptions(tmp_path, "platform", period, today=date(2026, 11, 20))) == 0
    written = sorted(tmp_path.rglob("*.yaml"))
    goal_files = [path for path in written if path.name != "okrctl.yaml"]
    assert len(goal_files) == 2
    for path in goal_files:
        text = path.read_text(encoding="utf-8")
        assert format_text(text) == text, path


AGREEMENT_OKRS = """\
kind: okrs
period: 2026-Q4
owner: ops
objectives:
  - id: rel
    title: Be boring
    key_results:
      - id: lat
        title: Cut p95 latency from 400 ms to 250 ms
        start: 400
        target: 250
        unit: ms  # measured at the edge
      - id: err
        title: Cut errors from 8 to 2 a day
        start: 8
        target: 2
        checkins: []  # none yet
      - id: pages
        title: Cut pages from 9 to 3 a week
        start: 9
        target: 3
        checkins:
          - {date: 2026-10-05, value: 8}
"""
AGREEMENT_KPIS = """\
kind: kpis
owner: ops
kpis:
  - id: toil
    title: Toil hours
    measurements: []

  - id: queue
    title: Queue length
    measurements:
      - {date: 2026-10-05, value: 12}
"""


def test_checkin_and_measure_keep_a_formatted_file_formatted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The first check-in of a key result (no list yet, an empty one), one more, a note that needs quotes, and
    measurements: each edit of a formatted file leaves it formatted."""
    from okrctl.commands.edit import CheckinOptions, MeasureOptions, run_checkin, run_measure

    assert format_text(AGREEMENT_OKRS) == AGREEMENT_OKRS and format_text(AGREEMENT_KPIS) == AGREEMENT_KPIS
    (tmp_path / "okrctl.yaml").write_text("lint: {checkin_days: 999}\n")
    okrs, kpis = tmp_path / "ops.yaml", tmp_path / "ops-kpis.yaml"
    okrs.write_text(AGREEMENT_OKRS)
    kpis.write_text(AGREEMENT_KPIS)
    monkeypatch.chdir(tmp_path)
    day = date(2026, 11, 2)
    edits: list[Callable[[], int]] = [
        lambda: run_checkin(CheckinOptions("ops/rel/lat", "380", day, "0.7", None, None)),
        lambda: run_checkin(CheckinOptions("ops/rel/err", "7", day, None, "3 retries, 1 timeout", None)),
        lambda: run_checkin(CheckinOptions("ops/rel/pages", "7", day, None, "quiet week", None)),
        lambda: run_measure(MeasureOptions("ops/toil", "11", day, None)),
        lambda: run_measure(MeasureOptions("ops/queue", "9", day, "after: the fix")),
    ]
    for edit in edits:
        assert edit() == 0
        for path in (okrs, kpis):
            text = path.read_text()
            assert format_text(text) == text, text
    assert (
        "        unit: ms  # measured at the edge\n        checkins:\n          - {date: 2026-11-02, value: 380,"
        in (okrs.read_text())
    )
    assert (
        '        checkins:  # none yet\n          - {date: 2026-11-02, value: 7, note: "3 retries, 1 timeout"}\n'
        in (okrs.read_text())
    )
