"""A real Prometheus server for the tests (Debian's `prometheus` package: `prometheus` and `promtool`), holding
fixed samples from 2026-10-25 to 2026-11-25, loaded with `promtool tsdb create-blocks-from openmetrics`.

What it holds, sampled at 23:50, 23:54 and 23:58 UTC each day (so an instant query at a day's end, the next
midnight, sees that day's last sample within Prometheus' 5-minute lookback, and nothing of the next day):

- `nps{product="app"}`: a gauge, 40 + the day of the month / 2 (`NPS` below);
- `deploys_total{team="a"|"b"|"c"}`: counters that grow by 2, the day of the month, and 1 each day (`DEPLOYS`);
- `batch_signups{day="YYYY-MM-DD"}`: one series per day, sampled on that day only, 100 + the day of the month.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

FIRST_DAY = date(2026, 10, 25)
LAST_DAY = date(2026, 11, 25)
_MINUTES = (23 * 60 + 50, 23 * 60 + 54, 23 * 60 + 58)
_DAILY_DEPLOYS: dict[str, Callable[[date], int]] = {"a": lambda day: 2, "b": lambda day: day.day, "c": lambda day: 1}


def days() -> list[date]:
    return [FIRST_DAY + timedelta(days=n) for n in range((LAST_DAY - FIRST_DAY).days + 1)]


def nps(day: date) -> float:
    return 40 + day.day / 2


def deploys(team: str, day: date) -> int:
    """deploys_total{team=...} at the end of `day`."""
    return sum(_DAILY_DEPLOYS[team](d) for d in days() if d <= day)


def signups(day: date) -> int:
    return 100 + day.day


def openmetrics() -> str:
    families: dict[str, list[str]] = {"nps gauge": [], "deploys counter": [], "batch_signups gauge": []}
    for day in days():
        midnight = int(datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp())
        for minute in _MINUTES:
            at = midnight + minute * 60
            families["nps gauge"].append(f'nps{{product="app"}} {nps(day):g} {at}')
            for team in _DAILY_DEPLOYS:
                families["deploys counter"].append(f'deploys_total{{team="{team}"}} {deploys(team, day)} {at}')
            families["batch_signups gauge"].append(f'batch_signups{{day="{day}"}} {signups(day)} {at}')
    lines = []
    for family, samples in families.items():
        lines += [f"# TYPE {family}", *samples]
    return "\n".join([*lines, "# EOF"]) + "\n"


def binaries() -> tuple[str, str]:
    """The paths of `prometheus` and `promtool`; the test is skipped when one is missing."""
    found = shutil.which("prometheus"), shutil.which("promtool")
    if not all(found):
        pytest.skip("needs a Prometheus server: install Debian's prometheus package (prometheus and promtool)")
    return found[0] or "", found[1] or ""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def prometheus_server(folder: Path) -> Iterator[str]:
    """A Prometheus server with the samples above, on a loopback port: its URL; stopped afterwards."""
    prometheus, promtool = binaries()
    (folder / "samples.om").write_text(openmetrics())
    (folder / "prometheus.yml").write_text("global:\n  scrape_interval: 1h\n")  # it scrapes nothing
    subprocess.run(
        [promtool, "tsdb", "create-blocks-from", "openmetrics", "--quiet", "samples.om", "data"],
        cwd=folder,
        check=True,
        capture_output=True,
        timeout=120,
    )
    for _ in range(3):  # another process may take the free port between its choice and Prometheus' start
        port = _free_port()
        url = f"http://127.0.0.1:{port}"
        log = (folder / "prometheus.log").open("wb")
        process = subprocess.Popen(
            [
                prometheus,
                f"--config.file={folder / 'prometheus.yml'}",
                f"--storage.tsdb.path={folder / 'data'}",
                "--storage.tsdb.retention.time=100y",  # the samples are from 2026: keep them whatever the date
                f"--web.listen-address=127.0.0.1:{port}",
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
        try:
            if _ready(url, process):
                yield url
                return
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            log.close()
    raise RuntimeError(f"Prometheus did not start: {(folder / 'prometheus.log').read_text()[-2000:]}")


def _ready(url: str, process: subprocess.Popen[bytes], within: float = 30) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        try:
            with urllib.request.urlopen(url + "/-/ready", timeout=1) as answer:
                if answer.status == 200:
                    return True
        except OSError:
            pass
        time.sleep(0.05)
    return False
