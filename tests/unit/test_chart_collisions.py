"""No text in a chart overprints another, nor a target tick: measured in the SVG itself.

Every <text> line (each <tspan> of a wrapped label) becomes a box from its position,
anchor and font size, with a generous width per character for DejaVu Sans; boxes must
not intersect, and no target tick of the bar chart may run through a text box. The
charts are those of the reports for made-up extremes (all equal, all 0, all 100, 12
areas, long Polish names) and for a demo-like audit.
"""

from __future__ import annotations

import itertools
import xml.etree.ElementTree as ET
from dataclasses import dataclass

import pytest

from audit_app.reporting.charts import bar_chart, radar_chart
from audit_app.reporting.result_charts import dimension_radar
from audit_app.wording import translator

SVG = "{http://www.w3.org/2000/svg}"
CHAR_WIDTH = 0.62  # of the font size: DejaVu Sans is wide; this errs on the safe side
DEFAULT_SIZE = 12.0


@dataclass(frozen=True)
class Box:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float

    def overlaps(self, other: Box) -> bool:
        return (
            self.x0 < other.x1 and other.x0 < self.x1 and self.y0 < other.y1 and other.y0 < self.y1
        )


def _box(text: str, x: float, y: float, anchor: str, size: float) -> Box:
    width = len(text) * size * CHAR_WIDTH
    left = {"start": x, "middle": x - width / 2, "end": x - width}[anchor]
    return Box(text, left, y - size * 0.8, left + width, y + size * 0.2)


def text_boxes(svg: str) -> list[Box]:
    root = ET.fromstring(svg)
    boxes = []
    for element in root.iter(f"{SVG}text"):
        size = float(element.get("font-size") or DEFAULT_SIZE)
        anchor = element.get("text-anchor") or "start"
        spans = element.findall(f"{SVG}tspan")
        lines = (
            [(s.text or "", float(s.get("x")), float(s.get("y"))) for s in spans]
            if spans
            else [(element.text or "", float(element.get("x")), float(element.get("y")))]
        )
        boxes += [_box(text, x, y, anchor, size) for text, x, y in lines if text.strip()]
    return boxes


def target_ticks(svg: str) -> list[Box]:
    root = ET.fromstring(svg)
    return [
        Box(
            "tick",
            float(e.get("x1")) - 1,
            float(e.get("y1")),
            float(e.get("x2")) + 1,
            float(e.get("y2")),
        )
        for e in root.iter(f"{SVG}line")
        if e.get("class") == "target"
    ]


def assert_no_collision(svg: str) -> None:
    boxes = text_boxes(svg)
    for a, b in itertools.combinations(boxes, 2):
        assert not a.overlaps(b), f"{a.text!r} overprints {b.text!r}"
    for tick, box in itertools.product(target_ticks(svg), boxes):
        assert not tick.overlaps(box), f"the target tick runs through {box.text!r}"


LONG_POLISH = [
    "Wiedza o użytkownikach i ich potrzebach",
    "Integracja danych z różnych działów",
    "Analiza i segmentacja użytkowników biblioteki",
    "Cykl życia relacji z czytelnikiem",
    "Kanały komunikacji i spersonalizowana wartość",
    "Kultura organizacyjna i ludzie",
    "Procesy i standardy obsługi w filiach",
    "Technologia, integracja i bezpieczeństwo danych",
    "Mierniki i analityka działań",
    "Szkolenia i rozwój kompetencji zespołu",
    "Wizja i strategia współpracy z otoczeniem",
    "Doświadczenie użytkownika w kanałach cyfrowych",
]

CASES = {
    "demo": ([56.25, 62.5, 62.5, 50.0, 62.5, 62.5], [60, 60, 50, 50, 50, 50]),
    "all equal": ([50.0] * 6, [50.0] * 6),
    "all zero": ([0.0] * 8, [60.0] * 8),
    "all hundred": ([100.0] * 8, [100.0] * 8),
    "twelve areas": ([i * 9.0 for i in range(12)], [50.0] * 12),
    "three areas": ([10.0, 90.0, 40.0], [60.0, 60.0, 60.0]),
}


@pytest.mark.parametrize("lang", ["pl", "en"])
@pytest.mark.parametrize("case", list(CASES))
def test_report_charts_never_collide(case, lang):
    values, targets = CASES[case]
    titles = LONG_POLISH[: len(values)]
    dimensions = [
        {"index": i, "title": title, "percent": value, "target": target}
        for i, (title, value, target) in enumerate(zip(titles, values, targets, strict=True), 1)
    ]
    t = translator(lang)
    assert_no_collision(dimension_radar(dimensions, t, name="Wynik", chart_id="radar"))
    labels = [f"{d['index']}. {d['title']}" for d in dimensions]
    assert_no_collision(bar_chart(labels, values, targets, lang=lang, chart_id="bars"))


def test_the_check_finds_an_overlap():
    """The check can fail: two labels written at one spot are caught."""
    svg = radar_chart([("A", 50.0), ("B", 50.0), ("C", 50.0)], chart_id="x")
    crowded = svg.replace(
        "</svg>", '<text x="10" y="10">overlap</text><text x="12" y="10">x</text></svg>'
    )
    with pytest.raises(AssertionError, match="overprints"):
        assert_no_collision(crowded)


@pytest.mark.parametrize("lang", ["pl", "en"])
def test_every_chart_of_every_report_design_is_free_of_collisions(ctx, lang):
    """The charts exactly as the reports draw them (radar, bars, trend, comparison), for
    a library with four audits and a company with the 38-question questionnaire."""
    from audit_app.extensions import db
    from audit_app.reporting.pdf import report_charts
    from audit_app.services.questionnaires import catalogue
    from audit_app.services.report_context import build_context
    from tests.support.sample import sample_history

    histories = [
        sample_history(catalogue().get("library-crm-audit"), audits=4, seed=3),
        sample_history(
            catalogue().get("crm-readiness"),
            organisation_name="Żabka Consulting sp. z o.o.",
            organisation_type="company",
            audits=3,
            seed=4,
        ),
    ]
    db.session.commit()
    for history in histories:
        for design in ("full", "brief", "progress"):
            context = build_context(history.current, design, lang)
            for name, svg in report_charts(context, translator(lang)).items():
                try:
                    assert_no_collision(str(svg))
                except AssertionError as error:
                    raise AssertionError(f"{design} {name}: {error}") from None
