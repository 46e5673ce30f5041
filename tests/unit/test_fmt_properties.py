"""Properties of `okrctl fmt` over goal files written every which way: it is idempotent, keeps the data and the
model, keeps every comment's text, and agrees with `checkin`/`measure`: formatting then editing gives the same
bytes as editing then formatting."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

from okrctl.commands.edit import CheckinOptions, MeasureOptions, run_checkin, run_measure
from okrctl.errors import UserError
from okrctl.fmt import format_text
from okrctl.model import MODELS
from okrctl.splice import double_quoted, plain_safe
from okrctl.yamlread import parse_yaml

# -- goal files as data, with comments, written in one of many layouts ---------------------------------------


@dataclass
class Node:
    """A mapping (entries: key → Node), a sequence (items) or a scalar (`text`: as written), with comments."""

    entries: list[tuple[str, Node]] | None = None
    items: list[Node] | None = None
    text: str = ""
    flow: bool = False
    above: str = ""  # a comment line above this entry or item
    eol: str = ""  # a comment at the end of its line (scalars and flow collections)


_comment_numbers = iter(range(10**9))


def _comment(draw: Any) -> str:
    word: str = draw(st.sampled_from(["note", "why: this", "a, b", "#hash", "end"]))
    return f"# c{next(_comment_numbers)} {word}"


words = st.text(alphabet="abcdefgh XYZ019:#,'\"-%/éß", min_size=1, max_size=24).filter(lambda s: s.strip() != "")


@st.composite
def strings(draw: Any, allow_plain: bool = True) -> str:
    value: str = draw(words)
    style = draw(st.sampled_from(["plain", "double", "single"]))
    if style == "plain" and allow_plain and plain_safe(value):
        return value
    if style == "single":
        return "'" + value.replace("'", "''") + "'"
    return double_quoted(value)


numbers = st.sampled_from(["0", "1", "2.5", "100", "-3", "1e3", "0.70", "42"])
slugs = st.sampled_from(["alpha", "beta", "gamma", "delta", "eps"])


@st.composite
def scalar_with_comment(draw: Any, text: str) -> Node:
    return Node(text=text, eol=_comment(draw) if draw(st.booleans()) else "")


@st.composite
def dated_rows(draw: Any, extra: tuple[str, ...]) -> Node:
    """Check-ins or measurements: distinct dates in order, flow or block items."""
    offsets = sorted(draw(st.sets(st.integers(0, 40), max_size=4)))
    flow_items = draw(st.booleans())
    items = []
    for offset in offsets:
        day = (date(2026, 10, 1) + timedelta(days=offset)).isoformat()
        entries = [
            ("date", Node(text=draw(st.sampled_from([day, f'"{day}"'])))),
            (
                "value",
                Node(text=draw(numbers), eol=_comment(draw) if not flow_items and not draw(st.integers(0, 5)) else ""),
            ),
        ]
        if "note" in extra and draw(st.booleans()):
            entries.append(("note", Node(text=draw(strings()))))
        if draw(st.booleans()):
            entries = draw(st.permutations(entries))
        items.append(
            Node(
                entries=entries,
                flow=flow_items,
                above=_comment(draw) if draw(st.integers(0, 4)) == 0 else "",
                eol=_comment(draw) if flow_items and draw(st.integers(0, 4)) == 0 else "",
            )
        )
    return Node(items=items, eol=_comment(draw) if not items and draw(st.booleans()) else "")


def _entries(draw: Any, entries: list[tuple[str, Node]]) -> list[tuple[str, Node]]:
    if draw(st.integers(0, 3)) == 0:
        entries = draw(st.permutations(entries))
    for _, node in entries:
        if draw(st.integers(0, 5)) == 0:
            node.above = _comment(draw)
    return entries


@st.composite
def okrs_files(draw: Any) -> Node:
    objectives = []
    for number in range(draw(st.integers(1, 3))):
        key_results = []
        for kr_number in range(draw(st.integers(1, 2))):
            entries = [
                ("id", Node(text=f"kr{kr_number}")),
                ("title", draw(scalar_with_comment(draw(strings())))),
                ("start", Node(text="0")),
                ("target", Node(text="100")),
            ]
            if draw(st.booleans()):
                entries.append(("unit", Node(text=draw(st.sampled_from(['"%"', "USD", '"/10"', "'%'"])))))
            if draw(st.booleans()):
                entries.append(("checkins", draw(dated_rows(("note",)))))
            key_results.append(Node(entries=_entries(draw, entries), above=_comment(draw) if kr_number else ""))
        entries = [
            ("id", Node(text=f"o{number}")),
            ("title", draw(scalar_with_comment(draw(strings())))),
            ("key_results", Node(items=key_results)),
        ]
        if draw(st.booleans()):
            entries.append(("weight", Node(text="2")))
        objectives.append(Node(entries=_entries(draw, entries), above=_comment(draw) if draw(st.booleans()) else ""))
    top = [
        ("kind", Node(text="okrs")),
        ("period", Node(text=draw(st.sampled_from(["2026-Q4", '"2026-Q4"'])))),
        ("owner", Node(text=draw(slugs))),
        ("objectives", Node(items=objectives)),
    ]
    return Node(entries=_entries(draw, top))


@st.composite
def kpis_files(draw: Any) -> Node:
    kpis = []
    for number in range(draw(st.integers(1, 3))):
        entries = [
            ("id", Node(text=f"k{number}")),
            ("title", draw(scalar_with_comment(draw(strings())))),
            ("unit", Node(text=draw(st.sampled_from(['"%"', "hours"])))),
            ("green", Node(text=draw(st.sampled_from(["{min: 5}", "{max: 3}"])))),
            ("measurements", draw(dated_rows(("note",)))),
        ]
        kpis.append(Node(entries=_entries(draw, entries), above=_comment(draw) if draw(st.booleans()) else ""))
    top = [("kind", Node(text="kpis")), ("owner", Node(text=draw(slugs))), ("kpis", Node(items=kpis))]
    return Node(entries=_entries(draw, top))


def _flow(node: Node) -> str:
    assert node.entries is not None
    return "{" + ", ".join(f"{key}: {value.text}" for key, value in node.entries) + "}"


def render(node: Node, dash: int, blank: bool) -> str:
    """The file's text: sequences' dashes `dash` spaces in from their key, a blank line between top items
    when `blank`."""
    lines: list[str] = []

    def eol(text: str) -> str:
        return f"  {text}" if text else ""

    def mapping(entries: list[tuple[str, Node]], indent: int, first: str | None = None) -> None:
        for index, (key, value) in enumerate(entries):
            lead = first if index == 0 and first is not None else " " * indent
            if value.above and not (index == 0 and first is not None):
                lines.append(" " * indent + value.above)
            if value.items is not None:
                if not value.items:
                    lines.append(f"{lead}{key}: []{eol(value.eol)}")
                    continue
                lines.append(f"{lead}{key}:")
                sequence(value.items, indent + dash, top=False)
            else:
                lines.append(f"{lead}{key}: {value.text}{eol(value.eol)}")

    def sequence(items: list[Node], column: int, top: bool) -> None:
        for number, item in enumerate(items):
            if top and blank and number:
                lines.append("")
            if item.above:
                lines.append(" " * column + item.above)
            assert item.entries is not None
            if item.flow:
                lines.append(" " * column + "- " + _flow(item) + eol(item.eol))
            else:
                mapping(item.entries, column + 2, first=" " * column + "- ")

    assert node.entries is not None
    for key, value in node.entries:
        if value.above:
            lines.append(value.above)
        if value.items is not None:
            lines.append(f"{key}:")
            sequence(value.items, dash, top=True)
        else:
            lines.append(f"{key}: {value.text}{eol(value.eol)}")
    return "\n".join(lines) + "\n"


layouts = st.tuples(st.one_of(okrs_files(), kpis_files()), st.sampled_from([0, 2, 4]), st.booleans())

_COMMENT_TAG = re.compile(r"# c[0-9]+")


def _model(text: str) -> Any:
    data = parse_yaml(text)
    return data, MODELS[data["kind"]].model_validate(data)


# -- the properties -------------------------------------------------------------------------------------------


@settings(max_examples=150, deadline=None)
@given(layout=layouts)
def test_fmt_is_idempotent_and_keeps_the_data_the_model_and_every_comment(layout: tuple[Node, int, bool]) -> None:
    node, dash, blank = layout
    text = render(node, dash, blank)
    note(text)
    data, model = _model(text)
    formatted = format_text(text)
    assert format_text(formatted) == formatted
    assert _model(formatted) == (data, model)
    before = sorted(line.strip() for line in text.splitlines() if _COMMENT_TAG.search(line))
    after_tags = sorted(_COMMENT_TAG.findall(formatted))
    assert after_tags == sorted(_COMMENT_TAG.findall(text))
    comments = sorted(text[text.index(tag) :].split("\n")[0] for tag in after_tags)
    assert comments == sorted(formatted[formatted.index(tag) :].split("\n")[0] for tag in after_tags)
    assert len(before) == len(after_tags)


def _edit(folder: Path, text: str, kind: str, owner: str, item: str, day: date, note: str | None) -> str:
    path = folder / "goals.yaml"
    path.write_text(text, encoding="utf-8")
    if kind == "okrs":
        run_checkin(CheckinOptions(f"{owner}/{item}", "7", day, None, note, None))
    else:
        run_measure(MeasureOptions(f"{owner}/{item}", "7", day, note))
    return path.read_text(encoding="utf-8")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    layout=layouts,
    offset=st.integers(0, 45),
    note_text=st.none()
    | st.text(alphabet="abc XYZ09:#,'\"-%éß", min_size=1, max_size=20).filter(lambda s: s.strip() != ""),
    which=st.integers(0, 10),
)
def test_formatting_then_editing_equals_editing_then_formatting(
    layout: tuple[Node, int, bool],
    offset: int,
    note_text: str | None,
    which: int,
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    node, dash, blank = layout
    text = render(node, dash, blank)
    note(text)
    data, model = _model(text)
    if data["kind"] == "okrs":
        refs = [f"{o.id}/{kr.id}" for o in model.objectives for kr in o.key_results]
    else:
        refs = [kpi.id for kpi in model.kpis]
    item = refs[which % len(refs)]
    day = date(2026, 10, 1) + timedelta(days=offset)
    folder = tmp_path_factory.mktemp("edit")
    (folder / "okrctl.yaml").write_text("lint: {checkin_days: 999}\n")
    monkeypatch.chdir(folder)
    try:
        edited_first = format_text(_edit(folder, text, data["kind"], model.owner, item, day, note_text))
    except UserError as error:  # a refused edit (a date already recorded with another value) is refused either way
        with pytest.raises(type(error)):
            _edit(folder, format_text(text), data["kind"], model.owner, item, day, note_text)
        return
    assert _edit(folder, format_text(text), data["kind"], model.owner, item, day, note_text) == edited_first
