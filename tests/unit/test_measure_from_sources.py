"""`okrctl measure --from-sources` with the sources that need no server: csv files and commands (sql, with
SQLite, and prometheus have tests of their own). What is due, idempotence, --replace, backfill, --only,
--dry-run, every failure class with the other KPIs still written, and a file changed during the run."""

from __future__ import annotations

import json
import shutil
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from conftest import okrctl

from okrctl.commands.measure_sources import due_days, next_due
from okrctl.model import Kpi

PYTHON = sys.executable

CONFIG = """\
datasources:
  exports: {type: csv, path: metrics/kpis.csv}
  scripts: {type: command, timeout: 2}
"""

# Each command prints what its first argument says (a number, nothing, two values), or fails as told.
SCRIPT = """\
import os, sys, time
what = sys.argv[1]
if what == "fail":
    print("warehouse said no", file=sys.stderr); sys.exit(3)
if what == "sleep":
    time.sleep(30)
if what == "env":
    print(os.environ["OKRCTL_DATE"][-2:], file=sys.stderr); what = os.environ["OKRCTL_START"][-2:]
if what == "day":
    what = str(int(sys.argv[2][-2:]))
if what != "nothing":
    print(what)
"""


def kpi(name: str, query: str, frequency: str = "daily", measurements: str = "[]") -> str:
    return (
        f"  - id: {name}   # {name}'s comment stays\n"
        f"    title: {name.title()}\n"
        f"    frequency: {frequency}\n"
        "    green: {min: 1}\n"
        f"    query: {query}\n"
        f"    measurements: {measurements}\n"
    )


def command(*arguments: str) -> str:
    return "{datasource: scripts, command: " + json.dumps([PYTHON, "script.py", *arguments]) + "}"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    (tmp_path / "okrctl.yaml").write_text(CONFIG)
    (tmp_path / "script.py").write_text(SCRIPT)
    (tmp_path / "metrics").mkdir()
    (tmp_path / "metrics" / "kpis.csv").write_text(
        "kpi,date,value,note\ncsat,2026-11-19,8.3,\ncsat,2026-11-20,8.5,good week\nnps,2026-11-20,31,\n"
    )
    (tmp_path / "kpis").mkdir()
    return tmp_path


def write_kpis(root: Path, owner: str, *kpis: str) -> Path:
    path = root / "kpis" / f"{owner}.yaml"
    path.write_text(f"kind: kpis\nowner: {owner}\nkpis:\n" + "".join(kpis))
    return path


def measurements(path: Path, name: str) -> list[tuple[str, object]]:
    import yaml

    document = yaml.safe_load(path.read_text())
    found = next(k for k in document["kpis"] if k["id"] == name)
    return [(str(m["date"]), m["value"]) for m in found["measurements"]]


def test_csv_and_command_sources_are_recorded_and_a_second_run_changes_no_byte(root: Path) -> None:
    support = write_kpis(
        root,
        "support",
        kpi("csat", "{datasource: exports, column: csat}", measurements="\n      - {date: 2026-11-18, value: 8.1}"),
        kpi("backlog", command("42"), frequency="weekly"),
    )
    first = okrctl("measure", "--from-sources", "--date", "2026-11-20", cwd=root)
    assert first.code == 0, first.err
    assert first.out.splitlines() == [
        "kpis/support.yaml: support/csat: measured 8.5 on 2026-11-20",
        "kpis/support.yaml: support/backlog: measured 42 on 2026-11-20",
    ]
    text = support.read_text()
    assert "      - {date: 2026-11-20, value: 8.5, note: good week}\n" in text  # the csv row's note kept
    assert "    measurements:\n      - {date: 2026-11-20, value: 42}\n" in text  # the first item starts a block list
    assert text.count("comment stays") == 2
    second = okrctl("measure", "--from-sources", "--date", "2026-11-20", cwd=root)
    assert second.code == 0, second.err
    assert second.out == "nothing is due on 2026-11-20 (2 KPIs with a query)\n"
    assert support.read_text() == text


def test_a_kpi_is_due_once_its_last_value_is_a_frequency_old() -> None:
    def kpi_with(frequency: str, *days: str) -> Kpi:
        rows = [{"date": date.fromisoformat(d), "value": 1} for d in days]
        return Kpi.model_validate({"id": "k", "title": "K", "frequency": frequency, "measurements": rows})

    day = date.fromisoformat
    assert due_days(kpi_with("weekly", "2026-11-13"), [day("2026-11-19")], named=False) == []
    assert due_days(kpi_with("weekly", "2026-11-13"), [day("2026-11-20")], named=False) == [day("2026-11-20")]
    assert due_days(kpi_with("weekly", "2026-11-20"), [day("2026-11-20")], named=False) == []  # recorded
    assert due_days(kpi_with("weekly", "2026-11-20"), [day("2026-11-20")], named=True) == [day("2026-11-20")]
    # a calendar month, whatever its length: measured on the 1st, due on the next 1st
    assert next_due(day("2026-11-01"), "monthly") == day("2026-12-01")
    assert next_due(day("2026-01-31"), "monthly") == day("2026-02-28")
    assert next_due(day("2026-11-30"), "quarterly") == day("2027-02-28")
    assert due_days(kpi_with("monthly", "2026-11-01"), [day("2026-11-30")], named=False) == []
    # a backfill counts the days it measures: a weekly KPI over three weeks, from its last value on
    weeks = [day("2026-11-01") + timedelta(days=n) for n in range(21)]
    assert due_days(kpi_with("weekly", "2026-10-30"), weeks, named=False) == [
        day("2026-11-06"),
        day("2026-11-13"),
        day("2026-11-20"),
    ]
    assert len(due_days(Kpi.model_validate({"id": "k", "title": "K"}), weeks, named=False)) == 21  # no frequency: daily


def test_a_backfill_of_a_month_records_each_due_day_in_date_order(root: Path) -> None:
    path = write_kpis(
        root,
        "ops",
        kpi("uptime", command("day", "{date}"), measurements="\n      - {date: 2026-10-10, value: 10}"),
        kpi("deploys", command("day", "{end}"), frequency="weekly"),
    )
    done = okrctl("measure", "--from-sources", "--backfill", "2026-10-01..2026-10-31", cwd=root)
    assert done.code == 0, done.err
    uptime = measurements(path, "uptime")
    assert [d for d, _ in uptime] == [f"2026-10-{n:02}" for n in range(1, 32)]  # the 10th was already there
    assert all(int(d[-2:]) == value for d, value in uptime)  # {date} is the day measured
    # weekly from the first day on; {end} is the day after the day measured
    assert measurements(path, "deploys") == [
        ("2026-10-01", 2),
        ("2026-10-08", 9),
        ("2026-10-15", 16),
        ("2026-10-22", 23),
        ("2026-10-29", 30),
    ]
    again = okrctl("measure", "--from-sources", "--backfill", "2026-10-01..2026-10-31", cwd=root)
    assert again.code == 0 and "nothing is due on 2026-10-01..2026-10-31" in again.out


def test_the_command_gets_the_window_in_its_environment(root: Path) -> None:
    path = write_kpis(root, "ops", kpi("spend", command("env"), frequency="weekly"))
    done = okrctl("measure", "--from-sources", "--date", "2026-11-20", cwd=root)
    assert done.code == 0, done.err
    assert measurements(path, "spend") == [("2026-11-20", 14)]  # OKRCTL_START: six days before the day


def test_only_measures_a_kpi_that_is_not_due_and_replace_is_needed_for_another_value(root: Path) -> None:
    path = write_kpis(
        root, "ops", kpi("queue", command("7"), frequency="weekly", measurements="[{date: 2026-11-20, value: 5}]")
    )
    before = path.read_text()
    not_due = okrctl("measure", "--from-sources", "--date", "2026-11-20", cwd=root)
    assert not_due.code == 0 and not_due.out.startswith("nothing is due")
    refused = okrctl("measure", "--from-sources", "--date", "2026-11-20", "--only", "ops/queue", cwd=root)
    assert refused.code == 1
    assert "ops/queue (2026-11-20): " in refused.err and "--replace" in refused.err
    assert path.read_text() == before
    replaced = okrctl("measure", "--from-sources", "--date", "2026-11-20", "--only", "ops/queue", "--replace", cwd=root)
    assert replaced.code == 0, replaced.err
    assert measurements(path, "queue") == [("2026-11-20", 7)]


def test_only_refuses_an_unknown_kpi_or_one_without_a_query(root: Path) -> None:
    write_kpis(root, "ops", kpi("queue", command("7")))
    (root / "kpis" / "plain.yaml").write_text(
        "kind: kpis\nowner: plain\nkpis:\n  - id: typed\n    title: Typed by hand\n    measurements: []\n"
    )
    unknown = okrctl("measure", "--from-sources", "--date", "2026-11-20", "--only", "ops/queu", cwd=root)
    assert unknown.code == 2 and "no KPI 'ops/queu'" in unknown.err and "ops/queue" in unknown.err
    no_query = okrctl("measure", "--from-sources", "--date", "2026-11-20", "--only", "plain/typed", cwd=root)
    assert no_query.code == 2 and "no KPI 'plain/typed' with a query" in no_query.err


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["fail"], "exited 3: warehouse said no"),
        (["nothing"], "printed no value"),
        (["1 2"], "printed more than one value: 1 2"),
        (["lots"], "'lots' is not a number"),
        (["nan"], "'nan' is not a finite number"),
        (["-inf"], "'-inf' is not a finite number"),
        (["sleep"], "did not finish within 2 s"),
    ],
)
def test_a_failing_source_is_reported_with_its_kpi_and_the_others_are_written(
    root: Path, arguments: list[str], message: str
) -> None:
    broken = write_kpis(root, "broken", kpi("metric", command(*arguments)))
    before = broken.read_text()
    fine = write_kpis(root, "fine", kpi("metric", command("3")))
    done = okrctl("measure", "--from-sources", "--date", "2026-11-20", cwd=root)
    assert done.code == 1
    [error] = done.err.splitlines()
    assert error.startswith("okrctl: error: broken/metric (2026-11-20, datasource scripts): ") and message in error
    assert broken.read_text() == before
    assert measurements(fine, "metric") == [("2026-11-20", 3)]
    assert "Traceback" not in done.err


def test_csv_source_failures_name_the_file_and_the_row(root: Path) -> None:
    (root / "metrics" / "kpis.csv").write_text(
        "kpi,date,value\nnps,2026-11-20,31\nnps,2026-11-20,32\ncsat,2026-11-20,8\ncsat,2026-11-20,8.0\n"
    )
    write_kpis(
        root,
        "survey",
        kpi("nps", "{datasource: exports, column: nps}"),
        kpi("csat", "{datasource: exports, column: csat}"),
        kpi("promoters", "{datasource: exports, column: promoters}"),
    )
    done = okrctl("measure", "--from-sources", "--date", "2026-11-20", cwd=root)
    assert done.code == 1
    assert "survey/nps (2026-11-20, datasource exports): metrics/kpis.csv has more than one value for nps" in done.err
    assert "lines 2, 3" in done.err
    assert "metrics/kpis.csv has no row for promoters on 2026-11-20" in done.err
    assert "survey/csat" not in done.err  # 8 and 8.0: one value, written as its first row has it
    assert measurements(root / "kpis" / "survey.yaml", "csat") == [("2026-11-20", 8)]
    (root / "metrics" / "kpis.csv").unlink()
    missing = okrctl("measure", "--from-sources", "--date", "2026-11-20", cwd=root)
    assert missing.code == 1 and "(2026-11-20, datasource exports): no file metrics/kpis.csv" in missing.err
    (root / "metrics" / "kpis.csv").write_text("kpi,date,value\nnps,2026-13-01,31\n")
    bad = okrctl("measure", "--from-sources", "--date", "2026-11-20", cwd=root)
    assert bad.code == 1 and "metrics/kpis.csv:2: date:" in bad.err


def test_a_kpi_file_changed_during_the_run_is_not_written_and_keeps_the_change(root: Path) -> None:
    # the source itself edits the file while okrctl waits for it: okrctl planned on the text it read before
    (root / "edit.py").write_text(
        "from pathlib import Path\n"
        "p = Path('kpis/ops.yaml'); p.write_text(p.read_text() + '# added by a teammate\\n'); print(5)\n"
    )
    path = write_kpis(
        root, "ops", kpi("queue", "{datasource: scripts, command: [" + json.dumps(PYTHON) + ", edit.py]}")
    )
    fine = write_kpis(root, "fine", kpi("metric", command("3")))
    done = okrctl("measure", "--from-sources", "--date", "2026-11-20", cwd=root)
    assert done.code == 1
    assert "kpis/ops.yaml changed on disk while okrctl was recording; nothing of it was written" in done.err
    assert path.read_text().endswith("measurements: []\n# added by a teammate\n")
    assert measurements(fine, "metric") == [("2026-11-20", 3)]


def test_a_dry_run_asks_the_sources_and_writes_nothing(root: Path) -> None:
    path = write_kpis(root, "ops", kpi("queue", command("7")), kpi("broken", command("fail")))
    before = path.read_text()
    done = okrctl("measure", "--from-sources", "--date", "2026-11-20", "--dry-run", "--format", "json", cwd=root)
    assert done.code == 1
    lines = [json.loads(line) for line in done.out.splitlines()]
    assert lines == [
        {
            "version": 1,
            "ref": "ops/queue",
            "path": "kpis/ops.yaml",
            "date": "2026-11-20",
            "value": 7,
            "action": "appended",
            "dry_run": True,
        },
        {
            "version": 1,
            "ref": "ops/broken",
            "path": "kpis/ops.yaml",
            "date": "2026-11-20",
            "datasource": "scripts",
            "action": "failed",
            "error": f"'{PYTHON}' exited 3: warehouse said no",
            "dry_run": True,
        },
    ]
    assert path.read_text() == before
    text = okrctl("measure", "--from-sources", "--date", "2026-11-20", "--dry-run", "--only", "ops/queue", cwd=root)
    assert text.code == 0 and text.out == "kpis/ops.yaml: ops/queue: (dry run, not written) measured 7 on 2026-11-20\n"
    assert path.read_text() == before


def test_usage_and_config_problems_exit_2_before_any_source_is_asked(root: Path) -> None:
    (root / "mark.py").write_text("open('asked', 'w').write('yes'); print(1)\n")
    marker = "{datasource: scripts, command: [" + json.dumps(PYTHON) + ", mark.py]}"
    write_kpis(root, "ops", kpi("asks", marker), kpi("lost", "{datasource: nowhere, column: x}"))
    unknown = okrctl("measure", "--from-sources", "--date", "2026-11-20", cwd=root)
    assert unknown.code == 2
    assert "ops/lost asks the datasource 'nowhere', which okrctl.yaml does not define" in unknown.err
    write_kpis(root, "ops", kpi("asks", marker))
    today_utc = datetime.now(UTC).date()
    tomorrow, today = (today_utc + timedelta(days=1)).isoformat(), today_utc.isoformat()
    for arguments, message in [
        (["--date", tomorrow], "is not over yet"),
        (["--date", today], "is not over yet"),
        (["--backfill", f"2026-10-01..{today}"], "a day not over yet"),
        (["--backfill", "2026-10-31..2026-10-01"], "2026-10-31 is after 2026-10-01"),
        (["--backfill", "2026-10-01"], "write START..END"),
        (["--backfill", "2024-01-01..2026-10-01"], "at most 366 days per run"),
        (["--date", "2026-11-20", "--backfill", "2026-10-01..2026-10-02"], "not both"),
        (["--note", "x"], "name no --from or --note"),
    ]:
        done = okrctl("measure", "--from-sources", *arguments, cwd=root)
        assert done.code == 2 and message in done.err, (arguments, done.err)
    for option in (["--backfill", "2026-10-01..2026-10-02"], ["--only", "ops/asks"], ["--dry-run"]):
        done = okrctl("measure", "support/csat", "8", *option, cwd=root)
        assert done.code == 2 and "goes with --from-sources" in done.err
    assert not (root / "asked").exists()


def test_a_goal_file_with_errors_is_reported_not_silently_skipped(root: Path) -> None:
    write_kpis(root, "ops", kpi("queue", command("7")))
    (root / "kpis" / "broken.yaml").write_text("kind: kpis\nowner: broken\nkpis: {oops, query: [\n")
    (root / "kpis" / "unrelated.yaml").write_text("kind: kpis\nowner: unrelated\nkpis: {oops\n")  # no query: not read
    done = okrctl("measure", "--from-sources", "--date", "2026-11-20", cwd=root)
    assert done.code == 1
    assert "kpis/broken.yaml: the file has errors, so its KPIs were not measured: run okrctl lint" in done.err
    assert measurements(root / "kpis" / "ops.yaml", "queue") == [("2026-11-20", 7)]


def test_paths_limit_the_kpis_measured(root: Path) -> None:
    ops = write_kpis(root, "ops", kpi("queue", command("7")))
    other = write_kpis(root, "other", kpi("queue", command("8")))
    done = okrctl("measure", "--from-sources", "--date", "2026-11-20", "kpis/ops.yaml", cwd=root)
    assert done.code == 0, done.err
    assert measurements(ops, "queue") == [("2026-11-20", 7)] and measurements(other, "queue") == []


def test_no_source_is_imported_by_the_other_commands(root: Path) -> None:
    import subprocess

    write_kpis(root, "ops", kpi("queue", command("7")))
    code = (
        "import sys\nfrom okrctl.cli import main\nsys.argv = ['okrctl', 'lint', '--as-of', '2026-11-20']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in sys.modules if m.startswith(('okrctl.sources', 'sqlalchemy', 'urllib.request'))))"
    )
    done = subprocess.run([PYTHON, "-c", code], cwd=root, capture_output=True, text=True, check=True)
    assert done.stdout.splitlines()[-1] == "[]"


def test_worker_processes_write_what_one_process_writes(root: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    from okrctl.commands.measure_sources import PARALLEL_FROM

    (root / "metrics" / "kpis.csv").write_text(
        "kpi,date,value\n" + "".join(f"team-{n:02},2026-11-20,{n}.5\n" for n in range(PARALLEL_FROM + 2))
    )
    for n in range(PARALLEL_FROM + 2):
        queue = kpi("queue", command("fail" if n == 5 else str(n)))
        csat = kpi(
            "csat", f"{{datasource: exports, column: team-{n:02}}}", measurements="[{date: 2026-11-13, value: 1}]"
        )
        write_kpis(root, f"team-{n:02}", queue, csat)  # team-05's queue fails
    copy = tmp_path_factory.mktemp("copy")
    shutil.copytree(root, copy, dirs_exist_ok=True)
    one = okrctl("measure", "--from-sources", "--date", "2026-11-20", "-j", "1", cwd=root)
    two = okrctl("measure", "--from-sources", "--date", "2026-11-20", "-j", "2", cwd=copy)
    assert (one.code, one.out, one.err) == (two.code, two.out, two.err)
    assert one.code == 1 and one.out.count("queue: measured") == PARALLEL_FROM + 1  # every queue but team-05's
    assert one.out.count("csat: measured") == PARALLEL_FROM + 2
    assert "team-05/queue (2026-11-20, datasource scripts): " in one.err
    for path in sorted((root / "kpis").iterdir()):
        assert path.read_bytes() == (copy / "kpis" / path.name).read_bytes()


def test_windows_of_consecutive_due_days_meet_without_overlapping() -> None:
    from okrctl.sources import Window

    def window(day: str, frequency: str | None) -> tuple[str, str]:
        found = Window.of(date.fromisoformat(day), frequency)
        return found.start.isoformat(), found.end.isoformat()

    assert window("2026-11-20", None) == ("2026-11-20", "2026-11-21")
    assert window("2026-11-20", "weekly") == ("2026-11-14", "2026-11-21")
    assert window("2026-11-20", "biweekly") == ("2026-11-07", "2026-11-21")
    assert window("2026-06-30", "monthly") == ("2026-06-01", "2026-07-01")  # June
    assert window("2026-07-15", "monthly") == ("2026-06-16", "2026-07-16")
    assert window("2024-02-29", "monthly") == ("2024-02-01", "2024-03-01")
    assert window("2026-03-31", "quarterly") == ("2026-01-01", "2026-04-01")
    assert next_due(date(2026, 1, 31), "monthly") == date(2026, 2, 28)
    assert next_due(date(2026, 2, 28), "monthly") == date(2026, 3, 31)  # month ends stay month ends
    # measured on its schedule, a KPI's windows tile the year: each starts where the one before ended
    for first, frequency in (("2026-01-31", "monthly"), ("2026-01-15", "monthly"), ("2026-03-31", "quarterly")):
        day, end = date.fromisoformat(first), None
        for _ in range(12):
            found = Window.of(day, frequency)
            assert end is None or found.start == end, (first, day)
            end, day = found.end, next_due(day, frequency)


def test_a_named_kpi_is_asked_again_for_its_recorded_days_in_a_backfill(root: Path) -> None:
    path = write_kpis(
        root,
        "ops",
        kpi("queue", command("day", "{date}"), frequency="weekly", measurements="[{date: 2026-11-02, value: 1}]"),
    )
    plain = okrctl("measure", "--from-sources", "--backfill", "2026-11-02..2026-11-16", cwd=root)
    assert plain.code == 0, plain.err
    assert measurements(path, "queue") == [("2026-11-02", 1), ("2026-11-09", 9), ("2026-11-16", 16)]
    corrected = okrctl(
        "measure",
        "--from-sources",
        "--backfill",
        "2026-11-02..2026-11-16",
        "--only",
        "ops/queue",
        "--replace",
        cwd=root,
    )
    assert corrected.code == 0, corrected.err
    assert measurements(path, "queue") == [("2026-11-02", 2), ("2026-11-09", 9), ("2026-11-16", 16)]  # on schedule


def test_a_kpi_defined_twice_is_not_measured_and_the_others_are(root: Path) -> None:
    first = write_kpis(root, "dup", kpi("k", command("1")), kpi("fine", command("2")))
    (root / "kpis" / "other.yaml").write_text(
        "kind: kpis\nowner: dup\nkpis:\n  - id: k\n    title: K again, no query here\n    measurements: []\n"
        "# query: none\n"
    )
    for arguments in ([], ["kpis/dup.yaml"]):  # named alone, the other definition still counts
        done = okrctl("measure", "--from-sources", "--date", "2026-11-20", *arguments, cwd=root)
        assert done.code == 1, done.err
        assert "dup/k is defined in 2 files (kpis/dup.yaml, kpis/other.yaml), so it was not measured" in done.err
        assert measurements(first, "k") == []
    assert measurements(first, "fine") == [("2026-11-20", 2)]
    (root / "kpis" / "other.yaml").unlink()
    write_kpis(root, "dup", kpi("k", command("1")), kpi("k", command("3")))
    twice = okrctl("measure", "--from-sources", "--date", "2026-11-20", cwd=root)
    assert twice.code == 1 and "dup/k is defined twice in kpis/dup.yaml, so it was not measured" in twice.err


def test_only_names_a_kpi_outside_the_paths(root: Path) -> None:
    write_kpis(root, "ops", kpi("queue", command("7")))
    write_kpis(root, "other", kpi("queue", command("8")))
    done = okrctl(
        "measure", "--from-sources", "--date", "2026-11-20", "--only", "ops/queue", "kpis/other.yaml", cwd=root
    )
    assert done.code == 2 and "no KPI 'ops/queue' with a query in the given paths" in done.err


def test_json_names_every_value_not_recorded_with_its_file(root: Path) -> None:
    path = write_kpis(root, "ops", kpi("queue", command("7"), measurements="[{date: 2026-11-20, value: 5}]"))
    path.chmod(0o444)
    done = okrctl(
        "measure",
        "--from-sources",
        "--date",
        "2026-11-20",
        "--only",
        "ops/queue",
        "--replace",
        "--format",
        "json",
        cwd=root,
    )
    path.chmod(0o644)
    assert done.code == 1
    [document] = [json.loads(line) for line in done.out.splitlines()]
    assert document["ref"] == "ops/queue" and document["path"] == "kpis/ops.yaml" and document["action"] == "refused"
    assert "read-only" in document["error"]
    assert done.err.count("read-only") == 1  # the file's reason, once


def test_what_a_source_says_is_printed_without_terminal_escapes(root: Path) -> None:
    (root / "hostile.py").write_text(
        "import sys\nprint('\\x1b[31mred\\x07 ::error::x \\u202e', file=sys.stderr); sys.exit(1)\n"
    )
    write_kpis(root, "ops", kpi("queue", "{datasource: scripts, command: [" + json.dumps(PYTHON) + ", hostile.py]}"))
    done = okrctl("measure", "--from-sources", "--date", "2026-11-20", cwd=root)
    assert done.code == 1
    assert "\x1b" not in done.err and "\x07" not in done.err and "\u202e" not in done.err
    assert "\\x1b[31mred\\x07 ::error::x \\u202e" in done.err


def test_a_command_that_prints_too_much_or_leaves_processes_running_is_stopped(root: Path) -> None:
    import os
    import signal
    import time

    (root / "flood.py").write_text("import sys\nwhile True:\n    sys.stdout.write('1' * 65536)\n")
    (root / "leave.py").write_text(  # prints its value, leaving a child that holds the output open
        "import subprocess, sys\n"
        "child = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)'])\n"
        "open('child.pid', 'w').write(str(child.pid)); print(4)\n"
    )
    flood = write_kpis(
        root, "flood", kpi("out", "{datasource: scripts, command: [" + json.dumps(PYTHON) + ", flood.py]}")
    )
    leave = write_kpis(
        root, "leave", kpi("out", "{datasource: scripts, command: [" + json.dumps(PYTHON) + ", leave.py]}")
    )
    started = time.monotonic()
    done = okrctl("measure", "--from-sources", "--date", "2026-11-20", cwd=root)
    assert time.monotonic() - started < 10  # not the sleeping child's 60 s, nor the datasource's timeout
    assert done.code == 1
    assert "printed more than 64 KiB (it was stopped): a value is one number" in done.err
    assert measurements(flood, "out") == []
    assert measurements(leave, "out") == [("2026-11-20", 4)]
    child = int((root / "child.pid").read_text())
    for _ in range(50):  # the child was killed with its group; reaped by init, it disappears
        try:
            os.kill(child, 0)
        except ProcessLookupError:
            break
        time.sleep(0.1)
    else:
        os.kill(child, signal.SIGKILL)
        raise AssertionError("the command's child was left running")


def test_a_kpi_file_linked_inside_the_root_is_written_through_its_link(root: Path) -> None:
    real = write_kpis(root, "ops", kpi("queue", command("7"))).rename(root / "ops-real.txt")  # no goal file name
    (root / "kpis" / "ops.yaml").symlink_to(real)  # found only through the link
    done = okrctl("measure", "--from-sources", "--date", "2026-11-20", cwd=root)
    assert done.code == 0, done.err
    assert (root / "kpis" / "ops.yaml").is_symlink()
    assert "measurements:\n      - {date: 2026-11-20, value: 7}\n" in real.read_text()
