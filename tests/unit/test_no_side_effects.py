"""Importing okrctl, or running a command in process, changes nothing process-wide; the `okrctl` command does."""

from __future__ import annotations

import gc
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import AS_OF, EXAMPLES

from okrctl.cli import app, main

# A fresh interpreter: in the test run, okrctl is long imported. It prints what changed, if anything.
_IMPORT_AND_RUN = """
import gc, os, sys
gc.enable()
before = dict(os.environ), gc.isenabled(), gc.get_freeze_count()
from okrctl.cli import app
try:
    app(["lint", "--as-of", sys.argv[1], "--no-cache", "--jobs", "1"], prog_name="okrctl")
except SystemExit as done:
    assert done.code == 1, done.code
after = dict(os.environ), gc.isenabled(), gc.get_freeze_count()
print("unchanged" if before == after else f"changed: {before[1:]} -> {after[1:]}, {set(after[0]) ^ set(before[0])}")
"""


def test_importing_okrctl_and_running_a_command_in_process_changes_nothing(tmp_path: Path) -> None:
    shutil.copy(EXAMPLES / "bad" / "okr007-zero-range.yaml", tmp_path / "ops.yaml")
    environment = {k: v for k, v in os.environ.items() if k != "PYDANTIC_DISABLE_PLUGINS"}
    done = subprocess.run(
        [sys.executable, "-c", _IMPORT_AND_RUN, AS_OF], cwd=tmp_path, env=environment, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "unchanged"


def test_the_per_file_stage_leaves_the_collector_as_it_found_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Many files, through the in-process app: the collector is paused for the stage only, and nothing frozen."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
    from generate import generate

    generate(tmp_path, 40)  # enough files for worker processes
    monkeypatch.chdir(tmp_path)
    frozen = gc.get_freeze_count()
    for enabled in (True, False):
        (gc.enable if enabled else gc.disable)()
        try:
            with pytest.raises(SystemExit):
                app(["lint", "--as-of", AS_OF, "--jobs", "2", "-q"], prog_name="okrctl")
            assert gc.isenabled() is enabled
        finally:
            gc.enable()
    assert gc.get_freeze_count() == frozen


def test_the_okrctl_command_sets_its_process_up(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """What `main` (the console script, `python -m okrctl`) does before the app: pydantic plugins off unless the
    user says otherwise, and no garbage collector (the process ends with the command)."""
    monkeypatch.setenv("PYDANTIC_DISABLE_PLUGINS", "")
    monkeypatch.delenv("PYDANTIC_DISABLE_PLUGINS")
    monkeypatch.setattr(sys, "argv", ["okrctl", "--version"])
    try:
        with pytest.raises(SystemExit) as exited:
            main()
        assert not gc.isenabled()
    finally:
        gc.enable()
    assert exited.value.code == 0
    assert capsys.readouterr().out.startswith("okrctl ")
    assert os.environ["PYDANTIC_DISABLE_PLUGINS"] == "__all__"
