"""Recommendations derived from a scored audit: which fire, priority, category, order.

Plain Python only.

* A question (section) recommendation fires when the question's (section's) percent
  is strictly below its `below`. Questions without a percent (don't know, n/a,
  unanswered, hidden) fire no question recommendation.
* Each question answered don't know (and visible) yields a synthetic
  "establish the facts" item `facts-<question id>` (impact medium, effort low).
* priority = (100 - percent) / 100 x weight x (1.5 if critical) x impact factor
  (low 1, medium 2, high 3); section items use the section weight and no critical
  factor; facts items use percent 0.
* Order: category (quick_win, major_project, fill_in, thankless), then priority
  descending, then file order (a section's items precede its questions' items).
  If question A `requires` B and both have items, A's items are placed after all
  of B's items and carry `blocked_by=("B",)`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Literal

from audit_app.domain.answers import AnswerValue
from audit_app.domain.questionnaire import Level3, Question, Questionnaire, Recommendation, Text
from audit_app.domain.scoring import (
    AuditResult,
    QuestionScore,
    known_fields,
    text_from_json,
    to_json,
)

Scope = Literal["question", "section", "facts"]
Category = Literal["quick_win", "major_project", "fill_in", "thankless"]
CATEGORIES: tuple[Category, ...] = ("quick_win", "major_project", "fill_in", "thankless")
IMPACT_FACTOR: dict[str, float] = {"low": 1.0, "medium": 2.0, "high": 3.0}
CRITICAL_FACTOR = 1.5


@dataclass(frozen=True)
class Trigger:
    """An answer behind a recommendation (percent None for don't know)."""

    question_id: str
    answer: AnswerValue
    percent: float | None


@dataclass(frozen=True)
class RecommendationItem:
    id: str
    scope: Scope
    target_id: str  # question id (question, facts) or section id (section)
    section_id: str
    text: Text
    impact: Level3
    effort: Level3
    category: Category
    priority: float
    blocked_by: tuple[str, ...]  # prerequisite question ids
    triggered_by: tuple[Trigger, ...]
    horizon: Text | None = None  # the recommendation's optional "first step"
    title: Text | None = None  # the questionnaire's short heading, when it has one


def category_for(impact: Level3, effort: Level3) -> Category:
    if impact == "low":
        return "fill_in" if effort == "low" else "thankless"
    return "quick_win" if effort == "low" else "major_project"


def priority_for(percent: float, weight: float, critical: bool, impact: Level3) -> float:
    factor = CRITICAL_FACTOR if critical else 1.0
    return (100.0 - percent) / 100.0 * weight * factor * IMPACT_FACTOR[impact]


def facts_text(question: Question) -> Text:
    return Text(
        pl=(
            f"Ustal fakty: na pytanie „{question.text.pl}” odpowiedziano „nie wiem”. "
            "Zbierz informacje i uzupełnij odpowiedź."
        ),
        en=(
            f"Establish the facts: “{question.text.en}” was answered “don't know”. "
            "Gather the information and update the answer."
        ),
    )


def _item(
    rec: Recommendation,
    scope: Scope,
    target_id: str,
    section_id: str,
    priority: float,
    triggers: Sequence[Trigger],
) -> RecommendationItem:
    return RecommendationItem(
        id=rec.id,
        scope=scope,
        target_id=target_id,
        section_id=section_id,
        text=rec.text,
        impact=rec.impact,
        effort=rec.effort,
        category=category_for(rec.impact, rec.effort),
        priority=priority,
        blocked_by=(),
        triggered_by=tuple(triggers),
        horizon=rec.horizon,
        title=rec.title,
    )


def _trigger(score: QuestionScore) -> Trigger:
    return Trigger(score.question_id, score.answer, score.percent)


def _fired(questionnaire: Questionnaire, result: AuditResult) -> list[RecommendationItem]:
    """Every fired item, in file order."""
    items: list[RecommendationItem] = []
    for section in questionnaire.sections:
        section_score = result.section(section.id)
        percent = section_score.percent if section_score else None
        if section_score is not None and percent is not None:
            scored = [
                q
                for q in (result.question(x.id) for x in section.questions)
                if q is not None and q.percent is not None
            ]
            for rec in section.recommendations:
                if percent < rec.below:
                    below = [q for q in scored if q.percent is not None and q.percent < rec.below]
                    below.sort(key=lambda q: q.percent or 0.0)  # stable: file order on ties
                    priority = priority_for(percent, section_score.weight, False, rec.impact)
                    items.append(
                        _item(
                            rec,
                            "section",
                            section.id,
                            section.id,
                            priority,
                            [_trigger(q) for q in below],
                        )
                    )
        for question in section.questions:
            items.extend(_question_items(question, section.id, result.question(question.id)))
    return items


def _question_items(
    question: Question, section_id: str, score: QuestionScore | None
) -> list[RecommendationItem]:
    if score is None:
        return []
    if score.status == "dont_know":
        return [
            RecommendationItem(
                id=f"facts-{question.id}",
                scope="facts",
                target_id=question.id,
                section_id=section_id,
                text=facts_text(question),
                impact="medium",
                effort="low",
                category=category_for("medium", "low"),
                priority=priority_for(0.0, score.weight, score.critical, "medium"),
                blocked_by=(),
                triggered_by=(_trigger(score),),
            )
        ]
    percent = score.percent
    if percent is None:
        return []
    return [
        _item(
            rec,
            "question",
            question.id,
            section_id,
            priority_for(percent, score.weight, score.critical, rec.impact),
            [_trigger(score)],
        )
        for rec in question.recommendations
        if percent < rec.below
    ]


def recommend(questionnaire: Questionnaire, result: AuditResult) -> list[RecommendationItem]:
    """The fired recommendations of `result`, ordered (see the module docstring)."""
    fired = _fired(questionnaire, result)
    with_items = {i.target_id for i in fired if i.scope != "section"}
    requires = {q.id: q.requires for q in questionnaire.questions if q.requires}
    linked: list[RecommendationItem] = []
    for item in fired:
        prerequisite = requires.get(item.target_id) if item.scope != "section" else None
        if prerequisite and prerequisite != item.target_id and prerequisite in with_items:
            item = replace(item, blocked_by=(prerequisite,))
        linked.append(item)

    ranked = sorted(
        enumerate(linked),
        key=lambda pair: (CATEGORIES.index(pair[1].category), -pair[1].priority, pair[0]),
    )
    remaining = [item for _, item in ranked]
    pending = Counter(i.target_id for i in linked if i.scope != "section")
    ordered: list[RecommendationItem] = []
    while remaining:
        index = next(
            (
                n
                for n, item in enumerate(remaining)
                if all(pending[b] == 0 for b in item.blocked_by)
            ),
            0,  # a `requires` cycle: fall back to the best remaining item
        )
        item = remaining.pop(index)
        ordered.append(item)
        if item.scope != "section":
            pending[item.target_id] -= 1
    return ordered


# --- JSON round trip -------------------------------------------------------------


def item_to_dict(item: RecommendationItem) -> dict[str, Any]:
    data: dict[str, Any] = to_json(item)
    return data


def item_from_dict(data: Mapping[str, Any]) -> RecommendationItem:
    values = known_fields(RecommendationItem, data)
    values["text"] = text_from_json(data.get("text"))
    horizon = data.get("horizon")
    values["horizon"] = text_from_json(horizon) if horizon is not None else None
    title = data.get("title")
    values["title"] = text_from_json(title) if title is not None else None
    values["blocked_by"] = tuple(data.get("blocked_by", ()))
    values["triggered_by"] = tuple(
        Trigger(**known_fields(Trigger, t)) for t in data.get("triggered_by", ())
    )
    return RecommendationItem(**values)


def items_to_dicts(items: Sequence[RecommendationItem]) -> list[dict[str, Any]]:
    return [item_to_dict(item) for item in items]


def items_from_dicts(data: Sequence[Mapping[str, Any]]) -> list[RecommendationItem]:
    return [item_from_dict(d) for d in data]
