"""Read YAML at C speed, keeping a 1-based line and column for every key and item.

PyYAML's libyaml parser emits events with marks; we build plain dicts and lists from them in one pass
(about 7x faster than ruamel.yaml's round-trip loader when this was chosen). Scalars are resolved by the YAML 1.2 core
schema, as ruamel.yaml does when editing, so reading and editing agree: `no` is a string, `052` is 52 and
dates stay strings until the models validate them (so a bad date gets a position). Anchors and aliases
are refused: goal files do not need them, and refusing them makes alias bombs harmless.
"""

from __future__ import annotations

import re
from typing import Any

import yaml
from yaml.events import (
    AliasEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
)

Pos = tuple[int, int]
"""A 1-based (line, column)."""


class YamlMap(dict[str, Any]):
    """A mapping that remembers where it starts and where each of its keys stands."""

    __slots__ = ("key_pos", "pos")

    def __init__(self, pos: Pos) -> None:
        super().__init__()
        self.pos = pos
        self.key_pos: dict[str, Pos] = {}


class YamlSeq(list[Any]):
    """A sequence that remembers where it starts and where each of its items stands."""

    __slots__ = ("item_pos", "pos")

    def __init__(self, pos: Pos) -> None:
        super().__init__()
        self.pos = pos
        self.item_pos: list[Pos] = []


class YamlSyntaxError(Exception):
    """The text is not YAML we accept; carries the position of the fault."""

    def __init__(self, line: int, column: int, message: str) -> None:
        super().__init__(f"{line}:{column}: {message}")
        self.line = line
        self.column = column
        self.message = message


_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"

_NULLS = {"", "~", "null", "Null", "NULL"}
_BOOLS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_KEYWORDS: dict[str, Any] = {**dict.fromkeys(_NULLS), **_BOOLS}
# The YAML 1.2 core schema's numbers, in one pattern: one match per scalar, the group says which.
_NUMBER = re.compile(
    r"(?P<int>[-+]?[0-9]+)|0o(?P<oct>[0-7]+)|0x(?P<hex>[0-9a-fA-F]+)"
    r"|(?P<float>[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?)"
    r"|(?P<inf>[-+]?\.(?:inf|Inf|INF))|(?P<nan>\.(?:nan|NaN|NAN))"
)
_NUMERIC_START = frozenset("0123456789+-.")
MAX_NESTING = 64
"""Lists and mappings nested deeper than this are refused. A goal file needs about ten levels; our own limit,
met long before libyaml's (1000 since 0.2.6, none before), makes the finding the same whatever libyaml a
user has."""
_MISSING = object()
_TAG_TYPES: dict[str, type | tuple[type, ...]] = {_INT: int, _FLOAT: (int, float), _BOOL: bool, _NULL: type(None)}


def resolve_plain(text: str) -> Any:
    """Resolve an untagged plain scalar by the YAML 1.2 core schema."""
    if text in _KEYWORDS:
        return _KEYWORDS[text]
    if text[0] not in _NUMERIC_START or (len(text) == 10 and text[4] == "-" and text[7] == "-"):
        return text  # words, and the most common scalar of all: a date (no number has that shape)
    number = _number(text)
    return text if number is None else number


def _number(text: str) -> int | float | None:
    if len(text) > 400:  # no goal needs it; Python refuses to convert over 4,300 digits
        return None
    match = _NUMBER.fullmatch(text)
    if match is None:
        return None
    notation = match.lastgroup
    if notation == "int":
        return int(text, 10)
    if notation == "float":
        return float(text)
    if notation == "oct":
        return int(text[2:], 8)
    if notation == "hex":
        return int(text[2:], 16)
    if notation == "inf":
        return float("-inf") if text[0] == "-" else float("inf")
    return float("nan")


def _scalar(event: ScalarEvent, pos: Pos) -> Any:
    tag = event.tag
    if tag is None or tag == "!":
        return resolve_plain(event.value) if event.style == "" and tag is None else event.value
    if tag == _STR:
        return event.value
    value = resolve_plain(event.value)
    wanted = _TAG_TYPES.get(tag)
    if wanted is None:
        raise YamlSyntaxError(*pos, f"the tag {tag!r} is not allowed in goal files")
    if not isinstance(value, wanted) or (tag != _BOOL and isinstance(value, bool)):
        raise YamlSyntaxError(*pos, f"{event.value!r} is not a valid {tag.rsplit(':', 1)[-1]}")
    return float(value) if tag == _FLOAT and isinstance(value, int) else value


def _check_node(event: Any, pos: Pos, tags: tuple[str, ...]) -> None:
    if event.anchor is not None:
        raise YamlSyntaxError(*pos, f"anchor '&{event.anchor}': anchors and aliases are not allowed")
    if event.tag not in (None, "!", *tags):
        raise YamlSyntaxError(*pos, f"the tag {event.tag!r} is not allowed in goal files")


def parse_yaml(text: str) -> Any:
    """Parse one YAML document into YamlMap / YamlSeq / scalars; `None` for an empty stream.

    Raises YamlSyntaxError for a syntax error, a duplicate key, an anchor or alias, an unknown tag, a
    complex key or a second document.
    """
    try:
        return _parse(yaml.CBaseLoader(text))
    except _LibyamlNestingLimit as limit:
        # libyaml (0.2.6 on) looks ahead and stops at its own depth limit (1000) before handing us the events
        # that meet ours. The text before the point where it stopped holds fewer levels than its limit and more
        # than ours, so parsing just that finds our limit at the same place as a libyaml without one would.
        return _parse(yaml.CBaseLoader(text[: limit.index]), retry=False)


class _LibyamlNestingLimit(Exception):
    def __init__(self, index: int) -> None:
        super().__init__(index)
        self.index = index


def _parse(loader: yaml.CBaseLoader, retry: bool = True) -> Any:
    try:
        return _build(loader)
    except yaml.MarkedYAMLError as error:
        if retry and "maximum nesting depth" in (error.problem or "") and error.problem_mark is not None:
            raise _LibyamlNestingLimit(error.problem_mark.index) from None
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
        problem = error.problem or "invalid YAML"
        if error.context:
            problem = f"{problem} ({error.context})"
        raise YamlSyntaxError(line, column, problem) from None
    except yaml.YAMLError as error:  # e.g. a reader error on a control character
        raise YamlSyntaxError(1, 1, str(error).splitlines()[0]) from None
    finally:
        loader.dispose()


def _build(loader: yaml.CBaseLoader) -> Any:
    # The hot loop of every command: positions are made only for what keeps one (keys, items, collections),
    # and untagged scalars are resolved inline.
    root: Any = _MISSING
    # Each open container: [container, pending key or _MISSING] (the key slot is unused for sequences).
    stack: list[list[Any]] = []
    documents = 0
    get_event = loader.get_event
    check_event = loader.check_event
    while check_event():
        event: Any = get_event()
        event_type = type(event)
        if event_type is ScalarEvent:
            frame = stack[-1] if stack else None
            if event.anchor is not None or (event.tag is not None and event.tag != "!"):
                mark = event.start_mark
                pos = (mark.line + 1, mark.column + 1)
                if event.anchor is not None:
                    _check_node(event, pos, ())
                if frame is not None and frame[1] is _MISSING and type(frame[0]) is YamlMap:
                    pass  # a tagged key: read as text below
                else:
                    value = _scalar(event, pos)
                    _add(stack, frame, value, event)
                    if frame is None:
                        root = value
                    continue
            if frame is not None and frame[1] is _MISSING and type(frame[0]) is YamlMap:
                container = frame[0]
                key = event.value
                mark = event.start_mark
                pos = (mark.line + 1, mark.column + 1)
                if key in container.key_pos:
                    first = container.key_pos[key]
                    raise YamlSyntaxError(*pos, f"duplicate key {key!r} (first defined at line {first[0]})")
                frame[1] = key
                container.key_pos[key] = pos
                continue
            text = event.value
            value = resolve_plain(text) if event.style == "" and event.tag is None else text
            if frame is None:
                root = value
            else:
                _add(stack, frame, value, event)
            continue
        if event_type is MappingEndEvent or event_type is SequenceEndEvent:
            stack.pop()
            continue
        mark = event.start_mark
        pos = (mark.line + 1, mark.column + 1)
        if event_type is MappingStartEvent:
            if event.anchor is not None or event.tag is not None:
                _check_node(event, pos, (_MAP,))
            value = YamlMap(pos)
        elif event_type is SequenceStartEvent:
            if event.anchor is not None or event.tag is not None:
                _check_node(event, pos, (_SEQ,))
            value = YamlSeq(pos)
        elif event_type is AliasEvent:
            raise YamlSyntaxError(*pos, f"alias '*{event.anchor}': anchors and aliases are not allowed")
        elif event_type is DocumentStartEvent:
            documents += 1
            if documents > 1:
                raise YamlSyntaxError(*pos, "a second YAML document: a goal file holds exactly one")
            continue
        else:  # stream and document ends
            continue
        if not stack:
            root = value
        else:
            frame = stack[-1]
            if frame[1] is _MISSING and type(frame[0]) is YamlMap:
                raise YamlSyntaxError(*pos, "a mapping key must be a plain value, not a list or mapping")
            _add(stack, frame, value, event)
        if len(stack) >= MAX_NESTING:
            raise YamlSyntaxError(*pos, f"nested more than {MAX_NESTING} levels deep: goal files need about ten")
        stack.append([value, _MISSING])
    return None if root is _MISSING else root


def _add(stack: list[list[Any]], frame: list[Any] | None, value: Any, event: Any) -> None:
    """Put `value` into the open container: append it to a sequence, or set the pending key of a mapping."""
    if frame is None:
        return
    container = frame[0]
    if type(container) is YamlSeq:
        mark = event.start_mark
        container.append(value)
        container.item_pos.append((mark.line + 1, mark.column + 1))
    else:
        container[frame[1]] = value
        frame[1] = _MISSING
