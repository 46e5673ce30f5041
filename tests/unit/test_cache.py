"""The per-file cache gives exactly the findings of a run without it, whatever changed in between."""

from __future__ import annotations

import json
import os
import pickle
import shutil
import stat
from pathlib import Path
from typing import Any

import pytest
from conftest import AS_OF, EXAMPLES, okrctl

from okrctl.cache import CACHE_DIR


def _lint(folder: Path, *args: str) -> tuple[int, dict[str, Any]]:
    result = okrctl("lint", "--as-of", AS_OF, "--format", "json", *args, cwd=folder)
    return result.code, json.loads(result.out)


def _same_with_and_without_cache(folder: Path) -> dict[str, Any]:
    cached = _lint(folder)
    fresh = _lint(folder, "--no-cache")
    assert cached == fresh
    return cached[1]


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    root = tmp_path / "goals"
    shutil.copytree(EXAMPLES / "bad", root, ignore=shutil.ignore_patterns(CACHE_DIR))
    shutil.copytree(EXAMPLES / "acme", root / "acme", ignore=shutil.ignore_patterns(CACHE_DIR, "okrctl.yaml"))
    return root


def _packs(root: Path) -> list[Path]:
    return sorted((root / CACHE_DIR).rglob("*.pack"))


def _entries(root: Path) -> dict[str, tuple[str, bool, bytes]]:
    """Every entry of every pack (the test trusts its own packs enough to read them unsigned)."""
    entries = {}
    for pack in _packs(root):
        entries.update(pickle.loads(pack.read_bytes()[32:]))
    return entries


def test_the_cache_is_filled_ignored_by_git_and_reused(tree: Path) -> None:
    first = _same_with_and_without_cache(tree)
    (pack,) = _packs(tree)
    assert len(_entries(tree)) == first["files"]  # one entry per goal file
    assert (tree / CACHE_DIR / ".gitignore").read_text().splitlines()[-1] == "*"
    stamp = pack.stat().st_mtime_ns
    assert _same_with_and_without_cache(tree) == first
    assert pack.stat().st_mtime_ns == stamp  # all hits: nothing rewritten


def test_a_named_file_run_keeps_the_entries_of_the_others(tree: Path) -> None:
    """A pre-commit run on one file must not evict the rest of the tree from the pack."""
    first = _same_with_and_without_cache(tree)
    entries = _entries(tree)
    _lint(tree, "okr104-number-in-objective.yaml", "--no-cross-file")
    assert _entries(tree).keys() >= entries.keys()
    assert _same_with_and_without_cache(tree) == first


def test_an_edited_file(tree: Path) -> None:
    _same_with_and_without_cache(tree)
    count = len(_entries(tree))
    target = tree / "okr104-number-in-objective.yaml"
    target.write_text(target.read_text().replace("Grow revenue by 15%", "Grow revenue faster than the market"))
    after = _same_with_and_without_cache(tree)
    assert "okr104-number-in-objective.yaml" not in {f["path"] for f in after["findings"]}
    assert len(_entries(tree)) == count  # the edited file's entry replaced its old one


def test_a_changed_config(tree: Path) -> None:
    before = _same_with_and_without_cache(tree)
    (tree / "okrctl.yaml").write_text("lint:\n  max_objective_words: 3\n  ignore: [OKR202]\n")
    after = _same_with_and_without_cache(tree)
    codes = [f["code"] for f in after["findings"]]
    assert "OKR202" not in codes and codes.count("OKR105") > 1
    assert after != before


def test_a_new_okrctl_version(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from datetime import date

    from okrctl import cache
    from okrctl.commands.lint import collect

    monkeypatch.chdir(tree)
    first = collect([], date(2026, 11, 23))
    count = len(_entries(tree))
    fingerprint = cache.code_fingerprint
    monkeypatch.setattr(cache, "__version__", "99.0.0")
    fingerprint.cache_clear()
    again = collect([], date(2026, 11, 23))
    assert again.findings == first.findings
    assert len(_entries(tree)) == 2 * count  # the new version wrote its own pack

    # Changed code under the same version number (an install from git): new entries again.
    monkeypatch.setattr(cache, "code_fingerprint", lambda: "other code")
    third = collect([], date(2026, 11, 23))
    assert third.findings == first.findings
    assert len(_entries(tree)) == 3 * count
    fingerprint.cache_clear()  # computed again, with the real version, after monkeypatch restores it


def test_a_deleted_and_a_renamed_file(tree: Path) -> None:
    _same_with_and_without_cache(tree)
    (tree / "okr007-zero-range.yaml").unlink()
    (tree / "okr106-grade-without-note.yaml").rename(tree / "renamed.yaml")
    after = _same_with_and_without_cache(tree)
    paths = {f["path"] for f in after["findings"]}
    assert "okr007-zero-range.yaml" not in paths and "okr106-grade-without-note.yaml" not in paths
    assert "renamed.yaml" in paths
    stored = {shown for shown, _, _ in _entries(tree).values()}
    assert "renamed.yaml" in stored and stored.isdisjoint({"okr007-zero-range.yaml", "okr106-grade-without-note.yaml"})


@pytest.mark.parametrize(
    "damage",
    [
        lambda blob: b"not a cache pack",
        lambda blob: blob[:40],  # truncated
        lambda blob: blob[:32] + blob[33:],  # one byte gone: the signature no longer matches
        # Forged: a valid pickle that would run code, without okrctl's signature.
        lambda blob: b"\0" * 32 + b"cos\nsystem\n(S'touch pwned'\ntR.",
    ],
    ids=["garbage", "truncated", "altered", "forged"],
)
def test_corrupt_and_forged_packs_are_ignored(damage: Any, tree: Path) -> None:
    first = _same_with_and_without_cache(tree)
    (pack,) = _packs(tree)
    pack.write_bytes(damage(pack.read_bytes()))
    assert _same_with_and_without_cache(tree) == first
    assert not (tree / "pwned").exists()
    assert len(_entries(tree)) == first["files"]  # written again, whole


def test_a_corrupt_entry_in_a_signed_pack_is_a_miss(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Signed but unreadable (say, written by a build whose classes changed): that file is processed again."""
    import hashlib
    import hmac

    from okrctl import cache

    first = _same_with_and_without_cache(tree)
    (pack,) = _packs(tree)
    entries = pickle.loads(pack.read_bytes()[32:])
    key = next(iter(entries))
    shown, explicit, _ = entries[key]
    entries[key] = (shown, explicit, b"\x80\x05garbage")
    payload = pickle.dumps(entries)
    secret, _ = cache._secret()
    assert secret is not None
    pack.write_bytes(hmac.new(secret, payload, hashlib.sha256).digest() + payload)
    assert _same_with_and_without_cache(tree) == first
    assert _entries(tree)[key][2] != b"\x80\x05garbage"


def test_a_read_only_tree_runs_without_the_cache(tree: Path, tmp_path: Path) -> None:
    import os

    if os.geteuid() == 0:
        pytest.skip("root writes anywhere")
    tree.chmod(0o555)
    try:
        assert _lint(tree)[0] == 1
    finally:
        tree.chmod(0o755)


def test_a_generated_tree_gives_the_same_output_with_any_jobs_and_cache(tmp_path: Path) -> None:
    """A running quarter without KPI-fed starts: lint never loads check-ins and measurements back. After the
    period's end (and a year later) the cross-file rules report on most files, at the positions the lean
    results kept; the second cached run of each date is remembered whole."""
    import sys

    from conftest import ROOT

    sys.path.insert(0, str(ROOT / "benchmarks"))
    from generate import generate

    generate(tmp_path, 70)  # 148 goal files: enough for worker processes
    for as_of, ended in ((AS_OF, False), ("2027-01-05", True), ("2027-11-23", True)):
        runs = [
            okrctl("lint", "--as-of", as_of, "--format", "json", *args, cwd=tmp_path)
            for args in (["--no-cache", "--jobs", "1"], ["--no-cache", "--jobs", "2"], ["--jobs", "2"], [])
        ]
        assert len({(r.code, r.out) for r in runs}) == 1, as_of
        document = json.loads(runs[0].out)
        assert document["files"] == 148  # 70 teams x 2, 7 departments, the company
        missed = {f["path"] for f in document["findings"] if f["code"] == "OKR304"}  # a cross-file rule
        assert (len(missed) > 50) is ended, as_of
    scores = {
        okrctl("score", "--as-of", AS_OF, "--format", "json", *args, cwd=tmp_path).out
        for args in (["--no-cache", "--jobs", "1"], [], [])
    }
    assert len(scores) == 1
    assert '"value"' in scores.pop()  # check-ins were loaded back for the report


def test_set_aside_details_refuse_any_use_until_loaded() -> None:
    from datetime import date

    from okrctl.config import Config
    from okrctl.model import KpiFile
    from okrctl.pipeline import process

    result = process(EXAMPLES / "acme" / "kpis" / "support.yaml", Config(), date(2026, 11, 23), True)
    assert result is not None
    assert isinstance(result.file.model, KpiFile)
    kpi = result.file.model.kpis[0]
    with pytest.raises(RuntimeError, match=r"call GoalFile\.load_history"):
        list(kpi.measurements)
    result.file.load_history()
    assert isinstance(result.file.model, KpiFile)
    assert result.file.model.kpis[0].measurements[-1] == {
        "date": date(2026, 10, 31),
        "value": 4.6,
        "note": "save desk started Oct 5",
    }


def test_packs_of_old_settings_and_formats_are_tidied_away(tree: Path) -> None:
    old_format = tree / CACHE_DIR / "v2" / "ab"
    old_format.mkdir(parents=True)
    (old_format / "abcdef").write_bytes(b"an entry of an older okrctl")
    for day in range(1, 7):  # six as-of dates: six settings, one pack each
        okrctl("lint", "--as-of", f"2026-11-0{day}", cwd=tree)
    assert len(_packs(tree)) == 4
    assert not (tree / CACHE_DIR / "v2").exists()


def test_a_full_disk_while_writing_the_pack(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The run still gives its findings; no half-written pack or temporary file is left behind."""
    import errno
    import os
    from datetime import date

    from okrctl import cache
    from okrctl.commands.lint import collect

    monkeypatch.chdir(tree)
    fresh = collect([], date(2026, 11, 23), use_cache=False)
    assert cache._secret()[0] is not None  # the signing key exists before writes start failing
    real_fdopen = os.fdopen

    class Full:
        def __init__(self, stream: Any) -> None:
            self.stream = stream

        def __enter__(self) -> Full:
            return self

        def __exit__(self, *exc: object) -> None:
            self.stream.close()

        def write(self, data: bytes) -> int:
            raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fdopen", lambda fd, mode: Full(real_fdopen(fd, mode)))
    result = collect([], date(2026, 11, 23))
    assert result.findings == fresh.findings
    assert _packs(tree) == []
    assert {p.name for p in (tree / CACHE_DIR).rglob("*") if p.is_file()} <= {".gitignore"}  # no temporary file


@pytest.mark.parametrize("planted", [CACHE_DIR, f"{CACHE_DIR}/v3"])
def test_a_symlinked_cache_folder_is_never_written_or_tidied(planted: str, tree: Path, tmp_path: Path) -> None:
    """A repository could commit `.okrctl-cache` as a link to a folder of yours: okrctl leaves it alone."""
    elsewhere = tmp_path / "home"
    (elsewhere / "videos").mkdir(parents=True)
    (elsewhere / "v2").mkdir()
    for name in ("old-1.pack", "old-2.pack", "old-3.pack", "old-4.pack", "old-5.pack"):
        (elsewhere / name).write_text("mine")
    before = sorted(str(p.relative_to(elsewhere)) for p in elsewhere.rglob("*"))
    link = tree / planted
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(elsewhere, target_is_directory=True)
    first = _same_with_and_without_cache(tree)
    assert _same_with_and_without_cache(tree) == first
    assert sorted(str(p.relative_to(elsewhere)) for p in elsewhere.rglob("*")) == before


# -- links, pipes and devices planted in the cache folders (a repository can commit links anywhere) --------------


@pytest.fixture
def acme(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    shutil.copytree(EXAMPLES / "acme", root, ignore=shutil.ignore_patterns(CACHE_DIR))
    return root


def _collect(root: Path, monkeypatch: pytest.MonkeyPatch, use_cache: bool = True) -> list[Any]:
    from datetime import date

    from okrctl.commands.lint import collect

    monkeypatch.chdir(root)
    return collect([], date(2026, 11, 23), use_cache=use_cache).findings


def _plant(root: Path, monkeypatch: pytest.MonkeyPatch, where: str) -> Path:
    """The path of the cache's `.gitignore` or of this run's pack, with nothing there yet."""
    if where == ".gitignore":
        (root / CACHE_DIR).mkdir()
        return root / CACHE_DIR / ".gitignore"
    _collect(root, monkeypatch)  # find the pack's name (its settings), then take the pack away
    (pack,) = _packs(root)
    pack.unlink()
    return pack


@pytest.mark.parametrize("where", [".gitignore", "pack"])
@pytest.mark.parametrize("target", ["dangling", "a file of yours"])
def test_a_link_in_the_cache_folder_is_never_written_through(
    where: str, target: str, acme: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fresh = _collect(acme, monkeypatch, use_cache=False)
    victim = tmp_path / "outside" / "victim"
    victim.parent.mkdir()
    if target != "dangling":
        victim.write_bytes(b"yours")
    link = _plant(acme, monkeypatch, where)
    link.symlink_to(victim)
    for _ in range(2):
        assert _collect(acme, monkeypatch) == fresh
    if target == "dangling":
        assert not os.path.lexists(victim)
    else:
        assert victim.read_bytes() == b"yours"
    assert link.is_symlink()  # left alone, not replaced or removed
    assert [p for p in _packs(acme) if not p.is_symlink()] == []  # no cache this run: nothing written beside it


def test_a_dangling_gitignore_link_creates_no_file_and_says_why(acme: Path, tmp_path: Path) -> None:
    """Through the real command: a committed `.okrctl-cache/.gitignore` that links outside the repository."""
    victim = tmp_path / "victim" / "created-by-okrctl"
    victim.parent.mkdir()
    (acme / CACHE_DIR).mkdir()
    (acme / CACHE_DIR / ".gitignore").symlink_to(victim)
    result = okrctl("lint", "--as-of", AS_OF, cwd=acme)
    assert result.code == 0
    assert not os.path.lexists(victim)
    assert result.err == "okrctl: note: running without the cache: .okrctl-cache/.gitignore is a symbolic link\n"


@pytest.mark.parametrize("planted", ["/dev/zero", "fifo"])
def test_a_pack_that_is_a_device_or_a_pipe_is_a_miss(planted: str, acme: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Never read (no endless read of /dev/zero, no wait on a pipe), never replaced."""
    fresh = _collect(acme, monkeypatch, use_cache=False)
    pack = _plant(acme, monkeypatch, "pack")
    if planted == "fifo":
        os.mkfifo(pack)
    else:
        pack.symlink_to(planted)
    assert _collect(acme, monkeypatch) == fresh
    if planted == "fifo":
        assert stat.S_ISFIFO(pack.lstat().st_mode)
    else:
        assert str(pack.readlink()) == planted


def test_a_pack_over_the_size_limit_is_a_miss(acme: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from datetime import date

    from okrctl import cache
    from okrctl.config import load_config

    fresh = _collect(acme, monkeypatch)
    (pack,) = _packs(acme)
    size = pack.stat().st_size
    config = load_config(acme).config
    assert cache.Cache(acme, config, date(2026, 11, 23)).stored  # within the limit: read
    monkeypatch.setattr(cache, "_PACK_LIMIT", size - 1)
    assert cache.Cache(acme, config, date(2026, 11, 23)).stored == {}  # one byte over: not read at all
    os.truncate(pack, 2 * size)  # now also unsigned: written again, whole, within the limit
    assert _collect(acme, monkeypatch) == fresh
    assert pack.stat().st_size == size


# -- the signing key ------------------------------------------------------------------------------------------------


def test_an_empty_key_file_is_replaced_and_the_next_run_is_warm(
    acme: Path, own_key_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An empty (or truncated) key, as a crash can leave, must not switch the cache off for good."""
    key = own_key_folder / "cache-key"
    key.write_bytes(b"")
    fresh = _collect(acme, monkeypatch)
    assert len(key.read_bytes()) == 32
    (pack,) = _packs(acme)
    stamp = pack.stat().st_mtime_ns
    assert _collect(acme, monkeypatch) == fresh
    assert pack.stat().st_mtime_ns == stamp  # all hits
    assert [p.name for p in own_key_folder.iterdir()] == ["cache-key"]  # no temporary file left


@pytest.mark.parametrize("planted", ["folder", "link to a file of yours"])
def test_a_key_that_is_not_a_regular_file_is_left_alone_and_said_once(
    planted: str,
    acme: Path,
    own_key_folder: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    key = own_key_folder / "cache-key"
    yours = tmp_path / "yours"
    yours.write_bytes(b"k" * 32)  # the right length: still never used as the key, nor written
    if planted == "folder":
        key.mkdir()
    else:
        key.symlink_to(yours)
    fresh = _collect(acme, monkeypatch, use_cache=False)
    assert _collect(acme, monkeypatch) == fresh
    assert capsys.readouterr().err.count("okrctl: note: running without the cache:") == 1
    assert _packs(acme) == []
    assert yours.read_bytes() == b"k" * 32


def test_the_key_folder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """OKRCTL_CACHE_HOME, else the platform's user cache folder: ~/.cache/okrctl on Linux, or under XDG_CACHE_HOME."""
    import sys

    from okrctl.cache import key_folder

    assert key_folder() == Path(os.environ["OKRCTL_CACHE_HOME"])
    monkeypatch.delenv("OKRCTL_CACHE_HOME")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    if sys.platform.startswith("linux"):
        assert key_folder() == tmp_path / "xdg" / "okrctl"
        monkeypatch.delenv("XDG_CACHE_HOME")
        monkeypatch.setenv("HOME", str(tmp_path / "home"))
        assert key_folder() == tmp_path / "home" / ".cache" / "okrctl"


def test_temporary_files_of_killed_runs_are_tidied_away(
    acme: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run killed while writing leaves a temporary pack; a later run that writes removes it once it is old."""
    import time

    folder = acme / CACHE_DIR / "v3"
    folder.mkdir(parents=True)
    yours = tmp_path / "yours"
    yours.write_text("mine")
    old, fresh, link = (folder / f".pack.{n}.okrctl-tmp" for n in ("0000", "1111", "2222"))
    old.write_bytes(b"half a pack")
    fresh.write_bytes(b"a pack being written now")
    link.symlink_to(yours)
    hours_ago = time.time() - 7200
    os.utime(old, (hours_ago, hours_ago))
    os.utime(link, (hours_ago, hours_ago), follow_symlinks=False)
    _collect(acme, monkeypatch)
    assert sorted(p.name for p in folder.iterdir() if p.suffix not in (".pack", ".memo")) == [fresh.name, link.name]
    assert yours.read_text() == "mine"


# -- the run memo: a warm lint over unchanged inputs reuses the last run's result ----------------------------------


def _memos(root: Path) -> list[Path]:
    return sorted((root / CACHE_DIR).rglob("*.memo"))


def test_an_unchanged_run_is_remembered_and_any_change_runs_again(acme: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from okrctl import pipeline

    fresh = _collect(acme, monkeypatch, use_cache=False)
    assert _collect(acme, monkeypatch) == fresh  # fills the cache and the memo
    assert len(_memos(acme)) == 1
    finish_stage = pipeline.finish_stage

    def not_expected(*args: Any) -> Any:
        raise AssertionError("the per-file stage ran again")

    monkeypatch.setattr(pipeline, "finish_stage", not_expected)
    assert _collect(acme, monkeypatch) == fresh  # remembered: no per-file stage, no cross-file rules

    monkeypatch.setattr(pipeline, "finish_stage", finish_stage)
    target = acme / "goals" / "2026" / "sales.yaml"
    target.write_text(target.read_text() + "\n# an edit\n")
    assert _collect(acme, monkeypatch) == fresh  # ran again (the stage is back), same findings


def test_the_memo_is_kept_per_options(acme: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from datetime import date

    from okrctl.commands.lint import collect

    monkeypatch.chdir(acme)
    day = date(2026, 11, 23)
    named = [Path("goals/2026/sales.yaml")]
    expected = {
        (cross_file, bool(paths)): collect(paths, day, cross_file, use_cache=False).findings
        for cross_file in (True, False)
        for paths in ([], named)
    }
    for _ in range(2):
        for (cross_file, some), findings in expected.items():
            assert collect(named if some else [], day, cross_file).findings == findings
    assert len(_memos(acme)) == 4


@pytest.mark.parametrize(
    "damage",
    [
        lambda blob: b"not a memo",
        lambda blob: blob[:32] + blob[33:],  # one byte gone: the signature no longer matches
        lambda blob: b"\0" * 32 + b"cos\nsystem\n(S'touch pwned'\ntR.",  # forged
    ],
    ids=["garbage", "altered", "forged"],
)
def test_a_damaged_or_forged_memo_is_ignored(damage: Any, acme: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fresh = _collect(acme, monkeypatch, use_cache=False)
    _collect(acme, monkeypatch)
    (memo,) = _memos(acme)
    memo.write_bytes(damage(memo.read_bytes()))
    assert _collect(acme, monkeypatch) == fresh
    assert not (acme / "pwned").exists()
    assert _collect(acme, monkeypatch) == fresh  # written again by the run before


def test_a_link_under_the_memos_name_is_never_written_through(
    acme: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fresh = _collect(acme, monkeypatch, use_cache=False)
    _collect(acme, monkeypatch)
    (memo,) = _memos(acme)
    memo.unlink()
    victim = tmp_path / "victim"
    victim.write_bytes(b"yours")
    memo.symlink_to(victim)
    for _ in range(2):
        assert _collect(acme, monkeypatch) == fresh
    assert victim.read_bytes() == b"yours"
    assert memo.is_symlink()
