"""The peer benchmark as a chart: one horizontal box per row (overall, then each area)
on a 0-100 % scale - the peers' middle half as a box, the median as a bar across it,
lowest to highest as a whisker when there are 10 peers or more - and this audit as a
diamond. Laid out from the result model's `benchmark` rows (as JSON); computes nothing.
Shared by the results page and the full PDF; no WeasyPrint import.
"""

from __future__ import annotations

from typing import Any

from audit_app.domain.answer_text import Wording
from audit_app.reporting import charts

LABEL_WIDTH = 210.0
PLOT_WIDTH = 380.0
RIGHT = 30.0
TOP = 44.0
ROW_HEIGHT = 34.0
BOX_HEIGHT = 14.0
LEGEND_HEIGHT = 46.0
BOX_FILL = "#cfe0ec"
BOX_STROKE = charts.COLOURS[0]
YOU_COLOUR = charts.COLOURS[1]


def _x(value: float) -> float:
    return LABEL_WIDTH + PLOT_WIDTH * charts.clamp(value) / 100


def _row(index: int, row: dict[str, Any]) -> list[str]:
    mid = TOP + ROW_HEIGHT * index + ROW_HEIGHT / 2
    top, bottom = mid - BOX_HEIGHT / 2, mid + BOX_HEIGHT / 2
    out = [f'<g class="benchmark-row" data-row="{charts.esc(row["id"])}">']
    lines = charts.wrap(row["title"], width=30, max_lines=2)
    first = mid + 4 - 7 * (len(lines) - 1)
    out.append(charts._multiline(LABEL_WIDTH - 10, first, lines, anchor="end"))
    if row["minimum"] is not None and row["maximum"] is not None:
        out.append(
            f'<line class="whisker" x1="{charts.num(_x(row["minimum"]))}" y1="{charts.num(mid)}" '
            f'x2="{charts.num(_x(row["maximum"]))}" y2="{charts.num(mid)}" '
            f'stroke="{charts.MUTED}" stroke-width="1.5"/>'
        )
    left, right = _x(row["q1"]), _x(row["q3"])
    out.append(
        f'<rect class="middle-half" x="{charts.num(left)}" y="{charts.num(top)}" '
        f'width="{charts.num(max(2.0, right - left))}" height="{charts.num(BOX_HEIGHT)}" '
        f'fill="{BOX_FILL}" stroke="{BOX_STROKE}" stroke-width="1"/>'
    )
    median = _x(row["median"])
    out.append(
        f'<line class="median" x1="{charts.num(median)}" y1="{charts.num(top - 3)}" '
        f'x2="{charts.num(median)}" y2="{charts.num(bottom + 3)}" '
        f'stroke="{BOX_STROKE}" stroke-width="3"/>'
    )
    if row["you"] is not None:
        out.append(charts.marker("diamond", _x(row["you"]), mid, YOU_COLOUR, size=6))
    out.append("</g>")
    return out


def _legend(y: float, t: Wording, with_range: bool) -> list[str]:
    x = LABEL_WIDTH
    out = ['<g class="legend" font-size="11">']
    out.append(
        f'<rect x="{charts.num(x)}" y="{charts.num(y - 9)}" width="22" height="10" '
        f'fill="{BOX_FILL}" stroke="{BOX_STROKE}"/>'
    )
    out.append(charts._text(x + 28, y, t.gettext("middle half of peers")))
    out.append(
        f'<line x1="{charts.num(x + 200)}" y1="{charts.num(y - 11)}" x2="{charts.num(x + 200)}" '
        f'y2="{charts.num(y + 2)}" stroke="{BOX_STROKE}" stroke-width="3"/>'
    )
    out.append(charts._text(x + 208, y, t.gettext("median")))
    out.append(charts.marker("diamond", x + 6, y + 14, YOU_COLOUR, size=5))
    out.append(charts._text(x + 28, y + 18, t.gettext("your score")))
    if with_range:
        out.append(
            f'<line x1="{charts.num(x + 190)}" y1="{charts.num(y + 14)}" '
            f'x2="{charts.num(x + 212)}" y2="{charts.num(y + 14)}" '
            f'stroke="{charts.MUTED}" stroke-width="1.5"/>'
        )
        out.append(charts._text(x + 218, y + 18, t.gettext("lowest to highest")))
    out.append("</g>")
    return out


def benchmark_chart(benchmark: dict[str, Any] | None, t: Wording, *, chart_id: str) -> str:
    """SVG of the model's benchmark (JSON of `BenchmarkView`); "" when nothing is shown."""
    if not benchmark:
        return ""
    rows = ([benchmark["overall"]] if benchmark["overall"] else []) + list(benchmark["areas"])
    if not rows:
        return ""
    width = LABEL_WIDTH + PLOT_WIDTH + RIGHT
    plot_bottom = TOP + ROW_HEIGHT * len(rows)
    height = plot_bottom + LEGEND_HEIGHT
    desc = "; ".join(
        t.gettext(
            "%(title)s: peers' median %(median)s, middle half %(middle)s, your score %(you)s",
            title=row["title"],
            median=row["median_display"],
            middle=row["middle_display"],
            you=row["you_display"],
        )
        for row in rows
    )
    out = charts._open_svg(chart_id, width, height, benchmark["title"], desc)
    out.extend(charts._percent_grid(LABEL_WIDTH, PLOT_WIDTH, TOP, plot_bottom, t.lang))
    for index, row in enumerate(rows):
        out.extend(_row(index, row))
    with_range = any(row["minimum"] is not None for row in rows)
    out.extend(_legend(plot_bottom + 22, t, with_range))
    out.append("</svg>")
    return "\n".join(out)
