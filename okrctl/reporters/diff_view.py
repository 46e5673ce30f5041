"""`okrctl diff` reports: text for a terminal, JSON for scripts, Markdown for a pull-request comment, and
GitHub Actions annotations on the changed lines.

Every value is formatted for people, with enough digits that two different values never print the same
(`numbers`); titles, notes and revision names are the user's text, escaped for each format.
"""

from __future__ import annotations

import math
from dataclasses import asdict
from datetime import date
from typing import Any

from okrctl.arithmetic import is_number
from okrctl.findings import Finding, LintResult, finding_fields, plural
from okrctl.goal_diff import DATED_WORDS, KIND_WORDS, DiffEntry, DiffResult, Side, Standing
from okrctl.report import JSON_VERSION
from okrctl.reporters import ReportOptions
from okrctl.reporters.formatting import STATUS_STYLE, STATUS_WORDS, exact_numbers, render
from okrctl.reporters.github import escape_data, escape_property, lint_github
from okrctl.reporters.layout import Line, wrap
from okrctl.reporters.markdown import BAND_EMOJI, GRADE_EMOJI, cell
from okrctl.reporters.safe_text import guard_commands, json_text, one_line
from okrctl.reporters.text import finding_segments

NO_CHANGES = "No goal changes."
CONFIG_CHANGED = "{path} changed: each side is judged with its own (grades, pace and rules may move with it)"
MARKER = "<!-- okrctl-diff -->"  # the comment a workflow finds to update rather than add
_STATUS_MARK = {"added": ("+", "green"), "removed": ("-", "red"), "changed": ("~", "yellow")}
_GRADE_STYLE = {"green": "green", "yellow": "yellow", "red": "red"}
_BAND_STYLE = {"green": "green", "amber": "yellow", "red": "bold red"}


# -- values for people --------------------------------------------------------------------------------


def value_texts(old: Any, new: Any) -> tuple[str, str]:
    """Two values of one field as text: numbers with the digits that tell them apart, bands as bounds."""
    if is_number(old) or is_number(new):
        first, second = exact_numbers(*(v if is_number(v) else None for v in (old, new)))
        return (first if is_number(old) else _plain(old)), (second if is_number(new) else _plain(new))
    if _band(old) or _band(new):
        bounds = [*(old if _band(old) else (None, None)), *(new if _band(new) else (None, None))]
        texts = exact_numbers(*bounds)
        return (_bounds(old, texts[:2]) if _band(old) else _plain(old)), (
            _bounds(new, texts[2:]) if _band(new) else _plain(new)
        )
    return _plain(old), _plain(new)


def _band(value: Any) -> bool:
    return isinstance(value, tuple) and len(value) == 2 and all(v is None or is_number(v) for v in value)


def _bounds(band: tuple[float | None, float | None], texts: list[str]) -> str:
    low, high = band
    if low is not None and high is not None:
        return f"{texts[0]}–{texts[1]}"
    return f"≥ {texts[0]}" if low is not None else f"≤ {texts[1]}"


def _plain(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (tuple, list)):
        return ", ".join(_plain(v) for v in value)
    return one_line(str(value))


def _scores(before: float | None, after: float | None) -> tuple[str, str]:
    """Scores to two decimals, or more when two different scores would print the same."""
    digits = 2
    while (
        before is not None
        and after is not None
        and before != after
        and f"{before:.{digits}f}" == f"{after:.{digits}f}"
        and digits < 17
    ):
        digits += 1
    first, second = ("–" if s is None else f"{s:.{digits}f}" for s in (before, after))
    return first, second


def _standing_parts(standing: Standing | None, score: str) -> list[tuple[str, str | None]]:
    """`0.30 red, on track`, a KPI's band, `–` (not on that side), or `not scored`."""
    if standing is None:
        return [("–", "dim")]
    if standing.band is not None:
        return [(standing.band.replace("_", " "), _BAND_STYLE.get(standing.band, "dim"))]
    if standing.score is None:
        return [("not scored", "dim")]
    parts: list[tuple[str, str | None]] = [(score, "bold")]
    if standing.grade is not None:
        parts += [(" ", None), (standing.grade, _GRADE_STYLE.get(standing.grade))]
    if standing.status is not None:
        parts += [(", ", None), (STATUS_WORDS[standing.status], STATUS_STYLE[standing.status])]
    return parts


def _standing_texts(entry: DiffEntry) -> tuple[list[tuple[str, str | None]], list[tuple[str, str | None]]]:
    before, after = entry.before, entry.after
    scores = _scores(before.score if before else None, after.score if after else None)
    return _standing_parts(before, scores[0]), _standing_parts(after, scores[1])


def standing_line(entry: DiffEntry) -> Line:
    """`score 0.30 red, on track → 0.56 yellow, on track`, or `band amber → green` for a KPI."""
    before, after = _standing_texts(entry)
    return [("band " if entry.kind == "kpi" else "score ", None), *before, (" → ", None), *after]


def change_lines(entry: DiffEntry) -> list[str]:
    """What changed in an item, one phrase each: `target: 2,000,000 → 1,600,000`, `new check-in 2026-11-10: 900`."""
    lines = []
    if entry.status == "changed":
        for change in entry.change.fields:
            old, new = value_texts(change.old, change.new)
            lines.append(f"{change.name}: {old} → {new}")
    word = DATED_WORDS[entry.kind]
    for dated in entry.values.added:
        lines.append(f"new {word} {dated.date}: {_plain_number(dated.value)}")
    for rewritten in entry.values.rewritten:
        if rewritten.new is not None:
            old, new = exact_numbers(rewritten.old, rewritten.new)
            lines.append(f"{word} {rewritten.date} rewritten: {old} → {new}")
    for dated in entry.values.removed:
        lines.append(f"{word} {dated.date} removed: {_plain_number(dated.value)}")
    return lines


def _plain_number(value: float) -> str:
    return exact_numbers(value)[0]


def _summary(result: DiffResult) -> str:
    counts = [f"{result.count(status)} {status}" for status in ("added", "removed", "changed")]
    return f"{plural(len(result.entries), 'goal change')}: {', '.join(counts)}"


def _side_words(side: Side) -> str:
    return "the working tree" if side.commit is None else one_line(side.label)


# -- text ---------------------------------------------------------------------------------------------


def diff_text(result: DiffResult, options: ReportOptions) -> str:
    lines: list[Line] = []
    heading = f"Goal changes from {_side_words(result.base)} to {_side_words(result.head)}, as of {result.as_of}"
    lines.append([(heading, "bold")])
    if not result.entries:
        lines.append([(NO_CHANGES, None)])
    for entry in (entry for _owner, entries in result.by_owner() for entry in entries):
        mark, style = _STATUS_MARK[entry.status]
        where = f"{'was ' if entry.status == 'removed' else ''}{one_line(entry.path)}:{entry.line}"
        lines.append([])
        lines.append(
            [
                (f"{mark} ", style),
                (one_line(entry.ref), "bold"),
                (f"  {KIND_WORDS[entry.kind]} {entry.status}", style),
                (f"  {where}", "dim"),
            ]
        )
        if entry.title:
            lines.append([("    " + one_line(entry.title), None)])
        lines.extend([("    " + text, None)] for text in change_lines(entry))
        lines.append([("    ", None), *standing_line(entry)])
    if result.unreadable or result.config_changed:
        lines.append([])
    if result.config_changed:
        lines.append([(CONFIG_CHANGED.format(path=one_line(result.config_changed)), "yellow")])
    for path in result.unreadable:
        lines.append([(f"{one_line(path)}: not compared, it cannot be read on one side (see okrctl lint)", "yellow")])
    if result.findings:
        lines += [[], [("Goal-post findings", "bold")]]
        lines.extend(finding_segments(finding) for finding in result.findings)
    if result.entries or result.findings:
        lines += [[], [(_summary(result) + _findings_summary(result.findings), "bold")]]
    return render((folded for line in lines for folded in wrap(line, options.width)), options)


def _findings_summary(findings: list[Finding]) -> str:
    if not findings:
        return "."
    errors = sum(1 for f in findings if f.severity == "error")
    return f"; {plural(errors, 'error')} and {plural(len(findings) - errors, 'warning')}."


# -- JSON ---------------------------------------------------------------------------------------------


def diff_json(result: DiffResult, options: ReportOptions) -> str:
    document = {
        "version": JSON_VERSION,
        "base": _side_document(result.base),
        "head": _side_document(result.head),
        "as_of": result.as_of.isoformat(),
        "changes": [_entry_document(entry) for entry in result.entries],
        "unreadable": result.unreadable,
        "config_changed": result.config_changed,
        "findings": [finding_fields(finding) for finding in result.findings],
    }
    return json_text(document)


def _side_document(side: Side) -> dict[str, Any] | str:
    if side.commit is None:
        return "working tree"
    return {"rev": side.rev, "commit": side.commit.id, "date": side.commit.date.isoformat()}


def _entry_document(entry: DiffEntry) -> dict[str, Any]:
    values = entry.values
    return {
        "ref": entry.ref,
        "kind": entry.kind,
        "status": entry.status,
        "owner": entry.owner,
        "title": entry.title,
        "period": entry.change.item.period or None,
        "path": entry.path,
        "line": entry.line,
        "fields": [
            {"name": change.name, "old": _json_value(change.old), "new": _json_value(change.new)}
            for change in entry.change.fields
        ],
        "values": {
            "added": [{"date": d.date.isoformat(), "value": _json_value(d.value)} for d in values.added],
            "rewritten": [
                {"date": r.date.isoformat(), "old": _json_value(r.old), "new": _json_value(r.new)}
                for r in values.rewritten
                if r.new is not None
            ],
            "removed": [{"date": d.date.isoformat(), "value": _json_value(d.value)} for d in values.removed],
        },
        "before": _standing_document(entry.before),
        "after": _standing_document(entry.after),
    }


def _standing_document(standing: Standing | None) -> dict[str, Any] | None:
    return None if standing is None else asdict(standing)


def _json_value(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if _band(value):
        return {"min": _json_value(value[0]), "max": _json_value(value[1])}
    if isinstance(value, (tuple, list)):
        return [_json_value(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)  # strict JSON has no infinity; the schema refuses it, this is a guard
    return value


# -- Markdown -----------------------------------------------------------------------------------------


def diff_markdown(result: DiffResult, options: ReportOptions) -> str:
    lines = ["## Goal changes", ""]
    base, head = _markdown_side(result.base), _markdown_side(result.head)
    if not result.entries:
        lines += [NO_CHANGES, ""]
    else:
        lines += [f"**{_summary(result)}**, from {base} to {head}, as of {result.as_of}.", ""]
    for owner, entries in result.by_owner():
        lines += [
            f"### {cell(owner)}",
            "",
            "| item | change | what changed | before | after |",
            "|---|---|---|---|---|",
        ]
        for entry in entries:
            name = f"**{cell(entry.ref.split('/', 1)[1])}** {cell(entry.title)}".rstrip()
            what = "<br>".join(cell(text) for text in change_lines(entry)) or "–"
            before, after = _markdown_standings(entry)
            lines.append(f"| {name} | {KIND_WORDS[entry.kind]} {entry.status} | {what} | {before} | {after} |")
        lines.append("")
    if result.config_changed:
        lines += [cell(CONFIG_CHANGED.format(path=result.config_changed)), ""]
    if result.unreadable:
        lines += ["Not compared (a goal file that cannot be read on one side; see `okrctl lint`):", ""]
        lines += [f"- {cell(path)}" for path in result.unreadable]
        lines.append("")
    if result.findings:
        lines += ["### Goal-post findings", ""]
        for finding in result.findings:
            icon = "❌" if finding.severity == "error" else "⚠️"
            place = cell(f"{finding.path}:{finding.line}")
            lines.append(f"- {icon} **{finding.code}** {cell(finding.name)} · {place}: {cell(finding.message)}")
        lines.append("")
    lines.append(MARKER)
    return guard_commands("\n".join(lines) + "\n")


def _markdown_side(side: Side) -> str:
    if side.commit is None:
        return "the working tree"
    if side.rev in (side.commit.id, side.commit.short):
        return side.commit.short
    return f"{cell(side.rev)} ({side.commit.short})"


def _markdown_standings(entry: DiffEntry) -> tuple[str, str]:
    before, after = entry.before, entry.after
    scores = _scores(before.score if before else None, after.score if after else None)
    return _markdown_standing(before, scores[0]), _markdown_standing(after, scores[1])


def _markdown_standing(standing: Standing | None, score: str) -> str:
    if standing is None:
        return "–"
    if standing.band is not None:
        return f"{BAND_EMOJI.get(standing.band, '⚪')} {standing.band.replace('_', ' ')}"
    if standing.score is None:
        return "not scored"
    text = score
    if standing.grade is not None:
        text += f" {GRADE_EMOJI[standing.grade]} {standing.grade}"
    if standing.status is not None:
        text += f" · {STATUS_WORDS[standing.status]}"
    return text


# -- GitHub annotations -------------------------------------------------------------------------------


def diff_github(result: DiffResult, options: ReportOptions) -> str:
    """A notice on the first changed line of each item on the newer side (a removed item: on the run, as
    its lines are gone), then the findings as lint's annotations, then a summary line."""
    out = []
    for entry in result.entries:
        title = escape_property(one_line(f"{KIND_WORDS[entry.kind]} {entry.status}: {entry.ref}"))
        message = "; ".join([*change_lines(entry), "".join(part for part, _ in standing_line(entry))])
        if entry.title:
            message = f"{entry.title}: {message}"
        if entry.status == "removed":
            out.append(f"::notice title={title}::{escape_data(one_line(message))}\n")
        else:
            place = f"file={escape_property(one_line(entry.path))},line={entry.line}"
            out.append(f"::notice {place},title={title}::{escape_data(one_line(message))}\n")
    if result.config_changed:
        text = CONFIG_CHANGED.format(path=result.config_changed)
        place = escape_property(one_line(result.config_changed))
        out.append(f"::notice file={place},title=config changed::{escape_data(one_line(text))}\n")
    for path in result.unreadable:
        text = f"{path}: not compared, it cannot be read on one side (see okrctl lint)"
        out.append(f"::warning file={escape_property(one_line(path))}::{escape_data(one_line(text))}\n")
    out.append(lint_github(LintResult(result.findings, []), ReportOptions(quiet=True)))
    summary = NO_CHANGES if not result.entries else _summary(result) + "."
    out.append(f"okrctl: {summary}\n")
    return "".join(out)
