"""Build the one result model (`result_view.ResultView`) of an audit in one language.

Plain Python only: the caller (services/result_model.py for stored audits, the CLI for
an answers file) gathers the inputs; `present` computes every figure, ranking and
sentence that any output shows. Rules: scoring in `domain.scoring`, rankings and where
to start in `domain.ranking`, the comparison in `domain.compare`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from audit_app.domain.answer_text import (
    Wording,
    answer_words,
    language_note,
    status_label,
    verdict_label,
)
from audit_app.domain.answers import AnswerValue
from audit_app.domain.compare import Side
from audit_app.domain.history import AuditFacts, comparison_view, trend_view
from audit_app.domain.questionnaire import Questionnaire
from audit_app.domain.ranking import AreaFigures, start_area, start_key, strongest_and_weakest
from audit_app.domain.recommendations import recommend
from audit_app.domain.result_view import (
    ActionView,
    AreaRef,
    AreaView,
    ContactView,
    Headline,
    LevelView,
    QuestionView,
    RecommendationView,
    ResultView,
    StartView,
)
from audit_app.domain.roadmap import recommendation_views, roadmap
from audit_app.domain.scoring import SCORING_RULE, AuditResult
from audit_app.domain.scoring_text import fmt, fmt_percent

FIRST_ACTIONS = 5


@dataclass(frozen=True)
class StoredAnswer:
    value: AnswerValue
    note: str = ""
    evidence: str = ""


@dataclass(frozen=True)
class PresentInput:
    questionnaire: Questionnaire
    result: AuditResult
    answers: Mapping[str, StoredAnswer]
    preview: bool = False
    this: AuditFacts | None = None  # None for an answers file scored on the command line
    earlier: Sequence[AuditFacts] = ()  # submitted audits of the questionnaire, oldest first
    previous: AuditFacts | None = None  # the audit to compare with (default earlier[-1])
    contacts: Mapping[str, list[ContactView]] = field(default_factory=dict)
    perception: dict[str, Any] | None = None
    actions: Mapping[str, list[ActionView]] = field(default_factory=dict)  # recommendation id
    files: Mapping[str, list[str]] = field(default_factory=dict)  # question id -> file names


def present(data: PresentInput, t: Wording) -> ResultView:
    questionnaire, result = data.questionnaire, data.result
    items = recommend(questionnaire, result)
    areas = _areas(data, t)
    figures = [
        AreaFigures(
            a.id,
            a.index,
            a.percent,
            a.weight,
            a.gap,
            any(q.critical_failure for q in a.questions),
        )
        for a in areas
        if a.percent is not None
    ]
    strong, weak = strongest_and_weakest(figures)
    first = start_area(figures)
    marks = {
        "strongest": {f.id for f in strong},
        "weakest": {f.id for f in weak},
        "start": {first.id} if first else set(),
    }
    areas = [_marked(a, marks) if any(a.id in ids for ids in marks.values()) else a for a in areas]
    by_id = {a.id: a for a in areas}
    start = _start(by_id[first.id], first, t) if first else None
    recommendations = recommendation_views(items, questionnaire, areas, start, data.actions, t)
    in_start = [r for r in recommendations if r.in_start_area]
    first_actions = (in_start + [r for r in recommendations if not r.in_start_area])[:FIRST_ACTIONS]
    previous = data.previous or (data.earlier[-1] if data.earlier else None)
    current = Side(questionnaire, result, {k: v.value for k, v in data.answers.items()})
    headline = _headline(questionnaire, result, t)
    return ResultView(
        lang=t.lang,
        preview=data.preview,
        questionnaire_id=questionnaire.id,
        questionnaire_version=questionnaire.version,
        questionnaire_title=questionnaire.title.get(t.lang),
        result=headline,
        dimensions=areas,
        strongest=[_ref(by_id[f.id]) for f in strong],
        weakest=[_ref(by_id[f.id]) for f in weak],
        start=start,
        verdict_sentence=_verdict_sentence(headline, start, t),
        decisions=_decisions(areas, start, first_actions, headline, t),
        recommendations=recommendations,
        first_actions=first_actions,
        roadmap=roadmap(recommendations, t),
        comparison=(
            comparison_view(previous, data.this, current, t)
            if previous is not None and data.this is not None
            else None
        ),
        trend=trend_view(data.earlier, data.this, current, t),
        perception=data.perception,
    )


# --- the headline ------------------------------------------------------------------------


def _level(questionnaire: Questionnaire, level_id: str | None, lang: str) -> LevelView:
    level = next((lv for lv in questionnaire.levels if lv.id == level_id), None)
    if level is None:
        return LevelView("", "—", "")
    description = level.description.get(lang) if level.description else ""
    return LevelView(level.id, level.label.get(lang), description, level.min, fmt(level.min, lang))


def _headline(questionnaire: Questionnaire, result: AuditResult, t: Wording) -> Headline:
    lang = t.lang
    best = result.best_case if result.rule >= SCORING_RULE else None
    return Headline(
        overall=result.overall,
        overall_display=fmt_percent(result.overall, lang),
        best_case=best,
        best_case_display=fmt_percent(best, lang) if best is not None else "",
        best_case_sentence=(
            t.ngettext(
                "Up to %(score)s if the %(num)d unknown answer turns out best.",
                "Up to %(score)s if the %(num)d unknown answers turn out best.",
                result.unknown,
                score=fmt_percent(best, lang),
            )
            if best is not None and result.unknown
            else ""
        ),
        unknown=result.unknown,
        level=_level(questionnaire, result.level_id, lang),
        levels=[_level(questionnaire, lv.id, lang) for lv in questionnaire.levels],
        verdict=result.verdict,
        verdict_label=verdict_label(result.verdict, t),
        reasons=[r.get(lang) for r in result.verdict_reasons],
        provisional=result.provisional,
        coverage=result.coverage,
        coverage_display=fmt_percent(result.coverage, lang),
        coverage_explanation=result.coverage_explanation.get(lang),
        explanation=result.explanation.get(lang),
        target=result.target,
        target_display=fmt_percent(result.target, lang) if result.target is not None else "",
        gap=result.gap,
        gap_display=fmt(result.gap, lang) if result.gap is not None else "",
        critical_failures=len(result.critical_failures),
        rule=result.rule,
        rule_note=(
            t.gettext(
                "Scored under the rule in force before December 2026: “don't know” answers "
                "were left out of the averages, which could make the score higher than "
                "under today's rule. Comparisons re-score it under today's rule."
            )
            if result.rule < SCORING_RULE
            else ""
        ),
    )


# --- areas and questions ------------------------------------------------------------------


def _areas(data: PresentInput, t: Wording) -> list[AreaView]:
    lang = t.lang
    questionnaire, result = data.questionnaire, data.result
    areas = []
    for s_index, section in enumerate(questionnaire.sections, start=1):
        score = result.section(section.id)
        questions = []
        for q_index, question in enumerate(section.questions, start=1):
            q_score = result.question(question.id)
            stored = data.answers.get(question.id)
            status = q_score.status if q_score else "unanswered"
            if status == "scored" and q_score is not None:
                answer, meaning = answer_words(question, q_score.answer, t)
            elif status == "unscored" and stored is not None and stored.value:
                answer, meaning = answer_words(question, stored.value, t)
            else:
                answer, meaning = status_label(status, t), ""
            percent = q_score.percent if q_score else None
            note = (stored.note if stored else "") or ""
            evidence = (stored.evidence if stored else "") or ""
            questions.append(
                QuestionView(
                    id=question.id,
                    number=f"{s_index}.{q_index}",
                    text=question.text.get(lang),
                    help=question.help.get(lang) if question.help else "",
                    critical=question.critical,
                    critical_failure=question.id in result.critical_failures,
                    weight=question.weight,
                    weight_display=fmt(question.weight, lang),
                    status=status,
                    status_label=status_label(status, t),
                    answer=answer,
                    meaning=meaning,
                    percent=percent,
                    percent_display=fmt_percent(percent, lang),
                    explanation=q_score.explanation.get(lang) if q_score else "",
                    note=note,
                    evidence=evidence,
                    contacts=list(data.contacts.get(question.id, [])),
                    files=list(data.files.get(question.id, [])),
                    note_language=language_note(note, t),
                    evidence_language=language_note(evidence, t),
                )
            )
        percent = score.percent if score else None
        target = score.target if score else None
        gap = score.gap if score else None
        areas.append(
            AreaView(
                id=section.id,
                index=s_index,
                title=section.title.get(lang),
                description=section.description.get(lang) if section.description else "",
                percent=percent,
                percent_display=fmt_percent(percent, lang),
                target=target,
                target_display=fmt_percent(target, lang) if target is not None else "",
                gap=gap,
                gap_display=fmt(gap, lang) if gap is not None else "",
                weight=section.weight,
                weight_display=fmt(section.weight, lang),
                answered=score.answered if score else 0,
                total=score.total if score else 0,
                explanation=score.explanation.get(lang) if score else "",
                questions=[q for q in questions if q.status != "hidden"],
                all_questions=questions,
            )
        )
    return areas


def _marked(area: AreaView, marks: dict[str, set[str]]) -> AreaView:
    return replace(
        area,
        strongest=area.id in marks["strongest"],
        weakest=area.id in marks["weakest"],
        start=area.id in marks["start"],
    )


def _ref(area: AreaView) -> AreaRef:
    return AreaRef(area.id, area.index, area.title, area.percent, area.percent_display)


def _start(area: AreaView, figures: AreaFigures, t: Wording) -> StartView:
    critical, _gap, _score, _index = start_key(figures)
    if critical == 0:
        reason = t.gettext("A critical question in this area is below the threshold.")
    elif figures.gap:
        reason = t.gettext(
            "The largest gap to the target: %(gap)s percentage points below %(target)s.",
            gap=area.gap_display,
            target=area.target_display,
        )
    else:
        reason = t.gettext("The lowest score of all areas: %(score)s.", score=area.percent_display)
    return StartView(
        area=_ref(area),
        reason=reason,
        sentence=t.gettext("Start with “%(area)s”.", area=area.title),
    )


def _verdict_sentence(headline: Headline, start: StartView | None, t: Wording) -> str:
    values = {"score": headline.overall_display, "level": headline.level.label}
    if headline.verdict == "ready":
        sentence = t.gettext(
            "The organisation is ready to implement a CRM system (overall score %(score)s, "
            "level “%(level)s”).",
            **values,
        )
    elif headline.verdict == "conditional":
        sentence = t.gettext(
            "The organisation can implement a CRM system once the gaps below are closed "
            "(overall score %(score)s, level “%(level)s”).",
            **values,
        )
    else:
        sentence = t.gettext(
            "The organisation is not ready to implement a CRM system yet: the basics must "
            "come first (overall score %(score)s, level “%(level)s”).",
            **values,
        )
    if start is not None:
        sentence += " " + start.sentence
    if headline.provisional:
        sentence += " " + t.gettext(
            "The result is provisional: too many answers are missing or unknown."
        )
    return sentence


MAX_DECISIONS = 4


def _decisions(
    areas: list[AreaView],
    start: StartView | None,
    first_actions: list[RecommendationView],
    headline: Headline,
    t: Wording,
) -> list[str]:
    """What leadership is asked to decide: each critical failure, then the start area,
    then (for a provisional result) finding out the unknown answers."""
    decisions = [
        t.gettext(
            "Decide who fixes “%(question)s” (a critical question at %(score)s) and by when.",
            question=question.text,
            score=question.percent_display,
        )
        for area in areas
        for question in area.questions
        if question.critical_failure
    ]
    if start is not None:
        decisions.append(
            t.ngettext(
                "Name an owner for “%(area)s” and approve its first action.",
                "Name an owner for “%(area)s” and approve its first %(num)d actions.",
                sum(1 for r in first_actions if r.in_start_area) or 1,
                area=start.area.title,
            )
        )
    if headline.provisional or headline.unknown:
        decisions.append(
            t.ngettext(
                "Have the %(num)d unknown answer established before relying on the result.",
                "Have the %(num)d unknown answers established before relying on the result.",
                headline.unknown,
            )
            if headline.unknown
            else t.gettext("Have the missing answers given before relying on the result.")
        )
    return decisions[:MAX_DECISIONS]
