"""The plain lint report shares its lines with the table reports, yet loads no Rich: Rich is a tenth of the
start-up of a one-file lint, and is imported only for colour or for text beyond ASCII in a table."""

from __future__ import annotations

import subprocess
import sys

from okrctl.findings import Finding
from okrctl.reporters.layout import cell_len, plain
from okrctl.reporters.text import _plain_line, finding_segments


def test_importing_the_lint_text_reporter_loads_no_rich() -> None:
    """A fresh interpreter: this one has loaded Rich for other tests."""
    code = "import sys, okrctl.reporters.text; print(sorted(m for m in sys.modules if m.split('.')[0] == 'rich'))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout == "[]\n"


def test_a_finding_line_is_a_layout_line() -> None:
    line = finding_segments(Finding("a.yaml", 3, 5, "OKR105", "long-objective", "warning", "数据 too long"))
    assert plain(line) == "a.yaml:3:5 OKR105 warning 数据 too long (long-objective)"
    assert cell_len(plain(line)) == len(plain(line)) + 2  # two wide characters, measured by Rich when needed


def test_a_plain_finding_line_is_its_segments_joined() -> None:
    """Plain text is built without segments, for speed: the same line, escapes and folds included."""
    findings = [
        Finding("a.yaml", 3, 5, "OKR105", "long-objective", "warning", "数据 too long"),
        Finding("we\tird\x1b[2J.yaml", 1, 1, "OKR001", "yaml-syntax", "error", "a\nb\u202ec ::error::x"),
    ]
    for finding in findings:
        assert _plain_line(finding) == plain(finding_segments(finding))
