"""What changes between two versions of a questionnaire, for an administrator deciding
whether to publish: questions added, removed or reworded, and changes to scoring.

Each change carries a code (`field`) the web page translates, and the old and new
values as short plain text."""

from __future__ import annotations

from dataclasses import dataclass, field

from audit_app.domain.questionnaire import Band, Option, Question, Questionnaire, Text


@dataclass(frozen=True)
class ScoringChange:
    subject: str  # a question id, a section id, or "" for the whole questionnaire
    field: str  # type, weight, critical, options, bands, max_score, section_weight, ...
    old: str
    new: str


@dataclass
class QuestionnaireChanges:
    added: list[Question] = field(default_factory=list)
    removed: list[Question] = field(default_factory=list)
    reworded: list[tuple[Question, Question]] = field(default_factory=list)
    scoring: list[ScoringChange] = field(default_factory=list)

    @property
    def none(self) -> bool:
        return not (self.added or self.removed or self.reworded or self.scoring)


def _num(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def _options(options: tuple[Option, ...]) -> str:
    return ", ".join(f"{o.value} = {o.score:g}" for o in options)


def _bands(bands: tuple[Band, ...]) -> str:
    return ", ".join(f"[{_num(b.min)}-{_num(b.max)}) = {b.score:g}" for b in bands)


def _scored(question: Question) -> dict[str, str]:
    """What decides a question's score, as comparable text."""
    return {
        "type": question.type,
        "weight": _num(question.weight),
        "critical": "yes" if question.critical else "no",
        "options": _options(question.choices),
        "bands": _bands(question.bands),
        "max_score": _num(question.max_score),
        "dont_know": "yes" if question.dont_know else "no",
        "not_applicable": "yes" if question.not_applicable else "no",
        "recommendations": ", ".join(f"{r.id} < {r.below:g}" for r in question.recommendations),
    }


def _wording(question: Question) -> tuple[Text | None, ...]:
    labels = tuple(o.label for o in question.choices) + tuple(b.label for b in question.bands)
    return (question.text, question.help, question.evidence, question.unit, *labels)


def _summary(questionnaire: Questionnaire) -> dict[str, str]:
    return {
        "levels": ", ".join(f"{level.id} >= {level.min:g}" for level in questionnaire.levels),
        "verdict": repr(questionnaire.verdict).removeprefix("VerdictRule"),
        "targets": ", ".join(f"{t.organisation_type} {t.overall:g}" for t in questionnaire.targets),
    }


def compare_questionnaires(old: Questionnaire, new: Questionnaire) -> QuestionnaireChanges:
    """The changes from `old` (in use) to `new` (to be published)."""
    changes = QuestionnaireChanges()
    old_questions = {q.id: q for q in old.questions}
    new_questions = {q.id: q for q in new.questions}
    changes.added = [q for q in new.questions if q.id not in old_questions]
    changes.removed = [q for q in old.questions if q.id not in new_questions]
    for question in new.questions:
        before = old_questions.get(question.id)
        if before is None:
            continue
        if _wording(before) != _wording(question):
            changes.reworded.append((before, question))
        was, now = _scored(before), _scored(question)
        changes.scoring.extend(
            ScoringChange(question.id, key, was[key], now[key])
            for key in now
            if was[key] != now[key]
        )
    old_sections = {s.id: s for s in old.sections}
    for section in new.sections:
        before_section = old_sections.get(section.id)
        if before_section is not None and before_section.weight != section.weight:
            changes.scoring.append(
                ScoringChange(
                    section.id, "section_weight", _num(before_section.weight), _num(section.weight)
                )
            )
    was, now = _summary(old), _summary(new)
    changes.scoring.extend(
        ScoringChange("", key, was[key], now[key]) for key in now if was[key] != now[key]
    )
    return changes
