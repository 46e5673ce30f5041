"""A command datasource: a program run without a shell, printing one number.

The query's `command:` is the program and its arguments; `{date}`, `{start}` and `{end}` in an argument are
replaced by ISO dates, and the environment gains OKRCTL_KPI, OKRCTL_DATE, OKRCTL_START and OKRCTL_END. It runs
in the goals root, with no input, within the datasource's timeout.
"""

from __future__ import annotations

import os
import signal
import subprocess
import threading
from contextlib import suppress
from pathlib import Path
from typing import IO

from okrctl.config import Datasource
from okrctl.sources import Reading, Request, SourceError, fill, number_text

# What a command may print: one number needs a few bytes; a runaway program is stopped, not read into memory.
OUTPUT_LIMIT = 64 * 1024


class CommandSource:
    def __init__(self, root: Path, timeout: float) -> None:
        self._root = root
        self._timeout = timeout

    def read(self, request: Request) -> Reading:
        window = request.window
        arguments = [fill(argument, window) for argument in request.query.command or []]
        environment = {
            **os.environ,
            "OKRCTL_KPI": request.ref,
            **{f"OKRCTL_{name.upper()}": day.isoformat() for name, day in window.values().items()},
        }
        program = arguments[0]
        try:
            process = subprocess.Popen(
                arguments,
                cwd=self._root,
                env=environment,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                start_new_session=True,  # its own process group: what it starts is stopped with it
            )
        except FileNotFoundError:
            raise SourceError(f"no program {program!r} (run from {self._root})") from None
        except PermissionError:
            raise SourceError(f"{program!r} cannot be run: permission denied") from None
        except OSError as error:
            raise SourceError(f"{program!r} cannot be run: {error.strerror or error}") from None
        stdout, stderr, problem = _run(process, self._timeout)
        said = _last_line(stderr)
        if problem:
            raise SourceError(f"{program!r} {problem}")
        if process.returncode != 0:
            how = (
                f"was stopped by signal {-process.returncode}"
                if process.returncode < 0
                else f"exited {process.returncode}"
            )
            raise SourceError(f"{program!r} {how}" + (f": {said}" if said else ""))
        output = stdout.decode("utf-8", errors="replace").split()
        if not output:
            raise SourceError(f"{program!r} printed no value" + (f" ({said})" if said else ""))
        if len(output) > 1:
            raise SourceError(f"{program!r} printed more than one value: {' '.join(output[:3])[:80]}")
        return Reading(number_text(output[0]))

    def close(self) -> None:
        pass


def _run(process: subprocess.Popen[bytes], timeout: float) -> tuple[bytes, bytes, str]:
    """Wait for `process` within `timeout`, reading at most OUTPUT_LIMIT bytes of each stream: (stdout,
    stderr, why it was stopped, or ""). When it ends, or is stopped, whatever else its process group still
    runs (a program it started in the background, which would hold its output open) is stopped too."""
    kept: dict[str, bytearray] = {"out": bytearray(), "err": bytearray()}
    overflow = threading.Event()

    def drain(stream: IO[bytes], into: bytearray) -> None:
        while chunk := os.read(stream.fileno(), 65536):
            if len(into) + len(chunk) > OUTPUT_LIMIT:
                into += chunk[: OUTPUT_LIMIT - len(into)]
                overflow.set()
                _stop_group(process)
                break
            into += chunk

    assert process.stdout is not None and process.stderr is not None
    readers = [
        threading.Thread(target=drain, args=(process.stdout, kept["out"]), daemon=True),
        threading.Thread(target=drain, args=(process.stderr, kept["err"]), daemon=True),
    ]
    for reader in readers:
        reader.start()
    problem = ""
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        problem = f"did not finish within {timeout:g} s (it was stopped)"
    _stop_group(process)  # the program, if it runs still, and what it left running
    process.wait()
    for reader in readers:
        reader.join(1)
    for stream in (process.stdout, process.stderr):
        stream.close()
    if overflow.is_set():
        problem = f"printed more than {OUTPUT_LIMIT // 1024} KiB (it was stopped): a value is one number"
    return bytes(kept["out"]), bytes(kept["err"]), problem


def _stop_group(process: subprocess.Popen[bytes]) -> None:
    with suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)


def _last_line(stream: bytes) -> str:
    lines = [line.strip() for line in stream.decode("utf-8", errors="replace").splitlines() if line.strip()]
    return lines[-1][:200] if lines else ""


def connect(name: str, datasource: Datasource, root: Path) -> CommandSource:
    return CommandSource(root, datasource.timeout)
