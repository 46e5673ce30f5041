"""Paths as the user named them, made absolute by their letters: symbolic links are never resolved.

A link named on the command line (`goals` → `/srv/goals`, or a link to `/`) is judged where it stands, so the
config search, the goals root and the checks that keep okrctl inside them compare paths with these helpers.
`Path.resolve` is for the few checks that are about where a link leads (an edit's target, a link out).
"""

from __future__ import annotations

import os
from pathlib import Path


def absolute_unresolved(path: Path) -> Path:
    """`path` made absolute, with `.` and `..` taken out by their letters (`os.path.abspath`); links kept."""
    return Path(os.path.abspath(path))  # noqa: PTH100 - Path.resolve would follow links; Path.absolute keeps `..`


def same_unresolved(a: Path, b: Path) -> bool:
    """Whether `a` and `b` name the same place, without resolving links (a link and its target differ)."""
    return absolute_unresolved(a) == absolute_unresolved(b)
