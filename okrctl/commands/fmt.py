"""`okrctl fmt`: lay goal files out in the canonical layout (`okrctl.fmt`), or check that they are.

Files are found as lint finds them. A changed file is written through `okrctl.writing` (the edit lock, the
checks and the atomic replace); `--check` and `--diff` write nothing. Exit codes: 0 nothing to do (or all
written), 1 with `--check` when a file would change, 2 when a file is refused or cannot be read (the others
are still formatted).
"""

from __future__ import annotations

import difflib
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from okrctl.commands.common import report_skipped, scopes
from okrctl.errors import UserError
from okrctl.goal_bytes import display_path, read_text

if TYPE_CHECKING:
    from okrctl.cache import FormattedFiles
    from okrctl.config import Config
    from okrctl.discovery import Candidate


@dataclass(frozen=True)
class FmtOptions:
    paths: list[Path]
    check: bool = False
    diff: bool = False
    jobs: int = 1
    use_cache: bool = True


@dataclass(frozen=True)
class Outcome:
    """What formatting one file gave."""

    path: str  # the file itself
    shown: str  # as people read it
    text: str = ""  # as read (without its BOM)
    formatted: str = ""  # in the layout ("" when refused or not a goal file)
    problem: str = ""  # `LINE:COLUMN: why`, when refused or unreadable
    goal: bool = True  # a goal file (an explicit file that is not one is reported as skipped)

    @property
    def changed(self) -> bool:
        return not self.problem and self.goal and self.formatted != self.text


def format_one(job: tuple[str, bool, bytes | None]) -> Outcome:
    """Format one file, from its bytes when read already (in a worker process when there are many). Pure:
    nothing is written."""
    from okrctl.fmt import FormatRefused, format_goal
    from okrctl.loader import _head, _mentions_goal_kind

    source, explicit, data = job
    path = Path(source)
    shown = display_path(path)
    text, problem = read_text(path, data)
    if problem is not None:  # reported as lint reports it: undecodable files only if they seem to be goal files
        undecodable = problem.message.startswith(("binary", "not UTF-8", "file is", "the file is UTF-"))
        if explicit or not undecodable or _mentions_goal_kind(_head(path, data)):
            return Outcome(source, shown, problem=f"{problem.line}:{problem.column}: {problem.message}")
        return Outcome(source, shown, goal=False)
    assert text is not None
    try:
        formatted = format_goal(text)
    except FormatRefused as refused:
        if not explicit and not _mentions_goal_kind(text):
            return Outcome(source, shown, text, goal=False)  # some other broken YAML: not ours to judge
        return Outcome(source, shown, text, problem=str(refused))
    if formatted is None:
        return Outcome(source, shown, text, goal=False)
    return Outcome(source, shown, text, formatted)


def unified_diff(outcome: Outcome) -> str:
    lines = difflib.unified_diff(
        outcome.text.splitlines(keepends=True),
        outcome.formatted.splitlines(keepends=True),
        f"{outcome.shown} (before)",
        f"{outcome.shown} (formatted)",
    )
    # A last line without its line break is marked as diff and git mark it, rather than run into the next.
    return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines)


def run(options: FmtOptions) -> int:
    outcomes: list[Outcome] = []
    skipped: list[str] = []
    roots: dict[str, Path] = {}  # each file's goals root
    caches: dict[Path, FormattedFiles] = {}  # each root's
    for scope in scopes(options.paths):
        root = scope.loaded.root
        cache = _cache(root, scope.loaded.config) if options.use_cache else None
        if cache is not None:
            caches[root] = cache
        found = _format_all(scope.candidates, cache, options.jobs)
        for outcome, candidate in zip(found, scope.candidates, strict=True):
            outcomes.append(outcome)
            roots[outcome.path] = root
            if candidate.explicit and not outcome.goal:
                skipped.append(outcome.shown)
    report_skipped(skipped)
    refused = changed = unchanged = 0
    writing = not (options.check or options.diff)
    for outcome in outcomes:
        if outcome.problem:
            refused += 1
            print(f"okrctl: error: {outcome.shown}:{outcome.problem}", file=sys.stderr)
        elif not outcome.goal:
            continue
        elif not outcome.changed:
            unchanged += 1
        elif writing:
            try:
                written = _write(outcome, roots[outcome.path])
            except UserError as error:
                refused += 1
                print(f"okrctl: error: {error}", file=sys.stderr)
                continue
            changed += 1
            print(f"reformatted {outcome.shown}")
            cache = caches.get(roots[outcome.path])
            if cache is not None and written is not None:
                cache.learn(written)  # a --check after this run finds it formatted at once
        else:
            changed += 1
            if options.diff:
                sys.stdout.write(unified_diff(outcome))
            else:
                print(f"would reformat {outcome.shown}")
    for cache in caches.values():
        cache.save_formatted()
    print(_summary(changed, unchanged, refused, writing), file=sys.stderr if options.diff else sys.stdout)
    if refused:
        return 2
    return 1 if options.check and changed else 0


def _cache(root: Path, config: Config) -> FormattedFiles | None:
    from okrctl.cache import FormattedFiles

    cache = FormattedFiles(root, config)
    return cache if cache.usable else None


def _format_all(candidates: list[Candidate], cache: FormattedFiles | None, jobs: int) -> list[Outcome]:
    """Each candidate's outcome, in order: files whose bytes are known to be formatted are not formatted again
    (see `cache.FormattedFiles`); the others are, in worker processes when there are many."""
    from okrctl.goal_bytes import read_bytes
    from okrctl.pipeline import map_in_workers

    outcomes: dict[int, Outcome] = {}
    misses: list[tuple[int, tuple[str, bool, bytes | None]]] = []
    for index, candidate in enumerate(candidates):
        data, _ = read_bytes(candidate.path)
        if cache is not None and data is not None and cache.known(data):
            outcomes[index] = Outcome(str(candidate.path), display_path(candidate.path))
        else:
            misses.append((index, (str(candidate.path), candidate.explicit, data)))
    formatted = map_in_workers(format_one, [job for _, job in misses], jobs)
    for (index, (_, _, data)), outcome in zip(misses, formatted, strict=True):
        outcomes[index] = outcome
        if cache is not None and data is not None and outcome.goal and not outcome.problem and not outcome.changed:
            cache.learn(data)
    return [outcomes[index] for index in range(len(candidates))]


def _summary(changed: int, unchanged: int, refused: int, writing: bool) -> str:
    def files(count: int) -> str:
        return f"{count} file{'' if count == 1 else 's'}"

    parts = [f"{files(changed)} {'reformatted' if writing else 'would be reformatted'}"]
    parts.append(f"{files(unchanged)} already formatted")
    if refused:
        parts.append(f"{files(refused)} refused")
    return ", ".join(parts)


def _write(outcome: Outcome, root: Path) -> bytes | None:
    """Write the formatted text in place of the file (through okrctl.writing); the bytes written, read back
    (None if they are not the text: changed again since)."""
    from okrctl.loader import GoalFile
    from okrctl.writing import BOM, edit_lock, replace_goal_file, target_inside

    target = target_inside(Path(outcome.path), root, outcome.shown)
    with edit_lock(target, outcome.shown):
        replace_goal_file(target, GoalFile(outcome.shown, outcome.text, source=outcome.path), outcome.formatted)
    with target.open("rb") as written:
        data = written.read()
    return data if data.removeprefix(BOM.encode()).decode("utf-8", "replace") == outcome.formatted else None
