"""A warm lint whose result is remembered imports neither the rules nor the goal-file models: importing them
was over a tenth of such a run. A fresh interpreter each time, since this one has loaded them for other tests."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from conftest import AS_OF, EXAMPLES

from okrctl.cache import CACHE_DIR

HEAVY = ("okrctl.engine", "okrctl.loader", "okrctl.model", "okrctl.rules")

_RUN = f"""
import sys
from okrctl.cli import main
sys.argv = ["okrctl", "lint", "--as-of", "{AS_OF}"]
try:
    main()
except SystemExit as done:
    code = done.code
print("loaded:", sorted(m for m in {HEAVY!r} if m in sys.modules), "exit:", code, file=sys.stderr)
"""


def _lint_in_a_fresh_interpreter(root: Path) -> tuple[str, str]:
    done = subprocess.run([sys.executable, "-c", _RUN], cwd=root, capture_output=True, text=True, check=True)
    return done.stdout, done.stderr.splitlines()[-1]


def test_a_remembered_lint_loads_no_rules_nor_models_and_a_miss_does(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    shutil.copytree(EXAMPLES / "acme", root, ignore=shutil.ignore_patterns(CACHE_DIR))

    cold, loaded = _lint_in_a_fresh_interpreter(root)
    assert loaded == f"loaded: {sorted(HEAVY)} exit: 0"

    warm, loaded = _lint_in_a_fresh_interpreter(root)
    assert loaded == "loaded: [] exit: 0"
    assert warm == cold

    target = root / "goals" / "2026" / "sales.yaml"
    target.write_text(target.read_text() + "\n# an edit\n")
    edited, loaded = _lint_in_a_fresh_interpreter(root)
    assert loaded == f"loaded: {sorted(HEAVY)} exit: 0"
    assert edited == cold
