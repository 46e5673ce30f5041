"""The one finding type shared by every rule and every reporter."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Problem:
    """What a rule (or the loader) says: where and what. The engine adds code, name and severity."""

    path: str
    line: int
    column: int
    message: str
    # The severity in force unless the config sets one for the code; None: the rule's default severity.
    severity: Severity | None = field(default=None, compare=False)


@dataclass(frozen=True, order=True)
class Finding:
    path: str
    line: int
    column: int
    code: str
    name: str
    severity: Severity
    message: str
