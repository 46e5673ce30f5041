"""Lint report as JSON: `version` (1), `findings` (each with path, line, column, code, name, severity and
message), and the counts `files`, `errors` and `warnings`."""

from __future__ import annotations

from dataclasses import asdict

from okrctl.findings import LintResult
from okrctl.report import JSON_VERSION
from okrctl.reporters import ReportOptions
from okrctl.reporters.safe_text import json_text


def lint_json(result: LintResult, options: ReportOptions) -> str:
    document = {
        "version": JSON_VERSION,
        "findings": [asdict(finding) for finding in result.findings],
        "files": result.files,
        "errors": result.errors,
        "warnings": result.warnings,
    }
    return json_text(document)
