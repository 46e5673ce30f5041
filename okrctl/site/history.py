"""What git history adds to the site: the target changes OKR401 finds, marked on the key results' charts.

The check-ins themselves are dated in the files, so the charts draw them from the current files either way;
git tells what the files cannot: when a goalpost moved (and whether `rebaselined:` records it, as OKR401
judges). Without readable history (no repository, no commit yet, a shallow clone) the charts say so.
"""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING

from okrctl.site.pages import HistoryMark, SiteHistory

if TYPE_CHECKING:
    from okrctl.engine import ReportResult
    from okrctl.findings import Finding

_WHAT_MOVED = re.compile(r"moved: (.*?) by ")


def site_history(computed: ReportResult, as_of: date, use_cache: bool) -> SiteHistory:
    """The OKR401 findings over the commits up to HEAD since the periods shown began, as chart marks."""
    from okrctl.commands.lint import history_findings_at
    from okrctl.git import GitError
    from okrctl.revision import open_revision

    root = computed.root
    try:
        revision = open_revision("HEAD", [root.loaded.root])
    except GitError:
        return SiteHistory(
            "The charts show the check-ins dated in the current files: the goals are not in a git repository "
            "with a commit, so target changes are not marked."
        )
    if revision.repository.shallow:
        return SiteHistory(
            "The charts show the check-ins dated in the current files: this is a shallow clone, so target "
            "changes are not marked (fetch the whole history, e.g. fetch-depth: 0)."
        )
    findings = history_findings_at(root, revision, as_of, use_cache)
    marks = [mark for finding in findings if (mark := history_mark(finding)) is not None]
    return SiteHistory(
        f"The charts show the check-ins dated in the current files, and the target changes git history holds "
        f"up to commit {revision.commit.id[:12]} ({len(marks)} marked).",
        marks=marks,
    )


def history_mark(finding: Finding) -> HistoryMark | None:
    """An OKR401 finding as a mark on its key result's chart: the commit's day, and what moved."""
    if finding.code != "OKR401" or finding.ref is None or finding.commit is None:
        return None
    found = _WHAT_MOVED.search(finding.message)
    what = found.group(1) if found else "target moved"
    return HistoryMark(finding.ref, finding.commit.date, what, finding.message)
