"""Any sequence of check-ins keeps a valid example file valid, one entry per date in date order, and
byte-identical except the added lines (and, with --replace, the replaced values)."""

from __future__ import annotations

import difflib
import re
import shutil
import tempfile
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from conftest import EXAMPLES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from okrctl.commands.common import load_for_editing
from okrctl.commands.edit import CheckinOptions, EditRefused, run_checkin
from okrctl.commands.lint import collect
from okrctl.project import Project
from okrctl.yamlread import resolve_plain

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
    st.sampled_from(["0.70", "2.00", "1e3", "+5", "0o17", "0x1F", "-5"]),
)
notes = st.none() | st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=40)
confidences = st.none() | st.sampled_from(["0", "0.5", "0.70", "1", "1.0"])
LAST_DAY = (min(date.today(), date(2026, 12, 31)) - date(2026, 10, 1)).days
# Days of check-ins the example already has (10-10, 10-15, 10-24, …) come up often, so dates collide.
days = st.one_of(st.sampled_from([9, 14, 23, 29, 37, 43, 50]), st.integers(min_value=0, max_value=LAST_DAY)).filter(
    lambda day: day <= LAST_DAY
)
# (ref, value, day, confidence, note, --replace, again: repeat the previous step's ref, value and day)
Step = tuple[str, str, int, str | None, str | None, bool, bool]
checkins = st.lists(
    st.tuples(st.sampled_from(sorted(EDITABLE)), numbers, days, confidences, notes, st.booleans(), st.booleans()),
    min_size=1,
    max_size=5,
)


def _checkins_by_ref() -> dict[str, list[Any]]:
    project = Project([f for f in load_for_editing([]).files if f.valid])
    return {
        f"{entry.ref}/{kr.id}": list(kr.checkins or [])
        for entry in project.objectives
        for kr in entry.objective.key_results
        if f"{entry.ref}/{kr.id}" in EDITABLE
    }


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=checkins)
def test_checkins_upsert_by_date_in_date_order_and_keep_the_file_valid(
    steps: list[Step], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each step does what a model of "one entry per date" predicts: add in date order, leave an equal value
    alone, refuse another value without --replace, replace it with; lines are only added unless replaced."""
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "acme"
        shutil.copytree(EXAMPLES / "acme", root)
        originals = {path: (root / path).read_text(encoding="utf-8") for path in set(EDITABLE.values())}
        monkeypatch.chdir(root)
        model = {ref: {row["date"]: row for row in rows} for ref, rows in _checkins_by_ref().items()}
        replaced = False
        previous: Step | None = None
        for step in steps:
            ref, value, day, confidence, note, replace, again = step
            if again and previous is not None:
                ref, value, day = previous[:3]
            previous = (ref, value, day, confidence, note, replace, again)
            when = date(2026, 10, 1) + timedelta(days=day)
            options = CheckinOptions(ref, value, when, confidence, note, None, replace)
            new = {"date": when, "value": resolve_plain(value)}
            new |= {"confidence": resolve_plain(confidence)} if confidence is not None else {}
            new |= {"note": note} if note is not None else {}
            old = model[ref].get(when)
            if note is not None and _CONTROL.search(note):
                with pytest.raises(EditRefused, match="--note: holds the control character"):
                    run_checkin(options)
            elif old is None or all(old.get(key) == given for key, given in new.items()):
                assert run_checkin(options) == 0
                model[ref][when] = old or new
            elif not replace:
                with pytest.raises(EditRefused, match="to replace it, run the command again with --replace"):
                    run_checkin(options)
            else:
                assert run_checkin(options) == 0
                model[ref][when] = {**old, **new}
                replaced = True
        result = collect([], date(2026, 12, 31))
        assert [f for f in result.findings if f.severity == "error"] == []
        for ref, rows in _checkins_by_ref().items():
            assert [row["date"] for row in rows] == sorted(row["date"] for row in rows), ref
            assert {row["date"]: row for row in rows} == model[ref], ref
        allowed = {"equal", "insert", "replace"} if replaced else {"equal", "insert"}
        for path, original in originals.items():
            edited = (root / path).read_text(encoding="utf-8")
            opcodes = difflib.SequenceMatcher(None, original.splitlines(True), edited.splitlines(True)).get_opcodes()
            assert {tag for tag, *_ in opcodes} <= allowed, path
            assert len(edited.splitlines()) >= len(original.splitlines()), path
