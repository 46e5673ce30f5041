"""Inline suppressions: `# okrctl: ignore CODE[, CODE]` on the line of a finding.

A code may be a prefix, as in the config (`OKR1` is every good-practice rule). This module only reads the
comments; the lint engine applies them, and reports a code that names no rule (it would suppress nothing).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

# Linear on any line: each part is a literal or a single-class repetition followed by a different class.
_DIRECTIVE = re.compile(r"#[ \t]*okrctl:[ \t]*ignore\b", re.IGNORECASE)
_WORD = re.compile(r"[^\s,]+")
# What reads as a rule code or prefix (`OKR104`, `OKR1`, `OKR`, a typo such as `OK104`): the list of codes
# ends at the first word that does not, so `# okrctl: ignore OKR104 the title is a name` works.
_CODE_LIKE = re.compile(r"OKR[0-9]*|[A-Z]{1,5}[0-9]+", re.IGNORECASE)


@dataclass(frozen=True)
class Directive:
    line: int
    column: int  # of the `#`
    selectors: tuple[tuple[int, str], ...]  # (column, code or prefix, upper-cased)


def directives(text: str) -> Iterator[Directive]:
    """Every `# okrctl: ignore` comment in `text`, with its codes and their positions (1-based)."""
    if "okrctl:" not in text:  # the usual case, at C speed
        return
    for number, line in enumerate(text.splitlines(), start=1):
        match = _DIRECTIVE.search(line)
        if match is None:
            continue
        selectors = []
        for word in _WORD.finditer(line, match.end()):
            if not _CODE_LIKE.fullmatch(word.group()):
                break
            selectors.append((word.start() + 1, word.group().upper()))
        yield Directive(number, match.start() + 1, tuple(selectors))


def suppressions_in(text: str) -> dict[int, frozenset[str]]:
    """The lines that carry `# okrctl: ignore CODE[, CODE]`, with their codes or prefixes."""
    return {d.line: frozenset(s for _, s in d.selectors) for d in directives(text) if d.selectors}


def suppresses(selectors: frozenset[str], code: str) -> bool:
    return any(code.startswith(selector) for selector in selectors)
