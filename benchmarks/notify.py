"""Time `okrctl notify` as the nightly job runs it, against a cold `okrctl status` of the same tree.

The synthetic tree (generate.py) of `--teams` teams is committed as "yesterday's run"; then a night's
measurements are recorded (`okrctl measure --from`: one value on 2026-11-23 for every KPI, a third of them in
red) and committed. Timed, each cold (no cache) and with a regular install:

- `okrctl notify --since HEAD~1 --dry-run`: what the nightly workflow does after measuring;
- `okrctl notify --dry-run` with no `--since`: every event of the whole history, the worst case;
- `okrctl status --no-cache`: the yardstick, one report of the same tree.

Channels: a Slack and a webhook channel, every kind routed (`--dry-run` builds every message, sends none).

    .venv/bin/python benchmarks/notify.py [--teams 182] [--runs 3] [--install regular|current]
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from generate import tree_files, write_tree
from run import install_regular

NIGHT = "2026-11-23"
AS_OF = "2026-11-24"
CONFIG = """
notify:
  channels:
    chat: {type: slack, url: env:BENCH_SLACK}
    pager: {type: webhook, url: env:BENCH_HOOK}
  rules:
    - {on: [enter_amber, enter_red, recover, stale, off_track, goalpost], channel: chat}
    - {on: [enter_red, recover, stale], channel: pager, consecutive: 2, renotify_days: 7}
"""
GIT = ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.com"]


def build(root: Path, teams: int, okrctl: str) -> int:
    """The tree committed, then one night's measurements committed on top; the number of KPIs measured."""
    write_tree(root, tree_files(teams))
    with (root / "okrctl.yaml").open("a") as config:
        config.write(CONFIG)
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    subprocess.run(["git", "add", "-A"], cwd=root, check=True)
    subprocess.run([*GIT, "commit", "-qm", "yesterday"], cwd=root, check=True)
    rows = ["kpi,date,value"]
    for path in sorted((root / "kpis").glob("*.yaml")):
        text = path.read_text()
        owner = re.search(r"^owner: (\S+)", text, re.MULTILINE)
        assert owner is not None
        for found in re.finditer(r"  - id: (kpi-\d+)\n(?:    .*\n)*?    green: \{min: ([\d.]+)\}", text):
            green = float(found.group(2))
            value = green * (0.5 if len(rows) % 3 == 0 else 1.2)  # a third fall into red, the rest are green
            rows.append(f"{owner.group(1)}/{found.group(1)},{NIGHT},{value:.2f}")
    (root / "night.csv").write_text("\n".join(rows) + "\n")
    done = subprocess.run([okrctl, "measure", "--from", "night.csv"], cwd=root, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"okrctl measure --from failed ({done.returncode}): {done.stderr[-500:]}")
    (root / "night.csv").unlink()
    subprocess.run(["git", "add", "-A"], cwd=root, check=True)
    subprocess.run([*GIT, "commit", "-qm", "the night's measurements"], cwd=root, check=True)
    return len(rows) - 1


def timed(root: Path, command: list[str], runs: int) -> tuple[float, str]:
    """The median seconds of `runs` runs, and the last run's count of events (notify's last line)."""
    seconds = []
    last = ""
    environment = {"BENCH_SLACK": "https://hooks.example.com/x", "BENCH_HOOK": "https://hooks.example.com/y"}
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run(
            command, cwd=root, capture_output=True, text=True, env={**environment, "PATH": "/usr/bin:/bin"}
        )
        seconds.append(time.perf_counter() - start)
        if done.returncode not in (0, 1):
            raise SystemExit(f"{' '.join(command)} failed ({done.returncode}): {done.stderr[-500:]}")
        told = [line for line in done.stdout.splitlines() if re.fullmatch(r"\d+ events?( since \w+)? as of .*", line)]
        last = told[-1] if told else ""
    return statistics.median(seconds), last


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--teams", type=int, default=182)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--install", choices=["regular", "current"], default="regular")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        if arguments.install == "regular":
            okrctl = str(install_regular(Path(scratch)))
        else:
            okrctl = shutil.which("okrctl") or str(Path(sys.executable).parent / "okrctl")
        root = Path(scratch) / "tree"
        measured = build(root, arguments.teams, okrctl)
        print(
            f"okrctl notify on {arguments.teams} teams after a night of {measured:,} measurements, "
            f"median of {arguments.runs} cold runs"
        )
        cases = [
            ("notify --since HEAD~1 (the nightly job)", ["notify", "--since", "HEAD~1", "--dry-run", "--no-cache"]),
            ("notify, the whole history", ["notify", "--dry-run", "--no-cache"]),
            ("status (the yardstick)", ["status", "--no-cache"]),
        ]
        for label, arguments_of in cases:
            seconds, last = timed(root, [okrctl, *arguments_of, "--as-of", AS_OF], arguments.runs)
            print(f"  {label}: {seconds:.2f} s" + (f"  ({last})" if last else ""))


if __name__ == "__main__":
    main()
