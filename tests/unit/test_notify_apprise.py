"""The `apprise` channel type (the optional extra `okrctl[apprise]`): the message goes through the real Apprise
library to a real HTTP receiver on a loopback port (Apprise's `json://` service), a failure exits 3 with the
other channels still sent, the Apprise URL (a secret) is in no output, and without the extra the channel says
how to install it."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from conftest import commit_all, okrctl
from scripted_server import Answer, scripted_server
from test_notify_send import KPIS  # a KPI that enters red on 2026-11-02, titled `<!channel>`

from okrctl.notify.payloads import APPRISE_EVENTS

pytest.importorskip("apprise", reason="the apprise extra: pip install 'okrctl[apprise]'")

CONFIG = """\
notify:
  channels:
    anything: {type: apprise, url: env:APPRISE_URL}
    alerts: {type: webhook, url: env:ALERT_HOOK}
  rules:
    - {on: [enter_red], channel: anything}
    - {on: [enter_red], channel: alerts}
"""

SECRET = "s3cr3t-t0ken"


@pytest.fixture
def repo(git_repo: Path) -> Path:
    (git_repo / "okrctl.yaml").write_text(CONFIG)
    (git_repo / "kpis.yaml").write_text(KPIS)
    commit_all(git_repo, "goals", "2026-11-02")
    return git_repo


def _apprise_url(server_url: str) -> str:
    """Apprise's JSON service, posting to the receiver: json://user:password@host:port/path."""
    return server_url.replace("http://", f"json://okrctl:{SECRET}@") + f"/hooks/{SECRET}"


def test_an_apprise_channel_gets_one_message_with_its_events(repo: Path) -> None:
    with scripted_server([Answer(200)]) as receiver, scripted_server([Answer(202)]) as hook:
        environment = {"APPRISE_URL": _apprise_url(receiver.url), "ALERT_HOOK": hook.url + "/a"}
        done = okrctl(
            "notify", "--as-of", "2026-11-23", "--link", "https://git.example.com/goals/", cwd=repo, env=environment
        )
    assert done.code == 0, done.err
    assert done.err.splitlines() == ["okrctl: sent to anything", "okrctl: sent to alerts"]
    [received] = receiver.received
    assert received.method == "POST" and received.path == f"/hooks/{SECRET}"
    body = received.json()
    assert isinstance(body, dict)
    assert body["title"] == "okrctl: 1 event in " + repo.name
    assert "Customer satisfaction <!channel> (support/csat) entered red: 3.9 /5 on 2026-11-02" in body["message"]
    assert "https://git.example.com/goals/kpis.yaml" in body["message"]
    assert "See more: okrctl history support/csat" in body["message"]
    assert SECRET not in done.out + done.err


def test_a_failed_apprise_delivery_exits_3_after_the_other_channels_are_sent(repo: Path) -> None:
    with scripted_server([Answer(500, b"down")]) as receiver, scripted_server([Answer(202)]) as hook:
        environment = {"APPRISE_URL": _apprise_url(receiver.url), "ALERT_HOOK": hook.url + "/a"}
        done = okrctl("notify", "--as-of", "2026-11-23", cwd=repo, env=environment)
    assert done.code == 3
    assert len(hook.received) == 1 and "okrctl: sent to alerts" in done.err
    assert "okrctl: error: channel anything: apprise could not send it to json://…" in done.err
    assert SECRET not in done.out + done.err


def test_an_url_apprise_does_not_know_is_said_without_printing_it(repo: Path) -> None:
    environment = {"APPRISE_URL": f"nosuchservice://{SECRET}@example.com", "ALERT_HOOK": "http://127.0.0.1:9/x"}
    done = okrctl("notify", "--test", "anything", cwd=repo, env=environment)
    assert done.code == 3
    assert "the url in APPRISE_URL is not an Apprise URL that apprise" in done.err and "nosuchservice://…" in done.err
    assert SECRET not in done.out + done.err


def test_a_test_message_goes_through_apprise(repo: Path) -> None:
    with scripted_server([Answer(200)]) as receiver:
        done = okrctl("notify", "--test", "anything", cwd=repo, env={"APPRISE_URL": _apprise_url(receiver.url)})
    assert done.code == 0, done.err
    [received] = receiver.received
    body = received.json()
    assert isinstance(body, dict)
    assert body["title"] == "okrctl can post here" and "channel anything" in body["message"]


def test_without_the_extra_the_channel_says_how_to_install_it(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "apprise", None)  # `import apprise` now fails, as when not installed
    done = okrctl("notify", "--test", "anything", cwd=repo, env={"APPRISE_URL": "json://127.0.0.1:9/x"})
    assert done.code == 3
    assert "the apprise channel type needs the optional extra: pip install 'okrctl[apprise]'" in done.err


def test_a_long_list_is_cut_and_counted(repo: Path) -> None:
    rows = "".join(f"      - {{date: 2026-10-{day:02}, value: {4.6 if day % 2 else 3.9}}}\n" for day in range(1, 29))
    many = KPIS.replace(
        "      - {date: 2026-10-26, value: 4.6}\n      - {date: 2026-11-02, value: 3.9}\n", rows
    ).replace("frequency: weekly", "frequency: daily")
    owners = "".join(many.replace("owner: support", f"owner: team-{n}") for n in range(5)).split("kind: kpis\n")
    for n, text in enumerate(part for part in owners if part):
        (repo / f"kpis-{n}.yaml").write_text("kind: kpis\n" + text)
    (repo / "kpis.yaml").unlink()
    (repo / "okrctl.yaml").write_text(CONFIG.replace("[enter_red]", "[enter_red, recover]"))
    done = okrctl("notify", "--as-of", "2026-11-23", "--dry-run", "--format", "json", cwd=repo)
    document = json.loads(done.out)
    total = len(document["events"])
    assert total > APPRISE_EVENTS
    body = document["messages"]["anything"]["body"]
    assert body.count("\n- ") == APPRISE_EVENTS
    assert f"… and {total - APPRISE_EVENTS} more: run okrctl notify --dry-run" in body


def test_apprise_is_imported_only_to_send_through_it(repo: Path) -> None:
    import subprocess

    code = (
        "import sys\nfrom okrctl.cli import main\n"
        "sys.argv = ['okrctl', 'notify', '--as-of', '2026-11-23', '--dry-run']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'apprise'))"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=repo, capture_output=True, text=True, check=True)
    assert "1 event as of 2026-11-23" in done.stdout  # the dry run ran, with the apprise channel's message
    assert done.stdout.splitlines()[-1] == "[]"
