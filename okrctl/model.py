"""The goal-file models (SPEC section 1). They validate shape and types; the lint rules judge the rest.

Every model forbids unknown keys. Dates and numbers are strict: the YAML reader keeps dates as strings, and
a quoted number stays a string, so `"12"` for a target is an error rather than a silent conversion.
"""

from __future__ import annotations

import math
import re
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, PlainValidator, WithJsonSchema

from okrctl.periods import PERIOD_FORMS, parse_date, parse_period

SLUG_PATTERN = r"^[a-z0-9][a-z0-9_-]{0,63}$"
_SLUG = re.compile(SLUG_PATTERN)
_SLUG_HELP = "lowercase letters, digits, '-' and '_', starting with a letter or digit, at most 64 characters"


def _slug(value: str) -> str:
    if not _SLUG.match(value):
        raise ValueError(f"{value!r} is not a valid identifier: use {_SLUG_HELP}")
    return value


def _ref(parts: int, example: str) -> Any:
    def check(value: str) -> str:
        pieces = value.split("/")
        if len(pieces) != parts or not all(_SLUG.match(piece) for piece in pieces):
            raise ValueError(f"{value!r} is not a reference: write {example}")
        return value

    return check


def _number(value: object) -> int | float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"expected a number, got {describe(value)}")
    if not math.isfinite(value):
        raise ValueError("expected a finite number")
    return value


def _date(value: object) -> date:
    if isinstance(value, date):
        return value
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


def describe(value: object) -> str:
    """A short, user-facing account of a YAML value's type."""
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"a boolean ({str(value).lower()})"
    if isinstance(value, int | float):
        shown = str(value)
        return f"a number ({shown if len(shown) <= 40 else shown[:37] + '...'})"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f"text ({shown!r})"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


Slug = Annotated[str, AfterValidator(_slug), WithJsonSchema({"type": "string", "pattern": SLUG_PATTERN})]
ObjectiveRef = Annotated[str, AfterValidator(_ref(2, "OWNER/OBJECTIVE, e.g. company/revenue"))]
KpiRef = Annotated[str, AfterValidator(_ref(2, "OWNER/KPI, e.g. support/csat"))]
Number = Annotated[int | float, PlainValidator(_number), WithJsonSchema({"type": "number"})]
Weight = Annotated[Number, Field(gt=0)]
Fraction = Annotated[Number, Field(ge=0, le=1)]
Day = Annotated[date, PlainValidator(_date), WithJsonSchema({"type": "string", "format": "date"})]
Bool = Annotated[bool, PlainValidator(_bool), WithJsonSchema({"type": "boolean"})]
Text = Annotated[str, Field(min_length=1)]
PeriodLabel = Annotated[str, PlainValidator(_period), WithJsonSchema({"type": ["string", "integer"]})]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Checkin(Strict):
    date: Day
    value: Number
    confidence: Fraction | None = None
    note: str | None = None


KeyResultKind = Literal["metric", "threshold", "milestone"]


class KeyResult(Strict):
    id: Slug
    title: Text
    # metric
    start: Number | None = None
    target: Number | None = None
    # threshold
    at_least: Number | None = None
    at_most: Number | None = None
    # milestone
    done: Bool | None = None
    done_on: Day | None = None
    # where a metric or threshold value comes from
    kpi: KpiRef | None = None
    checkins: list[Checkin] | None = None
    current: Number | None = None
    unit: str | None = None
    weight: Weight = 1
    grade: Fraction | None = None
    grade_note: str | None = None

    @property
    def kind(self) -> KeyResultKind | None:
        """The kind its fields declare, or None when they declare none or several (see `kind_problem`)."""
        return None if self.kind_problem() else self._families()[0]

    def _families(self) -> list[KeyResultKind]:
        families: list[KeyResultKind] = []
        if self.start is not None or self.target is not None:
            families.append("metric")
        if self.at_least is not None or self.at_most is not None:
            families.append("threshold")
        if self.done is not None or self.done_on is not None:
            families.append("milestone")
        return families

    def kind_problem(self) -> str | None:
        """Why the fields do not make exactly one key-result kind, or None when they do."""
        families = self._families()
        if not families:
            return (
                "declares no kind: give start and target (metric), at_least or at_most (threshold), or done (milestone)"
            )
        if len(families) > 1:
            return f"mixes the {' and '.join(families)} kinds: keep the fields of one"
        kind = families[0]
        if kind == "metric":
            if self.target is None:
                return "a metric key result needs a target"
            if self.start is None and self.kpi is None:
                return "a metric key result needs a start (or a kpi to take it from)"
        elif kind == "threshold":
            if self.at_least is not None and self.at_most is not None:
                return "a threshold key result takes at_least or at_most, not both"
        elif self.done is None:
            return "a milestone key result needs done: true or false"
        elif self.kpi is not None or self.checkins is not None or self.current is not None:
            return "a milestone key result has no value: drop kpi, checkins and current"
        if self.current is not None and self.checkins is not None:
            return "has both current and checkins: keep one (check-ins keep the history)"
        return None


class Objective(Strict):
    id: Slug
    title: Text
    type: Literal["aspirational", "committed"] = "aspirational"
    aligns_to: ObjectiveRef | None = None
    guardrails: list[KpiRef] = []
    weight: Weight = 1
    key_results: list[KeyResult] = []


class OkrFile(Strict):
    kind: Literal["okrs"]
    period: PeriodLabel
    owner: Slug
    level: Literal["company", "department", "team", "individual"] | None = None
    objectives: Annotated[list[Objective], Field(min_length=1)]


class Band(Strict):
    min: Number | None = None
    max: Number | None = None

    def model_post_init(self, context: Any, /) -> None:
        if self.min is None and self.max is None:
            raise ValueError("a band needs min, max or both")

    def contains(self, value: float) -> bool:
        return (self.min is None or value >= self.min) and (self.max is None or value <= self.max)


class Measurement(Strict):
    date: Day
    value: Number
    note: str | None = None


Frequency = Literal["daily", "weekly", "biweekly", "monthly", "quarterly"]
FREQUENCY_DAYS: dict[str, int] = {"daily": 1, "weekly": 7, "biweekly": 14, "monthly": 31, "quarterly": 92}


class Kpi(Strict):
    id: Slug
    title: Text
    owner: Slug | None = None
    unit: str | None = None
    definition: str | None = None
    source: str | None = None
    frequency: Frequency | None = None
    green: Band | None = None
    amber: Band | None = None
    measurements: list[Measurement] = []


class KpiFile(Strict):
    kind: Literal["kpis"]
    owner: Slug
    kpis: Annotated[list[Kpi], Field(min_length=1)]


GoalModel = OkrFile | KpiFile
MODELS: dict[str, type[OkrFile] | type[KpiFile]] = {"okrs": OkrFile, "kpis": KpiFile}
