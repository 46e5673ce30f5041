"""User text made safe to print: on one line, without control or bidi characters, never a CI workflow command.

Titles, units, notes and file names are the user's text and may hold anything a YAML string can: line breaks,
terminal escapes, bidi overrides. Every report, lint reporter and stderr note passes them through `one_line`,
and everything okrctl prints passes through `guard_commands`, so no output line can be read by the GitHub
Actions runner as a workflow command. Names that must be shown exactly (file names, what a user typed) pass
through `printable` instead, which escapes rather than folds. Every escape is written by `escaped`. Plain
string work, no Rich and no other okrctl module: the lint reporters and the CLI's error path import it too.
"""

from __future__ import annotations

import json
import re

# Line breaks and tabs fold to a space: a title written over two lines reads as one.
_FOLDED = "\t\n\v\f\r\x1c\x1d\x1e\x85\u2028\u2029"
# Shown escaped (`\x1b`, `\u202e`): the other C0 and C1 controls, DEL, the bidi controls that can make
# text read differently from what it is (Trojan Source), and lone surrogates (a byte of a file name that is
# not UTF-8), which a UTF-8 stdout cannot even encode.
_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_UNSAFE = re.compile(f"[{_FOLDED}]+|[\x00-\x1f\x7f-\x9f{_BIDI}\ud800-\udfff]")

# A line that starts with `::` once leading whitespace (and colour codes) are skipped is a workflow command
# to the Actions runner; `##[` anywhere in a line is its older form.
_COMMAND_START = re.compile(r"^((?:[^\S\n]|\x1b\[[0-9;]*m)*)::", re.MULTILINE)
_ZERO_WIDTH_SPACE = "\u200b"


def escaped(character: str) -> str:
    r"""How a character that must not be printed is shown: as Python escapes it (`\n`, `\x1b`, `\u202e`), and a
    byte of a file name that is not UTF-8 (which `os.fsdecode` turns into a lone surrogate) as that byte, `\xff`."""
    code = ord(character)
    if 0xDC80 <= code <= 0xDCFF:
        return f"\\x{code - 0xDC00:02x}"
    return repr(character)[1:-1]


def _fold_or_escape(match: re.Match[str]) -> str:
    found = match.group()
    return " " if found[0] in _FOLDED else escaped(found)


def json_text(document: object) -> str:
    """Strict JSON for people and pipes: no NaN or Infinity (scoring keeps numbers finite, so one is a bug),
    non-ASCII as written, but U+2028 and U+2029 escaped: JSON allows them raw, yet line-based tools (and
    JavaScript before ES2019) take them for line breaks."""
    text = json.dumps(document, indent=2, ensure_ascii=False, allow_nan=False)
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029") + "\n"


def one_line(text: str) -> str:
    """`text` on one line: line breaks and tabs folded to a space, control and bidi characters escaped."""
    if text.isprintable():  # the usual case, and fast: every character above is not printable
        return text
    return _UNSAFE.sub(_fold_or_escape, text)


def printable(text: str) -> str:
    """`text` with every character that is not printable escaped, nothing folded: a file name or an option as
    the user wrote it, readable and unambiguous (a tab shows as `\\t`), that can neither drive the terminal nor
    forge a line of output, nor fail to encode on a strict UTF-8 stdout."""
    if text.isprintable():  # the usual case, at C speed
        return text
    return "".join(character if character.isprintable() else escaped(character) for character in text)


def guard_commands(text: str) -> str:
    """`text` with a zero-width space before every `::` that starts a line and inside every `##[`.

    The runner then prints the line rather than running it; a reader sees no difference.
    """
    if "::" not in text and "##[" not in text:
        return text
    text = _COMMAND_START.sub(rf"\1{_ZERO_WIDTH_SPACE}::", text)
    return text.replace("##[", f"##{_ZERO_WIDTH_SPACE}[")


_MARKDOWN_SPECIAL = re.compile(r"[\\`*_\[\]#|~$]")
_HTML = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}


def markdown_text(text: str) -> str:
    """User text as literal Markdown inline text: one line, HTML and Markdown syntax escaped.

    `<img>`, `[link](…)`, `*bold*` and `|` then render as written and cannot end a table cell or a heading.
    """
    text = _MARKDOWN_SPECIAL.sub(lambda m: "\\" + m.group(), one_line(text))
    for special, entity in _HTML.items():
        text = text.replace(special, entity)
    return " ".join(text.split())
