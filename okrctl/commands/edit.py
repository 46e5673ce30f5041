"""`okrctl checkin` and `okrctl measure`: safe, minimal edits of goal files.

An edit is refused (exit 2, nothing written) when the value is not a number, the date is outside the key
result's period or in the future, the reference is unknown or ambiguous, the result would not validate or
would add an error, or the file changed on disk while we worked. The write is atomic: a temporary file in
the same folder, flushed and synced, given the original's mode, then renamed over it.
"""

from __future__ import annotations

import math
import os
import stat
import tempfile
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError

from okrctl.commands.common import Tree, load_tree
from okrctl.errors import UserError
from okrctl.lint import lint
from okrctl.loader import GoalFile, load_text
from okrctl.model import Checkin, KeyResult, Measurement
from okrctl.periods import PeriodError, parse_date, parse_period
from okrctl.project import KpiEntry, ObjectiveEntry, Project
from okrctl.splice import Document, Splice, apply
from okrctl.validation import did_you_mean
from okrctl.yamlread import resolve_plain

BOM = "\ufeff"


class EditRefused(UserError):
    """An edit we will not make; nothing was written."""


@dataclass(frozen=True)
class CheckinOptions:
    ref: str
    value: str
    day: date | None
    confidence: str | None
    note: str | None
    period: str | None


@dataclass(frozen=True)
class MeasureOptions:
    ref: str
    value: str
    day: date | None
    note: str | None


def parse_number(text: str, what: str) -> int | float:
    value = resolve_plain(text.strip()) if text.strip() else None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise EditRefused(f"{what} {text!r} is not a number (write it like 1300000, 4.5 or 0.70)")
    return value


def parse_day(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return parse_date(text)
    except PeriodError as error:
        raise EditRefused(f"--date: {error}") from None


def _check_not_future(day: date) -> None:
    if day > date.today():
        raise EditRefused(f"the date {day} is in the future: record values once they are measured")


# -- finding what to edit -------------------------------------------------------------------------


def _unreadable_hint(tree: Tree) -> str:
    broken = [f.path for f in tree.files if not f.valid]
    return f" ({len(broken)} goal files have errors and were not searched: run okrctl lint)" if broken else ""


def resolve_key_result(
    tree: Tree, project: Project, ref: str, day: date, period: str | None
) -> tuple[ObjectiveEntry, int]:
    parts = ref.split("/")
    if len(parts) != 3:
        raise EditRefused(f"{ref!r} is not a key result reference: write OWNER/OBJECTIVE/KR, e.g. sales/acquire/deals")
    objective_ref = "/".join(parts[:2])
    matches = [
        (entry, index)
        for entry in project.objectives_by_ref.get(objective_ref, [])
        for index, key_result in enumerate(entry.objective.key_results)
        if key_result.id == parts[2]
    ]
    if not matches:
        known = [f"{e.ref}/{kr.id}" for e in project.objectives for kr in e.objective.key_results]
        raise EditRefused(f"no key result {ref!r}{did_you_mean(ref, known)}{_unreadable_hint(tree)}")
    if period is not None:
        try:
            wanted = parse_period(period, tree.loaded.config.fiscal_year_start)
        except PeriodError as error:
            raise EditRefused(f"--period: {error}") from None
        matches = [(e, i) for e, i in matches if (e.period.start, e.period.end) == (wanted.start, wanted.end)]
        if not matches:
            raise EditRefused(f"{ref!r} has no key result in the period {period}")
    if len(matches) > 1:
        current = [(e, i) for e, i in matches if e.period.contains(day)]
        if len(current) != 1:
            places = ", ".join(sorted(f"{e.file.path} ({e.period.label})" for e, _ in matches))
            raise EditRefused(f"{ref!r} is ambiguous: it is in {places}; choose a period with --period")
        matches = current
    return matches[0]


def resolve_kpi(tree: Tree, project: Project, ref: str) -> KpiEntry:
    if len(ref.split("/")) != 2:
        raise EditRefused(f"{ref!r} is not a KPI reference: write OWNER/KPI, e.g. support/csat")
    found = project.kpis_by_ref.get(ref)
    if not found:
        raise EditRefused(f"no KPI {ref!r}{did_you_mean(ref, sorted(project.kpis_by_ref))}{_unreadable_hint(tree)}")
    if len(found) > 1:
        raise EditRefused(f"{ref!r} is defined in {len(found)} files: fix that first (okrctl lint reports it)")
    return found[0]


# -- making the edit ------------------------------------------------------------------------------


def _errors(files: list[GoalFile], tree: Tree, path: str, as_of: date) -> Counter[tuple[str, str]]:
    findings = lint(files, tree.loaded.config, as_of)
    return Counter((f.code, f.message) for f in findings if f.path == path and f.severity == "error")


def _edit(tree: Tree, file: GoalFile, splices: list[Splice], expected: dict[str, Any], as_of: date) -> str:
    """Apply `splices` to `file`, check the result, and write it; returns the new text."""
    new_text = apply(file.text, splices)
    edited = load_text(file.path, new_text, tree.loaded.config)
    if edited is None or edited.model is None:
        problems = "; ".join(p.message for _, p in edited.problems) if edited else "not a goal file any more"
        raise EditRefused(f"{file.path}: the edit would not validate ({problems}); nothing was written")
    if edited.model.model_dump() != expected:
        raise EditRefused(f"{file.path}: the edit would change more than the intended value; nothing was written")
    others = [f for f in tree.files if f is not file]
    new_errors = _errors([*others, edited], tree, file.path, as_of) - _errors(tree.files, tree, file.path, as_of)
    if new_errors:
        code, message = next(iter(new_errors))
        raise EditRefused(f"{file.path}: the edit would add an error: {code} {message}; nothing was written")
    write_atomic(Path(file.path), file, new_text)
    return new_text


def write_atomic(path: Path, file: GoalFile, new_text: str) -> None:
    """Replace `path` with `new_text`, atomically, unless it changed since we read it."""
    target = path.resolve()  # through a symlink, edit what it points at
    try:
        original = target.read_bytes()
    except OSError as error:
        raise EditRefused(f"cannot read {file.path}: {error.strerror or error}") from None
    bom = BOM if original.startswith(BOM.encode()) else ""
    if original.decode("utf-8-sig", errors="replace") != file.text:
        raise EditRefused(f"{file.path} changed on disk while okrctl was editing it; nothing was written")
    data = (bom + new_text).encode("utf-8")
    try:
        descriptor, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".okrctl-tmp")
    except OSError as error:
        raise EditRefused(f"cannot write next to {file.path}: {error.strerror or error}") from None
    temporary = Path(name)
    try:
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        temporary.chmod(stat.S_IMODE(target.stat().st_mode))
        if target.read_bytes() != original:
            raise EditRefused(f"{file.path} changed on disk while okrctl was editing it; nothing was written")
        temporary.replace(target)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise EditRefused(f"cannot write {file.path}: {error.strerror or error}; nothing was written") from None
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _leaf(kind: Any, **fields: Any) -> Any:
    """A check-in or measurement as validation makes it from the YAML we write (fields left out when None)."""
    try:
        return TypeAdapter(kind).validate_python({k: v for k, v in fields.items() if v is not None})
    except ValidationError as error:  # e.g. a --note holding a control character
        first = error.errors()[0]
        option = f"--{first['loc'][0]}" if first["loc"] else "the value"
        message = str(first["msg"]).removeprefix("Value error, ")
        raise EditRefused(f"{option}: {message}; nothing was written") from None


def _load() -> tuple[Tree, Project]:
    tree = load_tree([])
    return tree, Project([f for f in tree.files if f.valid])


def run_checkin(options: CheckinOptions) -> int:
    tree, project = _load()
    day = options.day or date.today()
    entry, index = resolve_key_result(tree, project, options.ref, day, options.period)
    key_result = entry.objective.key_results[index]
    kr_loc = (*entry.loc, "key_results", index)
    _check_checkin(options, entry, key_result, day)

    value_text = None if key_result.kind == "milestone" else options.value.strip()
    confidence_text = options.confidence.strip() if options.confidence is not None else None
    splices = _plan_checkin(entry.file, kr_loc, key_result, day, value_text, confidence_text, options.note)

    expected = entry.okrs.model_dump()
    kr_dump = expected["objectives"][entry.index]["key_results"][index]
    if key_result.kind == "milestone":
        kr_dump.update(done=True, done_on=day)
        summary = f"{options.ref}: done on {day}"
    elif key_result.current is not None:
        kr_dump["current"] = parse_number(options.value, "value")
        summary = f"{options.ref}: current value set to {value_text}"
    else:
        checkin = _leaf(
            Checkin,
            date=day,
            value=parse_number(options.value, "value"),
            confidence=None if confidence_text is None else parse_number(confidence_text, "confidence"),
            note=options.note,
        )
        kr_dump["checkins"] = [*(kr_dump["checkins"] or []), checkin]
        summary = f"{options.ref}: checked in {value_text} on {day}"
    _edit(tree, entry.file, splices, expected, date.today())
    print(f"{entry.file.path}: {summary}")
    return 0


def _plan_checkin(file: GoalFile, kr_loc: tuple[str | int, ...], key_result: KeyResult, *args: Any) -> list[Splice]:
    from okrctl.editing import plan_checkin

    return plan_checkin(Document(file.text), kr_loc, key_result, *args)


def _check_checkin(options: CheckinOptions, entry: ObjectiveEntry, key_result: KeyResult, day: date) -> None:
    if key_result.kpi is not None:
        raise EditRefused(
            f"{options.ref} takes its value from the KPI {key_result.kpi}: "
            f"record it with okrctl measure {key_result.kpi} {options.value}"
        )
    if key_result.kind == "milestone":
        if options.value.strip().lower() != "done":
            raise EditRefused(f"{options.ref} is a milestone: check it in with the value done")
        if options.confidence is not None or options.note is not None:
            raise EditRefused(f"{options.ref} is a milestone: it keeps no confidence or note")
    else:
        if options.value.strip().lower() == "done":
            raise EditRefused(f"{options.ref} is a {key_result.kind} key result, not a milestone: give a number")
        parse_number(options.value, "value")
        if options.confidence is not None:
            confidence = parse_number(options.confidence, "confidence")
            if not 0 <= confidence <= 1:
                raise EditRefused(f"confidence {options.confidence} is not between 0 and 1")
        if key_result.current is not None and (options.confidence is not None or options.note is not None):
            raise EditRefused(
                f"{options.ref} keeps an undated current value, which has no room for --confidence or --note; "
                "switch it to checkins to keep them"
            )
    if not entry.period.contains(day):
        raise EditRefused(
            f"the date {day} is outside the period of {options.ref}: {entry.period.label} "
            f"({entry.period.start}..{entry.period.end})"
        )
    _check_not_future(day)


def run_measure(options: MeasureOptions) -> int:
    from okrctl.editing import plan_measure

    tree, project = _load()
    day = options.day or date.today()
    entry = resolve_kpi(tree, project, options.ref)
    number = parse_number(options.value, "value")
    _check_not_future(day)
    value_text = options.value.strip()
    kpi_loc = ("kpis", entry.index)
    splices = plan_measure(Document(entry.file.text), kpi_loc, entry.kpi, day, value_text, options.note)
    expected = entry.kpis_file.model_dump()
    measurements = expected["kpis"][entry.index]["measurements"]
    new = _leaf(Measurement, date=day, value=number, note=options.note)
    position = next((i for i, m in enumerate(entry.kpi.measurements) if m["date"] > day), len(measurements))
    measurements.insert(position, new)
    _edit(tree, entry.file, splices, expected, date.today())
    print(f"{entry.file.path}: {options.ref}: measured {value_text} on {day}")
    return 0
