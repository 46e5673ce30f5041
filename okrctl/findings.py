"""The one finding type shared by every rule and every reporter, and lint's result.

Light on purpose: a lint run that reuses its remembered result imports this, not the rules or the models."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from okrctl.git import Commit

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
    # A history rule's: the commit the problem is about, and the reference of the goal it moved.
    commit: Commit | None = field(default=None, compare=False)
    ref: str | None = field(default=None, compare=False)


@dataclass(frozen=True, order=True)
class Finding:
    path: str
    line: int
    column: int
    code: str
    name: str
    severity: Severity
    message: str
    # A history rule's (OKR401-OKR405): the commit and the goal's reference, for `okrctl notify`'s goal posts;
    # not part of what the reports print (`finding_fields`).
    commit: Commit | None = field(default=None, compare=False, repr=False)
    ref: str | None = field(default=None, compare=False, repr=False)


def finding_fields(finding: Finding) -> dict[str, Any]:
    """A finding as the JSON reports print it: path, line, column, code, name, severity and message."""
    fields = asdict(finding)
    del fields["commit"], fields["ref"]
    return fields


@dataclass
class LintResult:
    findings: list[Finding]
    paths: list[str]  # the goal files checked
    skipped: list[str] = field(default_factory=list)  # named on the command line, but not goal files
    searched: list[str] = field(default_factory=list)  # the paths looked in (default: the goals root)

    @property
    def files(self) -> int:
        return len(self.paths)

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity == "error")

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f.severity == "warning")


def plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"
