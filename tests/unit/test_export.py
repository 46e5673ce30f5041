"""`score`/`status --export`: a path the user names, written whole or not at all, never through a link."""

from __future__ import annotations

import os
import re
from datetime import date
from pathlib import Path

import pytest
from conftest import EXAMPLES, ROOT, okrctl

from okrctl.commands.report import ReportCommandOptions, run
from okrctl.errors import UserError
from okrctl.reporters import ReportOptions


def _export(target: Path, command: str = "score") -> int:
    options = ReportCommandOptions(
        command, [EXAMPLES / "acme"], "json", date(2026, 11, 23), ReportOptions(), export=target
    )
    return run(options)


def test_a_missing_folder_is_a_user_error_before_any_output(tmp_path: Path) -> None:
    target = tmp_path / "no-such-folder" / "report.html"
    for command in ("score", "status"):
        result = okrctl(command, "examples/acme", "--as-of", "2026-11-23", "--export", str(target), cwd=ROOT)
        assert (result.code, result.out) == (2, "")
        assert result.err == f"okrctl: error: cannot write {target}: No such file or directory\n"
    assert not target.parent.exists()


def test_a_file_where_the_folder_should_be(tmp_path: Path) -> None:
    (tmp_path / "notes").write_text("mine")
    with pytest.raises(UserError, match=r"cannot write .*notes/report\.svg: Not a directory"):
        _export(tmp_path / "notes" / "report.svg")


def test_an_unwritable_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    if os.geteuid() == 0:
        pytest.skip("root writes anywhere")
    folder = tmp_path / "locked"
    folder.mkdir(mode=0o555)
    with pytest.raises(UserError, match=r"cannot write .*report\.html: Permission denied"):
        _export(folder / "report.html")
    assert capsys.readouterr().out == ""  # no report printed before the error


@pytest.mark.parametrize("target", ["dangling", "a file of yours"])
def test_never_through_a_symbolic_link(target: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A repository can commit `report.html` as a link: to a file of yours, or to one that does not exist yet."""
    victim = tmp_path / "elsewhere" / "victim.html"
    victim.parent.mkdir()
    if target != "dangling":
        victim.write_text("yours")
    link = tmp_path / "report.html"
    link.symlink_to(victim)
    with pytest.raises(UserError, match=r"cannot write .*report\.html: it is a symbolic link"):
        _export(link)
    assert capsys.readouterr().out == ""
    assert link.is_symlink()
    if target == "dangling":
        assert not os.path.lexists(victim)
    else:
        assert victim.read_text() == "yours"


def test_an_export_replaces_the_old_one_whole(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "status.svg"
    target.write_text("an older export")
    assert _export(target, "status") == 0
    assert "<svg" in target.read_text(encoding="utf-8")
    assert capsys.readouterr().err.endswith(f"okrctl: wrote {target}\n")
    assert [p.name for p in tmp_path.iterdir()] == ["status.svg"]  # no temporary file left


def test_a_full_disk_keeps_the_old_export(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import errno

    from okrctl.commands import report

    def full(renderables: object, path: Path, *rest: object) -> None:
        path.write_text("<svg half")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(report, "export", full)
    target = tmp_path / "status.svg"
    target.write_text("an older export")
    with pytest.raises(UserError, match=r"cannot write .*status\.svg: No space left on device"):
        _export(target, "status")
    assert capsys.readouterr().out == ""
    assert target.read_text() == "an older export"
    assert [p.name for p in tmp_path.iterdir()] == ["status.svg"]


@pytest.mark.parametrize("command", ["score", "status", "kpis", "tree"])
@pytest.mark.parametrize("suffix", [".html", ".svg"])
def test_an_export_names_its_date_and_renders_offline(
    command: str, suffix: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Audit C7 and F6: every report exports; the page has a title with the as-of date, the report states its
    date, and nothing is fetched."""
    target = tmp_path / f"report{suffix}"
    assert _export(target, command) == 0
    page = target.read_text(encoding="utf-8")
    heading = {"score": "Scores", "status": "Status", "kpis": "KPI health", "tree": "Alignment"}[command]
    heading += " as of 2026-11-23"
    assert heading in page.replace("&#160;", " ")
    if suffix == ".html":
        assert f"<title>okrctl {command} as of 2026-11-23</title>" in page
    else:
        assert f"okrctl {command} as of 2026-11-23" in page.replace("&#160;", " ")
    addresses = set(re.findall(r"(?:https?:)?//[\w.-]+\.\w+[^\s\"')]*", page))
    loaded = {a for a in addresses if a != "http://www.w3.org/2000/svg" and "textualize.io" not in a}
    assert loaded == set(), loaded  # the SVG namespace and Rich's credit comment are no fetches
    assert "@font-face" not in page and not re.search(r"url\((?!#)", page)  # only the SVG's own clip paths
