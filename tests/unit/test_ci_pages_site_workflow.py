"""The GitHub Pages example (examples/ci/github-pages-site.yml): its shape as GitHub reads it, and its build
step's shell run on the example company with okrctl itself."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml
from conftest import EXAMPLES

WORKFLOW = EXAMPLES / "ci" / "github-pages-site.yml"


def _workflow() -> dict[Any, Any]:
    loaded = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def _steps(job: str) -> list[dict[str, Any]]:
    steps = _workflow()["jobs"][job]["steps"]
    assert isinstance(steps, list)
    return steps


def test_it_builds_uploads_and_deploys_with_the_pages_permissions() -> None:
    workflow = _workflow()
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    uses = [step.get("uses", "") for step in _steps("build")]
    assert uses[0] == "actions/checkout@v4" and _steps("build")[0]["with"]["fetch-depth"] == 0
    (upload,) = [step for step in _steps("build") if step.get("uses", "").startswith("actions/upload-pages-artifact@")]
    build = next(step for step in _steps("build") if step.get("name") == "Build the site")
    assert "okrctl site --output _site" in build["run"] and upload["with"]["path"] == "_site"
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build" and deploy["environment"]["name"] == "github-pages"
    assert [step["uses"] for step in deploy["steps"]] == ["actions/deploy-pages@v4"]


def test_every_action_is_pinned_and_no_expression_is_pasted_into_a_script() -> None:
    text = WORKFLOW.read_text(encoding="utf-8")
    actions = re.findall(r"uses: (\S+)", text)
    assert actions and all(re.fullmatch(r"[\w-]+/[\w-]+@(v\d+|[0-9a-f]{40})", action) for action in actions)
    for job in ("build", "deploy"):
        assert all("${{" not in step.get("run", "") for step in _steps(job))


def test_the_build_step_publishes_the_rest_when_a_file_is_left_out(tmp_path: Path) -> None:
    """The step's script, run by bash with the okrctl of this environment, on acme with one broken file."""
    tree = tmp_path / "acme"
    shutil.copytree(EXAMPLES / "acme", tree)
    (tree / "goals/2026/broken.yaml").write_text("kind: okrs\nperiod: 2026-Q4\nowner: broken\nobjectives: []\n")
    build = next(step for step in _steps("build") if step.get("name") == "Build the site")
    environment = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "BASE_URL": "https://acme.github.io/goals/",
    }
    done = subprocess.run(["bash", "-e", "-c", build["run"]], cwd=tree, env=environment, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "::warning::some goal files were left out of the site" in done.stdout
    index = (tree / "_site/index.html").read_text(encoding="utf-8")
    assert '<link rel="canonical" href="https://acme.github.io/goals/index.html">' in index
