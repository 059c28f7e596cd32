"""The recommendations of the one result model: numbered in roadmap order, each with its
heading, triggers and agreed actions, and the roadmap's three phases.

Plain Python only; called by `domain.present`."""

from __future__ import annotations

import re
from collections.abc import Mapping

from audit_app.domain.answer_text import Wording, answer_words, category_label, level_label
from audit_app.domain.questionnaire import Questionnaire
from audit_app.domain.recommendations import RecommendationItem, Trigger
from audit_app.domain.result_view import (
    ActionView,
    AreaView,
    QuestionView,
    RecommendationView,
    RoadmapPhase,
    StartView,
    TriggerView,
)
from audit_app.domain.scoring_text import fmt, fmt_percent

PHASES = (
    ("quick_wins", ("quick_win",)),
    ("major_projects", ("major_project",)),
    ("later", ("fill_in", "thankless")),
)
PHASE_OF = {category: n for n, (_id, categories) in enumerate(PHASES) for category in categories}

SENTENCE_END = re.compile(r"[.!?](?=\s+[A-ZĄĆĘŁŃÓŚŹŻ„“\"(])")


def split_title(text: str, limit: int = 160) -> tuple[str, str]:
    """A heading for a recommendation and the text that follows it.

    The heading is the first sentence when it is at most `limit` characters (the rest
    follows it); otherwise the text cut at a word with an ellipsis (the full text
    follows). A sentence ends at . ! or ? followed by a capital letter."""
    text = " ".join(text.split())
    match = SENTENCE_END.search(text)
    end = match.end() if match else len(text)
    if end <= limit:
        return text[:end], text[end:].strip()
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(",;:(") + "…"
    return cut, text


def recommendation_views(
    items: list[RecommendationItem],
    questionnaire: Questionnaire,
    areas: list[AreaView],
    start: StartView | None,
    actions: Mapping[str, list[ActionView]],
    t: Wording,
) -> list[RecommendationView]:
    lang = t.lang
    numbers = {q.id: q.number for a in areas for q in a.all_questions}
    questions = {q.id: q for a in areas for q in a.all_questions}
    titles = {a.id: a.title for a in areas}
    first_of: dict[str, str] = {}
    for item in items:
        if item.scope != "section":
            first_of.setdefault(item.target_id, item.id)
    # Numbered in the order the roadmap shows them: phase by phase, `recommend`'s order within.
    items = sorted(items, key=lambda i: PHASE_OF[i.category])
    views = []
    for number, item in enumerate(items, start=1):
        title, rest = (
            (item.title.get(lang), item.text.get(lang))
            if item.title
            else split_title(item.text.get(lang))
        )
        views.append(
            RecommendationView(
                id=item.id,
                number=number,
                scope=item.scope,
                title=title,
                rest=rest,
                text=item.text.get(lang),
                horizon=item.horizon.get(lang) if item.horizon else "",
                impact=item.impact,
                impact_label=level_label(item.impact, t),
                effort=item.effort,
                effort_label=level_label(item.effort, t),
                category=item.category,
                category_label=category_label(item.category, t),
                priority=item.priority,
                priority_display=fmt(item.priority, lang),
                area_id=item.section_id,
                dimension=titles.get(item.section_id, ""),
                questions=[numbers.get(tr.question_id, tr.question_id) for tr in item.triggered_by],
                after=[numbers.get(b, b) for b in item.blocked_by],
                after_ids=[first_of[b] for b in item.blocked_by if b in first_of],
                triggers=[_trigger(tr, questionnaire, questions, t) for tr in item.triggered_by],
                in_start_area=start is not None and item.section_id == start.area.id,
                actions=list(actions.get(item.id, [])),
            )
        )
    return views


def _trigger(
    trigger: Trigger, questionnaire: Questionnaire, questions: dict[str, QuestionView], t: Wording
) -> TriggerView:
    shown = questions.get(trigger.question_id)
    return TriggerView(
        number=shown.number if shown else trigger.question_id,
        text=shown.text if shown else "",
        answer=answer_words(questionnaire.question(trigger.question_id), trigger.answer, t)[0],
        percent_display=fmt_percent(trigger.percent, t.lang),
    )


def roadmap(recommendations: list[RecommendationView], t: Wording) -> list[RoadmapPhase]:
    words = {
        "quick_wins": (
            t.gettext("Quick wins"),
            t.gettext("start within 3 months"),
            t.gettext("High or medium impact for little effort: start here."),
        ),
        "major_projects": (
            t.gettext("Major projects"),
            t.gettext("start within 3–12 months"),
            t.gettext("High or medium impact that needs planning, a budget and an owner."),
        ),
        "later": (
            t.gettext("Later improvements"),
            t.gettext("when capacity allows"),
            t.gettext("Low impact: do them alongside other work or when the main steps are done."),
        ),
    }
    return [
        RoadmapPhase(key, *words[key], [r for r in recommendations if r.category in categories])
        for key, categories in PHASES
    ]
