"""Plan the splices of `okrctl checkin` and `okrctl measure` (pure: text in, splices out).

A new check-in or measurement goes in date order and copies the style of its siblings: a flow mapping
`{date: …, value: …}` where they are flow, a block mapping where they are block (unless the block sibling holds
a comment: see `_plain_block`), at their indentation. With no
siblings it copies the first list of the same name elsewhere in the file, else writes flow items two spaces in
from the key. One that goes between two items goes above the comments directly above the later one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from okrctl.model import KeyResult
from okrctl.splice import Document, Loc, Splice, block_mapping, flow_mapping, scalar
from okrctl.yamlread import resolve_plain


def _pairs(day: date, value: str, confidence: str | None = None, note: str | None = None) -> list[tuple[str, str]]:
    pairs = [("date", day.isoformat()), ("value", value)]
    if confidence is not None:
        pairs.append(("confidence", confidence))
    if note is not None:
        pairs.append(("note", scalar(note)))
    return pairs


def _plain_block(doc: Document, item: Node) -> bool:
    """Whether `item` is a block mapping without a comment in it: a style to copy. A block item that holds a
    comment is one `okrctl fmt` leaves block for the comment's sake (it lays the others out as flow mappings),
    so a new item beside it is a flow mapping, as fmt would make it."""
    if not isinstance(item, MappingNode) or item.flow_style:
        return False
    start, end = item.start_mark.index, doc.line_end(doc.content_end(item))  # to the end of its last line
    scalars: list[tuple[int, int]] = []  # a `#` in a scalar (a note, a block scalar's line) is text
    stack: list[Node] = [item]
    while stack:
        node = stack.pop()
        if isinstance(node, ScalarNode):
            scalars.append((node.start_mark.index, node.end_mark.index))
        elif isinstance(node, MappingNode):
            stack.extend(part for pair in node.value for part in pair)
        elif isinstance(node, SequenceNode):
            stack.extend(node.value)
    hashes = (at for at in range(start, end) if doc.text[at] == "#")
    return not any(all(not first <= at < last for first, last in scalars) for at in hashes)


def _list_style(doc: Document, key: str) -> tuple[int, bool]:
    """(dash offset from the key's column, flow items?) of the first block list called `key` in the file."""
    stack: list[Node] = [doc.root]
    while stack:
        node = stack.pop(0)
        if isinstance(node, MappingNode):
            for key_node, value in node.value:
                if key_node.value == key and isinstance(value, SequenceNode) and not value.flow_style and value.value:
                    item = value.value[0]
                    dash = len(doc.item_prefix(item).rstrip()) - 1
                    flow = not _plain_block(doc, item)
                    return dash - key_node.start_mark.column, flow
                stack.append(value)
        elif isinstance(node, SequenceNode):
            stack.extend(node.value)
    return 2, True


def insert_item(doc: Document, parent_loc: Loc, key: str, pairs: list[tuple[str, str]], position: int | None) -> Splice:
    """Insert a mapping item into the list at `parent[key]`, before index `position` (None: at the end)."""
    parent = doc.node(parent_loc)
    assert isinstance(parent, MappingNode)
    found = doc.entry(parent, key)
    if found is None:
        return _add_list(doc, parent, key, pairs)
    key_node, sequence = found
    empty = isinstance(sequence, ScalarNode) and resolve_plain(sequence.value) is None  # `checkins:`, nothing yet
    if (empty or (isinstance(sequence, SequenceNode) and not sequence.value)) and not parent.flow_style:
        return _fill_list(doc, key_node, sequence, pairs)
    if empty:
        return doc.replace(sequence, f"[{flow_mapping(pairs)}]")
    assert isinstance(sequence, SequenceNode)
    at_end = position is None or position >= len(sequence.value)
    if sequence.flow_style:
        if not sequence.value:
            return Splice(sequence.start_mark.index + 1, sequence.start_mark.index + 1, flow_mapping(pairs))
        if at_end:
            end = sequence.value[-1].end_mark.index
            return Splice(end, end, ", " + flow_mapping(pairs))
        assert position is not None
        start = sequence.value[position].start_mark.index
        line = doc.line_start(start)
        if doc.text[line:start].strip(" \t"):  # items share the line: insert inline
            return Splice(start, start, flow_mapping(pairs) + ", ")
        floor = sequence.value[position - 1].end_mark.index if position else key_node.end_mark.index
        at = doc.comments_above(line, floor)  # one item a line: a line of its own, above the next item's comments
        return Splice(at, at, doc.text[line:start] + flow_mapping(pairs) + "," + doc.eol_near(at))
    sibling = sequence.value[-1] if at_end else sequence.value[position or 0]
    prefix = doc.item_prefix(sibling)
    if _plain_block(doc, sibling):
        lines = block_mapping(pairs, prefix, " " * len(prefix))
    else:
        lines = [prefix + flow_mapping(pairs)]
    if at_end:
        return doc.lines_after(sibling, lines)
    floor = doc.content_end(sequence.value[position - 1]) if position else key_node.end_mark.index
    return doc.lines_before(sibling, lines, floor)


def _add_list(doc: Document, parent: MappingNode, key: str, pairs: list[tuple[str, str]]) -> Splice:
    """A new `key:` list with one item, at the end of `parent`."""
    if parent.flow_style:
        end = parent.value[-1][1].end_mark.index
        return Splice(end, end, f", {key}: [{flow_mapping(pairs)}]")
    column = parent.start_mark.column
    dash_offset, flow = _list_style(doc, key)
    prefix = " " * (column + dash_offset) + "- "
    items = [prefix + flow_mapping(pairs)] if flow else block_mapping(pairs, prefix, " " * len(prefix))
    return doc.lines_after(parent, [" " * column + f"{key}:", *items])


def _fill_list(doc: Document, key_node: Node, empty: Node, pairs: list[tuple[str, str]]) -> Splice:
    """The first item of an empty list (`checkins: []`, `checkins:`) in a block mapping: a block list, as
    `_add_list` writes a new one (and `okrctl fmt` lays lists out), keeping a comment at the end of the line."""
    dash_offset, flow = _list_style(doc, key_node.value)
    prefix = " " * (key_node.start_mark.column + dash_offset) + "- "
    items = [prefix + flow_mapping(pairs)] if flow else block_mapping(pairs, prefix, " " * len(prefix))
    start, end = empty.start_mark.index, empty.end_mark.index
    if start == end:  # `checkins:` with nothing after it: the new lines go below the key's line
        return doc.lines_after(key_node, items)
    while start > 0 and doc.text[start - 1] in " \t":
        start -= 1
    line_end = doc.line_end(end)
    eol = doc.eol_near(line_end)
    return Splice(start, line_end, doc.text[end:line_end] + "".join(eol + line for line in items))


def set_scalar(doc: Document, mapping_loc: Loc, key: str, value: str, after: str | None = None) -> Splice:
    """Set `mapping[key]` to a scalar: replace its text, or add the key (after the key `after` if given)."""
    mapping = doc.node(mapping_loc)
    assert isinstance(mapping, MappingNode)
    found = doc.entry(mapping, key)
    if found is not None:
        return doc.replace(found[1], value)
    anchor = doc.entry(mapping, after) if after else None
    last_value = anchor[1] if anchor else mapping.value[-1][1]
    if mapping.flow_style:
        end = last_value.end_mark.index
        return Splice(end, end, f", {key}: {value}")
    return doc.lines_after(last_value, [" " * mapping.start_mark.column + f"{key}: {value}"])


def update_item(doc: Document, item_loc: Loc, changes: list[tuple[str, str]]) -> list[Splice]:
    """Set keys of an existing check-in or measurement, keeping its other keys and comments."""
    return [set_scalar(doc, item_loc, key, value) for key, value in changes]


def changes(value: str, confidence: str | None = None, note: str | None = None) -> list[tuple[str, str]]:
    """The keys `--replace` sets on an existing entry: the value, and a confidence or note only if given."""
    return [(key, text) for key, text in _pairs(date.min, value, confidence, note) if key != "date"]


def last_of_day(rows: Sequence[Mapping[str, Any]], day: date) -> int | None:
    """The index of the entry of `day` that counts (the last one of that date), or None."""
    return next((i for i in range(len(rows) - 1, -1, -1) if rows[i]["date"] == day), None)


def date_position(rows: Sequence[Mapping[str, Any]], day: date) -> int:
    """Where a new entry of `day` goes to keep the list in date order: before the first later one."""
    return next((i for i, row in enumerate(rows) if row["date"] > day), len(rows))


def plan_milestone(doc: Document, kr_loc: Loc, key_result: KeyResult, day: date) -> list[Splice]:
    """Mark a milestone done on `day` (leaving a `done: true` as written)."""
    done = [] if key_result.done else [set_scalar(doc, kr_loc, "done", "true")]
    return [*done, set_scalar(doc, kr_loc, "done_on", day.isoformat(), after="done")]


def plan_current(doc: Document, kr_loc: Loc, value: str) -> list[Splice]:
    return [set_scalar(doc, kr_loc, "current", value)]


def plan_insert(
    doc: Document,
    parent_loc: Loc,
    key: str,
    position: int | None,
    day: date,
    value: str,
    confidence: str | None = None,
    note: str | None = None,
) -> list[Splice]:
    """A new check-in (`key` checkins) or measurement (measurements), before index `position` (None: last)."""
    return [insert_item(doc, parent_loc, key, _pairs(day, value, confidence, note), position)]
