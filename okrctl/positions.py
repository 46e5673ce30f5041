"""Where the keys and items of a goal file stand, kept compactly once its text and parse tree are dropped.

A lean file (see `GoalFile.make_lean`) keeps this index so that a cross-file rule reporting on it — after a
period's end, OKR304 and OKR305 report on most files — needs no second read and parse of the file. The index
holds every key and item except the rows of check-ins and measurements (the bulk of a file, where only the
per-file rules report, while the tree is still there) — of those, only where each row starts, which is
where `okrctl diff` and the history rules point at a check-in. It answers exactly as `validation.position`
does on the parse tree, or says it cannot (`None`) when `loc` goes inside one of those rows.
"""

from __future__ import annotations

import marshal
from collections.abc import Sequence
from typing import Any

from okrctl.yamlread import Pos, YamlMap, YamlSeq

_ROWS = frozenset({"checkins", "measurements"})  # lists whose rows are left out of the index

# A node of the index: (line, column) for a scalar; (line, column, {key: node}) for a mapping, (line, column,
# [node, ...]) for a sequence; (line, column, None) for a row of check-ins or measurements, whose insides
# were left out.
Node = tuple[Any, ...]


def position_index(data: Any) -> bytes:
    """The positions of `data` (a parse tree from `parse_yaml`) as compact bytes for `indexed_position`.

    marshal, not pickle: a few kilobytes per file that cost nothing to carry until a rule asks for a position
    (the cache key includes Python's version, so the bytes are read by the interpreter that wrote them).
    """
    return marshal.dumps(_node(data, getattr(data, "pos", (1, 1)), False))


def _node(value: Any, pos: Pos, rows_left_out: bool) -> Node:
    if isinstance(value, YamlMap):
        return (
            *pos,
            {key: _node(value[key], value.key_pos[key], key in _ROWS) for key in value if isinstance(key, str)},
        )
    if isinstance(value, YamlSeq):
        if rows_left_out:
            return (*pos, [(*item_pos, None) for item_pos in value.item_pos])
        return (*pos, [_node(item, item_pos, False) for item, item_pos in zip(value, value.item_pos, strict=True)])
    return pos


def decode(index: bytes) -> Node:
    node: Node = marshal.loads(index)
    return node


def indexed_position(root: Node, loc: Sequence[str | int]) -> Pos | None:
    """What `validation.position` gives for `loc` on the parse tree, or None if the index cannot say."""
    node = root
    for part in loc:
        if len(node) == 2:
            break  # a scalar: nothing inside it
        children = node[2]
        if children is None:
            return None  # inside a row of check-ins or measurements: not kept
        if isinstance(children, dict):
            there = isinstance(part, str) and part in children
        else:
            there = isinstance(part, int) and 0 <= part < len(children)
        if not there:
            break
        node = children[part]
    return node[0], node[1]
