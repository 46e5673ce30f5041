"""`okrctl notify` in process: the events printed (text and JSON), routed by every rule option (match, on,
consecutive, renotify_days), and `--since REV` on real git repositories: a rerun with the previous run's
commit tells nothing new, values committed later and values not committed yet are new, goal posts by their
commit, time events by the revision's commit day."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import Any

import pytest
from conftest import commit_all, okrctl

SECRET = "https://hooks.example.com/services/T000/B000/s3cr3t-p4ssw0rd"

KPIS = """\
kind: kpis
owner: support
kpis:
  - id: csat
    title: Customer satisfaction
    owner: maria
    unit: /5
    frequency: weekly
    green: {min: 4.5}
    amber: {min: 4.0}
    measurements:
      - {date: 2026-10-26, value: 4.6}
      - {date: 2026-11-02, value: 3.9}
"""

SALES = """\
kind: okrs
period: 2026-Q4
owner: sales
objectives:
  - id: acquire
    title: Drive acquisition
    key_results:
      - id: rev
        title: Revenue to 2M
        start: 0
        target: 2000000
        checkins:
          - {date: 2026-10-02, value: 100000}
"""


def events(repo: Path, *args: str, code: int = 0) -> list[dict[str, Any]]:
    done = okrctl("notify", "--dry-run", "--format", "json", *args, cwd=repo, env={"OPS_HOOK": SECRET})
    assert done.code == code, done.out + done.err
    assert SECRET not in done.out + done.err
    document = json.loads(done.out)
    assert document["version"] == 1
    found: list[dict[str, Any]] = document["events"]
    return found


def told(found: list[dict[str, Any]]) -> list[tuple[str, str, str]]:
    return [(e["day"], e["kind"], e["transition"]) for e in found]


def add_measurement(repo: Path, day: str, value: float) -> None:
    path = repo / "kpis.yaml"
    path.write_text(path.read_text() + f"      - {{date: {day}, value: {value}}}\n")


def write_config(repo: Path, rules: str = "") -> None:
    text = "notify:\n  channels:\n    ops: {type: slack, url: env:OPS_HOOK}\n    team: {type: webhook, url: env:TEAM_HOOK}\n"
    (repo / "okrctl.yaml").write_text(
        text + (f"  rules:\n{textwrap.indent(textwrap.dedent(rules), '    ')}" if rules else "")
    )


@pytest.fixture
def repo(git_repo: Path) -> Path:
    write_config(git_repo)
    (git_repo / "kpis.yaml").write_text(KPIS)
    return git_repo


def test_since_the_previous_runs_commit_tells_nothing_new_and_each_event_once(repo: Path) -> None:
    first = commit_all(repo, "measure", "2026-11-02")
    assert told(events(repo, "--as-of", "2026-11-02")) == [("2026-11-02", "enter_red", "green→red")]
    assert events(repo, "--as-of", "2026-11-02", "--since", first) == []  # its measurement is in `first`

    add_measurement(repo, "2026-11-09", 4.7)
    commit_all(repo, "measure", "2026-11-09")
    add_measurement(repo, "2026-11-16", 3.8)  # not committed yet
    since_first = events(repo, "--as-of", "2026-11-16", "--since", first)
    assert told(since_first) == [("2026-11-09", "recover", "red→green"), ("2026-11-16", "enter_red", "green→red")]
    assert since_first == events(repo, "--as-of", "2026-11-16", "--since", first)  # the same run, the same set
    assert since_first[1]["rows"] == [{"ref": "support/csat", "date": "2026-11-16", "value": 3.8}]

    third = commit_all(repo, "measure", "2026-11-16")
    assert events(repo, "--as-of", "2026-11-16", "--since", third) == []

    # time passes: stale from 2026-11-26 (weekly + 2 grace days after 2026-11-16), after the commit's day
    assert told(events(repo, "--as-of", "2026-11-27", "--since", third)) == [("2026-11-26", "stale", "stale")]
    (repo / "NOTES.md").write_text("nightly run\n")
    fourth = commit_all(repo, "nightly", "2026-11-26")
    assert events(repo, "--as-of", "2026-11-27", "--since", fourth) == []


def test_a_value_dated_before_the_revision_but_committed_after_it_is_new(repo: Path) -> None:
    first = commit_all(repo, "measure", "2026-11-02")
    add_measurement(repo, "2026-10-30", 3.0)  # late: dated before `first`'s day, committed after it
    commit_all(repo, "backfill", "2026-11-05")
    # the KPI now went red on 10-30 (and stayed red on 11-02): a measurement `first` does not hold
    assert told(events(repo, "--as-of", "2026-11-05", "--since", first)) == [("2026-10-30", "enter_red", "green→red")]


def test_goal_posts_are_new_until_the_revision_holds_their_commit(git_repo: Path) -> None:
    write_config(git_repo)
    (git_repo / "sales.yaml").write_text(SALES)
    before = commit_all(git_repo, "Q4 goals", "2026-09-28")
    path = git_repo / "sales.yaml"
    path.write_text(path.read_text().replace("target: 2000000", "target: 1600000"))
    moved = commit_all(git_repo, "lower", "2026-11-05", author="Bo")
    path.write_text(path.read_text() + "          - {date: 2026-11-10, value: 900000}\n")
    checked_in = commit_all(git_repo, "check in", "2026-11-10")
    (git_repo / "README").write_text("not a goal file\n")
    commit_all(git_repo, "", "2026-11-11")  # no subject at all: git's records still parse

    [post] = [e for e in events(git_repo, "--as-of", "2026-11-23") if e["kind"] == "goalpost"]
    assert (post["ref"], post["day"], post["commit"], post["transition"]) == (
        "sales/acquire/rev",
        "2026-11-05",
        moved,
        "OKR401",
    )
    assert post["title"] == "Revenue to 2M" and "target 2,000,000 → 1,600,000" in post["summary"]
    assert [e["kind"] for e in events(git_repo, "--as-of", "2026-11-23", "--since", before)].count("goalpost") == 1
    for later in (moved, checked_in, "HEAD"):  # the commit itself, and revisions after it: told before
        assert [e["kind"] for e in events(git_repo, "--as-of", "2026-11-23", "--since", later)].count("goalpost") == 0


def test_text_prints_one_line_per_event_and_says_no_rule_routes_them(repo: Path) -> None:
    commit_all(repo, "measure", "2026-11-02")
    done = okrctl("notify", "--as-of", "2026-11-02", "--dry-run", cwd=repo)
    assert done.code == 0, done.err
    assert done.out == (
        "2026-11-02  enter_red  support/csat  Customer satisfaction (support/csat) entered red: 3.9 /5 on "
        "2026-11-02 (green ≥ 4.5, amber ≥ 4); owner maria\n"
        "1 event as of 2026-11-02\n"
    )
    assert "no rule in notify.rules of the config routes these events to a channel" in done.err


def test_rules_route_by_match_and_on_each_event_to_each_channel_once(repo: Path) -> None:
    write_config(
        repo,
        """\
        - {match: "support/*", on: [enter_red, recover], channel: team}
        - {match: "sales/*", on: [enter_red, stale], channel: ops}
        - {match: "*", on: [stale], channel: ops}
        - {match: "support/csat", on: [enter_red], channel: team}
        - {match: "sales/*", on: [reminder], channel: team}
        """,
    )
    (repo / "sales.yaml").write_text(SALES)
    add_measurement(repo, "2026-11-09", 4.7)
    commit_all(repo, "goals", "2026-11-09")
    found = events(repo, "--as-of", "2026-11-23")
    routed = [(e["day"], e["kind"], e["ref"], e["channels"]) for e in found]
    assert routed == [
        # sales/* matches the owner sales: its key result has had no check-in since 2026-10-02
        ("2026-10-17", "reminder", "sales", ["team"]),
        ("2026-11-02", "enter_red", "support/csat", ["team"]),  # two rules send it to team: once
        ("2026-11-09", "recover", "support/csat", ["team"]),
        ("2026-11-19", "stale", "support/csat", ["ops"]),  # weekly + 2 grace days after 2026-11-09
    ]
    done = okrctl("notify", "--as-of", "2026-11-23", "--dry-run", cwd=repo)
    assert "  → team\n" in done.out and "  → ops\n" in done.out
    assert "no rule" not in done.err


def test_rules_options_consecutive_and_renotify_days_apply_per_rule(repo: Path) -> None:
    write_config(
        repo,
        """\
        - {match: "support/*", on: [enter_red, recover], channel: team, consecutive: 2}
        - {match: "support/*", on: [enter_red, stale], channel: ops, renotify_days: 7}
        """,
    )
    for day, value in [("2026-11-03", 4.6), ("2026-11-04", 3.9), ("2026-11-09", 3.8)]:
        add_measurement(repo, day, value)
    night = commit_all(repo, "measure", "2026-11-09")
    add_measurement(repo, "2026-11-12", 3.7)
    commit_all(repo, "measure", "2026-11-12")
    found = events(repo, "--as-of", "2026-11-20")
    by_channel = {
        channel: [(e["day"], e["kind"], e["transition"]) for e in found if channel in e["channels"]]
        for channel in ("team", "ops")
    }
    assert by_channel["team"] == [
        # 11-02 is one red after 10-26: a blip for consecutive: 2; 11-03 green again; red twice from 11-04
        ("2026-11-09", "enter_red", "green→red"),
    ]
    # the whole history in one run: the red of 11-04 is told once, not with its "still red" of 11-12
    assert by_channel["ops"] == [("2026-11-02", "enter_red", "green→red"), ("2026-11-04", "enter_red", "green→red")]
    # the next night: 8 days after the alert, still red, told again (to ops; team's rule does not renotify)
    later = events(repo, "--as-of", "2026-11-20", "--since", night)
    assert [(e["day"], e["transition"], e["channels"]) for e in later if e["kind"] == "enter_red"] == [
        ("2026-11-12", "still red", ["ops"])
    ]


def test_a_lasting_condition_is_told_once_in_a_run_however_many_renotifications_it_missed(repo: Path) -> None:
    """A KPI added with its history (stale since August) and an owner whose key result waits since October:
    one event each in the first run, not one per `renotify_days` missed; later runs renotify as usual."""
    write_config(repo, "- {on: [stale, reminder], channel: ops, renotify_days: 7}\n")
    commit_all(repo, "goals", "2026-11-02")
    (repo / "migrated.yaml").write_text(
        KPIS.replace("owner: support", "owner: billing")
        .replace("2026-10-26", "2026-08-03")
        .replace("2026-11-02", "2026-08-10")
    )
    (repo / "sales.yaml").write_text(SALES)
    added = commit_all(repo, "migrated KPIs and the sales goals", "2026-11-20")
    first = events(repo, "--as-of", "2026-11-20", "--since", "HEAD~1")
    assert [(e["ref"], e["day"], e["transition"]) for e in first if e["ref"] != "support/csat"] == [
        ("billing/csat", "2026-08-20", "stale"),  # stale since the 20th of August: told once, not 14 times
        ("sales", "2026-10-17", "overdue"),  # a check-in due since the 17th of October: once, not 6 times
    ]
    week = events(repo, "--as-of", "2026-11-27", "--since", added)
    assert [(e["ref"], e["day"], e["transition"]) for e in week if e["ref"] != "support/csat"] == [
        ("sales", "2026-11-21", "still overdue"),
        ("billing/csat", "2026-11-26", "still stale"),
    ]


def test_two_rules_dating_one_crossing_apart_send_it_to_their_channel_once(repo: Path) -> None:
    write_config(
        repo,
        """\
        - {match: "support/csat", on: [enter_red], channel: ops}
        - {match: "support/*", on: [enter_red], channel: ops, consecutive: 2}
        - {match: "support/*", on: [enter_red], channel: team, consecutive: 2}
        """,
    )
    add_measurement(repo, "2026-11-09", 3.8)
    commit_all(repo, "measure", "2026-11-09")
    found = events(repo, "--as-of", "2026-11-20")
    assert [(e["day"], e["channels"]) for e in found if e["kind"] == "enter_red"] == [
        ("2026-11-02", ["ops"]),  # the first rule's, on the day it turned red
        ("2026-11-09", ["team"]),  # team's only rule waits for the second red measurement
    ]


def test_without_git_the_events_are_told_and_goal_posts_are_not_judged(tmp_path: Path) -> None:
    (tmp_path / "okrctl.yaml").write_text("{}\n")
    (tmp_path / "kpis.yaml").write_text(KPIS)
    done = okrctl("notify", "--as-of", "2026-11-02", cwd=tmp_path)
    assert done.code == 0, done.err
    assert "enter_red  support/csat" in done.out
    assert "goal posts not judged" in done.err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--since", "no-such-revision"], "no-such-revision"),
        (["--format", "yaml"], "'yaml' is not one of text, json"),
        (["--as-of", "2026-13-01"], "not a valid date"),
    ],
)
def test_bad_input_exits_2_with_a_clear_message(repo: Path, args: list[str], message: str) -> None:
    commit_all(repo, "measure", "2026-11-02")
    done = okrctl("notify", "--as-of", "2026-11-02", *args, cwd=repo)
    assert done.code == 2
    assert message in done.err
    assert "internal error" not in done.err


def test_since_outside_a_git_repository_says_so(tmp_path: Path) -> None:
    (tmp_path / "kpis.yaml").write_text(KPIS)
    done = okrctl("notify", "--since", "HEAD", "--as-of", "2026-11-02", cwd=tmp_path)
    assert done.code == 2 and "internal error" not in done.err
    assert "git" in done.err


def test_since_a_revision_before_the_goals_existed_tells_everything(git_repo: Path) -> None:
    (git_repo / "README.md").write_text("goals to come\n")
    before = commit_all(git_repo, "start", "2026-10-01")
    (git_repo / "goals").mkdir()
    write_config(git_repo / "goals")
    (git_repo / "goals" / "kpis.yaml").write_text(KPIS)
    commit_all(git_repo, "goals", "2026-11-02")
    found = events(git_repo / "goals", "--as-of", "2026-11-02", "--since", before)
    assert told(found) == [("2026-11-02", "enter_red", "green→red")]
    named = events(git_repo, "goals/kpis.yaml", "--as-of", "2026-11-02", "--since", before)
    assert told(named) == told(found)


def test_history_findings_carry_their_commit_but_lint_json_prints_what_it_printed(git_repo: Path) -> None:
    (git_repo / "sales.yaml").write_text(SALES)
    commit_all(git_repo, "Q4 goals", "2026-09-28")
    path = git_repo / "sales.yaml"
    path.write_text(path.read_text().replace("target: 2000000", "target: 1600000"))
    commit_all(git_repo, "lower", "2026-11-05")
    done = okrctl("lint", "--history", "--as-of", "2026-11-23", "--format", "json", cwd=git_repo)
    [finding] = [f for f in json.loads(done.out)["findings"] if f["code"] == "OKR401"]
    assert sorted(finding) == ["code", "column", "line", "message", "name", "path", "severity"]


@pytest.mark.parametrize(
    ("rules", "message"),
    [
        ('- {match: "", channel: ops}\n', "okrctl.yaml:6:8: bad config: notify.rules[0].match"),  # matches nothing
        ("- {channel: pager}\n", "pager"),  # no such channel
        ("- {on: [enter_redd], channel: ops}\n", "enter_red"),  # an unknown kind, with the one meant
        ("- {channel: ops, consecutive: 0}\n", "consecutive"),
        ("- {channel: ops, renotify_days: -1}\n", "renotify_days"),
    ],
)
def test_a_bad_rule_is_a_located_config_error(repo: Path, rules: str, message: str) -> None:
    write_config(repo, rules)
    done = okrctl("notify", "--as-of", "2026-11-23", "--dry-run", cwd=repo)
    assert done.code == 2 and message in done.err and "okrctl.yaml:" in done.err, done.err
    assert "internal error" not in done.err and done.out == ""
