"""`okrctl history`: one row per commit that changed an item, as a table or a JSON document."""

from __future__ import annotations

from okrctl.commands.history import KIND_WORDS, ItemHistory, Row
from okrctl.findings import plural
from okrctl.reporters import ReportOptions
from okrctl.reporters.formatting import BAND_STYLE, GRADE_STYLE, numbers, render, score_text, sparkline, with_unit
from okrctl.reporters.layout import Column, Line, table
from okrctl.reporters.safe_text import json_text, one_line

AUTHOR_WIDTH = 20  # longer names are cut with …
SPARK_WIDTH = 40  # the sparkline draws the last 40 values


def _score(history: ItemHistory, row: Row) -> Line:
    if history.kind == "kpi":
        band = row.band or "no_data"
        return [(band, BAND_STYLE.get(band))]
    return [(score_text(row.score), GRADE_STYLE.get(row.grade or ""))]


def history_text(history: ItemHistory, options: ReportOptions) -> str:
    kind = KIND_WORDS[history.kind]
    where = ", ".join(history.paths)
    if history.renamed_from:
        where += f" (earlier {', '.join(history.renamed_from)})"
    heading = f"{history.ref} · {kind}" + (f" in {history.period}" if history.period else "") + f" · {where}"
    lines: list[Line] = [[(one_line(heading), "bold")]]
    if history.title:
        lines.append([(one_line(history.title), None)])
    if not history.rows:
        lines.append([(f"no commit up to {history.as_of} changed it", "dim")])
        return render(lines, options)
    columns = [Column("date"), Column("commit"), Column("author", max_width=AUTHOR_WIDTH)]
    numeric = history.kind != "objective"
    if numeric:
        columns += [Column("value", "right")]
    if history.kind == "key_result":
        columns += [Column("target", "right")]
    columns += [Column("band" if history.kind == "kpi" else "score", "right"), Column("what", flexible=True)]
    rows = []
    for row in history.rows:
        cells: list[Line] = [
            [(row.commit.date.isoformat(), None)],
            [(row.commit.short, "yellow")],
            [(one_line(row.commit.author), None)],
        ]
        value, target = numbers(row.value, row.target)
        if numeric:
            cells.append([(with_unit(value, history.unit), None)])
        if history.kind == "key_result":
            cells.append([(with_unit(target, history.unit), None)])
        cells.append(_score(history, row))
        cells.append([(one_line("; ".join(row.what)), None)])
        rows.append(cells)
    lines += table(columns, rows, options.width)
    plotted = history.plotted
    what = "score" if history.kind == "objective" else "value"
    if plotted:
        over = plural(len(history.rows), "commit")
        lines.append([(f"{what} over {over}: ", None), (sparkline(plotted, width=SPARK_WIDTH), "cyan")])
    return render(lines, options)


def history_json(history: ItemHistory, options: ReportOptions) -> str:
    document = {
        "version": 1,
        "ref": history.ref,
        "kind": history.kind,
        "period": history.period,
        "title": history.title,
        "paths": history.paths,
        "renamed_from": history.renamed_from,
        "as_of": history.as_of.isoformat(),
        "changes": [_change(history, row) for row in history.rows],
    }
    return json_text(document)


def _change(history: ItemHistory, row: Row) -> dict[str, object]:
    change: dict[str, object] = {
        "commit": row.commit.id,
        "short": row.commit.short,
        "date": row.commit.date.isoformat(),
        "author": row.commit.author,
        "subject": row.commit.subject,
        "what": list(row.what),
        "value": row.value,
        "target": row.target,
        "score": row.score,
    }
    if history.kind == "kpi":
        change["band"] = row.band
    return change
