"""`okrctl plan`: the next period's okrs files, carried from the period before, over the example company and
small trees made for one behaviour each. In process; tests/acceptance/test_plan_entry_point.py runs the real
entry point."""

from __future__ import annotations

import json
import shutil
import textwrap
from pathlib import Path, PurePosixPath
from typing import Any

import pytest
from conftest import EXAMPLES, okrctl

from okrctl.errors import UserError
from okrctl.periods import parse_period, previous_period
from okrctl.planning import target_name
from okrctl.writing import EditRefused, create_goal_file

GOLDEN = Path(__file__).parent.parent / "golden" / "plan"
NEW_FILES = [
    "company-q1.yaml",
    "customer-success.yaml",
    "finance.yaml",
    "product.yaml",
    "sales-emea.yaml",
    "sales.yaml",
]


@pytest.fixture
def acme(tmp_path: Path) -> Path:
    folder = tmp_path / "acme"
    shutil.copytree(EXAMPLES / "acme", folder)
    return folder


def files_under(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def plan_json(*args: str, cwd: Path) -> dict[str, Any]:
    run = okrctl("plan", *args, "--format", "json", cwd=cwd)
    assert (run.code, run.err) == (0, ""), run.err
    document: dict[str, Any] = json.loads(run.out)
    return document


# -- the example company at quarter end --------------------------------------------------------------


@pytest.mark.parametrize("name", NEW_FILES)
def test_golden_new_files_of_the_example_company(acme: Path, name: str, request: pytest.FixtureRequest) -> None:
    run = okrctl("plan", "2027-Q1", cwd=acme)
    assert (run.code, run.err) == (0, "")
    written = (acme / "goals" / "2027" / name).read_text(encoding="utf-8")
    golden = GOLDEN / f"{name}.txt"
    if request.config.getoption("--update-golden"):
        golden.write_text(written, encoding="utf-8")
    assert written == golden.read_text(encoding="utf-8"), f"run pytest --update-golden after checking {name}"


def test_golden_report_of_the_example_company(acme: Path, request: pytest.FixtureRequest) -> None:
    run = okrctl("plan", "2027-Q1", cwd=acme)
    assert (run.code, run.err) == (0, "")
    golden = GOLDEN / "report.txt"
    if request.config.getoption("--update-golden"):
        golden.write_text(run.out, encoding="utf-8")
    assert run.out == golden.read_text(encoding="utf-8"), "run pytest --update-golden after checking report.txt"


def test_files_go_where_the_example_company_keeps_a_year(acme: Path) -> None:
    """goals/2026/sales.yaml of 2026-Q4 → goals/2027/sales.yaml; company-q4.yaml → company-q1.yaml."""
    before = files_under(acme)
    okrctl("plan", "2027-Q1", cwd=acme)
    after = files_under(acme)
    assert sorted(set(after) - set(before)) == [f"goals/2027/{name}" for name in NEW_FILES]
    assert all(after[name] == data for name, data in before.items())  # nothing else touched


def test_scores_close_the_old_period_on_its_last_day_and_head_the_new_file(acme: Path) -> None:
    okrctl("plan", "2027-Q1", cwd=acme)
    lines = (acme / "goals/2027/sales-emea.yaml").read_text(encoding="utf-8").splitlines()
    assert lines[0] == "# yaml-language-server: $schema=../../okrctl.schema.json"  # the editor's line stays first
    assert lines[1] == (
        "# Planned from goals/2026/sales-emea.yaml (2026-Q4) on 2026-12-31: objective scores enterprise-emea 0.57 yellow"
    )
    assert lines[2] == "# Carried (--carry unfinished): enterprise-emea"
    assert "period: 2027-Q1" in lines


def test_starts_are_the_last_values_and_what_was_recorded_is_cleared(acme: Path) -> None:
    okrctl("plan", "2027-Q1", cwd=acme)
    text = (acme / "goals/2027/sales-emea.yaml").read_text(encoding="utf-8")
    assert "start: 2350000\n" in text and "start: 3\n" in text  # the last check-ins of 2026-Q4
    assert "checkins" not in text and "confidence" not in text


def test_as_of_scores_the_old_period_on_that_day(acme: Path) -> None:
    okrctl("plan", "2027-Q1", "--owner", "sales-emea", "--as-of", "2026-11-01", cwd=acme)
    text = (acme / "goals/2027/sales-emea.yaml").read_text(encoding="utf-8")
    assert "on 2026-11-01:" in text
    assert "start: 1800000\n" in text and "start: 1\n" in text  # the check-ins of Oct 23


def test_comments_stay_where_they_were(acme: Path) -> None:
    okrctl("plan", "2027-Q1", cwd=acme)
    finance = (acme / "goals/2027/finance.yaml").read_text(encoding="utf-8")
    assert "    type: committed                 # promised to the board: expected to land at 1.0\n" in finance
    assert "        target: 10800                 # a decrease: target below start\n" in finance
    assert "# Finance department OKRs, Q4 2026.\nkind: okrs\n" in finance
    sales = (acme / "goals/2027/sales.yaml").read_text(encoding="utf-8")
    assert "    guardrails: [support/csat]     # growth must not come from overpromising\n" in sales


COMMENTED = """\
# Team goals for Q4.
kind: okrs
period: 2026-Q4
owner: team
objectives:
  # about A: carried
  - id: a
    title: Grow the user base
    key_results:
      - id: x
        title: Grow users from 1 to 10
        start: 1
        target: 10
        checkins:
          - {date: 2026-11-01, value: 4}   # eol on a check-in
          # a note among the check-ins
          - {date: 2026-11-02, value: 5}
      # about w: met, left behind
      - id: w
        title: Grow revenue from 1 to 10   # eol on a title
        start: 1
        target: 10
        checkins:
        - {date: 2026-11-01, value: 10}
        # w's own note, indented as its keys

      # about v: stays
      - id: v
        title: Grow more from 1 to 10
        start: 1
        target: 10
        current: 2      # a guess
        grade: 0.3
        grade_note: too early to say

  # about B: green, not carried
  - id: b
    title: Keep the base
    key_results:
      - id: y
        title: Keep churn under 2
        at_most: 2
        checkins:
          - {date: 2026-11-01, value: 1}

  # about C: carried
  - id: c
    title: Ship the thing
    key_results:
      - id: z
        title: Ship it
        done: false
# the file's last comment
"""

CARRIED = """\
# Planned from goals/team.yaml (2026-Q4) on 2026-12-31: objective scores a 0.58 yellow, b 1.00 green, c 0.00 red
# Carried (--carry unfinished): a, c
# Team goals for Q4.
kind: okrs
period: 2027-Q1
owner: team
objectives:
  # about A: carried
  - id: a
    title: Grow the user base
    key_results:
      - id: x
        title: Grow users from 1 to 10
        start: 5
        target: 10

      # about v: stays
      - id: v
        title: Grow more from 1 to 10
        start: 2
        target: 10

  # about C: carried
  - id: c
    title: Ship the thing
    key_results:
      - id: z
        title: Ship it
        done: false
# the file's last comment
"""


def test_comments_go_with_what_they_are_about(tmp_path: Path) -> None:
    """A comment above a key result or an objective stays with it, though what precedes it goes (ruamel.yaml
    keeps such a comment on the last line before it); one above or indented under what goes, goes with it."""
    write(tmp_path, "okrctl.yaml", "lint: {min_key_results: 1}\n")
    write(tmp_path, "goals/team.yaml", COMMENTED)
    run = okrctl("plan", "2027-Q1", cwd=tmp_path)
    assert run.code == 0, run.err
    assert (tmp_path / "goals/team-2027-Q1.yaml").read_text(encoding="utf-8") == CARRIED


def test_comments_in_a_layout_the_lines_cannot_tell_are_left_to_the_round_trip(tmp_path: Path) -> None:
    """A key on the line of its list item's dash, a key result in flow style: ruamel.yaml edits those."""
    write(tmp_path, "okrctl.yaml", "lint: {min_key_results: 1}\n")
    write(
        tmp_path,
        "goals/team.yaml",
        """\
        kind: okrs
        period: 2026-Q4
        owner: team
        objectives:
          - id: a
            title: Grow the user base
            key_results:
              - checkins: [{date: 2026-11-01, value: 4}]
                id: x
                title: Grow users from 1 to 10
                start: 1
                target: 10
              - {id: y, title: Grow more from 1 to 10, start: 1, target: 10, current: 3}
        """,
    )
    run = okrctl("plan", "2027-Q1", cwd=tmp_path)
    assert run.code == 0, run.err
    text = (tmp_path / "goals/team-2027-Q1.yaml").read_text(encoding="utf-8")
    assert "checkins" not in text and "current" not in text
    assert "      - id: x\n        title: Grow users from 1 to 10\n        start: 4\n" in text
    assert (
        "      - id: y\n        title: Grow more from 1 to 10\n        start: 3\n        target: 10\n" in text
    )  # laid out by fmt


def test_a_source_with_a_byte_order_mark_and_crlf_line_ends(tmp_path: Path) -> None:
    write(tmp_path, "okrctl.yaml", "lint: {min_key_results: 1}\n")
    crlf = COMMENTED.replace("\n", "\r\n")
    (tmp_path / "goals").mkdir()
    (tmp_path / "goals/team.yaml").write_bytes(b"\xef\xbb\xbf" + crlf.encode("utf-8"))
    run = okrctl("plan", "2027-Q1", cwd=tmp_path)
    assert run.code == 0, run.err
    assert (tmp_path / "goals/team-2027-Q1.yaml").read_bytes() == CARRIED.encode("utf-8")  # written plain, LF


def test_key_results_fed_by_a_kpi_start_from_its_last_measurement(acme: Path) -> None:
    okrctl("plan", "2027-Q1", cwd=acme)
    text = (acme / "goals/2027/customer-success.yaml").read_text(encoding="utf-8")
    # kpis/support.yaml: churn 4.6 and nrr 105 on 2026-10-31, the last measurements before the quarter's end
    assert "        start: 4.6\n        target: 2\n        kpi: support/churn\n" in text
    assert "        start: 105\n        target: 115\n        kpi: support/nrr\n" in text
    product = (acme / "goals/2027/product.yaml").read_text(encoding="utf-8")
    # No start given: the KPI gives it on the new period's first day, as it did before
    assert "        kpi: product/feature-adoption   # value comes from the KPI" in product
    assert "new-feature-users" in product and product.count("start:") == 1  # time-to-value's only


def test_alignment_follows_the_parents_carried_objective(acme: Path) -> None:
    document = plan_json("2027-Q1", cwd=acme)
    by_owner = {file["owner"]: file for file in document["files"]}
    emea = by_owner["sales-emea"]["objectives"][0]
    assert (emea["aligns_to"], emea["alignment"], emea["parent_path"]) == (
        "sales/acquire",
        "carried",
        "goals/2027/sales.yaml",
    )
    company = by_owner["company"]["objectives"][0]
    assert (company["aligns_to"], company["alignment"], company["parent_path"]) == (
        "company/growth",
        "unresolved",
        None,
    )
    assert [(f["path"], f["code"]) for f in document["findings"]] == [("goals/2027/company-q1.yaml", "OKR004")]


def test_an_existing_parent_for_the_new_period_resolves_and_the_new_files_lint_clean(acme: Path) -> None:
    write(
        acme,
        "goals/2027/company-annual.yaml",
        """\
        kind: okrs
        period: 2027
        owner: company
        level: company
        objectives:
          - id: growth
            title: Build a durable, profitable growth engine
        """,
    )
    document = plan_json("2027-Q1", cwd=acme)
    company = next(f for f in document["files"] if f["owner"] == "company")["objectives"][0]
    assert (company["alignment"], company["parent_path"]) == ("existing", "goals/2027/company-annual.yaml")
    assert document["findings"] == []
    lint = okrctl("lint", "goals/2027", "--as-of", "2027-01-04", "--format", "json", cwd=acme)
    assert lint.code == 0, lint.out
    assert json.loads(lint.out)["findings"] == []


def test_the_year_then_its_first_quarter_plan_a_tree_that_lints_clean(acme: Path) -> None:
    """The annual roll-up is carried without key results (its comment with it); the quarter's objective then
    aligns to it in the new year, and the roll-up has a child again."""
    year = plan_json("2027", "--from", "2026", cwd=acme)
    (file,) = year["files"]
    assert (file["path"], file["objectives"][0]["carried"]) == ("goals/2027/company-annual.yaml", True)
    assert [f["code"] for f in year["findings"]] == ["OKR006"]  # a roll-up with nothing aligned to it, yet
    annual = (acme / "goals/2027/company-annual.yaml").read_text(encoding="utf-8")
    assert annual.endswith(
        "    # No key results of its own: scored as the weighted mean of the objectives aligned to it.\n"
    )
    quarter = plan_json("2027-Q1", cwd=acme)
    company = next(f for f in quarter["files"] if f["owner"] == "company")["objectives"][0]
    assert (company["alignment"], company["parent_path"]) == ("existing", "goals/2027/company-annual.yaml")
    assert quarter["findings"] == []
    lint = okrctl("lint", "goals/2027", "--as-of", "2027-01-04", cwd=acme)
    assert (lint.code, lint.out) == (0, "All clear: 7 goal files checked, no findings.\n")
    laid_out = okrctl("fmt", "--check", "goals/2027", cwd=acme)  # the new files are in fmt's layout
    assert laid_out.code == 0, laid_out.out + laid_out.err


def test_a_parent_that_is_not_carried_leaves_the_reference_as_it_was_and_lint_says_so(acme: Path) -> None:
    document = plan_json("2027-Q1", "--owner", "sales-emea", cwd=acme)
    (file,) = document["files"]
    assert file["objectives"][0]["alignment"] == "unresolved"
    assert "    aligns_to: sales/acquire\n" in (acme / "goals/2027/sales-emea.yaml").read_text(encoding="utf-8")
    assert [f["code"] for f in document["findings"]] == ["OKR004"]
    assert "'sales/acquire' exists only in 2026-Q4" in document["findings"][0]["message"]


def test_planning_the_parent_later_resolves_the_child_planned_first(acme: Path) -> None:
    okrctl("plan", "2027-Q1", "--owner", "sales-emea", cwd=acme)
    document = plan_json("2027-Q1", "--owner", "sales", cwd=acme)
    assert [f["owner"] for f in document["files"]] == ["sales"]
    lint = okrctl("lint", "goals/2027/sales-emea.yaml", "--as-of", "2027-01-04", cwd=acme)
    assert lint.code == 0, lint.out


def test_paths_choose_the_sources_and_the_whole_root_is_read(acme: Path) -> None:
    """customer-success's key results take their values from kpis/support.yaml, which is not named."""
    document = plan_json("2027-Q1", "goals/2026/customer-success.yaml", cwd=acme)
    assert [(f["path"], f["owner"]) for f in document["files"]] == [
        ("goals/2027/customer-success.yaml", "customer-success")
    ]
    assert "        start: 4.6\n        target: 2\n        kpi: support/churn\n" in (
        acme / "goals/2027/customer-success.yaml"
    ).read_text("utf-8")
    assert sorted(p.name for p in (acme / "goals/2027").iterdir()) == ["customer-success.yaml"]


def test_owners_already_planned_are_left_alone(acme: Path) -> None:
    okrctl("plan", "2027-Q1", "--owner", "sales", cwd=acme)
    planned = (acme / "goals/2027/sales.yaml").read_bytes()
    run = okrctl("plan", "2027-Q1", cwd=acme)
    assert run.code == 0
    assert "left alone: sales has goals/2027/sales.yaml for 2027-Q1 already\n" in run.out
    assert (acme / "goals/2027/sales.yaml").read_bytes() == planned
    assert (acme / "goals/2027/finance.yaml").is_file()
    again = okrctl("plan", "2027-Q1", cwd=acme)
    assert again.code == 0 and "nothing to write\n" in again.out


def test_planning_a_planned_file_replaces_its_header(acme: Path) -> None:
    okrctl("plan", "2027-Q1", "--owner", "sales-emea", cwd=acme)
    run = okrctl("plan", "2027-Q2", "--owner", "sales-emea", cwd=acme)
    assert run.code == 0, run.err
    text = (acme / "goals/2027/sales-emea-2027-Q2.yaml").read_text(encoding="utf-8")
    assert text.count("# Planned from ") == 1
    assert "# Planned from goals/2027/sales-emea.yaml (2027-Q1) on 2027-03-31:" in text


# -- --dry-run, --format json ------------------------------------------------------------------------


def test_dry_run_prints_each_file_and_writes_nothing(acme: Path) -> None:
    before = files_under(acme)
    run = okrctl("plan", "2027-Q1", "--dry-run", cwd=acme)
    assert (run.code, run.err) == (0, "")
    assert files_under(acme) == before
    assert "would write goals/2027/sales.yaml from goals/2026/sales.yaml\n" in run.out
    okrctl("plan", "2027-Q1", cwd=acme)
    for name in NEW_FILES:
        written = (acme / "goals/2027" / name).read_text(encoding="utf-8")
        assert f"\n--- goals/2027/{name}\n{written}" in run.out


def test_dry_run_shows_bidirectional_controls_of_comments_escaped(acme: Path) -> None:
    """YAML allows them in a comment; printed raw, they would reorder what the reader sees."""
    path = acme / "goals/2026/finance.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("# Finance", "# \u202eFinance"), "utf-8")
    run = okrctl("plan", "2027-Q1", "--owner", "finance", "--dry-run", cwd=acme)
    assert run.code == 0, run.err
    assert "\u202e" not in run.out and "# \\u202eFinance department OKRs" in run.out


def test_json_dry_run_holds_the_texts(acme: Path) -> None:
    document = plan_json("2027-Q1", "--dry-run", "--owner", "finance", cwd=acme)
    assert (document["period"], document["from"], document["as_of"], document["dry_run"]) == (
        "2027-Q1",
        "2026-Q4",
        "2026-12-31",
        True,
    )
    (file,) = document["files"]
    assert file["path"] == "goals/2027/finance.yaml" and "period: 2027-Q1\n" in file["text"]
    assert file["objectives"][0]["type"] == "committed" and file["objectives"][0]["carried"] is True
    assert not (acme / "goals/2027").exists()


# -- --carry ------------------------------------------------------------------------------------------

MIXED = """\
# Team goals.
kind: okrs
period: 2026-Q3
owner: team
objectives:
  - id: green-one             # landed
    title: Make onboarding delightful
    key_results:
      - id: signups
        title: Grow signups from 100 to 200
        start: 100
        target: 200
        checkins:
          - {date: 2026-09-20, value: 190}
      - id: nps
        title: Reach an NPS of 50
        start: 30
        target: 50
        checkins:
          - {date: 2026-09-20, value: 48}
  - id: promise
    title: Keep the platform trustworthy
    type: committed
    key_results:
      - id: uptime
        title: Keep uptime at or above 99.9%
        at_least: 99.9
        checkins:
          - {date: 2026-09-20, value: 99.95}
      - id: audit
        title: Pass the security audit
        done: true
        done_on: 2026-09-01
      - id: incidents
        title: Cut incidents from 10 to 2
        start: 10
        target: 2
        current: 3
        grade: 0.8
        grade_note: two of them were the vendor's
  - id: behind
    title: Win the mid-market
    key_results:
      - id: deals
        title: Close 20 mid-market deals
        start: 0
        target: 20
        rebaselined:
          - {date: 2026-08-01, from: 30, reason: the market shrank}
        checkins:
          - {date: 2026-09-10, value: 5}
      - id: pipeline
        title: Build a pipeline of 60 qualified leads
        start: 0
        target: 60
        checkins:
          - {date: 2026-09-10, value: 60}
"""


@pytest.fixture
def mixed(tmp_path: Path) -> Path:
    write(tmp_path, "okrctl.yaml", "fiscal_year_start: 1\nlint: {min_key_results: 1}\n")
    write(tmp_path, "goals/2026-Q3/team.yaml", MIXED)
    return tmp_path


def new_file(folder: Path) -> str:
    return (folder / "goals/2026-Q4/team.yaml").read_text(encoding="utf-8")


def test_carry_unfinished_takes_objectives_not_green_and_commitments_below_one(mixed: Path) -> None:
    document = plan_json("2026-Q4", cwd=mixed)
    outcomes = {
        o["id"]: (o["carried"], o["grade"], o["key_results_left_behind"]) for o in document["files"][0]["objectives"]
    }
    assert outcomes == {
        "green-one": (False, "green", []),
        "promise": (True, "green", ["uptime", "audit"]),  # committed, 0.93: below 1.0; met key results stay behind
        "behind": (True, "yellow", ["pipeline"]),
    }
    text = new_file(mixed)
    assert "id: green-one" not in text and "signups" not in text
    assert "id: uptime" not in text and "id: audit" not in text and "id: pipeline" not in text
    assert "start: 3\n" in text and "current" not in text and "grade" not in text  # the graded key result re-based
    assert "start: 5\n" in text and "rebaselined" not in text and "the market shrank" not in text
    assert document["findings"] == []


def test_carry_all_takes_every_objective_and_key_result(mixed: Path) -> None:
    document = plan_json("2026-Q4", "--carry", "all", cwd=mixed)
    assert all(o["carried"] and not o["key_results_left_behind"] for o in document["files"][0]["objectives"])
    text = new_file(mixed)
    assert "  - id: green-one             # landed\n" in text
    # A met metric key result keeps its start: re-based on a value at its target, nothing would be left to measure
    assert "        start: 0\n        target: 60\n" in text
    assert "        start: 190\n        target: 200\n" in text  # not met: re-based
    assert "        done: false\n" in text and "done_on" not in text  # the milestone starts again, not done
    assert "checkins" not in text
    assert {f["code"] for f in document["findings"]} == {"OKR103"}  # the milestone is an output, as lint said before


def test_carry_none_writes_a_file_to_fill_in_that_lint_holds_back(mixed: Path) -> None:
    document = plan_json("2026-Q4", "--carry", "none", cwd=mixed)
    text = new_file(mixed)
    assert text.endswith("owner: team\nobjectives: []  # none carried: write this period's objectives here\n")
    assert "# Carried (--carry none): none\n" in text
    assert [(f["code"], f["severity"]) for f in document["findings"]] == [("OKR002", "error")]


def test_nothing_left_to_carry_writes_the_same_file_to_fill_in(mixed: Path) -> None:
    document = plan_json("2026-Q4", "--owner", "team", "--as-of", "2026-09-30", "--carry", "unfinished", cwd=mixed)
    assert [o["carried"] for o in document["files"][0]["objectives"]] == [False, True, True]
    done = MIXED.replace("value: 5}", "value: 20}").replace(
        "current: 3\n        grade: 0.8", "current: 2\n        grade: 1"
    )
    write(mixed, "goals/2026-Q3/team.yaml", done)
    shutil.rmtree(mixed / "goals/2026-Q4")
    document = plan_json("2026-Q4", cwd=mixed)
    assert not any(o["carried"] for o in document["files"][0]["objectives"])
    assert "\nobjectives: []  # none carried: write this period's objectives here\n" in new_file(mixed)
    assert "# Carried (--carry unfinished): none\n" in new_file(mixed)


def test_an_unknown_carry_mode_is_a_usage_error(mixed: Path) -> None:
    run = okrctl("plan", "2026-Q4", "--carry", "some", cwd=mixed)
    assert run.code == 2 and "'some' is not one of unfinished, all, none" in run.err


# -- the fiscal calendar ------------------------------------------------------------------------------


def test_a_fiscal_year_starting_in_july(tmp_path: Path) -> None:
    """With July starts, fiscal 2027-Q1 is July–September 2026: plan 2027-Q2 scores it on September 30."""
    write(tmp_path, "okrctl.yaml", "fiscal_year_start: 7\nlint: {min_key_results: 1}\n")
    write(
        tmp_path,
        "goals/fy2027/team-2027-Q1.yaml",
        """\
        kind: okrs
        period: 2027-Q1
        owner: team
        objectives:
          - id: reach
            title: Reach more readers
            key_results:
              - id: readers
                title: Grow readers from 1000 to 2000
                start: 1000
                target: 2000
                checkins:
                  - {date: 2026-08-15, value: 1300}
                  - {date: 2026-09-30, value: 1500}
        """,
    )
    run = okrctl("plan", "2027-Q2", cwd=tmp_path)
    assert run.code == 0, run.err
    assert run.out.startswith("plan 2027-Q2 from 2027-Q1 (scores as of 2026-09-30, carry unfinished)\n")
    text = (tmp_path / "goals/fy2027/team-2027-Q2.yaml").read_text(encoding="utf-8")
    assert "(2027-Q1) on 2026-09-30: objective scores reach 0.50 yellow" in text
    assert "start: 1500\n" in text
    before = okrctl("plan", "2027-Q1", "--dry-run", "--format", "json", cwd=tmp_path)
    assert before.code == 2 and "no okrs file for 2026-Q4 to plan 2027-Q1 from" in before.err


def test_a_year_plans_the_next_year(tmp_path: Path) -> None:
    write(tmp_path, "okrctl.yaml", "fiscal_year_start: 4\nlint: {min_key_results: 1}\n")
    write(
        tmp_path,
        "goals/2026/company.yaml",
        """\
        kind: okrs
        period: 2026
        owner: company
        objectives:
          - id: growth
            title: Grow steadily
            key_results:
              - id: revenue
                title: Grow revenue from 10 to 20
                start: 10
                target: 20
                current: 12
        """,
    )
    run = okrctl("plan", "2027", cwd=tmp_path)
    assert run.code == 0, run.err
    text = (tmp_path / "goals/2027/company.yaml").read_text(encoding="utf-8")
    assert "period: 2027\n" in text and "on 2026-03-31:" in text and "start: 12\n" in text


# -- refusals ------------------------------------------------------------------------------------------


def test_an_existing_target_is_never_overwritten_and_nothing_is_written(acme: Path) -> None:
    write(acme, "goals/2027/sales.yaml", "# notes for next quarter, not a goal file yet\nideas: [more deals]\n")
    before = files_under(acme)
    run = okrctl("plan", "2027-Q1", cwd=acme)
    assert run.code == 2 and run.out == ""
    assert "goals/2027/sales.yaml exists: okrctl plan never overwrites a file; nothing was written" in run.err
    assert files_under(acme) == before


def test_an_owner_named_who_has_a_file_for_the_period_is_refused(acme: Path) -> None:
    okrctl("plan", "2027-Q1", "--owner", "sales", cwd=acme)
    run = okrctl("plan", "2027-Q1", "--owner", "sales", cwd=acme)
    assert run.code == 2
    assert "sales has an okrs file for 2027-Q1 already: goals/2027/sales.yaml; nothing was written" in run.err


def test_an_unknown_owner_is_refused(acme: Path) -> None:
    run = okrctl("plan", "2027-Q1", "--owner", "sale", cwd=acme)
    assert run.code == 2 and "--owner 'sale' owns no okrs file (did you mean 'sales'?)" in run.err
    other = okrctl("plan", "2027-Q1", "--owner", "company", "--from", "2026-Q3", cwd=acme)
    assert other.code == 2 and "--owner company has no okrs file for 2026-Q3 (it has 2026, 2026-Q4)" in other.err
    assert not (acme / "goals/2027").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["2026-Q4", "--from", "2026-Q4"], "2026-Q4 (2026-10-01..2026-12-31) is not after --from 2026-Q4"),
        (["2026-Q3", "--from", "2026-Q4"], "2026-Q3 (2026-07-01..2026-09-30) is not after --from 2026-Q4"),
        (["2026-12", "--from", "2026"], "2026-12 (2026-12-01..2026-12-31) is not after --from 2026"),
        (["2027-Q5"], "PERIOD: '2027-Q5' is not a period"),
        (["2027-Q1", "--from", "last"], "--from: 'last' is not a period"),
        (["2027-Q1", "--as-of", "2026-13-01"], "'2026-13-01' is not a valid date"),
        (["2027-Q2"], "no okrs file for 2027-Q1 to plan 2027-Q2 from (the periods found: 2026, 2026-Q4)"),
    ],
)
def test_periods_that_cannot_be_planned_are_refused(acme: Path, args: list[str], message: str) -> None:
    run = okrctl("plan", *args, cwd=acme)
    assert run.code == 2 and message in run.err, run.err
    assert not (acme / "goals/2027").exists()


def test_a_malformed_file_is_refused_with_its_location(acme: Path) -> None:
    path = acme / "goals/2026/sales.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("  - id: acquire\n", "  - id: [acquire\n"), "utf-8")
    run = okrctl("plan", "2027-Q1", cwd=acme)
    assert run.code == 2, run.err
    assert run.err.startswith("okrctl: error: goals/2026/sales.yaml:9:10: did not find expected ',' or ']'")
    assert "fix it first (okrctl lint says more); nothing was written" in run.err
    assert not (acme / "goals/2027").exists()


def test_a_file_that_cannot_be_scored_is_refused_with_its_location(tmp_path: Path) -> None:
    write(tmp_path, "okrctl.yaml", "lint: {min_key_results: 1}\n")
    write(
        tmp_path,
        "goals/team.yaml",
        """\
        kind: okrs
        period: 2026-Q4
        owner: team
        objectives:
          - id: reach
            title: Reach more readers
            key_results:
              - id: readers
                title: Grow readers to 2000
                kpi: team/readers
                target: 2000
        """,
    )
    run = okrctl("plan", "2027-Q1", cwd=tmp_path)
    assert run.code == 2 and run.err.startswith(
        "okrctl: error: goals/team.yaml:10:9: kpi 'team/readers' is not available"
    ), run.err


def test_a_new_file_that_would_not_read_back_as_planned_is_refused(acme: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A safety net for YAML the round trip could re-emit differently: the new file must say what was planned."""
    from okrctl import planning

    emitted = planning.new_file_text
    monkeypatch.setattr(
        planning, "new_file_text", lambda *args: emitted(*args).replace("target: 3000000", "target: 300")
    )
    run = okrctl("plan", "2027-Q1", cwd=acme)
    assert run.code == 2
    assert (
        "goals/2026/sales-emea.yaml: the planned goals/2027/sales-emea.yaml would not read back as planned" in run.err
    )
    assert not (acme / "goals/2027").exists()


# -- where a new file goes -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "before", "after", "expected"),
    [
        ("goals/2026/sales.yaml", "2026-Q4", "2027-Q1", "goals/2027/sales.yaml"),
        ("goals/2026/company-q4.yaml", "2026-Q4", "2027-Q1", "goals/2027/company-q1.yaml"),
        ("goals/2026/company-Q4.yaml", "2026-Q4", "2027-Q1", "goals/2027/company-Q1.yaml"),
        ("goals/2026-Q3/team.yaml", "2026-Q3", "2026-Q4", "goals/2026-Q4/team.yaml"),
        ("goals/2026-q3/team.yaml", "2026-Q3", "2026-Q4", "goals/2026-q4/team.yaml"),
        ("goals/2026/team-2026-Q3.yml", "2026-Q3", "2026-Q4", "goals/2026/team-2026-Q4.yml"),
        ("goals/2026/sales.yaml", "2026-Q3", "2026-Q4", "goals/2026/sales-2026-Q4.yaml"),
        ("sales.yaml", "2026-Q4", "2027-Q1", "sales-2027-Q1.yaml"),
        ("goals/h2/team.yaml", "2026-H2", "2027-H1", "goals/h1/team.yaml"),
        ("goals/2026/company.yaml", "2026", "2027", "goals/2027/company.yaml"),
        ("goals/2026-11/team.yaml", "2026-11", "2026-12", "goals/2026-12/team.yaml"),
        ("goals/team-20260.yaml", "2026-Q4", "2027-Q1", "goals/team-20260-2027-Q1.yaml"),
        (
            "goals/sprint.yaml",
            "2026-10-05..2026-11-15",
            "2026-11-16..2026-12-27",
            "goals/sprint-2026-11-16..2026-12-27.yaml",
        ),
    ],
)
def test_target_names(source: str, before: str, after: str, expected: str) -> None:
    renamed = target_name(PurePosixPath(source), parse_period(before), parse_period(after))
    assert renamed == PurePosixPath(expected)


@pytest.mark.parametrize(
    ("label", "start_month", "expected"),
    [
        ("2027-Q1", 1, "2026-Q4"),
        ("2026-Q3", 1, "2026-Q2"),
        ("2027-Q1", 7, "2026-Q4"),
        ("2026-H1", 1, "2025-H2"),
        ("2026-H2", 1, "2026-H1"),
        ("2027", 7, "2026"),
        ("2026-01", 1, "2025-12"),
        ("2026-10-05..2026-11-15", 1, "2026-08-24..2026-10-04"),
    ],
)
def test_previous_period(label: str, start_month: int, expected: str) -> None:
    found = previous_period(parse_period(label, start_month), start_month)
    assert found == parse_period(expected, start_month)
    assert found.end.toordinal() + 1 == parse_period(label, start_month).start.toordinal()


def test_no_period_before_the_first_year(tmp_path: Path) -> None:
    write(tmp_path, "okrctl.yaml", "{}\n")
    run = okrctl("plan", "0001-Q1", cwd=tmp_path)
    assert run.code == 2 and "no period comes before 0001-Q1: give --from" in run.err


# -- writing ----------------------------------------------------------------------------------------------


def test_create_goal_file_never_replaces_a_file_that_appears(tmp_path: Path) -> None:
    target = tmp_path / "goals" / "new.yaml"
    create_goal_file(target, tmp_path, "goals/new.yaml", "kind: okrs\n")
    assert target.read_text(encoding="utf-8") == "kind: okrs\n"
    with pytest.raises(EditRefused, match=r"goals/new\.yaml exists: okrctl never overwrites a file"):
        create_goal_file(target, tmp_path, "goals/new.yaml", "other\n")
    assert target.read_text(encoding="utf-8") == "kind: okrs\n"
    assert sorted(p.name for p in target.parent.iterdir()) == ["new.yaml"]  # no temporary left behind


def test_create_goal_file_stays_inside_the_goals_root(tmp_path: Path) -> None:
    root, outside = tmp_path / "root", tmp_path / "outside"
    root.mkdir()
    outside.mkdir()
    (root / "goals").symlink_to(outside)
    with pytest.raises(UserError, match="outside the goals root"):
        create_goal_file(root / "goals" / "2027" / "team.yaml", root, "goals/2027/team.yaml", "kind: okrs\n")
    assert list(outside.iterdir()) == []


def test_a_link_at_the_target_counts_as_a_file(acme: Path, tmp_path: Path) -> None:
    elsewhere = write(tmp_path, "elsewhere.txt", "not a goal file\n")
    (acme / "goals/2027").mkdir()
    (acme / "goals/2027/sales.yaml").symlink_to(elsewhere)
    run = okrctl("plan", "2027-Q1", cwd=acme)
    assert run.code == 2 and "goals/2027/sales.yaml exists" in run.err
    assert elsewhere.read_text(encoding="utf-8") == "not a goal file\n"


def test_a_dry_run_refuses_what_the_real_run_would_refuse(acme: Path) -> None:
    write(acme, "goals/2027/finance.yaml", "draft notes\n")
    for dry in (["--dry-run"], []):
        run = okrctl("plan", "2027-Q1", *dry, cwd=acme)
        assert run.code == 2 and "goals/2027/finance.yaml exists" in run.err, (dry, run.err)
    assert sorted(p.name for p in (acme / "goals/2027").iterdir()) == ["finance.yaml"]


def test_a_file_where_a_folder_must_be_stops_the_plan_before_anything_is_written(acme: Path) -> None:
    (acme / "goals/2027").write_text("not a folder\n")
    for dry in (["--dry-run"], []):
        run = okrctl("plan", "2027-Q1", *dry, cwd=acme)
        assert run.code == 2 and "goals/2027 is not a folder" in run.err, run.err
        assert "written before it" not in run.err
    assert (acme / "goals/2027").read_text() == "not a folder\n"


def test_an_owner_planned_with_nothing_carried_does_not_stop_the_next_plans(acme: Path) -> None:
    first = okrctl("plan", "2027-Q1", "--owner", "finance", "--carry", "none", cwd=acme)
    assert first.code == 0 and "objectives: []" in (acme / "goals/2027/finance.yaml").read_text()
    document = plan_json("2027-Q1", "--owner", "sales", cwd=acme)
    assert [f["owner"] for f in document["files"]] == ["sales"]
    assert {"owner": "finance", "path": "goals/2027/finance.yaml"} in document["planned_already"]


def test_a_value_past_its_target_graded_by_hand_keeps_its_start(tmp_path: Path) -> None:
    write(
        tmp_path,
        "goals/team.yaml",
        """\
        # Planned from the October offsite with Dana; see the wiki page.
        kind: okrs
        period: 2026-Q4
        owner: team
        objectives:
          - id: a
            title: Grow the thing
            type: committed
            key_results:
              - {id: over, title: Grow x from 0 to 10, start: 0, target: 10, current: 12, grade: 0.6, grade_note: too late}
              - {id: under, title: Grow y from 0 to 10, start: 0, target: 10, current: 4}
        """,
    )
    plan_json("2027-Q1", cwd=tmp_path)
    text = (tmp_path / "goals/team-2027-Q1.yaml").read_text()
    assert "title: Grow x from 0 to 10\n        start: 0\n        target: 10\n" in text  # never past its target
    assert "title: Grow y from 0 to 10\n        start: 4\n" in text
    assert "# Planned from the October offsite with Dana; see the wiki page.\n" in text  # the user's own comment
