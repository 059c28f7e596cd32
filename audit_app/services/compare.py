"""An organisation's audits over time (history) and the comparison of two of them.

The comparison logic itself is pure (`audit_app.domain.compare`); this module loads
the audits, their stored questionnaires and results, and builds view models.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache

from sqlalchemy import select
from sqlalchemy.orm import defer

from audit_app.domain.answer_text import answer_words
from audit_app.domain.compare import (
    Comparison,
    Delta,
    QuestionDelta,
    Side,
    compare,
    under_current_rule,
)
from audit_app.domain.numbers import parse_id
from audit_app.domain.questionnaire import Level, Question, Questionnaire, Section, Text
from audit_app.domain.recommendations import recommend
from audit_app.domain.scoring import AuditResult
from audit_app.errors import UserError
from audit_app.extensions import db
from audit_app.models import Action, Audit, Organisation
from audit_app.reporting.charts import radar_chart, trend_chart
from audit_app.services import stored_scores
from audit_app.services.audits import answers_of, current_result, questionnaire_for
from audit_app.wording import translator


def level_of(questionnaire: Questionnaire, level_id: str | None) -> Level | None:
    return next((lv for lv in questionnaire.levels if lv.id == level_id), None)


def section_of(questionnaire: Questionnaire, section_id: str | None) -> Section | None:
    return next((s for s in questionnaire.sections if s.id == section_id), None)


def audit_date(audit: Audit) -> datetime:
    """When an audit counts as taken: its submission, else its start."""
    return audit.submitted_at or audit.started_at


def organisation_audits(organisation: Organisation, *, with_results: bool = True) -> list[Audit]:
    """The organisation's audits, oldest first (without loading their frozen results
    unless `with_results`: the history reads stored figures instead)."""
    query = select(Audit).filter_by(organisation_id=organisation.id)
    if not with_results:
        query = query.options(defer(Audit.result))
    audits = list(db.session.scalars(query))
    return sorted(audits, key=lambda a: (audit_date(a), a.id))


def organisation_audit(organisation: Organisation, audit_id: int | None) -> Audit | None:
    """The audit if it exists and belongs to the organisation."""
    if parse_id(audit_id) is None:  # also ids no column can hold (a crafted URL)
        return None
    audit = db.session.get(Audit, audit_id)
    if audit is None or audit.organisation_id != organisation.id:
        return None
    return audit


# --- history ---------------------------------------------------------------------


@dataclass
class HistoryRow:
    audit: Audit
    questionnaire: Questionnaire
    level: Level | None
    when: datetime
    actions: int = 0  # agreed actions
    areas: stored_scores.AreaScores | None = None  # area percentages, when submitted


@dataclass
class HistoryGroup:
    """The audits of one questionnaire id (any version), oldest first."""

    questionnaire_id: str
    title: Text  # from the newest version
    rows: list[HistoryRow]
    chart_svg: str  # trend of the submitted audits ("" when there are none)

    @property
    def submitted(self) -> list[HistoryRow]:
        return [row for row in self.rows if row.audit.status == "submitted"]


@dataclass
class HistoryView:
    organisation: Organisation
    groups: list[HistoryGroup]
    audits: list[Audit]  # all, oldest first

    @property
    def default_pair(self) -> tuple[int | None, int | None]:
        """The two latest submitted audits of the same questionnaire, for the form."""
        best: tuple[datetime, int, int] | None = None
        for group in self.groups:
            submitted = group.submitted
            if len(submitted) >= 2:
                a, b = submitted[-2].audit, submitted[-1].audit
                candidate = (audit_date(b), a.id, b.id)
                if best is None or candidate[0] > best[0]:
                    best = candidate
        if best is None:
            ids = [a.id for a in self.audits]
            return (ids[-2] if len(ids) >= 2 else None, ids[-1] if ids else None)
        return best[1], best[2]


def _trend(
    questionnaire: Questionnaire,
    rows: list[HistoryRow],
    lang: str,
    date_label: Callable[[date], str],
) -> str:
    submitted = [row for row in rows if row.audit.status == "submitted"]
    if not submitted:
        return ""
    t = translator(lang)
    lines = tuple(
        (
            section.title.get(lang),
            tuple((row.areas or {}).get(section.id) for row in submitted),
        )
        for section in questionnaire.sections
    )
    return _trend_svg(
        tuple((row.when, row.audit.overall) for row in submitted),
        lines,
        name=t.gettext("Overall score"),
        title=t.gettext("Scores over time: %(title)s", title=questionnaire.title.get(lang)),
        no_data=t.gettext("no data"),
        lang=lang,
        date_labels=tuple((row.when, date_label(row.when)) for row in submitted),
        chart_id=f"trend-{questionnaire.id}",
    )


@lru_cache(maxsize=64)
def _trend_svg(
    points: tuple[tuple[date, float | None], ...],
    lines: tuple[tuple[str, tuple[float | None, ...]], ...],
    *,
    name: str,
    title: str,
    no_data: str,
    lang: str,
    date_labels: tuple[tuple[date, str], ...],
    chart_id: str,
) -> str:
    """The history chart, drawn once for the same figures and words: an organisation's
    history is opened far more often than its audits change, and the SVG (7 lines x 20
    audits, with a description for screen readers) was half of the page's time."""
    return trend_chart(
        points,
        lines,
        name=name,
        title=title,
        no_data=no_data,
        lang=lang,
        date_label=dict(date_labels).__getitem__,
        chart_id=chart_id,
    )


def history_view(
    organisation: Organisation, lang: str, date_label: Callable[[date], str]
) -> HistoryView:
    audits = organisation_audits(organisation, with_results=False)
    # Stored figures, a few queries for all audits (not each frozen result restored).
    ids = [audit.id for audit in audits]
    levels = stored_scores.level_ids(ids)
    areas = stored_scores.area_scores(ids)
    actions = stored_scores.action_counts(ids)
    by_questionnaire: dict[str, list[HistoryRow]] = {}
    for audit in audits:
        questionnaire = questionnaire_for(audit)
        level = level_of(questionnaire, levels.get(audit.id))
        by_questionnaire.setdefault(questionnaire.id, []).append(
            HistoryRow(
                audit,
                questionnaire,
                level,
                audit_date(audit),
                actions=actions.get(audit.id, 0),
                areas=areas.get(audit.id),
            )
        )
    groups = []
    for questionnaire_id, rows in by_questionnaire.items():
        newest = rows[-1].questionnaire
        groups.append(
            HistoryGroup(
                questionnaire_id=questionnaire_id,
                title=newest.title,
                rows=rows,
                chart_svg=_trend(newest, rows, lang, date_label),
            )
        )
    groups.sort(key=lambda g: g.title.get(lang).casefold())
    return HistoryView(organisation, groups, audits)


# --- comparison ------------------------------------------------------------------


@dataclass
class AuditSide:
    audit: Audit
    questionnaire: Questionnaire
    result: AuditResult
    level: Level | None
    when: datetime


@dataclass
class SectionRow:
    section_id: str
    title: Text
    delta: Delta


@dataclass
class QuestionCompareRow:
    question: Question
    section: Section | None
    before: str  # the answer in words (`domain.answer_text.answer_words`)
    after: str
    change: QuestionDelta


@dataclass
class ActionFollowUp:
    action: Action
    still_recommended: bool  # the recommendation still fires in the later audit


@dataclass
class CompareView:
    organisation: Organisation
    before: AuditSide
    after: AuditSide
    comparison: Comparison
    sections: list[SectionRow]
    questions: list[QuestionCompareRow]
    only_before: list[Question]
    only_after: list[Question]
    sections_only_before: list[Section]
    sections_only_after: list[Section]
    actions: list[ActionFollowUp]
    radar_svg: str

    @property
    def same_version(self) -> bool:
        return self.comparison.same_version


def _side(audit: Audit) -> AuditSide:
    """The audit as compared: under today's scoring rule, like the comparison itself."""
    questionnaire = questionnaire_for(audit)
    side = Side(questionnaire, current_result(audit), answers_of(audit))
    result = under_current_rule(side).result
    return AuditSide(
        audit, questionnaire, result, level_of(questionnaire, result.level_id), audit_date(audit)
    )


def _sections(questionnaire: Questionnaire, ids: tuple[str, ...]) -> list[Section]:
    return [s for s in (section_of(questionnaire, i) for i in ids) if s is not None]


def compare_view(
    organisation: Organisation,
    first: Audit,
    second: Audit,
    lang: str,
    date_label: Callable[[datetime], str],
) -> CompareView:
    """Compare two audits of the organisation, the earlier one as "before".

    Raises UserError("same_audit") or UserError("different_questionnaires").
    """
    if first.id == second.id:
        raise UserError("same_audit")
    before_audit, after_audit = sorted((first, second), key=lambda a: (audit_date(a), a.id))
    before, after = _side(before_audit), _side(after_audit)
    if before.questionnaire.id != after.questionnaire.id:
        raise UserError("different_questionnaires")
    comparison = compare(
        Side(before.questionnaire, before.result, answers_of(before_audit)),
        Side(after.questionnaire, after.result, answers_of(after_audit)),
    )
    t = translator(lang)
    titles = {s.id: s.title for s in before.questionnaire.sections}
    titles.update({s.id: s.title for s in after.questionnaire.sections})
    sections = [
        SectionRow(s.section_id, titles[s.section_id], s.delta) for s in comparison.sections
    ]
    before_answers = answers_of(before_audit)
    after_answers = answers_of(after_audit)
    questions = []
    for change in comparison.questions:
        question = after.questionnaire.question(change.question_id)
        old_question = before.questionnaire.question(change.question_id)
        if question is None:  # pragma: no cover - shared ids exist in both
            continue
        questions.append(
            QuestionCompareRow(
                question=question,
                section=section_of(after.questionnaire, change.section_id),
                before=answer_words(old_question, before_answers.get(change.question_id), t)[0],
                after=answer_words(question, after_answers.get(change.question_id), t)[0],
                change=change,
            )
        )
    only_before = [
        q for q in (before.questionnaire.question(i) for i in comparison.only_before) if q
    ]
    only_after = [q for q in (after.questionnaire.question(i) for i in comparison.only_after) if q]
    fired_later = {item.id for item in recommend(after.questionnaire, after.result)}
    actions = [
        ActionFollowUp(action, action.recommendation_id in fired_later)
        for action in sorted(before_audit.actions, key=lambda a: a.id)
    ]
    # Radar on the sections both audits have, in the later questionnaire's order.
    axes = []
    earlier_values: list[float | None] = []
    for row in sections:
        axes.append((row.title.get(lang), row.delta.after))
        earlier_values.append(row.delta.before)
    radar = radar_chart(
        axes,
        [(t.gettext("Earlier audit, %(date)s", date=date_label(before.when)), earlier_values)],
        name=t.gettext("Later audit, %(date)s", date=date_label(after.when)),
        title=t.gettext("Scores by dimension: both audits"),
        no_data=t.gettext("no data"),
        target_name=t.gettext("Target"),
        lang=lang,
        chart_id="radar-compare",
    )
    return CompareView(
        organisation=organisation,
        before=before,
        after=after,
        comparison=comparison,
        sections=sections,
        questions=questions,
        only_before=only_before,
        only_after=only_after,
        sections_only_before=_sections(before.questionnaire, comparison.sections_only_before),
        sections_only_after=_sections(after.questionnaire, comparison.sections_only_after),
        actions=actions,
        radar_svg=radar,
    )
