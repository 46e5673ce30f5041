"""Time `okrctl site` on the benchmark tree against a cold `okrctl status`, and weigh its index page.

    python benchmarks/site.py                       # 1,000 teams, 3 runs each (the median counts)
    python benchmarks/site.py --teams 100 --runs 1  # quicker
    python benchmarks/site.py --install current     # the okrctl beside this Python, not a fresh install

The targets: the site builds in at most twice the time of a cold `okrctl status` of the same tree (the median
of the ratios of runs made by turns, a status then a site, so each pair shares the machine's load; both start
with no cache, the site's folder removed), and its index page is under 1 MB. Prints each figure and PASS or MISS; exits 1 on a miss. A script, not a test: figures
depend on the machine and what else it is doing.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

import run  # beside this script: python puts the script's folder first on the path
from generate import generate

INDEX_LIMIT = 1_000_000  # bytes
RATIO_LIMIT = 2.0


def site_figures(tree: Path, out: Path, runs: int) -> dict[str, float]:
    """Cold status and cold site run by turns (the machine's load drifts: each pair shares its minutes), the
    median time of each and the median of the pairs' ratios; the index page's size and the site's, in bytes."""
    before = [*run.CLEAR_CACHE[:-1], f"{run.CLEAR_CACHE[-1]}; shutil.rmtree({str(out)!r}, ignore_errors=True)"]
    status_times, site_times, ratios, site_exit = [], [], [], 0
    for _ in range(runs):
        status = run.measure("status, cold", run.okrctl("status", "--as-of", run.AS_OF), tree, 1, before)
        site = run.measure("site, cold", run.okrctl("site", "-o", str(out), "--as-of", run.AS_OF), tree, 1, before)
        status_times.append(status.seconds)
        site_times.append(site.seconds)
        ratios.append(site.seconds / status.seconds)
        site_exit = max(site_exit, site.exit_code)
    pages = list(out.rglob("*.html"))
    return {
        "status_seconds": statistics.median(status_times),
        "site_seconds": statistics.median(site_times),
        "ratio": statistics.median(ratios),
        "site_exit": site_exit,
        "index_bytes": (out / "index.html").stat().st_size if (out / "index.html").exists() else -1,
        "pages": len(pages),
        "site_bytes": sum(page.stat().st_size for page in pages),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--teams", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3, help="runs of each measurement (the median counts)")
    parser.add_argument("--install", choices=["regular", "current"], default="regular")
    arguments = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="okrctl-site-bench-"))
    try:
        if arguments.install == "regular":
            run.OKRCTL = run.install_regular(work)
        tree = work / "tree"
        generate(tree, arguments.teams)
        print(f"{arguments.teams} teams, as of {run.AS_OF}:")
        figures = site_figures(tree, work / "site", arguments.runs)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    ratio = figures["ratio"]
    print(f"  status {figures['status_seconds']:.2f} s, site {figures['site_seconds']:.2f} s (medians)")
    index_ok = 0 <= figures["index_bytes"] < INDEX_LIMIT
    print(f"  pages: {figures['pages']:.0f}, {figures['site_bytes'] / 1e6:.1f} MB in all")
    print(
        f"  {'PASS' if ratio <= RATIO_LIMIT else 'MISS'}  site in {ratio:.2f}x a cold status (target ≤ {RATIO_LIMIT:g}x)"
    )
    print(f"  {'PASS' if index_ok else 'MISS'}  index.html {figures['index_bytes'] / 1e3:.0f} kB (target < 1 MB)")
    return 0 if ratio <= RATIO_LIMIT and index_ok and figures["site_exit"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
