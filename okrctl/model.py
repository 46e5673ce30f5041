"""The goal-file models: okrs and kpis files. They validate shape and types; the lint rules judge the rest.

Every model forbids unknown keys. Dates and numbers are strict: the YAML reader keeps dates as strings, and
a quoted number stays a string, so `"12"` for a target is an error rather than a silent conversion.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from functools import cached_property
from typing import Annotated, Any, Literal, NotRequired

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, PlainValidator, WithJsonSchema, with_config
from typing_extensions import TypedDict

from okrctl.key_result_kinds import KeyResultKind, kind_of
from okrctl.periods import PERIOD_FORMS, PERIOD_PATTERN, parse_date, parse_period
from okrctl.scalars import Fraction as Fraction  # shared with the config (see there); still importable here
from okrctl.scalars import Number as Number
from okrctl.scalars import describe as describe

SLUG_PATTERN = r"^[a-z0-9][a-z0-9_-]{0,63}$"
_SLUG = re.compile(SLUG_PATTERN)
_SLUG_HELP = "lowercase letters, digits, '-' and '_', starting with a letter or digit, at most 64 characters"


def is_slug(value: str) -> bool:
    """Whether `value` is an identifier: the whole string (`$` alone would let a final line break through)."""
    return _SLUG.fullmatch(value) is not None


def _slug(value: str) -> str:
    if not is_slug(value):
        raise ValueError(f"{value!r} is not a valid identifier: use {_SLUG_HELP}")
    return value


# C0 and C1 control characters other than tab and newline: a title holding ESC could drive the terminal that
# shows a report (clear it, retitle the window, hide text), so free text refuses them. So are the Unicode
# bidirectional controls (embeddings, overrides, isolates and marks): they reorder what a reader sees
# ("Trojan Source"), so a title could show one thing and say another.
_CONTROL_CHARACTERS = r"\u0000-\u0008\u000b-\u001f\u007f-\u009f"  # regex escapes, in Python and in JSON Schema
_BIDI_CONTROLS = r"\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_CONTROL = re.compile(f"[{_CONTROL_CHARACTERS}{_BIDI_CONTROLS}]")
PROSE_PATTERN = f"^[^{_CONTROL_CHARACTERS}{_BIDI_CONTROLS}]*$"


def _prose(value: str) -> str:
    if value.isprintable():  # the usual case, at C speed
        return value
    found = _CONTROL.search(value)
    if found:
        character = found.group()
        name = unicodedata.name(character, "")
        shown = f"U+{ord(character):04X}" + (f" ({name})" if name else "")
        raise ValueError(f"holds the control character {shown}: write plain text (tabs and line breaks are fine)")
    return value


def _ref(parts: int, example: str) -> Any:
    def check(value: str) -> str:
        pieces = value.split("/")
        if len(pieces) != parts or not all(is_slug(piece) for piece in pieces):
            raise ValueError(f"{value!r} is not a reference: write {example}")
        return value

    return check


def _date(value: object) -> date:
    if isinstance(value, date):
        return value
    if type(value) is str and len(value) == 10 and value[4] == "-" and value[7] == "-" and value[:4].isdigit():
        try:
            return date.fromisoformat(value)  # the common case, without the regex of parse_date
        except ValueError:
            pass  # parse_date says what is wrong
    if not isinstance(value, str):
        raise ValueError(f"expected a date YYYY-MM-DD, got {describe(value)}")
    return parse_date(value)


def _period(value: object) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)  # `period: 2026` reads as a number in YAML; it means the fiscal year
    if not isinstance(value, str):
        raise ValueError(f"expected a period ({PERIOD_FORMS}), got {describe(value)}")
    parse_period(value)  # the format; the fiscal calendar is applied once the config is known
    return value


def _bool(value: object) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"expected true or false, got {describe(value)}")
    return value


Slug = Annotated[str, AfterValidator(_slug), WithJsonSchema({"type": "string", "pattern": SLUG_PATTERN})]
_REF_PATTERN = "^" + SLUG_PATTERN[1:-1] + "/" + SLUG_PATTERN[1:-1] + "$"
ObjectiveRef = Annotated[
    str,
    AfterValidator(_ref(2, "OWNER/OBJECTIVE, e.g. company/revenue")),
    WithJsonSchema({"type": "string", "pattern": _REF_PATTERN}),
]
KpiRef = Annotated[
    str,
    AfterValidator(_ref(2, "OWNER/KPI, e.g. support/csat")),
    WithJsonSchema({"type": "string", "pattern": _REF_PATTERN}),
]
# Each constrained number restates its bounds for the editor schema: WithJsonSchema replaces the whole schema.
Weight = Annotated[Number, Field(gt=0), WithJsonSchema({"type": "number", "exclusiveMinimum": 0})]
Day = Annotated[date, PlainValidator(_date), WithJsonSchema({"type": "string", "format": "date"})]
Bool = Annotated[bool, PlainValidator(_bool), WithJsonSchema({"type": "boolean"})]
_PROSE_SCHEMA = {"type": "string", "pattern": PROSE_PATTERN}
Prose = Annotated[str, AfterValidator(_prose), WithJsonSchema(_PROSE_SCHEMA)]
Text = Annotated[Prose, Field(min_length=1), WithJsonSchema({**_PROSE_SCHEMA, "minLength": 1})]
PeriodLabel = Annotated[
    str,
    PlainValidator(_period),
    WithJsonSchema({"anyOf": [{"type": "string", "pattern": PERIOD_PATTERN}, {"type": "integer", "minimum": 1}]}),
]


class Strict(BaseModel):
    # defer_build: a model's validator is built on first use, so `okrctl --help` and a run that never meets
    # a kpis file do not pay for it (building them all took ~120 ms of start-up).
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


@with_config(ConfigDict(extra="forbid"))
class Checkin(TypedDict):
    """A dated value of a key result: the latest one dated on or before a day is its value that day."""

    # Check-ins and measurements are the bulk of every goal tree, so they validate into plain dicts rather
    # than model instances: several times cheaper to build, copy to worker processes and cache.

    date: Annotated[Day, Field(description="The day the value was measured (YYYY-MM-DD).")]
    value: Annotated[Number, Field(description="The key result's value on that day.")]
    confidence: NotRequired[
        Annotated[Fraction | None, Field(description="The owner's confidence (0-1) of landing the key result.")]
    ]
    note: NotRequired[Annotated[Prose | None, Field(description="A short note: what moved, what is blocked.")]]


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty: say why the target or threshold changed")
    return value


Reason = Annotated[
    Prose,
    AfterValidator(_not_blank),
    WithJsonSchema({"type": "string", "allOf": [{"pattern": PROSE_PATTERN}, {"pattern": r"\S"}]}),
]

# `from` is a Python keyword, so this TypedDict is written in the call form.
Rebaseline = TypedDict(
    "Rebaseline",
    {
        "date": Annotated[Day, Field(description="The day the target or threshold changed (YYYY-MM-DD).")],
        "from": Annotated[Number, Field(description="The target or threshold before that day.")],
        "reason": Annotated[Reason, Field(description="Why it changed (required, not blank).")],
    },
)
Rebaseline.__doc__ = (
    "A deliberate change of the key result's target or threshold, recorded: on `date`, from the value `from`."
)
# `from` is a keyword, so the functional form, which takes no `with_config` decorator: set what it would set.
Rebaseline.__pydantic_config__ = ConfigDict(extra="forbid")  # type: ignore[attr-defined]


class KeyResult(Strict):
    """A measurable result; its fields make it one kind (`okrctl.key_result_kinds`): a metric, a threshold or a
    milestone. The editor schema describes it from the kinds."""

    id: Slug = Field(description="Identifier, unique in its objective (a slug).")
    title: Text = Field(description="What will be true, with the number in it: 'Cut churn from 5% to 2%'.")
    start: Number | None = Field(None, description="Metric: the value at the start (optional with kpi).")
    target: Number | None = Field(None, description="Metric: the value to reach; below start means a decrease.")
    at_least: Number | None = Field(None, description="Threshold: met while the value is at or above this.")
    at_most: Number | None = Field(None, description="Threshold: met while the value is at or below this.")
    done: Bool | None = Field(None, description="Milestone: whether it is done.")
    done_on: Day | None = Field(None, description="Milestone: the day it was done (YYYY-MM-DD).")
    kpi: KpiRef | None = Field(None, description="OWNER/KPI whose measurements give the value (and the start).")
    checkins: list[Checkin] | None = Field(None, description="Dated values; the latest one counts.")
    current: Number | None = Field(None, description="An undated latest value, instead of check-ins.")
    unit: Prose | None = Field(None, description="The unit of the values, e.g. USD, %, days.")
    weight: Weight = Field(1, description="Relative weight in the objective's score (> 0, default 1).")
    grade: Fraction | None = Field(None, description="A manual score (0-1) that replaces the computed one.")
    grade_note: Prose | None = Field(None, description="Why the manual grade: required with grade.")
    rebaselined: list[Rebaseline] | None = Field(
        None, description="Deliberate changes of the target or threshold, each dated, with the value before and why."
    )

    @cached_property  # the model is frozen; scoring asks for the kind many times per key result
    def kind(self) -> KeyResultKind | None:
        """The kind its fields make, or None when they make none, several or a contradiction (OKR006 says which)."""
        return kind_of(self)


class Objective(Strict):
    """A qualitative, ambitious goal measured by its key results (or rolled up from aligned objectives)."""

    id: Slug = Field(description="Identifier, unique in its file (a slug).")
    title: Text = Field(description="The direction, in words; numbers belong in key results.")
    type: Literal["aspirational", "committed"] = Field(
        "aspirational", description="aspirational (a stretch: ~0.7 is a healthy landing) or committed (expected 1.0)."
    )
    aligns_to: ObjectiveRef | None = Field(
        None, description="OWNER/OBJECTIVE this one contributes to, in the same or an enclosing period."
    )
    guardrails: list[KpiRef] = Field([], description="OWNER/KPI references that must stay healthy meanwhile.")
    weight: Weight = Field(1, description="Relative weight in the owner's score (> 0, default 1).")
    key_results: list[KeyResult] = Field(
        [], description="Two to five key results; none makes a roll-up of the objectives aligned to it."
    )


class OkrFile(Strict):
    """An okrs file: one owner's objectives for one period."""

    kind: Literal["okrs"] = Field(description="okrs: this file holds objectives and key results.")
    period: PeriodLabel = Field(description="2026-Q4, 2026-H2, 2026 (fiscal year), 2026-11, or 2026-10-05..2026-11-15.")
    owner: Slug = Field(description="The team or person whose objectives these are (a slug).")
    level: Literal["company", "department", "team", "individual"] | None = Field(
        None, description="Where the owner sits: company, department, team or individual."
    )
    objectives: Annotated[list[Objective], Field(min_length=1)] = Field(description="The objectives, three to five.")


class Band(Strict):
    """Inclusive bounds: min, max or both."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True, json_schema_extra={"minProperties": 1})

    min: Number | None = Field(None, description="Lowest value inside the band (inclusive).")
    max: Number | None = Field(None, description="Highest value inside the band (inclusive).")

    def model_post_init(self, context: Any, /) -> None:
        if self.min is None and self.max is None:
            raise ValueError("a band needs min, max or both")

    def contains(self, value: float) -> bool:
        return (self.min is None or value >= self.min) and (self.max is None or value <= self.max)


@with_config(ConfigDict(extra="forbid"))
class Measurement(TypedDict):
    """A dated value of a KPI; measurements are kept in date order."""

    date: Annotated[Day, Field(description="The day of the measurement (YYYY-MM-DD).")]
    value: Annotated[Number, Field(description="The measured value.")]
    note: NotRequired[Annotated[Prose | None, Field(description="A short note on the value.")]]


Frequency = Literal["daily", "weekly", "biweekly", "monthly", "quarterly"]
FREQUENCY_DAYS: dict[str, int] = {"daily": 1, "weekly": 7, "biweekly": 14, "monthly": 31, "quarterly": 92}


QUERY_ASKS = {"expr": "prometheus", "sql": "sql", "column": "csv", "command": "command"}  # key → datasource type


class Query(Strict):
    """Where a KPI's value comes from, for `okrctl measure --from-sources`: a datasource of the config and
    what to ask it. `{date}`, `{start}` and `{end}` stand for the measurement day and its range."""

    datasource: Slug = Field(description="The name of a datasource under datasources: in okrctl.yaml.")
    expr: Prose | None = Field(None, description="prometheus: a PromQL expression that gives one number.")
    sql: Prose | None = Field(None, description="sql: a query that returns one row of one number.")
    column: Prose | None = Field(None, description="csv: the name this KPI has in the kpi column of the file.")
    command: Annotated[list[Prose], Field(min_length=1)] | None = Field(
        None, description="command: the program and its arguments (no shell), printing one number."
    )

    def model_post_init(self, context: Any, /) -> None:
        asked = [key for key in QUERY_ASKS if getattr(self, key) is not None]
        if len(asked) != 1:
            given = f"it gives {' and '.join(asked)}" if asked else "it gives none"
            raise ValueError(f"a query asks one thing: expr, sql, column or command ({given})")

    @property
    def asks(self) -> str:
        return next(key for key in QUERY_ASKS if getattr(self, key) is not None)


class Kpi(Strict):
    """A continuous health metric with an owner, a definition, a source, a frequency and a target band."""

    id: Slug = Field(description="Identifier, unique among the owner's KPIs (a slug).")
    title: Text = Field(description="The KPI's name.")
    owner: Slug | None = Field(None, description="The accountable person; defaults to the file's owner.")
    unit: Prose | None = Field(None, description="The unit of the values, e.g. %, USD, /5.")
    definition: Prose | None = Field(None, description="How it is computed: the formula.")
    source: Prose | None = Field(None, description="Where the data comes from.")
    frequency: Frequency | None = Field(
        None, description="How often it is measured: daily, weekly, biweekly, monthly or quarterly."
    )
    green: Band | None = Field(None, description="The healthy band: min only = higher is better, max only = lower.")
    amber: Band | None = Field(None, description="The warning band; must contain the green band.")
    measurements: list[Measurement] = Field([], description="Dated values, in date order.")
    query: Query | None = Field(
        None,
        description="Where okrctl measure --from-sources reads its value: {datasource: NAME, expr|sql|column|command}.",
    )


class KpiFile(Strict):
    """A kpis file: one owner's KPIs (they have no period)."""

    kind: Literal["kpis"] = Field(description="kpis: this file holds KPIs.")
    owner: Slug = Field(description="The team that owns these KPIs; references are OWNER/KPI.")
    kpis: Annotated[list[Kpi], Field(min_length=1)] = Field(description="The KPIs, the vital few.")


MODELS: dict[str, type[OkrFile] | type[KpiFile]] = {"okrs": OkrFile, "kpis": KpiFile}
