"""Charts of the one result model, shared by the results page and the reports.

Kept apart from `pdf.py` so that a web page can draw them without importing WeasyPrint.
"""

from __future__ import annotations

from typing import Any

from audit_app.domain.answer_text import Wording
from audit_app.reporting import charts

MIN_RADAR_AXES = 4  # fewer areas are drawn as bars


def dimension_radar(
    dimensions: list[dict[str, Any]], t: Wording, *, name: str, chart_id: str
) -> str:
    """The radar of an audit's areas (the model's `dimensions` as JSON), with the target
    profile when there is one: the same chart on the results page and in the reports.
    With three areas or fewer a radar is only a line or a triangle: bars instead."""
    targets = [d["target"] for d in dimensions]
    has_target = any(v is not None for v in targets)
    if len(dimensions) <= MIN_RADAR_AXES - 1:
        return charts.bar_chart(
            [f"{d['index']}. {d['title']}" for d in dimensions],
            [d["percent"] for d in dimensions],
            targets if has_target else None,
            title=t.gettext("Scores by dimension"),
            target_name=t.gettext("Target"),
            no_data=t.gettext("no data"),
            lang=t.lang,
            chart_id=chart_id,
        )
    return charts.radar_chart(
        [(f"{d['index']}. {d['title']}", d["percent"]) for d in dimensions],
        target=targets if has_target else None,
        name=name,
        title=t.gettext("Scores by dimension"),
        target_name=t.gettext("Target"),
        no_data=t.gettext("no data"),
        lang=t.lang,
        chart_id=chart_id,
    )
