"""The campaign's charts as SVG strings (page and PDF): a participation bar and the
distribution of scores per area (box: quartiles, bar: median, whiskers: min-max when
shown). Only geometry here: every number and label comes from the campaign model."""

from __future__ import annotations

from audit_app.domain.campaign_view import CampaignView, DistributionView
from audit_app.reporting.charts import (
    AXIS_COLOUR,
    COLOURS,
    GRID_COLOUR,
    MUTED,
    _open_svg,
    _text,
    clamp,
    esc,
    num,
    wrap,
)
from audit_app.wording import Translator

WIDTH = 640


def participation_chart(view: CampaignView, t: Translator) -> str:
    p = view.participation
    parts = [
        (t.gettext("Submitted"), p.submitted, p.submitted_percent, COLOURS[2]),
        (t.gettext("In progress"), p.in_progress, p.in_progress_percent, "#7fb0d3"),
        (t.gettext("Not started"), p.not_started, p.not_started_percent, "#e4e8eb"),
    ]
    desc = "; ".join(f"{label}: {count}" for label, count, *_ in parts)
    out = _open_svg(
        f"participation-{view.id}", WIDTH, 86, t.gettext("Participation"), f"{p.summary} {desc}"
    )
    x, bar_width = 10.0, WIDTH - 20
    for _label, count, percent, colour in parts:
        width = bar_width * percent / 100
        if width > 0:
            out.append(
                f'<rect x="{num(x)}" y="10" width="{num(width)}" height="34" fill="{colour}" '
                f'stroke="#ffffff" stroke-width="1"/>'
            )
            if width > 30:
                ink = "#ffffff" if colour == COLOURS[2] else "#000000"  # 7:1 on either fill
                out.append(_text(x + width / 2, 32, str(count), anchor="middle", fill=ink))
        x += width
    legend_x = 10.0
    for label, count, _percent, colour in parts:
        out.append(
            f'<rect x="{num(legend_x)}" y="58" width="14" height="14" fill="{colour}" '
            f'stroke="{AXIS_COLOUR}"/>'
        )
        out.append(_text(legend_x + 20, 70, f"{label}: {count}"))
        legend_x += 210
    out.append("</svg>")
    return "".join(out)


def _describe(title: str, d: DistributionView, t: Translator) -> str:
    if not d.shown:
        return f"{title}: {d.note}"
    text = t.gettext(
        "%(area)s: median %(median)s, quartiles %(q1)s–%(q3)s",
        area=title,
        median=d.median_display,
        q1=d.lower_quartile_display,
        q3=d.upper_quartile_display,
    )
    if d.minimum is not None:
        text += t.gettext(", range %(min)s–%(max)s", min=d.minimum_display, max=d.maximum_display)
    return text


def distribution_chart(view: CampaignView, t: Translator) -> str:
    rows = [(t.gettext("Overall score"), view.overall)] + [
        (f"{a.index}. {a.title}", a.distribution) for a in view.areas
    ]
    label_width, row_height, top = 200.0, 34.0, 24.0
    plot = WIDTH - label_width - 20
    height = top + row_height * len(rows) + 10
    desc = "; ".join(_describe(title, d, t) for title, d in rows)
    out = _open_svg(
        f"distribution-{view.id}",
        WIDTH,
        height,
        t.gettext("Distribution of the members' scores by area"),
        desc,
    )

    def x_of(value: float) -> float:
        return label_width + plot * clamp(value) / 100

    for level in (0, 20, 40, 60, 80, 100):
        x = x_of(level)
        out.append(
            f'<line x1="{num(x)}" y1="{num(top - 4)}" x2="{num(x)}" y2="{num(height - 8)}" '
            f'stroke="{GRID_COLOUR}" stroke-width="1"/>'
        )
        out.append(_text(x, top - 8, f"{level}%", anchor="middle", size=10, fill=MUTED))
    for i, (title, d) in enumerate(rows):
        y = top + i * row_height + row_height / 2
        lines = wrap(title, 30, 2)
        for j, line in enumerate(lines):
            out.append(_text(4, y - 2 + (j - (len(lines) - 1) / 2) * 12 + 4, line, size=10.5))
        if not d.shown:
            out.append(_text(label_width + 6, y + 4, t.gettext("not shown"), size=10.5, fill=MUTED))
            continue
        if d.minimum is not None and d.maximum is not None:
            out.append(
                f'<line x1="{num(x_of(d.minimum))}" y1="{num(y)}" x2="{num(x_of(d.maximum))}" '
                f'y2="{num(y)}" stroke="{AXIS_COLOUR}" stroke-width="1.5"/>'
            )
        q1, q3 = d.lower_quartile or 0.0, d.upper_quartile or 0.0
        out.append(
            f'<rect x="{num(x_of(q1))}" y="{num(y - 9)}" '
            f'width="{num(max(2.0, x_of(q3) - x_of(q1)))}" '
            f'height="18" fill="#dbe8f1" stroke="{COLOURS[0]}" stroke-width="1.2"/>'
        )
        median = x_of(d.median or 0.0)
        out.append(
            f'<line x1="{num(median)}" y1="{num(y - 11)}" x2="{num(median)}" y2="{num(y + 11)}" '
            f'stroke="#000000" stroke-width="2.5"><title>{esc(d.median_display)}</title></line>'
        )
    out.append("</svg>")
    return "".join(out)
