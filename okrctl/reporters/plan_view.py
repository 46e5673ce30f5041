"""What `okrctl plan` reports: the files written (or, with --dry-run, that would be, with their text), how
each objective closed and whether it was carried, and the lint findings of the new files."""

from __future__ import annotations

from okrctl.findings import finding_fields, plural
from okrctl.goal_bytes import display_path
from okrctl.planning import ObjectiveOutcome, Plan
from okrctl.report import JSON_VERSION
from okrctl.reporters.layout import plain
from okrctl.reporters.safe_text import guard_commands, json_text, one_line, printable
from okrctl.reporters.text import finding_segments


def plan_text(plan: Plan, dry_run: bool) -> str:
    lines = [
        f"plan {plan.period.label} from {plan.from_period.label} "
        f"(scores as of {plan.as_of}, carry {plan.carry}{', dry run' if dry_run else ''})"
    ]
    verb = "would write" if dry_run else "wrote"
    width = max((len(o.id) for file in plan.files for o in file.objectives), default=0)
    for file in plan.files:
        lines.append(
            f"{verb} {one_line(display_path(file.target))} from {one_line(display_path(file.source_location))}"
        )
        lines.extend(_objective_line(outcome, width) for outcome in file.objectives)
    for owner, name in plan.planned_already:
        lines.append(f"left alone: {owner} has {one_line(name)} for {plan.period.label} already")
    errors = sum(f.severity == "error" for f in plan.findings)
    warnings = len(plan.findings) - errors
    lines.append("")
    if not plan.files:
        lines.append("nothing to write")
    elif plan.findings:
        lines.append(f"lint of the new files: {plural(errors, 'error')}, {plural(warnings, 'warning')}")
        lines.extend(plain(finding_segments(finding)) for finding in plan.findings)
    else:
        lines.append("lint of the new files: clean")
    text = "".join(line + "\n" for line in lines)
    if dry_run:
        for file in plan.files:
            shown = "".join(printable(line) + "\n" for line in file.text.splitlines())  # a comment may hold ESC
            text += f"\n--- {one_line(display_path(file.target))}\n{shown}"
    return guard_commands(text)


def _objective_line(outcome: ObjectiveOutcome, width: int) -> str:
    line = f"  {'carried' if outcome.carried else 'left   '} {outcome.id:<{width}}  {outcome.score:.2f} {outcome.grade}"
    if outcome.dropped:
        line += f"; met, left behind: {', '.join(outcome.dropped)}"
    if outcome.alignment == "unresolved":
        line += f"; aligns_to {outcome.aligns_to}: no such objective for the new period yet"
    elif outcome.alignment is not None:
        line += f"; aligns_to {outcome.aligns_to} in {one_line(outcome.parent_path or '')}"
    return line


def plan_json(plan: Plan, dry_run: bool) -> str:
    document = {
        "version": JSON_VERSION,
        "period": plan.period.label,
        "from": plan.from_period.label,
        "as_of": plan.as_of.isoformat(),
        "carry": plan.carry,
        "dry_run": dry_run,
        "files": [
            {
                "path": display_path(file.target),
                "source": display_path(file.source_location),
                "owner": file.owner,
                "objectives": [
                    {
                        "id": o.id,
                        "score": o.score,
                        "grade": o.grade,
                        "type": o.type,
                        "carried": o.carried,
                        "key_results_left_behind": list(o.dropped),
                        "aligns_to": o.aligns_to,
                        "alignment": o.alignment,
                        "parent_path": o.parent_path,
                    }
                    for o in file.objectives
                ],
                **({"text": file.text} if dry_run else {}),
            }
            for file in plan.files
        ],
        "planned_already": [{"owner": owner, "path": name} for owner, name in plan.planned_already],
        "findings": [finding_fields(finding) for finding in plan.findings],
    }
    return json_text(document)
