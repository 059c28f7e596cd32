"""Comparing two audits of the same questionnaire: overall, section and question deltas.

Plain Python only.

* Both audits must use the same questionnaire id (`DifferentQuestionnaires` otherwise).
* A side scored under an earlier scoring rule (`AuditResult.rule`) is scored again
  under the current one first, so both sides follow the same rule.
* The overall delta compares the official (frozen) overall scores.
* Same questionnaire version (content hash): section deltas use the results as they are.
* Different versions: the comparison is made on the questions they share by id.
  Both answer sets are scored again against their own questionnaire restricted to the
  shared questions (keeping each question's visibility from its own result), giving
  `shared_overall` and the section deltas for the sections both restricted versions
  still have; questions and sections in only one version are listed.
* Question deltas always compare each question's own percent from each result
  (a question's score does not depend on the other questions).
* Direction: improved / regressed when the change is at least `TOLERANCE` percentage
  points either way, unchanged below that, not_comparable when either side has no
  percent (don't know, n/a, unanswered, hidden).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Literal

from audit_app.domain.answers import AnswerValue
from audit_app.domain.questionnaire import Questionnaire
from audit_app.domain.scoring import SCORING_RULE, AuditResult, QuestionScore, score

Direction = Literal["improved", "regressed", "unchanged", "not_comparable"]
DIRECTIONS: tuple[Direction, ...] = ("improved", "regressed", "unchanged", "not_comparable")
# Half of the smallest difference the display shows (one decimal).
TOLERANCE = 0.05


class DifferentQuestionnaires(ValueError):
    """The two audits were answered with different questionnaires (ids differ)."""


@dataclass(frozen=True)
class Delta:
    before: float | None
    after: float | None

    @property
    def change(self) -> float | None:
        if self.before is None or self.after is None:
            return None
        return self.after - self.before

    @property
    def direction(self) -> Direction:
        change = self.change
        if change is None:
            return "not_comparable"
        if change >= TOLERANCE:
            return "improved"
        if change <= -TOLERANCE:
            return "regressed"
        return "unchanged"


@dataclass(frozen=True)
class Side:
    """One audit as compared: its questionnaire, result and answers."""

    questionnaire: Questionnaire
    result: AuditResult
    answers: Mapping[str, AnswerValue]


@dataclass(frozen=True)
class QuestionDelta:
    question_id: str
    section_id: str  # the question's section in the later questionnaire
    before: QuestionScore | None
    after: QuestionScore | None
    delta: Delta


@dataclass(frozen=True)
class SectionDelta:
    section_id: str
    delta: Delta


@dataclass(frozen=True)
class Comparison:
    same_version: bool
    overall: Delta  # official overall scores
    shared_overall: Delta | None  # on the shared questions only; None for the same version
    sections: tuple[SectionDelta, ...]
    questions: tuple[QuestionDelta, ...]
    only_before: tuple[str, ...]  # question ids only in the earlier version
    only_after: tuple[str, ...]
    sections_only_before: tuple[str, ...]
    sections_only_after: tuple[str, ...]

    def count(self, direction: Direction) -> int:
        return sum(1 for q in self.questions if q.delta.direction == direction)


def restrict(questionnaire: Questionnaire, question_ids: set[str]) -> Questionnaire:
    """The questionnaire with only the given questions (and without sections left empty).

    `show_if` conditions are dropped: callers decide visibility themselves (see
    `visible_answers`), because a condition may refer to a question that was removed.
    """
    sections = []
    for section in questionnaire.sections:
        questions = tuple(
            replace(q, show_if=None) for q in section.questions if q.id in question_ids
        )
        if questions:
            sections.append(replace(section, questions=questions))
    return replace(questionnaire, sections=tuple(sections))


def visible_answers(side: Side) -> dict[str, AnswerValue]:
    """The answers of the questions that were visible in the side's own result."""
    hidden = {q.question_id for q in side.result.questions if q.status == "hidden"}
    return {qid: value for qid, value in side.answers.items() if qid not in hidden}


def rescore_shared(side: Side, shared: set[str]) -> AuditResult:
    return score(
        restrict(side.questionnaire, shared), visible_answers(side), side.result.organisation_type
    )


def under_current_rule(side: Side) -> Side:
    """The side as scored under today's rule (stored results keep the rule of their day)."""
    if side.result.rule >= SCORING_RULE:
        return side
    result = score(side.questionnaire, side.answers, side.result.organisation_type)
    return replace(side, result=result)


def compare(before: Side, after: Side) -> Comparison:
    """Deltas from `before` (the earlier audit) to `after`; see the module docstring."""
    before, after = under_current_rule(before), under_current_rule(after)
    if before.questionnaire.id != after.questionnaire.id:
        raise DifferentQuestionnaires(f"{before.questionnaire.id} != {after.questionnaire.id}")
    same_version = before.questionnaire.content_hash == after.questionnaire.content_hash
    before_ids = [q.id for q in before.questionnaire.questions]
    after_ids = [q.id for q in after.questionnaire.questions]
    shared = set(before_ids) & set(after_ids)

    questions = []
    for section in after.questionnaire.sections:
        for question in section.questions:
            if question.id not in shared:
                continue
            b = before.result.question(question.id)
            a = after.result.question(question.id)
            questions.append(
                QuestionDelta(
                    question_id=question.id,
                    section_id=section.id,
                    before=b,
                    after=a,
                    delta=Delta(b.percent if b else None, a.percent if a else None),
                )
            )

    overall = Delta(before.result.overall, after.result.overall)
    shared_overall: Delta | None = None
    if same_version:
        before_sections, after_sections = before.result, after.result
    else:
        before_sections = rescore_shared(before, shared)
        after_sections = rescore_shared(after, shared)
        shared_overall = Delta(before_sections.overall, after_sections.overall)
    before_section_ids = [s.section_id for s in before_sections.sections]
    after_section_ids = [s.section_id for s in after_sections.sections]
    sections = []
    for section_id in after_section_ids:
        if section_id not in before_section_ids:
            continue
        b_section = before_sections.section(section_id)
        a_section = after_sections.section(section_id)
        sections.append(
            SectionDelta(
                section_id,
                Delta(
                    b_section.percent if b_section else None,
                    a_section.percent if a_section else None,
                ),
            )
        )
    all_before_sections = [s.id for s in before.questionnaire.sections]
    all_after_sections = [s.id for s in after.questionnaire.sections]
    return Comparison(
        same_version=same_version,
        overall=overall,
        shared_overall=shared_overall,
        sections=tuple(sections),
        questions=tuple(questions),
        only_before=tuple(q for q in before_ids if q not in shared),
        only_after=tuple(q for q in after_ids if q not in shared),
        sections_only_before=tuple(s for s in all_before_sections if s not in all_after_sections),
        sections_only_after=tuple(s for s in all_after_sections if s not in all_before_sections),
    )
