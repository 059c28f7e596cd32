"""Combining the answers of several respondents of one audit.

Plain Python only (no Flask, no SQLAlchemy). The rule, in full (also in
docs/respondents.md):

1. Every response is first scored on its own with `domain.scoring.score`, so each
   respondent's own `show_if` conditions, invalid answers, "don't know" and
   "not applicable" are treated exactly as in a single-respondent audit. A
   respondent's answer to a question counts when its status is "scored"; its
   question percent (0-100) is what is combined.
2. Per question: the **median** of the counted percents (for an even number the
   mean of the two middle values) and the **spread** = max - min of them. A question
   nobody answered with a scored answer has neither (None). "Don't know", "not
   applicable", unanswered and hidden answers are left out of the median and spread,
   and counted separately (`dont_know`, `not_applicable`). A question that every
   respondent who reached it answered "don't know" counts as 0 % (median 0, no
   spread), as in a single-respondent audit.
3. Per dimension (section): the weight-weighted mean of the question medians
   (question weights), over the questions that have a median; None when none has.
   Overall: the section-weight-weighted mean of the sections that have a score.
   These are the rules of `domain.scoring.score` applied to the medians, so one
   respondent gives exactly the single-respondent score, and the order of the
   respondents never matters.
4. A question is **disputed** when its spread is at least `DISPUTE_SPREAD` (50)
   percentage points: two or more points apart on a 0-4 scale, on any scale the same
   share of its range.
5. Each role is combined the same way over its own respondents. The **perception
   gap** of a dimension is the score of the leadership role minus the score of the
   staff role (positive: leadership sees the practice as more mature than staff).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from statistics import median

from audit_app.domain.answers import Answers
from audit_app.domain.questionnaire import Questionnaire
from audit_app.domain.scoring import UNKNOWN_STATUSES, score

DISPUTE_SPREAD = 50.0
LEADERSHIP_ROLE = "leadership"
STAFF_ROLE = "frontline_staff"


@dataclass(frozen=True)
class Response:
    """One respondent's answers; `key` only has to be unique within a combination."""

    key: str
    role: str
    answers: Answers


@dataclass(frozen=True)
class QuestionCombination:
    question_id: str
    section_id: str
    percents: tuple[float, ...]  # the counted percents, ascending
    median: float | None
    spread: float | None
    dont_know: int
    not_applicable: int
    weight: float

    @property
    def answered(self) -> int:
        return len(self.percents)

    @property
    def disputed(self) -> bool:
        return self.spread is not None and self.spread >= DISPUTE_SPREAD


@dataclass(frozen=True)
class SectionCombination:
    section_id: str
    percent: float | None
    weight: float


@dataclass(frozen=True)
class GroupResult:
    """The combination of a group of responses (everybody, or one role)."""

    respondents: int
    overall: float | None
    sections: tuple[SectionCombination, ...]
    questions: tuple[QuestionCombination, ...]

    def section(self, section_id: str) -> SectionCombination | None:
        return next((s for s in self.sections if s.section_id == section_id), None)

    def question(self, question_id: str) -> QuestionCombination | None:
        return next((q for q in self.questions if q.question_id == question_id), None)

    @property
    def disputed(self) -> tuple[QuestionCombination, ...]:
        """Disputed questions, the widest spread first (questionnaire order on ties)."""
        found = [q for q in self.questions if q.disputed]
        return tuple(sorted(found, key=lambda q: -(q.spread or 0.0)))


@dataclass(frozen=True)
class SectionGap:
    section_id: str
    high: float | None  # leadership score
    low: float | None  # staff score
    gap: float | None  # high - low; None unless both are known


@dataclass(frozen=True)
class Combination:
    combined: GroupResult
    roles: Mapping[str, GroupResult]  # role id -> result, only roles with responses


def weighted_mean(pairs: Sequence[tuple[float, float]]) -> float | None:
    """The mean of (value, weight) pairs, clamped to 0-100; None without weight.

    The same arithmetic as the scoring's mean, so results are bit-for-bit equal."""
    total_weight = sum(w for _, w in pairs)
    if not pairs or total_weight <= 0:
        return None
    return min(100.0, max(0.0, sum(p * w for p, w in pairs) / total_weight))


def combine_group(questionnaire: Questionnaire, responses: Iterable[Response]) -> GroupResult:
    """Combine the responses (rules 1-3 of the module docstring)."""
    results = [score(questionnaire, response.answers) for response in responses]
    questions: list[QuestionCombination] = []
    sections: list[SectionCombination] = []
    for section in questionnaire.sections:
        pairs: list[tuple[float, float]] = []
        for question in section.questions:
            percents: list[float] = []
            dont_know = not_applicable = 0
            for result in results:
                scored = result.question(question.id)
                if scored is None:
                    continue
                if scored.status == "scored" and scored.percent is not None:
                    percents.append(scored.percent)
                elif scored.status in UNKNOWN_STATUSES:
                    dont_know += 1
                elif scored.status == "na":
                    not_applicable += 1
            percents.sort()
            middle = float(median(percents)) if percents else None
            if middle is None and dont_know:  # only unknowns: counts as 0 %, as in `score`
                middle = 0.0
            spread = percents[-1] - percents[0] if percents else None
            questions.append(
                QuestionCombination(
                    question_id=question.id,
                    section_id=section.id,
                    percents=tuple(percents),
                    median=middle,
                    spread=spread,
                    dont_know=dont_know,
                    not_applicable=not_applicable,
                    weight=question.weight,
                )
            )
            if middle is not None:
                pairs.append((middle, question.weight))
        sections.append(SectionCombination(section.id, weighted_mean(pairs), section.weight))
    overall = weighted_mean([(s.percent, s.weight) for s in sections if s.percent is not None])
    return GroupResult(
        respondents=len(results),
        overall=overall,
        sections=tuple(sections),
        questions=tuple(questions),
    )


def combine(questionnaire: Questionnaire, responses: Sequence[Response]) -> Combination:
    """Everybody together, and each role on its own."""
    by_role: dict[str, list[Response]] = {}
    for response in responses:
        by_role.setdefault(response.role, []).append(response)
    return Combination(
        combined=combine_group(questionnaire, responses),
        roles={role: combine_group(questionnaire, group) for role, group in by_role.items()},
    )


def gap_roles(questionnaire: Questionnaire) -> tuple[str, str] | None:
    """(leadership role, staff role) compared by the perception gap.

    "leadership" and "frontline_staff" when the questionnaire declares them;
    otherwise its first and last declared roles; None with fewer than two roles."""
    declared = [role.id for role in questionnaire.roles]
    if LEADERSHIP_ROLE in declared and STAFF_ROLE in declared:
        return LEADERSHIP_ROLE, STAFF_ROLE
    if len(declared) >= 2:
        return declared[0], declared[-1]
    return None


def perception_gap(
    questionnaire: Questionnaire, high: GroupResult | None, low: GroupResult | None
) -> tuple[SectionGap, ...]:
    """Per dimension: high (leadership) score minus low (staff) score."""
    gaps = []
    for section in questionnaire.sections:
        up = high.section(section.id) if high else None
        down = low.section(section.id) if low else None
        a = up.percent if up else None
        b = down.percent if down else None
        gaps.append(SectionGap(section.id, a, b, None if a is None or b is None else a - b))
    return tuple(gaps)


def group_shown(respondents: int, minimum: int) -> bool:
    """The anonymity rule: a group's results are shown only from `minimum` respondents."""
    return respondents >= max(1, minimum)
