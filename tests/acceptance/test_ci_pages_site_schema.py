"""The GitHub Pages example validates against GitHub's workflow schema (check-jsonschema's vendored copy)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import EXAMPLES


def test_the_pages_workflow_validates_against_githubs_schema() -> None:
    tool = Path(sys.executable).parent / "check-jsonschema"
    workflow = EXAMPLES / "ci" / "github-pages-site.yml"
    done = subprocess.run(
        [str(tool), "--builtin-schema", "vendor.github-workflows", str(workflow)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr
