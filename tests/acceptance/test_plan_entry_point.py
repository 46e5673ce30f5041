"""`okrctl plan` through the installed console script: the example company planned at quarter end, the new
files linted by `okrctl lint` in a process of its own, and a refusal's shape (tests/unit/test_plan_command.py
covers the rest in process)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from conftest import EXAMPLES, run_okrctl

ANNUAL_2027 = """\
kind: okrs
period: 2027
owner: company
level: company
objectives:
  - id: growth
    title: Build a durable, profitable growth engine
"""


def test_plan_writes_the_next_quarter_that_lint_passes(tmp_path: Path) -> None:
    acme = tmp_path / "acme"
    shutil.copytree(EXAMPLES / "acme", acme)
    (acme / "goals" / "2027").mkdir()
    (acme / "goals" / "2027" / "company-annual.yaml").write_text(ANNUAL_2027, encoding="utf-8")

    dry = run_okrctl("plan", "2027-Q1", "--dry-run", cwd=acme)
    assert (dry.code, dry.err) == (0, "")
    assert sorted(p.name for p in (acme / "goals" / "2027").iterdir()) == ["company-annual.yaml"]

    run = run_okrctl("plan", "2027-Q1", "--format", "json", cwd=acme)
    assert (run.code, run.err) == (0, "")
    document = json.loads(run.out)
    assert document["findings"] == []
    written = sorted(file["path"] for file in document["files"])
    assert written == [
        f"goals/2027/{name}.yaml"
        for name in ("company-q1", "customer-success", "finance", "product", "sales-emea", "sales")
    ]
    assert run.out.count('"alignment": "carried"') == 5  # each department and team under its carried parent
    for path in written:
        assert dry.out.count(f"\n--- {path}\n") == 1
        assert f"\n--- {path}\n{(acme / path).read_text(encoding='utf-8')}" in dry.out

    lint = run_okrctl("lint", *written, "--as-of", "2027-01-04", cwd=acme)
    assert (lint.code, lint.out) == (0, "All clear: 6 goal files checked, no findings.\n"), lint.out

    again = run_okrctl("plan", "2027-Q1", "--owner", "sales", cwd=acme)
    assert (again.code, again.out) == (2, "")
    assert again.err == (
        "okrctl: error: sales has an okrs file for 2027-Q1 already: goals/2027/sales.yaml; nothing was written\n"
    )
