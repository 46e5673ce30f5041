"""A command datasource: a program run without a shell, printing one number.

The query's `command:` is the program and its arguments; `{date}`, `{start}` and `{end}` in an argument are
replaced by ISO dates, and the environment gains OKRCTL_KPI, OKRCTL_DATE, OKRCTL_START and OKRCTL_END. It runs
in the goals root, with no input, within the datasource's timeout.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from okrctl.config import Datasource
from okrctl.sources import Reading, Request, SourceError, fill, number_text


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
        try:
            done = subprocess.run(
                arguments,
                cwd=self._root,
                env=environment,
                stdin=subprocess.DEVNULL,
                capture_output=True,
                timeout=self._timeout,
                check=False,
            )
        except FileNotFoundError:
            raise SourceError(f"no program {arguments[0]!r} (run from {self._root})") from None
        except PermissionError:
            raise SourceError(f"{arguments[0]!r} cannot be run: permission denied") from None
        except OSError as error:
            raise SourceError(f"{arguments[0]!r} cannot be run: {error.strerror or error}") from None
        except subprocess.TimeoutExpired:
            raise SourceError(f"{arguments[0]!r} did not finish within {self._timeout:g} s") from None
        said = _last_line(done.stderr)
        if done.returncode != 0:
            how = f"was stopped by signal {-done.returncode}" if done.returncode < 0 else f"exited {done.returncode}"
            raise SourceError(f"{arguments[0]!r} {how}" + (f": {said}" if said else ""))
        output = done.stdout.decode("utf-8", errors="replace").split()
        if not output:
            raise SourceError(f"{arguments[0]!r} printed no value" + (f" ({said})" if said else ""))
        if len(output) > 1:
            raise SourceError(f"{arguments[0]!r} printed more than one value: {' '.join(output[:3])[:80]}")
        return Reading(number_text(output[0]))

    def close(self) -> None:
        pass


def _last_line(stream: bytes) -> str:
    lines = [line.strip() for line in stream.decode("utf-8", errors="replace").splitlines() if line.strip()]
    return lines[-1][:200] if lines else ""


def connect(name: str, datasource: Datasource, root: Path) -> CommandSource:
    return CommandSource(root, datasource.timeout)
