"""Time `okrctl measure --from-sources` recording 1,000 KPIs from a CSV datasource in one run.

Two shapes of the synthetic tree (generate.py), every KPI given `query: {datasource: exports, column: ...}` and
one row of `metrics/kpis.csv` for the measurement day:

- **all KPIs of 182 teams** (1,002 KPIs in 182 kpis files, 10–50 measurements each): the target's case;
- **one KPI per team of 1,000 teams** (1,000 KPIs in 1,000 kpis files): the worst case, a file per KPI.

Each run starts from the committed tree (`git checkout .`), so it writes every KPI: cold, as a nightly CI job
on a fresh checkout runs it. Prints the median wall time of `--runs` runs and whether it meets the target.

    .venv/bin/python benchmarks/sources.py [--runs 3] [--install regular|current]
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

DAY = "2026-11-25"
TARGET_SECONDS = 3.0


def build(root: Path, teams: int, every_kpi: bool) -> int:
    """The tree with queries and its CSV file, committed; the number of KPIs that have a query."""
    write_tree(root, tree_files(teams))
    rows = ["kpi,date,value"]
    for path in sorted((root / "kpis").glob("*.yaml")):
        text = path.read_text()
        owner = re.search(r"^owner: (\S+)", text, re.MULTILINE)
        assert owner is not None

        def with_query(found: re.Match[str], team: str = owner.group(1)) -> str:
            name = f"{team}-{found.group(1)}"
            rows.append(f"{name},{DAY},{len(rows)}.5")
            return f"{found.group(0)}    query: {{datasource: exports, column: {name}}}\n"

        text = re.sub(r"  - id: (kpi-\d+)\n", with_query, text, count=0 if every_kpi else 1)
        path.write_text(text)
    (root / "metrics").mkdir()
    (root / "metrics" / "kpis.csv").write_text("\n".join(rows) + "\n")
    with (root / "okrctl.yaml").open("a") as config:
        config.write("\ndatasources:\n  exports: {type: csv, path: metrics/kpis.csv}\n")
    for command in (["init", "-q"], ["add", "-A"], ["-c", "user.name=b", "-c", "user.email=b@x", "commit", "-qm", "t"]):
        subprocess.run(["git", *command], cwd=root, check=True)
    return len(rows) - 1


def timed(root: Path, okrctl: str, runs: int) -> tuple[float, int]:
    """The median seconds of `runs` cold runs, and the files the last one changed."""
    seconds = []
    changed = 0
    for _ in range(runs):
        subprocess.run(["git", "checkout", "-q", "."], cwd=root, check=True)
        start = time.perf_counter()
        done = subprocess.run(
            [okrctl, "measure", "--from-sources", "--date", DAY], cwd=root, capture_output=True, text=True
        )
        seconds.append(time.perf_counter() - start)
        if done.returncode != 0:
            raise SystemExit(f"okrctl failed ({done.returncode}): {done.stderr[-500:]}")
        status = subprocess.run(["git", "status", "--porcelain"], cwd=root, capture_output=True, text=True)
        changed = len(status.stdout.splitlines())
    return statistics.median(seconds), changed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--install",
        choices=["regular", "current"],
        default="regular",
        help="time a regular install of this tree in a fresh virtualenv (as users have it), or the okrctl beside "
        "this Python",
    )
    arguments = parser.parse_args()
    print(f"okrctl measure --from-sources: a CSV datasource, {DAY}, median of {arguments.runs} cold runs")
    with tempfile.TemporaryDirectory() as scratch:
        if arguments.install == "regular":
            okrctl = str(install_regular(Path(scratch)))
        else:
            okrctl = shutil.which("okrctl") or str(Path(sys.executable).parent / "okrctl")
        for label, teams, every_kpi, target in (
            ("all KPIs of 182 teams", 182, True, TARGET_SECONDS),
            ("one KPI per team of 1,000 teams", 1000, False, None),
        ):
            root = Path(scratch) / f"tree-{teams}"
            kpis = build(root, teams, every_kpi)
            seconds, files = timed(root, okrctl, arguments.runs)
            verdict = "" if target is None else f"  target ≤ {target:g} s: {'PASS' if seconds <= target else 'MISS'}"
            print(f"  {label}: {kpis:,} KPIs written into {files:,} files in {seconds:.2f} s{verdict}")


if __name__ == "__main__":
    main()
