"""View models of an audit's results: questionnaire + result + recommendations + actions.

Plain dataclasses, built once per page (web) or report (PDF). The result is the
frozen one for a submitted audit and a live, provisional preview while in progress
(`services.audits.current_result`); the questionnaire is always the stored version the
audit was answered with.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Literal

from flask_babel import gettext

from audit_app.domain.answers import AnswerValue, band_for, is_number
from audit_app.domain.questionnaire import (
    DONT_KNOW,
    NOT_APPLICABLE,
    Level,
    Question,
    Questionnaire,
    Section,
    Text,
)
from audit_app.domain.recommendations import CATEGORIES, Category, RecommendationItem, recommend
from audit_app.domain.scoring import AuditResult, QuestionScore, SectionScore
from audit_app.models import Action, Answer, Audit, Organisation
from audit_app.reporting.charts import radar_chart
from audit_app.services.audits import current_result, questionnaire_for
from audit_app.services.evidence import evidence_for

AnswerKind = Literal["none", "dont_know", "na", "option", "options", "number", "text"]


@dataclass(frozen=True)
class AnswerLabel:
    """An answer as the reader sees it; `kind` says how to render it."""

    kind: AnswerKind
    options: tuple[Text, ...] = ()  # option / options: the chosen options' labels
    number: float | None = None
    unit: Text | None = None
    band: Text | None = None  # number: the band the value falls in
    text: str = ""  # free text, or an unknown value as stored


def answer_label(question: Question | None, value: AnswerValue) -> AnswerLabel:
    """Map a stored answer value to labels: option values become their labels."""
    if value is None or value == "" or value == []:
        return AnswerLabel("none")
    if question is None:
        return AnswerLabel("text", text=str(value))
    if question.type == "text":
        return AnswerLabel("text", text=str(value))
    if value == DONT_KNOW:
        return AnswerLabel("dont_know")
    if value == NOT_APPLICABLE:
        return AnswerLabel("na")
    by_value = {option.value: option for option in question.choices}
    if question.type == "multiple" and isinstance(value, list):
        chosen = set(value)
        labels = tuple(o.label for o in question.choices if o.value in chosen)
        unknown = [v for v in value if v not in by_value]
        return AnswerLabel("options", options=labels, text=", ".join(unknown))
    if question.type == "number" and is_number(value):
        band = band_for(question, value)
        return AnswerLabel(
            "number", number=float(value), unit=question.unit, band=band.label if band else None
        )
    if isinstance(value, str) and value in by_value:
        return AnswerLabel("option", options=(by_value[value].label,))
    return AnswerLabel("text", text=str(value))


@dataclass
class QuestionRow:
    number: int  # 1-based position in the questionnaire
    question: Question
    score: QuestionScore | None
    answer: AnswerLabel
    note: str
    evidence: str


@dataclass
class SectionBlock:
    section: Section
    score: SectionScore | None
    lowest: bool
    rows: list[QuestionRow]


@dataclass
class TriggerView:
    question_id: str
    question: Question | None
    answer: AnswerLabel
    percent: float | None


@dataclass
class RoadmapEntry:
    number: int
    item: RecommendationItem
    section: Section | None
    triggers: list[TriggerView]
    blocked_by: list[tuple[Question | None, str | None]]  # (question, its first item id)
    actions: list[Action]
    default_title: str  # the heading: first sentence (or the text cut short)
    rest: str  # the text after the heading (the whole text when the heading is cut)


@dataclass
class RoadmapGroup:
    category: Category
    entries: list[RoadmapEntry]


@dataclass
class ResultsView:
    audit: Audit
    organisation: Organisation
    questionnaire: Questionnaire
    result: AuditResult
    preview: bool  # in progress: live, provisional numbers
    level: Level | None
    lowest_section: Section | None
    blocks: list[SectionBlock]
    roadmap: list[RoadmapGroup]
    other_actions: list[Action]  # actions whose recommendation no longer fires
    radar_svg: str
    items: list[RecommendationItem] = field(default_factory=list)
    # Contact-register interactions linked as evidence, per question (services/evidence.py).
    evidence: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    @property
    def has_target(self) -> bool:
        return self.result.target is not None

    @property
    def recommendation_count(self) -> int:
        return sum(len(group.entries) for group in self.roadmap)


def level_of(questionnaire: Questionnaire, level_id: str | None) -> Level | None:
    return next((lv for lv in questionnaire.levels if lv.id == level_id), None)


def section_of(questionnaire: Questionnaire, section_id: str | None) -> Section | None:
    return next((s for s in questionnaire.sections if s.id == section_id), None)


SENTENCE_END = re.compile(r"[.!?](?=\s+[A-ZĄĆĘŁŃÓŚŹŻ„“\"(])")


def split_title(text: str, limit: int = 160) -> tuple[str, str]:
    """A heading for a recommendation and the text that follows it.

    The heading is the first sentence when it is at most `limit` characters (the rest
    follows it); otherwise the text cut at a word with an ellipsis (the full text
    follows). A sentence ends at . ! or ? followed by a capital letter, so "e.g. the"
    does not end one.
    """
    text = " ".join(text.split())
    match = SENTENCE_END.search(text)
    end = match.end() if match else len(text)
    if end <= limit:
        return text[:end], text[end:].strip()
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(",;:(") + "…"
    return cut, text


def short_title(text: str, limit: int = 160) -> str:
    """A default action title: the recommendation's heading."""
    return split_title(text, limit)[0]


def dimension_radar(
    questionnaire: Questionnaire,
    result: AuditResult,
    lang: str,
    *,
    name: str,
    chart_id: str = "radar-results",
) -> str:
    """The radar of an audit's dimensions, with the target profile when there is one."""
    axes = []
    targets: list[float | None] = []
    for section in questionnaire.sections:
        section_score = result.section(section.id)
        axes.append((section.title.get(lang), section_score.percent if section_score else None))
        targets.append(section_score.target if section_score else None)
    has_target = result.target is not None or any(t is not None for t in targets)
    return radar_chart(
        axes,
        target=targets if has_target else None,
        name=name,
        title=gettext("Scores by dimension"),
        no_data=gettext("no data"),
        target_name=gettext("Target"),
        lang=lang,
        chart_id=chart_id,
    )


def _answers(audit: Audit) -> dict[str, Answer]:
    return {answer.question_id: answer for answer in audit.answers}


def _blocks(
    questionnaire: Questionnaire, result: AuditResult, answers: dict[str, Answer]
) -> list[SectionBlock]:
    blocks = []
    number = 0
    for section in questionnaire.sections:
        rows = []
        for question in section.questions:
            number += 1
            stored = answers.get(question.id)
            rows.append(
                QuestionRow(
                    number=number,
                    question=question,
                    score=result.question(question.id),
                    answer=answer_label(question, stored.value if stored else None),
                    note=stored.note if stored else "",
                    evidence=stored.evidence if stored else "",
                )
            )
        blocks.append(
            SectionBlock(
                section=section,
                score=result.section(section.id),
                lowest=section.id == result.lowest_section_id,
                rows=rows,
            )
        )
    return blocks


def roadmap(
    questionnaire: Questionnaire,
    items: list[RecommendationItem],
    actions: list[Action],
    lang: str,
) -> tuple[list[RoadmapGroup], list[Action]]:
    """Items grouped by category (quick wins first) in `recommend`'s order, each with
    its actions; the second value holds actions whose recommendation did not fire."""
    by_item: dict[str, list[Action]] = defaultdict(list)
    for action in sorted(actions, key=lambda a: a.id):
        by_item[action.recommendation_id].append(action)
    first_item_of: dict[str, str] = {}
    for item in items:
        if item.scope != "section":
            first_item_of.setdefault(item.target_id, item.id)
    entries: dict[str, list[RoadmapEntry]] = defaultdict(list)
    fired = set()
    for item in items:
        fired.add(item.id)
        heading, rest = split_title(item.text.get(lang))
        entries[item.category].append(
            RoadmapEntry(
                number=0,
                item=item,
                section=section_of(questionnaire, item.section_id),
                triggers=[
                    TriggerView(
                        t.question_id,
                        questionnaire.question(t.question_id),
                        answer_label(questionnaire.question(t.question_id), t.answer),
                        t.percent,
                    )
                    for t in item.triggered_by
                ],
                blocked_by=[
                    (questionnaire.question(b), first_item_of.get(b)) for b in item.blocked_by
                ],
                actions=by_item.get(item.id, []),
                default_title=heading,
                rest=rest,
            )
        )
    groups = [RoadmapGroup(c, entries[c]) for c in CATEGORIES if entries.get(c)]
    number = 0
    for group in groups:  # number 1..n in the order shown
        for entry in group.entries:
            number += 1
            entry.number = number
    others = [a for a in sorted(actions, key=lambda a: a.id) if a.recommendation_id not in fired]
    return groups, others


def results_view(audit: Audit, lang: str) -> ResultsView:
    questionnaire = questionnaire_for(audit)
    result = current_result(audit)
    preview = audit.status != "submitted"
    items = recommend(questionnaire, result)
    groups, others = roadmap(questionnaire, items, list(audit.actions), lang)
    name = gettext("Preview (in progress)") if preview else gettext("This audit")
    return ResultsView(
        audit=audit,
        organisation=audit.organisation,
        questionnaire=questionnaire,
        result=result,
        preview=preview,
        level=level_of(questionnaire, result.level_id),
        lowest_section=section_of(questionnaire, result.lowest_section_id),
        blocks=_blocks(questionnaire, result, _answers(audit)),
        roadmap=groups,
        other_actions=others,
        radar_svg=dimension_radar(questionnaire, result, lang, name=name),
        items=items,
        evidence=evidence_for(audit),
    )
