"""The trend over an organisation's audits and the comparison with the previous one,
as parts of the one result model. Every audit is taken under today's scoring rule.

Plain Python only; the comparison itself is `domain.compare`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from audit_app.domain.answer_text import (
    Wording,
    answer_words,
    category_label,
    direction_label,
    status_label,
    verdict_label,
)
from audit_app.domain.compare import Delta, Side, compare, under_current_rule
from audit_app.domain.questionnaire import Questionnaire
from audit_app.domain.recommendations import recommend
from audit_app.domain.result_view import (
    AreaChange,
    ComparisonView,
    QuestionChange,
    RecommendationChange,
    SideView,
    TrendPoint,
    TrendRow,
    TrendView,
)
from audit_app.domain.scoring import SCORING_RULE, QuestionScore
from audit_app.domain.scoring_text import fmt, fmt_percent


@dataclass(frozen=True)
class AuditFacts:
    """A stored audit as the model needs it: its identity, dates in words, and answers."""

    audit_id: int
    iso: str  # the local day it counts as taken, YYYY-MM-DD
    date: str  # that day in words ("6 gru 2026")
    date_short: str
    side: Side  # questionnaire, stored result, answer values


def signed(value: float | None, lang: str) -> str:
    """A change in percentage points with its sign: "+5", "−2,5", "±0"; "" for none."""
    if value is None:
        return ""
    text = fmt(abs(value), lang)
    if text == "0":
        return "±0"
    return ("+" if value > 0 else "−") + text


def _level_label(questionnaire: Questionnaire, level_id: str | None, lang: str) -> str:
    level = next((lv for lv in questionnaire.levels if lv.id == level_id), None)
    return level.label.get(lang) if level else "—"


def trend_view(
    earlier: Sequence[AuditFacts], this: AuditFacts | None, current: Side, t: Wording
) -> TrendView:
    lang = t.lang
    facts = [*earlier, *([this] if this else [])]
    rescored = any(f.side.result.rule < SCORING_RULE for f in facts)
    points: list[TrendPoint] = []
    previous: float | None = None
    for item in facts:
        side = under_current_rule(current if this and item is this else item.side)
        result = side.result
        overall = result.overall
        delta = None if previous is None or overall is None else overall - previous
        points.append(
            TrendPoint(
                audit_id=item.audit_id,
                iso=item.iso,
                date=item.date,
                date_short=item.date_short,
                overall=overall,
                overall_display=fmt_percent(overall, lang),
                delta_display=signed(delta, lang),
                verdict=result.verdict,
                verdict_label=verdict_label(result.verdict, t),
                level=_level_label(side.questionnaire, result.level_id, lang),
                sections={s.section_id: s.percent for s in result.sections},
                current=this is not None and item is this,
            )
        )
        previous = overall if overall is not None else previous
    rows = []
    for section in current.questionnaire.sections:
        values = [p.sections.get(section.id) for p in points]
        known = [v for v in values if v is not None]
        change = known[-1] - known[0] if len(known) > 1 else None
        rows.append(
            TrendRow(
                id=section.id,
                title=section.title.get(lang),
                values=[fmt_percent(v, lang) for v in values],
                change=signed(change, lang),
            )
        )
    note = t.gettext("Earlier audits are shown as scored under today's rule.") if rescored else ""
    return TrendView(points=points, dimensions=rows, has_history=len(points) > 1, note=note)


def _side_view(facts: AuditFacts, side: Side, t: Wording) -> SideView:
    lang = t.lang
    result = side.result
    return SideView(
        audit_id=facts.audit_id,
        date=facts.date,
        questionnaire=f"{side.questionnaire.title.get(lang)} {side.questionnaire.version}",
        overall=result.overall,
        overall_display=fmt_percent(result.overall, lang),
        verdict=result.verdict,
        verdict_label=verdict_label(result.verdict, t),
        level=_level_label(side.questionnaire, result.level_id, lang),
        coverage_display=fmt_percent(result.coverage, lang),
    )


def _answer(questionnaire: Questionnaire, score: QuestionScore | None, t: Wording) -> str:
    if score is None:
        return status_label("unanswered", t)
    if score.status != "scored":
        return status_label(score.status, t)
    return answer_words(questionnaire.question(score.question_id), score.answer, t)[0]


def comparison_view(
    previous: AuditFacts, this: AuditFacts, current: Side, t: Wording
) -> ComparisonView:
    """`this` audit (as `current`) against `previous`; either may be the earlier one."""
    lang = t.lang
    here = replace(this, side=current)
    first, second = sorted((previous, here), key=lambda f: (f.iso, f.audit_id))
    before, after = under_current_rule(first.side), under_current_rule(second.side)
    result = compare(before, after)
    titles = {s.id: s.title.get(lang) for s in before.questionnaire.sections}
    titles.update({s.id: s.title.get(lang) for s in after.questionnaire.sections})
    index = {s.id: n for n, s in enumerate(after.questionnaire.sections, start=1)}
    areas = [
        _area_change(s.section_id, index.get(s.section_id, 0), titles[s.section_id], s.delta, t)
        for s in result.sections
    ]
    numbers = {
        q.id: f"{si}.{qi}"
        for si, s in enumerate(after.questionnaire.sections, start=1)
        for qi, q in enumerate(s.questions, start=1)
    }
    changes = []
    for change in result.questions:
        b, a = change.before, change.after
        if b is not None and a is not None and (b.answer, b.status) == (a.answer, a.status):
            continue
        question = after.questionnaire.question(change.question_id)
        changes.append(
            QuestionChange(
                number=numbers.get(change.question_id, change.question_id),
                text=question.text.get(lang) if question else change.question_id,
                before=_answer(before.questionnaire, b, t),
                after=_answer(after.questionnaire, a, t),
                before_display=fmt_percent(change.delta.before, lang),
                after_display=fmt_percent(change.delta.after, lang),
                delta=change.delta.change,
                delta_display=signed(change.delta.change, lang),
                direction=change.delta.direction,
                direction_label=direction_label(change.delta.direction, t),
            )
        )
    changes.sort(key=lambda c: -c.delta if c.delta is not None else 1000.0)
    recs_before = {(i.id, i.target_id): i for i in recommend(before.questionnaire, before.result)}
    recs_after = {(i.id, i.target_id): i for i in recommend(after.questionnaire, after.result)}
    overall = result.shared_overall or result.overall
    return ComparisonView(
        before=_side_view(first, before, t),
        after=_side_view(second, after, t),
        same_version=result.same_version,
        overall_delta=overall.change,
        overall_delta_display=signed(overall.change, lang),
        direction=overall.direction,
        direction_label=direction_label(overall.direction, t),
        sentence=_sentence(first.date, overall, t),
        dimensions=areas,
        improved=sum(1 for a in areas if a.direction == "improved"),
        declined=sum(1 for a in areas if a.direction == "regressed"),
        changes=changes,
        resolved=[
            RecommendationChange(i.text.get(lang), category_label(i.category, t))
            for key, i in recs_before.items()
            if key not in recs_after
        ],
        new=[
            RecommendationChange(i.text.get(lang), category_label(i.category, t))
            for key, i in recs_after.items()
            if key not in recs_before
        ],
        still_open=sum(1 for key in recs_after if key in recs_before),
        note=(
            ""
            if result.same_version
            else t.gettext(
                "The two audits used different versions of the questionnaire: the change is "
                "measured on the questions both versions share."
            )
        ),
    )


def _area_change(area_id: str, index: int, title: str, delta: Delta, t: Wording) -> AreaChange:
    lang = t.lang
    return AreaChange(
        id=area_id,
        index=index,
        title=title,
        before=delta.before,
        after=delta.after,
        before_display=fmt_percent(delta.before, lang),
        after_display=fmt_percent(delta.after, lang),
        delta=delta.change,
        delta_display=signed(delta.change, lang),
        direction=delta.direction,
        direction_label=direction_label(delta.direction, t),
    )


def _sentence(earlier_date: str, overall: Delta, t: Wording) -> str:
    change = signed(overall.change, t.lang)
    if overall.direction == "improved":
        return t.gettext(
            "Since the audit of %(date)s the overall score has risen by %(change)s "
            "percentage points.",
            date=earlier_date,
            change=change.lstrip("+"),
        )
    if overall.direction == "regressed":
        return t.gettext(
            "Since the audit of %(date)s the overall score has fallen by %(change)s "
            "percentage points.",
            date=earlier_date,
            change=change.lstrip("−"),
        )
    if overall.direction == "unchanged":
        return t.gettext(
            "The overall score is the same as in the audit of %(date)s.", date=earlier_date
        )
    return t.gettext(
        "The overall score cannot be compared with the audit of %(date)s.", date=earlier_date
    )
