"""`okrctl diff` through the installed console script, in a real repository: a pull request's comment."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from conftest import run_okrctl

OKRS = """kind: okrs
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
          - {date: 2026-10-31, value: 600000}
"""


def _git(repo: Path, *args: str, day: str) -> None:
    stamp = f"{day}T10:00:00Z"
    identity = {"GIT_AUTHOR_NAME": "Dev", "GIT_AUTHOR_EMAIL": "dev@example.com", "GIT_COMMITTER_NAME": "Dev"}
    environment = {**os.environ, **identity, "GIT_COMMITTER_EMAIL": "dev@example.com"}
    environment |= {"GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp, "GIT_CONFIG_GLOBAL": os.devnull}
    subprocess.run(["git", *args], cwd=repo, env=environment, check=True, capture_output=True)


def test_the_console_script_compares_a_branch_with_main(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    (repo / "goals").mkdir(parents=True)
    _git(repo, "init", "-q", "-b", "main", day="2026-10-01")
    (repo / "okrctl.yaml").write_text("{}\n", encoding="utf-8")
    (repo / "goals" / "sales.yaml").write_text(OKRS, encoding="utf-8")
    _git(repo, "add", "-A", day="2026-10-01")
    _git(repo, "commit", "-qm", "Goals", day="2026-10-01")
    _git(repo, "checkout", "-qb", "lower-target", day="2026-11-12")
    (repo / "goals" / "sales.yaml").write_text(OKRS.replace("target: 2000000", "target: 1600000"), encoding="utf-8")
    _git(repo, "mv", "goals/sales.yaml", "goals/sales-team.yaml", day="2026-11-12")
    _git(repo, "commit", "-qam", "Lower the target", day="2026-11-12")

    run = run_okrctl(
        "diff", "--as-of", "2026-11-15", "--format", "json", "main...lower-target", "--", "goals", cwd=repo
    )
    assert (run.code, run.err) == (0, "")
    document = json.loads(run.out)
    assert [(c["ref"], c["status"], c["path"], c["fields"]) for c in document["changes"]] == [
        ("sales/acquire", "changed", "goals/sales-team.yaml", []),  # its score moved with its key result's
        ("sales/acquire/rev", "changed", "goals/sales-team.yaml", [{"name": "target", "old": 2000000, "new": 1600000}]),
    ]
    comment = run_okrctl("diff", "--as-of", "2026-11-15", "--format", "markdown", cwd=repo)  # the default base
    assert comment.code == 0 and comment.out.endswith("\n<!-- okrctl-diff -->\n")
    assert "| **acquire/rev** Revenue to 2M | key result changed | target: 2,000,000 → 1,600,000 |" in comment.out

    outside = run_okrctl("diff", cwd=tmp_path)
    assert (outside.code, outside.out) == (2, "")
    assert outside.err.startswith("okrctl: error: ") and "not in a git repository" in outside.err
