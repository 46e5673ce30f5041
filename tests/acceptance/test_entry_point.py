"""The installed entry point as a user starts it: the console script and `python -m okrctl` (exit codes, the
error shape, the version), stdin through a real pipe, a named pipe, shell completion as the shell asks for it,
colour on a real terminal, a reader that stops early, and where the cache key goes.

Everything else runs the command line in process (tests/unit); these prove the process itself.
"""

from __future__ import annotations

import os
import pty
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import AS_OF, EXAMPLES, ROOT, _okrctl_command, run_okrctl

from okrctl import __version__

BAD = EXAMPLES / "bad"


def test_the_console_script_prints_the_one_error_shape(tmp_path: Path) -> None:
    result = run_okrctl("lint", "--as-of", "yesterday", cwd=tmp_path)
    assert (result.code, result.out) == (2, "")
    assert result.err == (
        "okrctl: error: invalid value for '--as-of': 'yesterday' is not a date: write YYYY-MM-DD\n"
        "okrctl: see 'okrctl lint --help'\n"
    )


def test_the_module_entry_point_prints_the_version_and_usage_errors() -> None:
    done = subprocess.run([sys.executable, "-m", "okrctl", "--version"], capture_output=True, text=True, check=True)
    assert done.stdout == f"okrctl {__version__}\n"
    done = subprocess.run(
        [sys.executable, "-m", "okrctl", "lint", "--format", "xml"], capture_output=True, text=True, cwd=ROOT
    )
    assert done.returncode == 2
    assert done.stderr.startswith("okrctl: error: invalid value for '--format'")


def test_exit_codes_of_the_console_script(tmp_path: Path) -> None:
    (tmp_path / "ops.yaml").write_bytes((BAD / "okr007-zero-range.yaml").read_bytes())
    assert run_okrctl("lint", "--as-of", AS_OF, cwd=tmp_path).code == 1
    assert run_okrctl("lint", "--as-of", AS_OF, "--exit-zero", cwd=tmp_path).code == 0
    assert run_okrctl("lint", "examples/acme", "--as-of", AS_OF, cwd=ROOT).code == 0


def test_shell_completion_through_the_console_script(tmp_path: Path) -> None:
    done = subprocess.run(
        _okrctl_command(),
        env={"_OKRCTL_COMPLETE": "complete_bash", "COMP_WORDS": "okrctl li", "COMP_CWORD": "1", "PATH": ""},
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
    )
    assert done.stdout.split() == ["lint"]


def test_stdin_through_a_real_pipe(tmp_path: Path) -> None:
    (tmp_path / "okrctl.yaml").write_text("lint: {ignore: [OKR3]}\n")
    (tmp_path / "teams").mkdir()
    done = subprocess.run(
        [*_okrctl_command(), "lint", "-", "--stdin-filename", "teams/new.yaml"],
        input=(BAD / "okr007-zero-range.yaml").read_bytes(),
        capture_output=True,
        cwd=tmp_path,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1
    assert done.stdout.decode().startswith("teams/new.yaml:13:9 OKR007 error")


def test_a_named_pipe_is_a_finding_and_never_read(tmp_path: Path) -> None:
    piped = subprocess.run(
        ["bash", "-c", f"{_okrctl_command()[0]} lint <(echo 'kind: okrs')"],
        cwd=tmp_path, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert piped.returncode == 1
    assert "OKR001 error not a regular file or folder (a pipe, socket or device)" in piped.stdout
    assert piped.stderr == ""


def test_a_reader_that_stops_early_gets_no_traceback() -> None:
    """`okrctl rule --all | head -1`: the pipe closes under okrctl, which ends quietly."""
    done = subprocess.run(
        ["bash", "-c", f"{_okrctl_command()[0]} rule --all | head -c 10; exit ${{PIPESTATUS[0]}}"],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert done.stdout == "OKR001 yam"
    assert "Traceback" not in done.stderr and "internal error" not in done.stderr, done.stderr
    assert done.returncode in (0, 1, 128 + signal.SIGPIPE), done.returncode


def _run_in_terminal(args: list[str], cwd: Path, env: dict[str, str]) -> str:
    """Run okrctl with its stdout on a pseudo-terminal, as a user at a terminal would."""
    main, secondary = pty.openpty()
    environment = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "GITHUB_ACTIONS")}
    environment.update({"TERM": "xterm-256color", **env})
    process = subprocess.Popen(
        [*_okrctl_command(), *args], cwd=cwd, env=environment, stdout=secondary, stderr=subprocess.PIPE
    )
    os.close(secondary)
    chunks = []
    while True:
        try:
            chunk = os.read(main, 65536)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    process.wait(timeout=60)
    os.close(main)
    return b"".join(chunks).decode()


def test_colour_follows_the_terminal_and_no_color(tmp_path: Path) -> None:
    (tmp_path / "ops.yaml").write_bytes((BAD / "okr007-zero-range.yaml").read_bytes())
    coloured = _run_in_terminal(["lint", "--as-of", AS_OF], tmp_path, {})
    assert "\x1b[" in coloured
    assert "OKR007" in coloured
    plain = _run_in_terminal(["lint", "--as-of", AS_OF], tmp_path, {"NO_COLOR": "1"})
    assert "\x1b[" not in plain
    assert "ops.yaml:13:9 OKR007 error key result 'uptime'" in plain


def test_a_process_keeps_the_cache_key_in_the_folder_the_suite_names(
    own_key_folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The suite's processes inherit OKRCTL_CACHE_HOME: nothing lands in the user's cache folder, which here
    is a fresh HOME's (XDG_CACHE_HOME unset), so any write there would show."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    goals = tmp_path / "goals"
    goals.mkdir()
    (goals / "ops.yaml").write_bytes((BAD / "okr007-zero-range.yaml").read_bytes())
    assert run_okrctl("lint", "--as-of", AS_OF, cwd=goals).code == 1
    assert (own_key_folder / "cache-key").is_file()
    assert list(home.rglob("*")) == []
