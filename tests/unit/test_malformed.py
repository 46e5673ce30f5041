"""Hostile and malformed input: every case gives a located message and exit 1 or 2, never a traceback."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import okrctl

GOAL = "kind: okrs\nperiod: 2026-Q4\nowner: ops\n"


def _write(name: str, data: bytes) -> Callable[[Path], str]:
    def make(folder: Path) -> str:
        (folder / name).write_bytes(data)
        return name

    return make


def _folder_named_yaml(folder: Path) -> str:
    (folder / "x.yaml").mkdir()
    (folder / "x.yaml" / "inner.yaml").write_text(GOAL + "objectives: [\n")
    return "x.yaml"


def _broken_symlink(folder: Path) -> str:
    (folder / "gone.yaml").symlink_to(folder / "nowhere.yaml")
    return "gone.yaml"


def _fifo(folder: Path) -> str:
    os.mkfifo(folder / "pipe.yaml")
    return "pipe.yaml"


ALIAS_BOMB = (
    "kind: okrs\na: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
    "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
)

CASES = [
    ("empty file", _write("empty.yaml", b""), 1, "empty.yaml:1:1 OKR001 error empty file"),
    (
        "list at top level",
        _write("list.yaml", b"- kind: okrs\n  owner: ops\n"),
        1,
        "list.yaml:1:1 OKR001 error the top level is a list",
    ),
    (
        "tab indentation",
        _write("tabs.yaml", b"kind: okrs\nobjectives:\n\t- id: x\n"),
        1,
        "tabs.yaml:3:1 OKR001 error found character that cannot start any token",
    ),
    (
        "duplicate keys",
        _write("dup.yaml", (GOAL + "owner: dev\n").encode()),
        1,
        "dup.yaml:4:1 OKR001 error duplicate key 'owner' (first defined at line 3)",
    ),
    (
        "alias bomb",
        _write("bomb.yaml", ALIAS_BOMB.encode()),
        1,
        "bomb.yaml:2:4 OKR001 error anchor '&a': anchors and aliases are not allowed",
    ),
    (
        "binary file",
        _write("binary.yaml", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"),
        1,
        "binary.yaml:1:1 OKR001 error binary file",
    ),
    (
        "not UTF-8",
        _write("latin1.yaml", (GOAL + "objectives:\n  - id: caf\xe9\n").encode("latin-1")),
        1,
        "latin1.yaml:5:12 OKR001 error not UTF-8 (byte 0xe9)",
    ),
    (
        "2 MiB file",
        _write("huge.yaml", (GOAL + "# padding\n" * 210_000).encode()),
        1,
        "huge.yaml:1:1 OKR001 error file is 2,100,038 bytes, over the 1,048,576-byte (1 MiB) limit",
    ),
    (
        "a folder named x.yaml",
        _folder_named_yaml,
        1,
        "x.yaml/inner.yaml:5:1 OKR001 error did not find expected node content",
    ),
    (
        "broken symlink (unreadable file)",
        _broken_symlink,
        1,
        "gone.yaml:1:1 OKR001 error cannot read file: No such file or directory",
    ),
    ("named pipe", _fifo, 1, "pipe.yaml:1:1 OKR001 error not a regular file or folder (a pipe, socket or device)"),
    (  # okrctl's own limit, whatever libyaml's (1000 levels since 0.2.6, none before)
        "deeply nested flow value",
        _write("deep.yaml", (GOAL + "objectives: " + "[" * 50_000 + "]" * 50_000 + "\n").encode()),
        1,
        "deep.yaml:4:76 OKR001 error nested more than 64 levels deep: goal files need about ten",
    ),
    (
        "deeply nested block value",
        _write("deep.yaml", (GOAL + "objectives:\n" + "".join(" " * i + "- \n" for i in range(100))).encode()),
        1,
        "deep.yaml:68:64 OKR001 error nested more than 64 levels deep: goal files need about ten",
    ),
    (
        "number with thousands of digits",
        _write("digits.yaml", (GOAL + "level: " + "9" * 5000 + "\n").encode()),
        1,
        "digits.yaml:4:1 OKR002 error level: expected one of 'company', 'department', 'team' or 'individual', "
        "got text ('9999999999999999999999999999999999999...')",
    ),
    (
        "control character",
        _write("control.yaml", (GOAL + "objectives: \x07\n").encode()),
        1,
        "control.yaml:1:1 OKR001 error",
    ),
    (
        "unknown tag",
        _write("tag.yaml", (GOAL + "objectives: !!python/object:os.system {}\n").encode()),
        1,
        "tag.yaml:4:13 OKR001 error the tag 'tag:yaml.org,2002:python/object:os.system' is not allowed in goal files",
    ),
    (
        "a path that does not exist",
        lambda folder: "missing.yaml",
        2,
        "",
    ),
]


@pytest.mark.parametrize(("make", "code", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_malformed_input(make: Callable[[Path], str], code: int, expected: str, tmp_path: Path) -> None:
    name = make(tmp_path)
    result = okrctl("lint", name, cwd=tmp_path)
    assert result.code == code
    if code == 2:
        assert result.err == f"okrctl: error: {name}: no such file or directory\n"
    else:
        assert expected in result.out
        findings = result.out.split("\n\n")[0].splitlines()
        assert findings
        assert all(re.match(r"\S+:\d+:\d+ OKR\d{3} (error|warning) ", line) for line in findings)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_unreadable_file(tmp_path: Path) -> None:
    target = tmp_path / "secret.yaml"
    target.write_text(GOAL)
    target.chmod(0)
    result = okrctl("lint", "secret.yaml", cwd=tmp_path)
    assert result.code == 1
    assert "secret.yaml:1:1 OKR001 error cannot read file: Permission denied" in result.out


def test_malformed_files_in_a_walked_tree_do_not_hide_the_others(tmp_path: Path) -> None:
    for _, make, _, _ in CASES[:-1]:
        make(tmp_path)
    (tmp_path / "good.yaml").write_text(
        GOAL + "objectives:\n  - id: a\n    title: Be boring\n    key_results:\n"
        "      - {id: x, title: Cut x from 9 to 3, start: 9, target: 3, checkins: [{date: 2026-11-20, value: 5}]}\n"
        "      - {id: y, title: Cut y from 9 to 3, start: 9, target: 3, checkins: [{date: 2026-11-20, value: 5}]}\n"
    )
    result = okrctl("lint", ".", "--as-of", "2026-11-23", "--format", "json", cwd=tmp_path)
    assert result.code == 1
    document = json.loads(result.out)
    # Found by walking, a broken file is reported when its text mentions a goal kind or it cannot be read
    # at all; the empty file and the PNG are not goal files; the good file is checked and clean.
    broken = {
        "list.yaml", "tabs.yaml", "dup.yaml", "bomb.yaml", "latin1.yaml", "huge.yaml", "x.yaml/inner.yaml",
        "gone.yaml", "pipe.yaml", "deep.yaml", "digits.yaml", "control.yaml", "tag.yaml",
    }  # fmt: skip
    assert {finding["path"] for finding in document["findings"]} == broken
    assert document["files"] == len(broken) + 1


KR = "      - {id: k, title: Grow k from 0 to 5, start: 0, target: 5}\n"
OBJECTIVES = "objectives:\n  - id: a\n    title: Grow\n    key_results:\n" + KR


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "kind: [okrs]\nowner: ops\n" + OBJECTIVES,
            "1:1 kind: expected okrs or kpis, got a list (did you mean 'okrs'?)",
        ),
        (
            "kind: {a: 1}\nowner: ops\nkpis: []\n",
            "1:1 kind: expected okrs or kpis, got a mapping (did you mean 'kpis'?)",
        ),
        (
            GOAL + OBJECTIVES.replace("target: 5", "target: 1" + "0" * 320),
            "8:54 objectives[0].key_results[0].target: number out of range: a number (100000000000000000000000000",
        ),
        ('kind: okrs\nperiod: "0001-Q1"\nowner: ops\n' + OBJECTIVES, "2:1 period: '0001-Q1' is not a period: its"),
        ('kind: okrs\nperiod: "0001"\nowner: ops\n' + OBJECTIVES, "2:1 period: '0001' is not a period: its dates"),
        (
            GOAL + OBJECTIVES.replace("title: Grow\n", 'title: "Grow \\u202eevil"\n'),
            "6:5 objectives[0].title: holds the control character U+202E (RIGHT-TO-LEFT OVERRIDE): write plain text",
        ),
        (
            GOAL + OBJECTIVES.replace("title: Grow\n", "title: Grow \u2066x\u2069\n"),
            "6:5 objectives[0].title: holds the control character U+2066 (LEFT-TO-RIGHT ISOLATE)",
        ),
        (
            GOAL + OBJECTIVES.replace("5}", '5, unit: "\\u200f%"}'),
            "8:65 objectives[0].key_results[0].unit: holds the control character U+200F (RIGHT-TO-LEFT MARK)",
        ),
    ],
    ids=["kind list", "kind mapping", "309+ digits", "period 0001-Q1", "period 0001", "RLO", "isolate", "RLM"],
)
def test_hostile_values_are_located_schema_errors(text: str, expected: str) -> None:
    from okrctl.config import Config
    from okrctl.loader import load_text

    loaded = load_text("g.yaml", text, Config(fiscal_year_start=7), explicit=False)
    assert loaded is not None
    assert [(code, f"{p.line}:{p.column} {p.message}"[: len(expected)]) for code, p in loaded.problems] == [
        ("OKR002", expected)
    ]


def test_the_editor_schema_refuses_what_free_text_refuses() -> None:
    from okrctl.schema import schema_text

    patterns = {p for p in re.findall(r'"pattern": "([^"]*)"', schema_text()) if "u202e" in p}
    assert len(patterns) == 1
    pattern = json.loads(f'"{patterns.pop()}"')
    assert re.match(pattern, "Grow\tsales\nin EMEA é") and not re.match(pattern, "Grow \u202eevil")


WIDE = [
    ("utf-16", "UTF-16"),  # with a BOM, as Windows Notepad's "Unicode" saves it
    ("utf-16-le", "UTF-16"),
    ("utf-16-be", "UTF-16"),
    ("utf-32", "UTF-32"),
    ("utf-32-be", "UTF-32"),
]


@pytest.mark.parametrize(("codec", "name"), WIDE, ids=[codec for codec, _ in WIDE])
def test_a_utf16_or_utf32_goal_file_is_named_as_such_named_or_walked(codec: str, name: str, tmp_path: Path) -> None:
    from okrctl.config import Config
    from okrctl.loader import load_file

    path = tmp_path / "k.yaml"
    path.write_bytes("kind: kpis\nowner: ops\nkpis:\n  - {id: up, title: Uptime é}\n".encode(codec))
    for explicit in (True, False):
        loaded = load_file(path, Config(), explicit=explicit)
        assert loaded is not None
        assert [(code, p.message) for code, p in loaded.problems] == [
            ("OKR001", f"the file is {name}: save it as UTF-8")
        ]
    path.write_bytes("steps:\n  - run: make\n".encode(codec))  # some other YAML: not ours when walking
    assert load_file(path, Config(), explicit=False) is None


def test_binary_data_is_not_taken_for_utf16() -> None:
    from okrctl.loader import wide_text

    assert wide_text(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00") is None
    assert wide_text("kind: okrs".encode("utf-16-le")) == ("UTF-16", "kind: okrs")
