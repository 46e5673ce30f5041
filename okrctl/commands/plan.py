"""`okrctl plan PERIOD`: write each owner's okrs file for PERIOD from their file of the period before.

The core (`okrctl.planning`) says what to write; here the targets are checked (nothing is written when one
exists), the files are written (create-only and atomic, `writing.create_goal_file`) unless `--dry-run`, and
the plan is reported.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from okrctl.commands.common import load_for_editing
from okrctl.errors import UserError
from okrctl.goal_bytes import display_path
from okrctl.planning import Carry, PlannedFile, PlanRequest, make_plan


@dataclass(frozen=True)
class PlanOptions:
    period: str
    paths: list[Path]
    from_period: str | None = None
    owners: tuple[str, ...] = ()
    carry: Carry = "unfinished"
    as_of: date | None = None
    dry_run: bool = False
    output_format: str = "text"


def run(options: PlanOptions) -> int:
    from okrctl.reporters.plan_view import plan_json, plan_text

    named = load_for_editing(options.paths)
    root = named.loaded.root
    # Scores, alignment and KPIs cross files: the whole goals root is read; the paths choose the sources.
    tree = load_for_editing([root]) if options.paths else named
    within = frozenset(file.location.resolve() for file in named.files) if options.paths else None
    request = PlanRequest(options.period, options.from_period, options.owners, options.carry, options.as_of, within)
    plan = make_plan(tree.files, tree.loaded.config, root, request)
    _refuse_unwritable(plan.files)  # a dry run says what the real run would refuse
    if not options.dry_run:
        write(plan.files, root)
    render = plan_json if options.output_format == "json" else plan_text
    sys.stdout.write(render(plan, options.dry_run))
    return 0


def _refuse_unwritable(files: tuple[PlannedFile, ...]) -> None:
    """Every target checked before anything is written: nothing there yet (a file, a folder, a link), and
    its folder there or makeable (no file where a folder must be; the nearest folder writable)."""
    for file in files:
        shown = display_path(file.target)
        if file.target.exists() or file.target.is_symlink():
            raise UserError(
                f"{shown} exists: okrctl plan never overwrites a file; nothing was written "
                f"(move it away, or leave {file.owner} out with --owner)"
            )
        folder = file.target.parent
        while not folder.exists() and not folder.is_symlink() and folder != folder.parent:
            folder = folder.parent
        if not folder.is_dir():
            raise UserError(
                f"{display_path(folder)} is not a folder, but {shown} must be written inside it; nothing was written"
            )
        if not os.access(folder, os.W_OK | os.X_OK):
            raise UserError(f"{display_path(folder)}: not writable, so {shown} cannot be made; nothing was written")


def write(files: tuple[PlannedFile, ...], root: Path) -> None:
    """Write the new files, each create-only; a file that appears meanwhile stops the run there, naming
    what was written before it."""
    from okrctl.writing import EditRefused, create_goal_file

    written: list[str] = []
    for file in files:
        shown = display_path(file.target)
        try:
            create_goal_file(file.target, root, shown, file.text)
        except EditRefused as error:
            if written:  # a change on disk since the check (a race): say exactly what stands
                problem = str(error).split("; nothing was written")[0]
                raise UserError(f"{problem}; written before it: {', '.join(written)}") from None
            raise
        written.append(shown)
