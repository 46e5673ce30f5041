"""Rule cases as data: one YAML file per rule code in tests/rules/, each case a small goals folder.

Every case is linted through the core with a fixed as-of date; the findings of the case's rule must
equal the expected ones exactly — path, line, column and message — and carry the rule's severity. A case
may name `paths` to lint (as pre-commit names the files a commit touches); by default the whole folder is.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import importlib
import pkgutil
import re
import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

import okrctl
from okrctl.commands.lint import collect
from okrctl.rules import RULES

CASES_DIR = Path(__file__).parent.parent / "rules"
DEFAULT_AS_OF = dt.date(2026, 11, 23)


def _cases() -> list[Any]:
    params = []
    for case_file in sorted(CASES_DIR.glob("*.yaml")):
        document = yaml.safe_load(case_file.read_text(encoding="utf-8"))
        for case in document["cases"]:
            params.append(pytest.param(document["rule"], case, id=f"{document['rule']}: {case['name']}"))
    return params


def test_every_rule_has_cases_that_fail_and_pass() -> None:
    documents = {path.stem: yaml.safe_load(path.read_text(encoding="utf-8")) for path in CASES_DIR.glob("*.yaml")}
    assert sorted(documents) == sorted(RULES)
    for code, document in documents.items():
        assert document["rule"] == code
        outcomes = {bool(case["expect"]) for case in document["cases"]}
        assert outcomes == {True, False}, f"{code} needs failing and passing cases"


@pytest.mark.parametrize(("code", "case"), _cases())
def test_rule_case(code: str, case: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name, text in case["files"].items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    as_of = case.get("as_of", DEFAULT_AS_OF)
    result = collect([Path(name) for name in case.get("paths", [])], as_of)

    default_path = next(name for name in case["files"] if name != "okrctl.yaml")
    expected = [
        (item.get("path", default_path), item["line"], item["column"], item["message"]) for item in case["expect"]
    ]
    actual = [(f.path, f.line, f.column, f.message) for f in result.findings if f.code == code]
    assert actual == expected
    severity = case.get("severity", RULES[code].severity)
    assert {f.severity for f in result.findings if f.code == code} <= {severity}


# -- linear time on hostile input ------------------------------------------------------------

LONG = 200_000  # a quadratic regular expression takes minutes on this; a linear one, milliseconds


@contextlib.contextmanager
def deadline(seconds: int) -> Iterator[None]:
    """Fail (rather than hang for minutes) when the block runs past `seconds`; `re` searches are interruptible."""

    def expire(signum: int, frame: object) -> None:
        raise TimeoutError(f"took over {seconds} s: something here is super-linear")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _module_patterns() -> list[tuple[str, re.Pattern[str]]]:
    patterns = []
    for info in pkgutil.walk_packages(okrctl.__path__, "okrctl."):
        if info.name == "okrctl.__main__":
            continue  # it runs the command line
        module = importlib.import_module(info.name)
        patterns += [(f"{info.name}.{name}", v) for name, v in vars(module).items() if isinstance(v, re.Pattern)]
    return patterns


def test_every_regular_expression_of_okrctl_is_linear_on_long_runs() -> None:
    patterns = _module_patterns()
    names = {name for name, _ in patterns}
    required = {"okrctl.suppression._DIRECTIVE", "okrctl.loader._KIND_LINE", "okrctl.yamlread._NUMBER"}
    assert required | {"okrctl.history._FLOW_DATED"} <= names
    hostile = [
        "a" * LONG,
        " " * LONG,
        "\t" * LONG,
        "#" + " " * LONG,
        "# okrctl: ignore " + "OKR1" * (LONG // 4),
        "# okrctl: ignore " + "x" * LONG,
        "1" * LONG + "a",
        "1," * (LONG // 2) + "a",
        "-" * LONG + "kind",
        "$" + "9" * LONG + "%a",
        "aA1-" * (LONG // 4),
    ]
    with deadline(20):  # the assertion: every pattern ran on every hostile text within it
        for _, pattern in patterns:
            for text in hostile:
                subject = text.encode() if isinstance(pattern.pattern, bytes) else text  # git's output is bytes
                pattern.search(subject)
                pattern.fullmatch(subject)
                pattern.findall(subject)


def test_every_rule_runs_in_linear_time_on_200_kb_titles_and_notes(tmp_path: Path) -> None:
    word = "a" * LONG  # no space and no digit: the shape that made OKR104 quadratic
    (tmp_path / "goals.yaml").write_text(
        "kind: okrs\nperiod: 2026-Q4\nowner: ops\nobjectives:\n"
        f"  - id: long\n    title: {word}\n    key_results:\n"
        f"      - {{id: a, title: {word}, start: 0, target: 10, checkins: [{{date: 2026-11-20, value: 5, note: {word}}}]}}\n"
        "      - {id: b, title: Grow b from 0 to 10, start: 0, target: 10, checkins: [{date: 2026-11-20, value: 5}]}\n",
        encoding="utf-8",
    )
    (tmp_path / "kpis.yaml").write_text(
        "kind: kpis\nowner: ops\nkpis:\n"
        f"  - {{id: k, title: {word}, owner: ana, definition: {word}, source: {word}, frequency: weekly,\n"
        "      green: {min: 1}, measurements: [{date: 2026-11-20, value: 2}]}\n",
        encoding="utf-8",
    )
    with deadline(20):
        result = collect([tmp_path], DEFAULT_AS_OF, use_cache=False)
    assert result.files == 2
    assert result.findings == []  # one word, no number, fresh values: nothing to say
