"""Any sequence of check-ins keeps a valid example file valid, and byte-identical except the added lines."""

from __future__ import annotations

import difflib
import re
import shutil
import tempfile
from datetime import date, timedelta
from pathlib import Path

import pytest
from conftest import EXAMPLES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from okrctl.commands.edit import CheckinOptions, EditRefused, run_checkin
from okrctl.commands.lint import collect

# What goal files refuse in free text: C0 and C1 control characters other than tab and newline, bidi controls.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")

# Key results of the acme example that take check-ins (not KPI-fed), and the files they live in.
EDITABLE = {
    "company/revenue-growth/revenue-increase": "goals/2026/company-q4.yaml",
    "company/revenue-growth/deal-size": "goals/2026/company-q4.yaml",
    "sales/acquire/new-revenue": "goals/2026/sales.yaml",
    "sales/acquire/quota-attainment": "goals/2026/sales.yaml",
    "finance/revenue-ops/cac": "goals/2026/finance.yaml",
    "product/adoption/feature-retention": "goals/2026/product.yaml",
    "sales-emea/enterprise-emea/dach-logos": "goals/2026/sales-emea.yaml",
}

numbers = st.one_of(
    st.integers(min_value=-(10**9), max_value=10**9).map(str),
    st.decimals(min_value=-(10**6), max_value=10**6, places=3, allow_nan=False, allow_infinity=False).map(str),
    st.sampled_from(["0.70", "2.00", "1e3", "+5", "0o17", "0x1F"]),
)
notes = st.none() | st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=40)
confidences = st.none() | st.sampled_from(["0", "0.5", "0.70", "1", "1.0"])
days = st.integers(min_value=0, max_value=(min(date.today(), date(2026, 12, 31)) - date(2026, 10, 1)).days)
checkins = st.lists(
    st.tuples(st.sampled_from(sorted(EDITABLE)), numbers, days, confidences, notes), min_size=1, max_size=4
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=checkins)
def test_checkins_only_add_lines_and_keep_the_file_valid(
    steps: list[tuple[str, str, int, str | None, str | None]], monkeypatch: pytest.MonkeyPatch
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "acme"
        shutil.copytree(EXAMPLES / "acme", root)
        originals = {path: (root / path).read_text(encoding="utf-8") for path in set(EDITABLE.values())}
        monkeypatch.chdir(root)
        for ref, value, day, confidence, note in steps:
            options = CheckinOptions(ref, value, date(2026, 10, 1) + timedelta(days=day), confidence, note, None)
            if note is not None and _CONTROL.search(note):
                with pytest.raises(EditRefused, match="--note: holds the control character"):
                    run_checkin(options)
            else:
                assert run_checkin(options) == 0
        result = collect([], date(2026, 12, 31))
        assert [f for f in result.findings if f.severity == "error"] == []
        for path, original in originals.items():
            edited = (root / path).read_text(encoding="utf-8")
            opcodes = difflib.SequenceMatcher(None, original.splitlines(True), edited.splitlines(True)).get_opcodes()
            assert {tag for tag, *_ in opcodes} <= {"equal", "insert"}, path
