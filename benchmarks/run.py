"""Time okrctl on a synthetic goals tree, side by side with yamllint and check-jsonschema, against the targets.

    python benchmarks/run.py                      # 1,000 teams, 3 runs each, peers once
    python benchmarks/run.py --teams 200 --runs 2 --peer-runs 1
    python benchmarks/run.py --reports-only --runs 1   # the table reports against lint, on three trees
    python benchmarks/run.py --skip-peers --skip-reports --runs 3   # okrctl's own figures only
    python benchmarks/run.py --history --skip-peers --skip-reports   # and reading the tree's git history

Prints the median wall time and peak memory of each measurement, the ratios to the peers, and every
target with its measured figure and PASS or MISS. Needs the peers: pip install -r benchmarks/requirements.txt.
This is a script, not a test: figures depend on the machine and what else it is doing.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BIN = Path(sys.executable).parent
AS_OF = "2026-11-23"
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402 - generate.py sits beside this script, which is not a package
from history import History, generate_history  # noqa: E402

_QUICK_RUNS = 10

# Runs a command and prints its exit code, the peak resident memory (KiB) of the largest process of its tree,
# and its wall time. The time is taken here, around the command alone: timing this wrapper from outside would
# add its own interpreter start-up (~30 ms) to every figure. The first argument says where the output goes:
# "null" (/dev/null), "pipe" (read by this wrapper, as `| less` or a CI log reads it) or "tty" (a
# pseudo-terminal of 100 columns, read by this wrapper, as a user's terminal shows it: colour on).
_MEASURE = """\
import fcntl, os, pty, resource, struct, subprocess, sys, termios, time
mode, command = sys.argv[1], sys.argv[2:]
start = time.perf_counter()
if mode == "tty":
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "NO_COLOR", "FORCE_COLOR")}
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 50, 100, 0, 0))
    process = subprocess.Popen(command, stdout=slave, stderr=subprocess.DEVNULL, env=env)
    os.close(slave)
    while True:
        try:
            if not os.read(master, 1 << 16):
                break
        except OSError:  # the terminal closes when the command ends
            break
    code = process.wait()
else:
    out = subprocess.PIPE if mode == "pipe" else subprocess.DEVNULL
    code = subprocess.run(command, stdout=out, stderr=subprocess.DEVNULL).returncode
elapsed = time.perf_counter() - start
print(code, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, elapsed)
"""


@dataclass
class Measure:
    name: str
    seconds: float
    peak_mib: float
    exit_code: int
    error: str = ""  # when the command failed (exit 2 or more): the first line it wrote to stderr

    @property
    def failed(self) -> bool:
        return self.exit_code >= 2


def measure(
    name: str, command: list[str], cwd: Path, runs: int, before: list[str] | None = None, output: str = "null"
) -> Measure:
    times, peaks, code = [], [], 0
    for _ in range(runs):
        if before:
            subprocess.run(before, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        done = subprocess.run(
            [sys.executable, "-c", _MEASURE, output, *command], cwd=cwd, capture_output=True, text=True
        )
        exit_code, peak, elapsed = done.stdout.split()
        code = int(exit_code)
        times.append(float(elapsed))
        peaks.append(int(peak) / 1024)
    result = Measure(name, statistics.median(times), max(peaks), code)
    print(f"  {name:<44} {result.seconds:8.3f} s  {result.peak_mib:7.0f} MiB  exit {code}", flush=True)
    if result.failed:  # once more, outside the wrapper, to say why
        done = subprocess.run(command, cwd=cwd, stdin=subprocess.DEVNULL, capture_output=True, text=True)
        result.error = next((line.strip() for line in done.stderr.splitlines() if line.strip()), "(no message)")
        print(f"      FAILED, exit {code}: {result.error}", flush=True)
    return result


OKRCTL = BIN / "okrctl"  # replaced in main() by a regular install, as users have it, unless --install current


def okrctl(*args: str) -> list[str]:
    return [str(OKRCTL), *args]


def install_regular(work: Path) -> Path:
    """Install this working tree into a fresh virtualenv, as pip and pre-commit install it for users.

    The development environment's editable install adds an import hook that costs ~40 ms on every start,
    which is not what anyone runs. Returns the `okrctl` script of the new environment.
    """
    venv = work / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run([str(venv / "bin" / "pip"), "install", "--quiet", str(ROOT)], check=True)
    return venv / "bin" / "okrctl"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--teams", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3, help="runs of each okrctl measurement (the median counts)")
    parser.add_argument("--peer-runs", type=int, default=1, help="runs of yamllint and check-jsonschema")
    parser.add_argument("--skip-peers", action="store_true")
    parser.add_argument("--skip-reports", action="store_true", help="do not time the table reports (report_speed)")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument(
        "--history",
        action="store_true",
        help="make the tree a git repository of its quarter (generate.py --history) and time diff, lint --history,"
        " score --at and history against a cold lint and score",
    )
    parser.add_argument(
        "--reports-only",
        action="store_true",
        help="only time the table reports against a cold lint, on the three trees (see report_speed)",
    )
    parser.add_argument(
        "--fmt-only",
        action="store_true",
        help="only time okrctl fmt --check (cold, warm, on the files of a commit) against a cold lint (see fmt_speed)",
    )
    parser.add_argument(
        "--install",
        choices=["regular", "current"],
        default="regular",
        help="time a regular install of this tree in a new virtualenv (default), or the okrctl beside this Python",
    )
    arguments = parser.parse_args()
    if arguments.history and arguments.teams < 3:
        parser.error("--history needs at least 3 teams: its pull request changes the files of three")

    global OKRCTL
    work = Path(tempfile.mkdtemp(prefix="okrctl-bench-"))
    if arguments.install == "regular":
        OKRCTL = install_regular(work)
    if arguments.reports_only:
        met = report_speed(work, arguments.teams, arguments.runs)
        shutil.rmtree(work, ignore_errors=True)
        return 0 if met else 1
    if arguments.fmt_only:
        fmt_speed(work, arguments.teams, arguments.runs)
        shutil.rmtree(work, ignore_errors=True)
        return 0
    tree = work / "tree"
    history = generate_history(tree, arguments.teams) if arguments.history else None
    if history is None:
        generate(tree, arguments.teams)
    files = sorted(str(p.relative_to(tree)) for p in tree.rglob("*.yaml") if p.name != "okrctl.yaml")
    size = sum((tree / f).stat().st_size for f in files) / 1e6
    print(f"okrctl benchmark: {arguments.teams} teams, {len(files)} goal files, {size:.1f} MB, {os.cpu_count()} cores")
    if history:
        print(
            f"git history: {history.commits:,} commits, {history.versions:,} file versions"
            f" ({history.text_bytes / 1e6:.1f} MB of text), packed {history.packed_bytes / 1e6:.1f} MB,"
            f" built in {history.seconds:.1f} s"
        )
    print(
        f"python {sys.version.split()[0]}, as of {AS_OF}; median of {arguments.runs} runs (peers: {arguments.peer_runs};"
        f" start-up figures: {max(arguments.runs, _QUICK_RUNS)}); okrctl: {arguments.install} install"
    )

    small = work / "small"
    small.mkdir()
    shutil.copy(ROOT / "examples" / "bad" / "okr104-number-in-objective.yaml", small / "small.yaml")
    clear_cache = [sys.executable, "-c", "import shutil; shutil.rmtree('.okrctl-cache', ignore_errors=True)"]

    runs = arguments.runs
    quick = max(runs, _QUICK_RUNS)  # start-up figures are short and noisy: take the median of more runs
    results = {
        "python": measure(
            "python -c pass (the machine's pace)", [str(OKRCTL.parent / "python"), "-c", "pass"], tree, quick
        ),
        "help": measure("okrctl --help", okrctl("--help"), tree, quick),
        "one_file": measure("okrctl lint one small file", okrctl("lint", "small.yaml", "--as-of", AS_OF), small, quick),
        "lint_cold": measure("okrctl lint, cold (no cache)", okrctl("lint", "--as-of", AS_OF), tree, runs, clear_cache),
        "lint_one_job": measure(
            "okrctl lint --jobs 1, cold", okrctl("lint", "--jobs", "1", "--as-of", AS_OF), tree, runs, clear_cache
        ),
    }
    results["lint_cold_mid-period"] = results["lint_cold"]
    for when, as_of in LINT_DATES.items():  # the time-dependent rules report on most files after a period's end
        if when != "mid-period":
            results[f"lint_cold_{when}"] = measure(
                f"okrctl lint, cold, {when}", okrctl("lint", "--as-of", as_of), tree, runs, clear_cache
            )
        subprocess.run(okrctl("lint", "--as-of", as_of), cwd=tree, capture_output=True)  # fill the cache
        results[f"lint_warm_{when}"] = measure(
            f"okrctl lint, warm, {when}", okrctl("lint", "--as-of", as_of), tree, quick // 2
        )
    for command in ("score", "status", "kpis"):
        results[command] = measure(
            f"okrctl {command}, cold", okrctl(command, "--as-of", AS_OF, "--format", "json"), tree, runs, clear_cache
        )

    history_targets: list[tuple[str, str, bool | None]] = []
    if history:
        print("Reading git history (each against a cold lint or score of the same tree, in the same minute)")
        history_targets = history_speed(tree, history, runs, results)

    same = _identical_output(tree)
    if not arguments.skip_peers:
        schema = work / "okrctl.schema.json"
        schema.write_text(subprocess.run(okrctl("schema"), capture_output=True, text=True, check=True).stdout)
        results["yamllint"] = measure(
            "yamllint -d relaxed", [str(BIN / "yamllint"), "-d", "relaxed", "goals", "kpis"], tree, arguments.peer_runs
        )
        results["check_jsonschema"] = measure(
            "check-jsonschema --schemafile okrctl.schema.json",
            [str(BIN / "check-jsonschema"), "--schemafile", str(schema), *files],
            tree,
            arguments.peer_runs,
        )

    memory = _memory_growth(work, arguments.teams)
    print()
    targets: list[tuple[str, str, bool | None]] = [*_targets(results, memory, same, arguments.teams), *history_targets]
    if not arguments.skip_reports:
        print("Table reports as users see them (each against a cold lint of the same tree, in the same minute)")
        reports_met = report_speed(work, arguments.teams, arguments.runs)
        targets.append(("table reports (pipe and terminal) <= 2x lint cold", "see above", reports_met))
        print()
    print("Targets")
    width = max(len(t[0]) for t in targets)
    for name, figure, passed in targets:
        print(f"  {'FAIL' if passed is None else 'PASS' if passed else 'MISS'}  {name:<{width}}  {figure}")
    if arguments.json:
        document = {k: vars(v) for k, v in results.items()} | {"memory_mib": memory, "identical_output": same}
        arguments.json.write_text(json.dumps(document, indent=2) + "\n")
    shutil.rmtree(work, ignore_errors=True)
    return 0 if all(met for _, _, met in targets) else 1


# The history figures: the tree's quarter in git (generate_history), as of the tree's date.
WEEK = ("2026-11-16", "2026-11-23")  # okrctl diff of a week: the last commit of each day
MONTH_OLD = "2026-10-23"  # okrctl score --at: the last commit of that day


def history_speed(
    tree: Path, history: History, runs: int, results: dict[str, Measure]
) -> list[tuple[str, str, bool | None]]:
    """diff, lint --history, score --at and history on the tree's git history, each beside a cold lint (or
    score) timed in the same minute, added to `results`. Returns the targets; a command that failed gives None
    (FAIL), not a figure."""
    week = [_commit_of(tree, day) for day in WEEK]
    month_old = _commit_of(tree, MONTH_OLD)
    _pull_request_branch(tree)
    reference = history.moved[0]  # a key result whose target was lowered mid-quarter
    print(
        f"  a week: {week[0][:7]} ({WEEK[0]}) .. {week[1][:7]} ({WEEK[1]}); pull request: main...pr (3 files);"
        f" a month old: {month_old[:7]} ({MONTH_OLD}); REF: {reference}"
    )
    lint = measure("okrctl lint, cold (no cache)", okrctl("lint", "--as-of", AS_OF), tree, runs, CLEAR_CACHE)
    figures = {
        "diff_week": measure(
            "okrctl diff of a week, cold", okrctl("diff", *week, "--as-of", AS_OF), tree, runs, CLEAR_CACHE
        ),
        "diff_pull_request": measure(
            "okrctl diff main...pr (three files), cold",
            okrctl("diff", "main...pr", "--as-of", AS_OF),
            tree,
            runs,
            CLEAR_CACHE,
        ),
        "lint_history_cold": measure(
            "okrctl lint --history, cold", okrctl("lint", "--history", "--as-of", AS_OF), tree, runs, CLEAR_CACHE
        ),
    }
    subprocess.run(okrctl("lint", "--history", "--as-of", AS_OF), cwd=tree, capture_output=True)  # fill the cache
    figures["lint_history_warm"] = measure(
        "okrctl lint --history, warm", okrctl("lint", "--history", "--as-of", AS_OF), tree, runs
    )
    score = measure(
        "okrctl score, cold", okrctl("score", "--as-of", AS_OF, "--format", "json"), tree, runs, CLEAR_CACHE
    )
    figures["score_at"] = measure(
        "okrctl score --at a month-old commit, cold",
        okrctl("score", "--at", month_old, "--format", "json"),
        tree,
        runs,
        CLEAR_CACHE,
    )
    figures["history_ref"] = measure("okrctl history REF, cold", okrctl("history", reference), tree, runs, CLEAR_CACHE)
    results |= figures | {"lint_cold_beside_history": lint, "score_cold_beside_history": score}
    return _history_targets(lint, score, figures)


def _history_targets(lint: Measure, score: Measure, figures: dict[str, Measure]) -> list[tuple[str, str, bool | None]]:
    def target(name: str, key: str, limit: float, base: Measure | None = None) -> tuple[str, str, bool | None]:
        figure = figures[key]
        for failed in (figure, base):
            if failed is not None and failed.failed:
                return name, f"{failed.name.removeprefix('okrctl ')}: exit {failed.exit_code}, {failed.error}", None
        if base is None:
            return name, f"{figure.seconds:.2f} s", figure.seconds <= limit
        ratio = figure.seconds / base.seconds
        return name, f"{figure.seconds:.2f} s vs {base.seconds:.2f} s = {ratio:.2f}x", ratio <= limit

    return [
        target("diff of a week <= 1.5x lint cold", "diff_week", 1.5, lint),
        target("diff of a three-file pull request <= 0.5 s", "diff_pull_request", 0.5),
        target("lint --history cold <= 3x lint cold", "lint_history_cold", 3, lint),
        target("lint --history warm <= 2 s", "lint_history_warm", 2),
        target("score --at a month-old commit <= 1.2x score cold", "score_at", 1.2, score),
        target("history REF <= 0.5 s", "history_ref", 0.5),
    ]


def _git(tree: Path, *args: str, env: dict[str, str] | None = None) -> str:
    environment = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull, **(env or {})}
    return subprocess.run(
        ["git", *args], cwd=tree, env=environment, capture_output=True, text=True, check=True
    ).stdout.strip()


def _commit_of(tree: Path, day: str) -> str:
    """The last commit made on or before `day`."""
    return _git(tree, "rev-list", "-1", f"--before={day}T23:59:59+00:00", "main")


def _pull_request_branch(tree: Path) -> None:
    """Branch `pr`: one commit on top of main changing three files, as a pull request does: a check-in, a
    measurement and a lowered target. The work tree and main's index are left alone."""
    changed = {}
    goals = (tree / "goals" / "team-0001.yaml").read_text().splitlines(keepends=True)
    last = next(i for i, line in enumerate(goals) if line.startswith("          - {date:"))
    while goals[last + 1].startswith("          - {date:"):
        last += 1
    value = round(float(re.search(r"value: ([\d.]+)", goals[last]).group(1)) * 1.02, 2)  # type: ignore[union-attr]
    goals.insert(last + 1, f'          - {{date: 2026-11-23, value: {value}, note: "a good week"}}\n')
    changed["goals/team-0001.yaml"] = "".join(goals)
    kpis = (tree / "kpis" / "team-0002.yaml").read_text().splitlines(keepends=True)
    last = next(i for i, line in enumerate(kpis) if line.startswith("      - {date:"))
    while kpis[last + 1].startswith("      - {date:"):
        last += 1
    value = round(float(re.search(r"value: ([\d.]+)", kpis[last]).group(1)) * 0.97, 2)  # type: ignore[union-attr]
    kpis.insert(last + 1, f"      - {{date: 2026-11-23, value: {value}}}\n")
    changed["kpis/team-0002.yaml"] = "".join(kpis)
    target = (tree / "goals" / "team-0003.yaml").read_text().splitlines(keepends=True)
    line = next(i for i, text in enumerate(target) if text.startswith("        target: "))
    target[line] = f"        target: {float(target[line].split()[1]) * 0.9:.1f}\n"
    changed["goals/team-0003.yaml"] = "".join(target)

    index = {"GIT_INDEX_FILE": str(tree / ".git" / "pr-index")}
    _git(tree, "read-tree", "main", env=index)
    for path, text in changed.items():
        blob = subprocess.run(
            ["git", "hash-object", "-w", "--stdin", "--path", path],
            cwd=tree,
            input=text,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        _git(tree, "update-index", "--cacheinfo", f"100644,{blob},{path}", env=index)
    person = {"NAME": "Pat Request", "EMAIL": "pat.request@example.com", "DATE": "2026-11-23T12:00:00+00:00"}
    who = {f"GIT_{role}_{k}": v for role in ("AUTHOR", "COMMITTER") for k, v in person.items()}
    commit = _git(tree, "commit-tree", _git(tree, "write-tree", env=index), "-p", "main", "-m", "Q4 update", env=who)
    _git(tree, "update-ref", "refs/heads/pr", commit)
    (tree / ".git" / "pr-index").unlink()


REPORT_DATES = {"mid-period": AS_OF, "after period end": "2027-01-05"}  # the second scores every period
# lint as of each date, cold and warm: after a period's end the time-dependent rules (a period ended without a
# final check-in, an objective left unscored) report on most files, a year later on every file
LINT_DATES = REPORT_DATES | {"a year later": "2027-11-23"}
CLEAR_CACHE = [sys.executable, "-c", "import shutil; shutil.rmtree('.okrctl-cache', ignore_errors=True)"]


def small_files_tree(out: Path, count: int) -> None:
    """`count` small okrs files, one team each: one objective of two key results."""
    for index in range(count):
        folder = out / "goals" / f"group-{index // 500:03d}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"team-{index:05d}.yaml").write_text(
            f"kind: okrs\nperiod: 2026-Q4\nowner: team-{index:05d}\nobjectives:\n"
            "  - id: grow\n    title: Grow the product's reach\n    key_results:\n"
            "      - {id: users, title: Grow weekly users from 100 to 200, start: 100, target: 200,"
            f" checkins: [{{date: 2026-11-02, value: {100 + index % 90}}}]}}\n"
            "      - {id: churn, title: Cut churn from 5 to 3, start: 5, target: 3, current: 4.2}\n"
        )


def one_file_tree(out: Path, objectives: int) -> None:
    """One okrs file of `objectives` objectives (flow style, to stay under the 1 MiB limit)."""
    out.mkdir(parents=True, exist_ok=True)
    rows = [
        f"- {{id: o{i}, title: Area {i}, key_results: [{{id: k, title: K, start: 0, target: 9, current: {i % 10}}}]}}\n"
        for i in range(objectives)
    ]
    (out / "big.yaml").write_text("kind: okrs\nperiod: 2026-Q4\nowner: big\nobjectives:\n" + "".join(rows))


def report_speed(work: Path, teams: int, runs: int) -> bool:
    """The table reports as users see them, to a pipe and to a terminal, mid-period and just after a period's
    end, against a cold lint of the same tree timed in the same minute (the target: at most 2x)."""
    trees = {f"{teams} teams": work / "tree", "20,000 small files": work / "small-files",
             "10,000 objectives in one file": work / "one-file"}  # fmt: skip
    if not trees[f"{teams} teams"].exists():
        generate(trees[f"{teams} teams"], teams)
    small_files_tree(trees["20,000 small files"], 20_000)
    one_file_tree(trees["10,000 objectives in one file"], 10_000)
    met = True
    for label, tree in trees.items():
        print(f"{label}:")
        for when, as_of in REPORT_DATES.items():
            lint = measure(f"lint, cold, {when}", okrctl("lint", "--as-of", as_of), tree, runs, CLEAR_CACHE)
            for command in ("status", "score", "kpis", "tree"):
                for output in ("pipe", "tty"):
                    name = f"{command} table to a {output}, cold, {when}"
                    result = measure(name, okrctl(command, "--as-of", as_of), tree, runs, CLEAR_CACHE, output)
                    ratio = result.seconds / lint.seconds
                    met &= ratio <= 2
                    print(f"    {'PASS' if ratio <= 2 else 'MISS'}  {ratio:.2f}x lint", flush=True)
    return met


def fmt_speed(work: Path, teams: int, runs: int) -> None:
    """okrctl fmt --check over the tree, against a cold lint of it timed in the same minute.

    The tree as generated is not in fmt's layout (its notes are quoted), so a first --check finds every file
    to change; after one `okrctl fmt` it is, and --check is timed cold (--no-cache: every file through
    ruamel.yaml's round trip), warm (the cache knows the bytes fmt wrote) and on the files of a commit (ten
    files named, as the pre-commit hook names them, cold). Each cold figure over the tree takes minutes.
    """
    tree = work / "tree"
    generate(tree, teams)
    files = sorted(str(p.relative_to(tree)) for p in tree.rglob("*.yaml") if p.name != "okrctl.yaml")
    size = sum((tree / f).stat().st_size for f in files) / 1e6
    print(f"okrctl fmt benchmark: {teams} teams, {len(files)} goal files, {size:.1f} MB, {os.cpu_count()} cores")
    print(f"python {sys.version.split()[0]}; median of {runs} runs")
    check = okrctl("fmt", "--check")
    measure("okrctl lint, cold (for scale)", okrctl("lint", "--as-of", AS_OF), tree, runs, CLEAR_CACHE)
    measure("okrctl fmt --check, cold, as generated", [*check, "--no-cache"], tree, runs)
    measure("okrctl fmt (writes every file), cold", okrctl("fmt"), tree, 1, CLEAR_CACHE)
    measure("okrctl fmt --check, cold, laid out", [*check, "--no-cache"], tree, runs)
    subprocess.run(check, cwd=tree, capture_output=True)  # the cache learns the bytes (fmt above did too)
    measure("okrctl fmt --check, warm, laid out", check, tree, max(runs, 5))
    commit = files[:: max(1, len(files) // 10)][:10]
    measure("okrctl fmt --check, 10 files named, cold", [*check, "--no-cache", *commit], tree, max(runs, 5))


def _identical_output(tree: Path) -> bool:
    """The same findings, in the same order, whatever the number of jobs and with or without the cache, at
    each date."""
    for as_of in LINT_DATES.values():
        outputs = {
            subprocess.run(
                okrctl("lint", "--as-of", as_of, "--format", "json", *args), cwd=tree, capture_output=True
            ).stdout
            for args in (["--jobs", "1", "--no-cache"], ["--jobs", "2", "--no-cache"], ["--jobs", "2"], [])
        }
        if len(outputs) != 1:
            return False
    return True


def _memory_growth(work: Path, teams: int) -> dict[int, float]:
    """Peak memory of a cold lint for a quarter, half and all of the teams."""
    memory = {}
    for count in sorted({max(1, teams // 4), max(1, teams // 2), teams}):
        tree = work / f"tree-{count}"
        if not tree.exists():
            generate(tree, count)
        memory[count] = measure(
            f"okrctl lint --no-cache, {count} teams", okrctl("lint", "--no-cache", "--as-of", AS_OF), tree, 1
        ).peak_mib
    return memory


def _targets(
    results: dict[str, Measure], memory: dict[int, float], same: bool, teams: int
) -> list[tuple[str, str, bool]]:
    lint = results["lint_cold"].seconds
    targets = []
    for peer, label, limit in (
        ("yamllint", "1/10 of yamllint", 10),
        ("check_jsonschema", "1/4 of check-jsonschema", 4),
    ):
        if peer in results:
            times = results[peer].seconds / lint
            figure = f"{lint:.2f} s vs {results[peer].seconds:.1f} s = 1/{times:.1f}"
            targets.append((f"lint cold <= {label}", figure, times >= limit))
    for when in LINT_DATES:
        warm = results[f"lint_warm_{when}"].seconds
        targets.append((f"lint warm (cache) <= 0.5 s, {when}", f"{warm:.2f} s", warm <= 0.5))
    cold = {when: results[f"lint_cold_{when}"].seconds for when in LINT_DATES}
    slowest = max(cold.values()) / cold["mid-period"]
    figure = ", ".join(f"{when} {seconds:.2f} s" for when, seconds in cold.items())
    targets.append(("lint cold at any date <= 1.25x mid-period", f"{figure} = {slowest:.2f}x", slowest <= 1.25))
    targets.append(
        ("okrctl --help <= 150 ms", f"{results['help'].seconds * 1000:.0f} ms", results["help"].seconds <= 0.150)
    )
    targets.append(
        (
            "lint one small file <= 300 ms",
            f"{results['one_file'].seconds * 1000:.0f} ms",
            results["one_file"].seconds <= 0.300,
        )
    )
    for command in ("score", "status", "kpis"):
        ratio = results[command].seconds / lint
        targets.append(
            (f"{command} <= 1.5x lint cold", f"{results[command].seconds:.2f} s = {ratio:.2f}x", ratio <= 1.5)
        )
    counts = sorted(memory)
    per_team = [memory[c] / c for c in counts]
    linear = per_team[-1] <= per_team[0] * 1.25
    figures = ", ".join(f"{c} teams {memory[c]:.0f} MiB" for c in counts)
    targets.append(("peak memory grows at most linearly", figures, linear))
    if teams >= 1000:
        targets.append(("1,000 teams in <= 500 MB", f"{memory[teams]:.0f} MiB", memory[teams] * 1.048576 <= 500))
    targets.append(
        ("--jobs 1, --jobs 2 and the cache give identical output", "identical" if same else "DIFFERENT", same)
    )
    return targets


if __name__ == "__main__":
    sys.exit(main())
