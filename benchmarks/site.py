"""Time `okrctl site` on the benchmark tree against a cold `okrctl status`, and weigh its index page.

    python benchmarks/site.py                       # 1,000 teams, 3 runs each (the median counts)
    python benchmarks/site.py --teams 100 --runs 1  # quicker
    python benchmarks/site.py --install current     # the okrctl beside this Python, not a fresh install

The targets: the site builds in at most twice the time of a cold `okrctl status` of the same tree, timed in
the same minutes (both start with no cache; the site's folder is removed before each run), and its index
page is under 1 MB. Prints each figure and PASS or MISS; exits 1 on a miss. A script, not a test: figures
depend on the machine and what else it is doing.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import run  # noqa: E402 - run.py sits beside this script, which is not a package
from generate import generate  # noqa: E402

INDEX_LIMIT = 1_000_000  # bytes
RATIO_LIMIT = 2.0


def site_figures(tree: Path, out: Path, runs: int) -> dict[str, float]:
    """The cold status and site times (median seconds), the index page's size and the site's, in bytes."""
    before = [*run.CLEAR_CACHE[:-1], f"{run.CLEAR_CACHE[-1]}; shutil.rmtree({str(out)!r}, ignore_errors=True)"]
    status = run.measure("status, cold", run.okrctl("status", "--as-of", run.AS_OF), tree, runs, before)
    site = run.measure("site, cold", run.okrctl("site", "-o", str(out), "--as-of", run.AS_OF), tree, runs, before)
    pages = list(out.rglob("*.html"))
    return {
        "status_seconds": status.seconds,
        "site_seconds": site.seconds,
        "site_exit": site.exit_code,
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
    ratio = figures["site_seconds"] / figures["status_seconds"]
    index_ok = 0 <= figures["index_bytes"] < INDEX_LIMIT
    print(f"  pages: {figures['pages']:.0f}, {figures['site_bytes'] / 1e6:.1f} MB in all")
    print(
        f"  {'PASS' if ratio <= RATIO_LIMIT else 'MISS'}  site in {ratio:.2f}x a cold status (target ≤ {RATIO_LIMIT:g}x)"
    )
    print(f"  {'PASS' if index_ok else 'MISS'}  index.html {figures['index_bytes'] / 1e3:.0f} kB (target < 1 MB)")
    return 0 if ratio <= RATIO_LIMIT and index_ok and figures["site_exit"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
