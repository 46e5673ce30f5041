"""`okrctl rule CODE`: a rule's documentation, from its docstring (as `ruff rule` prints it)."""

from __future__ import annotations

import inspect
import sys

from okrctl.errors import UserError
from okrctl.rules import RULES, Rule
from okrctl.validation import closest


def rule_page(rule: Rule) -> str:
    """The rule's code, name and default severity, then its docstring."""
    return f"{rule.code} {rule.name} (default: {rule.severity})\n\n{inspect.cleandoc(rule.doc)}\n"


def find_rule(wanted: str) -> Rule:
    """The rule with this code (any letter case) or name; a UserError with a did-you-mean otherwise."""
    by_name = {rule.name: rule for rule in RULES.values()}
    rule = RULES.get(wanted.strip().upper()) or by_name.get(wanted.strip().lower())
    if rule is not None:
        return rule
    close = closest(wanted.upper(), RULES) or closest(wanted.lower(), by_name)
    hint = f" (did you mean {close}?)" if close else ""
    raise UserError(f"unknown rule {wanted!r}{hint}: okrctl rule lists them")


def run(code: str | None, every: bool) -> int:
    if code is not None and every:
        raise UserError("give a rule code or --all, not both")
    if code is not None:
        sys.stdout.write(rule_page(find_rule(code)))
    elif every:
        sys.stdout.write("\n".join(rule_page(rule) for rule in RULES.values()))
    else:
        width = max(len(rule.name) for rule in RULES.values())
        for rule in RULES.values():
            print(f"{rule.code}  {rule.name:<{width}}  {rule.severity:<7}  {rule.summary}")
    return 0
