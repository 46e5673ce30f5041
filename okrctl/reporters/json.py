"""Lint report as JSON, version 1 (SPEC section 5)."""

from __future__ import annotations

from dataclasses import asdict

from okrctl.engine import LintResult
from okrctl.reporters import ReportOptions
from okrctl.reporters.safe_text import json_text

VERSION = 1


def lint_json(result: LintResult, options: ReportOptions) -> str:
    document = {
        "version": VERSION,
        "findings": [asdict(finding) for finding in result.findings],
        "files": result.files,
        "errors": result.errors,
        "warnings": result.warnings,
    }
    return json_text(document)
