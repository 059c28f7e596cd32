"""Report designs rendered to PDF with WeasyPrint.

A design is a folder under `reports/` (Jinja HTML, print CSS, `metadata.yaml`);
fonts live in `reports/fonts/`. WeasyPrint loads files through `ReportsFetcher`,
which serves files under `reports/` and refuses everything else (other paths,
http(s), data: ...).

What is expensive and the same for every render is made once per process and
reused: the font configuration, the parsed stylesheets of each design (their
@font-face rules loaded into that font configuration), the Jinja environment with
its compiled templates. A render is then: charts from the context (once), the HTML
from the template, and WeasyPrint's own work on that HTML.
"""

from __future__ import annotations

import mimetypes
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from urllib.request import url2pathname

import yaml
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup
from weasyprint import CSS, HTML, Attachment
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse, path2url

from audit_app.reporting import charts
from audit_app.reporting.benchmark_chart import benchmark_chart
from audit_app.reporting.result_charts import dimension_radar
from audit_app.wording import Translator, translator


class FetchRefused(ValueError):
    """WeasyPrint asked for something outside reports/."""


class ReportsFetcher(URLFetcher):
    """Serves files under `root` (file: URLs only); refuses every other URL."""

    def __init__(self, root: Path) -> None:
        super().__init__(allowed_protocols={"file"}, timeout=1)
        self.root = root.resolve()
        self.refused: list[str] = []

    def resolve(self, url: str) -> Path:
        parts = urlsplit(url)
        if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
            raise FetchRefused(f"only files under reports/ may be loaded, not {url}")
        path = Path(url2pathname(parts.path)).resolve()
        if not path.is_relative_to(self.root) or not path.is_file():
            raise FetchRefused(f"not a file under reports/: {url}")
        return path

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        try:
            path = self.resolve(url)
        except FetchRefused:
            self.refused.append(url)
            raise
        mime, _ = mimetypes.guess_type(path.name)
        return URLFetcherResponse(
            url, path.read_bytes(), {"Content-Type": mime or "application/octet-stream"}
        )


@dataclass(frozen=True)
class Design:
    id: str
    name: dict[str, str]
    description: dict[str, str]
    template: str  # relative to reports/
    stylesheets: tuple[Path, ...]
    needs_comparison: bool = False
    max_pages: int | None = None


@dataclass
class Rendered:
    pdf: bytes
    html: str
    pages: int
    timings: dict[str, float] = field(default_factory=dict)


def load_designs(root: Path) -> dict[str, Design]:
    designs: dict[str, Design] = {}
    for meta in sorted(root.glob("*/metadata.yaml")):
        data = yaml.safe_load(meta.read_text(encoding="utf-8")) or {}
        folder = meta.parent
        design_id = str(data.get("id") or folder.name)
        designs[design_id] = Design(
            id=design_id,
            name=dict(data.get("name") or {"pl": design_id, "en": design_id}),
            description=dict(data.get("description") or {"pl": "", "en": ""}),
            template=f"{folder.name}/{data.get('template', 'report.html')}",
            stylesheets=tuple(
                (folder / s).resolve() for s in data.get("stylesheets", ["print.css"])
            ),
            needs_comparison=bool(data.get("needs_comparison", False)),
            max_pages=data.get("max_pages"),
        )
    return designs


class ReportRenderer:
    """One per process and reports folder (see `renderer`)."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self.designs = load_designs(self.root)
        self.font_config = FontConfiguration()
        self.env = Environment(
            loader=FileSystemLoader(str(self.root)),
            autoescape=select_autoescape(["html"]),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            auto_reload=False,
        )
        self._css: dict[str, list[CSS]] = {}
        self._lock = threading.Lock()

    def fetcher(self) -> ReportsFetcher:
        return ReportsFetcher(self.root)

    def design(self, design_id: str) -> Design:
        try:
            return self.designs[design_id]
        except KeyError:
            raise KeyError(f"unknown report design {design_id!r}") from None

    def stylesheets(self, design: Design) -> list[CSS]:
        """The design's stylesheets, parsed once; their @font-face fonts go into the
        shared font configuration (it must be passed to CSS(), WeasyPrint#1518)."""
        cached = self._css.get(design.id)
        if cached is None:
            fetcher = self.fetcher()
            cached = [
                CSS(
                    string=path.read_text(encoding="utf-8"),
                    base_url=path2url(str(path)),
                    url_fetcher=fetcher,
                    font_config=self.font_config,
                )
                for path in design.stylesheets
            ]
            self._css[design.id] = cached
        return cached

    # -- HTML ---------------------------------------------------------------------------

    def render_html(self, design_id: str, context: dict[str, Any]) -> str:
        design = self.design(design_id)
        t = translator(str(context["lang"]))
        template = self.env.get_template(design.template)
        html = template.render(
            **context,
            charts=report_charts(context, t),
            _=t.gettext,
            gettext=t.gettext,
            ngettext=t.ngettext,
            design_name=design.name.get(t.lang, design.id),
        )
        return keep_single_letters(html) if t.lang == "pl" else html

    # -- PDF ----------------------------------------------------------------------------

    def html_to_pdf(
        self,
        design_id: str,
        html: str,
        fetcher: ReportsFetcher | None = None,
        *,
        tagged: bool = True,
        archival: Attachment | None = None,
    ) -> tuple[bytes, int]:
        """WeasyPrint alone on finished HTML: (PDF bytes, number of pages).

        Tagged (PDF/UA-1: structure, language, title, headings, table header cells,
        charts' alternative texts) unless `tagged` is false (benchmarks measure the
        cost); with `archival`, a tagged PDF/A-3b carrying that attachment."""
        design = self.design(design_id)
        stylesheets = self.stylesheets(design)
        folder = self.root / design.template.split("/", 1)[0]
        options: dict[str, Any] = {"pdf_variant": "pdf/ua-1"} if tagged else {}
        if archival is not None:
            options = {"pdf_variant": "pdf/a-3b", "pdf_tags": True, "attachments": [archival]}
        with self._lock:  # WeasyPrint and the shared font configuration are not thread-safe
            document = HTML(
                string=html,
                base_url=path2url(str(folder)) + "/",
                url_fetcher=fetcher or self.fetcher(),
            ).render(stylesheets=stylesheets, font_config=self.font_config)
            pdf = document.write_pdf(**options)
        return bytes(pdf), len(document.pages)

    def render(
        self, design_id: str, context: dict[str, Any], *, attachment: str | None = None
    ) -> Rendered:
        """The report as PDF; `attachment` (JSON text) makes it an archival PDF/A-3b
        that carries the audit's result as `result.json`."""
        started = time.perf_counter()
        html = self.render_html(design_id, context)
        middle = time.perf_counter()
        archival = None
        if attachment is not None:
            archival = Attachment(
                string=attachment,
                name=RESULT_ATTACHMENT,
                description="The audit's result (the API's results JSON)",
                relationship="Data",
            )
        pdf, pages = self.html_to_pdf(design_id, html, archival=archival)
        done = time.perf_counter()
        return Rendered(pdf, html, pages, {"html": middle - started, "pdf": done - middle})


RESULT_ATTACHMENT = "result.json"
_TITLE_AND_DESC = re.compile(r"(<title[^>]*>)(.*?)(</title>)(\s*<desc[^>]*>)(.*?)(</desc>)", re.S)


def with_values(svg: str) -> str:
    """The chart with its title replaced by its description (the title and every value)."""
    return _TITLE_AND_DESC.sub(lambda m: f"{m[1]}{m[5]}{m[3]}{m[4]}{m[5]}{m[6]}", svg, count=1)


# Polish typography: a, i, o, u, w, z (and their capitals) never end a line. The space
# after such a word becomes a no-break space, in the text between tags only (never in
# a tag, a style sheet or an SVG attribute), at render time: stored texts stay as typed.
_TAG_OR_STYLE = re.compile(r"(<style.*?</style>|<[^>]*>)", re.S)
_SINGLE_LETTER = re.compile(r"(?<![\w\-])([aiouwzAIOUWZ])[ \t\r\n]+")


def keep_single_letters(html: str) -> str:
    parts = _TAG_OR_STYLE.split(html)
    for index in range(0, len(parts), 2):  # even parts are text, odd parts tags
        parts[index] = _SINGLE_LETTER.sub("\\1\u00a0", parts[index])
    return "".join(parts)


_renderers: dict[Path, ReportRenderer] = {}
_renderers_lock = threading.Lock()


def renderer(root: Path) -> ReportRenderer:
    """The process-wide renderer of a reports folder."""
    key = root.resolve()
    with _renderers_lock:
        found = _renderers.get(key)
        if found is None:
            found = _renderers[key] = ReportRenderer(key)
        return found


# --- charts ------------------------------------------------------------------------------


def report_charts(context: dict[str, Any], t: Translator) -> dict[str, Markup]:
    """Every chart of a report, computed once per render from the plain context."""
    lang = t.lang
    dimensions = context["dimensions"]
    labels = [f"{d['index']}. {d['title']}" for d in dimensions]
    values = [d["percent"] for d in dimensions]
    targets = [d["target"] for d in dimensions]
    has_target = any(v is not None for v in targets)
    no_data = t.gettext("no data")
    out: dict[str, str] = {}
    out["radar"] = dimension_radar(dimensions, t, name=t.gettext("Score"), chart_id="radar-chart")
    out["bars"] = charts.bar_chart(
        labels,
        values,
        targets if has_target else None,
        title=t.gettext("Scores by dimension"),
        target_name=t.gettext("Target"),
        no_data=no_data,
        lang=lang,
        chart_id="bars-chart",
    )
    points = context["trend"]["points"]
    if len(points) > 1:
        label_of = _date_labels(points)
        out["trend"] = charts.trend_chart(
            [(date.fromisoformat(p["iso"]), p["overall"]) for p in points],
            name=t.gettext("Overall score"),
            title=t.gettext("Overall score over time"),
            no_data=no_data,
            lang=lang,
            date_label=label_of,
            chart_id="trend-chart",
        )
    comparison = context.get("comparison")
    if comparison:
        before, after = comparison["before"], comparison["after"]
        rows = comparison["dimensions"]
        out["comparison"] = charts.radar_chart(
            [(f"{d['index']}. {d['title']}", d["after"]) for d in rows],
            series=[(before["date"], [d["before"] for d in rows])],
            name=after["date"],
            title=t.gettext("Scores by dimension: both audits"),
            no_data=no_data,
            lang=lang,
            chart_id="comparison-radar-chart",
        )
    peer_chart = benchmark_chart(context.get("benchmark"), t, chart_id="benchmark-chart")
    if peer_chart:
        out["benchmark"] = peer_chart
    return {name: _figure(svg) for name, svg in out.items()}


def _figure(svg: str) -> Markup:
    """A chart for the report. A tagged PDF takes a figure's alternative text from the
    SVG's <title>: it is made to state the values (the <desc>), so a screen reader hears
    the numbers. charts.py escapes every text it writes."""
    return Markup(with_values(svg))  # noqa: S704  # nosec B704


def _date_labels(points: list[dict[str, Any]]) -> Callable[[date], str]:
    labels = {p["iso"]: p["date_short"] for p in points}

    def label(value: date) -> str:
        return str(labels.get(value.isoformat()[:10], value.isoformat()[:10]))

    return label
