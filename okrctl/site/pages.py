"""The static site's pages, from a scored report: pure, from a `ReportResult` to (relative file name, HTML).

Every number comes from the report the engine computed (`okrctl.report.Report`: the objects `okrctl score`,
`status` and `kpis` print); this module only lays them out, with the goal files' own words beside them
(check-in notes, definitions, sources). Templates are Jinja2 with autoescaping on: titles and notes are the
user's text and print as text, never as markup.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache, partial
from importlib import resources
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from okrctl.health import KpiHealth, measurements_until
from okrctl.model import Checkin, KeyResult, Kpi, KpiFile, Measurement, Objective, OkrFile
from okrctl.reporters.formatting import (
    REVIEW_MARK,
    STATUS_WORDS,
    band_bounds,
    key_result_values,
    score_text,
    with_unit,
)
from okrctl.reporters.layout import NO_BREAK
from okrctl.scoring import HEALTHY_LANDING, KeyResultScore, ObjectiveScore, OwnerScore
from okrctl.site import charts

if TYPE_CHECKING:
    from jinja2 import Environment

    from okrctl.engine import ReportResult
    from okrctl.loader import GoalFile
    from okrctl.report import Report

OVERVIEW_LIMIT = 300  # above this many objectives (or KPIs), the overview shows one summary row per owner
_NAME_LIMIT = 80


def page_name(identifier: str) -> str:
    """A file name for an owner or KPI id: lowercase letters, digits and `-` kept, every other character
    written `_XX` (its code point in hex), so two ids never share a name, even on a case-insensitive disk,
    and no name is `.`, `..`, hidden, or holds a `/`. A long id is cut and told apart by a hash."""
    escaped = "".join(c if c in "abcdefghijklmnopqrstuvwxyz0123456789-" else f"_{ord(c):02x}" for c in identifier)
    if not escaped:
        return "_"
    if len(escaped) > _NAME_LIMIT:
        digest = hashlib.sha256(identifier.encode("utf-8", "surrogatepass")).hexdigest()[:12]
        escaped = f"{escaped[:_NAME_LIMIT]}_{digest}"
    return escaped


@dataclass(frozen=True)
class HistoryMark:
    """A target change of a key result that git history shows (an OKR401 finding): a marker on its chart."""

    ref: str  # the key result's ref, OWNER/OBJECTIVE/KR
    day: date  # the commit's
    label: str  # what moved, e.g. `target 2,000,000 → 1,600,000`
    message: str  # the finding's whole message


@dataclass
class SiteHistory:
    """What git history adds to the key results' charts (the target changes), and `note`: what the charts
    show, in words."""

    note: str
    marks: list[HistoryMark] = field(default_factory=list)


NO_HISTORY = "The charts show the check-ins dated in the current files (no git history was read)."


@dataclass(frozen=True)
class Links:
    """Where each owner's and KPI's page is, relative to the site's folder."""

    owners: dict[str, str]
    kpis: dict[str, str]
    tree: str | None = "tree.html"  # the alignment tree's page; None in a one-page export, which has none

    def owner(self, owner: str) -> str | None:
        return self.owners.get(owner)

    def kpi(self, ref: str) -> str | None:
        return self.kpis.get(ref)


# -- what the templates show --------------------------------------------------------------------------


@dataclass(frozen=True)
class KeyResultView:
    score: KeyResultScore
    values: str
    notes: list[Checkin]  # the check-ins with a note, newest first, up to the as-of date
    chart: str | None  # inline SVG
    kpi_ref: str | None  # the KPI whose measurements give its values
    marks: list[HistoryMark]  # its target changes in the period, oldest first


@dataclass(frozen=True)
class ObjectiveView:
    score: ObjectiveScore
    key_results: list[KeyResultView]
    guardrails: Sequence[tuple[str, str, bool, str | None]]  # (ref, status, stale, link)
    parent_link: str | None


@dataclass(frozen=True)
class KpiView:
    health: KpiHealth
    kpi: Kpi | None
    chart: str
    measurements: list[Measurement]  # newest first
    bands: str
    query: list[tuple[str, str]]


_GRADE_MARKS = {"green": "● green", "yellow": "▲ yellow", "red": "■ red"}
_BAND_MARKS = {"green": "● green", "amber": "▲ amber", "red": "■ red", "no_data": "○ no data", "unknown": "○ no band"}


def _badge(kind: str, text: str) -> Markup:
    """A grade, band or pace as a word with a shape, coloured by its class: never colour alone."""
    return Markup('<span class="mark {}">{}</span>').format(kind, text)


def _band_badge(status: str, stale: bool = False) -> Markup:
    badge = _badge(status, _BAND_MARKS.get(status) or status)
    return badge + Markup(' <span class="mark stale">◌ stale</span>') if stale else badge


def _template_filters() -> dict[str, Any]:
    return {
        "score": score_text,
        "num": charts.label_number,
        "status_words": lambda s: STATUS_WORDS.get(s, s),
        "review_words": lambda r: REVIEW_MARK.get(r, "").replace("⚑", "").strip(),
        "grade_badge": lambda grade: _badge(grade, _GRADE_MARKS.get(grade) or grade),
        "band_badge": _band_badge,
        "pace_badge": lambda status: _badge(status, STATUS_WORDS.get(status) or status),
        "percent": lambda v: f"{max(0.0, min(1.0, v)) * 100:.1f}" if v is not None and math.isfinite(v) else "0",
        "spaces": lambda text: text.replace(NO_BREAK, " "),
        "unit": lambda value, unit: with_unit(charts.label_number(value), unit),
        "page_name": page_name,
    }


@cache
def environment() -> Environment:
    from jinja2 import Environment, PackageLoader, StrictUndefined

    env = Environment(
        loader=PackageLoader("okrctl.site", "templates"),
        autoescape=True,  # every template: titles and notes are the user's text
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(_template_filters())
    return env


@cache
def stylesheet() -> str:
    return resources.files("okrctl.site").joinpath("style.css").read_text(encoding="utf-8")


class SiteBuilder:
    """Lays out one report as pages; `pages()` returns {relative path: HTML}."""

    def __init__(
        self,
        computed: ReportResult,
        base_url: str | None = None,
        history: SiteHistory | None = None,
        title: str = "OKRs",
        one_page: bool = False,
    ) -> None:
        from okrctl import __version__

        self.report: Report = computed.report
        self.base_url = base_url.rstrip("/") + "/" if base_url else None
        self.history = history or SiteHistory(NO_HISTORY)
        self.title = title
        self.version = __version__
        kept = set(computed.left_out)
        files = [f for f in computed.root.everything if f.path not in kept and f.model is not None]
        self._objectives = _objectives_by_key(files)
        self._kpis = _kpis_by_ref(files)
        report = self.report
        owners = {o.owner for o in report.objectives} | {k.owner for k in report.kpis}
        owners |= {k.ref.split("/")[0] for k in report.kpis}
        self._by_owner = _ByOwner(report)
        self.one_page = one_page  # one page, its stylesheet inline; else pages that share style.css
        if one_page:  # `report_page`: sections of one page, reached by their anchors
            sectioned = {o.owner for o in report.objectives}  # the page has a section for these owners only
            self.links = Links(
                owners={o: f"#owner-{page_name(o)}" for o in owners if o in sectioned},
                kpis={k.ref: f"#kpi-{page_name(k.ref)}" for k in report.kpis},
                tree=None,
            )
        else:
            self.links = Links(
                owners={o: f"owners/{page_name(o)}.html" for o in owners},
                kpis={k.ref: f"kpis/{page_name(k.ref)}.html" for k in report.kpis},
            )

    # -- the pages ------------------------------------------------------------------------------------

    def _makers(self) -> list[tuple[str, Callable[[], str]]]:
        makers: list[tuple[str, Callable[[], str]]] = [
            ("style.css", stylesheet),
            ("index.html", self.overview),
            ("tree.html", self.tree),
        ]
        makers += [(name, partial(self.owner, owner)) for owner, name in sorted(self.links.owners.items())]
        makers += [(self.links.kpis[health.ref], partial(self.kpi, health)) for health in self.report.kpis]
        return makers

    def names(self) -> list[str]:
        """The relative paths of the files `pages` makes, in its order: the pages and their stylesheet."""
        return [name for name, _ in self._makers()]

    def pages(self, share: tuple[int, int] = (0, 1)) -> Iterator[tuple[str, str]]:
        """Each page as (relative path, HTML), one at a time: a site of thousands of pages is never held whole.
        `share` (i, n): only every n-th page from the i-th, so that n processes can make the site together."""
        index, count = share
        for position, (name, make) in enumerate(self._makers()):
            if position % count == index:
                yield name, make()

    def _render(self, template: str, page: str, title: str, **values: Any) -> str:
        from markupsafe import Markup

        depth = page.count("/")
        return (
            environment()
            .get_template(template)
            .render(
                title=title,
                site_title=self.title,
                as_of=self.report.as_of.isoformat(),
                periods=[p.label for p in self.report.periods],
                root="../" * depth,
                canonical=f"{self.base_url}{page}" if self.base_url else None,
                css=Markup(stylesheet()) if self.one_page else None,  # the package's own file, not user text
                version=self.version,
                links=self.links,
                history_note=self.history.note,
                **values,
            )
        )

    def overview(self) -> str:
        return self._render("index.html.j2", "index.html", self.title, **self._overview_values())

    def report_page(self, command: str) -> str:
        """The whole report as one page (`score`/`status --export FILE.html`): the overview, then each owner's
        objectives, then each KPI; built with `one_page=True`, so links are the page's own anchors."""
        heading = {"score": "Scores", "status": "Status"}.get(command, command)
        owners: dict[str, list[ObjectiveView]] = {}
        for objective in sorted(self.report.objectives, key=lambda o: (o.owner, o.period.start, -o.period.days, o.ref)):
            owners.setdefault(objective.owner, []).append(self._objective_view(objective))
        return self._render(
            "report.html.j2",
            "",
            f"{heading} as of {self.report.as_of.isoformat()}",
            command=command,
            owners=list(owners.items()),
            kpi_views=[self.kpi_view(health) for health in self.report.kpis],
            **self._overview_values(),
        )

    def _overview_values(self) -> dict[str, Any]:
        report = self.report
        rows = []
        for owner, period, owner_score, objectives in report.by_owner_and_period():
            statuses = [o.status for o in objectives]
            rows.append(
                {
                    "owner": owner,
                    "period": period.label,
                    "score": owner_score,
                    "objectives": len(objectives),
                    "counts": {s: statuses.count(s) for s in STATUS_WORDS if s in statuses},
                    "confidence": _mean([o.confidence for o in objectives]),
                }
            )
        kpi_counts: dict[str, int] = {}
        for health in report.kpis:
            kpi_counts[health.status] = kpi_counts.get(health.status, 0) + 1
        objectives = sorted(report.objectives, key=lambda o: (o.period.start, -o.period.days, o.owner, o.ref))
        # the worst first: red, then amber, then stale; those beyond the limit are counted
        attention = sorted(
            (k for k in report.kpis if k.status in ("red", "amber") or k.stale),
            key=lambda k: (k.status != "red", k.status != "amber"),
        )
        return {
            "owner_rows": rows,
            "objectives": objectives if len(objectives) <= OVERVIEW_LIMIT else None,
            "objective_count": len(objectives),
            "kpis": report.kpis if len(report.kpis) <= OVERVIEW_LIMIT else None,
            "attention": attention[:OVERVIEW_LIMIT],
            "attention_more": max(0, len(attention) - OVERVIEW_LIMIT),
            "kpi_count": len(report.kpis),
            "kpi_counts": kpi_counts,
            "stale": sum(1 for k in report.kpis if k.stale),
        }

    def owner(self, owner: str) -> str:
        page = self.links.owners[owner]
        objectives = sorted(
            self._by_owner.objectives.get(owner, []), key=lambda o: (o.period.start, -o.period.days, o.ref)
        )
        scores = self._by_owner.scores.get(owner, [])
        kpis = self._by_owner.kpis.get(owner, [])
        return self._render(
            "owner.html.j2",
            page,
            owner,
            owner=owner,
            owner_scores=scores,
            objectives=[self._objective_view(o) for o in objectives],
            kpis=kpis,
        )

    def kpi(self, health: KpiHealth) -> str:
        page = self.links.kpis[health.ref]
        return self._render("kpi.html.j2", page, f"{health.title} ({health.ref})", view=self.kpi_view(health))

    def tree(self) -> str:
        return self._render("tree.html.j2", "tree.html", "Alignment tree", rows=tree_rows(self.report))

    # -- views --------------------------------------------------------------------------------------

    def kpi_view(self, health: KpiHealth) -> KpiView:
        kpi = self._kpis.get(health.ref)
        history = measurements_until(kpi, self.report.as_of) if kpi is not None else []
        bands = [charts.Band(name, low, high) for name, low, high in health.bands]
        chart = charts.kpi_chart(health.title, [(m["date"], m["value"]) for m in history], bands, health.unit)
        query: list[tuple[str, str]] = []
        if kpi is not None and kpi.query is not None:
            q = kpi.query
            query.append(("datasource", q.datasource))
            for name in ("expr", "sql", "column"):
                if (text := getattr(q, name)) is not None:
                    query.append((name, text))
            if q.command is not None:
                query.append(("command", " ".join(q.command)))
        return KpiView(health, kpi, chart, list(reversed(history)), band_bounds(health.bands), query)

    def _objective_view(self, score: ObjectiveScore) -> ObjectiveView:
        objective = self._objectives.get((score.path, score.ref.rsplit("/", 1)[-1]))
        models = {kr.id: kr for kr in objective.key_results} if objective is not None else {}
        views = []
        for kr in score.key_results:
            model = models.get(kr.ref.rsplit("/", 1)[-1])
            views.append(self._key_result_view(score, kr, model))
        guardrails = [(g.ref, g.status, g.stale, self.links.kpi(g.ref)) for g in score.guardrails]
        parent_link = self.links.owner(score.parent[0].split("/")[0]) if score.parent else None
        return ObjectiveView(score, views, guardrails, parent_link)

    def _key_result_view(self, objective: ObjectiveScore, kr: KeyResultScore, model: KeyResult | None) -> KeyResultView:
        day = min(self.report.as_of, objective.period.end)
        notes = sorted(
            (c for c in (model.checkins or []) if c["date"] <= day and c.get("note")) if model is not None else [],
            key=lambda c: c["date"],
            reverse=True,
        )
        return KeyResultView(
            score=kr,
            values=key_result_values(kr),
            notes=notes,
            chart=self._key_result_chart(objective, kr, model),
            kpi_ref=model.kpi if model is not None else None,
            marks=self._marks(objective, kr),
        )

    def _marks(self, objective: ObjectiveScore, kr: KeyResultScore) -> list[HistoryMark]:
        period = objective.period
        return sorted(
            (m for m in self.history.marks if m.ref == kr.ref and period.start <= m.day <= period.end),
            key=lambda m: m.day,
        )

    def _key_result_chart(self, objective: ObjectiveScore, kr: KeyResultScore, model: KeyResult | None) -> str | None:
        if not kr.kind.has_value or model is None:
            return None
        period = objective.period
        day = min(self.report.as_of, period.end)
        if model.kpi is not None:
            kpi = self._kpis.get(model.kpi)
            points = [(m["date"], m["value"]) for m in measurements_until(kpi, day)] if kpi else []
        else:
            points = [
                (d, v) for d, v in sorted({c["date"]: c["value"] for c in model.checkins or []}.items()) if d <= day
            ]
        pace = goal = None
        if kr.start is not None and kr.target is not None:
            landing = kr.start + (kr.target - kr.start) * HEALTHY_LANDING[objective.type]
            pace = charts.Line((period.start, kr.start), (period.end, landing), "expected pace")
            goal = kr.target
        else:
            goal = kr.at_least if kr.at_least is not None else kr.at_most
        markers = [charts.Marker(m.day, m.label) for m in self._marks(objective, kr)]
        return charts.progress_chart(
            kr.title, points, (period.start, period.end), pace=pace, goal=goal, markers=markers, unit=kr.unit
        )


class _ByOwner:
    """The report's objectives, owner scores and KPIs grouped by owner: one pass, not one per owner's page."""

    def __init__(self, report: Report) -> None:
        self.objectives: dict[str, list[ObjectiveScore]] = {}
        self.scores: dict[str, list[OwnerScore]] = {}
        self.kpis: dict[str, list[KpiHealth]] = {}
        for objective in report.objectives:
            self.objectives.setdefault(objective.owner, []).append(objective)
        for score in report.owners:
            self.scores.setdefault(score.owner, []).append(score)
        for health in report.kpis:  # on the page of the person accountable, and of the file's owner
            for owner in dict.fromkeys((health.owner, health.ref.split("/")[0])):
                self.kpis.setdefault(owner, []).append(health)


def _mean(values: Iterable[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return sum(v / len(known) for v in known) if known else None


def _objectives_by_key(files: Sequence[GoalFile]) -> dict[tuple[str, str], Objective]:
    found: dict[tuple[str, str], Objective] = {}
    for file in files:
        if isinstance(file.model, OkrFile):
            for objective in file.model.objectives:
                found.setdefault((file.path, objective.id), objective)
    return found


def _kpis_by_ref(files: Sequence[GoalFile]) -> dict[str, Kpi]:
    found: dict[str, Kpi] = {}
    for file in files:
        if isinstance(file.model, KpiFile):
            for kpi in file.model.kpis:
                found.setdefault(f"{file.model.owner}/{kpi.id}", kpi)
    return found


@dataclass(frozen=True)
class TreeRow:
    objective: ObjectiveScore
    depth: int


def tree_rows(report: Report) -> list[TreeRow]:
    """The objectives the tree shows, depth first, each with its depth (without recursion: alignment chains
    can be thousands deep), in the order `okrctl tree` prints them."""
    from okrctl.reporters.tree_view import _order

    by_key = {(o.ref, o.period): o for o in report.all_objectives}
    shown = {id(o) for o in report.tree_objectives}
    children: dict[int, list[ObjectiveScore]] = {}
    has_parent: set[int] = set()
    for objective in report.all_objectives:
        parent = by_key.get(objective.parent) if objective.parent else None
        if parent is not None:
            children.setdefault(id(parent), []).append(objective)
            has_parent.add(id(objective))
    roots = sorted((o for o in report.all_objectives if id(o) in shown and id(o) not in has_parent), key=_order)
    rows: list[TreeRow] = []
    stack = [(root, 0) for root in reversed(roots)]
    while stack:
        objective, depth = stack.pop()
        rows.append(TreeRow(objective, depth))
        kids = [c for c in sorted(children.get(id(objective), []), key=_order) if id(c) in shown]
        stack += [(kid, depth + 1) for kid in reversed(kids)]
    return rows
