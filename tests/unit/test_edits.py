"""`okrctl checkin` and `okrctl measure`: byte-exact edits, refusals that write nothing, atomic writes."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from conftest import git, okrctl

OKRS = """\
# Reliability OKRs — «calm» quarter
kind: okrs
period: 2026-Q4
owner: ops
objectives:
  - id: rel
    title: 'Be boring'   # single quotes stay
    key_results:
      - id: lat
        title: "Cut p95 latency from 400 ms to 250 ms"
        start: 400
        target: 250.0
        weight: 2.00
        checkins:
          - {date: 2026-10-05, value: 390, confidence: 0.70}
          - {date: 2026-11-02, value: 360}   # after the cache fix

      - id: errors
        title: Cut the error rate from 0.8% to 0.2%
        start: 0.8
        target: 0.2
        checkins:
          - date: 2026-11-10
            value: 0.5
            note: first week of retries
      - id: pages
        title: Cut pages from 9 to 3 a week
        start: 9
        target: 3
        current: 7.50   # from the pager report
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
    measurements:
      - {date: 2026-11-02, value: 99.95}
      - {date: 2026-11-16, value: 99.97}
  - id: toil
    title: Toil hours
    owner: jonas
    definition: Hours of manual ops work a week
    source: Time tracking
    frequency: weekly
    green: {max: 10}
    measurements: [{date: 2026-11-09, value: 12}]
"""


@pytest.fixture
def goals(git_repo: Path) -> Path:
    (git_repo / "okrs.yaml").write_text(OKRS, encoding="utf-8")
    (git_repo / "kpis.yaml").write_text(KPIS, encoding="utf-8")
    git("add", "-A", cwd=git_repo)
    git("commit", "-qm", "goals", cwd=git_repo)
    return git_repo


def _with_line_after(text: str, anchor: str, *lines: str) -> str:
    head, sep, tail = text.partition(anchor)
    assert sep, anchor
    rest_of_line, newline, after = tail.partition("\n")
    return head + anchor + rest_of_line + "".join("\n" + line for line in lines) + newline + after


def test_flow_checkin_is_one_added_line_after_the_last_one_keeping_its_comment(goals: Path) -> None:
    result = okrctl("checkin", "ops/rel/lat", "330", "--date", "2026-11-20", "--confidence", "0.65", cwd=goals)
    assert (result.code, result.out, result.err) == (0, "okrs.yaml: ops/rel/lat: checked in 330 on 2026-11-20\n", "")
    expected = _with_line_after(
        OKRS, "{date: 2026-11-02, value: 360}", "          - {date: 2026-11-20, value: 330, confidence: 0.65}"
    )
    assert (goals / "okrs.yaml").read_text(encoding="utf-8") == expected


def test_block_checkin_copies_the_block_style(goals: Path) -> None:
    result = okrctl("checkin", "ops/rel/errors", "0.40", "--date", "2026-11-21", "--note", "retries: on, #2", cwd=goals)
    assert result.code == 0
    expected = _with_line_after(
        OKRS,
        "note: first week of retries",
        "          - date: 2026-11-21",
        "            value: 0.40",
        '            note: "retries: on, #2"',
    )
    assert (goals / "okrs.yaml").read_text(encoding="utf-8") == expected


def test_checkin_on_current_replaces_only_the_number(goals: Path) -> None:
    assert okrctl("checkin", "ops/rel/pages", "6", cwd=goals).code == 0
    expected = OKRS.replace("current: 7.50   # from", "current: 6   # from")
    assert (goals / "okrs.yaml").read_text(encoding="utf-8") == expected


def test_measurements_stay_in_date_order(goals: Path) -> None:
    for day, value in [
        ("2026-11-09", "99.91"),
        ("2026-10-26", "99.99"),
        ("2026-11-20", "99.96"),
    ]:
        assert okrctl("measure", "ops/uptime", value, "--date", day, cwd=goals).code == 0
    assert (
        okrctl("measure", "ops/toil", "9", "--date", "2026-11-16", "--note", "runbook automation", cwd=goals).code == 0
    )
    text = (goals / "kpis.yaml").read_text(encoding="utf-8")
    assert text == KPIS.replace(
        "      - {date: 2026-11-02, value: 99.95}\n      - {date: 2026-11-16, value: 99.97}\n",
        "      - {date: 2026-10-26, value: 99.99}\n"
        "      - {date: 2026-11-02, value: 99.95}\n"
        "      - {date: 2026-11-09, value: 99.91}\n"
        "      - {date: 2026-11-16, value: 99.97}\n"
        "      - {date: 2026-11-20, value: 99.96}\n",
    ).replace(
        "measurements: [{date: 2026-11-09, value: 12}]",
        "measurements: [{date: 2026-11-09, value: 12}, {date: 2026-11-16, value: 9, note: runbook automation}]",
    )


MILESTONES = """\
kind: okrs
period: 2026-Q4
owner: ops
objectives:
  - id: eu
    title: Serve European customers from Europe
    key_results:
      - id: region
        title: The EU region serves production traffic
        done: false   # blocked on the DPA
      - {id: dpa, title: The DPA is signed, done: false, done_on: null}
      - {id: latency, title: Cut EU latency from 300 to 80 ms, start: 300, target: 80}
"""


def test_milestones_and_a_first_checkin_on_a_flow_key_result(git_repo: Path) -> None:
    (git_repo / "eu.yaml").write_text(MILESTONES, encoding="utf-8")
    for args in (["ops/eu/region", "done"], ["ops/eu/dpa", "done"], ["ops/eu/latency", "210"]):
        result = okrctl("checkin", *args, "--date", "2026-11-18", cwd=git_repo)
        assert result.code == 0, result.err
    assert (git_repo / "eu.yaml").read_text(encoding="utf-8") == (
        MILESTONES.replace("done: false   # blocked", "done: true   # blocked")
        .replace("# blocked on the DPA\n", "# blocked on the DPA\n        done_on: 2026-11-18\n")
        .replace("done: false, done_on: null}", "done: true, done_on: 2026-11-18}")
        .replace("target: 80}", "target: 80, checkins: [{date: 2026-11-18, value: 210}]}")
    )


def test_a_first_checkin_list_on_a_block_key_result(git_repo: Path) -> None:
    text = "kind: okrs\nperiod: 2026-Q4\nowner: ops\nobjectives:\n  - id: o\n    title: Win\n    key_results:\n"
    text += "      - id: k\n        title: Grow k from 1 to 9\n        start: 1\n        target: 9   # stretch\n"
    (git_repo / "k.yaml").write_text(text)
    assert okrctl("checkin", "ops/o/k", "3", "--date", "2026-11-18", cwd=git_repo).code == 0
    assert (git_repo / "k.yaml").read_text() == text + "        checkins:\n          - {date: 2026-11-18, value: 3}\n"


@pytest.mark.parametrize(
    ("name", "transform"),
    [
        ("crlf", lambda t: t.replace("\n", "\r\n")),
        ("no final newline", lambda t: t.rstrip("\n")),
        ("crlf without final newline", lambda t: t.rstrip("\n").replace("\n", "\r\n")),
    ],
)
def test_line_endings_and_missing_final_newline_are_kept(name: str, transform: object, git_repo: Path) -> None:
    assert callable(transform)
    original = transform(MILESTONES)
    (git_repo / "eu.yaml").write_bytes(original.encode())
    assert okrctl("checkin", "ops/eu/latency", "210", "--date", "2026-11-18", cwd=git_repo).code == 0
    expected = original.replace("target: 80}", "target: 80, checkins: [{date: 2026-11-18, value: 210}]}")
    assert (git_repo / "eu.yaml").read_bytes() == expected.encode()
    assert okrctl("checkin", "ops/eu/region", "done", "--date", "2026-11-18", cwd=git_repo).code == 0
    eol = "\r\n" if "\r\n" in original else "\n"
    expected = expected.replace(
        "done: false   # blocked on the DPA", f"done: true   # blocked on the DPA{eol}        done_on: 2026-11-18"
    )
    assert (git_repo / "eu.yaml").read_bytes() == expected.encode()


def test_byte_order_mark_mode_and_symlinks_are_kept(goals: Path) -> None:
    real = goals / "real"
    real.mkdir()
    (real / "okrs.yaml").write_bytes(b"\xef\xbb\xbf" + OKRS.encode())
    (real / "okrs.yaml").chmod(0o640)
    (goals / "okrs.yaml").unlink()
    (goals / "okrs.yaml").symlink_to(real / "okrs.yaml")
    assert okrctl("checkin", "ops/rel/pages", "5", cwd=goals).code == 0
    assert (goals / "okrs.yaml").is_symlink()
    data = (real / "okrs.yaml").read_bytes()
    assert data == b"\xef\xbb\xbf" + OKRS.replace("current: 7.50", "current: 5").encode()
    assert (real / "okrs.yaml").stat().st_mode & 0o777 == 0o640
    assert [p.name for p in real.iterdir()] == ["okrs.yaml"]  # no temporary file left behind


def test_edits_keep_lint_clean_and_git_diff_shows_only_the_new_lines(goals: Path) -> None:
    import subprocess

    assert okrctl("checkin", "ops/rel/lat", "320", "--date", "2026-11-21", cwd=goals).code == 0
    assert okrctl("measure", "ops/uptime", "99.98", "--date", "2026-11-21", cwd=goals).code == 0
    diff = subprocess.run(["git", "diff", "--numstat"], cwd=goals, capture_output=True, text=True, check=True).stdout
    assert sorted(diff.splitlines()) == ["1\t0\tkpis.yaml", "1\t0\tokrs.yaml"]
    assert okrctl("lint", "--as-of", "2026-11-23", "--format", "json", cwd=goals).out.count('"code": "OKR0') == 0


REFUSALS = [
    (
        ["checkin", "ops/rel/lat", "abc"],
        "okrctl: error: value 'abc' is not a number (write it like 1300000, 4.5 or 0.70)",
    ),
    (
        ["checkin", "ops/rel/lat", "1,300"],
        "okrctl: error: value '1,300' is not a number (write it like 1300000, 4.5 or 0.70)",
    ),
    (
        ["checkin", "ops/rel/lat", "yes"],
        "okrctl: error: value 'yes' is not a number (write it like 1300000, 4.5 or 0.70)",
    ),
    (
        ["checkin", "ops/rel/lat", "done"],
        "okrctl: error: ops/rel/lat is a metric key result, not a milestone: give a number",
    ),
    (
        ["checkin", "ops/rel/lat", "300", "--date", "2026-09-30"],
        "okrctl: error: the date 2026-09-30 is outside the period of ops/rel/lat: 2026-Q4 (2026-10-01..2026-12-31)",
    ),
    (
        ["checkin", "ops/rel/lat", "300", "--date", "2099-01-01"],
        "okrctl: error: the date 2099-01-01 is outside the period",
    ),
    (
        ["checkin", "ops/rel/lat", "300", "--date", "2026-11-31"],
        "okrctl: error: --date: '2026-11-31' is not a valid date",
    ),
    (["checkin", "ops/rel/lat", "300", "--confidence", "1.5"], "okrctl: error: confidence 1.5 is not between 0 and 1"),
    (
        ["checkin", "ops/rel/latency", "300"],
        "okrctl: error: no key result 'ops/rel/latency' (did you mean 'ops/rel/lat'?)",
    ),
    (["checkin", "ops/lat", "300"], "okrctl: error: 'ops/lat' is not a key result reference: write OWNER/OBJECTIVE/KR"),
    (
        ["checkin", "ops/rel/pages", "6", "--note", "x"],
        "okrctl: error: ops/rel/pages keeps an undated current value, which has no room for --note: to keep dated "
        "check-ins, replace its line current: 7.5 with checkins: [{date: YYYY-MM-DD, value: 7.5}]",
    ),
    (
        ["checkin", "ops/rel/pages", "6", "--date", "2026-11-14"],
        "okrctl: error: ops/rel/pages keeps an undated current value, which has no room for --date: to keep dated",
    ),
    (
        ["checkin", "ops/rel/lat", "300", "--note", "\x1b[2J wiped"],
        "okrctl: error: --note: holds the control character U+001B: write plain text",
    ),
    (
        ["measure", "ops/uptime", "99.9", "--note", "bell\x07"],
        "okrctl: error: --note: holds the control character U+0007: write plain text",
    ),
    (["measure", "ops/uptme", "99"], "okrctl: error: no KPI 'ops/uptme' (did you mean 'ops/uptime'?)"),
    (["measure", "ops/uptime", "high"], "okrctl: error: value 'high' is not a number"),
    (["measure", "ops/uptime", "99.9", "--date", "2099-01-01"], "okrctl: error: the date 2099-01-01 is in the future"),
]


@pytest.mark.parametrize(("args", "message"), REFUSALS, ids=[" ".join(a) for a, _ in REFUSALS])
def test_refused_edits_write_nothing(args: list[str], message: str, goals: Path) -> None:
    before = {p.name: p.read_bytes() for p in goals.glob("*.yaml")}
    result = okrctl(*args, cwd=goals)
    assert result.code == 2
    assert result.out == ""
    assert result.err.startswith(message)
    assert {p.name: p.read_bytes() for p in goals.glob("*.yaml")} == before
    assert sorted(p.name for p in goals.iterdir() if not p.name.startswith(".git")) == ["kpis.yaml", "okrs.yaml"]


def test_kpi_backed_key_results_point_to_measure(git_repo: Path) -> None:
    (git_repo / "kpis.yaml").write_text(KPIS)
    (git_repo / "okrs.yaml").write_text(
        "kind: okrs\nperiod: 2026-Q4\nowner: ops\nobjectives:\n  - id: o\n    title: Be up\n    key_results:\n"
        "      - {id: up, title: Keep uptime high, kpi: ops/uptime, at_least: 99.9}\n"
    )
    result = okrctl("checkin", "ops/o/up", "99.9", "--date", "2026-11-20", cwd=git_repo)
    assert (result.code, result.err) == (
        2,
        "okrctl: error: ops/o/up takes its value from the KPI ops/uptime: record it with okrctl measure ops/uptime 99.9\n",
    )


def test_ambiguous_references_and_period(git_repo: Path) -> None:
    body = "owner: ops\nobjectives:\n  - id: o\n    title: Win\n    key_results:\n"
    body += "      - {id: k, title: Grow k from 1 to 9, start: 1, target: 9}\n"
    (git_repo / "q4.yaml").write_text("kind: okrs\nperiod: 2026-Q4\n" + body)
    (git_repo / "nov.yaml").write_text("kind: okrs\nperiod: 2026-11\n" + body)
    ambiguous = okrctl("checkin", "ops/o/k", "3", "--date", "2026-11-18", cwd=git_repo)
    assert ambiguous.code == 2
    assert ambiguous.err == (
        "okrctl: error: 'ops/o/k' is ambiguous: it is in nov.yaml (2026-11), q4.yaml (2026-Q4); "
        "choose a period with --period\n"
    )
    chosen = okrctl("checkin", "ops/o/k", "3", "--date", "2026-11-18", "--period", "2026-Q4", cwd=git_repo)
    assert chosen.out == "q4.yaml: ops/o/k: checked in 3 on 2026-11-18\n"
    october = okrctl("checkin", "ops/o/k", "2", "--date", "2026-10-18", cwd=git_repo)
    assert october.out == "q4.yaml: ops/o/k: checked in 2 on 2026-10-18 (inserted in date order)\n"  # only Q4 has it


def test_an_edit_is_refused_when_the_file_changed_on_disk(goals: Path) -> None:
    from okrctl.commands.edit import EditRefused, replace_goal_file
    from okrctl.config import Config
    from okrctl.loader import load_file

    path = goals / "okrs.yaml"
    loaded = load_file(path, Config())
    assert loaded is not None
    path.write_text(OKRS + "# someone else's edit\n")
    with pytest.raises(EditRefused, match="changed on disk while okrctl was editing it"):
        replace_goal_file(path, loaded, OKRS + "# ours\n")
    assert path.read_text() == OKRS + "# someone else's edit\n"


def test_a_write_that_fails_midway_leaves_the_original_intact(goals: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from okrctl.commands.edit import EditRefused, replace_goal_file
    from okrctl.config import Config
    from okrctl.loader import load_file

    path = goals / "okrs.yaml"
    loaded = load_file(path, Config())
    assert loaded is not None

    def failing_fsync(descriptor: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", failing_fsync)
    with pytest.raises(EditRefused, match=r"cannot write .*okrs\.yaml: No space left on device; nothing was written"):
        replace_goal_file(path, loaded, OKRS.replace("7.50", "1"))
    assert path.read_text() == OKRS
    assert sorted(p.name for p in goals.iterdir() if not p.name.startswith(".git")) == ["kpis.yaml", "okrs.yaml"]


def test_an_edit_that_would_not_validate_is_refused(goals: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from okrctl.commands import edit
    from okrctl.splice import Splice

    monkeypatch.chdir(goals)

    real_plan = edit._plan_checkin

    def broken_plan(*args: Any) -> edit.Change:
        change = real_plan(*args)
        change.splices = [Splice(0, 0, "kind: [\n")]  # what a bug in the splicer could do
        return change

    monkeypatch.setattr(edit, "_plan_checkin", broken_plan)
    with pytest.raises(edit.EditRefused, match="the edit would not validate"):
        edit.run_checkin(edit.CheckinOptions("ops/rel/lat", "300", None, None, None, None))
    assert (goals / "okrs.yaml").read_text() == OKRS
