"""`okrctl measure --from FILE|-`: many measurements at once, with the single edit's idempotence and refusals,
one checked, atomic write per KPI file."""

from __future__ import annotations

import difflib
import json
import shutil
from pathlib import Path

import pytest
from conftest import okrctl

import okrctl.commands.edit as edit
from okrctl.commands.common import EditableRoot
from okrctl.loader import GoalFile

EXAMPLES = Path(__file__).parents[2] / "examples"


@pytest.fixture
def acme(tmp_path: Path) -> Path:
    root = tmp_path / "acme"
    shutil.copytree(EXAMPLES / "acme", root)
    return root


def added_lines(before: str, after: str) -> list[str]:
    changed = [line for line in difflib.ndiff(before.splitlines(), after.splitlines()) if line[:2] in ("+ ", "- ")]
    assert all(line.startswith("+ ") for line in changed), changed  # nothing of the file but the new rows
    return [line[2:].strip() for line in changed]


def test_a_csv_import_writes_each_kpi_file_once_and_a_second_run_changes_no_byte(
    acme: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    support, product = (acme / "kpis" / "support.yaml").read_text(), (acme / "kpis" / "product.yaml").read_text()
    (acme / "m.csv").write_text(
        "kpi,date,value,note\n"
        "support/csat,2026-11-23,8.6,\n"
        "support/csat,2026-11-20,8.4,after the release\n"  # inserted in date order
        "product/feature-adoption,2026-11-20,0033\n"  # written as typed
    )
    writes: list[str] = []
    real = edit.replace_goal_file

    def counted(target: Path, file: GoalFile, text: str) -> None:
        writes.append(file.path)
        real(target, file, text)

    monkeypatch.setattr(edit, "replace_goal_file", counted)
    first = okrctl("measure", "--from", "m.csv", cwd=acme)
    assert first.code == 0, first.err
    assert sorted(writes) == ["kpis/product.yaml", "kpis/support.yaml"]  # one write per file
    assert added_lines(support, (acme / "kpis" / "support.yaml").read_text()) == [
        "- {date: 2026-11-20, value: 8.4, note: after the release}",
        "- {date: 2026-11-23, value: 8.6}",
    ]
    assert added_lines(product, (acme / "kpis" / "product.yaml").read_text()) == ["- {date: 2026-11-20, value: 0033}"]
    assert first.out.splitlines()[0] == "kpis/support.yaml: support/csat: measured 8.6 on 2026-11-23"
    after = {path: path.read_bytes() for path in (acme / "kpis").iterdir()}
    writes.clear()
    again = okrctl("measure", "--from", "m.csv", "--format", "json", cwd=acme)
    assert again.code == 0 and writes == []
    assert {path: path.read_bytes() for path in (acme / "kpis").iterdir()} == after
    assert [json.loads(line)["action"] for line in again.out.splitlines()] == ["unchanged"] * 3


def test_json_lines_from_standard_input(acme: Path) -> None:
    lines = '{"kpi": "support/csat", "date": "2026-11-23", "value": 8.6, "note": "new survey"}\n\n'
    lines += '{"kpi": "support/csat", "date": "2026-11-24", "value": "8.7"}\n'
    result = okrctl("measure", "--from", "-", "--format", "json", cwd=acme, input=lines)
    assert result.code == 0, result.err
    assert [(d["date"], d["value"], d["action"]) for d in map(json.loads, result.out.splitlines())] == [
        ("2026-11-23", 8.6, "appended"),
        ("2026-11-24", 8.7, "appended"),
    ]
    text = (acme / "kpis" / "support.yaml").read_text()
    assert "- {date: 2026-11-23, value: 8.6, note: new survey}" in text and "- {date: 2026-11-24, value: 8.7}" in text


def test_a_file_with_a_refused_row_is_not_written_and_the_others_are(acme: Path) -> None:
    support, product = (acme / "kpis" / "support.yaml").read_text(), (acme / "kpis" / "product.yaml").read_text()
    (acme / "m.csv").write_text(
        "kpi,date,value\n"
        "support/csat,2026-11-23,8.6\n"
        "support/csat,2026-11-16,9.9\n"  # 8.3 is recorded that day
        "product/feature-adoption,2026-11-20,33\n"
        "support/csatt,2026-11-20,1\n"  # no such KPI
    )
    result = okrctl("measure", "--from", "m.csv", cwd=acme)
    assert result.code == 1
    assert "m.csv:3: support/csat already has the value 8.3 on 2026-11-16" in result.err
    assert "nothing of kpis/support.yaml was written" in result.err
    assert "m.csv:5: no KPI 'support/csatt'" in result.err and "did you mean" in result.err
    assert (acme / "kpis" / "support.yaml").read_text() == support  # not even its good row
    assert (acme / "kpis" / "product.yaml").read_text() != product
    replaced = okrctl("measure", "--from", "m.csv", "--replace", cwd=acme)
    assert replaced.code == 1  # the unknown KPI is still refused
    assert "- {date: 2026-11-16, value: 9.9}" in (acme / "kpis" / "support.yaml").read_text()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("kpi,day,value\nsupport/csat,2026-11-23,8\n", "m.csv:1: unknown column 'day'"),
        ("kpi,value\nsupport/csat,8\n", "m.csv:1: no column 'date'"),
        ("kpi,date,value\nsupport/csat,2026-11-23\n", "m.csv:2: this row has fewer fields than the header"),
        ("kpi,date,value\nsupport/csat,2026-11-23,8,x\n", "m.csv:2: this row has more fields than the header"),
        ("kpi,date,value\nsupport/csat,2026-13-01,8\n", "m.csv:2: date:"),
        ("kpi,date,value\nsupport/csat,2999-01-01,8\n", "m.csv:2: the date 2999-01-01 is in the future"),
        ("kpi,date,value\nsupport/csat,2026-11-23,eight\n", "m.csv:2: value"),
        ("kpi,date,value\ncsat,2026-11-23,8\n", "m.csv:2: kpi: a KPI reference, OWNER/KPI"),
        ('{"kpi": "support/csat", "date": "2026-11-23", "value": NaN}\n', "m.csv:1: not a JSON object"),
        ('{"kpi": "support/csat", "date": "2026-11-23", "value": true}\n', "m.csv:1: value: a number"),
        ('{"kpi": "support/csat", "day": "2026-11-23", "value": 8}\n', "m.csv:1: unknown key 'day'"),
    ],
)
def test_bad_input_stops_the_import_with_its_line_and_writes_nothing(acme: Path, content: str, message: str) -> None:
    before = {path: path.read_bytes() for path in (acme / "kpis").iterdir()}
    (acme / "m.csv").write_text(content)
    result = okrctl("measure", "--from", "m.csv", cwd=acme)
    assert result.code == 2 and message in result.err, result.err
    assert "Traceback" not in result.err
    assert {path: path.read_bytes() for path in (acme / "kpis").iterdir()} == before


def test_from_takes_no_ref_and_a_missing_file_is_a_clean_error(acme: Path) -> None:
    both = okrctl("measure", "support/csat", "8", "--from", "m.csv", cwd=acme)
    assert both.code == 2 and "name no REF, VALUE, --date or --note" in both.err
    neither = okrctl("measure", cwd=acme)
    assert neither.code == 2 and "--from FILE" in neither.err
    missing = okrctl("measure", "--from", "nope.csv", cwd=acme)
    assert missing.code == 2 and "okrctl: error: --from nope.csv: cannot read it" in missing.err


def test_a_file_changed_on_disk_during_the_import_is_not_written(acme: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (acme / "m.csv").write_text("kpi,date,value\nsupport/csat,2026-11-23,8.6\nproduct/feature-adoption,2026-11-20,33\n")
    support = acme / "kpis" / "support.yaml"
    real = edit._added_errors

    def meanwhile(tree: EditableRoot, plans: list[edit._Planned]) -> list[str]:
        support.write_text(support.read_text() + "# edited by someone else\n")  # between planning and writing
        return real(tree, plans)

    monkeypatch.setattr(edit, "_added_errors", meanwhile)
    result = okrctl("measure", "--from", "m.csv", cwd=acme)
    assert result.code == 1 and "kpis/support.yaml changed on disk while okrctl was recording" in result.err
    assert (
        support.read_text().endswith("# edited by someone else\n")
        and "2026-11-23, value: 8.6" not in support.read_text()
    )
    assert "2026-11-20, value: 33" in (acme / "kpis" / "product.yaml").read_text()


def test_crlf_files_are_imported_into_with_their_line_ends(acme: Path) -> None:
    support = acme / "kpis" / "support.yaml"
    support.write_bytes(support.read_bytes().replace(b"\n", b"\r\n"))
    (acme / "m.csv").write_text("kpi,date,value\nsupport/csat,2026-11-23,8.6\n")
    result = okrctl("measure", "--from", "m.csv", cwd=acme)
    assert result.code == 0, result.err
    data = support.read_bytes()
    assert b"- {date: 2026-11-23, value: 8.6}\r\n" in data and b"\n" not in data.replace(b"\r\n", b"")


def test_an_import_makes_each_folder_durable_once(acme: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os
    import stat

    synced: list[str] = []
    real = os.fsync

    def counted(descriptor: int) -> None:
        synced.append("folder" if stat.S_ISDIR(os.fstat(descriptor).st_mode) else "file")
        real(descriptor)

    monkeypatch.setattr(os, "fsync", counted)
    (acme / "m.csv").write_text("kpi,date,value\nsupport/csat,2026-11-23,8.6\nproduct/feature-adoption,2026-11-20,33\n")
    done = okrctl("measure", "--from", "m.csv", cwd=acme)
    assert done.code == 0, done.err
    assert sorted(synced) == ["file", "file", "folder"]  # both files in kpis/: their renames synced together
