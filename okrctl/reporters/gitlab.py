"""Lint findings as a GitLab code quality report (`artifacts: reports: codequality`).

A JSON array of Code Climate issues, the subset GitLab reads: description, check_name, fingerprint,
severity and location. GitLab compares fingerprints between the base and head of a merge request to tell
new findings from fixed ones, so a fingerprint leaves out the line number (a finding keeps its fingerprint
when lines above it move) and counts repeats of one finding in one file to stay unique.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter

from okrctl.findings import LintResult
from okrctl.reporters import ReportOptions

SEVERITY = {"error": "major", "warning": "minor"}


def lint_gitlab(result: LintResult, options: ReportOptions) -> str:
    seen: Counter[tuple[str, str, str]] = Counter()
    issues = []
    for finding in result.findings:
        identity = (finding.path, finding.code, finding.message)
        seen[identity] += 1
        key = "\0".join([*identity, str(seen[identity])])
        issues.append(
            {
                "type": "issue",
                "check_name": finding.code,
                "description": f"{finding.code} {finding.name}: {finding.message}",
                "categories": ["Style"],
                "fingerprint": hashlib.sha256(key.encode("utf-8", "surrogateescape")).hexdigest(),
                "severity": SEVERITY[finding.severity],
                "location": {"path": finding.path, "lines": {"begin": finding.line}},
            }
        )
    return json.dumps(issues, indent=2) + "\n"  # ASCII: a file name that is not UTF-8 stays printable
