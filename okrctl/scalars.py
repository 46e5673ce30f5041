"""The checks of YAML values that the config shares with the goal-file models: numbers, fractions, and how a
value of the wrong type is described.

Apart from the models so that reading the config does not build them: a lint run that reuses its remembered
result needs the config, not the models.
"""

from __future__ import annotations

import math
from typing import Annotated

from pydantic import Field, PlainValidator, WithJsonSchema


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


def _number(value: object) -> int | float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"expected a number, got {describe(value)}")
    try:
        finite = math.isfinite(value)
    except OverflowError:  # an integer of over 308 digits: no float holds it
        raise ValueError(f"number out of range: {describe(value)} is beyond what okrctl computes with") from None
    if not finite:
        raise ValueError("expected a finite number")
    return value


Number = Annotated[int | float, PlainValidator(_number), WithJsonSchema({"type": "number"})]
# Each constrained number restates its bounds for the editor schema: WithJsonSchema replaces the whole schema.
Fraction = Annotated[Number, Field(ge=0, le=1), WithJsonSchema({"type": "number", "minimum": 0, "maximum": 1})]
