"""A property of the history rules: what `okrctl checkin` and `okrctl measure` write (without --replace) never
rewrites a committed value, so however such edits are made and committed, OKR404 never fires."""

from __future__ import annotations

import subprocess
import tempfile
from datetime import date, timedelta
from pathlib import Path

from conftest import commit_all, git, okrctl
from hypothesis import given, settings
from hypothesis import strategies as st

GOALS = """kind: okrs
period: 2026-Q4
owner: sales
objectives:
  - id: acquire
    title: Drive acquisition
    key_results:
      - id: rev
        title: Revenue to 2M
        start: 0
        target: 2000000
        checkins:
          - {date: 2026-10-02, value: 100000}
      - id: deals
        title: Close 20 deals
        start: 0
        target: 20
        checkins:
          - date: 2026-10-05
            value: 1
            note: first one
"""

KPIS = """kind: kpis
owner: support
kpis:
  - id: csat
    title: CSAT
    measurements:
      - {date: 2026-10-01, value: 4.1}
"""

FIRST_DAY = date(2026, 10, 1)
# (command, ref, value, day of the quarter, note); days collide often, so some edits are refused
edits = st.lists(
    st.tuples(
        st.sampled_from(
            [("checkin", "sales/acquire/rev"), ("checkin", "sales/acquire/deals"), ("measure", "support/csat")]
        ),
        st.integers(min_value=-5, max_value=3_000_000).map(str) | st.sampled_from(["4.25", "0.5", "1e3"]),
        st.sampled_from([0, 1, 4, 9, 20]) | st.integers(min_value=0, max_value=60),
        st.none() | st.sampled_from(["late", "a: colon", "#hash"]),
    ),
    min_size=1,
    max_size=5,
)


def _changed(repo: Path) -> bool:
    done = subprocess.run(["git", "status", "--porcelain"], cwd=repo, capture_output=True, text=True, check=True)
    return bool(done.stdout.strip())


@settings(max_examples=12, deadline=None)
@given(edits)
def test_edits_by_checkin_and_measure_never_rewrite_a_committed_value(
    steps: list[tuple[tuple[str, str], str, int, str | None]],
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        repo = Path(folder)
        git("init", "-q", "-b", "main", cwd=repo)
        (repo / "sales.yaml").write_text(GOALS)
        (repo / "kpis.yaml").write_text(KPIS)
        commit_all(repo, "goals", "2026-09-28")
        for number, ((command, ref), value, day, note) in enumerate(steps):
            when = FIRST_DAY + timedelta(days=day)
            note_args = ["--note", note] if note is not None else []
            edited = okrctl(command, ref, value, "--date", when.isoformat(), *note_args, cwd=repo)
            if edited.code == 0 and _changed(repo):  # else refused (another value on that date), or no change
                commit_all(repo, f"edit {number}", (FIRST_DAY + timedelta(days=2 * number + 1)).isoformat())
        done = okrctl("lint", "--history", "--as-of", "2026-12-31", "--format", "json", cwd=repo)
        assert done.code in (0, 1), done.err
        assert '"OKR404"' not in done.out
        assert '"findings"' in done.out
