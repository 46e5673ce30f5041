"""`okrctl lint`: validate and lint goal files.

`collect` loads each goals root under the paths (`load_roots`) and has the engine judge it (`lint_root`);
`run` hands the result to the reporter of the chosen format and returns the exit code.
"""

from __future__ import annotations

import contextlib
import os
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from okrctl.commands.common import at_revision, load_roots, may_walk_for_context, read_scopes, report_skipped
from okrctl.config import config_start, load_config
from okrctl.discovery import discover, file_identity
from okrctl.findings import LintResult, Problem
from okrctl.goal_bytes import MAX_BYTES, display_path
from okrctl.reporters import ReportOptions, reporter

if TYPE_CHECKING:
    from okrctl.config import LoadedConfig
    from okrctl.engine import RootFiles
    from okrctl.findings import Finding
    from okrctl.history import VersionItems
    from okrctl.revision import Revision

# The engine, the loader and the rules (and the models they build on) are imported where a run needs them,
# not here: a run whose result is remembered (see `collect`) reads the files and the memo, and no more.


@dataclass(frozen=True)
class LintOptions:
    paths: list[Path]
    output_format: str
    strict: bool
    as_of: date | None  # None: today, or with `at` its commit's date
    report: ReportOptions
    cross_file: bool = True
    jobs: int = 1
    use_cache: bool = True
    exit_zero: bool = False
    stdin_path: Path | None = None  # lint stdin, judged as if it were this file
    at: str | None = None  # judge the goals as committed at this revision
    history: bool = False  # also run the history rules (as the config's `lint: {history: true}` does)


def collect(
    paths: list[Path],
    as_of: date,
    cross_file: bool = True,
    jobs: int = 1,
    use_cache: bool = True,
    revision: Revision | None = None,
    history: bool = False,
) -> LintResult:
    """Find the goal files under `paths`, run the per-file stage, then the cross-file rules over them all.

    Each goals root under `paths` (a folder with its own okrctl.yaml) is judged with its own config. When no
    file, config or option changed since the last run, its result is reused whole (see `pipeline.run_memo`).
    With `revision`, the goals root is judged as committed then (see `okrctl.revision`). With `history` (or
    the config's `lint: {history: true}`), the history rules judge the commits that changed the goals too
    (see `history_findings_at`); without it, lint never reads git history.
    """
    from okrctl.pipeline import run_memo

    if revision is not None:
        return _collect_at(revision, paths, as_of, cross_file, jobs, history, use_cache)

    read = read_scopes(paths, as_of, use_cache, with_context=cross_file, lazily=True)
    heads = _heads([scope.loaded for scope, _ in read], history, cross_file)
    settings = f"lint\0{[os.fspath(p) for p in paths]}\0{cross_file}"
    if heads:  # a new commit changes the history judged, even when no file changed
        commits = sorted((os.fspath(root), head.commit.id if head else "") for root, head in heads.items())
        settings += f"\0history\0{commits}"
    memo = run_memo([reading for _, reading in read], settings)
    remembered = memo.recall(LintResult) if memo is not None else None
    if remembered is not None:
        return remembered
    for _, reading in read:
        reading.finish_reading()  # the files a remembered run would have left unread
    if memo is not None:
        memo.seal()  # the inputs as read now, before the per-file stage lets the bytes go
    from okrctl.engine import lint_root

    roots = load_roots(paths, as_of, jobs, use_cache, with_context=cross_file, read=read)
    searched = [display_path(p) for p in paths or [root.loaded.root for root in roots[:1]] or [Path()]]
    result = LintResult([], [], [], searched)
    for root in roots:
        result.findings += lint_root(root, as_of, cross_file)
        head = heads.get(root.loaded.root)
        if head is not None:
            result.findings += history_findings_at(root, head, as_of, use_cache)
        result.paths += [f.path for f in root.files]
        result.skipped += root.skipped
    result.findings.sort()
    if memo is not None:
        memo.remember(result)
    return result


def _collect_at(
    revision: Revision, paths: list[Path], as_of: date, cross_file: bool, jobs: int, history: bool, use_cache: bool
) -> LintResult:
    from okrctl.engine import lint_root
    from okrctl.revision import load_root_at

    root = load_root_at(revision, paths, as_of, jobs, with_context=cross_file)
    searched = [f"{display_path(p)}@{revision.commit.short}" for p in paths or [root.loaded.root]]
    result = LintResult(lint_root(root, as_of, cross_file), [f.path for f in root.files], root.skipped, searched)
    if _judges_history(root.loaded, history, cross_file):
        result.findings += history_findings_at(root, revision, as_of, use_cache)
    result.findings.sort()
    return result


def _judges_history(loaded: LoadedConfig, asked: bool, cross_file: bool) -> bool:
    """Whether lint judges a root's history: asked, or its config says so; never one file at a time
    (`--no-cross-file`, as pre-commit runs it, judges each file alone and reads no git)."""
    return cross_file and (asked or loaded.config.lint.history)


def _heads(roots: list[LoadedConfig], history: bool, cross_file: bool) -> dict[Path, Revision | None]:
    """The commit checked out (HEAD) for each goals root whose history is judged (None: no commit yet)."""
    from okrctl.git import GitError, Repository
    from okrctl.revision import open_revision

    heads: dict[Path, Revision | None] = {}
    for loaded in roots:
        if _judges_history(loaded, history, cross_file):
            try:
                heads[loaded.root] = open_revision("HEAD", [loaded.root])
            except GitError:
                Repository.containing(loaded.root)  # not a repository (or one git refuses): say so
                heads[loaded.root] = None  # a repository without a commit has no history to judge
    return heads


def history_findings_at(
    root: RootFiles, revision: Revision, as_of: date, use_cache: bool, versions: VersionItems | None = None
) -> list[Finding]:
    """The history rules' findings over the commits up to `revision` that changed the root's goal files since
    the first day of the earliest period that overlaps `as_of` (`engine.history_since`); the versions read
    are kept parsed in the root's cache (`use_cache`), and in `versions` when given (for the caller's
    further use)."""
    from okrctl.config import CONFIG_NAME, chosen_config
    from okrctl.engine import history_findings, history_since
    from okrctl.history import VersionItems, read_history
    from okrctl.revision import judged_by

    repository, config = revision.repository, root.loaded.config
    top = repository.relative(root.loaded.root)
    nested: set[str] = set()
    if chosen_config() is None:  # a folder below with an okrctl.yaml of its own is a goals root of its own
        for path in repository.tree(revision.commit.id, [top] if top else []):
            folder, _, name = path.rpartition("/")
            if name == CONFIG_NAME and folder != top:
                nested.add(folder)
    history = read_history(
        repository,
        [revision.commit.id],
        [top] if top else [],
        judged_by(top, config, nested),
        config,
        since=history_since(root, as_of),
        backdate_days=config.backdate_days,
        versions=versions or VersionItems(repository, config, root.loaded.root if use_cache else None),
    )
    return history_findings(root, history, as_of)


def collect_stdin(
    data: bytes, path: Path, as_of: date, cross_file: bool = True, jobs: int = 1, use_cache: bool = True
) -> LintResult:
    """Lint `data` as if it were the file at `path` (which need not exist), as ruff's --stdin-filename does:
    the path decides the config and goals tree it is judged in, and it stands in for that file on disk."""
    from okrctl.engine import RootFiles, apply_config, lint_root
    from okrctl.loader import SYNTAX, read_text
    from okrctl.pipeline import process, run_stage
    from okrctl.yamlread import YamlSyntaxError, parse_yaml

    loaded = load_config(config_start([path]))
    config = loaded.config
    shown = display_path(path)
    if len(data) > MAX_BYTES:
        problem = Problem(shown, 1, 1, "input is over the 1 MiB limit of a goal file")
        return LintResult(apply_config([(SYNTAX, problem)], [], config).findings, [shown])
    processed = process(path, config, as_of, True, data)
    if processed is None:
        return LintResult([], [], [shown])
    text, _ = read_text(path, data)
    with contextlib.suppress(YamlSyntaxError):  # positions come from the input, not from the file on disk
        processed.file.data = parse_yaml(text) if text is not None else None
    root = RootFiles(loaded, [processed.file], processed.problems, [])
    if cross_file and may_walk_for_context(loaded):
        itself = file_identity(path)
        tree = discover([loaded.root], loaded.root, config.exclude, [])  # nested goals roots are not context
        others = [c for c in tree if file_identity(c.path) != itself]
        root.context = [
            result.file for _, result in run_stage(others, loaded.root, config, as_of, jobs, use_cache) if result
        ]
    return LintResult(lint_root(root, as_of, cross_file), [shown])


def run(options: LintOptions) -> int:
    if options.stdin_path is not None:
        data = sys.stdin.buffer.read(MAX_BYTES + 1)
        result = collect_stdin(
            data, options.stdin_path, options.as_of or date.today(), options.cross_file, options.jobs, options.use_cache
        )
    else:
        revision, as_of = at_revision(options.at, options.as_of, options.paths)
        result = collect(
            options.paths, as_of, options.cross_file, options.jobs, options.use_cache, revision, options.history
        )
    if not options.report.quiet:
        report_skipped(result.skipped)
        if not result.files and not result.skipped:
            # Likely the wrong folder (a CI job in the wrong directory): say so, as ruff does; not an error.
            where = ", ".join(result.searched)
            print(f"okrctl: warning: no goal files found under {where} (kind: okrs or kind: kpis)", file=sys.stderr)
    sys.stdout.write(reporter("lint", options.output_format)(result, options.report))
    failing = result.errors or (options.strict and result.warnings)
    return 1 if failing and not options.exit_zero else 0
