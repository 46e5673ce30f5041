"""The rules reference in Markdown, made from each rule's docstring (the README embeds it)."""

from __future__ import annotations

import inspect

from okrctl.rules import RULES

START = "<!-- rules:start (generated from the rule docstrings; pytest --update-docs refreshes it) -->"
END = "<!-- rules:end -->"


def rules_table() -> str:
    rows = ["| code | name | default | what it flags |", "|---|---|---|---|"]
    rows += [
        f"| [{r.code}](#{r.code.lower()}-{r.name}) | {r.name} | {r.severity} | {r.summary} |" for r in RULES.values()
    ]
    return "\n".join(rows)


def rules_reference() -> str:
    """Every rule: a table, then each rule's documentation."""
    parts = [rules_table()]
    for rule in RULES.values():
        body = inspect.cleandoc(rule.doc).split("\n", 1)
        parts.append(
            f"### {rule.code} {rule.name}\n\n*{rule.severity}* — {body[0]}\n\n{body[1].strip() if len(body) > 1 else ''}"
        )
    return "\n\n".join(parts).rstrip() + "\n"


def embed(document: str) -> str:
    """`document` with the text between the markers replaced by the current reference."""
    before, _, rest = document.partition(START)
    _, _, after = rest.partition(END)
    return f"{before}{START}\n{rules_reference()}{END}{after}"
