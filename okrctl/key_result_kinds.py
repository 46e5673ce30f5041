"""Key-result kinds: a metric, a threshold and a milestone, each one object that knows all about its kind.

A key result's fields make its kind: `start` and `target` a metric, `at_least` or `at_most` a threshold,
`done` (and `done_on`) a milestone; it sets the fields of exactly one. Whatever okrctl does differently by
kind, it asks the kind object (`key_result.kind`, `KeyResultScore.kind`) rather than comparing names:

- which fields are its own, and what is wrong with them (OKR006's messages: `kind_problem`);
- its progress and score from a value, and its forecast from a value projected to the period's last day;
- how reports show where it stands, and what the JSON document adds for it;
- how the editor schema describes it, and its row in the reference table of kinds;
- whether `okrctl checkin` takes a number or `done`, whether it is an output (OKR103), whether it goes
  stale without dated check-ins (OKR301), and whether it has a target whose changes `rebaselined:` records.

To add a kind: write its class below and add an instance to `KINDS`. A field no kind here has yet is also
declared on `KeyResult` in model.py, with a description that starts with the kind's name (the models forbid
unknown keys, so they must know every field). tests/unit/test_key_result_kinds.py holds every kind in
`KINDS` to this protocol, to the model and to the schema.
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from collections.abc import Iterator
from datetime import date
from fractions import Fraction
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from okrctl.arithmetic import at_least, at_most, clamp, finite

if TYPE_CHECKING:
    from okrctl.model import KeyResult
    from okrctl.scoring import KeyResultScore


class KeyResultKind(ABC):
    """What one kind of key result is and does. There is one instance per kind, in `KINDS`."""

    name: ClassVar[str]
    fields: ClassVar[tuple[str, ...]]  # its own fields: a key result sets fields of one kind only
    declared_with: ClassVar[str]  # what OKR006 tells a key result of no kind to give: "start and target"
    summary: ClassVar[str]  # the editor schema's account of it: "a metric (start, target)"
    scored: ClassVar[str]  # how it scores, for the reference table
    has_value: ClassVar[bool] = True  # it reads a value from check-ins, `current` or a KPI
    needs_start: ClassVar[bool] = False  # it scores from a start: given, or its KPI's on the period's first day
    checkin: ClassVar[Literal["number", "done"]] = "number"  # what `okrctl checkin` records for it
    is_output: ClassVar[bool] = False  # it marks work done rather than measuring an outcome (OKR103)
    goes_stale: ClassVar[bool] = True  # it wants a dated check-in every `lint.checkin_days` (OKR301)
    has_target: ClassVar[bool] = True  # it has a target or threshold, whose changes `rebaselined:` records

    def declared_by(self, key_result: KeyResult) -> bool:
        for field in self.fields:  # noqa: SIM110 - a loop, not any(): asked several times of every key result
            if getattr(key_result, field) is not None:
                return True
        return False

    @abstractmethod
    def problem(self, key_result: KeyResult) -> str | None:
        """What its own fields lack or contradict, as OKR006 words it after "key result 'ID' "; None if nothing."""

    def field_problems(self, key_result: KeyResult) -> Iterator[tuple[str, str]]:
        """Contradictions within a key result of this kind, each with the field at fault (OKR006)."""
        return iter(())

    @abstractmethod
    def progress(self, key_result: KeyResult, value: float | None, start: float | None, day: date) -> float:
        """Its progress as of `day`, unclamped: its score is this clamped to 0–1 (unless graded by hand).

        `value` is its latest value on or before `day` (None: no value yet); `start` is given when
        `needs_start`, already checked to be at a distance from the target."""

    @abstractmethod
    def forecast(self, key_result: KeyResult, projected: float, start: float | None) -> float | None:
        """The score it would have with the value projected to the period's last day; None for no forecast."""

    @abstractmethod
    def values_text(self, kr: KeyResultScore, since_start: bool) -> str:
        """Where it stands, for people; `since_start` also shows where it started (the score tables)."""

    def document(self, kr: KeyResultScore) -> dict[str, Any]:
        """What the JSON document of a key result adds for this kind, after `start` and `target`."""
        return {}

    def __repr__(self) -> str:
        return f"<key-result kind {self.name}>"

    def __reduce__(self) -> tuple[Any, tuple[str]]:
        return _registered, (self.name,)  # unpickled (worker processes, caches) as the one registered instance


def no_distance(start: float, target: float) -> bool:
    """Whether `target − start` is 0 as floating point computes it, the divisor of a metric's progress.

    `9007199254740993` and `9007199254740992.0` differ as Python compares them, yet their difference is 0.0;
    so do `0.0` and `-0.0`.
    """
    try:
        return float(target) - float(start) == 0.0
    except OverflowError:  # an integer too large for a float: compare exactly
        return target == start


def metric_progress(value: float, start: float, target: float) -> float:
    """(value − start) / (target − start), unclamped; direction needs no field. There must be a distance
    (`no_distance`); a result past the float range becomes the largest finite float of its sign."""
    moved, span = float(value) - float(start), float(target) - float(start)
    progress = moved / span
    if math.isfinite(moved) and math.isfinite(span) and math.isfinite(progress):
        return progress
    # an intermediate difference overflowed: work it out exactly
    return finite((Fraction(value) - Fraction(start)) / (Fraction(target) - Fraction(start)))


def threshold_met(value: float, at_least_bound: float | None, at_most_bound: float | None) -> bool:
    return (at_least_bound is not None and at_least(value, at_least_bound)) or (
        at_most_bound is not None and at_most(value, at_most_bound)
    )


def _joined(texts: list[str], last: str, serial_comma: bool) -> str:
    """`a, b or c` (`a, b, or c` with the serial comma)."""
    if len(texts) < 2:
        return "".join(texts)
    return f"{', '.join(texts[:-1])}{',' if serial_comma and len(texts) > 2 else ''} {last} {texts[-1]}"


class Metric(KeyResultKind):
    name = "metric"
    fields = ("start", "target")
    declared_with = "start and target"
    summary = "a metric (start, target)"
    scored = "(value − start) / (target − start), clamped to 0–1; no value scores 0"
    needs_start = True

    def problem(self, key_result: KeyResult) -> str | None:
        if key_result.target is None:
            return "a metric key result needs a target"
        if key_result.start is None and key_result.kpi is None:
            return "a metric key result needs a start (or a kpi to take it from)"
        return None

    def progress(self, key_result: KeyResult, value: float | None, start: float | None, day: date) -> float:
        assert start is not None and key_result.target is not None  # `needs_start`; the kind check: a target
        return 0.0 if value is None else metric_progress(value, start, key_result.target)

    def forecast(self, key_result: KeyResult, projected: float, start: float | None) -> float | None:
        if start is None or key_result.target is None:
            return None
        return clamp(metric_progress(projected, start, key_result.target))

    def values_text(self, kr: KeyResultScore, since_start: bool) -> str:
        """`now → target (target)`, or `start → now → target`; attached units (`%`, `/10`) on every number,
        words once at the end. No-break spaces keep each number with its unit; a table wraps after an arrow."""
        from okrctl.reporters.formatting import numbers, with_unit  # reports only
        from okrctl.reporters.layout import NO_BREAK
        from okrctl.reporters.safe_text import one_line

        start, value, target = numbers(kr.start, kr.value, kr.target)
        attached = bool(kr.unit) and one_line(kr.unit or "").startswith(("%", "/"))
        shown = [start, value] if since_start else [value]
        parts = [with_unit(v, kr.unit) if attached else v for v in shown] + [with_unit(target, kr.unit)]
        if since_start:  # a narrow column folds after an arrow, never inside a number and its unit
            return " → ".join(part.replace(" ", NO_BREAK) for part in parts)
        return " → ".join([*parts[:-1], f"{parts[-1]} (target)"]).replace(" ", NO_BREAK)


class Threshold(KeyResultKind):
    name = "threshold"
    fields = ("at_least", "at_most")
    declared_with = "at_least or at_most"
    summary = "a threshold (at_least / at_most)"
    scored = "1 while the value is at or beyond at_least / at_most, else 0; no value scores 0"

    def problem(self, key_result: KeyResult) -> str | None:
        if key_result.at_least is not None and key_result.at_most is not None:
            return "a threshold key result takes at_least or at_most, not both"
        return None

    def progress(self, key_result: KeyResult, value: float | None, start: float | None, day: date) -> float:
        return 1.0 if value is not None and self._met(key_result, value) else 0.0

    def forecast(self, key_result: KeyResult, projected: float, start: float | None) -> float | None:
        return 1.0 if self._met(key_result, projected) else 0.0

    @staticmethod
    def _met(key_result: KeyResult, value: float) -> bool:
        return threshold_met(value, key_result.at_least, key_result.at_most)

    def values_text(self, kr: KeyResultScore, since_start: bool) -> str:
        """`value (goal ≥ bound)`, the whole phrase unbroken."""
        from okrctl.reporters.formatting import numbers, with_unit  # reports only
        from okrctl.reporters.layout import NO_BREAK

        sign, bound = ("≥", kr.at_least) if kr.at_least is not None else ("≤", kr.at_most)
        value, goal = numbers(kr.value, bound)
        return f"{with_unit(value, kr.unit)} (goal {sign} {with_unit(goal, kr.unit)})".replace(" ", NO_BREAK)

    def document(self, kr: KeyResultScore) -> dict[str, Any]:
        return {"at_least": kr.at_least, "at_most": kr.at_most}


class Milestone(KeyResultKind):
    name = "milestone"
    fields = ("done", "done_on")
    declared_with = "done"
    summary = "a milestone (done)"
    scored = "1 once done (on or before done_on, if given), else 0"
    has_value = False
    checkin = "done"
    is_output = True
    goes_stale = False
    has_target = False

    def problem(self, key_result: KeyResult) -> str | None:
        if key_result.done is None:
            return "a milestone key result needs done: true or false"
        return None

    def field_problems(self, key_result: KeyResult) -> Iterator[tuple[str, str]]:
        if key_result.done is False and key_result.done_on is not None:
            message = (
                f"key result {key_result.id!r} has done_on {key_result.done_on} but done: false: "
                "set done: true, or drop done_on"
            )
            yield "done_on", message

    def progress(self, key_result: KeyResult, value: float | None, start: float | None, day: date) -> float:
        done = bool(key_result.done) and (key_result.done_on is None or key_result.done_on <= day)
        return 1.0 if done else 0.0

    def forecast(self, key_result: KeyResult, projected: float, start: float | None) -> float | None:
        return None  # it has no values to project

    def values_text(self, kr: KeyResultScore, since_start: bool) -> str:
        return "done" if kr.progress >= 1.0 else "not done"

    def document(self, kr: KeyResultScore) -> dict[str, Any]:
        return {"done": kr.done}


# Every kind, in the order messages and the schema list them.
KINDS: dict[str, KeyResultKind] = {kind.name: kind for kind in (Metric(), Threshold(), Milestone())}


def _registered(name: str) -> KeyResultKind:
    return KINDS[name]


def _problem(key_result: KeyResult, declared: list[KeyResultKind]) -> str | None:
    if not declared:
        ways = [f"{kind.declared_with} ({kind.name})" for kind in KINDS.values()]
        return f"declares no kind: give {_joined(ways, 'or', serial_comma=True)}"
    if len(declared) > 1:
        return f"mixes the {' and '.join(kind.name for kind in declared)} kinds: keep the fields of one"
    kind = declared[0]
    problem = kind.problem(key_result)
    if problem is not None:
        return problem
    if not kind.has_value and (
        key_result.kpi is not None or key_result.checkins is not None or key_result.current is not None
    ):
        return f"a {kind.name} key result has no value: drop kpi, checkins and current"
    if key_result.current is not None and key_result.checkins is not None:
        return "has both current and checkins: keep one (check-ins keep the history)"
    return None


def kind_of(key_result: KeyResult) -> KeyResultKind | None:
    """The kind its fields make, or None when they make none, several, or a contradiction (`kind_problem`)."""
    declared = [kind for kind in KINDS.values() if kind.declared_by(key_result)]
    return None if _problem(key_result, declared) is not None else declared[0]


def kind_problem(key_result: KeyResult) -> str | None:
    """OKR006's message when the fields do not make exactly one whole kind, or None when they do."""
    problem = _problem(key_result, [kind for kind in KINDS.values() if kind.declared_by(key_result)])
    return None if problem is None else f"key result {key_result.id!r} {problem}"


def zero_range(key_result: KeyResult) -> bool:
    """Whether a key result's own start and target leave no distance to measure (OKR007)."""
    kind = key_result.kind
    if kind is None or not kind.needs_start or key_result.start is None or key_result.target is None:
        return False
    return no_distance(key_result.start, key_result.target)


def start_from_kpi(key_result: KeyResult) -> bool:
    """Whether the key result takes its start from its KPI's history: it needs one and gives none."""
    kind = key_result.kind
    return kind is not None and kind.needs_start and key_result.start is None


def schema_description() -> str:
    """The editor schema's description of a key result."""
    return f"A measurable result: {_joined([kind.summary for kind in KINDS.values()], 'or', serial_comma=False)}."


TABLE_MARKER = (
    "<!-- key-result-kinds: the table of kinds, filled in from okrctl/key_result_kinds.py when the site is built -->"
)


def reference_table() -> str:
    """The kinds as a Markdown table, for the documentation of the file format."""
    rows = [
        "| kind | fields | score | `okrctl checkin` takes | an output (OKR103) | stale without check-ins (OKR301) |",
        "|---|---|---|---|---|---|",
    ]
    for kind in KINDS.values():
        fields = ", ".join(f"`{field}`" for field in kind.fields)
        checkin = "a number" if kind.checkin == "number" else "`done`"
        yes_no = {True: "yes", False: "no"}
        rows.append(
            f"| {kind.name} | {fields} | {kind.scored} | {checkin} | {yes_no[kind.is_output]} "
            f"| {yes_no[kind.goes_stale]} |"
        )
    return "\n".join(rows) + "\n"
