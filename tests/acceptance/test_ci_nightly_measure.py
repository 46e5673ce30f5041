"""The nightly workflow example (examples/ci/github-nightly-measure.yml): its shape as GitHub reads it, and its
shell steps run by bash as the runner runs them, with the real okrctl, in a real clone that pushes to a real
(bare) origin. The workflow measures the default day, the last complete one (UTC), so these tests compute it:
the one place the suite reads today's date, through what the workflow itself asks for."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from conftest import EXAMPLES, RUNNER_GIT

from okrctl.yamlread import parse_yaml

WORKFLOW = EXAMPLES / "ci" / "github-nightly-measure.yml"
GIT_IDENTITY = {
    "GIT_AUTHOR_NAME": "Ada",
    "GIT_AUTHOR_EMAIL": "ada@example.com",
    "GIT_COMMITTER_NAME": "Ada",
    "GIT_COMMITTER_EMAIL": "ada@example.com",
}


def _workflow() -> dict[str, Any]:
    document = parse_yaml(WORKFLOW.read_text(encoding="utf-8"))
    assert isinstance(document, dict)
    return document


def _steps() -> list[dict[str, Any]]:
    return list(_workflow()["jobs"]["measure"]["steps"])


def test_it_runs_nightly_one_run_at_a_time_and_may_push() -> None:
    workflow = _workflow()
    assert workflow["on"]["schedule"][0]["cron"].split()[1] != "*"  # once a night, not every hour
    assert workflow["permissions"] == {"contents": "write"}
    assert workflow["concurrency"] == {"group": "goals-measure", "cancel-in-progress": False}
    assert all("${{" not in step.get("run", "") for step in _steps())  # secrets reach scripts as variables only
    assert set(workflow["jobs"]["measure"]["env"]) == {"PROM_URL", "PROM_TOKEN", "WAREHOUSE_DSN", "SLACK_WEBHOOK"}
    (checkout,) = [step for step in _steps() if step.get("uses", "").startswith("actions/checkout@")]
    assert checkout["with"]["fetch-depth"] == 0  # notify --since and goal posts read the history


STEPS = [
    ("Measure the KPIs that are due", 0),
    ("Commit and push the measurements", 0),
    ("Tell people what happened", 0),
]


def _git(cwd: Path, *arguments: str) -> str:
    done = subprocess.run(
        ["git", *arguments], cwd=cwd, capture_output=True, text=True, check=True, env={**os.environ, **GIT_IDENTITY}
    )
    return done.stdout


@pytest.fixture
def clone(tmp_path: Path) -> Path:
    """A goals repository pushed to a bare origin, cloned as actions/checkout leaves it."""
    origin, work = tmp_path / "origin.git", tmp_path / "seed"
    _git(tmp_path, "init", "--quiet", "--bare", "--initial-branch=main", str(origin))
    (work / "kpis").mkdir(parents=True)
    (work / "okrctl.yaml").write_text("datasources:\n  scripts: {type: command}\n")
    query = json.dumps([sys.executable, "-c", "import sys; print(sys.argv[1][-2:].lstrip('0'))", "{date}"])
    broken = json.dumps([sys.executable, "-c", "raise SystemExit('the warehouse is down')"])
    (work / "kpis" / "ops.yaml").write_text(
        "kind: kpis\nowner: ops\nkpis:\n"
        f"  - id: day\n    title: Day of the month\n    frequency: daily\n    query: {{datasource: scripts, command: {query}}}\n"
        "    measurements: []\n"
    )
    _git(work, "init", "--quiet", "--initial-branch=main")
    _git(work, "add", "-A")
    _git(work, "commit", "--quiet", "-m", "goals")
    _git(work, "push", "--quiet", str(origin), "main")
    clone = tmp_path / "clone"
    _git(tmp_path, "clone", "--quiet", str(origin), str(clone))
    (tmp_path / "broken-query.json").write_text(broken)
    return clone


def _run_job(clone: Path, tmp_path: Path, extra: dict[str, str] | None = None) -> list[tuple[str, int]]:
    """Each step's `run:` in order, as the runner runs it (bash -e, GITHUB_ENV read between steps), until one
    fails; the steps' names and exit codes."""
    github_env = tmp_path / "github-env"
    github_env.write_text("")
    environment = {
        **{name: value for name, value in os.environ.items() if not name.startswith("GIT_")},
        **RUNNER_GIT,  # no identity but what the steps set, as on GitHub's runners
        "GITHUB_ENV": str(github_env),
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        **(extra or {}),
    }
    ran = []
    for step in _steps():
        if "run" not in step or step["run"].startswith("pip install"):
            continue
        for line in github_env.read_text().splitlines():
            name, _, value = line.partition("=")
            environment[name] = value
        if "if" in step and step["if"] == "env.MEASURE_STATUS != '0'" and environment.get("MEASURE_STATUS") == "0":
            continue
        done = subprocess.run(["bash", "-e", "-c", step["run"]], cwd=clone, env=environment, capture_output=True)
        ran.append((step.get("name", ""), done.returncode))
        if done.returncode != 0:
            break
    return ran


def test_a_night_commits_and_pushes_the_measurements_and_the_next_run_pushes_nothing(
    clone: Path, tmp_path: Path
) -> None:
    yesterday = datetime.now(UTC).date() - timedelta(days=1)
    first = _run_job(clone, tmp_path)
    assert first == [STEPS[0], STEPS[1], STEPS[2]]
    origin = tmp_path / "origin.git"
    assert _git(origin, "log", "--format=%s", "main").splitlines() == [
        f"Measure KPIs of {yesterday} (okrctl measure --from-sources)",
        "goals",
    ]
    pushed = _git(origin, "show", "main:kpis/ops.yaml")
    assert f"measurements:\n      - {{date: {yesterday}, value: {yesterday.day}}}\n" in pushed
    again = _run_job(clone, tmp_path)
    assert again == [STEPS[0], STEPS[1], STEPS[2]]
    assert len(_git(origin, "log", "--format=%s", "main").splitlines()) == 2  # nothing new: no commit


def test_a_failing_source_still_pushes_the_others_then_fails_the_job(clone: Path, tmp_path: Path) -> None:
    broken = (tmp_path / "broken-query.json").read_text()
    path = clone / "kpis" / "ops.yaml"
    path.write_text(
        path.read_text()
        + f"  - id: revenue\n    title: Revenue\n    query: {{datasource: scripts, command: {broken}}}\n"
    )
    _git(clone, "commit", "--quiet", "-am", "a KPI whose source is down")
    _git(clone, "push", "--quiet")
    ran = _run_job(clone, tmp_path)
    assert ran == [STEPS[0], STEPS[1], STEPS[2], ("Fail when a source failed", 1)]
    assert "value:" in _git(tmp_path / "origin.git", "show", "main:kpis/ops.yaml")  # the other KPI was pushed


def test_someone_elses_push_since_the_checkout_is_kept(clone: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    _git(tmp_path, "clone", "--quiet", str(tmp_path / "origin.git"), str(other))
    (other / "README.md").write_text("pushed during the night\n")
    _git(other, "add", "README.md")
    _git(other, "commit", "--quiet", "-m", "a teammate's commit")
    _git(other, "push", "--quiet")
    ran = _run_job(clone, tmp_path)
    assert ran[-2:] == [STEPS[1], STEPS[2]]
    log = _git(tmp_path / "origin.git", "log", "--format=%s", "main").splitlines()
    assert log[1:] == ["a teammate's commit", "goals"] and log[0].startswith("Measure KPIs of ")


def test_a_bad_config_fails_at_once_and_pushes_nothing(clone: Path, tmp_path: Path) -> None:
    (clone / "okrctl.yaml").write_text("datasources:\n  scripts: {type: commandx}\n")
    ran = _run_job(clone, tmp_path)
    assert ran == [("Measure the KPIs that are due", 2)]
    assert len(_git(tmp_path / "origin.git", "log", "--format=%s", "main").splitlines()) == 1


def test_each_night_tells_what_happened_once(clone: Path, tmp_path: Path) -> None:
    """A KPI that enters red is told to the channel the night it is measured; the next night, nothing."""
    from scripted_server import Answer, scripted_server

    path = clone / "kpis" / "ops.yaml"
    path.write_text(
        path.read_text().replace(
            "    measurements: []\n", "    green: {min: 40}\n    measurements: [{date: 2026-01-01, value: 50}]\n"
        )
    )
    (clone / "okrctl.yaml").write_text(
        "datasources:\n  scripts: {type: command}\n"
        "notify:\n  channels:\n    team: {type: slack, url: env:SLACK_WEBHOOK}\n"
        "  rules:\n    - {on: [enter_red, recover], channel: team}\n"
    )
    _git(clone, "commit", "--quiet", "-am", "green above 40, told to the team")
    _git(clone, "push", "--quiet")
    with scripted_server([Answer(200)]) as slack:
        extra = {
            "SLACK_WEBHOOK": slack.url + "/services/T/B/secret",
            "GITHUB_SERVER_URL": "https://github.com",
            "GITHUB_REPOSITORY": "acme/goals",
        }
        first = _run_job(clone, tmp_path, extra)
        told_first = len(slack.received)
        measured = _git(clone, "rev-parse", "HEAD").strip()
        second = _run_job(clone, tmp_path, extra)
    assert first == second == STEPS
    assert told_first == 1 and len(slack.received) == 1  # the day of the month is below 40: red, told once
    message = json.dumps(slack.received[0].json())
    assert "entered red" in message
    assert f"<https://github.com/acme/goals/blob/{measured}/kpis/ops.yaml|" in message  # the file as measured
    assert _git(tmp_path / "origin.git", "cat-file", "-t", "refs/tags/okrctl/notified").strip() == "tag"
