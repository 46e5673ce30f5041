"""Lint findings as SARIF 2.1.0, for GitHub code scanning and other SARIF viewers."""

from __future__ import annotations

import inspect
import json
from typing import Any
from urllib.parse import quote

from okrctl import __version__
from okrctl.findings import LintResult
from okrctl.reporters import ReportOptions
from okrctl.rules import RULES

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/okrctl/okrctl"


def _rule(index: int, code: str) -> dict[str, Any]:
    rule = RULES[code]
    doc = inspect.cleandoc(rule.doc)
    full = doc.split("**What it does.**", 1)[-1].split("**Why it matters.**", 1)[0].strip()
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": " ".join(full.split()) or rule.summary},
        "help": {"text": doc, "markdown": doc},
        "helpUri": help_uri(code),
        "defaultConfiguration": {"level": rule.severity},
        "properties": {"tags": ["okr" if code < "OKR200" else "kpi" if code < "OKR300" else "time"]},
    }


def help_uri(code: str) -> str:
    """Where a rule's documentation can be read on the web: its module, whose docstring is that documentation
    (the same text as `okrctl rule CODE` and the rule's page of the documentation site)."""
    return f"{INFORMATION_URI}/blob/main/{RULES[code].source}"


def artifact_uri(path: str) -> str:
    """A relative path as a URI reference: spaces, non-ASCII, `%`, `#` and `?` percent-encoded (a file name
    that is not UTF-8 keeps its original bytes)."""
    return quote(path, safe="/", errors="surrogateescape")


def lint_sarif(result: LintResult, options: ReportOptions) -> str:
    codes = list(RULES)
    results = [
        {
            "ruleId": finding.code,
            "ruleIndex": codes.index(finding.code),
            "level": finding.severity,
            "message": {"text": finding.message},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": artifact_uri(finding.path), "uriBaseId": "%SRCROOT%"},
                        "region": {"startLine": finding.line, "startColumn": finding.column},
                    }
                }
            ],
        }
        for finding in result.findings
    ]
    document = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "okrctl",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "informationUri": INFORMATION_URI,
                        "rules": [_rule(i, code) for i, code in enumerate(codes)],
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
