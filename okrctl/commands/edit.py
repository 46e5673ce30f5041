"""`okrctl checkin` and `okrctl measure`: safe, minimal edits of goal files.

A value is upserted by date: a new date is inserted in date order; the same value again changes nothing; a
different value for a date already recorded is refused unless `--replace`. An edit is refused (exit 2, nothing
written) when the value is not a finite number, the date is outside the key result's period or in the future,
the reference is unknown or ambiguous, the result would not validate or would add an error, or the file cannot
be written safely (see `okrctl.writing`: the lock, the checks and the atomic replace).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

from pydantic import TypeAdapter, ValidationError

from okrctl.commands.common import EditableRoot, load_for_editing
from okrctl.editing import (
    changes,
    date_position,
    last_of_day,
    plan_current,
    plan_insert,
    plan_milestone,
    update_item,
)
from okrctl.engine import lint
from okrctl.loader import GoalFile, load_file, load_text
from okrctl.measurement_rows import ImportRow, parse_number, read_rows
from okrctl.model import Checkin, KeyResult, KpiFile, Measurement
from okrctl.periods import Period, PeriodError, parse_date, parse_period
from okrctl.project import KpiEntry, ObjectiveEntry, Project
from okrctl.splice import Document, Loc, Splice, apply
from okrctl.validation import did_you_mean
from okrctl.writing import (
    EditRefused,
    check_size,
    defer_folder_syncs,
    edit_lock,
    replace_goal_file,
    sync_deferred_folders,
    target_inside,
)

_T = TypeVar("_T")

__all__ = ["EditRefused", "record_rows", "replace_goal_file", "run_checkin", "run_measure", "run_measure_from"]


@dataclass(frozen=True)
class CheckinOptions:
    ref: str
    value: str
    day: date | None
    confidence: str | None
    note: str | None
    period: str | None
    replace: bool = False
    output_format: str = "text"


@dataclass(frozen=True)
class MeasureOptions:
    ref: str
    value: str
    day: date | None
    note: str | None
    replace: bool = False
    output_format: str = "text"


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


def _unreadable_hint(tree: EditableRoot) -> str:
    broken = [f.path for f in tree.files if not f.valid]
    return f" ({len(broken)} goal files have errors and were not searched: run okrctl lint)" if broken else ""


def resolve_key_result(
    tree: EditableRoot, project: Project, ref: str, day: date, period: str | None
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


def resolve_kpi(tree: EditableRoot, project: Project, ref: str) -> KpiEntry:
    if len(ref.split("/")) != 2:
        raise EditRefused(f"{ref!r} is not a KPI reference: write OWNER/KPI, e.g. support/csat")
    found = project.kpis_by_ref.get(ref)
    if not found:
        raise EditRefused(f"no KPI {ref!r}{did_you_mean(ref, sorted(project.kpis_by_ref))}{_unreadable_hint(tree)}")
    if len(found) > 1:
        raise EditRefused(f"{ref!r} is defined in {len(found)} files: fix that first (okrctl lint reports it)")
    return found[0]


# -- making the edit ------------------------------------------------------------------------------


@dataclass
class Outcome:
    """What an edit did, for the text and JSON reports."""

    ref: str
    path: str
    day: date | None  # None for an undated `current` value
    value: int | float | str  # the number, or "done" for a milestone
    action: str  # appended | inserted | replaced | unchanged | current_set | done
    summary: str


@dataclass
class Change:
    """A planned edit of one file: the splices and the model they must give (none: nothing to change)."""

    file: GoalFile
    outcome: Outcome
    splices: list[Splice] = field(default_factory=list)
    expected: dict[str, Any] = field(default_factory=dict)


def _text(outcome: Outcome) -> str:
    return f"{outcome.path}: {outcome.ref}: {outcome.summary}"


def _json(outcome: Outcome) -> str:
    document = {
        "version": 1,
        "ref": outcome.ref,
        "path": outcome.path,
        "date": outcome.day.isoformat() if outcome.day else None,
        "value": outcome.value,
        "action": outcome.action,
    }
    return json.dumps(document)  # ASCII: a file name that is not UTF-8 cannot break the output


OUTCOME_FORMATS: dict[str, Callable[[Outcome], str]] = {"text": _text, "json": _json}


def _errors(file: GoalFile, tree: EditableRoot, as_of: date) -> Counter[tuple[str, str]]:
    """The file's errors by the rules that judge one file: a new check-in or measurement changes nothing the
    cross-file rules report (references, ids, cycles, counts), and linting the tree costs seconds."""
    findings = lint([file], tree.loaded.config, as_of, cross_file=False)
    return Counter((f.code, f.message) for f in findings if f.severity == "error")


def _checked_text(tree: EditableRoot, change: Change, as_of: date) -> str:
    """The edited text, once it validates to exactly the intended model and adds no lint error."""
    file = change.file
    new_text = apply(file.text, change.splices)
    edited = _validated(tree, file, new_text, change.expected)
    return _adding_no_error(tree, file, edited, new_text, as_of)


def _validated(tree: EditableRoot, file: GoalFile, new_text: str, expected: dict[str, Any]) -> GoalFile:
    """`new_text` loaded, once it validates to exactly the intended model (`expected`)."""
    check_size(file.path, len(new_text.encode()))  # early and cheap: replace_goal_file checks again, with a BOM
    edited = load_text(file.path, new_text, tree.loaded.config)
    if edited is None or edited.model is None:
        problems = "; ".join(p.message for _, p in edited.problems) if edited else "not a goal file any more"
        raise EditRefused(f"{file.path}: the edit would not validate ({problems}); nothing was written")
    if edited.model.model_dump() != expected:
        raise EditRefused(f"{file.path}: the edit would change more than the intended value; nothing was written")
    return edited


def _adding_no_error(tree: EditableRoot, file: GoalFile, edited: GoalFile, new_text: str, as_of: date) -> str:
    new_errors = _errors(edited, tree, as_of) - _errors(file, tree, as_of)
    if new_errors:
        code, message = next(iter(new_errors))
        raise EditRefused(f"{file.path}: the edit would add an error: {code} {message}; nothing was written")
    return new_text


def _locked_edit(tree: EditableRoot, file: GoalFile, plan: Callable[[EditableRoot, Project], Change]) -> Outcome:
    """Plan and make an edit of `file` while holding its edit lock, from the file as it is under the lock.

    Another edit may have changed the file since the tree was loaded: it is read again under the lock and
    the edit planned on what it holds now, so a concurrent edit waits for ours rather than losing it.
    """
    target = target_inside(file.location, tree.loaded.root, file.path)
    with edit_lock(target, file.path):
        tree = _reloaded(tree, file)
        change = plan(tree, Project([f for f in tree.files if f.valid]))
        if change.splices:
            if change.file.path != file.path:
                raise EditRefused(f"{file.path} changed on disk while okrctl was editing it; nothing was written")
            replace_goal_file(target, change.file, _checked_text(tree, change, date.today()))
        return change.outcome


def _reloaded(tree: EditableRoot, file: GoalFile) -> EditableRoot:
    fresh = load_file(file.location, tree.loaded.config, explicit=True)
    if fresh is None or not fresh.valid:
        raise EditRefused(f"{file.path} changed on disk and is no longer a valid goal file (run okrctl lint)")
    if fresh.text == file.text:
        return tree
    return EditableRoot(tree.loaded, [fresh if f is file else f for f in tree.files])


@cache
def _adapter(kind: Any) -> TypeAdapter[Any]:
    return TypeAdapter(kind)  # building one costs milliseconds: an import of many rows reuses it


def _leaf(kind: Any, **fields: Any) -> Any:
    """A check-in or measurement as validation makes it from the YAML we write (fields left out when None)."""
    try:
        return _adapter(kind).validate_python({k: v for k, v in fields.items() if v is not None})
    except ValidationError as error:  # e.g. a --note holding a control character
        first = error.errors()[0]
        option = f"--{first['loc'][0]}" if first["loc"] else "the value"
        message = str(first["msg"]).removeprefix("Value error, ")
        raise EditRefused(f"{option}: {message}; nothing was written") from None


def _load(*holding: str) -> tuple[EditableRoot, Project]:
    """The goals root for an edit; with `holding` (the owner and ids of a reference), only the files that
    hold those words are read: on a tree of thousands of files an edit reads a handful."""
    tree = load_for_editing([], tuple(word.encode() for word in holding if word))
    return tree, Project([f for f in tree.files if f.valid])


def _resolved(ref: str, resolve: Callable[[EditableRoot, Project], _T]) -> tuple[EditableRoot, _T]:
    """`resolve` over the files that hold the reference's words; when it fails there, over the whole root, so a
    refusal suggests the references that exist (and a reference written with escapes is still found)."""
    tree, project = _load(*ref.split("/"))
    try:
        return tree, resolve(tree, project)
    except EditRefused:
        tree, project = _load()
        return tree, resolve(tree, project)


@dataclass(frozen=True)
class _Value:
    """A dated value to record in a list of check-ins or measurements."""

    day: date
    text: str  # as typed, written as is (`0.70` stays `0.70`)
    number: int | float
    confidence_text: str | None = None
    confidence: int | float | None = None
    note: str | None = None


def _upsert(
    doc: Document, parent_loc: Loc, key: str, rows: list[Any], new: _Value, replace: bool, what: str
) -> tuple[str, list[Splice], list[Any]]:
    """Record `new` in `rows` (the list at `parent[key]`): (action, splices, the rows as they will read).

    One entry per date: the same value again changes nothing; another value for a recorded date is refused
    unless `replace`, which sets the value (and a confidence or note, if given) of the entry that counts.
    """
    leaf = _leaf(
        Checkin if key == "checkins" else Measurement,
        date=new.day,
        value=new.number,
        confidence=new.confidence,
        note=new.note,
    )
    rows = list(rows)
    index = last_of_day(rows, new.day)
    if index is None:
        position = date_position(rows, new.day)
        action = "appended" if position == len(rows) else "inserted"
        splices = plan_insert(
            doc,
            parent_loc,
            key,
            None if action == "appended" else position,
            new.day,
            new.text,
            new.confidence_text,
            new.note,
        )
        rows.insert(position, leaf)
        return action, splices, rows
    old = rows[index]
    differs = [
        name
        for name, given, kept in (
            ("value", new.number, old["value"]),
            ("confidence", new.confidence, old.get("confidence")),
            ("note", new.note, old.get("note")),
        )
        if given is not None and given != kept
    ]
    if not differs:
        return "unchanged", [], rows
    if not replace:
        recorded = f"the value {old['value']}" if "value" in differs else f"another {differs[0]}"
        raise EditRefused(
            f"{what} already has {recorded} on {new.day}: to replace it, run the command again with --replace; "
            "nothing was written"
        )
    item_loc = (*parent_loc, key, index)
    splices = update_item(doc, item_loc, changes(new.text, new.confidence_text, new.note))
    rows[index] = {**old, **{k: v for k, v in leaf.items() if k != "date"}}
    return "replaced", splices, rows


def _value_summary(action: str, what: str, new: _Value) -> str:
    if action == "unchanged":
        return f"unchanged: {new.text} on {new.day} is already recorded"
    if action == "replaced":
        return f"replaced the value of {new.day} with {new.text}"
    order = " (inserted in date order)" if action == "inserted" else ""
    return f"{what} {new.text} on {new.day}{order}"


def run_checkin(options: CheckinOptions) -> int:
    day = options.day or date.today()
    tree, (entry, _) = _resolved(options.ref, lambda t, p: resolve_key_result(t, p, options.ref, day, options.period))
    outcome = _locked_edit(tree, entry.file, lambda t, p: _plan_checkin(options, day, t, p))
    print(OUTCOME_FORMATS[options.output_format](outcome))
    return 0


def _plan_checkin(options: CheckinOptions, day: date, tree: EditableRoot, project: Project) -> Change:
    entry, index = resolve_key_result(tree, project, options.ref, day, options.period)
    key_result = entry.objective.key_results[index]
    kr_loc = (*entry.loc, "key_results", index)
    _check_checkin(options, entry, key_result, day)
    file = entry.file
    doc = Document(file.text)
    expected = entry.okrs.model_dump()
    kr_dump = expected["objectives"][entry.index]["key_results"][index]

    def outcome(value: int | float | str, action: str, summary: str, when: date | None = day) -> Outcome:
        return Outcome(options.ref, file.path, when, value, action, summary)

    if _checked_in_done(key_result):
        if key_result.done and key_result.done_on == day:
            return Change(file, outcome("done", "unchanged", f"unchanged: already done on {day}"))
        if key_result.done and key_result.done_on is not None and not options.replace:
            raise EditRefused(
                f"{options.ref} is already done on {key_result.done_on}: to record {day} instead, run the command "
                "again with --replace; nothing was written"
            )
        kr_dump.update(done=True, done_on=day)
        return Change(
            file, outcome("done", "done", f"done on {day}"), plan_milestone(doc, kr_loc, key_result, day), expected
        )
    number = parse_number(options.value, "value")
    text = options.value.strip()
    if key_result.current is not None:
        if number == key_result.current:
            return Change(file, outcome(number, "unchanged", f"unchanged: the current value is already {text}", None))
        kr_dump["current"] = number
        return Change(
            file,
            outcome(number, "current_set", f"current value set to {text}", None),
            plan_current(doc, kr_loc, text),
            expected,
        )
    confidence_text = options.confidence.strip() if options.confidence is not None else None
    confidence = None if confidence_text is None else parse_number(confidence_text, "confidence")
    new = _Value(day, text, number, confidence_text, confidence, options.note)
    action, splices, rows = _upsert(
        doc, kr_loc, "checkins", list(key_result.checkins or []), new, options.replace, options.ref
    )
    kr_dump["checkins"] = rows
    return Change(file, outcome(number, action, _value_summary(action, "checked in", new)), splices, expected)


def _outside_period(ref: str, period: Period, day: date) -> str:
    message = f"the date {day} is outside the period of {ref}: {period.label} ({period.start}..{period.end})"
    if day > period.end:
        message += f"; it ended on {period.end}: for its closing value, use --date {period.end}"
    return message


def _checked_in_done(key_result: KeyResult) -> bool:
    """Whether a check-in of the key result marks it done, rather than recording a number (a milestone)."""
    kind = key_result.kind
    return kind is not None and kind.checkin == "done"


def _check_checkin(options: CheckinOptions, entry: ObjectiveEntry, key_result: KeyResult, day: date) -> None:
    if key_result.kpi is not None:
        raise EditRefused(
            f"{options.ref} takes its value from the KPI {key_result.kpi}: "
            f"record it with okrctl measure {key_result.kpi} {options.value}"
        )
    kind = key_result.kind
    if kind is not None and kind.checkin == "done":
        if options.value.strip().lower() != "done":
            raise EditRefused(f"{options.ref} is a {kind.name}: check it in with the value done")
        if options.confidence is not None or options.note is not None:
            raise EditRefused(f"{options.ref} is a {kind.name}: it keeps no confidence or note")
    else:
        if options.value.strip().lower() == "done":
            raise EditRefused(
                f"{options.ref} is a {kind.name if kind else None} key result, not a milestone: give a number"
            )
        parse_number(options.value, "value")
        if options.confidence is not None:
            confidence = parse_number(options.confidence, "confidence")
            if not 0 <= confidence <= 1:
                raise EditRefused(f"confidence {options.confidence} is not between 0 and 1")
        given = [
            name
            for name, value in (("--date", options.day), ("--confidence", options.confidence), ("--note", options.note))
            if value is not None
        ]
        if key_result.current is not None and given:
            raise EditRefused(
                f"{options.ref} keeps an undated current value, which has no room for {' or '.join(given)}: "
                f"to keep dated check-ins, replace its line current: {key_result.current} with "
                f"checkins: [{{date: YYYY-MM-DD, value: {key_result.current}}}] (the day of that value), "
                "then check in again"
            )
        if key_result.current is not None:
            return  # nothing dated is written, so no date to check (a value after the period's end is fine)
    if not entry.period.contains(day):
        raise EditRefused(_outside_period(options.ref, entry.period, day))
    _check_not_future(day)


def run_measure(options: MeasureOptions) -> int:
    tree, entry = _resolved(options.ref, lambda t, p: resolve_kpi(t, p, options.ref))
    parse_number(options.value, "value")
    day = options.day or date.today()
    _check_not_future(day)
    outcome = _locked_edit(tree, entry.file, lambda t, p: _plan_measure(options, day, t, p))
    print(OUTCOME_FORMATS[options.output_format](outcome))
    return 0


def _plan_measure(options: MeasureOptions, day: date, tree: EditableRoot, project: Project) -> Change:
    entry = resolve_kpi(tree, project, options.ref)
    new = _Value(day, options.value.strip(), parse_number(options.value, "value"), note=options.note)
    kpi_loc = ("kpis", entry.index)
    expected = entry.kpis_file.model_dump()
    action, splices, rows = _upsert(
        Document(entry.file.text),
        kpi_loc,
        "measurements",
        list(entry.kpi.measurements),
        new,
        options.replace,
        options.ref,
    )
    expected["kpis"][entry.index]["measurements"] = rows
    outcome = Outcome(options.ref, entry.file.path, day, new.number, action, _value_summary(action, "measured", new))
    return Change(entry.file, outcome, splices, expected)


# -- many measurements at once: `okrctl measure --from FILE` --------------------------------------


@dataclass(frozen=True)
class MeasureFromOptions:
    source: str  # a file's path, or "-" for standard input
    replace: bool = False
    output_format: str = "text"


def run_measure_from(options: MeasureFromOptions) -> int:
    """Record every measurement of the import: one locked, checked, atomic write per KPI file. A file any of
    whose rows is refused is not written at all (its other rows neither); the other files are. Exit 0 when
    every row is recorded (or already was), 1 when some file was refused, 2 when the input cannot be read."""
    import sys

    shown = "<stdin>" if options.source == "-" else options.source
    try:
        text = sys.stdin.read() if options.source == "-" else Path(options.source).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
        raise EditRefused(f"--from {shown}: cannot read it: {reason}") from None
    rows = read_rows(text, shown)
    tree, project = _load()
    defer_folder_syncs()
    try:
        outcomes, refused = record_rows(tree, project, rows, options.replace, lambda row: f"{shown}:{row.line}")
    finally:
        sync_deferred_folders()
    for outcome in outcomes:
        print(OUTCOME_FORMATS[options.output_format](outcome))
    for reason in refused:
        print(f"okrctl: error: {reason}", file=sys.stderr)
    return 1 if refused else 0


def record_rows(
    tree: EditableRoot,
    project: Project,
    rows: list[ImportRow],
    replace: bool,
    place: Callable[[ImportRow], str],
    write: bool = True,
) -> tuple[list[Outcome], list[str]]:
    """Record `rows`, one locked, checked, atomic write per KPI file: (what was recorded, why what was not).

    A file any of whose rows is refused is not written at all (its other rows neither); the other files are.
    `place(row)` names a row in a refusal (`FILE:LINE`, or the KPI and day). With `write` false, nothing is
    written: the outcomes say what would be (after the same checks).
    """
    by_file: dict[str, tuple[GoalFile, list[ImportRow]]] = {}
    refused: list[str] = []
    for row in rows:
        try:
            entry = resolve_kpi(tree, project, row.ref)
        except EditRefused as error:
            refused.append(f"{place(row)}: {error}")
            continue
        by_file.setdefault(entry.file.path, (entry.file, []))[1].append(row)
    plans: list[_Planned] = []
    for file, file_rows in by_file.values():
        try:
            plans.append(_plan_import(tree, file, file_rows, replace, place))
        except EditRefused as error:
            refused.append(str(error))
    outcomes: list[Outcome] = []
    for plan, reason in zip(plans, _added_errors(tree, plans), strict=True):
        try:
            if reason:
                raise EditRefused(reason)
            if write:
                _write_planned(plan)
            outcomes += plan.outcomes
        except EditRefused as error:
            refused.append(str(error))
    return outcomes, refused


@dataclass
class _Planned:
    """One KPI file's rows of an import, planned on its text as read: what to write, and what it did."""

    file: GoalFile  # as read when planned
    edited: GoalFile  # the new text, loaded
    text: str  # the new text
    outcomes: list[Outcome]
    target: Path  # the file written: its path with any links followed (inside the goals root)


def _added_errors(tree: EditableRoot, plans: list[_Planned]) -> list[str]:
    """For each plan, why it may not be written ("" if it may): a lint error it would add to its file.

    Each changed file is linted alone, before and after, with the rules that judge one file: a measurement
    changes nothing the cross-file rules report in a kpis file (its ids, references and number of KPIs), and
    linting the whole tree twice would cost seconds on a large one, for every import.
    """
    config, today = tree.loaded.config, date.today()

    def errors(file: GoalFile) -> Counter[tuple[str, str]]:
        found = lint([file], config, today, cross_file=False)
        return Counter((f.code, f.message) for f in found if f.severity == "error")

    reasons = []
    for plan in plans:
        after = errors(plan.edited) if plan.text != plan.file.text else Counter()
        added = after - errors(plan.file) if after else after  # no error after: none added, nothing to compare
        first = next(iter(added), None)
        reasons.append(
            f"{plan.file.path}: the import would add an error: {first[0]} {first[1]}; nothing of it was written"
            if first
            else ""
        )
    return reasons


def _write_planned(plan: _Planned) -> None:
    """Write a planned file under its lock, if it still holds the text the plan was made on."""
    if plan.text == plan.file.text:
        return  # every row was already recorded
    target = plan.target
    with edit_lock(target, plan.file.path):
        try:
            on_disk = target.read_bytes().decode("utf-8-sig")  # as the loader decodes it: line ends kept
        except (OSError, UnicodeDecodeError):
            on_disk = None
        if on_disk != plan.file.text:
            raise EditRefused(f"{plan.file.path} changed on disk while okrctl was recording; nothing of it was written")
        replace_goal_file(target, plan.file, plan.text)


def _plan_import(
    tree: EditableRoot, file: GoalFile, rows: list[ImportRow], replace: bool, place: Callable[[ImportRow], str]
) -> _Planned:
    """Plan `rows` in `file`; the new text is validated once, to exactly the intended model, and written later
    (`_write_planned`), once, if it adds no lint error.

    The rows are planned in rounds, one row of each KPI per round, all on one parse of the text the round
    before left: the rows of different KPIs touch different lists, so their splices never meet; a KPI's next
    row is placed among the rows its previous one wrote. A nightly run (a row per KPI) parses the file once.
    """
    target = target_inside(file.location, tree.loaded.root, file.path)  # a link out of the goals root: refused
    assert file.model is not None and isinstance(file.model, KpiFile)
    owner = file.model.owner
    index_of = {f"{owner}/{kpi.id}": index for index, kpi in enumerate(file.model.kpis)}
    queues: dict[int, list[tuple[int, ImportRow]]] = {}
    for number, row in enumerate(rows):
        if row.ref not in index_of:
            raise EditRefused(f"{place(row)}: {file.path} no longer holds {row.ref}; nothing of it was written")
        queues.setdefault(index_of[row.ref], []).append((number, row))
    expected = file.model.model_dump()
    text, outcomes = file.text, {}
    while queues:
        doc, splices = Document(text), []
        for index, queue in list(queues.items()):
            number, row = queue.pop(0)
            if not queue:
                del queues[index]
            new = _Value(row.day, row.value, parse_number(row.value, "value"), note=row.note)
            measurements = list(expected["kpis"][index]["measurements"])
            try:
                action, planned, measured = _upsert(
                    doc, ("kpis", index), "measurements", measurements, new, replace, row.ref
                )
            except EditRefused as error:
                raise EditRefused(f"{place(row)}: {error} (nothing of {file.path} was written)") from None
            expected["kpis"][index]["measurements"] = measured
            splices += planned
            summary = _value_summary(action, "measured", new)
            outcomes[number] = Outcome(row.ref, file.path, row.day, new.number, action, summary)
        text = apply(text, splices)
    edited = _validated(tree, file, text, expected) if text != file.text else file
    return _Planned(file, edited, text, [outcomes[number] for number in sorted(outcomes)], target)
