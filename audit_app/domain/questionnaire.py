"""The questionnaire model: frozen dataclasses built by the loader from YAML.

Plain Python only (no Flask, no SQLAlchemy). Every user-visible string is a
`Text` holding both languages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

LANGUAGES = ("pl", "en")

QuestionType = Literal["scale", "single", "multiple", "number", "text"]
Level3 = Literal["low", "medium", "high"]

# Special answer values, valid wherever the question's scale allows them.
DONT_KNOW = "dont_know"
NOT_APPLICABLE = "na"


@dataclass(frozen=True)
class Text:
    """A user-visible string in Polish and English."""

    pl: str
    en: str

    def get(self, lang: str) -> str:
        return self.en if lang == "en" else self.pl


@dataclass(frozen=True)
class Option:
    """One answer option of a scale or choice question; `score` is in points."""

    value: str
    score: float
    label: Text
    anchor: Text | None = None  # behavioural description of what this level looks like


@dataclass(frozen=True)
class Scale:
    """A named answer scale, defined once and reused by many questions."""

    id: str
    options: tuple[Option, ...]
    dont_know: bool = True
    not_applicable: bool = True

    @property
    def max_score(self) -> float:
        return max(option.score for option in self.options)

    def option(self, value: str) -> Option | None:
        return next((o for o in self.options if o.value == value), None)


@dataclass(frozen=True)
class Band:
    """A scored band of a number question: min <= value < max (max None = open)."""

    min: float | None
    max: float | None
    score: float
    label: Text

    def contains(self, value: float) -> bool:
        return (self.min is None or value >= self.min) and (self.max is None or value < self.max)


@dataclass(frozen=True)
class Condition:
    """`show_if`: the question shows when an earlier answer matches.

    Exactly one of `equals` (answer value is one of these) or `min_score`
    (the earlier question's score in percent is at least this) is set.
    """

    question: str
    equals: tuple[str, ...] = ()
    min_score: float | None = None


@dataclass(frozen=True)
class Recommendation:
    """Fires when the score (percent) of its question or section is below `below`."""

    id: str
    below: float
    text: Text
    impact: Level3
    effort: Level3
    horizon: Text | None = None  # optional "first step" wording
    title: Text | None = None  # optional short heading; else one is cut from the text


@dataclass(frozen=True)
class Question:
    id: str
    type: QuestionType
    text: Text
    weight: float = 1.0
    critical: bool = False
    help: Text | None = None
    evidence: Text | None = None
    scale: Scale | None = None  # for type "scale"
    options: tuple[Option, ...] = ()  # for "single" and "multiple"
    bands: tuple[Band, ...] = ()  # for "number"
    unit: Text | None = None  # for "number"
    max_score: float | None = None  # for "multiple": points that give 100 %
    dont_know: bool = True
    not_applicable: bool = True
    show_if: Condition | None = None
    requires: str | None = None
    recommendations: tuple[Recommendation, ...] = ()
    line: int = 0  # line in the YAML file, for messages

    @property
    def scored(self) -> bool:
        return self.type != "text"

    @property
    def choices(self) -> tuple[Option, ...]:
        """The options a respondent picks from (scale or own options)."""
        return self.scale.options if self.scale is not None else self.options

    @property
    def points_for_full_score(self) -> float:
        if self.type == "scale" and self.scale is not None:
            return self.scale.max_score
        if self.type == "single":
            return max(o.score for o in self.options)
        if self.type == "multiple":
            if self.max_score is not None:
                return self.max_score
            return sum(o.score for o in self.options if o.score > 0)
        if self.type == "number":
            return max(b.score for b in self.bands)
        return 0.0


@dataclass(frozen=True)
class Section:
    id: str
    title: Text
    questions: tuple[Question, ...]
    weight: float = 1.0
    description: Text | None = None
    recommendations: tuple[Recommendation, ...] = ()


@dataclass(frozen=True)
class Level:
    """A maturity level reached when the overall score is at least `min`."""

    id: str
    min: float
    label: Text
    description: Text | None = None


@dataclass(frozen=True)
class VerdictRule:
    """How the readiness verdict is decided (see docs/questionnaire-format.md)."""

    ready_min_overall: float = 60.0
    ready_min_section: float = 40.0
    conditional_min_overall: float = 40.0
    # A critical question scoring below this (percent) caps the verdict at `critical_cap`.
    critical_below: float = 50.0
    critical_cap: Literal["conditional", "not_ready"] = "conditional"
    # Below this evidence coverage (percent) the result is marked provisional.
    provisional_below_coverage: float = 70.0


@dataclass(frozen=True)
class Role:
    id: str
    label: Text


@dataclass(frozen=True)
class TargetProfile:
    """Target scores for one organisation type: overall and optionally per section."""

    organisation_type: str
    overall: float
    sections: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Questionnaire:
    id: str
    version: str
    title: Text
    description: Text
    organisation_types: tuple[str, ...]
    roles: tuple[Role, ...]
    scales: dict[str, Scale]
    sections: tuple[Section, ...]
    levels: tuple[Level, ...]
    verdict: VerdictRule
    targets: tuple[TargetProfile, ...] = ()
    source_path: str = ""
    content_hash: str = ""  # sha256 of the file's bytes

    @property
    def questions(self) -> tuple[Question, ...]:
        return tuple(q for s in self.sections for q in s.questions)

    def question(self, question_id: str) -> Question | None:
        return next((q for q in self.questions if q.id == question_id), None)

    def section_of(self, question_id: str) -> Section | None:
        return next(
            (s for s in self.sections if any(q.id == question_id for q in s.questions)), None
        )

    def target_for(self, organisation_type: str | None) -> TargetProfile | None:
        return next((t for t in self.targets if t.organisation_type == organisation_type), None)
