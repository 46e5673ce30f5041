"""Build a git repository of the synthetic tree with a quarter of history, as a team's goals repository grows.

The first commit holds the files as they stood when the period was planned (2026-09-28): every objective, key
result and KPI, the measurements taken before the quarter, no check-ins. Then, for each day of 2026-Q4 up to
the tree's as-of date, one commit per team that checked in or measured that day, adding exactly the check-ins
and measurements dated that day, by the team's own (synthetic) author. On top of that, as in a real quarter:

- a few targets lowered mid-quarter (about 4 per 1,000 teams), each in its own commit by the department's
  head, with a message saying why; before that commit the key result had a higher target (and its title said so);
- one team's check-ins of a day committed 20 days after their date, in a commit of their own.

The last commit's tree is the generated tree, byte for byte. Everything is deterministic: the same seed gives
the same commit ids. The commits are streamed to one `git fast-import` process (every version of a file in a
row, so that each is stored as a delta of the one before), then `git gc` packs the repository as a clone is.
"""

from __future__ import annotations

import os
import random
import re
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from generate import QUARTER_START, _value, tree_files, write_tree

PLANNED = datetime(2026, 9, 28, 10, 0, tzinfo=UTC)  # the quarterly planning: the first commit
AS_OF = date(2026, 11, 23)  # the tree's as-of date: the history ends here
BACKDATE_DAYS = 20
FIRST_NAMES = ["Ada", "Ben", "Chloe", "Dev", "Elif", "Femi", "Greta", "Hiro", "Ines", "Jonas",
               "Kaia", "Luca", "Mara", "Nils", "Oona", "Priya", "Quinn", "Rosa", "Sami", "Tariq"]  # fmt: skip
LAST_NAMES = ["Okafor", "Lindqvist", "Moreau", "Tanaka", "Silva", "Novak", "Haddad", "Kowalski", "Byrne",
              "Castillo", "Jensen", "Rao", "Weber", "Fischer", "Adeyemi", "Costa", "Murphy", "Sato", "Yilmaz",
              "Andersen"]  # fmt: skip
HEADS = ["Ulla Brandt", "Victor Osei", "Wen Zhou", "Xavier Ruiz", "Yara Nasser", "Zoe Keller"]
REASONS = [
    "The launch moved to January; agreed with the department in the mid-quarter review.",
    "Two engineers moved to the platform migration; the old target assumed a full team.",
    "The baseline was measured wrong at planning; this is what the team can reach from the real one.",
    "Budget for the campaign was cut by half in the November forecast.",
]
_DATED = re.compile(r"^\s+- \{date: (\d{4}-\d{2}-\d{2})")
_KEY = re.compile(r"^(\s+)(?:- )?(id|start|target|title): (.*)$")


@dataclass
class History:
    commits: int = 0
    versions: int = 0  # file versions written (blobs), the first commit's included
    text_bytes: int = 0
    packed_bytes: int = 0
    seconds: float = 0.0
    moved: list[str] = field(default_factory=list)  # references of the key results whose target was lowered
    backdated: tuple[str, str] = ("", "")  # (team, date) of the check-ins committed 20 days late


def _key(day: date, order: int) -> int:
    """When a line appears: days in order, then within a day the regular commits (0), a late batch (1), a
    moved target (2). -1 is the first commit."""
    return day.toordinal() * 4 + order


def _day(key: int) -> date:
    return date.fromordinal(key // 4)


@dataclass
class _File:
    path: str
    lines: list[str]
    keys: list[int]  # when each line appears
    headers: dict[int, tuple[int, str]] = field(default_factory=dict)  # `checkins:` line -> (first item's key, empty)
    moved: dict[int, tuple[int, str]] = field(default_factory=dict)  # line -> (key of the move, text before it)

    def text(self, at: int) -> str:
        out = []
        for index, (line, key) in enumerate(zip(self.lines, self.keys, strict=True)):
            if key > at:
                continue
            if index in self.headers and self.headers[index][0] > at:
                line = self.headers[index][1]
            elif index in self.moved and at < self.moved[index][0]:
                line = self.moved[index][1]
            out.append(line)
        return "".join(out)

    def find_headers(self) -> None:
        """A list whose items all come later is written `checkins: []` until its first item comes."""
        self.headers = {}
        for index, line in enumerate(self.lines):
            if line.rstrip().endswith(("checkins:", "measurements:")):
                items = []
                for key, item in zip(self.keys[index + 1 :], self.lines[index + 1 :], strict=True):
                    if not _DATED.match(item):
                        break
                    items.append(key)
                self.headers[index] = (min(items), line.rstrip("\n") + " []\n")

    def events(self) -> set[int]:
        return {key for key in self.keys if key >= 0} | {key for key, _ in self.moved.values()}


def _file(path: str, text: str) -> _File:
    lines = text.splitlines(keepends=True)
    keys = []
    for line in lines:
        dated = _DATED.match(line)
        day = date.fromisoformat(dated.group(1)) if dated else None
        assert day is None or day <= AS_OF, (path, line)
        keys.append(_key(day, 0) if day and day >= QUARTER_START else -1)
    result = _File(path, lines, keys)
    result.find_headers()
    return result


def _lowerable_key_results(goals: _File) -> list[tuple[str, int, int, str]]:
    """(objective/kr, title line, target line, target) of each key result that grows (target > start)."""
    found, objective, kr, title, start = [], "", "", 0, ""
    for index, line in enumerate(goals.lines):
        match = _KEY.match(line)
        if not match:
            continue
        indent, name, value = len(match.group(1)), match.group(2), match.group(3)
        if name == "id":
            objective, kr = (value, kr) if indent == 2 else (objective, value)
        elif name == "title" and indent == 8:
            title = index
        elif name == "start":
            start = value
        elif name == "target" and float(value) > float(start):
            found.append((f"{objective}/{kr}", title, index, value))
    return found


def _author(team: int) -> tuple[str, str]:
    first, last = FIRST_NAMES[team % len(FIRST_NAMES)], LAST_NAMES[(team // len(FIRST_NAMES)) % len(LAST_NAMES)]
    return f"{first} {last}", f"{first}.{last}@example.com".lower()


def _head(department: int) -> tuple[str, str]:
    name = HEADS[department % len(HEADS)]
    return name, f"{name.replace(' ', '.').lower()}@example.com"


def _data(text: str) -> bytes:
    raw = text.encode()
    return b"data %d\n%s\n" % (len(raw), raw)


def _git_environment() -> dict[str, str]:
    # the user's own git configuration (compression, default branch, hooks) must not change the repository
    return {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull}


def _git(out: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=out, env=_git_environment(), check=True)


def generate_history(out: Path, teams: int, seed: int = 2026) -> History:
    """Write the tree to `out` (as `generate` does) and make `out` a git repository of its quarter."""
    started = time.perf_counter()
    if (out / ".git").exists():
        raise SystemExit(f"{out} is already a git repository: give an empty or new folder")
    texts = tree_files(teams, seed)
    write_tree(out, texts)
    files = {path: _file(path, text) for path, text in texts.items()}
    history = History()
    chance = random.Random(seed + 1)  # its own stream: the tree's bytes do not depend on the history

    moves: dict[int, tuple[str, int, str]] = {}  # team -> (objective/kr, key, message)
    for team in sorted(chance.sample(range(teams), max(1, round(teams * 4 / 1000)))):
        goals = files[f"goals/team-{team + 1:04d}.yaml"]
        reference, title, target_line, target = chance.choice(_lowerable_key_results(goals))
        final = float(target)
        before = _value(round(final * 1.25)) if final >= 100 else _value(round(final * 1.25, 1))
        key = _key(QUARTER_START + timedelta(days=chance.randint(14, 43)), 2)
        goals.moved[target_line] = (key, goals.lines[target_line].replace(target, before))
        assert goals.lines[title].endswith(f" to {target}\n")
        goals.moved[title] = (key, goals.lines[title][: -len(target) - 1] + before + "\n")
        message = (
            f"team-{team + 1:04d}: lower {reference} target from {before} to {target}\n\n{chance.choice(REASONS)}\n"
        )
        moves[team] = (reference, key, message)
        history.moved.append(f"team-{team + 1:04d}/{reference}")

    # The late batch: a Monday's check-ins of one team (the KPIs' measurements of that Monday stay on time, so
    # the day keeps its regular commit), committed 20 days later.
    mondays = [d for d in (QUARTER_START + timedelta(days=n) for n in range(40)) if d.weekday() == 0]
    mondays = [d for d in mondays if d + timedelta(days=BACKDATE_DAYS) < AS_OF]
    late = [(t, d) for t in range(teams) for d in mondays if _key(d, 0) in files[f"goals/team-{t + 1:04d}.yaml"].keys]
    late_team, late_day = chance.choice(late)
    goals = files[f"goals/team-{late_team + 1:04d}.yaml"]
    late_key = _key(late_day + timedelta(days=BACKDATE_DAYS), 1)
    goals.keys = [late_key if key == _key(late_day, 0) else key for key in goals.keys]
    goals.find_headers()
    history.backdated = (f"team-{late_team + 1:04d}", late_day.isoformat())

    _git(out, "init", "--quiet", "--initial-branch=main")
    (out / ".git" / "info" / "exclude").write_text(".okrctl-cache/\n")
    _stream(out, files, moves, late_key, history)
    _git(out, "gc", "--quiet")
    _git(out, "reset", "--quiet")  # the index of the last commit: `git status` is clean
    history.packed_bytes = sum(p.stat().st_size for p in (out / ".git" / "objects").rglob("*") if p.is_file())
    history.seconds = time.perf_counter() - started
    return history


def _stream(
    out: Path, files: dict[str, _File], moves: dict[int, tuple[str, int, str]], late_key: int, history: History
) -> None:
    """Every version of every file first, each after its previous one (a good delta base), then the commits."""
    fast_import = subprocess.Popen(
        ["git", "fast-import", "--quiet", "--date-format=raw"], cwd=out, stdin=subprocess.PIPE, env=_git_environment()
    )
    assert fast_import.stdin is not None
    write = fast_import.stdin.write
    mark = 0
    changes: dict[tuple[int, int], list[tuple[str, int]]] = {}  # (key, team) -> [(path, mark)]
    for path, file in files.items():
        team = int(path[-9:-5]) - 1 if "/team-" in path else -1
        previous = None
        for key in [-1, *sorted(file.events())]:
            text = file.text(key)
            if text == previous:
                continue
            previous = text
            mark += 1
            write(b"blob\nmark :%d\n" % mark + _data(text))
            history.versions += 1
            history.text_bytes += len(text)
            changes.setdefault((key, team if key >= 0 else -1), []).append((path, mark))
        assert previous == "".join(file.lines), f"the last version of {path} is not the generated file"

    by_day: dict[date, list[tuple[int, int]]] = {}
    for key, team in sorted(changes):
        if key >= 0:
            by_day.setdefault(_day(key), []).append((key, team))
    _commit(write, _planner(), int(PLANNED.timestamp()), "Goals for 2026-Q4, agreed at the quarterly planning\n",
            changes[(-1, -1)])  # fmt: skip
    history.commits = 1
    for day, events in sorted(by_day.items()):
        start = int(datetime(day.year, day.month, day.day, 8, tzinfo=UTC).timestamp())
        for rank, (key, team) in enumerate(events):  # spread over the working day, in order
            when = start + rank * (10 * 3600 // len(events))
            paths = changes[(key, team)]
            name = f"team-{team + 1:04d}"
            if team in moves and moves[team][1] == key:
                author, message = _head(team // 10), moves[team][2]
            elif key == late_key:
                author = _author(team)
                message = f"{name}: check-ins of {_day(key) - timedelta(days=BACKDATE_DAYS)}, forgotten until today\n"
            else:
                author = _author(team)
                what = " and ".join(
                    word for word, folder in (("check-ins", "goals/"), ("measurements", "kpis/"))
                    if any(path.startswith(folder) for path, _ in paths)
                )  # fmt: skip
                message = f"{name}: {what} of {day}\n"
            _commit(write, author, when, message, paths)
            history.commits += 1
    fast_import.stdin.close()
    if fast_import.wait() != 0:
        raise SystemExit("git fast-import failed")


def _planner() -> tuple[str, str]:
    return "Planning Office", "planning@example.com"


def _commit(
    write: Callable[[bytes], object], author: tuple[str, str], when: int, message: str, paths: list[tuple[str, int]]
) -> None:
    person = f"{author[0]} <{author[1]}> {when} +0000\n".encode()
    lines = [b"commit refs/heads/main\nauthor " + person + b"committer " + person + _data(message)]
    lines += [b"M 100644 :%d %s\n" % (blob, path.encode()) for path, blob in paths]
    write(b"".join(lines) + b"\n")
