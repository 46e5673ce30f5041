"""`okrctl fmt`'s core: one canonical layout for goal files (pure: text in, text out).

The layout is made by ruamel.yaml's round trip, which keeps comments, then checked: the result is read back
with okrctl's own reader and must hold the same data (and so the same model) and the same comments, each
beside the same key or item, or the file is refused (`FormatRefused`) rather than changed.

The layout:

- keys in the order of the schema (unknown keys kept, after the known ones), except that check-ins and
  measurements come last in their key result or KPI: that is where `okrctl checkin` and `okrctl measure` add a
  new list, so an edit of a formatted file leaves it formatted;
- two-space indentation, sequences indented under their key (`indent(mapping=2, sequence=4, offset=2)`);
  objectives, key results and KPIs in block style; each check-in and measurement one flow mapping per line;
- dates unquoted; a string in a block is quoted only when YAML 1.2 requires it, with double quotes; inside a
  check-in or measurement, a string is written as `checkin` writes it (plain when it starts with a letter and
  holds nothing YAML reads otherwise, else double-quoted);
- one blank line between objectives and between KPIs (above the comments directly above each), elsewhere
  blank lines kept but never two in a row, none at the start or the end; lines are never folded;
- the file's line ending (its first), a final newline.

Comment lines and blank lines go round the round trip (see "comment lines and blank lines" below); a check-in
or measurement that holds a comment stays a block mapping. When the canonical layout still fails the check, the
file is laid out with its keys and styles as they are, else refused. Files that are not goal files (no
`kind: okrs` or `kind: kpis`) come back unchanged. Refused: text the reader refuses (syntax errors, duplicate
keys, anchors and aliases, several documents), `%YAML`/`%TAG` directives and explicit tags (`!!str 12`), which
the round trip would drop. A single document's `---` and `...` markers are kept.
"""

from __future__ import annotations

import bisect
import io
import re
from collections import Counter
from collections.abc import Iterator
from datetime import date
from typing import Any, NamedTuple

import yaml
from pydantic import ValidationError
from ruamel.yaml.emitter import RoundTripEmitter
from yaml.events import DocumentEndEvent, DocumentStartEvent, NodeEvent, ScalarEvent

from okrctl.errors import UserError
from okrctl.model import (
    MODELS,
    Band,
    Checkin,
    KeyResult,
    Kpi,
    KpiFile,
    Measurement,
    Objective,
    OkrFile,
    Query,
    Rebaseline,
)
from okrctl.splice import double_quoted, plain_safe
from okrctl.yamlread import YamlMap, YamlSeq, YamlSyntaxError, parse_yaml


class FormatRefused(UserError):
    """A file fmt will not rewrite; `line` and `column` say where (1-based)."""

    def __init__(self, line: int, column: int, message: str) -> None:
        super().__init__(f"{line}:{column}: {message}")
        self.line = line
        self.column = column
        self.message = message


def _history_last(fields: list[str], history: str) -> tuple[str, ...]:
    return (*[name for name in fields if name != history], history)


_STR_TAG = "tag:yaml.org,2002:str"
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_TOP_KEYS = {"okrs": tuple(OkrFile.model_fields), "kpis": tuple(KpiFile.model_fields)}
_OBJECTIVE_KEYS = tuple(Objective.model_fields)
_KEY_RESULT_KEYS = _history_last(list(KeyResult.model_fields), "checkins")
_KPI_KEYS = _history_last(list(Kpi.model_fields), "measurements")
_CHECKIN_KEYS = tuple(Checkin.__annotations__)
_MEASUREMENT_KEYS = tuple(Measurement.__annotations__)
_REBASELINE_KEYS = tuple(Rebaseline.__annotations__)
_BAND_KEYS = tuple(Band.model_fields)
_QUERY_KEYS = tuple(Query.model_fields)


def format_text(text: str) -> str:
    """`text` (a goal file, without its BOM) in the canonical layout; other YAML comes back unchanged.

    Raises FormatRefused when the text does not parse, holds what the layout would lose, or when the result
    would not mean the same.
    """
    formatted = format_goal(text)
    return text if formatted is None else formatted


def format_goal(text: str) -> str | None:
    """`format_text`, but None when `text` is not a goal file (no `kind: okrs` or `kind: kpis` at its top)."""
    data = _read(text)
    if not isinstance(data, YamlMap) or data.get("kind") not in MODELS:
        return None
    kind = data["kind"]
    markers = _markers(text)
    eol = _first_line_ending(text)
    work = text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text
    bare, aside = _set_aside(work, data if work is text else parse_yaml(work), markers)
    comments = _comments(text, data)
    refusal = "the layout would move a comment away from its key or item"
    for canonical in (True, False):
        result = _put_back(_layout(bare, kind, canonical, markers), aside, kind, markers)
        if result is None:
            refusal = "the layout would not read back, or would lose a comment's place"
            continue
        if eol != "\n":
            result = result.replace("\n", eol)
        if result == text:
            return text
        formatted = _read_back(result)
        if not _same(data, formatted):
            refusal = "the layout would change what the file means"  # ruamel.yaml and okrctl read it differently
            continue
        if _comments(result, formatted) == comments:
            _check_model(kind, data, formatted)
            return result
    raise FormatRefused(1, 1, f"{refusal}; fmt leaves it as it is")


# -- reading and refusing --------------------------------------------------------------------------


def _read(text: str) -> Any:
    try:
        return parse_yaml(text)
    except YamlSyntaxError as error:
        raise FormatRefused(error.line, error.column, error.message) from None


def _read_back(text: str) -> Any:
    try:
        return parse_yaml(text)
    except YamlSyntaxError as error:  # ruamel.yaml wrote what okrctl does not read: never write it
        raise FormatRefused(1, 1, f"the layout would not read back ({error}); fmt leaves it as it is") from None


def _events(text: str) -> Iterator[Any]:
    loader = yaml.CBaseLoader(text)
    try:
        while loader.check_event():
            yield loader.get_event()
    finally:
        loader.dispose()


class _Markers(NamedTuple):
    start: int  # the 1-based line of an explicit document start (`---`), else 0
    end: bool  # whether the document has an explicit end (`...`)


def _markers(text: str) -> _Markers:
    """Where the document's explicit start (`---`) and end (`...`) are; refuses directives and tags."""
    start, end = 0, False
    event: Any
    for event in _events(text):
        where = (event.start_mark.line + 1, event.start_mark.column + 1)
        if isinstance(event, DocumentStartEvent):
            if event.version or event.tags:
                raise FormatRefused(*where, "a %YAML or %TAG directive: fmt does not rewrite files with directives")
            start = where[0] if event.explicit else 0
        elif isinstance(event, DocumentEndEvent):
            end = bool(event.explicit)
        elif isinstance(event, NodeEvent) and getattr(event, "tag", None) is not None:
            raise FormatRefused(
                *where,
                f"the explicit tag {getattr(event, 'tag', '')!r}: fmt does not rewrite files with tags (write the value without it)",
            )
    return _Markers(start, end)


def _first_line_ending(text: str) -> str:
    found = re.search("\r\n|\r|\n", text)
    return found.group() if found else "\n"


def _same(before: Any, after: Any) -> bool:
    """Equal data, types included: 1 and 1.0 differ, and so do "1" and 1; NaN equals NaN."""
    if type(before) is not type(after):
        return False
    if isinstance(before, dict):
        return before.keys() == after.keys() and all(_same(before[key], after[key]) for key in before)
    if isinstance(before, list):
        return len(before) == len(after) and all(map(_same, before, after))
    if isinstance(before, float) and before != before:
        return bool(after != after)
    return bool(before == after)


def _check_model(kind: str, before: Any, after: Any) -> None:
    """The validated models of both versions must be equal (when the original validates at all)."""
    model = MODELS[kind]
    try:
        original = model.model_validate(before)
    except ValidationError:
        return  # an invalid file keeps its data, compared above; lint says what is wrong with it
    try:
        formatted = model.model_validate(after)
    except ValidationError:
        formatted = None
    if formatted != original:
        raise FormatRefused(1, 1, "the layout would change the file's model; fmt leaves it as it is")


# -- the layout ------------------------------------------------------------------------------------


def _layout(text: str, kind: str, canonical: bool, markers: _Markers) -> str:
    from ruamel.yaml import YAML

    round_trip = YAML(typ="rt")
    round_trip.Emitter = _Emitter
    round_trip.indent(mapping=2, sequence=4, offset=2)
    round_trip.width = 1 << 30  # never fold a line
    round_trip.explicit_start = bool(markers.start) or None
    round_trip.explicit_end = markers.end or None
    try:
        root = round_trip.load(text)
        _arrange(root, kind, canonical)
        stream = io.StringIO()
        round_trip.dump(root, stream)
    except Exception as error:  # the round trip failed on text okrctl reads: refuse, never guess
        message = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise FormatRefused(1, 1, f"ruamel.yaml cannot lay it out ({message}); fmt leaves it as it is") from None
    return stream.getvalue()


def _arrange(root: Any, kind: str, canonical: bool) -> None:
    """Order keys and set styles in ruamel.yaml's tree (keys keep their order unless `canonical`)."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    def mapping(node: Any, keys: tuple[str, ...], block: bool = True) -> bool:
        if not isinstance(node, CommentedMap):
            return False
        if canonical:
            wanted = [key for key in keys if key in node] + [key for key in node if key not in keys]
            if list(node) != wanted:
                for key in wanted:
                    node.move_to_end(key)
            if block:
                node.fa.set_block_style()
        return True

    def items(node: Any) -> list[Any]:
        if not isinstance(node, CommentedSeq):
            return []
        if canonical and node:  # an empty list stays `[]` (ruamel.yaml would write `[]` below its key)
            node.fa.set_block_style()
        return list(node)

    def day(node: Any, key: str) -> None:
        value = node.get(key)
        if isinstance(value, str) and _ISO_DATE.fullmatch(value):
            try:
                parsed = date.fromisoformat(value)
            except ValueError:
                return
            if parsed.isoformat() == value:
                node[key] = parsed  # written unquoted; okrctl reads either as the same text

    def history(node: Any, keys: tuple[str, ...]) -> None:
        # An item that holds a comment (at the end of one of its lines) stays a block mapping: a flow mapping has
        # no place for it. `checkin` writes a flow mapping beside such an item (`editing._plain_block`).
        for item in items(node):
            if mapping(item, keys, block=False):
                day(item, "date")
                if canonical and not item.ca.items:
                    item.fa.set_flow_style()
                for key, value in item.items():  # quoted as `checkin` quotes a note, flow or block
                    if type(value) is str and not plain_safe(value):
                        item[key] = DoubleQuotedScalarString(value)

    if not mapping(root, _TOP_KEYS[kind]):
        return
    if kind == "okrs":
        for objective in items(root.get("objectives")):
            if not mapping(objective, _OBJECTIVE_KEYS):
                continue
            for key_result in items(objective.get("key_results")):
                if not mapping(key_result, _KEY_RESULT_KEYS):
                    continue
                day(key_result, "done_on")
                history(key_result.get("checkins"), _CHECKIN_KEYS)
                for change in items(key_result.get("rebaselined")):
                    if mapping(change, _REBASELINE_KEYS, block=False):
                        day(change, "date")
        return
    for kpi in items(root.get("kpis")):
        if not mapping(kpi, _KPI_KEYS):
            continue
        for band in ("green", "amber"):
            mapping(kpi.get(band), _BAND_KEYS, block=False)
        mapping(kpi.get("query"), _QUERY_KEYS, block=False)
        history(kpi.get("measurements"), _MEASUREMENT_KEYS)


class _Emitter(RoundTripEmitter):
    """ruamel.yaml's emitter, quoting strings as okrctl does: double quotes, and inside flow mappings (check-ins,
    measurements) the choice `okrctl checkin` makes."""

    def choose_scalar_style(self) -> Any:
        style = super().choose_scalar_style()
        event = self.event
        if str(event.ctag) == _STR_TAG and self.flow_level and not self.simple_key_context:
            if plain_safe(event.value) and event.implicit[0] and self.analysis.allow_flow_plain:
                return ""
            return '"'
        return '"' if style == "'" else style

    def write_comment(self, comment: Any, pre: bool = False) -> None:
        # A comment at the end of a line keeps its column (aligned comments stay aligned) but stands at least two
        # spaces after the text, wherever the text moved.
        if not pre and self.column and comment.value.startswith("#") and comment.start_mark.column < self.column + 2:
            comment.start_mark.column = self.column + 2
        super().write_comment(comment, pre)

    def write_double_quoted(self, text: Any, split: Any = True) -> None:
        self.write_indicator(double_quoted(text), True)


# -- comment lines and blank lines -------------------------------------------------------------------
#
# ruamel.yaml attaches a comment line to the entry above it (so it would travel with that entry when keys are
# ordered) and drops a comment line between two flow mappings of a block list. So the comment lines and blank
# lines go round the round trip instead: each block of them is set aside with the key or item right below it
# (the outermost one starting on that line), and put back above the same key or item, at its indentation.
# Comments at the end of a line stay in the text: ruamel.yaml keeps them with their key or item.

_TOP, _END = ("<top>",), ("<end>",)
_HEAD = ("<head>",)  # before an explicit `---`
Aside = dict[tuple[Any, ...], list[str]]


def _scalar_spans(text: str) -> list[tuple[int, int]]:
    scalars: list[Any] = [event for event in _events(text) if type(event) is ScalarEvent]
    return sorted((event.start_mark.index, event.end_mark.index) for event in scalars)


def _inside(spans: list[tuple[int, int]], starts: list[int], offset: int) -> bool:
    """Whether `offset` is inside a scalar (a line of a block scalar, or of a quoted one over several lines)."""
    index = bisect.bisect_left(starts, offset) - 1
    return index >= 0 and spans[index][0] < offset < spans[index][1]


def _set_aside(text: str, data: Any, markers: _Markers) -> tuple[str, Aside]:
    """`text` without its comment lines and blank lines, and those lines (stripped; "" for a blank one) by
    the key or item they stand above."""
    spans = _scalar_spans(text)
    starts = [start for start, _ in spans]
    outer, _ = _line_paths(data)
    node_lines = sorted(outer)
    aside: Aside = {}
    kept: list[str] = []
    pending: list[str] = []
    offset = 0
    lines = text.split("\n")
    for number, line in enumerate(lines, start=1):
        stripped = line.strip(" \t")
        if (not stripped or stripped.startswith("#")) and not _inside(spans, starts, offset):
            if number < len(lines) or stripped:
                pending.append(line.rstrip(" \t"))
        else:
            if pending:
                anchor = _anchor(number, node_lines, outer, markers)
                aside.setdefault(anchor, []).extend(line.lstrip(" \t") for line in pending)
                pending = []
            kept.append(line)
        offset += len(line) + 1
    if pending:  # after the last key or item: as they are written (indented under what they follow)
        aside.setdefault(_END, []).extend(pending)
    return "\n".join(kept) + "\n", aside


def _anchor(
    number: int, node_lines: list[int], paths: dict[int, tuple[Any, ...]], markers: _Markers
) -> tuple[Any, ...]:
    """What a comment line or blank line above line `number` stands with: the first key or item from there on."""
    if number <= markers.start:
        return _HEAD
    below = bisect.bisect_left(node_lines, number)
    if below == len(node_lines):
        return _END
    if below == 0:
        return _TOP
    return paths[node_lines[below]]


def _put_back(text: str, aside: Aside, kind: str, markers: _Markers) -> str | None:
    """`text` (as laid out) with the lines set aside put back, a blank line between objectives (KPIs), and no
    two blank lines in a row; None when a key or item they stood with is not found, or the text does not parse."""
    try:
        data = parse_yaml(text)
    except YamlSyntaxError:
        return None  # ruamel.yaml wrote what okrctl does not read: the next layout, or a refusal
    lines = text.split("\n")[:-1]
    where: dict[tuple[Any, ...], int] = {}  # path → 0-based line
    stack: list[tuple[Any, tuple[Any, ...]]] = [(data, ())]
    while stack:
        node, path = stack.pop()
        if isinstance(node, YamlMap):
            for key, value in node.items():
                where[(*path, key)] = node.key_pos[key][0] - 1
                stack.append((value, (*path, key)))
        elif isinstance(node, YamlSeq):
            for index, (item, pos) in enumerate(zip(node, node.item_pos, strict=True)):
                where[(*path, index)] = pos[0] - 1
                stack.append((item, (*path, index)))
    above: dict[int, list[str]] = {}
    for anchor, block in aside.items():
        if anchor == _HEAD:
            at, indent = 0, 0
        elif anchor == _TOP:
            at, indent = (1 if markers.start else 0), 0
        elif anchor == _END:
            at, indent = len(lines) - (1 if markers.end else 0), 0  # these keep their own indentation
        elif anchor in where:
            at = where[anchor]
            indent = len(lines[at]) - len(lines[at].lstrip(" "))
        else:
            return None
        above.setdefault(at, []).extend(" " * indent + line if line else "" for line in block)
    entries = data.get("objectives" if kind == "okrs" else "kpis") if isinstance(data, YamlMap) else None
    if isinstance(entries, YamlSeq):
        for item_line, _ in entries.item_pos[1:]:
            above[item_line - 1] = ["", *above.get(item_line - 1, [])]
    out: list[str] = []
    for number in range(len(lines) + 1):
        for put_back in above.get(number, ()):
            if put_back or (out and out[-1]):  # no blank line first, none twice
                out.append(put_back)
        if number < len(lines):
            out.append(lines[number])
    while out and not out[-1]:
        out.pop()
    return "\n".join(out) + "\n"


def _comments(text: str, data: Any) -> Counter[tuple[bool, str, tuple[Any, ...]]]:
    """Each comment: (on a line of its own?, its text, where it stands): the key or item on its line, or for a
    comment line the outermost key or item starting on the first line below it with one (before the first:
    the top; after the last: the end)."""
    spans = _scalar_spans(text)
    span_starts = [start for start, _ in spans]
    line_starts = [0] + [match.end() for match in re.finditer("\r\n|\r|\n", text)]
    outer, inner = _line_paths(data)
    node_lines = sorted(outer)
    found: Counter[tuple[bool, str, tuple[Any, ...]]] = Counter()
    seen_lines: set[int] = set()
    for match in re.finditer("#", text):
        at = match.start()
        index = bisect.bisect_right(span_starts, at) - 1
        if index >= 0 and spans[index][0] <= at < spans[index][1]:
            continue  # inside a scalar
        line = bisect.bisect_right(line_starts, at)  # 1-based
        if line in seen_lines:
            continue
        seen_lines.add(line)
        start = line_starts[line - 1]
        end = line_starts[line] if line < len(line_starts) else len(text)
        own_line = not text[start:at].strip()
        if own_line:
            below = bisect.bisect_left(node_lines, line)
            anchor = _END if below == len(node_lines) else _TOP if below == 0 else outer[node_lines[below]]
        else:
            anchor = inner.get(line, ("<line>",))
        found[(own_line, text[at:end].rstrip(), anchor)] += 1
    return found


def _line_paths(data: Any) -> tuple[dict[int, tuple[Any, ...]], dict[int, tuple[Any, ...]]]:
    """For each line that holds a key or item, the path of the first one on it: the outermost and the innermost
    of those at the smallest column (`- id: a` starts the item and its key `id`)."""
    first: dict[int, tuple[int, list[tuple[Any, ...]]]] = {}

    def note(pos: tuple[int, int], path: tuple[Any, ...]) -> None:
        line, column = pos
        held = first.get(line)
        if held is None or column < held[0]:
            first[line] = (column, [path])
        elif column == held[0]:
            held[1].append(path)

    stack: list[tuple[Any, tuple[Any, ...]]] = [(data, ())]
    while stack:
        node, path = stack.pop()
        if isinstance(node, YamlMap):
            for key, value in node.items():
                note(node.key_pos[key], (*path, key))
                stack.append((value, (*path, key)))
        elif isinstance(node, YamlSeq):
            for index, (item, pos) in enumerate(zip(node, node.item_pos, strict=True)):
                note(pos, (*path, index))
                stack.append((item, (*path, index)))
    outer = {line: min(paths, key=len) for line, (_, paths) in first.items()}
    inner = {line: max(paths, key=len) for line, (_, paths) in first.items()}
    return outer, inner
