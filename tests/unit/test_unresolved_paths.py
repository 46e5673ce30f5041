"""Paths are compared as the user named them, made absolute by their letters: `..` is taken out, links are kept."""

from __future__ import annotations

from pathlib import Path

import pytest

from okrctl.cli import app
from okrctl.config import config_start
from okrctl.paths import absolute_unresolved, same_unresolved


def test_dots_are_taken_out_by_their_letters_and_links_are_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "real").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "real")
    monkeypatch.chdir(tmp_path / "real")
    assert absolute_unresolved(Path("../link/./x/..")) == tmp_path / "link"
    assert absolute_unresolved(Path("..")) == tmp_path
    assert same_unresolved(Path("../link"), tmp_path / "link" / "x" / "..")
    assert not same_unresolved(tmp_path / "link", tmp_path / "real")  # a link and its target are two places


def test_the_config_search_starts_where_the_paths_are_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "link").symlink_to(tmp_path / "a" / "b")
    monkeypatch.chdir(tmp_path / "a")
    assert config_start([Path("b/../b/x.yaml"), Path("b")]) == tmp_path / "a" / "b"
    assert config_start([Path("../link")]) == tmp_path / "link"  # not a/b, where the link leads


def _init(capsys: pytest.CaptureFixture[str], folder: str) -> str:
    with pytest.raises(SystemExit) as exited:
        app(["init", folder, "--owner", "team"], prog_name="okrctl")
    assert exited.value.code == 0
    return capsys.readouterr().out


def test_init_of_a_sibling_folder_ignores_the_config_of_the_current_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`okrctl init ../two` from a folder whose okrctl.yaml starts the year in April: `two` is not below it,
    so its first period is labelled by the calendar year, as in any folder without a config above it."""
    (tmp_path / "one").mkdir()
    (tmp_path / "one" / "okrctl.yaml").write_text("fiscal_year_start: 4\n")
    monkeypatch.chdir(tmp_path)
    _init(capsys, "three")
    monkeypatch.chdir(tmp_path / "one")
    _init(capsys, "../two")
    assert [p.parent.name for p in (tmp_path / "two").glob("goals/*/team.yaml")] == [
        p.parent.name for p in (tmp_path / "three").glob("goals/*/team.yaml")
    ]
