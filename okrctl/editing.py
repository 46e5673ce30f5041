"""Plan the splices of `okrctl checkin` and `okrctl measure` (pure: text in, splices out).

A new check-in or measurement copies the style of its siblings: a flow mapping `{date: …, value: …}` where
they are flow, a block mapping where they are block, at their indentation. With no siblings it copies the
first list of the same name elsewhere in the file, else writes flow items two spaces in from the key.
"""

from __future__ import annotations

from datetime import date

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from okrctl.model import KeyResult, Kpi
from okrctl.splice import Document, Loc, Splice, block_mapping, flow_mapping, scalar

_NULLS = ("", "~", "null", "Null", "NULL")


def _pairs(day: date, value: str, confidence: str | None = None, note: str | None = None) -> list[tuple[str, str]]:
    pairs = [("date", day.isoformat()), ("value", value)]
    if confidence is not None:
        pairs.append(("confidence", confidence))
    if note is not None:
        pairs.append(("note", scalar(note)))
    return pairs


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
                    flow = not isinstance(item, MappingNode) or bool(item.flow_style)
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
    _, sequence = found
    if isinstance(sequence, ScalarNode) and sequence.value in _NULLS:  # `checkins:` with nothing yet
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
        return Splice(start, start, flow_mapping(pairs) + ", ")
    sibling = sequence.value[-1] if at_end else sequence.value[position or 0]
    prefix = doc.item_prefix(sibling)
    if isinstance(sibling, MappingNode) and not sibling.flow_style:
        lines = block_mapping(pairs, prefix, " " * len(prefix))
    else:
        lines = [prefix + flow_mapping(pairs)]
    return doc.lines_after(sibling, lines) if at_end else doc.lines_before(sibling, lines)


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


def plan_checkin(
    doc: Document,
    kr_loc: Loc,
    key_result: KeyResult,
    day: date,
    value: str | None,
    confidence: str | None = None,
    note: str | None = None,
) -> list[Splice]:
    """The splices of a check-in: mark a milestone done, replace `current`, or append to `checkins`."""
    if key_result.kind == "milestone":
        return [
            set_scalar(doc, kr_loc, "done", "true"),
            set_scalar(doc, kr_loc, "done_on", day.isoformat(), after="done"),
        ]
    assert value is not None
    if key_result.current is not None:
        return [set_scalar(doc, kr_loc, "current", value)]
    return [insert_item(doc, kr_loc, "checkins", _pairs(day, value, confidence, note), None)]


def plan_measure(doc: Document, kpi_loc: Loc, kpi: Kpi, day: date, value: str, note: str | None = None) -> list[Splice]:
    """The splice of a measurement, kept in date order (after any of the same date)."""
    position = next((i for i, m in enumerate(kpi.measurements) if m["date"] > day), None)
    return [insert_item(doc, kpi_loc, "measurements", _pairs(day, value, None, note), position)]
