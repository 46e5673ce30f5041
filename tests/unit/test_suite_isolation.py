"""The suite's own guarantees: the in-process runner leaves no trace in the process, and no run writes the
cache key into the user's cache folder."""

from __future__ import annotations

import gc
import os
import shutil
from pathlib import Path

import pytest
from conftest import AS_OF, EXAMPLES, okrctl

from okrctl import config
from okrctl.cache import key_folder


def test_the_key_folder_is_the_suites_temporary_one(own_key_folder: Path) -> None:
    assert key_folder() == own_key_folder == Path(os.environ["OKRCTL_CACHE_HOME"])
    assert own_key_folder.name.startswith("key-folder")


def test_an_in_process_run_keeps_the_cache_key_in_the_suites_folder(
    own_key_folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))  # the user's cache folder would be under it: any write there shows
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    shutil.copytree(EXAMPLES / "acme", tmp_path / "acme")
    assert okrctl("lint", "--as-of", AS_OF, cwd=tmp_path / "acme").code == 0
    assert (own_key_folder / "cache-key").is_file()
    assert list(home.rglob("*")) == []


def test_the_runner_puts_back_what_a_run_changes(tmp_path: Path) -> None:
    (tmp_path / "okrctl.yaml").write_text("")
    (tmp_path / "a.yaml").write_bytes((EXAMPLES / "bad" / "okr007-zero-range.yaml").read_bytes())
    environment, cwd = dict(os.environ), Path.cwd()
    result = okrctl("lint", "--as-of", AS_OF, "--config", "okrctl.yaml", cwd=tmp_path, env={"NO_COLOR": "1"})
    assert result.code == 1 and "OKR007" in result.out
    assert (dict(os.environ), Path.cwd()) == (environment, cwd)
    assert config.chosen_config() is None  # --config holds for one run only
    assert gc.get_freeze_count() == 0


def test_the_runner_gives_stdin_and_the_exit_code_of_a_usage_error(tmp_path: Path) -> None:
    text = (EXAMPLES / "bad" / "okr007-zero-range.yaml").read_text()
    piped = okrctl("lint", "-", "--stdin-filename", "ops.yaml", "--no-cross-file", cwd=tmp_path, input=text)
    assert piped.code == 1 and piped.out.startswith("ops.yaml:13:9 OKR007 error")
    assert okrctl("lint", "--bogus", cwd=tmp_path).code == 2
