"""The README documents every rule, from the same docstrings the code carries."""

from __future__ import annotations

import pytest
from conftest import ROOT

from okrctl.rules import RULES
from okrctl.rules.docs import END, START, embed


def test_readme_rules_reference_is_current(request: pytest.FixtureRequest) -> None:
    readme = ROOT / "README.md"
    text = readme.read_text(encoding="utf-8")
    assert START in text and END in text
    if request.config.getoption("--update-docs"):
        readme.write_text(embed(text), encoding="utf-8")
        text = readme.read_text(encoding="utf-8")
    assert text == embed(text), "README rules reference is stale: run pytest --update-docs"


@pytest.mark.parametrize("code", sorted(RULES))
def test_every_rule_documents_what_why_and_examples(code: str) -> None:
    doc = RULES[code].doc
    assert "**What it does.**" in doc and "**Why it matters.**" in doc
    assert "**Example**" in doc and "**Use instead**" in doc


def test_readme_status_example_is_real_output(request: pytest.FixtureRequest) -> None:
    from conftest import okrctl

    readme = ROOT / "README.md"
    text = readme.read_text(encoding="utf-8")
    heading = "### Reading the status dashboard\n\n```\n"
    before, _, rest = text.partition(heading)
    shown, _, after = rest.partition("```\n")
    actual = okrctl(
        "status", "examples/acme", "--as-of", "2026-11-23", "--owner", "product", cwd=ROOT, env={"COLUMNS": "80"}
    ).out
    if request.config.getoption("--update-docs"):
        readme.write_text(f"{before}{heading}{actual}```\n{after}", encoding="utf-8")
        shown = actual
    assert shown == actual, "README status example is stale: run pytest --update-docs"
