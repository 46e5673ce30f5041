"""Lint report as JSON: `version` (1), `findings` (each with path, line, column, code, name, severity and
message), and the counts `files`, `errors` and `warnings`."""

from __future__ import annotations

from okrctl.findings import LintResult, finding_fields
from okrctl.report import JSON_VERSION
from okrctl.reporters import ReportOptions
from okrctl.reporters.safe_text import json_text


def lint_json(result: LintResult, options: ReportOptions) -> str:
    document = {
        "version": JSON_VERSION,
        "findings": [finding_fields(finding) for finding in result.findings],
        "files": result.files,
        "errors": result.errors,
        "warnings": result.warnings,
    }
    return json_text(document)
