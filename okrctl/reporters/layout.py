"""Lines and tables laid out once, in plain Python: what the table reports print.

A report is a list of lines; a line is a list of (text, Rich style or None) segments. Tables measure each cell
once and give the room left to one flexible column, whose words fold onto more lines; the other columns
(numbers, bars, grades) never wrap. Rich's Table measured every cell several times per table, and the status
report builds a table per objective: 37 s for a 1,000-team tree, against 7 s to lint it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

Segment = tuple[str, str | None]
Line = list[Segment]

NO_BREAK = "\u00a0"  # joins the words of a phrase that must stay on one line; printed as a space
ELLIPSIS = "…"


def cell_len(text: str) -> int:
    """Terminal cells `text` takes: its length for ASCII (most text, and quick), else Rich's count."""
    return len(text) if text.isascii() else _wide_cell_len(text)


@lru_cache(maxsize=4096)  # bars, sparklines and arrows repeat
def _wide_cell_len(text: str) -> int:
    from rich import cells  # here, not above: the lint text reporter uses these lines without loading Rich

    return cells.cell_len(text)


def width_of(line: Line) -> int:
    return sum(cell_len(part) for part, _ in line)


def plain(line: Line) -> str:
    return "".join(part for part, _ in line)


def wrap(line: Line, width: int) -> list[Line]:
    """`line` folded at spaces onto lines of at most `width` cells; a word longer than that is cut.

    Continuation lines keep the first line's indent, so an indented key result stays indented.
    """
    if width_of(line) <= width:
        return [line]
    text = plain(line)
    indent = min(len(text) - len(text.lstrip(" ")), width // 2)
    words: list[Line | None] = []  # words (a word's segments touch: "0.62" + " on track") and None for a space
    skip = indent
    for part, style in line:
        if skip:
            kept = part[skip:]
            skip -= len(part) - len(kept)
            part = kept
        for index, piece in enumerate(part.split(" ")):
            if index:
                words.append(None)
            if piece:
                last = words[-1] if words else None
                if index == 0 and last is not None:
                    last.append((piece, style))
                else:
                    words.append([(piece, style)])
    margin: Line = [(" " * indent, None)] if indent else []
    lines: list[Line] = []
    current, used, started = list(margin), indent, False
    for word in words:
        if word is None:
            if started and used < width:
                current.append((" ", None))
                used += 1
            continue
        size = width_of(word)
        if started and used + size > width:
            lines.append(current)
            current, used, started = list(margin), indent, False
        while used + size > width:  # a word wider than the column: cut it
            head, word = _split(word, width - used)
            lines.append([*current, *head])
            current, used = list(margin), indent
            size = width_of(word)
        current += word
        used += size
        started = True
    lines.append(current)
    return [_rstrip(line) for line in lines]


def _split(word: Line, room: int) -> tuple[Line, Line]:
    """The word's first `room` cells (at least one character), and the rest."""
    head: Line = []
    used = 0
    for index, (text, style) in enumerate(word):
        cut = 0
        while cut < len(text) and (used + cell_len(text[: cut + 1]) <= room or not (head or cut)):
            cut += 1
        if cut:
            head.append((text[:cut], style))
            used += cell_len(text[:cut])
        if cut < len(text):
            breaks = max(text.rfind("/", 0, cut), text.rfind("-", 0, cut))
            if breaks > 0:  # a ref or a compound word folds after a / or -, as people split them
                head[-1] = (text[: breaks + 1], style)
                cut = breaks + 1
            return head, [(text[cut:], style), *word[index + 1 :]]
    return head, []


def _rstrip(line: Line) -> Line:
    while line and not line[-1][0].strip(" "):
        line = line[:-1]
    return line


def truncate(line: Line, width: int) -> Line:
    """`line` cut to `width` cells, ending in … when cut."""
    if width_of(line) <= width:
        return line
    kept: Line = []
    used = 0
    for part, style in line:
        size = cell_len(part)
        if used + size > width - 1:
            head = part
            while head and used + cell_len(head) > width - 1:
                head = head[:-1]
            kept += [(head, style), (ELLIPSIS, style)]
            return kept
        kept.append((part, style))
        used += size
    return kept


@dataclass(frozen=True)
class Column:
    header: str = ""
    justify: Literal["left", "right"] = "left"
    flexible: bool = False  # takes the room the others leave; its words fold onto more lines
    max_width: int | None = None  # longer cells are cut with …


def table(
    columns: list[Column], rows: list[list[Line]], width: int, gap: int = 2, header_style: str | None = "bold"
) -> list[Line]:
    """The rows under a header and a rule (if the columns have headers), `gap` spaces between columns, in at
    most `width` cells if they fit."""
    headed = any(column.header for column in columns)
    if headed:
        rows = [[[(c.header, header_style)] for c in columns], *rows]
    measured = [[width_of(cell) for cell in row] for row in rows]
    widths = []
    for index, column in enumerate(columns):
        widest = max(sizes[index] for sizes in measured) if measured else 0
        widths.append(min(widest, column.max_width) if column.max_width else widest)
    _fit(columns, rows, widths, width - gap * (len(columns) - 1))
    lines: list[Line] = []
    spacer = (" " * gap, None)
    rule: Line = [("─" * (sum(widths) + gap * (len(columns) - 1)), None)]
    for number, (row, sizes) in enumerate(zip(rows, measured, strict=True)):
        if all(size <= column_width for size, column_width in zip(sizes, widths, strict=True)):
            lines.append(_row(row, sizes, columns, widths, spacer))  # the usual case: the row fits on one line
        else:
            cells: list[list[Line]] = []
            for cell, size, column, column_width in zip(row, sizes, columns, widths, strict=True):
                if size <= column_width:
                    cells.append([cell])
                elif column.flexible:
                    cells.append(wrap(cell, column_width))
                else:
                    cells.append([truncate(cell, column_width)])
            for height in range(max(len(c) for c in cells)):
                parts = [c[height] if height < len(c) else [] for c in cells]
                lines.append(_row(parts, [width_of(part) for part in parts], columns, widths, spacer))
        if headed and number == 0:
            lines.append(rule)
    return lines


def _fit(columns: list[Column], rows: list[list[Line]], widths: list[int], room: int) -> None:
    """Narrow the flexible columns until the row fits in `room`: first down to their longest word (at most
    30 cells), then, if that is not enough, down to 8 cells, cutting words. Widest first."""
    flexible = [index for index, column in enumerate(columns) if column.flexible]
    if not flexible or sum(widths) <= room:
        return
    words = {i: min(30, max(_longest_word(row[i]) for row in rows)) for i in flexible}
    for floor in (words, dict.fromkeys(flexible, 8)):
        while sum(widths) > room:
            spare = [(widths[i] - floor[i], i) for i in flexible if widths[i] > floor[i]]
            if not spare:
                break
            widths[max(spare)[1]] -= 1


def _longest_word(line: Line) -> int:
    return max((cell_len(word) for part, _ in line for word in part.split(" ")), default=0)


def _row(cells: list[Line], sizes: list[int], columns: list[Column], widths: list[int], spacer: Segment) -> Line:
    line: Line = []
    for index, cell in enumerate(cells):
        pad = (" " * max(0, widths[index] - sizes[index]), None)
        if index:
            line.append(spacer)
        if columns[index].justify == "right":
            line.append(pad)
            line += cell
        else:
            line += cell
            line.append(pad)
    return line
