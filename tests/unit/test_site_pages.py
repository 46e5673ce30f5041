"""`okrctl site`: the pages, their numbers (the engine's), escaping, file names, and the output folder's safety."""

from __future__ import annotations

import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import EXAMPLES, okrctl

from okrctl.commands.site import MARKER
from okrctl.reporters.formatting import score_text
from okrctl.site.pages import page_name

AS_OF = "2026-11-20"


@pytest.fixture
def acme(tmp_path: Path) -> Path:
    tree = tmp_path / "acme"
    shutil.copytree(EXAMPLES / "acme", tree)
    return tree


def _build(tree: Path, out: Path, *extra: str) -> tuple[int, str]:
    result = okrctl("site", "-o", str(out), "--as-of", AS_OF, *extra, cwd=tree)
    return result.code, result.err


class _Cells(HTMLParser):
    """The text of each element carrying `data-objective` and the class `score` inside it, by ref and period."""

    def __init__(self) -> None:
        super().__init__()
        self.scores: dict[tuple[str, str], str] = {}
        self.grades: dict[tuple[str, str], str] = {}
        self._key: tuple[str, str] | None = None
        self._into: str | None = None
        self.title = ""
        self._in_title = False
        self.scripts = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        self.scripts += tag == "script"
        self._in_title = tag == "title"
        if "data-objective" in found and "data-period" in found:
            self._key = (found["data-objective"] or "", found["data-period"] or "")
        classes = (found.get("class") or "").split()
        if self._key is not None and "score" in classes and self._key not in self.scores:
            self._into = "score"
        if self._key is not None and "grade" in classes and self._key not in self.grades:
            self._into = "grade"

    def handle_endtag(self, tag: str) -> None:
        self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data
        if self._into == "score" and self._key is not None and data.strip():
            self.scores[self._key] = data.strip()
            self._into = None
        elif self._into == "grade" and self._key is not None and data.strip().split()[-1] in ("green", "yellow", "red"):
            self.grades[self._key] = data.strip().split()[-1]
            self._into = None


def _cells(page: Path) -> _Cells:
    parser = _Cells()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


def test_the_site_has_every_page_type_with_title_date_and_a_link_back(acme: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    code, err = _build(acme, out)
    assert code == 0, err
    pages = sorted(str(p.relative_to(out)) for p in out.rglob("*.html"))
    assert {
        "index.html",
        "tree.html",
        "owners/sales.html",
        "owners/dana.html",
        "kpis/sales_2fmonthly-revenue.html",
    } <= set(pages)
    assert err == f"okrctl: wrote {len(pages)} pages to {out} (open {out}/index.html)\n"
    for name in pages:
        text = (out / name).read_text(encoding="utf-8")
        assert re.search(r"<title>[^<]+ · as of 2026-11-20</title>", text), name
        assert '<time datetime="2026-11-20">2026-11-20</time>' in text
        back = "index.html" if "/" not in name else "../index.html"
        assert f'href="{back}"' in text
        assert "<script" not in text and 'name="viewport"' in text
        assert f'<link rel="stylesheet" href="{back.replace("index.html", "style.css")}">' in text
        addresses = set(re.findall(r"https?://[^\s\"'<>)]+", text))
        assert addresses <= {"http://www.w3.org/2000/svg"}, (name, addresses)  # the SVG namespace: no fetch
    style = (out / "style.css").read_text(encoding="utf-8")
    assert "@media print" in style and "@media (max-width" in style and "http" not in style
    kpi = (out / "kpis/sales_2fmonthly-revenue.html").read_text(encoding="utf-8")
    assert "Sum of new and expansion MRR booked in the month, in USD" in kpi  # the definition
    assert "CRM closed-won report (Salesforce)" in kpi  # the source
    assert 'class="band band-green"' in kpi and 'class="band band-amber"' in kpi
    owner = (out / "owners/sales.html").read_text(encoding="utf-8")
    assert 'class="pace"' in owner and "Guardrails:" in owner and "Check-in notes" in owner
    assert "so target changes are not marked" in owner  # not in a repository


def test_the_numbers_are_those_of_okrctl_score(acme: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    assert _build(acme, out)[0] == 0
    scored = json.loads(okrctl("score", "--as-of", AS_OF, "--format", "json", cwd=acme).out)
    overview = _cells(out / "index.html")
    assert scored["objectives"]
    for objective in scored["objectives"]:
        key = (objective["ref"], objective["period"])
        assert overview.scores[key] == score_text(objective["score"]), key
        assert overview.grades[key] == objective["grade"], key
        owner_page = _cells(out / "owners" / f"{page_name(objective['owner'])}.html")
        assert owner_page.scores[key] == score_text(objective["score"]), key


def test_a_hostile_title_is_text_not_markup(acme: Path, tmp_path: Path) -> None:
    sales = acme / "goals/2026/sales.yaml"
    hostile = '<script>alert("x")</script><b>bold</b> ' + "W" * 300
    text = sales.read_text(encoding="utf-8").replace(
        "title: Drive new customer acquisition", f"title: {json.dumps(hostile)}"
    )
    assert hostile.replace('"', '\\"') in text
    sales.write_text(text, encoding="utf-8")
    out = tmp_path / "site"
    assert _build(acme, out)[0] == 0
    for page in (out / "index.html", out / "owners/sales.html", out / "tree.html"):
        html = page.read_text(encoding="utf-8")
        assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;&lt;b&gt;bold&lt;/b&gt;" in html, page
        assert "<script" not in html and "<b>" not in html
        assert "W" * 300 in html
    assert "overflow-wrap: anywhere" in (out / "style.css").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "ids",
    [
        ["sales", "Sales", "SALES"],
        ["..", ".", "", "/", "a/b", "a_2fb", "a\\b", "con", "x" * 500, "x" * 501, "é", "sales/churn"],
    ],
)
def test_page_names_are_safe_and_unique(ids: list[str]) -> None:
    names = [page_name(i) for i in ids]
    assert len({n.casefold() for n in names}) == len(ids)  # unique, even on a case-insensitive disk
    for name in names:
        assert re.fullmatch(r"[a-z0-9_-]{1,100}", name), name  # no separator, no dot: no traversal, no hidden file


def test_a_folder_with_other_files_is_refused_and_left_alone(acme: Path, tmp_path: Path) -> None:
    out = tmp_path / "mine"
    out.mkdir()
    (out / "thesis.txt").write_text("do not touch")
    code, err = _build(acme, out)
    assert code == 2
    assert err == (
        f"okrctl: error: cannot write the site into {out}: the folder is not empty and was not made by okrctl "
        f"site (no {MARKER} file in it); name a new or empty folder\n"
    )
    assert [p.name for p in out.iterdir()] == ["thesis.txt"]
    assert (out / "thesis.txt").read_text() == "do not touch"


def test_a_file_or_a_link_as_the_folder_is_refused(acme: Path, tmp_path: Path) -> None:
    (tmp_path / "file").write_text("mine")
    assert _build(acme, tmp_path / "file")[0] == 2
    assert (tmp_path / "file").read_text() == "mine"
    (tmp_path / "target").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "target")
    code, err = _build(acme, tmp_path / "link")
    assert code == 2 and "symbolic link" in err
    assert list((tmp_path / "target").iterdir()) == []


def test_a_rebuild_replaces_its_own_pages_and_keeps_the_users(acme: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    assert _build(acme, out)[0] == 0
    assert (out / MARKER).is_file()
    (out / "CNAME").write_text("okrs.example.com")  # a file the user added for GitHub Pages
    (acme / "kpis/finance.yaml").unlink()
    finance = acme / "goals/2026/finance.yaml"
    finance.unlink()
    code, err = _build(acme, out)
    assert code in (0, 1), err  # other files may need the finance KPIs: they are left out, said on stderr
    assert not (out / "kpis/finance_2ffree-cash-flow.html").exists()  # the old page of a KPI gone
    assert (out / "CNAME").read_text() == "okrs.example.com"
    assert (out / "index.html").is_file()


def test_base_url_is_checked_and_named_canonical(acme: Path, tmp_path: Path) -> None:
    code, err = _build(acme, tmp_path / "bad", "--base-url", "javascript:alert(1)")
    assert code == 2
    assert err == "okrctl: error: --base-url: 'javascript:alert(1)' is not an http:// or https:// address\n"
    assert not (tmp_path / "bad").exists()
    out = tmp_path / "site"
    assert _build(acme, out, "--base-url", "https://acme.example.com/okrs")[0] == 0
    assert '<link rel="canonical" href="https://acme.example.com/okrs/owners/sales.html">' in (
        out / "owners/sales.html"
    ).read_text(encoding="utf-8")


def test_the_output_option_is_required(acme: Path) -> None:
    result = okrctl("site", "--as-of", AS_OF, cwd=acme)
    assert result.code == 2 and "--output" in result.err


@pytest.mark.parametrize("command", ["score", "status"])
def test_an_html_export_is_a_page_of_the_site_not_a_terminal_dump(command: str, acme: Path, tmp_path: Path) -> None:
    target = tmp_path / "report.html"
    result = okrctl(command, "--as-of", AS_OF, "--export", str(target), "--format", "json", cwd=acme)
    assert result.code == 0, result.err
    page = target.read_text(encoding="utf-8")
    assert "<pre" not in page and "<script" not in page
    assert f"<title>okrctl {command} as of {AS_OF}</title>" in page
    scored = json.loads(result.out)
    cells = _cells(target)
    for objective in scored["objectives"]:
        assert cells.scores[(objective["ref"], objective["period"])] == score_text(objective["score"])
        assert f'<section class="objective" data-objective="{objective["ref"]}"' in page  # the owner pages' part
    assert page.count('<svg class="chart"') > len(scored["kpis"])  # the key results' and the KPIs' charts
    assert 'href="#owner-sales"' in page and 'id="owner-sales"' in page  # links are the page's own anchors
    assert 'href="#kpi-sales_2fmonthly-revenue"' in page and 'id="kpi-sales_2fmonthly-revenue"' in page
    assert set(re.findall(r"https?://[^\s\"'<>)]+", page)) <= {"http://www.w3.org/2000/svg"}
    # every link of the one page lands on it: its own anchors, never a site page it does not come with
    hrefs = [h for h in re.findall(r'href="([^"]*)"', page) if h != "data:,"]  # data:, the empty icon
    anchors = set(re.findall(r'id="([^"]*)"', page))
    assert hrefs and all(href.startswith("#") for href in hrefs), [h for h in hrefs if not h.startswith("#")]
    assert {href[1:] for href in hrefs} <= anchors | {"top"}, {href for href in hrefs if href[1:] not in anchors}


def test_an_svg_export_names_no_address_but_its_namespace(acme: Path, tmp_path: Path) -> None:
    target = tmp_path / "status.svg"
    assert okrctl("status", "--as-of", AS_OF, "--export", str(target), cwd=acme).code == 0
    picture = target.read_text(encoding="utf-8")
    assert re.findall(r"https?://[^\s\"'<>)]+", picture) == ["http://www.w3.org/2000/svg"]
    assert "@font-face" not in picture  # no web font: the reader's monospace font


def test_a_usage_error_leaves_no_folder_behind(acme: Path, tmp_path: Path) -> None:
    code, err = _build(acme, tmp_path / "site", "--period", "2026-Q9")
    assert code == 2 and err.startswith("okrctl: error: --period: '2026-Q9' is not a period")
    assert not (tmp_path / "site").exists()


def test_a_kpi_shows_on_its_files_owner_page_and_its_accountable_persons(acme: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    assert _build(acme, out)[0] == 0
    for owner in ("sales", "dana"):  # sales/monthly-revenue: in the sales file, owner: dana
        page = (out / f"owners/{owner}.html").read_text(encoding="utf-8")
        assert 'data-kpi="sales/monthly-revenue"' in page, owner
        assert 'href="../kpis/sales_2fmonthly-revenue.html"' in page, owner


def test_worker_processes_write_the_same_site(acme: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import okrctl.commands.site

    monkeypatch.setattr(okrctl.commands.site, "PARALLEL_FROM", 1)  # acme's 27 pages: share them out too
    alone, shared = tmp_path / "alone", tmp_path / "shared"
    assert _build(acme, alone, "--jobs", "1")[0] == 0
    assert _build(acme, shared, "--jobs", "2")[0] == 0
    files = sorted(str(p.relative_to(alone)) for p in alone.rglob("*") if p.is_file())
    assert files == sorted(str(p.relative_to(shared)) for p in shared.rglob("*") if p.is_file())
    assert len(files) > 20
    for name in files:
        assert (alone / name).read_bytes() == (shared / name).read_bytes(), name


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_page_that_cannot_be_written_is_a_clean_error(
    jobs: str, acme: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import okrctl.commands.site

    monkeypatch.setattr(okrctl.commands.site, "PARALLEL_FROM", 1)  # with 2 jobs, a worker meets it
    out = tmp_path / "site"
    assert _build(acme, out)[0] == 0
    (out / "owners/sales.html").unlink()
    (out / "owners/sales.html").mkdir()  # something in the way that is not a file
    code, err = _build(acme, out, "--jobs", jobs)
    assert code == 2
    assert err.startswith(f"okrctl: error: cannot write the site into {out}: ")
    assert "owners/sales.html" in err and "not a regular file" in err


def test_a_large_overview_lists_the_worst_kpis_first_and_counts_the_rest(
    acme: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Above the limit the overview keeps to the KPIs in amber, red or stale: red first, and what did not fit
    is counted, never dropped silently."""
    from okrctl.site import pages

    monkeypatch.setattr(pages, "OVERVIEW_LIMIT", 3)  # 12 KPIs: 1 red, 4 amber
    code, err = _build(acme, tmp_path / "site", "--jobs", "1")
    assert code == 0, err
    index = (tmp_path / "site" / "index.html").read_text()
    listed = re.findall(r'<tr data-kpi="([^"]+)"', index)
    assert len(listed) == 3 and listed[0] == "support/churn"  # the red one first
    assert "… and 2 more amber, red or stale KPIs: see the owners' pages." in index
