"""Discovery: which files a command reads, and where the config comes from."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import git, okrctl

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
    result = okrctl("lint", cwd=tmp_path)  # the in-process stdout is strict UTF-8 too: a surrogate would raise
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
    # So is a folder git ignores as a whole, when it is named.
    assert _paths(discover([git_repo / "node_modules"], git_repo, []), git_repo) == ["node_modules/pkg/x.yaml"]


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
    result = okrctl("lint", cwd=git_repo)
    assert (result.code, result.out) == (0, "All clear: 0 goal files checked, no findings.\n")
    named = okrctl("lint", "build/goals.yaml", cwd=git_repo)
    assert named.code == 1
    assert named.out.startswith("build/goals.yaml:3:1 OKR001 error")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("grades: {green: 0.4, yellow: 0.7}\n", "okrctl.yaml:1:22: bad config: grades.yellow must be ≤ grades.green"),
        ("grades:\n  green: 0.3\n", "okrctl.yaml:2:3: bad config: grades.yellow must be ≤ grades.green"),
        (
            "pace:\n  on_track: 0.3\n  at_risk: 0.1\n",
            "okrctl.yaml:2:3: bad config: pace.on_track must be ≤ pace.at_risk",
        ),
        (
            "lint: {min_key_results: 6}\n",
            "okrctl.yaml:1:8: bad config: lint.min_key_results must be ≤ lint.max_key_results",
        ),
        (
            'fiscal_year_start: "7"\n',
            "okrctl.yaml:1:1: bad config: fiscal_year_start: expected a whole number, got text",
        ),
        ("stale_grace_days: true\n", "okrctl.yaml:1:1: bad config: stale_grace_days: expected a whole number, got a b"),
        (
            "grades: {green: 1" + "0" * 330 + "}\n",
            "okrctl.yaml:1:10: bad config: grades.green: number out of range",
        ),
        (
            "lint: {checkin_days: 1" + "0" * 330 + "}\n",
            "okrctl.yaml:1:8: bad config: lint.checkin_days: Input should be",
        ),
    ],
)
def test_a_contradictory_or_loosely_typed_config_is_refused_with_its_location(
    text: str, expected: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "okrctl.yaml").write_text(text)
    monkeypatch.chdir(tmp_path)
    with pytest.raises(UserError) as error:
        load_config(tmp_path)
    assert str(error.value).startswith(expected)


def test_a_config_in_order_is_accepted(tmp_path: Path) -> None:
    (tmp_path / "okrctl.yaml").write_text("grades: {green: 0.5, yellow: 0.5}\npace: {on_track: 0.2}\n")
    loaded = load_config(tmp_path)
    assert (loaded.config.grades.yellow, loaded.config.pace.at_risk) == (0.5, 0.25)


NUMBER_IN_TITLE = (
    "kind: okrs\nperiod: 2026-Q4\nowner: {owner}\nobjectives:\n  - id: a\n    title: Grow revenue 20% in EMEA\n"
    "    key_results:\n"
    "      - {{id: x, title: Cut x from 9 to 3, start: 9, target: 3, checkins: [{{date: 2026-11-20, value: 5}}]}}\n"
    "      - {{id: y, title: Cut y from 9 to 3, start: 9, target: 3, checkins: [{{date: 2026-11-20, value: 5}}]}}\n"
)
AS_OF = ("--as-of", "2026-11-23")


def test_a_nested_okrctl_yaml_judges_the_files_below_it_wherever_okrctl_runs(git_repo: Path) -> None:
    # pre-commit's two hooks: okrctl-lint names files from the repository root, okrctl-lint-all runs `okrctl
    # lint` there; the goals live in okrs/ with their own okrctl.yaml. Both must judge with that config.
    okrs = git_repo / "okrs"
    okrs.mkdir()
    (okrs / "okrctl.yaml").write_text('lint: {ignore: [OKR104]}\nexclude: ["drafts/**"]\n')
    (okrs / "sales.yaml").write_text(NUMBER_IN_TITLE.format(owner="sales"))
    (okrs / "drafts").mkdir()
    (okrs / "drafts" / "wip.yaml").write_text(BROKEN)
    clean = "All clear: 1 goal file checked, no findings.\n"
    assert okrctl("lint", *AS_OF, cwd=git_repo).out == clean
    assert okrctl("lint", *AS_OF, "okrs/sales.yaml", cwd=git_repo).out == clean
    assert okrctl("lint", *AS_OF, cwd=okrs).out == clean

    # With a config at the top too, each file keeps the config of the nearest okrctl.yaml above it.
    (git_repo / "okrctl.yaml").write_text("")
    (git_repo / "top.yaml").write_text(NUMBER_IN_TITLE.format(owner="top"))
    outer = okrctl("lint", *AS_OF, cwd=git_repo)
    assert outer.code == 0
    assert outer.out.startswith("top.yaml:6:5 OKR104 warning")
    assert outer.out.endswith("\n\n0 errors and 1 warning in 1 of 2 goal files.\n")
    both = okrctl("lint", *AS_OF, "top.yaml", "okrs/sales.yaml", cwd=git_repo)
    assert both.out == outer.out
    assert okrctl("lint", *AS_OF, ".", "okrs/sales.yaml", cwd=git_repo).out == outer.out

    # Reports judge one goals root at a time, and say so.
    report = okrctl("status", *AS_OF, cwd=git_repo)
    assert report.code == 2
    assert report.err == (
        "okrctl: error: the paths hold goal files of 2 goals roots, each with its own okrctl.yaml (./, okrs/): "
        "name one of them (okrctl lint checks them all at once)\n"
    )
    assert okrctl("status", *AS_OF, "okrs", cwd=git_repo).code == 0


def test_config_option_names_the_config_and_its_folder_is_the_root(tmp_path: Path) -> None:
    (tmp_path / "shared").mkdir()
    (tmp_path / "shared" / "okrctl.yaml").write_text("lint: {ignore: [OKR104]}\n")
    (tmp_path / "team").mkdir()
    (tmp_path / "team" / "okrctl.yaml").write_text("")
    (tmp_path / "team" / "a.yaml").write_text(NUMBER_IN_TITLE.format(owner="a"))
    assert "OKR104" in okrctl("lint", *AS_OF, cwd=tmp_path / "team").out
    chosen = okrctl("lint", *AS_OF, "--config", "../shared/okrctl.yaml", "a.yaml", cwd=tmp_path / "team")
    assert (chosen.code, chosen.out) == (0, "All clear: 1 goal file checked, no findings.\n")
    for command in (["score"], ["status"], ["kpis"], ["tree"], ["checkin", "a/a/x", "4"], ["measure", "a/k", "1"]):
        missing = okrctl(*command, "--config", "nope.yaml", cwd=tmp_path / "team")
        assert (missing.code, missing.err) == (2, "okrctl: error: --config nope.yaml: no such file\n"), command
    (tmp_path / "bad.yaml").write_text("grades: {green: 0.4, yellow: 0.7}\n")
    bad = okrctl("lint", "--config", "bad.yaml", "team", cwd=tmp_path)
    assert (bad.code, bad.err) == (
        2,
        "okrctl: error: bad.yaml:1:22: bad config: grades.yellow must be ≤ grades.green\n",
    )


def test_the_goals_root_is_never_above_the_current_directory_without_a_config(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    here = tmp_path / "here"
    here.mkdir()
    (here / "link").symlink_to("/")  # a named symlink to a folder is that folder here, not `/`
    monkeypatch.chdir(here)
    assert config_start([Path("link"), Path("a.yaml")]) == here
    assert config_start([Path("a.yaml"), tmp_path / "elsewhere" / "b.yaml"]) == here  # common folder above: here
    assert config_start([Path("/etc/hosts"), Path("a.yaml")]) == here


def test_named_links_do_not_walk_the_filesystem(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    (tmp_path / "real" / "a.yaml").write_text(NUMBER_IN_TITLE.format(owner="a").replace("20% ", ""))
    (tmp_path / "real" / "root").symlink_to("/")  # inside a named folder: not followed
    (tmp_path / "link").symlink_to(tmp_path / "real")
    result = okrctl("lint", *AS_OF, "link", cwd=tmp_path)
    assert (result.code, result.out) == (0, "All clear: 1 goal file checked, no findings.\n")
    # a named pipe: tests/acceptance/test_entry_point.py (bash's `<(...)` gives the process one)


@pytest.mark.slow  # a thousand folders deep: every system call walks the whole path
@pytest.mark.parametrize("in_git", [False, True], ids=["walked", "listed by git"])
def test_a_folder_tree_a_thousand_deep_is_searched_without_recursion(
    in_git: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Python 3.11's os.walk recurses, and so did the check of git-listed folders."""
    root = tmp_path / "repo"
    root.mkdir()
    folders = [root]
    for _ in range(1_100):  # one level at a time: pathlib's and os's makedirs recurse too
        folders.append(folders[-1] / "d")
        folders[-1].mkdir()
    goals = folders[-1] / "goals.yaml"
    goals.write_text("kind: kpis\nowner: ops\nkpis: []\n")
    try:
        if in_git:
            git("init", "-q", cwd=root)
            git("add", "-A", cwd=root)
        monkeypatch.chdir(root)
        found = discover([Path()], Path(), [])
        assert [len(c.path.parts) for c in found] == [1_101]
    finally:
        goals.unlink()
        for folder in reversed(folders[1:]):  # and so does rmtree, which cleans tmp_path
            folder.rmdir()


@pytest.mark.slow
def test_goals_roots_nested_a_thousand_deep_are_split_without_recursion(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from okrctl.commands.common import scopes

    folders = [tmp_path]
    for _ in range(1_000):
        (folders[-1] / "okrctl.yaml").write_text("")
        folders.append(folders[-1] / "n")
        folders[-1].mkdir()
    (folders[-1] / "goals.yaml").write_text("kind: kpis\nowner: ops\nkpis: []\n")
    monkeypatch.chdir(tmp_path)
    try:
        found = scopes([])
        goal_files = [c.path for scope in found for c in scope.candidates if c.path.name == "goals.yaml"]
        assert len(found) == 1_000 and len(goal_files) == 1
    finally:
        (folders[-1] / "goals.yaml").unlink()
        for folder in reversed(folders[1:]):  # rmtree, which cleans tmp_path, recurses
            (folder.parent / "okrctl.yaml").unlink()
            folder.rmdir()


def test_a_named_link_to_a_folder_outside_is_refused_inside_is_searched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`okrctl lint x.yaml` where x.yaml links to `/` walked the filesystem, then failed on /proc."""
    (tmp_path / "inside").mkdir()
    (tmp_path / "inside" / "k.yaml").write_text("kind: kpis\nowner: ops\nkpis: []\n")
    (tmp_path / "in.yaml").symlink_to("inside")
    (tmp_path / "root.yaml").symlink_to("/")
    monkeypatch.chdir(tmp_path)
    assert [c.path for c in discover([Path("in.yaml")], Path(), [])] == [Path("in.yaml/k.yaml")]
    with pytest.raises(UserError, match=r"^root\.yaml is a link to a folder outside the current directory \(/\)"):
        discover([Path("root.yaml"), Path("inside/k.yaml")], Path(), [])


def test_links_to_folders_are_never_entered_while_walking(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Loops made of links (`sub/up -> ..`, `loop -> .`) are no reason to read a file twice, or forever."""
    (tmp_path / "sub").mkdir()
    (tmp_path / "k.yaml").write_text("kind: kpis\nowner: ops\nkpis: []\n")
    (tmp_path / "sub" / "up").symlink_to("..")
    (tmp_path / "loop").symlink_to(".")
    monkeypatch.chdir(tmp_path)
    assert [c.path for c in discover([Path()], Path(), [])] == [Path("k.yaml")]
    assert discover([Path("sub")], Path(), []) == []
