"""`okrctl measure --from-sources` as a process: the progress bar on a terminal (standard error on a real
pseudo-terminal), none in a pipe, and the same values written either way."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from okrctl.commands.measure_sources import PROGRESS_FROM

OKRCTL = str(Path(sys.executable).parent / "okrctl")
COUNT = PROGRESS_FROM + 5


def _root(root: Path) -> Path:
    (root / "kpis").mkdir(parents=True)
    (root / "okrctl.yaml").write_text("datasources:\n  scripts: {type: command}\n")
    command = json.dumps([sys.executable, "-c", "print(7)"])
    kpis = "".join(
        f"  - id: k{n}\n    title: K{n}\n    query: {{datasource: scripts, command: {command}}}\n" for n in range(COUNT)
    )
    (root / "kpis" / "ops.yaml").write_text(f"kind: kpis\nowner: ops\nkpis:\n{kpis}")
    return root


def _run(root: Path, stderr_on_terminal: bool) -> tuple[int, str, str]:
    environment = {**os.environ, "COLUMNS": "100", "TERM": "xterm"}
    environment.pop("NO_COLOR", None)
    if stderr_on_terminal:
        reader, writer = os.openpty()
        done = subprocess.run(
            [OKRCTL, "measure", "--from-sources", "--date", "2026-11-20"],
            cwd=root,
            env=environment,
            stdout=subprocess.PIPE,
            stderr=writer,
            text=True,
        )
        os.close(writer)
        chunks = []
        while True:
            try:
                chunk = os.read(reader, 65536)
            except OSError:  # the terminal's other end is closed: all was read
                break
            if not chunk:
                break
            chunks.append(chunk)
        os.close(reader)
        return done.returncode, done.stdout, b"".join(chunks).decode("utf-8", "replace")
    done = subprocess.run(
        [OKRCTL, "measure", "--from-sources", "--date", "2026-11-20"],
        cwd=root,
        env=environment,
        capture_output=True,
        text=True,
    )
    return done.returncode, done.stdout, done.stderr


def test_a_terminal_shows_a_progress_bar_and_a_pipe_does_not(tmp_path: Path) -> None:
    on_terminal = _run(_root(tmp_path / "a"), stderr_on_terminal=True)
    in_pipe = _run(_root(tmp_path / "b"), stderr_on_terminal=False)
    assert on_terminal[0] == in_pipe[0] == 0
    assert on_terminal[1] == in_pipe[1] and on_terminal[1].count("measured 7 on 2026-11-20") == COUNT
    assert "measuring" in on_terminal[2] and f"{COUNT}/{COUNT}" in on_terminal[2]
    assert in_pipe[2] == ""
    assert (tmp_path / "a" / "kpis" / "ops.yaml").read_bytes() == (tmp_path / "b" / "kpis" / "ops.yaml").read_bytes()
