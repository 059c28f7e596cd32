"""A grouped bar chart: one group per dimension, one bar per series (e.g. per role).

Built on `charts.py` and following its rules: SVG presentation attributes only, every
series told apart by colour *and* by its marker shape at the end of the bar and in the
legend, the value written after every bar, `<title>`/`<desc>` listing every value, and
every text escaped. Values are percentages 0-100; None draws no bar and says `no_data`.
"""

from __future__ import annotations

from collections.abc import Sequence

from audit_app.domain.scoring_text import fmt_percent
from audit_app.reporting.charts import (
    MUTED,
    _chart_id,
    _describe,
    _fit,
    _multiline,
    _open_svg,
    _percent_grid,
    _text,
    clamp,
    esc,
    marker,
    num,
    series_style,
    wrap,
)

LABEL_WIDTH = 190.0
VALUE_SPACE = 60.0
TOP = 28.0
BAR = 12.0
BAR_GAP = 3.0
GROUP_GAP = 14.0
LEGEND_ROW = 20.0


def grouped_bar_chart(
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    *,
    title: str = "Scores by dimension and role",
    no_data: str = "no data",
    lang: str = "en",
    chart_id: str | None = None,
    width: float = 640.0,
) -> str:
    """Horizontal bars: for each label a group with one bar per series (values in
    label order)."""
    count = len(labels)
    rows = [(name, _fit(values, count)) for name, values in series]
    desc = _describe(title, labels, rows, lang, no_data)
    identifier = _chart_id(chart_id, "grouped-bars", title, labels, series)

    x0 = LABEL_WIDTH
    bar_w = width - x0 - VALUE_SPACE
    per_group = max(1, len(rows)) * (BAR + BAR_GAP) - BAR_GAP
    wrapped = [wrap(label, 26, 3) for label in labels]
    tops: list[tuple[float, float]] = []
    y = TOP
    for lines in wrapped:
        height = max(per_group, 14 * len(lines))
        tops.append((y, height))
        y += height + GROUP_GAP
    plot_bottom = y - GROUP_GAP + 4 if labels else TOP + 30
    legend_y = plot_bottom + 22
    total_height = legend_y + LEGEND_ROW * len(rows) + 4
    out = _open_svg(identifier, width, total_height, title, desc)
    out.extend(_percent_grid(x0, bar_w, TOP, plot_bottom, lang))
    if not labels or not rows:
        out.append(_text(width / 2, TOP + 20, no_data, anchor="middle"))

    for i, (lines, (top, _height)) in enumerate(zip(wrapped, tops, strict=True)):
        out.append(f'<g class="group" data-index="{i}">')
        out.append(_multiline(x0 - 8, top + 11, lines, anchor="end"))
        for s, (name, values) in enumerate(rows):
            style = series_style(s)
            value = values[i]
            bar_top = top + s * (BAR + BAR_GAP)
            mid = bar_top + BAR / 2
            out.append(
                f'<g class="bar" data-series="{s}" data-name="{esc(name)}" '
                f'data-value="{"" if value is None else num(value)}">'
            )
            if value is None:
                out.append(marker(style.marker, x0 + 6, mid, style.colour, size=3.5))
                out.append(_text(x0 + 14, mid + 4, no_data, size=10, fill=MUTED))
            else:
                length = bar_w * clamp(value) / 100
                out.append(
                    f'<rect x="{num(x0)}" y="{num(bar_top)}" width="{num(length)}" '
                    f'height="{num(BAR)}" fill="{style.colour}" fill-opacity="0.85"/>'
                )
                out.append(marker(style.marker, x0 + length, mid, style.colour, size=4))
                out.append(_text(x0 + length + 9, mid + 4, fmt_percent(value, lang), size=10))
            out.append("</g>")
        out.append("</g>")

    out.append('<g class="legend">')
    for s, (name, _values) in enumerate(rows):
        style = series_style(s)
        ly = legend_y + s * LEGEND_ROW
        out.append(
            f'<rect x="20" y="{num(ly - 6)}" width="28" height="12" fill="{style.colour}" '
            f'fill-opacity="0.85"/>'
        )
        out.append(marker(style.marker, 48, ly, style.colour, size=4))
        out.append(_text(60, ly + 4, name))
    out.append("</g>")
    out.append("</svg>")
    return "\n".join(out)
