"""The pull-request workflow example (examples/ci/github-pr-diff.yml): its shape as GitHub reads it, and its
shell steps run by bash with stand-ins for okrctl and gh that record what they were asked."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from conftest import EXAMPLES

from okrctl.yamlread import parse_yaml

WORKFLOW = EXAMPLES / "ci" / "github-pr-diff.yml"
MARKER = "<!-- okrctl-diff -->"


def _workflow() -> dict[str, Any]:
    document = parse_yaml(WORKFLOW.read_text(encoding="utf-8"))
    assert isinstance(document, dict)
    return document


def _steps() -> list[dict[str, Any]]:
    return list(_workflow()["jobs"]["diff"]["steps"])


def _step(name: str) -> dict[str, Any]:
    (step,) = [step for step in _steps() if step.get("name") == name]
    return step


def test_it_runs_on_pull_requests_with_the_permission_to_comment() -> None:
    workflow = _workflow()
    assert "pull_request" in workflow["on"]
    assert workflow["permissions"] == {"contents": "read", "pull-requests": "write"}
    assert workflow["jobs"]["diff"]["env"]["BASE_REF"] == "${{ github.base_ref }}"


def test_the_checkout_fetches_the_whole_history() -> None:
    (checkout,) = [step for step in _steps() if step.get("uses", "").startswith("actions/checkout@")]
    assert checkout["with"]["fetch-depth"] == 0
    assert _steps().index(checkout) == 0


@pytest.mark.parametrize(
    "name", ["github-workflow.yml", "github-pr-diff.yml", "github-nightly-measure.yml", "github-weekly-reminders.yml"]
)
def test_every_action_is_pinned_to_a_version(name: str) -> None:
    text = (EXAMPLES / "ci" / name).read_text(encoding="utf-8")
    actions = re.findall(r"uses: (\S+)", text)
    assert actions and all(re.fullmatch(r"[\w-]+/[\w-]+@(v\d+|[0-9a-f]{40})", action) for action in actions)


def test_no_expression_is_pasted_into_a_script() -> None:
    """`${{ }}` in a `run:` is text substituted before bash reads it: a branch name could inject commands."""
    assert all("${{" not in step.get("run", "") for step in _steps())


def test_the_marker_is_the_one_okrctl_diff_writes() -> None:
    diff_view = pytest.importorskip("okrctl.reporters.diff_view")  # the markdown of okrctl diff
    assert diff_view.MARKER == MARKER
    assert f'contains("{MARKER}")' in _step("Post or update the comment")["run"]


# -- the shell steps, with okrctl and gh stood in for ------------------------------------------------------------

FAKE_OKRCTL = """#!/bin/sh
echo "$@" >> "$CALLS"
printf '## Goals changed\\n\\n| key result | target |\\n\\n<!-- okrctl-diff -->\\n'
exit "${OKRCTL_EXIT:-0}"
"""
# gh api: a GET prints the ids the real `--jq` filter would print ($COMMENT_IDS); the rest is recorded.
FAKE_GH = """#!/bin/sh
echo "$@" >> "$CALLS"
case "$*" in *--method*) ;; *) [ -n "$COMMENT_IDS" ] && printf '%s\\n' $COMMENT_IDS ;; esac
exit 0
"""


def _run(step: str, tmp_path: Path, **env: str) -> tuple[int, list[str]]:
    bin_folder = tmp_path / "bin"
    bin_folder.mkdir(exist_ok=True)
    for name, text in (("okrctl", FAKE_OKRCTL), ("gh", FAKE_GH)):
        (bin_folder / name).write_text(text)
        (bin_folder / name).chmod(0o755)
    calls = tmp_path / "calls"
    calls.write_text("")
    (tmp_path / "script.sh").write_text(_step(step)["run"])
    environment = {
        "PATH": f"{bin_folder}{os.pathsep}{os.environ['PATH']}",
        "CALLS": str(calls),
        "BASE_REF": "main",
        "NUMBER": "7",
        "GITHUB_REPOSITORY": "acme/goals",
        "GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md"),
        **env,
    }
    done = subprocess.run(  # as GitHub runs a step's script
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "script.sh"], cwd=tmp_path, env=environment
    )
    return done.returncode, calls.read_text().splitlines()


@pytest.mark.parametrize("code", [0, 1])
def test_the_markdown_is_written_whatever_the_findings(tmp_path: Path, code: int) -> None:
    result, calls = _run("What changed in the goals", tmp_path, OKRCTL_EXIT=str(code))
    assert result == 0  # exit 1 fails the job in the last step, after the comment is posted
    assert calls == ["diff origin/main...HEAD --format markdown"]
    assert (tmp_path / "okrctl-diff.md").read_text().rstrip().endswith(MARKER)
    assert MARKER in (tmp_path / "summary.md").read_text()


def test_a_git_problem_fails_the_step_with_okrctls_code(tmp_path: Path) -> None:
    result, _ = _run("What changed in the goals", tmp_path, OKRCTL_EXIT="2")
    assert result == 2


def test_the_comment_is_posted_once_then_updated(tmp_path: Path) -> None:
    (tmp_path / "okrctl-diff.md").write_text(f"## Goals changed\n{MARKER}\n")
    result, calls = _run("Post or update the comment", tmp_path, COMMENT_IDS="")
    assert result == 0
    assert calls[1:] == ["api --method POST repos/acme/goals/issues/7/comments -F body=@okrctl-diff.md"]
    result, calls = _run("Post or update the comment", tmp_path, COMMENT_IDS="123 456")
    assert result == 0
    assert calls[1:] == ["api --method PATCH repos/acme/goals/issues/comments/123 -F body=@okrctl-diff.md"]
    assert calls[0].startswith("api repos/acme/goals/issues/7/comments --paginate --jq ")


@pytest.mark.skipif(shutil.which("jq") is None, reason="jq is not installed")
def test_the_filter_finds_only_the_workflows_own_comment() -> None:
    (query,) = re.findall(r"'(\.\[\] \|[^']+)'", _step("Post or update the comment")["run"])
    comments = [
        {"id": 1, "user": {"login": "someone"}, "body": f"quoting the bot: {MARKER}"},
        {"id": 2, "user": {"login": "github-actions[bot]"}, "body": "another workflow's comment"},
        {"id": 3, "user": {"login": "github-actions[bot]"}, "body": f"## Goals changed\n\n{MARKER}\n"},
    ]
    done = subprocess.run(["jq", query], input=json.dumps(comments), capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["3"]


@pytest.mark.parametrize("code", [0, 1])
def test_the_last_step_fails_the_job_on_an_error_finding(tmp_path: Path, code: int) -> None:
    result, calls = _run("History rules", tmp_path, OKRCTL_EXIT=str(code))
    assert result == code
    assert calls == ["diff origin/main...HEAD --format github"]
