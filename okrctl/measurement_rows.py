"""The rows of a measurement import: CSV with a header row `kpi,date,value[,note]` (columns in any order) or
JSON lines with those keys. Read by `okrctl measure --from` and by the csv datasource of `--from-sources`."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from datetime import date

from okrctl.periods import PeriodError, parse_date
from okrctl.writing import EditRefused
from okrctl.yamlread import resolve_plain


def _shown(text: str) -> str:
    text = text.strip()
    return repr(text if len(text) <= 40 else text[:20] + "…" + text[-8:])


def parse_number(text: str, what: str) -> int | float:
    """A finite YAML 1.2 number (as a float could hold it), else a refusal."""
    value = resolve_plain(text.strip()) if text.strip() else None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise EditRefused(f"{what} {_shown(text)} is not a number (write it like 1300000, 4.5 or 0.70)")
    try:
        finite = math.isfinite(value)
    except OverflowError:  # an integer beyond the float range: every report would need it as a float
        finite = False
    if not finite:
        raise EditRefused(f"{what} {_shown(text)} is not a finite number within ±1.8e308 (a goal never needs more)")
    return value


@dataclass(frozen=True)
class ImportRow:
    """One measurement to record, from line `line` of the input."""

    line: int
    ref: str
    day: date
    value: str  # as written in the input, written as is
    note: str | None = None


_COLUMNS = ("kpi", "date", "value", "note")


def read_rows(text: str, shown: str, refs: bool = True) -> list[ImportRow]:
    """The measurements of an import: CSV with a header row (`kpi,date,value[,note]`, in any order) or JSON
    lines (one object per line with those keys). A bad row stops the import before anything is written: an
    EditRefused naming `shown:LINE`. `refs`: the kpi column holds OWNER/KPI references (an import), else any
    name (the `column:` of a KPI's query, for a csv datasource)."""
    if text.lstrip().startswith("{"):
        return _json_rows(text, shown, refs)
    return _csv_rows(text, shown, refs)


def _csv_rows(text: str, shown: str, refs: bool) -> list[ImportRow]:
    import csv
    import io

    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [name.strip() for name in reader.fieldnames or []]
    missing = [name for name in _COLUMNS[:3] if name not in header]
    unknown = [name for name in header if name not in _COLUMNS]
    if missing or unknown:
        wanted = "a header row kpi,date,value (and optionally note)"
        found = f"unknown column {unknown[0]!r}" if unknown else f"no column {missing[0]!r}"
        raise EditRefused(f"{shown}:1: {found}: a CSV import needs {wanted}; nothing was written")
    reader.fieldnames = header
    rows = []
    for record in reader:
        line = reader.line_num
        if None in record or any(record.get(name) is None for name in _COLUMNS[:3]):
            more = "more" if None in record else "fewer"
            raise EditRefused(f"{shown}:{line}: this row has {more} fields than the header; nothing was written")
        rows.append(
            _row(refs, shown, line, record.get("kpi"), record.get("date"), record.get("value"), record.get("note"))
        )
    return rows


def _json_rows(text: str, shown: str, refs: bool) -> list[ImportRow]:
    rows = []
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            record = json.loads(raw, parse_constant=_no_constant)
        except ValueError as error:
            raise EditRefused(f"{shown}:{number}: not a JSON object: {error}; nothing was written") from None
        if not isinstance(record, dict):
            raise EditRefused(f"{shown}:{number}: each line is one JSON object with kpi, date and value")
        unknown = [key for key in record if key not in _COLUMNS]
        if unknown:
            raise EditRefused(f"{shown}:{number}: unknown key {str(unknown[0])!r}: the keys are kpi, date, value, note")
        value = record.get("value")
        if isinstance(value, bool) or not isinstance(value, int | float | str | None):
            raise EditRefused(f"{shown}:{number}: value: a number, like 4.5")
        written = json.dumps(value) if isinstance(value, int | float) else value
        rows.append(_row(refs, shown, number, record.get("kpi"), record.get("date"), written, record.get("note")))
    return rows


def _no_constant(name: str) -> None:
    raise ValueError(f"{name} is no number a goal file can hold")


def _row(refs: bool, shown: str, line: int, ref: object, day: object, value: object, note: object) -> ImportRow:
    where = f"{shown}:{line}"
    if not isinstance(ref, str) or not ref.strip() or (refs and len(ref.strip().split("/")) != 2):
        raise EditRefused(f"{where}: kpi: a KPI reference, OWNER/KPI (e.g. support/csat); nothing was written")
    if not isinstance(day, str):
        raise EditRefused(f"{where}: date: YYYY-MM-DD; nothing was written")
    try:
        when = parse_date(day.strip())
    except PeriodError as error:
        raise EditRefused(f"{where}: date: {error}; nothing was written") from None
    if when > date.today():
        raise EditRefused(f"{where}: the date {when} is in the future: record values once they are measured")
    if not isinstance(value, str) or not value.strip():
        raise EditRefused(f"{where}: value: a number, like 4.5; nothing was written")
    try:
        parse_number(value, "value")
    except EditRefused as error:
        raise EditRefused(f"{where}: {error}") from None
    if note is not None and not isinstance(note, str):
        raise EditRefused(f"{where}: note: text; nothing was written")
    return ImportRow(line, ref.strip(), when, value.strip(), note.strip() or None if isinstance(note, str) else None)
