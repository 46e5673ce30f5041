"""`okrctl fmt` on the command line: what it writes, --check, --diff, refusals and exit codes."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from conftest import EXAMPLES, okrctl

UNFORMATTED = "owner: sales\nkind: okrs\nperiod: 2026-Q4\nobjectives:\n- id: grow\n  title: 'Grow'  # why\n"
FORMATTED = "kind: okrs\nperiod: 2026-Q4\nowner: sales\nobjectives:\n  - id: grow\n    title: Grow  # why\n"


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    (tmp_path / "okrctl.yaml").write_text("exclude: ['archive/**']\n")
    (tmp_path / "goals").mkdir()
    (tmp_path / "goals" / "sales.yaml").write_text(UNFORMATTED)
    (tmp_path / "goals" / "ops.yaml").write_text(FORMATTED.replace("sales", "ops"))
    (tmp_path / "ci.yml").write_text("on: [push]\njobs:   {}\n")  # other YAML: never touched
    (tmp_path / "archive").mkdir()
    (tmp_path / "archive" / "old.yaml").write_text(UNFORMATTED)  # excluded by the config
    return tmp_path


def test_fmt_rewrites_what_is_not_formatted_and_leaves_the_rest_byte_identical(tree: Path) -> None:
    ops = tree / "goals" / "ops.yaml"
    os.utime(ops, ns=(1_000_000_000, 1_000_000_000))
    done = okrctl("fmt", cwd=tree)
    assert (done.code, done.out, done.err) == (
        0,
        "reformatted goals/sales.yaml\n1 file reformatted, 1 file already formatted\n",
        "",
    )
    assert (tree / "goals" / "sales.yaml").read_text() == FORMATTED
    assert ops.stat().st_mtime_ns == 1_000_000_000  # not even rewritten
    assert (tree / "ci.yml").read_text() == "on: [push]\njobs:   {}\n"
    assert (tree / "archive" / "old.yaml").read_text() == UNFORMATTED
    again = okrctl("fmt", cwd=tree)
    assert (again.code, again.out) == (0, "0 files reformatted, 2 files already formatted\n")


def test_check_lists_the_files_that_would_change_writes_nothing_and_exits_1(tree: Path) -> None:
    done = okrctl("fmt", "--check", cwd=tree)
    assert (done.code, done.out, done.err) == (
        1,
        "would reformat goals/sales.yaml\n1 file would be reformatted, 1 file already formatted\n",
        "",
    )
    assert (tree / "goals" / "sales.yaml").read_text() == UNFORMATTED
    okrctl("fmt", cwd=tree)
    assert okrctl("fmt", "--check", cwd=tree).code == 0


def test_diff_prints_a_unified_diff_and_writes_nothing(tree: Path) -> None:
    done = okrctl("fmt", "--diff", "goals/sales.yaml", cwd=tree)
    assert done.code == 0
    assert done.out.startswith("--- goals/sales.yaml (before)\n+++ goals/sales.yaml (formatted)\n@@ ")
    assert "-owner: sales\n" in done.out and "+  - id: grow\n" in done.out and "+    title: Grow  # why\n" in done.out
    assert done.err == "1 file would be reformatted, 0 files already formatted\n"
    assert (tree / "goals" / "sales.yaml").read_text() == UNFORMATTED
    both = okrctl("fmt", "--check", "--diff", cwd=tree)
    assert both.code == 1 and both.out == done.out


def test_a_refused_file_is_named_with_its_place_exit_2_and_the_others_are_still_formatted(tree: Path) -> None:
    broken = "kind: okrs\nowner: sales\nowner: ops\n"
    (tree / "goals" / "broken.yaml").write_text(broken)
    done = okrctl("fmt", cwd=tree)
    assert done.code == 2
    assert done.err == "okrctl: error: goals/broken.yaml:3:1: duplicate key 'owner' (first defined at line 2)\n"
    assert done.out == "reformatted goals/sales.yaml\n1 file reformatted, 1 file already formatted, 1 file refused\n"
    assert (tree / "goals" / "broken.yaml").read_text() == broken
    assert (tree / "goals" / "sales.yaml").read_text() == FORMATTED
    assert okrctl("fmt", "--check", cwd=tree).code == 2


def test_undecodable_and_unrelated_files(tree: Path) -> None:
    (tree / "goals" / "latin.yaml").write_bytes("kind: okrs\nowner: caf\xe9\n".encode("latin-1"))
    (tree / "notes.yaml").write_text("not: [closed\n")  # broken, but not a goal file: not ours to judge
    done = okrctl("fmt", "--check", cwd=tree)
    assert done.code == 2
    assert done.err == "okrctl: error: goals/latin.yaml:2:11: not UTF-8 (byte 0xe9): save the file as UTF-8\n"
    named = okrctl("fmt", "--check", "ci.yml", cwd=tree)
    assert (named.code, named.err) == (0, "okrctl: ci.yml: not a goal file (no kind: okrs or kind: kpis), skipped\n")


def test_a_bom_and_crlf_line_endings_are_kept(tree: Path) -> None:
    sales = tree / "goals" / "sales.yaml"
    sales.write_bytes(b"\xef\xbb\xbf" + UNFORMATTED.replace("\n", "\r\n").encode())
    assert okrctl("fmt", cwd=tree).code == 0
    assert sales.read_bytes() == b"\xef\xbb\xbf" + FORMATTED.replace("\n", "\r\n").encode()
    (tree / "goals" / "ops.yaml").unlink()
    plain = tree / "goals" / "plain.yaml"
    plain.write_text(UNFORMATTED)
    okrctl("fmt", "goals/plain.yaml", cwd=tree)
    assert plain.read_bytes() == FORMATTED.encode()  # no BOM where there was none


def test_a_read_only_file_is_refused_and_kept(tree: Path) -> None:
    sales = tree / "goals" / "sales.yaml"
    sales.chmod(0o444)
    done = okrctl("fmt", cwd=tree)
    assert done.code == 2
    assert "goals/sales.yaml is read-only (mode 0444)" in done.err
    assert sales.read_text() == UNFORMATTED


def test_the_examples_are_formatted(tmp_path: Path) -> None:
    shutil.copytree(EXAMPLES / "acme", tmp_path / "acme")
    done = okrctl("fmt", "--check", cwd=tmp_path / "acme")
    assert (done.code, done.out) == (0, "0 files would be reformatted, 11 files already formatted\n")


def test_files_known_to_be_formatted_are_not_formatted_again(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The cache remembers the bytes fmt wrote or found formatted (signed, by digest); a file whose bytes
    changed since is formatted again, and --no-cache formats every file."""
    from okrctl import fmt as fmt_core

    assert okrctl("fmt", cwd=tree).code == 0
    assert list((tree / ".okrctl-cache").rglob("*.formatted"))
    formatted: list[str] = []
    real = fmt_core.format_goal

    def counting(text: str) -> str | None:
        formatted.append(text)
        return real(text)

    monkeypatch.setattr(fmt_core, "format_goal", counting)
    done = okrctl("fmt", "--check", cwd=tree)
    assert (done.code, done.out) == (0, "0 files would be reformatted, 2 files already formatted\n")
    others = {"on: [push]\njobs:   {}\n", "exclude: ['archive/**']\n"}  # no goal files: never remembered
    assert set(formatted) == others
    (tree / "goals" / "sales.yaml").write_text(UNFORMATTED)
    formatted.clear()
    done = okrctl("fmt", "--check", cwd=tree)
    assert (done.code, done.out) == (
        1,
        "would reformat goals/sales.yaml\n1 file would be reformatted, 1 file already formatted\n",
    )
    assert sorted(formatted) == sorted([*others, UNFORMATTED])
    formatted.clear()
    assert okrctl("fmt", "--check", "--no-cache", cwd=tree).code == 1
    assert len(formatted) == 4


def test_many_files_are_formatted_in_worker_processes_with_the_same_result(tmp_path: Path) -> None:
    for number in range(70):  # over the pool's threshold (64)
        (tmp_path / f"team-{number:02}.yaml").write_text(UNFORMATTED.replace("sales", f"team-{number:02}"))
    (tmp_path / "team-05.yaml").write_text("kind: okrs\nowner: a\nowner: b\n")
    one = okrctl("fmt", "--check", "--no-cache", "--jobs", "1", cwd=tmp_path)
    two = okrctl("fmt", "--check", "--no-cache", "--jobs", "2", cwd=tmp_path)
    assert one == two
    assert (
        one.code == 2
        and one.err == "okrctl: error: team-05.yaml:3:1: duplicate key 'owner' (first defined at line 2)\n"
    )
    assert one.out.endswith("69 files would be reformatted, 0 files already formatted, 1 file refused\n")
    assert okrctl("fmt", "--jobs", "2", cwd=tmp_path).code == 2
    assert (tmp_path / "team-69.yaml").read_text() == FORMATTED.replace("sales", "team-69")


def test_diff_marks_a_last_line_without_its_line_break(tree: Path) -> None:
    (tree / "goals" / "sales.yaml").write_text(FORMATTED.rstrip("\n"))
    done = okrctl("fmt", "--diff", "goals/sales.yaml", cwd=tree)
    assert done.out.endswith("-    title: Grow  # why\n\\ No newline at end of file\n+    title: Grow  # why\n")
