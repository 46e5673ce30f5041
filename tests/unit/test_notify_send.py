"""`okrctl notify` sending, end to end in process, to real HTTP receivers on loopback ports: one message per
channel (a Slack and a webhook channel), the evaluation printed first, a channel that fails exits 3 after the
other is sent, `--dry-run` sends nothing and shows the messages, `--test CHANNEL`, and the webhooks'
addresses (secrets) in no output."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import commit_all, okrctl
from scripted_server import Answer, scripted_server

KPIS = """\
kind: kpis
owner: support
kpis:
  - id: csat
    title: Customer satisfaction <!channel>
    owner: maria
    unit: /5
    frequency: weekly
    green: {min: 4.5}
    amber: {min: 4.0}
    measurements:
      - {date: 2026-10-26, value: 4.6}
      - {date: 2026-11-02, value: 3.9}
"""

CONFIG = """\
notify:
  channels:
    chat: {type: slack, url: env:SLACK_HOOK}
    alerts: {type: webhook, url: env:ALERT_HOOK, timeout: 2}
  rules:
    - {match: "support/*", on: [enter_red], channel: chat}
    - {match: "support/*", on: [enter_red, stale], channel: alerts}
"""

SECRET_PATH = "/services/T000/B000/XXXXs3cr3tXXXX"


@pytest.fixture
def repo(git_repo: Path) -> Path:
    (git_repo / "okrctl.yaml").write_text(CONFIG)
    (git_repo / "kpis.yaml").write_text(KPIS)
    commit_all(git_repo, "goals", "2026-11-02")
    return git_repo


def test_each_channel_gets_one_message_with_its_events(repo: Path) -> None:
    with scripted_server([Answer(200, b"ok")]) as slack, scripted_server([Answer(202, b"")]) as hook:
        environment = {"SLACK_HOOK": slack.url + SECRET_PATH, "ALERT_HOOK": hook.url + "/alerts"}
        done = okrctl("notify", "--as-of", "2026-11-23", cwd=repo, env=environment)
    assert done.code == 0, done.err
    assert "enter_red  support/csat" in done.out  # the evaluation is printed
    assert done.err.splitlines() == ["okrctl: sent to chat", "okrctl: sent to alerts"]
    [to_slack] = slack.received
    assert to_slack.method == "POST" and to_slack.path == SECRET_PATH
    assert to_slack.headers["content-type"].startswith("application/json")
    message = to_slack.json()
    assert isinstance(message, dict) and "blocks" in message and "text" in message
    assert "<!channel>" not in json.dumps(message)  # escaped: a title cannot ping a channel
    [to_hook] = hook.received
    body = to_hook.json()
    assert isinstance(body, dict) and body["status"] == "firing"
    assert {alert["annotations"]["kind"] for alert in body["alerts"]} == {"enter_red", "stale"}
    assert SECRET_PATH not in done.out + done.err


def test_a_channel_that_fails_exits_3_after_the_other_is_sent(repo: Path) -> None:
    with scripted_server([Answer(404, b"no_service")]) as slack, scripted_server([Answer(200)]) as hook:
        environment = {"SLACK_HOOK": slack.url + SECRET_PATH, "ALERT_HOOK": hook.url + "/alerts"}
        done = okrctl("notify", "--as-of", "2026-11-23", cwd=repo, env=environment)
    assert done.code == 3
    assert len(slack.received) == 1  # a 404 is not tried again
    assert len(hook.received) == 1  # and the other channel is sent all the same
    assert "enter_red  support/csat" in done.out
    assert "okrctl: error: channel chat" in done.err and "okrctl: sent to alerts" in done.err
    assert SECRET_PATH not in done.out + done.err and "XXXXs3cr3tXXXX" not in done.out + done.err


def test_a_channel_whose_variable_is_not_set_exits_3(repo: Path) -> None:
    with scripted_server([Answer(200)]) as hook:
        done = okrctl("notify", "--as-of", "2026-11-23", cwd=repo, env={"ALERT_HOOK": hook.url + "/a"})
    assert done.code == 3 and "SLACK_HOOK" in done.err and len(hook.received) == 1


def test_a_dry_run_sends_nothing_and_shows_each_message(repo: Path) -> None:
    with scripted_server([Answer(200)]) as slack:
        environment = {"SLACK_HOOK": slack.url + SECRET_PATH, "ALERT_HOOK": slack.url + "/alerts"}
        text = okrctl("notify", "--as-of", "2026-11-23", "--dry-run", cwd=repo, env=environment)
        data = okrctl("notify", "--as-of", "2026-11-23", "--dry-run", "--format", "json", cwd=repo, env=environment)
    assert slack.received == []
    assert text.code == data.code == 0
    assert "--- the message to chat, not sent (dry run):" in text.out
    document = json.loads(data.out)
    assert set(document["messages"]) == {"chat", "alerts"}
    assert "blocks" in document["messages"]["chat"] and document["messages"]["alerts"]["alerts"]
    assert SECRET_PATH not in text.out + text.err + data.out + data.err


def test_link_points_each_event_at_its_goal_file_and_a_bad_address_is_refused(repo: Path) -> None:
    base = "https://github.com/acme/goals/blob/0123abc/"
    environment = {"SLACK_HOOK": "http://127.0.0.1:9/x", "ALERT_HOOK": "http://127.0.0.1:9/y"}
    args = ["notify", "--as-of", "2026-11-23", "--dry-run", "--format", "json"]
    done = okrctl(*args, "--link", base, cwd=repo, env=environment)
    assert done.code == 0, done.err
    messages = json.loads(done.out)["messages"]
    assert {alert["generatorURL"] for alert in messages["alerts"]["alerts"]} == {base + "kpis.yaml"}
    assert f"<{base}kpis.yaml|" in json.dumps(messages["chat"])  # Slack's link to the goal file
    unlinked = json.loads(okrctl(*args, cwd=repo, env=environment).out)["messages"]
    assert {alert["generatorURL"] for alert in unlinked["alerts"]["alerts"]} == {""}
    for bad in ("ftp://example.com/", "https://example.com/a b", "https://x/|<!channel>"):
        refused = okrctl(*args, "--link", bad, cwd=repo, env=environment)
        assert refused.code == 2 and "--link" in refused.err and "not an http(s) address" in refused.err


def test_a_test_message_goes_to_the_channel_named(repo: Path) -> None:
    with scripted_server([Answer(200)]) as slack:
        done = okrctl("notify", "--test", "chat", cwd=repo, env={"SLACK_HOOK": slack.url + SECRET_PATH})
        unknown = okrctl("notify", "--test", "chatt", cwd=repo, env={"SLACK_HOOK": slack.url + SECRET_PATH})
    assert done.code == 0 and done.err == "okrctl: sent to chat\n" and done.out == ""
    [received] = slack.received
    assert "okrctl can post here" in json.dumps(received.json())
    assert unknown.code == 2 and "no channel 'chatt'" in unknown.err and "chat" in unknown.err


def test_a_rerun_since_the_last_runs_commit_sends_nothing(repo: Path) -> None:
    (repo / "README.md").write_text("the goals\n")
    first = commit_all(repo, "the last run's commit", "2026-11-23")
    with scripted_server([Answer(200)]) as slack:
        environment = {"SLACK_HOOK": slack.url + SECRET_PATH, "ALERT_HOOK": slack.url + "/alerts"}
        done = okrctl("notify", "--as-of", "2026-11-23", "--since", first, cwd=repo, env=environment)
    assert done.code == 0, done.err
    assert slack.received == [] and "0 events" in done.out


def test_kind_keeps_only_those_events(repo: Path) -> None:
    with scripted_server([Answer(200)]) as hook:
        environment = {"SLACK_HOOK": hook.url + SECRET_PATH, "ALERT_HOOK": hook.url + "/alerts"}
        done = okrctl("notify", "--as-of", "2026-11-23", "--kind", "stale", cwd=repo, env=environment)
        wrong = okrctl("notify", "--kind", "stail", cwd=repo, env=environment)
    assert done.code == 0, done.err
    assert [request.path for request in hook.received] == ["/alerts"]  # chat's rule sends no stale event
    body = hook.received[0].json()
    assert isinstance(body, dict) and [a["annotations"]["kind"] for a in body["alerts"]] == ["stale"]
    assert wrong.code == 2 and "'stail' is not an event kind" in wrong.err and "stale" in wrong.err


def test_a_tag_moved_by_each_run_dates_time_events_by_the_run_not_the_commit(repo: Path) -> None:
    """No commit for weeks (a KPI goes stale precisely then): a lightweight tag on the old commit would send
    the stale event again every night; an annotated tag, made by each run, says when the run was."""
    import os
    import subprocess

    def tag(day: str) -> None:
        when = f"{day}T12:00:00Z"
        environment = {
            **os.environ,
            "GIT_COMMITTER_DATE": when,
            "GIT_COMMITTER_NAME": "ci",
            "GIT_COMMITTER_EMAIL": "c@i",
        }
        subprocess.run(
            ["git", "tag", "-a", "-f", "-m", "notified", "okrctl/notified", "HEAD"],
            cwd=repo,
            env=environment,
            check=True,
            capture_output=True,
        )

    with scripted_server([Answer(200)]) as hook:
        environment = {"SLACK_HOOK": hook.url + SECRET_PATH, "ALERT_HOOK": hook.url + "/alerts"}
        tag("2026-11-05")  # the run of 2026-11-05 told everything up to then
        first = okrctl("notify", "--as-of", "2026-11-23", "--since", "okrctl/notified", cwd=repo, env=environment)
        tag("2026-11-23")
        second = okrctl("notify", "--as-of", "2026-11-24", "--since", "okrctl/notified", cwd=repo, env=environment)
        old = okrctl("notify", "--as-of", "2026-11-24", "--since", "HEAD", cwd=repo, env=environment)
    assert first.code == second.code == old.code == 0, first.err + second.err + old.err
    assert "2026-11-12  stale  support/csat" in first.out  # weekly, measured 2026-11-02, 2 days' grace
    assert "enter_red" not in first.out  # its measurement is in the tagged commit
    assert "0 events" in second.out  # nothing happened after the run of 2026-11-23
    assert "stale  support/csat" in old.out  # against the old commit's day, the stale event is "new" again


def test_a_goal_file_with_errors_is_reported_and_exits_1_after_the_others_are_sent(repo: Path) -> None:
    (repo / "broken.yaml").write_text("kind: kpis\nowner: other\nkpis:\n  - {id: q, title: Q, bogus_field: 1}\n")
    with scripted_server([Answer(200)]) as hook:
        environment = {"SLACK_HOOK": hook.url + SECRET_PATH, "ALERT_HOOK": hook.url + "/alerts"}
        done = okrctl("notify", "--as-of", "2026-11-23", cwd=repo, env=environment)
    assert done.code == 1
    assert len(hook.received) == 2  # the valid file's events are sent all the same
    assert "okrctl: error: broken.yaml: the file has errors, so its goals were not judged" in done.err


def test_a_dry_run_test_message_is_shown_not_sent_and_a_missing_variable_is_said(repo: Path) -> None:
    with scripted_server([Answer(200)]) as slack:
        shown = okrctl("notify", "--test", "chat", "--dry-run", cwd=repo, env={"SLACK_HOOK": slack.url + SECRET_PATH})
        unset = okrctl("notify", "--as-of", "2026-11-23", "--dry-run", cwd=repo, env={"ALERT_HOOK": slack.url})
        test_unset = okrctl("notify", "--test", "chat", "--dry-run", cwd=repo, env={"ALERT_HOOK": slack.url})
    assert slack.received == []
    assert shown.code == 0 and "okrctl can post here" in shown.out and shown.err == ""
    warning = "okrctl: warning: channel chat: SLACK_HOOK is not set: a real run would not send it (exit 3)"
    assert unset.code == 0 and warning in unset.err
    assert test_unset.code == 0 and "okrctl can post here" in test_unset.out and warning in test_unset.err


def test_a_kpi_added_after_the_revision_is_told_though_its_no_data_day_is_before(repo: Path) -> None:
    import subprocess

    base = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=repo, capture_output=True, text=True, check=True
    ).stdout.strip()
    path = repo / "kpis.yaml"
    path.write_text(path.read_text() + "  - id: fresh\n    title: Fresh\n    frequency: weekly\n    measurements: []\n")
    commit_all(repo, "a new KPI", "2026-11-20")
    done = okrctl("notify", "--as-of", "2026-11-23", "--since", base, "--kind", "stale", "--dry-run", cwd=repo)
    assert done.code == 0, done.err
    assert "stale  support/fresh" in done.out  # its "no data" is dated the quarter's first day, before base
