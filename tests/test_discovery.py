"""Discovery: which files a command reads, and where the config comes from."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import git, run_okrctl

from okrctl.config import config_start, load_config
from okrctl.discovery import Candidate, discover
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


BROKEN = "kind: okrs\nperiod: [\n"


def _paths(found: list[Candidate], root: Path) -> list[str]:
    return [c.path.relative_to(root).as_posix() for c in found]


def test_in_a_git_work_tree_files_are_listed_as_git_lists_them(git_repo: Path) -> None:
    _touch(git_repo, "goals/a.yaml", "goals/gone.yaml", "goals/B.YAML", "goals/c.Yml", "goals/draft/d.yaml")
    for ignored in ("node_modules/pkg/x.yaml", "build/out.yaml", "goals/draft/tmp/t.yaml", "goals/scratch.yaml"):
        (git_repo / ignored).parent.mkdir(parents=True, exist_ok=True)
        (git_repo / ignored).write_text(BROKEN)
    (git_repo / ".gitignore").write_text("node_modules/\nbuild/\n")
    (git_repo / "goals" / ".gitignore").write_text("scratch.yaml\ndraft/tmp/\n")  # a nested .gitignore
    _touch(git_repo, ".hidden/h.yaml", "archive/old.yaml")
    (git_repo / "goals" / "link").symlink_to("/")  # a committed link to a folder: never followed
    git("add", "-A", cwd=git_repo)
    git("commit", "-qm", "goals", cwd=git_repo)
    (git_repo / "goals" / "gone.yaml").unlink()  # tracked, deleted from the work tree: skipped
    _touch(git_repo, "goals/untracked.yaml")  # untracked and not ignored: listed
    found = discover([git_repo], git_repo, ["archive/**"])
    assert _paths(found, git_repo) == [
        "goals/B.YAML",
        "goals/a.yaml",
        "goals/c.Yml",
        "goals/draft/d.yaml",
        "goals/untracked.yaml",
    ]
    # A file named on the command line is read even when git ignores it.
    named = discover([git_repo / "build" / "out.yaml", git_repo / "goals"], git_repo, [])
    assert (named[0].path, named[0].explicit) == (git_repo / "build" / "out.yaml", True)
    assert _paths(named[1:], git_repo) == _paths(found, git_repo)  # and the folder as git lists it


def test_outside_a_work_tree_or_when_git_fails_the_folder_is_walked(
    git_repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (git_repo / ".gitignore").write_text("build/\n")
    _touch(git_repo, "a.yaml", "build/b.yaml")
    monkeypatch.setenv("GIT_DIR", str(git_repo / "no-such-git-dir"))  # git fails: walk as without git
    assert _paths(discover([git_repo], git_repo, []), git_repo) == ["a.yaml", "build/b.yaml"]


def test_a_submodule_is_listed_by_its_own_git(git_repo: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    other.mkdir()
    git("init", "-q", "-b", "main", cwd=other)
    _touch(other, "team.yaml")
    (other / ".gitignore").write_text("ignored.yaml\n")
    _touch(other, "ignored.yaml")
    git("add", "-A", cwd=other)
    git("-c", "user.email=d@e.f", "-c", "user.name=D", "commit", "-qm", "x", cwd=other)
    git("-c", "protocol.file.allow=always", "submodule", "add", "-q", str(other), "vendor", cwd=git_repo)
    _touch(git_repo / "vendor", "ignored.yaml")
    _touch(git_repo, "a.yaml")
    assert _paths(discover([git_repo], git_repo, []), git_repo) == ["a.yaml", "vendor/team.yaml"]


def test_git_ignored_goal_files_are_not_linted(git_repo: Path) -> None:
    (git_repo / ".gitignore").write_text("node_modules/\nbuild/\n")
    for ignored in ("node_modules/pkg/goals.yaml", "build/goals.yaml"):
        (git_repo / ignored).parent.mkdir(parents=True)
        (git_repo / ignored).write_text(BROKEN)
    result = run_okrctl("lint", cwd=git_repo)
    assert (result.code, result.out) == (0, "All clear: 0 goal files checked, no findings.\n")
    named = run_okrctl("lint", "build/goals.yaml", cwd=git_repo)
    assert named.code == 1
    assert named.out.startswith("build/goals.yaml:3:1 OKR001 error")
