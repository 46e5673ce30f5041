"""`okrctl site`: score the goals as `okrctl status` does and write them as a static site into a folder.

The folder is okrctl's: created by it, or made by an earlier `okrctl site` (a `.okrctl-site` file marks it and
lists the pages written). A folder that holds anything else is refused, so a typo in `-o` never writes pages
among a user's files; and a rebuild removes only the pages the previous build listed, never other files.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from okrctl.commands.common import at_revision
from okrctl.commands.report import compute, say_left_out
from okrctl.errors import UserError
from okrctl.reporters.safe_text import one_line
from okrctl.safe_files import file_type, read_regular, write_atomically

if TYPE_CHECKING:
    from okrctl.site.pages import SiteBuilder

MARKER = ".okrctl-site"
_MARKER_HEADER = "okrctl site: this folder is written by `okrctl site`; the pages it wrote:"
_MARKER_LIMIT = 64 * 1024 * 1024


@dataclass(frozen=True)
class SiteOptions:
    paths: list[Path]
    output: Path
    as_of: date | None  # None: today
    period: str | None = None
    base_url: str | None = None
    history: bool = True  # mark the target changes git history holds on the key results' charts
    jobs: int = 1
    use_cache: bool = True


def run(options: SiteOptions) -> int:
    base_url = check_base_url(options.base_url)
    previous = claim_folder(options.output)  # before the work: a wrong folder fails at once
    _, as_of = at_revision(None, options.as_of, options.paths)
    computed = compute(options.paths, as_of, options.period, jobs=options.jobs, use_cache=options.use_cache)
    say_left_out(computed)
    from okrctl.site.history import site_history
    from okrctl.site.pages import SiteBuilder

    history = site_history(computed, as_of, options.use_cache) if options.history else None
    builder = SiteBuilder(computed, base_url, history)
    pages = sum(1 for name in builder.names() if name.endswith(".html"))
    write_site(options.output, builder, previous, options.jobs)
    shown = one_line(str(options.output))
    print(f"okrctl: wrote {pages} pages to {shown} (open {shown}/index.html)", file=sys.stderr)
    return 1 if computed.left_out else 0


def check_base_url(url: str | None) -> str | None:
    """`--base-url` must be an http(s) address: the pages name it as their canonical address."""
    if url is None:
        return None
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(url)
    except ValueError:
        parts = None
    if parts is None or parts.scheme not in ("http", "https") or not parts.netloc or any(c.isspace() for c in url):
        raise UserError(f"--base-url: {one_line(url)!r} is not an http:// or https:// address")
    return url


def claim_folder(folder: Path) -> list[str]:
    """Make sure `folder` is one `okrctl site` may write: missing (`write_site` creates it), empty, or marked as
    ours. Returns the pages an earlier build listed in the marker (to remove those no longer written). A link,
    a file, or a folder holding anything without the marker is refused (UserError, exit 2).
    """
    shown = one_line(str(folder))
    try:
        found = file_type(folder)
        if found is None:
            return []
        if found == "link":
            raise UserError(
                f"cannot write the site into {shown}: it is a symbolic link (okrctl never writes through one)"
            )
        if found != "folder":
            raise UserError(f"cannot write the site into {shown}: it is not a folder")
        if not any(folder.iterdir()):
            return []
        if file_type(folder / MARKER) != "file":
            raise UserError(
                f"cannot write the site into {shown}: the folder is not empty and was not made by okrctl site "
                f"(no {MARKER} file in it); name a new or empty folder"
            )
    except OSError as error:
        raise UserError(f"cannot write the site into {shown}: {error.strerror or error}") from None
    data = read_regular(folder / MARKER, _MARKER_LIMIT) or b""
    lines = data.decode("utf-8", "replace").splitlines()
    return [line for line in lines[1:] if _own_page(line)]


def _own_page(name: str) -> bool:
    """A file name as `okrctl site` writes them: a relative path of plain parts, ending in .html (or .css)."""
    parts = name.split("/")
    return name.endswith((".html", ".css")) and all(p and not p.startswith(".") and "\\" not in p for p in parts)


def write_site(folder: Path, builder: SiteBuilder, previous: list[str], jobs: int = 1) -> None:
    """Write each page atomically as it is made (with `jobs` processes sharing the pages of a large site),
    then mark the folder with the list of pages, then remove the pages the previous build wrote and this one
    did not (regular files only; a link is left alone)."""
    shown = one_line(str(folder))
    names = builder.names()
    try:
        if file_type(folder) is None:
            folder.mkdir(parents=True)
        _write_marker(folder, sorted({*previous, *names}))  # a build cut short still owns what it wrote
        for parent in sorted({(folder / name).parent for name in names}):
            _make_folder(folder, parent)
        if jobs > 1 and len(names) >= PARALLEL_FROM and sys.platform == "linux":
            _write_in_parallel(folder, builder, jobs)
        else:
            _write_pages(folder, builder.pages())
        _write_marker(folder, sorted(names))
        kept = set(names)
        for name in previous:
            if name not in kept and file_type(folder / name) == "file":
                (folder / name).unlink()
    except OSError as error:
        where = one_line(error.filename) if isinstance(error.filename, str) else shown
        raise UserError(f"cannot write the site into {shown}: {where}: {error.strerror or error}") from None


PARALLEL_FROM = 200  # pages: below this, starting worker processes costs more than it saves

_SHARED: tuple[SiteBuilder, Path] | None = None  # what forked workers inherit: the builder and the folder


def _write_in_parallel(folder: Path, builder: SiteBuilder, jobs: int) -> None:
    """Each of `jobs` forked processes makes and writes every `jobs`-th page; an OSError in one is raised here."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    global _SHARED
    _SHARED = (builder, folder)
    try:
        context = multiprocessing.get_context("fork")  # the workers inherit the scored report: nothing to send
        with ProcessPoolExecutor(jobs, mp_context=context) as pool:
            for failure in pool.map(_write_share, [(index, jobs) for index in range(jobs)]):
                if failure is not None:
                    raise OSError(*failure)
    finally:
        _SHARED = None


def _write_share(share: tuple[int, int]) -> tuple[int, str, str] | None:
    assert _SHARED is not None
    builder, folder = _SHARED
    try:
        _write_pages(folder, builder.pages(share))
    except OSError as error:
        return error.errno or 0, error.strerror or str(error), str(error.filename or folder)
    return None


def _write_pages(folder: Path, pages: Iterable[tuple[str, str]]) -> None:
    for name, text in pages:
        write_atomically(folder / name, text.encode("utf-8"))


def _make_folder(root: Path, folder: Path) -> None:
    if folder == root:
        return
    found = file_type(folder)
    if found is None:
        folder.mkdir()
    elif found != "folder":
        raise OSError(20, "it is not a folder (okrctl never writes through a link)", str(folder))


def _write_marker(folder: Path, names: list[str]) -> None:
    write_atomically(folder / MARKER, "\n".join([_MARKER_HEADER, *names, ""]).encode("utf-8"))
