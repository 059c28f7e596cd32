"""SVG charts as strings, geometry computed in plain Python (no chart library, no JS).

Used inline on web pages and in WeasyPrint PDFs, so every chart:

* uses SVG presentation attributes only (no ``style=""``, no external CSS);
* is readable without colour: each series has its own dash pattern and marker shape,
  values are written next to the points, and a legend names the series;
* starts with ``<title>`` and ``<desc>`` (the desc lists every value in words) and is
  labelled by them (``role="img"``, ``aria-labelledby``);
* escapes every text it is given.

All values are percentages 0-100 (clamped for drawing; the labels show the value as
given). ``None`` means "no value": nothing is drawn for it, lines are broken there and
the desc says ``no_data``. Callers pass texts already translated; numbers are
formatted by `audit_app.domain.scoring_text.fmt_percent` in ``lang``.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from html import escape

from audit_app.domain.scoring_text import fmt_percent

SVG_NS = "http://www.w3.org/2000/svg"
GRID_LEVELS = (20, 40, 60, 80, 100)
FONT = "DejaVu Sans, Helvetica, Arial, sans-serif"
TEXT_COLOUR = "#1c2329"
MUTED = "#4f5962"  # 7:1 on white
GRID_COLOUR = "#c3ccd3"
AXIS_COLOUR = "#8a96a0"


@dataclass(frozen=True)
class SeriesStyle:
    colour: str
    dash: str | None  # stroke-dasharray, None = solid
    marker: str  # circle, square, triangle, diamond, triangle_down, cross, ring


# Colours differ, but so do dash patterns and markers (readable in black and white).
COLOURS = ("#1f5f8b", "#a6461b", "#1b6e3a", "#6b3fa0", "#7a5c00", "#333d45", "#8b1e5a")
MARKERS = ("circle", "square", "triangle", "diamond", "triangle_down", "cross", "plus")
DASHES: tuple[str | None, ...] = (None, "7 4", "2 3", "9 3 2 3", "4 2", "12 3")
TARGET_STYLE = SeriesStyle("#4f5962", "10 5", "ring")


def series_style(index: int) -> SeriesStyle:
    """The style of the index-th series: the first seven differ in colour, marker and
    dash pattern; (marker, dash) pairs stay distinct for 42 series."""
    return SeriesStyle(
        COLOURS[index % len(COLOURS)],
        DASHES[index % len(DASHES)],
        MARKERS[index % len(MARKERS)],
    )


STYLES: tuple[SeriesStyle, ...] = tuple(series_style(i) for i in range(len(COLOURS)))


# --- small helpers ---------------------------------------------------------------


def esc(text: object) -> str:
    """Text for SVG content or a double-quoted attribute."""
    return escape(str(text), quote=True)


def num(value: float) -> str:
    """A coordinate: at most two decimals, no trailing zeros."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def clamp(value: float) -> float:
    return min(100.0, max(0.0, value))


def _chart_id(chart_id: str | None, *parts: object) -> str:
    if chart_id:
        return chart_id
    digest = hashlib.sha1(repr(parts).encode("utf-8"), usedforsecurity=False).hexdigest()
    return f"chart-{digest[:10]}"


def _open_svg(chart_id: str, width: float, height: float, title: str, desc: str) -> list[str]:
    return [
        f'<svg xmlns="{SVG_NS}" id="{esc(chart_id)}" class="chart" role="img" '
        f'aria-labelledby="{esc(chart_id)}-title {esc(chart_id)}-desc" '
        f'width="{num(width)}" height="{num(height)}" viewBox="0 0 {num(width)} {num(height)}" '
        f'font-family="{FONT}" font-size="12" fill="{TEXT_COLOUR}">',
        f'<title id="{esc(chart_id)}-title">{esc(title)}</title>',
        f'<desc id="{esc(chart_id)}-desc">{esc(desc)}</desc>',
        f'<rect x="0" y="0" width="{num(width)}" height="{num(height)}" fill="#ffffff"/>',
    ]


def wrap(text: str, width: int = 22, max_lines: int = 3) -> list[str]:
    """Words into lines of at most `width` characters (long words are not split);
    more than `max_lines` lines end with an ellipsis. A one-letter word stays with the
    word after it (Polish typography: "w", "i", "o", "z" never end a line)."""
    lines: list[str] = []
    current = ""
    words: list[str] = []
    for word in text.split():
        if words and len(words[-1]) == 1 and words[-1].isalpha():
            words[-1] += " " + word
        else:
            words.append(word)
    for word in words:
        candidate = f"{current} {word}" if current else word
        if len(candidate) <= width or not current:
            current = candidate
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1].rstrip(".,;:") + "…"
    return lines or [""]


def _text(
    x: float,
    y: float,
    content: str,
    *,
    anchor: str = "start",
    size: float | None = None,
    weight: str | None = None,
    fill: str | None = None,
    extra: str = "",
) -> str:
    attributes = [f'x="{num(x)}"', f'y="{num(y)}"', f'text-anchor="{anchor}"']
    if size is not None:
        attributes.append(f'font-size="{num(size)}"')
    if weight is not None:
        attributes.append(f'font-weight="{weight}"')
    if fill is not None:
        attributes.append(f'fill="{fill}"')
    if extra:
        attributes.append(extra)
    return f"<text {' '.join(attributes)}>{esc(content)}</text>"


def _multiline(
    x: float, y: float, lines: Sequence[str], *, anchor: str, line_height: float = 14
) -> str:
    spans = "".join(
        f'<tspan x="{num(x)}" y="{num(y + i * line_height)}">{esc(line)}</tspan>'
        for i, line in enumerate(lines)
    )
    return f'<text x="{num(x)}" y="{num(y)}" text-anchor="{anchor}">{spans}</text>'


def marker(shape: str, x: float, y: float, colour: str, size: float = 4.5) -> str:
    """A marker shape centred on (x, y); every shape is recognisable in grey."""
    s = size
    stroke = f'stroke="{colour}" stroke-width="1.5"'
    if shape == "square":
        return (
            f'<rect x="{num(x - s)}" y="{num(y - s)}" width="{num(2 * s)}" height="{num(2 * s)}" '
            f'fill="{colour}" {stroke}/>'
        )
    if shape in ("triangle", "triangle_down", "diamond"):
        if shape == "triangle":
            pts = [(x, y - s * 1.2), (x + s * 1.1, y + s * 0.8), (x - s * 1.1, y + s * 0.8)]
        elif shape == "triangle_down":
            pts = [(x, y + s * 1.2), (x + s * 1.1, y - s * 0.8), (x - s * 1.1, y - s * 0.8)]
        else:
            pts = [(x, y - s * 1.3), (x + s * 1.3, y), (x, y + s * 1.3), (x - s * 1.3, y)]
        points = " ".join(f"{num(px)},{num(py)}" for px, py in pts)
        return f'<polygon points="{points}" fill="{colour}" {stroke}/>'
    if shape == "plus":
        d = (
            f"M{num(x - s * 1.2)},{num(y)} L{num(x + s * 1.2)},{num(y)} "
            f"M{num(x)},{num(y - s * 1.2)} L{num(x)},{num(y + s * 1.2)}"
        )
        return f'<path d="{d}" fill="none" stroke="{colour}" stroke-width="2.5"/>'
    if shape == "cross":
        d = (
            f"M{num(x - s)},{num(y - s)} L{num(x + s)},{num(y + s)} "
            f"M{num(x - s)},{num(y + s)} L{num(x + s)},{num(y - s)}"
        )
        return f'<path d="{d}" fill="none" stroke="{colour}" stroke-width="2.5"/>'
    if shape == "ring":
        return (
            f'<circle cx="{num(x)}" cy="{num(y)}" r="{num(s)}" fill="#ffffff" '
            f'stroke="{colour}" stroke-width="2"/>'
        )
    return f'<circle cx="{num(x)}" cy="{num(y)}" r="{num(s)}" fill="{colour}" {stroke}/>'


def _dash(style: SeriesStyle) -> str:
    return f' stroke-dasharray="{style.dash}"' if style.dash else ""


def _segments(points: Sequence[tuple[float, float] | None], closed: bool) -> str:
    """Path data through the known points; a missing point breaks the line."""
    runs: list[list[tuple[float, float]]] = [[]]
    for point in points:
        if point is None:
            if runs[-1]:
                runs.append([])
        else:
            runs[-1].append(point)
    runs = [run for run in runs if run]
    if closed and len(runs) > 1 and points[0] is not None and points[-1] is not None:
        runs[0] = runs.pop() + runs[0]  # the run across the end joins the first one
    parts = []
    for run in runs:
        if len(run) < 2:
            continue
        parts.append("M" + " L".join(f"{num(px)},{num(py)}" for px, py in run))
    return " ".join(parts)


def _legend(
    entries: Sequence[tuple[str, SeriesStyle, float]], x: float, y: float, row: float = 20
) -> list[str]:
    """One row per series: a line sample with its dash pattern and marker, then the name."""
    out = ['<g class="legend">']
    for i, (name, style, stroke_width) in enumerate(entries):
        ly = y + i * row
        out.append(
            f'<line x1="{num(x)}" y1="{num(ly)}" x2="{num(x + 36)}" y2="{num(ly)}" '
            f'stroke="{style.colour}" stroke-width="{num(stroke_width)}"{_dash(style)}/>'
        )
        out.append(marker(style.marker, x + 18, ly, style.colour))
        out.append(_text(x + 44, ly + 4, name))
    out.append("</g>")
    return out


def _value_or(value: float | None, lang: str, no_data: str) -> str:
    return no_data if value is None else fmt_percent(value, lang)


def _fit(values: Sequence[float | None], count: int) -> list[float | None]:
    """Exactly `count` values: extra ones dropped, missing ones None."""
    return list(values)[:count] + [None] * max(0, count - len(values))


def _describe(
    title: str,
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    lang: str,
    no_data: str,
) -> str:
    """The desc of a chart with several series: each label with every series' value."""
    parts = [
        f"{label}: "
        + ", ".join(f"{name} {_value_or(values[i], lang, no_data)}" for name, values in series)
        for i, label in enumerate(labels)
    ]
    return f"{title}. " + ("; ".join(parts) if parts and series else no_data) + "."


def _percent_grid(x0: float, length: float, top: float, bottom: float, lang: str) -> list[str]:
    """Vertical gridlines at 0, 20 ... 100 % for horizontal bars that start at `x0` and
    are `length` long at 100 %; the levels are written above `top`."""
    out = ['<g class="grid">']
    for level in (0, *GRID_LEVELS):
        x = x0 + length * level / 100
        out.append(
            f'<line x1="{num(x)}" y1="{num(top - 4)}" x2="{num(x)}" y2="{num(bottom)}" '
            f'stroke="{AXIS_COLOUR if level == 0 else GRID_COLOUR}" stroke-width="1"/>'
        )
        out.append(
            _text(
                x,
                top - 10,
                fmt_percent(level, lang),
                anchor="middle",
                size=10,
                fill=MUTED,
                extra='class="grid-label"',
            )
        )
    out.append("</g>")
    return out


# --- radar -----------------------------------------------------------------------


@dataclass(frozen=True)
class RadarGeometry:
    """Where the radar is drawn; exposed so tests and reports can reason about it."""

    cx: float
    cy: float
    radius: float

    def angle(self, index: int, count: int) -> float:
        """Axis angle in radians: the first axis points up, then clockwise."""
        return -math.pi / 2 + 2 * math.pi * index / count

    def point(self, index: int, count: int, value: float) -> tuple[float, float]:
        angle = self.angle(index, count)
        r = self.radius * clamp(value) / 100.0
        return self.cx + r * math.cos(angle), self.cy + r * math.sin(angle)


RADAR_RADIUS = 140.0
RADAR_MAX_LABELLED = 8  # with more axes the values are left to the table beside the chart
RADAR_SIDE = 170.0  # room for axis labels left and right
RADAR_TOP = 70.0


def radar_geometry(radius: float = RADAR_RADIUS) -> RadarGeometry:
    return RadarGeometry(cx=RADAR_SIDE + radius, cy=RADAR_TOP + radius, radius=radius)


def radar_chart(
    axes: Sequence[tuple[str, float | None]],
    series: Sequence[tuple[str, Sequence[float | None]]] = (),
    target: Sequence[float | None] | None = None,
    *,
    name: str = "Score",
    title: str = "Scores by dimension",
    target_name: str = "Target",
    no_data: str = "no data",
    lang: str = "en",
    chart_id: str | None = None,
    radius: float = RADAR_RADIUS,
) -> str:
    """A radar (spider) chart of percentages.

    `axes` are (label, value) pairs: the labels of the axes and the values of the first
    series, called `name`. `series` adds further (name, values) series, values in axis
    order. `target` (values in axis order) is drawn as one more series, `target_name`.
    Gridlines at 20/40/60/80/100; a value of 100 lies on the outer ring.
    """
    count = len(axes)
    labels = [label for label, _ in axes]
    all_series: list[tuple[str, list[float | None], SeriesStyle, bool]] = [
        (name, [value for _, value in axes], series_style(0), False)
    ]
    for index, (series_name, values) in enumerate(series, start=1):
        all_series.append((series_name, _fit(values, count), series_style(index), False))
    if target is not None:
        all_series.append((target_name, _fit(target, count), TARGET_STYLE, True))

    desc = _describe(title, labels, [(n, v) for n, v, _, _ in all_series], lang, no_data)
    identifier = _chart_id(chart_id, "radar", title, axes, series, target)

    geometry = radar_geometry(radius)
    cx, cy, r = geometry.cx, geometry.cy, geometry.radius
    width = 2 * (RADAR_SIDE + r)
    legend_y = cy + r + 64
    height = legend_y + 20 * len(all_series) + 6
    out = _open_svg(identifier, width, height, title, desc)
    if count == 0:
        out.append(_text(width / 2, cy, no_data, anchor="middle"))
        out.append("</svg>")
        return "\n".join(out)

    # Grid: rings at 20..100 and one spoke per axis.
    out.append('<g class="grid">')
    for level in GRID_LEVELS:
        ring = [geometry.point(i, count, level) for i in range(count)]
        if count >= 3:
            ring_points = " ".join(f"{num(x)},{num(y)}" for x, y in ring)
            out.append(
                f'<polygon class="ring" data-level="{level}" points="{ring_points}" fill="none" '
                f'stroke="{AXIS_COLOUR if level == 100 else GRID_COLOUR}" stroke-width="1"/>'
            )
        else:
            out.append(
                f'<circle class="ring" data-level="{level}" cx="{num(cx)}" cy="{num(cy)}" '
                f'r="{num(r * level / 100)}" fill="none" '
                f'stroke="{AXIS_COLOUR if level == 100 else GRID_COLOUR}" stroke-width="1"/>'
            )
    for i in range(count):
        x, y = geometry.point(i, count, 100)
        out.append(
            f'<line class="spoke" x1="{num(cx)}" y1="{num(cy)}" x2="{num(x)}" y2="{num(y)}" '
            f'stroke="{GRID_COLOUR}" stroke-width="1"/>'
        )
    # No numbers on the rings: they collided with the values. The outer ring is 100 %
    # and the rings step by 20 (the desc and the tables give every value).
    out.append("</g>")

    # Axis labels, wrapped, placed just outside the outer ring.
    out.append('<g class="axis-labels">')
    for i, label in enumerate(labels):
        angle = geometry.angle(i, count)
        cos, sin = math.cos(angle), math.sin(angle)
        lx, ly = cx + (r + 20) * cos, cy + (r + 20) * sin
        anchor = "start" if cos > 0.25 else "end" if cos < -0.25 else "middle"
        # Centred labels (top and bottom) are narrower: they sit between two neighbours.
        lines = wrap(label, 16, 4) if anchor == "middle" else wrap(label)
        if sin < -0.5:
            top = ly - (len(lines) - 1) * 14
        elif sin > 0.5:
            top = ly + 10
        else:
            top = ly - (len(lines) - 1) * 7 + 4
        out.append(_multiline(lx, top, lines, anchor=anchor))
    out.append("</g>")

    # Series: line (broken at missing values), markers and value labels.
    for s, (series_name, values, style, is_target) in enumerate(all_series):
        stroke_width = 1.5 if is_target else 2.0
        points = [
            None if value is None else geometry.point(i, count, value)
            for i, value in enumerate(values)
        ]
        complete = all(p is not None for p in points) and count >= 3
        out.append(f'<g class="series" data-series="{s}" data-name="{esc(series_name)}">')
        d = _segments(points, closed=True)
        if complete:
            d += " Z"
        if d:
            fill = (
                f'fill="{style.colour}" fill-opacity="0.08"'
                if complete and not is_target
                else 'fill="none"'
            )
            out.append(
                f'<path class="line" d="{d}" {fill} stroke="{style.colour}" '
                f'stroke-width="{num(stroke_width)}"{_dash(style)}/>'
            )
        for i, (value, point) in enumerate(zip(values, points, strict=True)):
            if value is None or point is None:
                continue
            x, y = point
            label = ""
            if s == 0 and count <= RADAR_MAX_LABELLED:
                # Only the first series is written, on its axis between the crowded centre
                # and the axis labels; the other series are named in the legend.
                angle = geometry.angle(i, count)
                label_r = min(max(r * clamp(value) / 100 + 14, r * 0.42), r - 12)
                tx = cx + label_r * math.cos(angle)
                ty = cy + label_r * math.sin(angle) + 4
                label = _text(
                    tx,
                    ty,
                    fmt_percent(value, lang),
                    anchor="middle",
                    size=10,
                    weight="bold",
                    fill=style.colour,
                )
            out.append(
                f'<g class="point" data-axis="{i}" data-value="{num(value)}">'
                + marker(style.marker, x, y, style.colour)
                + label
                + "</g>"
            )
        out.append("</g>")

    out.extend(_legend([(n, st, 1.5 if tg else 2.0) for n, _, st, tg in all_series], 20, legend_y))
    out.append("</svg>")
    return "\n".join(out)


# --- trend -----------------------------------------------------------------------

TREND_LEFT = 56.0
TREND_TOP = 24.0
TREND_HEIGHT = 220.0
TREND_RIGHT = 64.0


def _day_number(value: date) -> float:
    if isinstance(value, datetime):
        return value.toordinal() + (value.hour * 3600 + value.minute * 60 + value.second) / 86400
    return float(value.toordinal())


def _spread_end_labels(
    lines: Sequence[tuple[str, Sequence[float | None], SeriesStyle, float]],
    xs: Sequence[float],
    y_of: Callable[[float], float],
    gap: float = 11.0,
) -> dict[tuple[int, int], float]:
    """Baselines for the last-value labels of the thin lines, pushed apart vertically
    where several end at the same point in time. Keyed by (line index, point index)."""
    by_x: dict[float, list[tuple[float, int, int]]] = {}
    for s, (_, values, _, _) in enumerate(lines):
        known = [i for i, value in enumerate(values) if value is not None]
        if s == 0 or not known:
            continue
        last = known[-1]
        value = values[last]
        if value is not None:
            by_x.setdefault(xs[last], []).append((y_of(value) + 4, s, last))
    placed: dict[tuple[int, int], float] = {}
    for labels in by_x.values():
        previous = -math.inf
        for y, s, i in sorted(labels):
            y = max(y, previous + gap)
            placed[(s, i)] = y
            previous = y
    return placed


def trend_chart(
    points: Sequence[tuple[date, float | None]],
    lines: Sequence[tuple[str, Sequence[float | None]]] = (),
    *,
    name: str = "Overall",
    title: str = "Scores over time",
    no_data: str = "no data",
    lang: str = "en",
    date_label: Callable[[date], str] | None = None,
    chart_id: str | None = None,
    width: float = 640.0,
) -> str:
    """A line chart of scores over time.

    `points` are (date, overall percent) pairs, drawn as the thick labelled line `name`;
    `lines` are optional (name, values) lines, one value per point (e.g. dimensions),
    labelled at their last known value. Dates may be `date` or `datetime`; points are
    sorted by date; x is proportional to time when all dates differ, else evenly spaced.
    """
    label_of = date_label or (lambda d: d.isoformat()[:10])
    order = sorted(range(len(points)), key=lambda i: _day_number(points[i][0]))
    dates = [points[i][0] for i in order]
    overall = [points[i][1] for i in order]
    extra = [
        (line_name, [list(values)[i] if i < len(values) else None for i in order])
        for line_name, values in lines
    ]
    all_lines: list[tuple[str, list[float | None], SeriesStyle, float]] = [
        (name, overall, series_style(0), 3.0)
    ] + [(n, v, series_style(k), 1.5) for k, (n, v) in enumerate(extra, start=1)]

    desc = _describe(
        title,
        [label_of(when) for when in dates],
        [(n, v) for n, v, _, _ in all_lines],
        lang,
        no_data,
    )
    identifier = _chart_id(chart_id, "trend", title, points, lines)

    rotate = len(dates) > 5
    axis_space = 70.0 if rotate else 34.0
    plot_w = width - TREND_LEFT - TREND_RIGHT
    bottom = TREND_TOP + TREND_HEIGHT
    legend_y = bottom + axis_space + 14
    height = legend_y + 20 * len(all_lines) + 6
    out = _open_svg(identifier, width, height, title, desc)

    def y_of(value: float) -> float:
        return TREND_TOP + TREND_HEIGHT * (1 - clamp(value) / 100.0)

    out.append('<g class="grid">')
    for level in (0, *GRID_LEVELS):
        y = y_of(level)
        out.append(
            f'<line x1="{num(TREND_LEFT)}" y1="{num(y)}" x2="{num(TREND_LEFT + plot_w)}" '
            f'y2="{num(y)}" stroke="{AXIS_COLOUR if level == 0 else GRID_COLOUR}" '
            f'stroke-width="1"/>'
        )
        out.append(
            _text(
                TREND_LEFT - 6,
                y + 4,
                fmt_percent(level, lang),
                anchor="end",
                size=10,
                fill=MUTED,
                extra='class="grid-label"',
            )
        )
    out.append("</g>")
    if not dates:
        out.append(_text(width / 2, y_of(50), no_data, anchor="middle"))
        out.append("</svg>")
        return "\n".join(out)

    days = [_day_number(d) for d in dates]
    distinct = len(set(days)) == len(days)
    span = days[-1] - days[0]
    xs: list[float]
    if len(dates) == 1:
        xs = [TREND_LEFT + plot_w / 2]
    elif distinct and span > 0:
        xs = [TREND_LEFT + plot_w * (d - days[0]) / span for d in days]
    else:
        xs = [TREND_LEFT + plot_w * i / (len(dates) - 1) for i in range(len(dates))]

    out.append('<g class="x-axis">')
    for x, when in zip(xs, dates, strict=True):
        out.append(
            f'<line x1="{num(x)}" y1="{num(bottom)}" x2="{num(x)}" y2="{num(bottom + 5)}" '
            f'stroke="{AXIS_COLOUR}" stroke-width="1"/>'
        )
        if rotate:
            out.append(
                _text(
                    x,
                    bottom + 16,
                    label_of(when),
                    anchor="end",
                    size=10,
                    extra=f'transform="rotate(-35 {num(x)} {num(bottom + 16)})"',
                )
            )
        else:
            out.append(_text(x, bottom + 20, label_of(when), anchor="middle", size=10))
    out.append("</g>")

    end_label_y = _spread_end_labels(all_lines, xs, y_of)
    for s, (line_name, values, style, stroke_width) in reversed(list(enumerate(all_lines))):
        coords = [
            None if value is None else (x, y_of(value)) for x, value in zip(xs, values, strict=True)
        ]
        out.append(f'<g class="series" data-series="{s}" data-name="{esc(line_name)}">')
        d = _segments(coords, closed=False)
        if d:
            out.append(
                f'<path class="line" d="{d}" fill="none" stroke="{style.colour}" '
                f'stroke-width="{num(stroke_width)}"{_dash(style)}/>'
            )
        known = [i for i, value in enumerate(values) if value is not None]
        for i in known:
            value = values[i]
            point = coords[i]
            if value is None or point is None:
                continue
            x, y = point
            label = ""
            if s == 0:
                # At the ends the label leans inwards, clear of the axis numbers.
                first, last = i == known[0] and len(xs) > 1, i == known[-1] and len(xs) > 1
                label = _text(
                    x + 2 if first else x - 2 if last else x,
                    y - 10,
                    fmt_percent(value, lang),
                    anchor="start" if first else "end" if last else "middle",
                    size=11,
                    weight="bold",
                    fill=style.colour,
                )
            elif i == known[-1]:
                # The line's marker before the value ties a pushed-apart label to its line.
                ly = end_label_y.get((s, i), y + 4)
                label = marker(style.marker, x + 14, ly - 3.5, style.colour, size=3) + _text(
                    x + 20, ly, fmt_percent(value, lang), size=10
                )
            out.append(
                f'<g class="point" data-index="{i}" data-value="{num(value)}">'
                + marker(style.marker, x, y, style.colour, size=5 if s == 0 else 3.5)
                + label
                + "</g>"
            )
        out.append("</g>")

    out.extend(_legend([(n, st, w) for n, _, st, w in all_lines], 20, legend_y))
    out.append("</svg>")
    return "\n".join(out)


# --- bars ------------------------------------------------------------------------

BAR_LABEL_WIDTH = 210.0
BAR_VALUE_SPACE = 64.0
BAR_TOP = 28.0
BAR_HEIGHT = 16.0


def bar_chart(
    labels: Sequence[str],
    values: Sequence[float | None],
    target: float | Sequence[float | None] | None = None,
    *,
    title: str = "Scores",
    target_name: str = "Target",
    no_data: str = "no data",
    lang: str = "en",
    chart_id: str | None = None,
    width: float = 640.0,
) -> str:
    """Horizontal bars (0-100) with the value written in a column after the bars.

    `target` is one value for every bar or one per bar; it is drawn as a dashed tick
    across the bar and named in the legend and the desc.
    """
    count = len(labels)
    bar_values = _fit(values, count)
    targets: list[float | None]
    if target is None:
        targets = [None] * count
    elif isinstance(target, int | float):
        targets = [float(target)] * count
    else:
        targets = _fit(target, count)
    has_target = any(t is not None for t in targets)

    desc_parts = []
    for label, value, goal in zip(labels, bar_values, targets, strict=True):
        part = f"{label}: {_value_or(value, lang, no_data)}"
        if goal is not None:
            part += f" ({target_name} {fmt_percent(goal, lang)})"
        desc_parts.append(part)
    desc = f"{title}. " + ("; ".join(desc_parts) if desc_parts else no_data) + "."
    identifier = _chart_id(chart_id, "bars", title, labels, values, target)

    x0 = BAR_LABEL_WIDTH
    bar_w = width - x0 - BAR_VALUE_SPACE
    wrapped = [wrap(label, 30, 2) for label in labels]
    rows: list[tuple[float, float]] = []  # (top, row height)
    y = BAR_TOP
    for lines in wrapped:
        row_height = max(BAR_HEIGHT + 12, 14 * len(lines) + 10)
        rows.append((y, row_height))
        y += row_height
    plot_bottom = y
    height = plot_bottom + (30 if has_target else 8)
    out = _open_svg(identifier, width, height, title, desc)
    out.extend(_percent_grid(x0, bar_w, BAR_TOP, plot_bottom, lang))
    if count == 0:
        out.append(_text(width / 2, BAR_TOP + 20, no_data, anchor="middle"))

    for i, (lines, value, goal, (top, row_height)) in enumerate(
        zip(wrapped, bar_values, targets, rows, strict=True)
    ):
        mid = top + row_height / 2
        out.append(
            f'<g class="bar" data-index="{i}" data-value="{"" if value is None else num(value)}">'
        )
        out.append(_multiline(x0 - 8, mid - (len(lines) - 1) * 7 + 4, lines, anchor="end"))
        # Values stand in their own column right of 100 %, where no target tick can cross.
        if value is None:
            out.append(_text(x0 + bar_w + 8, mid + 4, no_data, fill=MUTED))
        else:
            length = bar_w * clamp(value) / 100
            out.append(
                f'<rect x="{num(x0)}" y="{num(mid - BAR_HEIGHT / 2)}" width="{num(length)}" '
                f'height="{num(BAR_HEIGHT)}" fill="{STYLES[0].colour}"/>'
            )
            out.append(_text(x0 + bar_w + 8, mid + 4, fmt_percent(value, lang), weight="bold"))
        if goal is not None:
            tx = x0 + bar_w * clamp(goal) / 100
            out.append(
                f'<line class="target" data-value="{num(goal)}" x1="{num(tx)}" '
                f'y1="{num(mid - BAR_HEIGHT / 2 - 5)}" x2="{num(tx)}" '
                f'y2="{num(mid + BAR_HEIGHT / 2 + 5)}" stroke="{TEXT_COLOUR}" stroke-width="2" '
                f'stroke-dasharray="3 2"/>'
            )
        out.append("</g>")

    if has_target:
        ly = plot_bottom + 18
        out.append('<g class="legend">')
        out.append(
            f'<line x1="{num(x0 + 6)}" y1="{num(ly - 9)}" x2="{num(x0 + 6)}" y2="{num(ly + 5)}" '
            f'stroke="{TEXT_COLOUR}" stroke-width="2" stroke-dasharray="3 2"/>'
        )
        out.append(_text(x0 + 16, ly + 2, target_name))
        out.append("</g>")
    out.append("</svg>")
    return "\n".join(out)
