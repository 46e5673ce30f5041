"""The score/status document and the KPI document as JSON (version `JSON_VERSION`; see `okrctl.report`)."""

from __future__ import annotations

import dataclasses

from okrctl.report import JSON_VERSION, Report, as_document, kpi_document
from okrctl.reporters import ReportOptions
from okrctl.reporters.safe_text import json_text


def report_json(report: Report, options: ReportOptions) -> str:
    return _dumps(as_document(report))


def tree_json(report: Report, options: ReportOptions) -> str:
    """The score/status document over what the tree shows: its objectives, the roll-ups above them and what
    counts in those, each naming its parent in `aligns_to` (a flat list: a consumer rebuilds the tree)."""
    return _dumps(as_document(dataclasses.replace(report, objectives=report.tree_objectives)))


def kpis_json(report: Report, options: ReportOptions) -> str:
    document = {
        "version": JSON_VERSION,
        "as_of": report.as_of.isoformat(),
        "kpis": [kpi_document(k) for k in report.kpis],
    }
    return _dumps(document)


def _dumps(document: dict[str, object]) -> str:
    return json_text(document)
