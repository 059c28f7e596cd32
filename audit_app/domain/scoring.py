"""Scoring of an answer set against a questionnaire, with explanations.

Plain Python only. All percentages are floats in 0-100; round only for display
(`fmt_percent`). The rules are documented in `score`.

`SCORING_RULE` numbers the rules. Rule 1 (until December 2026) left "don't know" out of
the means, so unknown answers could raise a score; rule 2 counts them as 0 and states
the best case separately. Stored results keep the rule they were scored under.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields, is_dataclass
from typing import Any, Literal

from audit_app.domain.answers import (
    Answers,
    AnswerValue,
    answer_points,
    band_for,
    effective_answer,
    is_number,
    percent_of,
    question_visibility,
)
from audit_app.domain.questionnaire import (
    DONT_KNOW,
    NOT_APPLICABLE,
    Question,
    Questionnaire,
    Section,
    Text,
)
from audit_app.domain.scoring_text import (
    coverage_text,
    mean_text,
    overall_text,
    question_text,
    target_text,
    verdict_texts,
)

QuestionStatus = Literal[
    "scored", "dont_know", "undetermined", "na", "unanswered", "hidden", "unscored"
]
# Statuses that count as 0 % in the headline score and as 100 % in the best case.
UNKNOWN_STATUSES = ("dont_know", "undetermined")
SCORING_RULE = 2
Verdict = Literal["ready", "conditional", "not_ready"]
VERDICT_RANK: dict[str, int] = {"not_ready": 0, "conditional": 1, "ready": 2}
EMPTY_TEXT = Text(pl="", en="")


@dataclass(frozen=True)
class QuestionScore:
    question_id: str
    section_id: str
    status: QuestionStatus
    answer: AnswerValue  # the answer as scored (None when hidden or invalid)
    points: float | None  # points counted, capped to 0..max_points (None unless scored)
    max_points: float
    percent: float | None  # scored: 0-100; don't know / undetermined: 0; else None
    weight: float
    critical: bool
    explanation: Text


@dataclass(frozen=True)
class SectionScore:
    section_id: str
    percent: float | None  # None when no question is scored
    weight: float
    answered: int  # questions with status "scored"
    total: int  # visible, scored-type questions not answered n/a
    target: float | None
    gap: float | None  # max(0, target - percent); None without target or percent
    explanation: Text


@dataclass(frozen=True)
class AuditResult:
    questionnaire_id: str
    version: str
    content_hash: str
    overall: float | None
    level_id: str | None
    verdict: Verdict
    verdict_reasons: tuple[Text, ...]
    provisional: bool
    coverage: float | None  # None when no question can be evidenced
    lowest_section_id: str | None
    critical_failures: tuple[str, ...]
    questions: tuple[QuestionScore, ...]
    sections: tuple[SectionScore, ...]
    explanation: Text
    organisation_type: str | None = None
    target: float | None = None  # overall target of the organisation type's profile
    gap: float | None = None
    coverage_explanation: Text = EMPTY_TEXT
    # The overall score if every unknown answer turned out best (None without unknowns).
    best_case: float | None = None
    unknown: int = 0  # questions counted as unknown (don't know, undetermined)
    rule: int = SCORING_RULE  # the scoring rule this result was computed under

    def question(self, question_id: str) -> QuestionScore | None:
        return next((q for q in self.questions if q.question_id == question_id), None)

    def section(self, section_id: str) -> SectionScore | None:
        return next((s for s in self.sections if s.section_id == section_id), None)


def _question_score(
    question: Question, section_id: str, raw: AnswerValue, visibility: str
) -> QuestionScore:
    full = question.points_for_full_score if question.scored else 0.0
    value = effective_answer(question, raw) if visibility == "shown" else None
    status: QuestionStatus
    points: float | None = None
    raw_points: float | None = None
    percent: float | None = None
    if visibility == "hidden":
        status = "hidden"
    elif not question.scored:
        status = "unscored"
    elif visibility == "undetermined":
        status, points, percent = "undetermined", 0.0, 0.0
    elif value is None:
        status = "unanswered"
    elif value == DONT_KNOW:
        status, points, percent = "dont_know", 0.0, 0.0
    elif value == NOT_APPLICABLE:
        status = "na"
    else:
        raw_points = answer_points(question, value)
        if raw_points is None:  # cannot happen for a valid answer; be safe
            status, value = "unanswered", None
        else:
            status = "scored"
            percent = percent_of(question, raw_points)
            points = min(max(raw_points, 0.0), full)
    band = None
    if status == "scored" and question.type == "number" and is_number(value):
        band = band_for(question, value)
    explanation = question_text(
        status, raw_points, full, percent, question.critical, band.label if band else None, value
    )
    return QuestionScore(
        question_id=question.id,
        section_id=section_id,
        status=status,
        answer=value,
        points=points,
        max_points=full,
        percent=percent,
        weight=question.weight,
        critical=question.critical,
        explanation=explanation,
    )


def _weighted_mean(pairs: Sequence[tuple[float, float]]) -> float | None:
    total_weight = sum(w for _, w in pairs)
    if not pairs or total_weight <= 0:
        return None
    return min(100.0, max(0.0, sum(p * w for p, w in pairs) / total_weight))


def _best_case(q: QuestionScore) -> float | None:
    return 100.0 if q.status in UNKNOWN_STATUSES else q.percent


def _section_score(
    section: Section, scores: Sequence[QuestionScore], target: float | None
) -> SectionScore:
    scored = [(q.percent, q.weight) for q in scores if q.percent is not None]
    percent = _weighted_mean(scored)
    total = sum(1 for q in scores if q.status in ("scored", *UNKNOWN_STATUSES, "unanswered"))
    gap = None if target is None or percent is None else max(0.0, target - percent)
    explanation = mean_text("question", scored, percent)
    if target is not None:
        explanation = target_text(explanation, target, gap)
    return SectionScore(
        section_id=section.id,
        percent=percent,
        weight=section.weight,
        answered=sum(1 for q in scores if q.status == "scored"),
        total=total,
        target=target,
        gap=gap,
        explanation=explanation,
    )


def score(
    questionnaire: Questionnaire, answers: Answers, organisation_type: str | None = None
) -> AuditResult:
    """Score `answers` against `questionnaire`.

    * Question percent = points / points for full score x 100 (multiple: capped at 100;
      number: band score / best band score). Invalid answers count as unanswered.
    * Hidden questions are ignored; n/a is excluded from score and coverage;
      unanswered questions are excluded from the averages but lower coverage.
    * Don't know counts as 0 % in the averages (rule 2) and lowers coverage; so does a
      question whose display condition hangs on a don't-know answer ("undetermined").
      `best_case` is the overall score with each of those at 100 % instead.
    * Section = weight-weighted mean of its scored questions; overall =
      section-weight-weighted mean of sections with a score (None when none).
    * Coverage = scored / (visible, scored-type, not n/a) x 100; None when that
      denominator is 0, and such a result is provisional.
    * Verdict: see `_verdict`. With no overall score the verdict is "not_ready".
    """
    visibility = question_visibility(questionnaire, answers)
    profile = questionnaire.target_for(organisation_type) if organisation_type else None
    question_scores: list[QuestionScore] = []
    section_scores: list[SectionScore] = []
    for section in questionnaire.sections:
        scores = [
            _question_score(q, section.id, answers.get(q.id), visibility[q.id])
            for q in section.questions
        ]
        target = profile.sections.get(section.id, profile.overall) if profile else None
        question_scores.extend(scores)
        section_scores.append(_section_score(section, scores, target))

    section_pairs = [(s.percent, s.weight) for s in section_scores if s.percent is not None]
    overall = _weighted_mean(section_pairs)
    unknown = sum(1 for q in question_scores if q.status in UNKNOWN_STATUSES)
    best_case = _best_case_overall(questionnaire, question_scores) if unknown else None
    level = None
    if overall is not None:
        reached = [lv for lv in questionnaire.levels if lv.min <= overall]
        level = max(reached, key=lambda lv: lv.min) if reached else None

    answered = sum(s.answered for s in section_scores)
    total = sum(s.total for s in section_scores)
    coverage = answered / total * 100.0 if total else None
    rule = questionnaire.verdict
    provisional = coverage is None or coverage < rule.provisional_below_coverage

    critical_failures = tuple(
        q.question_id for q in question_scores if _critical_failure(q, rule.critical_below)
    )
    verdict, reasons = _verdict(questionnaire, overall, section_scores, question_scores)

    scored_sections = [s for s in section_scores if s.percent is not None]
    lowest = min(scored_sections, key=lambda s: s.percent or 0.0, default=None)
    target = profile.overall if profile else None
    gap = None if target is None or overall is None else max(0.0, target - overall)
    return AuditResult(
        questionnaire_id=questionnaire.id,
        version=questionnaire.version,
        content_hash=questionnaire.content_hash,
        overall=overall,
        level_id=level.id if level else None,
        verdict=verdict,
        verdict_reasons=reasons,
        provisional=provisional,
        coverage=coverage,
        lowest_section_id=lowest.section_id if lowest else None,
        critical_failures=critical_failures,
        questions=tuple(question_scores),
        sections=tuple(section_scores),
        explanation=overall_text(section_pairs, overall, level.label if level else None),
        organisation_type=organisation_type,
        target=target,
        gap=gap,
        coverage_explanation=coverage_text(answered, total, coverage, provisional, rule),
        best_case=best_case,
        unknown=unknown,
    )


def _best_case_overall(
    questionnaire: Questionnaire, questions: Sequence[QuestionScore]
) -> float | None:
    by_section: dict[str, list[tuple[float, float]]] = {}
    for q in questions:
        best = _best_case(q)
        if best is not None:
            by_section.setdefault(q.section_id, []).append((best, q.weight))
    pairs = []
    for section in questionnaire.sections:
        mean = _weighted_mean(by_section.get(section.id, []))
        if mean is not None:
            pairs.append((mean, section.weight))
    return _weighted_mean(pairs)


def _critical_failure(q: QuestionScore, critical_below: float) -> bool:
    """A critical question unknown (counts as 0 %) or scored below the limit."""
    if not q.critical:
        return False
    if q.status in UNKNOWN_STATUSES:
        return True
    return q.percent is not None and q.percent < critical_below


def _verdict(
    questionnaire: Questionnaire,
    overall: float | None,
    sections: Sequence[SectionScore],
    questions: Sequence[QuestionScore],
) -> tuple[Verdict, tuple[Text, ...]]:
    """Base verdict from the overall and section scores, then the critical cap.

    ready: overall >= ready_min_overall and every scored section >= ready_min_section;
    conditional: overall >= conditional_min_overall; otherwise not_ready.
    A visible critical question below critical_below (or answered don't know)
    lowers the verdict to critical_cap if it is higher (never raises it).
    """
    rule = questionnaire.verdict
    weak = [s for s in sections if s.percent is not None and s.percent < rule.ready_min_section]
    verdict: Verdict
    if overall is None:
        verdict = "not_ready"
    elif overall >= rule.ready_min_overall and not weak:
        verdict = "ready"
    elif overall >= rule.conditional_min_overall:
        verdict = "conditional"
    else:
        verdict = "not_ready"
    titles = {s.id: s.title for s in questionnaire.sections}
    texts = {q.id: q.text for q in questionnaire.questions}
    capped = verdict
    failures: list[tuple[Text, float | None]] = []
    for q in questions:
        if _critical_failure(q, rule.critical_below):
            unknown = q.status in UNKNOWN_STATUSES  # worded as "don't know", not as 0 %
            failures.append((texts[q.question_id], None if unknown else q.percent))
            if VERDICT_RANK[rule.critical_cap] < VERDICT_RANK[capped]:
                capped = rule.critical_cap
    reasons = verdict_texts(
        verdict,
        capped,
        overall,
        [(titles[s.section_id], s.percent or 0.0) for s in weak],
        failures,
        rule,
    )
    return capped, reasons


# --- JSON round trip -------------------------------------------------------------


def to_json(value: object) -> Any:
    """Dataclasses, `Text`, tuples and lists as JSON-serialisable dicts and lists."""
    if isinstance(value, Text):
        return {"pl": value.pl, "en": value.en}
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_json(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, list | tuple):
        return [to_json(v) for v in value]
    return value


def text_from_json(data: Any) -> Text:
    if not isinstance(data, Mapping):
        return EMPTY_TEXT
    return Text(pl=str(data.get("pl", "")), en=str(data.get("en", "")))


def known_fields(cls: type[Any], data: Mapping[str, Any]) -> dict[str, Any]:
    """The entries of `data` that are fields of dataclass `cls` (ignores extra keys)."""
    names = {f.name for f in fields(cls)}
    return {k: v for k, v in data.items() if k in names}


def result_to_dict(result: AuditResult) -> dict[str, Any]:
    """A JSON-serialisable dict; `result_from_dict` restores an equal result."""
    data: dict[str, Any] = {"format": 1}
    data.update(to_json(result))
    return data


def _question_from_json(data: Mapping[str, Any]) -> QuestionScore:
    values = known_fields(QuestionScore, data)
    values["explanation"] = text_from_json(data.get("explanation"))
    return QuestionScore(**values)


def _section_from_json(data: Mapping[str, Any]) -> SectionScore:
    values = known_fields(SectionScore, data)
    values["explanation"] = text_from_json(data.get("explanation"))
    return SectionScore(**values)


def result_from_dict(data: Mapping[str, Any]) -> AuditResult:
    """Inverse of `result_to_dict`; keys added in later versions may be missing.

    A result stored without `rule` was scored under rule 1."""
    values = known_fields(AuditResult, data)
    values.setdefault("rule", 1)
    values["verdict_reasons"] = tuple(text_from_json(t) for t in data.get("verdict_reasons", ()))
    values["critical_failures"] = tuple(data.get("critical_failures", ()))
    values["questions"] = tuple(_question_from_json(q) for q in data.get("questions", ()))
    values["sections"] = tuple(_section_from_json(s) for s in data.get("sections", ()))
    values["explanation"] = text_from_json(data.get("explanation"))
    if "coverage_explanation" in data:
        values["coverage_explanation"] = text_from_json(data["coverage_explanation"])
    return AuditResult(**values)
