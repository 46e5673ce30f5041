"""A csv datasource: a file of rows `kpi,date,value[,note]` (as `okrctl measure --from` reads), where the kpi
column holds the name a KPI's query gives as `column:`. Read once per run, whatever the number of KPIs."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from pathlib import Path

from okrctl.config import Datasource
from okrctl.measurement_rows import ImportRow, parse_number, read_rows
from okrctl.sources import Reading, Request, SourceError
from okrctl.writing import EditRefused


class CsvSource:
    def __init__(self, name: str, path: Path, shown: str) -> None:
        try:
            text = path.read_bytes().decode("utf-8-sig")
        except FileNotFoundError:
            raise SourceError(f"no file {shown}") from None
        except (OSError, UnicodeDecodeError) as error:
            reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
            raise SourceError(f"cannot read {shown}: {reason}") from None
        try:
            rows = read_rows(text, shown, refs=False)
        except EditRefused as error:
            raise SourceError(str(error).removesuffix("; nothing was written")) from None
        self._rows: dict[tuple[str, date], list[ImportRow]] = defaultdict(list)
        for row in rows:
            self._rows[row.ref, row.day].append(row)
        self._shown = shown

    def read(self, request: Request) -> Reading:
        column = request.query.column or ""
        found = self._rows.get((column, request.window.day), [])
        if not found:
            raise SourceError(f"{self._shown} has no row for {column} on {request.window.day}")
        if len({parse_number(row.value, "value") for row in found}) > 1:  # 5 and 5.0 are one value
            lines = ", ".join(str(row.line) for row in found)
            raise SourceError(
                f"{self._shown} has more than one value for {column} on {request.window.day} (lines {lines})"
            )
        return Reading(found[0].value, found[0].note)

    def close(self) -> None:
        pass


def connect(name: str, datasource: Datasource, root: Path) -> CsvSource:
    assert datasource.path is not None  # the config requires it
    return CsvSource(name, root / datasource.path, datasource.path)
