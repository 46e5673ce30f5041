"""A goal file as one fact per line, for git's diff driver (`okrctl textconv`), so that `git diff` and
`git log -p` show what changed in goal terms:

    -sales/acquire/new-revenue  target 2,000,000 USD
    +sales/acquire/new-revenue  target 1,600,000 USD

Each line starts with the reference of the item it is about (`OWNER`, `OWNER/OBJECTIVE`, `OWNER/OBJECTIVE/KR`,
`OWNER/KPI`), so a changed line says where it is. Items, check-ins and measurements come in the file's order;
an item's fields in a fixed order (a reordering of keys changes no line), and fields okrctl does not know
after them, so no edit of a value goes unseen. Comments and layout are not facts: a change to them alone
shows no line (`git diff --no-textconv` shows the text). Numbers are exact (`0.00025` stays `0.00025`),
grouped by thousands.

git runs this on every version of every file the attributes name, so it never fails on content: a file that
is not a goal file — broken YAML, another kind of YAML, binary, too large — comes out as its own text,
decoded with replacement, so that git still diffs something. It reads the file as written, without
validation: a version with a schema error shows its facts too. Plain string work on the parse tree: no
models, no Rich, so that it starts fast.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from okrctl.arithmetic import is_number
from okrctl.goal_bytes import MAX_BYTES, wide_text
from okrctl.reporters.formatting import exact_number
from okrctl.reporters.safe_text import guard_commands, printable
from okrctl.yamlread import YamlMap, YamlSeq, YamlSyntaxError, parse_yaml

# The fields of each item, in the order they are shown; fields not listed follow, in the file's order.
_HEADER = ("kind", "period", "level")
_OBJECTIVE = ("title", "type", "weight", "aligns_to", "guardrails")
_KEY_RESULT = (
    "title",
    "start",
    "target",
    "at_least",
    "at_most",
    "done",
    "done_on",
    "kpi",
    "current",
    "unit",
    "weight",
    "grade",
    "grade_note",
)
_KPI = ("title", "owner", "unit", "definition", "source", "frequency", "green", "amber")
_VALUED = frozenset({"start", "target", "at_least", "at_most", "current"})  # numbers shown with the unit
_NUMBERS = frozenset({"weight", "grade"})  # numbers shown grouped by thousands, like values
_ROWS = {"checkins": "check-in", "measurements": "measurement", "rebaselined": "rebaselined"}
_SEPARATOR = "  "  # between the reference and the fact, and between the parts of a row


def textconv(data: bytes) -> str:
    """The file's facts, one per line; the file's own text when it is not a goal file."""
    text = _decoded(data)
    if text is None or len(data) > MAX_BYTES:
        return raw_text(data)
    try:
        tree = parse_yaml(text)
    except YamlSyntaxError:
        return raw_text(data)
    if not isinstance(tree, YamlMap) or tree.get("kind") not in ("okrs", "kpis"):
        return raw_text(data)
    lines = _okrs_facts(tree) if tree["kind"] == "okrs" else _kpis_facts(tree)
    return guard_commands("".join(line.rstrip() + "\n" for line in lines))


def _decoded(data: bytes) -> str | None:
    """The text of a goal file (UTF-8, with or without a byte-order mark), or None."""
    if b"\0" in data:
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None


def raw_text(data: bytes) -> str:
    """The file's text as git would diff it, decoded with replacement (UTF-16 and UTF-32 as such), each line
    safe to print: control and bidi characters escaped, no line a CI runner would read as a command."""
    wide = wide_text(data) if b"\0" in data or data.startswith((b"\xff\xfe", b"\xfe\xff")) else None
    text = wide[1] if wide is not None else data.decode("utf-8", "replace").removeprefix("\ufeff")
    return guard_commands("".join(printable(line) + "\n" for line in text.splitlines()))


# -- goal files ---------------------------------------------------------------------------------------------


def _okrs_facts(tree: YamlMap) -> Iterator[str]:
    owner = _name(tree.get("owner"))
    yield from _fields(owner, tree, _HEADER, skip={"owner", "objectives"})
    objectives = tree.get("objectives")
    if not isinstance(objectives, YamlSeq):
        if "objectives" in tree:
            yield _fact(owner, "objectives", _value(objectives))
        return
    for index, objective in enumerate(objectives):
        ref = f"{owner}/{_item_name(objective, index)}"
        if not isinstance(objective, YamlMap):
            yield _fact(ref, "objective", _value(objective))
            continue
        yield from _fields(ref, objective, _OBJECTIVE, skip={"id", "key_results"})
        key_results = objective.get("key_results")
        if not isinstance(key_results, YamlSeq):
            if "key_results" in objective:
                yield _fact(ref, "key_results", _value(key_results))
            continue
        for kr_index, key_result in enumerate(key_results):
            kr_ref = f"{ref}/{_item_name(key_result, kr_index)}"
            if not isinstance(key_result, YamlMap):
                yield _fact(kr_ref, "key result", _value(key_result))
                continue
            yield from _fields(kr_ref, key_result, _KEY_RESULT, skip={"id"}, unit=key_result.get("unit"))


def _kpis_facts(tree: YamlMap) -> Iterator[str]:
    owner = _name(tree.get("owner"))
    yield from _fields(owner, tree, _HEADER, skip={"owner", "kpis"})
    kpis = tree.get("kpis")
    if not isinstance(kpis, YamlSeq):
        if "kpis" in tree:
            yield _fact(owner, "kpis", _value(kpis))
        return
    for index, kpi in enumerate(kpis):
        ref = f"{owner}/{_item_name(kpi, index)}"
        if not isinstance(kpi, YamlMap):
            yield _fact(ref, "kpi", _value(kpi))
            continue
        yield from _fields(ref, kpi, _KPI, skip={"id"}, unit=kpi.get("unit"))


def _fields(ref: str, item: YamlMap, order: tuple[str, ...], skip: set[str], unit: Any = None) -> Iterator[str]:
    """One line per field of `item`: the known ones in `order`, then the rest in the file's order, then the
    rows (check-ins, measurements, rebaselined entries) one line each."""
    known = [name for name in order if name in item]
    rest = [name for name in item if name not in order and name not in skip and name not in _ROWS]
    for name in (*known, *rest):
        yield _fact(ref, name, _field_value(name, item[name], unit))
    for name, label in _ROWS.items():
        if name in item and name not in skip:
            rows = item[name]
            if isinstance(rows, YamlSeq):
                yield from (_fact(ref, label, _row(row, name, unit)) for row in rows)
            else:
                yield _fact(ref, name, _value(rows))


def _field_value(name: str, value: Any, unit: Any) -> str:
    if name in _VALUED:
        return _with_unit(value, unit)
    if name in _NUMBERS:
        return _number(value)
    if name in ("green", "amber") and isinstance(value, YamlMap):
        return _band(value, unit)
    if name == "guardrails" and isinstance(value, YamlSeq):
        return ", ".join(_value(ref) for ref in value)
    if name == "unit":
        return _text(value)
    return _value(value)


def _row(row: Any, kind: str, unit: Any) -> str:
    """`2026-10-31  600,000 USD  confidence 0.6  "note"`, `2026-11-02  from 2,000,000 USD  "reason"`."""
    if not isinstance(row, YamlMap):
        return _value(row)
    parts = [_value(row["date"]) if "date" in row else "(no date)"]
    if kind == "rebaselined":
        if "from" in row:
            parts.append(f"from {_with_unit(row['from'], unit)}")
        shown, words = {"date", "from"}, "reason"
    else:
        if "value" in row:
            parts.append(_with_unit(row["value"], unit))
        if "confidence" in row:
            parts.append(f"confidence {_number(row['confidence'])}")
        shown, words = {"date", "value", "confidence"}, "note"
    parts += [f"{name} {_value(row[name])}" for name in row if name not in shown and name != words]
    if words in row:
        parts.append(_quoted(row[words]))
    return _SEPARATOR.join(parts)


def _band(band: YamlMap, unit: Any) -> str:
    """`≥ 8.5/10`, `≤ 3%`, `95–105 %`: the band's bounds, and any other key as written."""
    low, high = band.get("min"), band.get("max")
    if "min" in band and "max" in band:
        shown = f"{_number(low)}–{_with_unit(high, unit)}"
    elif "min" in band:
        shown = f"≥ {_with_unit(low, unit)}"
    elif "max" in band:
        shown = f"≤ {_with_unit(high, unit)}"
    else:
        shown = ""
    others = [f"{name} {_value(band[name])}" for name in band if name not in ("min", "max")]
    return _SEPARATOR.join(filter(None, [shown, *others]))


# -- values ----------------------------------------------------------------------------------------------


def _fact(ref: str, name: str, value: str) -> str:
    return f"{ref}{_SEPARATOR}{name} {value}"


def _name(value: Any) -> str:
    """An owner or id as part of a reference: as written, escaped; `?` when there is none."""
    if value is None:
        return "?"
    return printable(value) if isinstance(value, str) else _value(value)


def _item_name(item: Any, index: int) -> str:
    """An item's id, or its place (`#2`, counting from 1) when it has none."""
    if isinstance(item, YamlMap) and item.get("id") is not None:
        return _name(item["id"])
    return f"#{index + 1}"


def _with_unit(value: Any, unit: Any) -> str:
    """A number and its unit: `%` and `/10` attach (`8.3/10`), words follow a space; text is quoted."""
    shown = _number(value)
    if not isinstance(unit, str) or not unit.strip() or not is_number(value):
        return shown
    unit = printable(unit).strip()
    return f"{shown}{unit}" if unit.startswith(("%", "/")) else f"{shown} {unit}"


def _number(value: Any) -> str:
    """A number grouped by thousands (`exact_number`); anything else quoted, so that `"12"` for 12 shows."""
    return exact_number(value) if is_number(value) else _quoted(value)


def _text(value: Any) -> str:
    return printable(value) if isinstance(value, str) else _value(value)


def _quoted(value: Any) -> str:
    """Text in double quotes (it shares its line with other parts); anything else as `_value` shows it."""
    return f'"{printable(value)}"' if isinstance(value, str) else _value(value)


def _value(value: Any) -> str:
    """Any YAML value on one line: numbers exact and as written (`period: 2026` is no amount), text as
    written with line breaks, tabs and other unprintable characters escaped (`\\n`: an edit that only adds a
    line break still shows), lists and mappings (keys sorted) in flow style."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return exact_number(value, grouped=False)
    if isinstance(value, str):
        return printable(value)
    if isinstance(value, list):
        return "[" + ", ".join(_value(item) for item in value) + "]"
    if isinstance(value, dict):
        pairs = sorted(value.items(), key=lambda pair: str(pair[0]))  # reordered keys change no line
        return "{" + ", ".join(f"{_name(key)}: {_value(item)}" for key, item in pairs) + "}"
    return printable(str(value))
