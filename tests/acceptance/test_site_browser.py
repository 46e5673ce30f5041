"""`okrctl site` in a real browser: Playwright driving Debian's chromium (a browser build Playwright downloads
itself cannot be fetched here), over the built site served from a loopback HTTP server.

Every page loads without console errors and without a request outside the site; the numbers shown are
`okrctl score --format json`'s; a hostile title is text, not markup, and wraps at phone width; axe-core finds
no serious or critical accessibility violation on the overview. Screenshots at desktop and phone widths are
saved under $OKRCTL_TEST_ARTEFACTS (default: the test's temporary folder).
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import struct
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from conftest import EXAMPLES, run_okrctl

from okrctl.reporters.formatting import score_text
from okrctl.site.pages import page_name

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AS_OF = "2026-11-20"
HOSTILE = '<script>window.pwned = 1</script><img src="x" onerror="window.pwned = 2"> ' + "Ü" * 300
DESKTOP, PHONE = 1280, 375

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="needs Debian's chromium package (apt-get install chromium) at /usr/bin/chromium"
)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The acme example, one objective retitled with hostile text, and the site built from it."""
    work = tmp_path_factory.mktemp("site-browser")
    tree = work / "acme"
    shutil.copytree(EXAMPLES / "acme", tree)
    sales = tree / "goals/2026/sales.yaml"
    text = sales.read_text(encoding="utf-8")
    sales.write_text(text.replace("title: Drive new customer acquisition", f"title: {json.dumps(HOSTILE)}"), "utf-8")
    result = run_okrctl("site", "-o", str(work / "site"), "--as-of", AS_OF, cwd=tree)
    assert result.code == 0, result.err
    return tree, work / "site"


@pytest.fixture(scope="module")
def server(built: tuple[Path, Path]) -> Iterator[str]:
    """The site served over HTTP on a loopback port, from a thread."""

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(built[1])))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def artefacts(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("OKRCTL_TEST_ARTEFACTS") or tmp_path) / "site-screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


class Visit:
    """A page with everything it asked for and complained about recorded; requests off the site are refused."""

    def __init__(self, browser: Any, base: str, width: int = DESKTOP) -> None:
        self.page = browser.new_page(viewport={"width": width, "height": 900})
        self.errors: list[str] = []
        self.outside: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

        def dialog(d: Any) -> None:  # an alert() a title smuggled in: record it, close it
            self.dialogs.append(d.message)
            d.dismiss()

        self.page.on("dialog", dialog)

        def route(route: Any) -> None:
            url = route.request.url
            if url.startswith(base) or url.startswith("data:"):
                route.continue_()
            else:
                self.outside.append(url)
                route.abort()

        self.page.route("**/*", route)

    def open(self, url: str) -> Any:
        response = self.page.goto(url, wait_until="load")
        assert response is not None and response.status == 200, url
        return self.page

    def close(self) -> None:
        self.page.close()


def test_every_page_loads_cleanly_with_nothing_from_outside(
    built: tuple[Path, Path], server: str, browser: Any
) -> None:
    site = built[1]
    names = sorted(str(p.relative_to(site)) for p in site.rglob("*.html"))
    assert len(names) > 20
    visit = Visit(browser, server)
    try:
        for name in names:
            page = visit.open(server + name)
            assert AS_OF in page.title(), name
            assert page.locator("a", has_text="Overview").first.is_visible(), name
        assert visit.errors == [] and visit.outside == [] and visit.dialogs == []
        assert visit.page.evaluate("window.pwned") is None  # no script of a title ran
    finally:
        visit.close()


def test_the_numbers_are_those_of_okrctl_score(built: tuple[Path, Path], server: str, browser: Any) -> None:
    tree, _ = built
    result = run_okrctl("score", "--as-of", AS_OF, "--format", "json", cwd=tree)
    scored = json.loads(result.out)
    assert scored["objectives"] and scored["owners"]
    visit = Visit(browser, server)
    try:
        page = visit.open(server + "index.html")
        for objective in scored["objectives"]:
            row = page.locator(f'tr[data-objective="{objective["ref"]}"][data-period="{objective["period"]}"]')
            assert row.locator(".score").inner_text() == score_text(objective["score"])
            assert row.locator(".grade").inner_text().split()[-1] == objective["grade"]
            assert row.locator(".expected").inner_text() == score_text(objective["expected"])
        for owner in scored["owners"]:
            row = page.locator(f'tr[data-owner="{owner["owner"]}"][data-period="{owner["period"]}"]')
            assert row.locator(".score").inner_text() == score_text(owner["score"])
        for objective in scored["objectives"]:
            page = visit.open(f"{server}owners/{page_name(objective['owner'])}.html")
            section = page.locator(f'section[data-objective="{objective["ref"]}"][data-period="{objective["period"]}"]')
            assert section.locator(".score").first.inner_text() == score_text(objective["score"])
            for kr in objective["key_results"]:
                shown = section.locator(f'[data-key-result="{kr["ref"]}"] .score').inner_text()
                assert shown == score_text(kr["score"]), kr["ref"]
    finally:
        visit.close()


def test_a_hostile_title_is_text_and_wraps_on_a_phone(built: tuple[Path, Path], server: str, browser: Any) -> None:
    visit = Visit(browser, server, width=PHONE)
    try:
        for name in ("index.html", "owners/sales.html", "tree.html"):
            page = visit.open(server + name)
            title = page.get_by_text("<script>window.pwned = 1</script>", exact=False).first
            assert title.is_visible(), name
            box = title.bounding_box()
            assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE, (name, box)
            assert page.evaluate("document.documentElement.scrollWidth") <= PHONE, name  # no sideways scrolling
            assert page.evaluate("window.pwned") is None and page.locator("img").count() == 0
        assert visit.dialogs == [] and visit.errors == [] and visit.outside == []
    finally:
        visit.close()


def test_tables_stay_readable_on_a_phone_and_print_their_colours(server: str, browser: Any) -> None:
    """At 375 px no text column is squeezed to a few letters a line (a table wider than the screen scrolls in
    its frame); printed, the bars and marks keep their colours and check-in notes are shown."""
    visit = Visit(browser, server, width=PHONE)
    try:
        for name in ("index.html", "owners/sales.html"):
            page = visit.open(server + name)
            widths = page.eval_on_selector_all("td.text", "cells => cells.map(c => c.getBoundingClientRect().width)")
            assert widths and min(widths) >= 140, (name, min(widths))
            assert page.evaluate("document.documentElement.scrollWidth") <= PHONE, name
        page = visit.open(server + "owners/sales.html")
        page.emulate_media(media="print")
        adjust = page.eval_on_selector(".bar .fill", "e => getComputedStyle(e).printColorAdjust")
        assert adjust == "exact"
        notes = page.locator("details").first
        assert notes.count() == 1 and notes.locator(":scope > :not(summary)").first.is_visible()
    finally:
        visit.close()


def test_screenshots_at_desktop_and_phone_widths(server: str, browser: Any, artefacts: Path) -> None:
    for width in (DESKTOP, PHONE):
        visit = Visit(browser, server, width=width)
        try:
            for name in ("index.html", "owners/sales.html", "kpis/sales_2fmonthly-revenue.html", "tree.html"):
                visit.open(server + name)
                shot = artefacts / f"{name.replace('/', '-').removesuffix('.html')}-{width}.png"
                visit.page.screenshot(path=str(shot), full_page=True)
                header = shot.read_bytes()[:24]
                assert header[:8] == b"\x89PNG\r\n\x1a\n" and struct.unpack(">I", header[16:20])[0] == width, shot
        finally:
            visit.close()


def test_no_serious_accessibility_violation_on_the_overview_and_the_other_page_kinds(server: str, browser: Any) -> None:
    from axe_playwright_python.sync_playwright import Axe  # type: ignore[import-untyped]  # no py.typed

    visits = [(DESKTOP, "index.html"), (PHONE, "index.html")]
    visits += [(DESKTOP, name) for name in ("owners/sales.html", "kpis/sales_2fmonthly-revenue.html", "tree.html")]
    for width, name in visits:
        visit = Visit(browser, server, width=width)
        try:
            results = Axe().run(visit.open(server + name))
            assert results.response["testEngine"]["name"] == "axe-core"  # it ran
            violations = results.response["violations"]
            grave = [
                (v["id"], v["impact"], len(v["nodes"])) for v in violations if v["impact"] in ("serious", "critical")
            ]
            assert grave == [], (name, width, grave)
            assert visit.outside == []  # axe's script is injected from the package, not fetched
        finally:
            visit.close()
