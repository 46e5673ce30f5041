"""Float arithmetic every score shares: comparisons that forgive rounding, clamping, and overflow-safe floats.

Scores, gaps and thresholds equal on paper can differ in the last bits of a float (0.6 + 0.7 + 0.8 over 3 is
0.6999999999999998 in plain arithmetic): every boundary is compared through `at_least` / `at_most`, which treat
values within `TOLERANCE` of each other (relative, or 1e-12 near zero) as equal.
"""

from __future__ import annotations

import math
import sys
from fractions import Fraction

TOLERANCE = 1e-9


def is_number(value: object) -> bool:
    """A number as YAML and JSON give it: an int or a float, and not a boolean (which Python counts as an int)."""
    return isinstance(value, int | float) and not isinstance(value, bool)


def at_least(value: float, bound: float) -> bool:
    """value ≥ bound, counting values equal but for floating-point rounding as equal."""
    return value >= bound or math.isclose(value, bound, rel_tol=TOLERANCE, abs_tol=1e-12)


def at_most(value: float, bound: float) -> bool:
    """value ≤ bound, counting values equal but for floating-point rounding as equal."""
    return at_least(bound, value)


def clamp(value: float) -> float:
    return min(1.0, max(0.0, value))


def finite(value: Fraction) -> float:
    """The float nearest an exact value; past the float range, the largest finite float of its sign."""
    try:
        return float(value)
    except OverflowError:
        return sys.float_info.max if value > 0 else -sys.float_info.max
