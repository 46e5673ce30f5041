"""Lint findings as JUnit XML, as GitLab and Jenkins read it: a test case per file, a failure per error."""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from itertools import groupby

from okrctl.lint import LintResult
from okrctl.reporters import ReportOptions


def lint_junit(result: LintResult, options: ReportOptions) -> str:
    by_path = {path: list(group) for path, group in groupby(result.findings, key=lambda f: f.path)}
    errors = sum(1 for f in result.findings if f.severity == "error")
    suites = ElementTree.Element("testsuites", name="okrctl", tests=str(result.files), failures=str(errors))
    suite = ElementTree.SubElement(
        suites, "testsuite", name="okrctl lint", tests=str(result.files), failures=str(errors), errors="0"
    )
    for path in sorted({*result.paths, *by_path}):
        findings = by_path.get(path, [])
        case = ElementTree.SubElement(suite, "testcase", classname="okrctl.lint", name=path, file=path)
        for finding in findings:
            if finding.severity == "error":
                failure = ElementTree.SubElement(
                    case, "failure", message=f"{finding.code} {finding.message}", type=finding.code
                )
                failure.text = (
                    f"{path}:{finding.line}:{finding.column} {finding.code} {finding.name}: {finding.message}"
                )
        warnings = [f for f in findings if f.severity == "warning"]
        if warnings:
            out = ElementTree.SubElement(case, "system-out")
            out.text = "\n".join(f"{path}:{f.line}:{f.column} {f.code} warning {f.message}" for f in warnings)
    ElementTree.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ElementTree.tostring(suites, encoding="unicode") + "\n"
