"""MkDocs hook: one page per rule and the rules table, generated from the rule docstrings at build time, and
the table of key-result kinds, generated from okrctl/key_result_kinds.py.

The pages exist only in the built site (okrctl.rules.docs writes them), so there is no copy to go stale; the
`Rules` section of the navigation in mkdocs.yml gets a link to each, and the rules index page its table.
"""

from __future__ import annotations

from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from okrctl.key_result_kinds import TABLE_MARKER, reference_table
from okrctl.rules.docs import RULES_FOLDER, rule_pages, with_rules_table

NAV_SECTION = "Rules"


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Append every rule page to the navigation's `Rules` section, after its index."""
    pages = list(rule_pages())
    for entry in config.nav or []:
        if isinstance(entry, dict) and NAV_SECTION in entry:
            section: list[Any] = entry[NAV_SECTION]
            section.extend(pages)
            return config
    raise ValueError(f"mkdocs.yml: the nav needs a {NAV_SECTION!r} section for the rule pages")


def on_files(files: Files, config: MkDocsConfig) -> Files:
    for path, text in rule_pages().items():
        files.append(File.generated(config, path, content=text))
    return files


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    markdown = markdown.replace(TABLE_MARKER, reference_table())
    return with_rules_table(markdown) if page.file.src_uri == f"{RULES_FOLDER}/index.md" else markdown
