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

When moving keys would move a comment away from its key (ruamel.yaml attaches a comment line to the entry
above it), the file is laid out with its keys in their order instead. Files that are not goal files (no
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
from typing import Any

import yaml
from pydantic import ValidationError
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
    explicit_start, explicit_end = _markers(text)
    eol = _first_line_ending(text)
    work = text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text
    comments = _comments(text, data)
    refusal = "the layout would move a comment away from its key or item"
    for canonical in (True, False):
        result = _layout(work, kind, canonical, explicit_start, explicit_end)
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


def _markers(text: str) -> tuple[bool, bool]:
    """Whether the document has an explicit start (`---`) and end (`...`); refuses directives and tags."""
    start = end = False
    for event in _events(text):
        where = (event.start_mark.line + 1, event.start_mark.column + 1)
        if isinstance(event, DocumentStartEvent):
            if event.version or event.tags:
                raise FormatRefused(*where, "a %YAML or %TAG directive: fmt does not rewrite files with directives")
            start = bool(event.explicit)
        elif isinstance(event, DocumentEndEvent):
            end = bool(event.explicit)
        elif isinstance(event, NodeEvent) and getattr(event, "tag", None) is not None:
            raise FormatRefused(
                *where,
                f"the explicit tag {getattr(event, 'tag', '')!r}: fmt does not rewrite files with tags (write the value without it)",
            )
    return start, end


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


def _layout(text: str, kind: str, canonical: bool, explicit_start: bool, explicit_end: bool) -> str:
    from ruamel.yaml import YAML

    round_trip = YAML(typ="rt")
    round_trip.Emitter = _Emitter
    round_trip.indent(mapping=2, sequence=4, offset=2)
    round_trip.width = 1 << 30  # never fold a line
    round_trip.explicit_start = explicit_start or None
    round_trip.explicit_end = explicit_end or None
    try:
        root = round_trip.load(text)
        _arrange(root, kind, canonical)
        stream = io.StringIO()
        round_trip.dump(root, stream)
    except Exception as error:  # the round trip failed on text okrctl reads: refuse, never guess
        message = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise FormatRefused(1, 1, f"ruamel.yaml cannot lay it out ({message}); fmt leaves it as it is") from None
    return _blank_lines(stream.getvalue(), kind)


def _arrange(root: Any, kind: str, canonical: bool) -> None:
    """Order keys and set styles in ruamel.yaml's tree (keys keep their order unless `canonical`)."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

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
        if canonical:
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
        for item in items(node):
            if mapping(item, keys, block=False):
                day(item, "date")
                if canonical:
                    item.fa.set_flow_style()

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


def _emitter_base() -> type:
    from ruamel.yaml.emitter import RoundTripEmitter

    return RoundTripEmitter


class _Emitter(_emitter_base()):  # type: ignore[misc]
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

    def write_double_quoted(self, text: Any, split: Any = True) -> None:
        self.write_indicator(double_quoted(text), True)


# -- blank lines -----------------------------------------------------------------------------------


def _block_scalar_lines(text: str) -> set[int]:
    """The 0-based lines inside block scalars (`|`, `>`): their blank lines are text."""
    inside: set[int] = set()
    event: Any
    for event in _events(text):
        if getattr(event, "style", None) in ("|", ">"):  # block scalars (only scalars have a style)
            inside.update(range(event.start_mark.line + 1, event.end_mark.line + 1))
    return inside


def _blank_lines(text: str, kind: str) -> str:
    lines = text.split("\n")[:-1]  # the dump ends with a line break
    kept = _block_scalar_lines(text)
    data = parse_yaml(text)
    starts: set[int] = set()
    if isinstance(data, YamlMap):
        entries = data.get("objectives" if kind == "okrs" else "kpis")
        if isinstance(entries, YamlSeq):
            for line, _ in entries.item_pos[1:]:
                top = line - 1
                while top > 0 and top - 1 not in kept and lines[top - 1].lstrip(" ").startswith("#"):
                    top -= 1
                starts.add(top)
    out: list[str] = []
    for number, text_line in enumerate(lines):
        blank = not text_line.strip(" \t")
        if number in kept:
            out.append(text_line)
            continue
        if blank:
            if out and out[-1] != "":
                out.append("")
            continue
        if number in starts and out and out[-1] != "":
            out.append("")
        out.append(text_line)
    while out and out[-1] == "" and len(out) - 1 not in kept:
        out.pop()
    return "\n".join(out) + "\n"


# -- comments --------------------------------------------------------------------------------------


def _comments(text: str, data: Any) -> Counter[tuple[bool, str, tuple[Any, ...]]]:
    """Each comment: (on a line of its own?, its text, where it stands): the key or item on its line, or for a
    comment line the first key or item below it (before the first one: the top; after the last: the end)."""
    events: list[Any] = [event for event in _events(text) if type(event) is ScalarEvent]
    spans = sorted((event.start_mark.index, event.end_mark.index) for event in events)
    span_starts = [start for start, _ in spans]
    line_starts = [0] + [match.end() for match in re.finditer("\r\n|\r|\n", text)]
    paths = _line_paths(data)
    node_lines = sorted(paths)
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
        if not own_line:
            anchor = paths.get(line, ("<line>",))
        else:
            below = bisect.bisect_right(node_lines, line)
            if below == len(node_lines):
                anchor = ("<end>",)
            elif below == 0:
                anchor = ("<top>",)
            else:
                anchor = paths[node_lines[below]]
        found[(own_line, text[at:end].rstrip(), anchor)] += 1
    return found


def _line_paths(data: Any) -> dict[int, tuple[Any, ...]]:
    """For each line that holds a key or item, the path of the first one on it (the innermost at a column)."""
    best: dict[int, tuple[int, tuple[Any, ...]]] = {}

    def note(pos: tuple[int, int], path: tuple[Any, ...]) -> None:
        line, column = pos
        held = best.get(line)
        if held is None or column < held[0] or (column == held[0] and len(path) > len(held[1])):
            best[line] = (column, path)

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
    return {line: path for line, (_, path) in best.items()}
