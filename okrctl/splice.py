"""Edit YAML text by splicing: only the characters an edit must change, change.

ruamel.yaml's round-trip dump rewrites what it does not need to (spacing after colons and inside flow
mappings, sequence indentation, spaces before comments, trailing spaces, the final newline), so it cannot
keep "every other byte" of a file. Instead we locate nodes with libyaml's marks (character offsets, CRLF
counted) and insert or replace text at exact offsets, copying the indentation and style of the siblings.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from okrctl.yamlread import resolve_plain

Loc = Sequence[str | int]

# What libyaml takes for a line break (YAML 1.1, as it reads): CR-only files and NEL/LS/PS count too.
_BREAK = re.compile("[\r\n\x85\u2028\u2029]")
_BREAKS = "\r\n\x85\u2028\u2029"


@dataclass(frozen=True)
class Splice:
    start: int
    end: int
    text: str


def apply(text: str, splices: list[Splice]) -> str:
    """Apply non-overlapping splices (offsets refer to the original text)."""
    for splice in sorted(splices, key=lambda s: s.start, reverse=True):
        text = text[: splice.start] + splice.text + text[splice.end :]
    return text


def scalar(value: str) -> str:
    """A string as a YAML 1.2 scalar that reads back as exactly that string, in block or flow context."""
    return value if plain_safe(value) else double_quoted(value)


def plain_safe(value: str) -> bool:
    """Whether `value` may be written unquoted: it starts with a letter and nothing in it reads otherwise."""
    return bool(
        value == value.strip()
        and value
        and value[0].isalpha()
        and isinstance(resolve_plain(value), str)
        and not any(mark in value for mark in (": ", " #", ",", "[", "]", "{", "}", "\n", "\r", "\t"))
        and not value.endswith(":")
        and value.isprintable()
    )


def double_quoted(value: str) -> str:
    """`value` as a double-quoted scalar on one line (line breaks, tabs and unprintable characters escaped)."""
    escaped = (
        value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")
    )
    return '"' + "".join(c if c.isprintable() else _escape(c) for c in escaped) + '"'


def _escape(character: str) -> str:
    code = ord(character)
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


class Document:
    """A goal file's text with libyaml nodes that know their offsets."""

    def __init__(self, text: str) -> None:
        self.text = text
        first = re.search("\r\n|\r|\n", text)
        self.eol = first.group() if first else "\n"  # for a file whose lines near an edit say nothing
        root = yaml.compose(text, Loader=yaml.CBaseLoader)  # positions and styles: no tag is resolved
        assert isinstance(root, MappingNode)
        self.root: MappingNode = root

    # -- finding nodes -----------------------------------------------------------------------------

    @staticmethod
    def entry(mapping: MappingNode, key: str) -> tuple[ScalarNode, Node] | None:
        for key_node, value_node in mapping.value:
            if isinstance(key_node, ScalarNode) and key_node.value == key:
                return key_node, value_node
        return None

    def node(self, loc: Loc) -> Node:
        current: Node = self.root
        for part in loc:
            if isinstance(part, int):
                assert isinstance(current, SequenceNode)
                current = current.value[part]
            else:
                assert isinstance(current, MappingNode)
                found = self.entry(current, part)
                assert found is not None, f"no key {part!r}"
                current = found[1]
        return current

    @staticmethod
    def last_scalar(node: Node) -> Node:
        """The last node inside `node` that ends where its text ends (block collections end at the next token)."""
        while isinstance(node, MappingNode | SequenceNode) and not node.flow_style and node.value:
            node = node.value[-1][1] if isinstance(node, MappingNode) else node.value[-1]
        return node

    def line_start(self, offset: int) -> int:
        return max(self.text.rfind(mark, 0, offset) for mark in _BREAKS) + 1

    def line_end(self, offset: int) -> int:
        """The offset of the line terminator after `offset` (the CR of a CRLF), or the end of the text."""
        found = _BREAK.search(self.text, offset)
        return found.start() if found else len(self.text)

    def _terminator(self, at: int) -> str | None:
        """The line terminator that starts at `at` (CRLF, CR or LF), if any."""
        if self.text.startswith("\r\n", at):
            return "\r\n"
        return self.text[at] if at < len(self.text) and self.text[at] in "\r\n" else None

    def eol_near(self, at: int) -> str:
        """The line ending of the lines next to `at` (a mixed LF/CRLF file keeps each line's own)."""
        after = self._terminator(self.line_end(at))
        if after is not None:
            return after
        before = self._line_before(self.line_start(at))
        return self._terminator(self.line_end(before)) or self.eol if before is not None else self.eol

    def _line_before(self, start: int) -> int | None:
        """The start of the line before the line starting at `start`, or None on the first line."""
        if start == 0:
            return None
        end = start - 1
        if end > 0 and self.text[end - 1 : end + 1] == "\r\n":
            end -= 1
        return self.line_start(end)

    def content_end(self, node: Node) -> int:
        """Where `node`'s text ends: a block scalar (`|`, `>`) ends at its last character, not at the next line."""
        last = self.last_scalar(node)
        end = last.end_mark.index
        if isinstance(last, ScalarNode) and last.style in ("|", ">"):
            while end > last.start_mark.index and self.text[end - 1] in " \t" + _BREAKS:
                end -= 1
        return end

    def comments_above(self, start: int, floor: int = 0) -> int:
        """The start of the block of comment lines directly above the line starting at `start` (else `start`):
        such comments belong to the line below them, as ruamel.yaml attaches them. Lines that start at or
        before `floor` (the end of the item above, whose block scalar may hold a `#` line) are not taken."""
        while (before := self._line_before(start)) is not None and before > floor:
            if not self.text[before : self.line_end(before)].lstrip(" \t").startswith("#"):
                break
            start = before
        return start

    # -- edits -------------------------------------------------------------------------------------

    def replace(self, node: Node, new_text: str) -> Splice:
        """Replace a scalar's text, keeping whatever surrounds it (an end-of-line comment included)."""
        start, end = node.start_mark.index, node.end_mark.index
        if start == end:  # an empty value (`done_on:`): keep one space after the colon
            return Splice(start, end, f" {new_text}" if not self.text[start - 1 : start].isspace() else new_text)
        return Splice(start, end, new_text)

    def lines_after(self, node: Node, lines: list[str]) -> Splice:
        """Insert whole lines after the line where `node`'s content ends."""
        last = self.last_scalar(node)
        end = last.end_mark.index
        if self._keeps_trailing_lines(last) and end > 0 and self.text[end - 1] in _BREAKS:
            # `|+` owns the blank lines after its text: insert after them (at the start of the next line)
            eol = self.eol_near(end - 1)
            return Splice(end, end, "".join(line + eol for line in lines))
        at = self.line_end(self.content_end(node))
        eol = self.eol_near(at)
        return Splice(at, at, "".join(eol + line for line in lines))

    def _keeps_trailing_lines(self, node: Node) -> bool:
        """Whether `node` is a block scalar with keep chomping (`|+`, `>2+`), whose value ends in its blank lines."""
        if not (isinstance(node, ScalarNode) and node.style in ("|", ">")):
            return False
        start = node.start_mark.index
        return "+" in self.text[start : self.line_end(start)].split("#")[0]

    def lines_before(self, node: Node, lines: list[str], floor: int = 0) -> Splice:
        """Insert whole lines before the line where `node` starts, and before the comments directly above it
        (down to `floor`, see `comments_above`)."""
        at = self.comments_above(self.line_start(node.start_mark.index), floor)
        eol = self.eol_near(at)
        return Splice(at, at, "".join(line + eol for line in lines))

    def item_prefix(self, item: Node) -> str:
        """What stands before a block-sequence item on its line, e.g. `      - `."""
        return self.text[self.line_start(item.start_mark.index) : item.start_mark.index]


def flow_mapping(pairs: list[tuple[str, str]]) -> str:
    return "{" + ", ".join(f"{key}: {value}" for key, value in pairs) + "}"


def block_mapping(pairs: list[tuple[str, str]], first_prefix: str, indent: str) -> list[str]:
    """Lines of a block mapping; the first line starts with `first_prefix` (e.g. `  - `)."""
    return [f"{first_prefix if i == 0 else indent}{key}: {value}" for i, (key, value) in enumerate(pairs)]
