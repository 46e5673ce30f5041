"""Lint findings as JUnit XML, as GitLab, Jenkins and xunit readers take it.

A test case per goal file; a failing file has one `failure` element holding all its errors (and, with
--strict, its warnings), so `tests` counts cases and `failures` counts failing cases, as every reader
expects. File names and messages are made XML-safe: characters XML 1.0 cannot hold (terminal escapes,
other control characters, the bytes of a file name that are not UTF-8) are written as visible escapes.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from itertools import groupby

from okrctl.findings import Finding, LintResult
from okrctl.reporters import ReportOptions
from okrctl.reporters.safe_text import escaped

# Everything outside XML 1.0's Char production: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_safe(text: str) -> str:
    r"""`text` with every character XML cannot hold escaped as everywhere else (`\x1b`, `\xff`; see `escaped`)."""
    return _NOT_XML.sub(lambda match: escaped(match.group()), text)


def _line(finding: Finding) -> str:
    return f"{finding.path}:{finding.line}:{finding.column} {finding.code} {finding.severity} {finding.message}"


def lint_junit(result: LintResult, options: ReportOptions) -> str:
    failing_levels = ("error", "warning") if options.strict else ("error",)
    by_path = {path: list(group) for path, group in groupby(result.findings, key=lambda f: f.path)}
    paths = sorted({*result.paths, *by_path})
    cases = []
    for path in paths:
        findings = by_path.get(path, [])
        case = ElementTree.Element("testcase", classname="okrctl.lint", name=xml_safe(path), file=xml_safe(path))
        failures = [f for f in findings if f.severity in failing_levels]
        if failures:
            first = failures[0]
            more = f" (and {len(failures) - 1} more)" if len(failures) > 1 else ""
            failure = ElementTree.SubElement(
                case, "failure", message=xml_safe(f"{first.code} {first.message}{more}"), type=first.code
            )
            failure.text = xml_safe("\n".join(map(_line, failures)))
        others = [f for f in findings if f not in failures]
        if others:
            ElementTree.SubElement(case, "system-out").text = xml_safe("\n".join(map(_line, others)))
        cases.append(case)
    tests, failed = str(len(cases)), str(sum(1 for case in cases if case.find("failure") is not None))
    suites = ElementTree.Element("testsuites", name="okrctl", tests=tests, failures=failed, errors="0")
    suite = ElementTree.SubElement(
        suites, "testsuite", name="okrctl lint", tests=tests, failures=failed, errors="0", skipped="0"
    )
    suite.extend(cases)
    ElementTree.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ElementTree.tostring(suites, encoding="unicode") + "\n"
