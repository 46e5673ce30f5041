"""`okrctl textconv` as git's diff driver, in a real repository: `git log -p` shows goal changes as facts."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path

from conftest import run_okrctl

from okrctl.textconv import textconv

OKRCTL = Path(sys.executable).parent / "okrctl"

SALES = """\
kind: okrs
period: 2026-Q4
owner: sales
objectives:
  - id: acquire
    title: Drive new customer acquisition
    key_results:
      - id: new-revenue
        title: Generate $2M in new customer revenue
        start: 0
        target: 2000000
        unit: USD
      - id: deals
        title: Close 50 new enterprise deals
        start: 0
        target: 50
        checkins:
          - {date: 2026-10-10, value: 4}
"""

MOVED = SALES.replace(
    "        target: 2000000\n        unit: USD\n",
    "        target: 1600000   # rebaselined\n        unit: USD\n        rebaselined:\n"
    "          - {date: 2026-11-02, from: 2000000, reason: enterprise moved to Q1}\n",
)


def _git(repo: Path, *args: str, day: str = "2026-11-02T10:00:00+00:00") -> str:
    """git with no user or system config, a fixed identity and fixed dates."""
    environment = {
        **os.environ,
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_DATE": day,
        "GIT_COMMITTER_DATE": day,
    }
    identity = ["-c", "user.name=Dana", "-c", "user.email=dana@example.com"]
    done = subprocess.run(
        ["git", *identity, *args], cwd=repo, env=environment, capture_output=True, text=True, check=True
    )
    return done.stdout


def _repository(tmp_path: Path) -> Path:
    repo = tmp_path / "goals repo"  # a space in the path: git passes the driver's temporary files by path
    (repo / "goals").mkdir(parents=True)
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "config", "diff.okrctl.textconv", f"{shlex.quote(str(OKRCTL))} textconv")
    (repo / ".gitattributes").write_text("goals/**/*.yaml diff=okrctl\n")
    (repo / "goals" / "sales.yaml").write_text(SALES)
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "Sales goals for Q4", day="2026-10-01T10:00:00+00:00")
    (repo / "goals" / "sales.yaml").write_text(MOVED)
    _git(repo, "commit", "-qam", "Lower the revenue target")
    return repo


def _changed(patch: str) -> list[str]:
    return [line for line in patch.splitlines() if line.startswith(("+", "-")) and not line.startswith(("+++", "---"))]


def test_git_log_p_shows_the_moved_target_as_facts_and_nothing_for_an_unchanged_key_result(tmp_path: Path) -> None:
    repo = _repository(tmp_path)
    patch = _git(repo, "log", "-p", "--no-color", "--format=commit %s", "-1", "--", "goals/sales.yaml")
    assert _changed(patch) == [
        "-sales/acquire/new-revenue  target 2,000,000 USD",
        "+sales/acquire/new-revenue  target 1,600,000 USD",
        '+sales/acquire/new-revenue  rebaselined 2026-11-02  from 2,000,000 USD  "enterprise moved to Q1"',
    ]
    assert "deals" not in "\n".join(_changed(patch))
    # the first commit, a new file, shows every fact as added
    first = _git(repo, "log", "-p", "--no-color", "--format=commit %s", "--reverse", "--", "goals/sales.yaml")
    assert "+sales/acquire/deals  check-in 2026-10-10  4" in first.splitlines()
    # without the driver, the YAML as written
    raw = _git(repo, "log", "-p", "--no-textconv", "--no-color", "--format=%s", "-1", "--", "goals/sales.yaml")
    assert "-        target: 2000000" in raw.splitlines()


def test_git_diff_of_a_broken_version_still_shows_its_text(tmp_path: Path) -> None:
    repo = _repository(tmp_path)
    (repo / "goals" / "sales.yaml").write_text(MOVED.replace("  - id: acquire\n", "  - id: [acquire\n"))
    patch = _git(repo, "diff", "--no-color", "--", "goals/sales.yaml")
    changed = _changed(patch)
    assert "+  - id: [acquire" in changed  # the new version, broken: its own text
    assert "-sales/acquire/new-revenue  target 1,600,000 USD" in changed  # the old version, a goal file: its facts


def test_the_console_script_prints_what_the_core_renders_and_refuses_a_missing_file(tmp_path: Path) -> None:
    (tmp_path / "sales.yaml").write_text(MOVED)
    done = run_okrctl("textconv", "sales.yaml", cwd=tmp_path)
    assert (done.code, done.out, done.err) == (0, textconv(MOVED.encode()), "")
    missing = run_okrctl("textconv", "gone.yaml", cwd=tmp_path)
    assert (missing.code, missing.out) == (2, "")
    assert missing.err == "okrctl: error: cannot read gone.yaml: No such file or directory\n"
