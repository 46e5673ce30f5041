"""The weekly reminders workflow (examples/ci/github-weekly-reminders.yml): its step run by bash as the runner
runs it, with the real okrctl, in a real clone of a real (bare) origin, posting to a real HTTP receiver: an
owner whose key result waits for a check-in is reminded once, and a rerun reminds nobody."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import EXAMPLES, RUNNER_GIT
from scripted_server import Answer, scripted_server

from okrctl.yamlread import parse_yaml

WORKFLOW = EXAMPLES / "ci" / "github-weekly-reminders.yml"
IDENTITY = {
    "GIT_AUTHOR_NAME": "Ada",
    "GIT_AUTHOR_EMAIL": "a@x",
    "GIT_COMMITTER_NAME": "Ada",
    "GIT_COMMITTER_EMAIL": "a@x",
}


def _step() -> dict[str, Any]:
    document = parse_yaml(WORKFLOW.read_text(encoding="utf-8"))
    assert isinstance(document, dict)
    (step,) = [s for s in document["jobs"]["remind"]["steps"] if s.get("name", "").startswith("Remind")]
    return dict(step)


def _git(cwd: Path, *arguments: str) -> str:
    env = {**os.environ, **IDENTITY}
    return subprocess.run(["git", *arguments], cwd=cwd, capture_output=True, text=True, check=True, env=env).stdout


@pytest.mark.parametrize("broken", [False, True])
def test_an_owner_is_reminded_once_and_a_rerun_reminds_nobody(tmp_path: Path, broken: bool) -> None:
    """With a goal file that has errors too, the run fails (exit 1) but what it sent is not sent again."""
    origin, seed, clone = tmp_path / "origin.git", tmp_path / "seed", tmp_path / "clone"
    _git(tmp_path, "init", "--quiet", "--bare", "--initial-branch=main", str(origin))
    seed.mkdir()
    (seed / "okrctl.yaml").write_text(
        "notify:\n  channels:\n    team: {type: slack, url: env:SLACK_WEBHOOK}\n"
        "  rules:\n    - {on: [reminder], channel: team, renotify_days: 7}\n"
    )
    year = 2026  # a period that runs whatever today is would need today's date: this one ends in 2099
    (seed / "sales.yaml").write_text(
        f"kind: okrs\nperiod: {year}-01-01..2099-12-31\nowner: sales\nobjectives:\n  - id: grow\n"
        "    title: Grow\n    key_results:\n      - id: rev\n        title: Revenue to 2M\n        start: 0\n"
        f"        target: 2000000\n        checkins: [{{date: {year}-01-05, value: 10}}]\n"
    )
    if broken:
        (seed / "broken.yaml").write_text("kind: okrs\nperiod: 2026-Q4\nowner: ops\nobjectives: 7\n")
    _git(seed, "init", "--quiet", "--initial-branch=main")
    _git(seed, "add", "-A")
    _git(seed, "commit", "--quiet", "-m", "goals")
    _git(seed, "push", "--quiet", str(origin), "main")
    _git(tmp_path, "clone", "--quiet", str(origin), str(clone))
    script = _step()["run"]
    with scripted_server([Answer(200)]) as slack:
        environment = {
            **{name: value for name, value in os.environ.items() if not name.startswith("GIT_")},
            **RUNNER_GIT,
            "SLACK_WEBHOOK": slack.url + "/services/T/B/secret",
            "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        }
        first = subprocess.run(["bash", "-e", "-c", script], cwd=clone, env=environment, capture_output=True, text=True)
        second = subprocess.run(
            ["bash", "-e", "-c", script], cwd=clone, env=environment, capture_output=True, text=True
        )
    assert first.returncode == second.returncode == (1 if broken else 0), first.stderr + second.stderr
    assert len(slack.received) == 1  # reminded once; the rerun, since the tag, reminds nobody
    assert "sales" in json.dumps(slack.received[0].json())
    assert _git(origin, "cat-file", "-t", "refs/tags/okrctl/reminded").strip() == "tag"
