"""The results page of an audit: the one result model plus what only the page needs
(the audit's actions as editable rows, evidence links that can be removed, the radar).

Every figure, ranking and sentence on the page is the model's (`services.result_model`).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from audit_app.domain.result_view import RecommendationView, ResultView, RoadmapPhase
from audit_app.domain.scoring import to_json
from audit_app.models import Action, Audit, Organisation
from audit_app.reporting.benchmark_chart import benchmark_chart
from audit_app.reporting.result_charts import dimension_radar
from audit_app.services.evidence import evidence_for
from audit_app.services.result_model import result_model
from audit_app.wording import translator


@dataclass
class ResultsPage:
    audit: Audit
    organisation: Organisation
    model: ResultView
    radar_svg: str
    benchmark_svg: str
    actions: dict[str, list[Action]]  # recommendation id -> its actions
    other_actions: list[Action]  # actions whose recommendation no longer fires
    # Contact-register interactions linked as evidence, per question (services/evidence.py).
    evidence: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    # The roadmap as the filters (area, horizon) leave it; the model's own when unfiltered.
    roadmap: list[RoadmapPhase] = field(default_factory=list)
    area: str = ""  # the area filter ("" for all)
    horizon: str = ""  # the horizon filter: a roadmap phase id ("" for all)
    areas: list[tuple[str, str]] = field(default_factory=list)  # (id, title) with a recommendation


def filtered_roadmap(model: ResultView, area: str, horizon: str) -> list[RoadmapPhase]:
    """The model's roadmap phases and items, only of one area and/or one horizon (phase);
    numbers and order stay the model's."""

    def keep(item: RecommendationView) -> bool:
        return not area or item.area_id == area

    return [
        RoadmapPhase(
            phase.id, phase.title, phase.horizon, phase.intro, [i for i in phase.items if keep(i)]
        )
        for phase in model.roadmap
        if not horizon or phase.id == horizon
    ]


def results_page(audit: Audit, lang: str, *, area: str = "", horizon: str = "") -> ResultsPage:
    model = result_model(audit, lang)
    areas = list(dict.fromkeys((r.area_id, r.dimension) for r in model.recommendations))
    area = area if area in {a for a, _title in areas} else ""
    horizon = horizon if horizon in {p.id for p in model.roadmap} else ""
    fired = {r.id for r in model.recommendations}
    actions: dict[str, list[Action]] = defaultdict(list)
    for action in sorted(audit.actions, key=lambda a: a.id):
        actions[action.recommendation_id].append(action)
    t = translator(lang)
    name = t.gettext("Preview (in progress)") if model.preview else t.gettext("This audit")
    return ResultsPage(
        audit=audit,
        organisation=audit.organisation,
        model=model,
        radar_svg=dimension_radar(
            to_json(model.dimensions), t, name=name, chart_id="radar-results"
        ),
        benchmark_svg=benchmark_chart(to_json(model.benchmark), t, chart_id="benchmark-results"),
        actions=actions,
        other_actions=[
            action for key, items in sorted(actions.items()) if key not in fired for action in items
        ],
        evidence=evidence_for(audit),
        roadmap=filtered_roadmap(model, area, horizon),
        area=area,
        horizon=horizon,
        areas=areas,
    )
