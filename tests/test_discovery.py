"""Discovery: which files a command reads, and where the config comes from."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import run_okrctl

from okrctl.config import config_start, load_config
from okrctl.discovery import discover
from okrctl.errors import UserError


def _touch(root: Path, *names: str) -> None:
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("kind: okrs\n")


def test_walks_yaml_files_skipping_hidden_folders_and_excluded_globs(tmp_path: Path) -> None:
    _touch(tmp_path, "a.yaml", "b.yml", "notes.txt", ".git/x.yaml", "goals/.draft/y.yaml", "goals/c.yaml")
    _touch(tmp_path, "archive/2024/old.yaml", "goals/archive.yaml")
    found = discover([tmp_path], tmp_path, ["archive/**"])
    assert [(c.path.relative_to(tmp_path).as_posix(), c.explicit) for c in found] == [
        ("a.yaml", False),
        ("b.yml", False),
        ("goals/archive.yaml", False),
        ("goals/c.yaml", False),
    ]


def test_named_files_are_read_whatever_their_name_and_listed_once(tmp_path: Path) -> None:
    _touch(tmp_path, "goals.txt", "a.yaml")
    found = discover([tmp_path / "goals.txt", tmp_path / "a.yaml", tmp_path], tmp_path, [])
    assert [(c.path.name, c.explicit) for c in found] == [("a.yaml", True), ("goals.txt", True)]


def test_a_symlink_and_its_target_are_read_once(tmp_path: Path) -> None:
    _touch(tmp_path, "real/a.yaml")
    (tmp_path / "link.yaml").symlink_to(tmp_path / "real" / "a.yaml")
    found = discover([tmp_path], tmp_path, [])
    assert [c.path.relative_to(tmp_path).as_posix() for c in found] == ["link.yaml"]


def test_a_missing_path_is_a_user_error(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="no such file or directory"):
        discover([tmp_path / "nope"], tmp_path, [])


def test_the_config_is_the_nearest_okrctl_yaml_above_the_paths(tmp_path: Path) -> None:
    (tmp_path / "goals" / "team").mkdir(parents=True)
    (tmp_path / "goals" / "okrctl.yaml").write_text("fiscal_year_start: 7\n")
    loaded = load_config(config_start([tmp_path / "goals" / "team"]))
    assert loaded.root == tmp_path / "goals"
    assert loaded.config.fiscal_year_start == 7
    assert load_config(tmp_path).path is None  # nothing above tmp_path: the defaults


def test_display_paths_are_relative_to_the_current_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from okrctl.loader import display_path

    (tmp_path / "goals" / "q4").mkdir(parents=True)
    monkeypatch.chdir(tmp_path / "goals")
    assert display_path(Path("q4/a.yaml")) == "q4/a.yaml"
    assert display_path(Path("./q4/../q4/a.yaml")) == "q4/a.yaml"
    assert display_path(tmp_path / "goals" / "q4" / "a.yaml") == "q4/a.yaml"
    assert display_path(tmp_path / "kpis.yaml") == "../kpis.yaml"
    assert display_path(Path("../goals-old/x.yaml")) == "../goals-old/x.yaml"  # a sibling sharing a prefix
    monkeypatch.chdir(tmp_path / "goals" / "q4")  # the same path, another current directory
    assert display_path(tmp_path / "goals" / "q4" / "a.yaml") == "a.yaml"
    monkeypatch.chdir("/")
    assert display_path(tmp_path / "kpis.yaml") == str(tmp_path / "kpis.yaml").lstrip("/")


def test_display_paths_escape_what_a_terminal_would_act_on(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from okrctl.loader import display_path

    monkeypatch.chdir(tmp_path)
    assert display_path(Path("a\nb.yaml")) == "a\\nb.yaml"  # a line break could forge a finding line
    assert display_path(Path("a\x1b]0;pwned\x07.yaml")) == "a\\x1b]0;pwned\\x07.yaml"  # retitle the terminal
    assert display_path(Path("x\u202egpj.yaml")) == "x\\u202egpj.yaml"  # a bidi override reverses what follows
    assert display_path(Path(os.fsdecode(b"bad\xff.yaml"))) == "bad\\xff.yaml"  # not UTF-8: never a surrogate
    assert display_path(Path("café é.yaml")) == "café é.yaml"


def test_hostile_file_names_print_escaped_on_a_strict_utf8_stdout(tmp_path: Path) -> None:
    for name in (b"bad\xff.yaml", b"a\n::error file=x::forged.yaml", b"t\x1b]0;pwned\x07.yaml"):
        (tmp_path / os.fsdecode(name)).write_bytes(b"kind: okrs\nperiod: [\n")
    result = run_okrctl("lint", env={"PYTHONIOENCODING": "utf-8:strict"}, cwd=tmp_path)
    assert result.code == 1
    assert "bad\\xff.yaml:3:1 OKR001 error" in result.out
    assert "a\\n::error file=x::forged.yaml:3:1 OKR001 error" in result.out
    assert "t\\x1b]0;pwned\\x07.yaml:3:1 OKR001 error" in result.out
    assert "\x1b" not in result.out
    assert not any(line.startswith("::") for line in result.out.splitlines())
