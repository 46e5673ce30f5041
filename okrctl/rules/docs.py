"""The rule pages of the documentation site, made from each rule's docstring when the site is built.

docs/hooks.py hands these pages to MkDocs as generated files, and fills the table into the rules index page,
so no copy of a rule's documentation is kept in the repository to go stale: the docstring `okrctl rule CODE`
prints is the page.
"""

from __future__ import annotations

import inspect

from okrctl.rules import RULES, Rule

RULES_FOLDER = "rules"
RULES_TABLE_MARKER = "<!-- rules-table: the table of every rule, filled in when the site is built -->"


def rule_page_path(rule: Rule) -> str:
    """The page's path inside the docs folder: `rules/OKR001.md`."""
    return f"{RULES_FOLDER}/{rule.code}.md"


def rules_table() -> str:
    """A Markdown table of every rule, each code linking to its page (links relative to the rules folder)."""
    rows = ["| code | name | default | what it flags |", "|---|---|---|---|"]
    rows += [f"| [{r.code}]({r.code}.md) | {r.name} | {r.severity} | {r.summary} |" for r in RULES.values()]
    return "\n".join(rows)


def with_rules_table(page: str) -> str:
    """The rules index page (docs/rules/index.md) with its marker replaced by the table of every rule."""
    if RULES_TABLE_MARKER not in page:
        raise ValueError(f"the rules index page lacks the marker {RULES_TABLE_MARKER}")
    return page.replace(RULES_TABLE_MARKER, rules_table())


def rule_page(rule: Rule) -> str:
    """One rule's page: its code, name and default severity, then its docstring (What, Why, Example, Use
    instead), as `ruff` documents its rules."""
    summary, _, body = inspect.cleandoc(rule.doc).partition("\n")
    return (
        f"# {rule.code} {rule.name}\n\n"
        f"Default severity: **{rule.severity}**\n\n"
        f"{summary}\n\n"
        f"{body.strip()}\n\n"
        "## Turning it off\n\n"
        f"On one line: `# okrctl: ignore {rule.code}`. For the whole goals tree, in `okrctl.yaml`: "
        f"`lint: {{ignore: [{rule.code}]}}`, or another severity with "
        f"`lint: {{severity: {{{rule.code}: {'warning' if rule.severity == 'error' else 'error'}}}}}`. "
        "See [inline suppression and config](../format/suppression.md).\n\n"
        f"In a terminal, `okrctl rule {rule.code}` prints this page.\n"
    )


def rule_pages() -> dict[str, str]:
    """One page per rule, by its path inside the docs folder, in code order."""
    return {rule_page_path(rule): rule_page(rule) for rule in RULES.values()}
