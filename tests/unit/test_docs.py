"""The documentation shows real output, and every rule documents itself.

Each ```console block in README.md and docs/ starts with `$ okrctl ...`: the test runs that command in
process, from the repository root at 80 columns, and the block must hold exactly what it prints on stdout.
`pytest --update-docs` rewrites the blocks from the real output.
"""

from __future__ import annotations

import re
import shlex
import subprocess
from pathlib import Path

import pytest
from conftest import ROOT, okrctl

from okrctl.rules import RULES
from okrctl.rules.docs import RULES_TABLE_MARKER, rule_pages, with_rules_table

DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
# A console block: the command on its `$ ` line, then the output the test checks. An output that holds ```
# fences itself (a rule's page) goes in a block fenced with four.
CONSOLE_BLOCK = re.compile(
    r"^(?P<fence>`{3,})console\n\$ (?P<command>okrctl [^\n]*)\n(?P<shown>.*?)^(?P=fence)$", re.M | re.S
)


def real_output(command: str) -> str:
    run = okrctl(*shlex.split(command)[1:], cwd=ROOT, env={"COLUMNS": "80"})
    assert run.code in (0, 1), f"{command} failed: {run.err}"
    return run.out


SHOWING_OUTPUT = [path for path in DOCUMENTS if CONSOLE_BLOCK.search(path.read_text(encoding="utf-8"))]


@pytest.mark.parametrize("document", SHOWING_OUTPUT, ids=[str(path.relative_to(ROOT)) for path in SHOWING_OUTPUT])
def test_shown_output_is_real_output(document: Path, request: pytest.FixtureRequest) -> None:
    text = document.read_text(encoding="utf-8")
    blocks = list(CONSOLE_BLOCK.finditer(text))
    missing = [word for block in blocks for word in _commit_ids(block["command"]) if not _in_history(word)]
    if missing:  # `okrctl diff` of two commits of this repository: a shallow clone or a tarball has neither
        pytest.skip(f"needs commits {', '.join(missing)} of this repository's history (a full git clone)")
    if any(shlex.split(block["command"])[1] == "history" for block in blocks) and not _full_history():
        pytest.skip("`okrctl history` reads this repository's whole history (a full git clone)")
    actual = {block.start(): real_output(block["command"]) for block in blocks}
    if request.config.getoption("--update-docs"):
        text = CONSOLE_BLOCK.sub(
            lambda b: f"{b['fence']}console\n$ {b['command']}\n{actual[b.start()]}{b['fence']}", text
        )
        document.write_text(text, encoding="utf-8")
        return
    for block in blocks:
        assert block["shown"] == actual[block.start()], f"{block['command']}: stale, run pytest --update-docs"


def _commit_ids(command: str) -> list[str]:
    return [word for word in shlex.split(command) if re.fullmatch(r"[0-9a-f]{7,40}", word)]


def _in_history(commit: str) -> bool:
    done = subprocess.run(["git", "cat-file", "-e", f"{commit}^{{commit}}"], cwd=ROOT, capture_output=True)
    return done.returncode == 0


def _full_history() -> bool:
    done = subprocess.run(["git", "rev-parse", "--is-shallow-repository"], cwd=ROOT, capture_output=True, text=True)
    return done.returncode == 0 and done.stdout.strip() == "false"


def test_a_console_block_shows_a_command() -> None:
    """A console block without a `$ okrctl` line would escape the check above."""
    for document in DOCUMENTS:
        text = document.read_text(encoding="utf-8")
        assert len(re.findall(r"^`{3,}console$", text, re.M)) == len(CONSOLE_BLOCK.findall(text)), document


@pytest.mark.parametrize("code", sorted(RULES))
def test_every_rule_documents_what_why_and_examples(code: str) -> None:
    doc = RULES[code].doc
    assert "**What it does.**" in doc and "**Why it matters.**" in doc
    assert "**Example**" in doc and "**Use instead**" in doc


def test_every_rule_has_a_page_and_a_row_in_the_index() -> None:
    pages = rule_pages()
    index = with_rules_table((ROOT / "docs" / "rules" / "index.md").read_text(encoding="utf-8"))
    assert RULES_TABLE_MARKER not in index
    for rule in RULES.values():
        page = pages[f"rules/{rule.code}.md"]
        assert page.startswith(f"# {rule.code} {rule.name}\n") and f"**{rule.severity}**" in page
        assert "**What it does.**" in page
        assert f"| [{rule.code}]({rule.code}.md) | {rule.name} | {rule.severity} | {rule.summary} |" in index


@pytest.mark.parametrize("name", ["README.md", "CONTRIBUTING.md", "CHANGELOG.md"])
def test_links_outside_the_site_lead_to_files(name: str) -> None:
    """The site's own links are checked by `mkdocs build --strict`; these pages sit outside it."""
    text = (ROOT / name).read_text(encoding="utf-8")
    for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", text):
        if "://" not in target:
            assert (ROOT / target).exists(), f"{name} links to {target}, which does not exist"


def test_the_format_page_shows_the_table_of_every_key_result_kind() -> None:
    """The table is filled in from the kinds themselves when the site is built, by docs/hooks.py."""
    import importlib.util
    from types import SimpleNamespace

    from okrctl.key_result_kinds import KINDS, TABLE_MARKER

    spec = importlib.util.spec_from_file_location("okrctl_docs_hooks", ROOT / "docs" / "hooks.py")
    assert spec is not None and spec.loader is not None
    hooks = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(hooks)
    source = (ROOT / "docs" / "format" / "okrs.md").read_text(encoding="utf-8")
    assert TABLE_MARKER in source
    page = SimpleNamespace(file=SimpleNamespace(src_uri="format/okrs.md"))
    built = hooks.on_page_markdown(source, page, None, None)
    assert TABLE_MARKER not in built
    for name, kind in KINDS.items():
        assert f"| {name} | {', '.join(f'`{field}`' for field in kind.fields)} |" in built


@pytest.mark.parametrize("command", ["lint", "score", "status", "kpis", "tree", "diff"])
def test_help_and_docs_name_exactly_the_registered_formats(command: str) -> None:
    """A format is registered once (reporters._REPORTERS); the help's metavar and the docs synopsis follow."""
    from okrctl.reporters import formats

    listed = "|".join(formats(command))
    help_text = okrctl(command, "--help", cwd=ROOT).out
    assert re.search(rf"--format {re.escape(listed)}\s", help_text), help_text
    page = {"lint": "lint.md", "diff": "diff.md"}.get(command, "reports.md")
    synopsis = (ROOT / "docs" / "commands" / page).read_text(encoding="utf-8")
    assert re.search(rf"okrctl {command}\b[^\n]*--format {re.escape(listed)}\b", synopsis), page


def test_every_command_has_a_page_in_the_site_and_a_link_in_the_readme() -> None:
    import typer.main

    from okrctl.cli import app

    commands = sorted(typer.main.get_command(app).commands)  # type: ignore[attr-defined]
    navigation = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "lint" in commands and "status" in commands
    for command in commands:
        assert (ROOT / "docs" / "commands" / f"{command}.md").is_file(), command
        assert f"- {command}: commands/{command}.md" in navigation, command
        assert f"(docs/commands/{command}.md)" in readme, command
