"""SVG charts: parsed with xml.etree, geometry checked against the layout constants."""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from datetime import date, datetime

import pytest

from audit_app.reporting.charts import (
    BAR_LABEL_WIDTH,
    BAR_VALUE_SPACE,
    TREND_HEIGHT,
    TREND_TOP,
    bar_chart,
    radar_chart,
    radar_geometry,
    trend_chart,
)

NS = {"svg": "http://www.w3.org/2000/svg"}
SVG = "{http://www.w3.org/2000/svg}"

AXES = [("Users", 100.0), ("Data", 50.0), ("Analysis", None), ("Lifecycle", 0.0), ("Culture", 75.0)]


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == SVG + "svg"
    assert 'style="' not in svg  # the web page's CSP blocks inline styles
    return root


def title_and_desc(root: ET.Element) -> tuple[str, str]:
    title = root.find("svg:title", NS)
    desc = root.find("svg:desc", NS)
    assert title is not None and desc is not None
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    return title.text or "", desc.text or ""


def centre_of(group: ET.Element) -> tuple[float, float]:
    """The centre of the marker inside a point group (circle, rect or polygon)."""
    for element in group:
        if element.tag == SVG + "circle":
            return float(element.get("cx")), float(element.get("cy"))
        if element.tag == SVG + "rect":
            x, y = float(element.get("x")), float(element.get("y"))
            return x + float(element.get("width")) / 2, y + float(element.get("height")) / 2
        if element.tag == SVG + "polygon":
            pts = [tuple(map(float, p.split(","))) for p in element.get("points").split()]
            xs = [p[0] for p in pts]
            ys = [p[1] for p in pts]
            return (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
    raise AssertionError("no marker")


def series(root: ET.Element) -> list[ET.Element]:
    return root.findall(".//svg:g[@class='series']", NS)


def points_of(group: ET.Element) -> dict[int, ET.Element]:
    return {int(p.get("data-axis", p.get("data-index"))): p for p in group.findall("svg:g", NS)}


# --- radar ---------------------------------------------------------------------------


def test_radar_values_lie_on_their_rings():
    root = parse(radar_chart(AXES))
    geometry = radar_geometry()
    (only,) = series(root)
    points = points_of(only)
    assert sorted(points) == [0, 1, 3, 4]  # None (axis 2) has no point
    # 100 lies on the outer ring, straight up from the centre (first axis).
    x, y = centre_of(points[0])
    assert x == pytest.approx(geometry.cx, abs=0.01)
    assert y == pytest.approx(geometry.cy - geometry.radius, abs=0.01)
    # 50 lies half way along the second axis (72 degrees clockwise from the top).
    x, y = centre_of(points[1])
    angle = -math.pi / 2 + 2 * math.pi / 5
    assert x == pytest.approx(geometry.cx + geometry.radius / 2 * math.cos(angle), abs=0.01)
    assert y == pytest.approx(geometry.cy + geometry.radius / 2 * math.sin(angle), abs=0.01)
    distance = math.dist((x, y), (geometry.cx, geometry.cy))
    assert distance == pytest.approx(geometry.radius / 2, abs=0.01)
    # 0 is the centre.
    assert centre_of(points[3]) == pytest.approx((geometry.cx, geometry.cy), abs=0.01)


def test_radar_outer_ring_passes_through_the_100_point():
    root = parse(radar_chart(AXES))
    rings = {int(r.get("data-level")): r for r in root.findall(".//svg:polygon[@class='ring']", NS)}
    assert sorted(rings) == [20, 40, 60, 80, 100]
    geometry = radar_geometry()
    outer = [tuple(map(float, p.split(","))) for p in rings[100].get("points").split()]
    assert len(outer) == 5
    for x, y in outer:
        distance = math.dist((x, y), (geometry.cx, geometry.cy))
        assert distance == pytest.approx(geometry.radius, abs=0.01)
    inner = [tuple(map(float, p.split(","))) for p in rings[20].get("points").split()]
    for x, y in inner:
        assert math.dist((x, y), (geometry.cx, geometry.cy)) == pytest.approx(
            geometry.radius * 0.2, abs=0.01
        )
    # No numbers on the rings: they overprinted the values (test_chart_collisions).
    assert root.findall(".//svg:text[@class='grid-label']", NS) == []


def test_radar_missing_value_breaks_the_line_and_is_described():
    root = parse(radar_chart(AXES, no_data="no data"))
    (only,) = series(root)
    path = only.find("svg:path", NS)
    assert path.get("fill") == "none"  # not a closed, filled shape
    assert not path.get("d").endswith("Z")
    # One run: Lifecycle -> Culture -> Users -> Data (wrapping round), Analysis missing.
    assert path.get("d").count("M") == 1
    assert path.get("d").count("L") == 3
    _, desc = title_and_desc(root)
    assert "Analysis: Score no data" in desc


def test_radar_complete_series_is_a_closed_shape():
    root = parse(radar_chart([("A", 10.0), ("B", 20.0), ("C", 30.0)]))
    path = series(root)[0].find("svg:path", NS)
    assert path.get("d").endswith("Z")
    assert path.get("fill") != "none"


def test_radar_series_are_told_apart_without_colour():
    root = parse(
        radar_chart(
            AXES,
            [("Earlier", [50.0, 50.0, 50.0, 50.0, 50.0])],
            target=[60.0, 60.0, 60.0, 60.0, 60.0],
            name="Later",
        )
    )
    groups = series(root)
    assert [g.get("data-name") for g in groups] == ["Later", "Earlier", "Target"]
    dashes = [g.find("svg:path", NS).get("stroke-dasharray") for g in groups]
    assert len(set(dashes)) == 3  # solid (None) and two different patterns
    shapes = []
    for group in groups:
        first_point = group.find("svg:g", NS)
        marker = first_point[0]
        shapes.append((marker.tag, marker.get("fill")))
    assert len(set(shapes)) == 3  # e.g. filled circle, square, hollow circle
    # The first series carries its values as text; the others are named in the legend
    # and the desc (their labels overprinted the first series').
    assert [t.text for t in groups[0].findall(".//svg:text", NS)][:1] == ["100%"]
    assert groups[1].findall(".//svg:text", NS) == []
    # The legend names every series.
    legend = [t.text for t in root.findall(".//svg:g[@class='legend']/svg:text", NS)]
    assert legend == ["Later", "Earlier", "Target"]
    title, desc = title_and_desc(root)
    assert title == "Scores by dimension"
    assert "Users: Later 100%, Earlier 50%, Target 60%" in desc


def test_radar_escapes_labels_and_names():
    svg = radar_chart(
        [("R&D <team>", 40.0), ('"Quoted"', 60.0), ("Ünïcode ąę", 80.0)],
        [("A & B", [1.0, 2.0, 3.0])],
        name="<script>",
        title="Title & <more>",
    )
    root = parse(svg)  # well-formed XML despite the special characters
    assert "<script>" not in svg
    texts = " ".join("".join(t.itertext()) for t in root.iter(SVG + "text"))
    assert "R&D <team>" in texts and '"Quoted"' in texts and "Ünïcode ąę" in texts
    title, desc = title_and_desc(root)
    assert title == "Title & <more>"
    assert "R&D <team>: <script> 40%, A & B 1%" in desc
    assert [g.get("data-name") for g in series(root)] == ["<script>", "A & B"]


def test_radar_wraps_long_axis_labels():
    root = parse(radar_chart([("A very long dimension name that needs wrapping", 50.0)] * 3))
    label = root.find(".//svg:g[@class='axis-labels']/svg:text", NS)
    lines = [span.text for span in label.findall("svg:tspan", NS)]
    assert len(lines) >= 2 and all(len(line) <= 22 for line in lines)


def test_radar_without_axes_says_no_data():
    root = parse(radar_chart([], no_data="brak danych", title="Wykres"))
    assert "brak danych" in "".join(root.itertext())
    assert title_and_desc(root) == ("Wykres", "Wykres. brak danych.")


def test_radar_formats_numbers_in_polish_and_clamps_geometry():
    root = parse(radar_chart([("A", 62.5), ("B", 120.0), ("C", -5.0)], lang="pl"))
    _, desc = title_and_desc(root)
    assert "A: Score 62,5%" in desc
    points = points_of(series(root)[0])
    geometry = radar_geometry()
    x, y = centre_of(points[1])
    assert math.dist((x, y), (geometry.cx, geometry.cy)) == pytest.approx(geometry.radius, abs=0.01)
    assert centre_of(points[2]) == pytest.approx((geometry.cx, geometry.cy), abs=0.01)


def test_chart_ids_are_deterministic_and_overridable():
    assert radar_chart(AXES) == radar_chart(AXES)
    root = parse(radar_chart(AXES, chart_id="radar-x"))
    assert root.get("id") == "radar-x"
    assert root.find("svg:title", NS).get("id") == "radar-x-title"


# --- trend ---------------------------------------------------------------------------


def test_trend_points_are_placed_by_date_and_value():
    svg = trend_chart(
        [(date(2025, 1, 1), 80.0), (date(2024, 1, 1), 40.0), (date(2024, 7, 2), None)],
        [("Users", [90.0, 30.0, 50.0])],
        name="Overall",
        title="Over time",
    )
    root = parse(svg)
    overall, users = series(root)[0], series(root)[1]
    # series are drawn thin lines first; find by name instead of order
    by_name = {g.get("data-name"): g for g in (overall, users)}
    overall, users = by_name["Overall"], by_name["Users"]
    points = points_of(overall)
    assert sorted(points) == [0, 2]  # sorted by date: 2024-01 (40), 2024-07 (None), 2025-01 (80)
    x0, y0 = centre_of(points[0])
    x2, y2 = centre_of(points[2])
    assert y0 == pytest.approx(TREND_TOP + TREND_HEIGHT * 0.6, abs=0.01)
    assert y2 == pytest.approx(TREND_TOP + TREND_HEIGHT * 0.2, abs=0.01)
    assert x0 < x2
    x1, _ = centre_of(points_of(users)[1])
    # x proportional to time: 2024-07-02 is 183 of 366 days into the span.
    assert (x1 - x0) / (x2 - x0) == pytest.approx(183 / 366, abs=0.001)
    # Labelled points: overall values above its points.
    assert [t.text for t in overall.findall(".//svg:text", NS)] == ["40%", "80%"]
    # Missing overall value: the line has no segment across it.
    assert overall.find("svg:path", NS) is None
    title, desc = title_and_desc(root)
    assert title == "Over time"
    assert desc == (
        "Over time. 2024-01-01: Overall 40%, Users 30%; 2024-07-02: Overall no data, "
        "Users 50%; 2025-01-01: Overall 80%, Users 90%."
    )
    x_labels = [t.text for t in root.findall(".//svg:g[@class='x-axis']/svg:text", NS)]
    assert x_labels == ["2024-01-01", "2024-07-02", "2025-01-01"]


def test_trend_with_one_point_and_datetimes_and_custom_date_labels():
    root = parse(
        trend_chart(
            [(datetime(2025, 3, 1, 10, 0), 55.5)],
            date_label=lambda d: d.strftime("%d.%m.%Y"),
            lang="pl",
        )
    )
    (only,) = series(root)
    assert [t.text for t in only.findall(".//svg:text", NS)] == ["55,5%"]
    assert "01.03.2025: Overall 55,5%" in title_and_desc(root)[1]


def test_trend_same_day_points_are_spread_evenly():
    day = date(2025, 1, 1)
    root = parse(trend_chart([(day, 10.0), (day, 20.0), (day, 30.0)]))
    xs = [centre_of(p)[0] for p in points_of(series(root)[0]).values()]
    assert xs[1] - xs[0] == pytest.approx(xs[2] - xs[1])
    assert xs[0] < xs[1] < xs[2]


def test_trend_without_points():
    root = parse(trend_chart([], no_data="none yet"))
    assert "none yet" in "".join(root.itertext())


# --- bars ----------------------------------------------------------------------------


def test_bars_have_lengths_proportional_to_values_and_value_labels():
    width = 640.0
    root = parse(
        bar_chart(
            ["Users & <friends>", "Data", "Analysis"],
            [100.0, 25.0, None],
            target=60.0,
            width=width,
            title="Bars",
        )
    )
    bar_width = width - BAR_LABEL_WIDTH - BAR_VALUE_SPACE
    bars = root.findall(".//svg:g[@class='bar']", NS)
    assert len(bars) == 3
    rect0 = bars[0].find("svg:rect", NS)
    assert float(rect0.get("x")) == BAR_LABEL_WIDTH
    assert float(rect0.get("width")) == pytest.approx(bar_width)
    assert float(bars[1].find("svg:rect", NS).get("width")) == pytest.approx(bar_width / 4)
    assert bars[2].find("svg:rect", NS) is None  # None: no bar, a text instead
    texts = ["".join(t.itertext()) for t in bars[0].findall("svg:text", NS)]
    assert texts == ["Users & <friends>", "100%"]
    assert "no data" in "".join(bars[2].itertext())
    target = bars[1].find("svg:line[@class='target']", NS)
    assert float(target.get("x1")) == pytest.approx(BAR_LABEL_WIDTH + bar_width * 0.6)
    title, desc = title_and_desc(root)
    assert desc == (
        "Bars. Users & <friends>: 100% (Target 60%); Data: 25% (Target 60%); "
        "Analysis: no data (Target 60%)."
    )
    legend = root.find(".//svg:g[@class='legend']", NS)
    assert "Target" in "".join(legend.itertext())


def test_bars_with_per_bar_targets_and_without_target():
    root = parse(bar_chart(["A", "B"], [50.0, 70.0], target=[None, 80.0]))
    bars = root.findall(".//svg:g[@class='bar']", NS)
    assert bars[0].find("svg:line[@class='target']", NS) is None
    assert bars[1].find("svg:line[@class='target']", NS).get("data-value") == "80"
    root = parse(bar_chart(["A"], [50.0]))
    assert root.find(".//svg:line[@class='target']", NS) is None
    assert root.find(".//svg:g[@class='legend']", NS) is None
