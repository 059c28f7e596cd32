"""The one result model: everything a person is told about an audit, in one language.

Built once by `domain.present.present` from the questionnaire, the scored result, the
answers, the previous comparable audit, the trend, respondents and evidence. The
results page, every PDF design, the API and the CLI lay this model out and compute
nothing of their own: every figure is here as its unrounded number (`percent`, for
charts and formulas) and as its one display string (`*_display`, rounded half up to
one decimal by `scoring_text.fmt`), every ranking and every sentence is made here.

Plain frozen dataclasses (no Flask, no SQLAlchemy); `scoring.to_json` turns a view into
the JSON of the API, the CLI and the PDF context.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class LevelView:
    id: str
    label: str
    description: str
    min: float = 0.0
    min_display: str = ""


@dataclass(frozen=True)
class AreaRef:
    """An area (a questionnaire section) named in a list or a sentence."""

    id: str
    index: int
    title: str
    percent: float | None
    percent_display: str


@dataclass(frozen=True)
class ContactView:
    """An interaction from the contact register linked as evidence."""

    who: str
    people: list[Any]
    channel: str
    channel_label: str
    date: str
    day: str
    subject: str
    stale: bool
    stale_label: str


@dataclass(frozen=True)
class QuestionView:
    id: str
    number: str  # "2.3": area 2, question 3
    text: str
    help: str
    critical: bool
    critical_failure: bool
    weight: float
    weight_display: str
    status: str  # scoring.QuestionStatus
    status_label: str
    answer: str  # the answer as given, in words
    meaning: str  # what the chosen option means (its anchor), or a number's band
    percent: float | None
    percent_display: str
    explanation: str
    note: str
    evidence: str
    contacts: list[ContactView] = field(default_factory=list)
    files: list[str] = field(default_factory=list)  # evidence files attached to the answer
    # "(in Polish)" when the note or evidence is written in the other language.
    note_language: str = ""
    evidence_language: str = ""


@dataclass(frozen=True)
class AreaView:
    id: str
    index: int
    title: str
    description: str
    percent: float | None
    percent_display: str
    target: float | None
    target_display: str
    gap: float | None
    gap_display: str
    weight: float
    weight_display: str
    answered: int
    total: int
    explanation: str
    questions: list[QuestionView]  # visible ones
    all_questions: list[QuestionView]  # hidden ones too (appendix)
    strongest: bool = False
    weakest: bool = False
    start: bool = False


@dataclass(frozen=True)
class Headline:
    overall: float | None
    overall_display: str
    best_case: float | None
    best_case_display: str
    best_case_sentence: str  # "" without unknown answers
    unknown: int
    level: LevelView
    levels: list[LevelView]
    verdict: str
    verdict_label: str
    reasons: list[str]
    provisional: bool
    coverage: float | None
    coverage_display: str
    coverage_explanation: str
    explanation: str
    target: float | None
    target_display: str
    gap: float | None
    gap_display: str
    critical_failures: int
    rule: int
    rule_note: str  # "" under the current rule


@dataclass(frozen=True)
class StartView:
    """Where to start: one area, why, and the sentence every renderer prints."""

    area: AreaRef
    reason: str
    sentence: str  # "Zacznijcie od obszaru „…”." / "Start with “…”."


@dataclass(frozen=True)
class TriggerView:
    number: str
    text: str
    answer: str
    percent_display: str


@dataclass(frozen=True)
class ActionView:
    """An action agreed for a recommendation: who does it, by when, how far it got."""

    id: int
    title: str
    owner: str  # "" when nobody is named
    owner_display: str  # the owner, or "not assigned"
    due: str  # ISO date or ""
    due_display: str
    status: str
    status_label: str
    overdue: bool
    title_language: str = ""  # "(in Polish)" when written in the other language


@dataclass(frozen=True)
class RecommendationView:
    id: str
    number: int  # 1..n in the order of `recommendations`
    scope: str
    title: str  # the questionnaire's short title, else the first sentence or a cut
    rest: str  # what follows the heading (the whole text under a short title)
    text: str
    horizon: str
    impact: str
    impact_label: str
    effort: str
    effort_label: str
    category: str
    category_label: str
    priority: float
    priority_display: str
    area_id: str
    dimension: str  # the area's title
    questions: list[str]  # numbers of the questions behind it
    after: list[str]  # numbers of the prerequisite questions
    after_ids: list[str]  # the first recommendation of each prerequisite question
    triggers: list[TriggerView]
    in_start_area: bool
    actions: list[ActionView] = field(default_factory=list)  # agreed for this recommendation


@dataclass(frozen=True)
class RoadmapPhase:
    id: str  # quick_wins, major_projects, later
    title: str
    horizon: str
    intro: str
    items: list[RecommendationView]


@dataclass(frozen=True)
class TrendPoint:
    audit_id: int
    iso: str
    date: str
    date_short: str
    overall: float | None
    overall_display: str
    delta_display: str
    verdict: str
    verdict_label: str
    level: str
    sections: dict[str, float | None]
    current: bool


@dataclass(frozen=True)
class TrendRow:
    id: str
    title: str
    values: list[str]
    change: str


@dataclass(frozen=True)
class TrendView:
    points: list[TrendPoint]
    dimensions: list[TrendRow]
    has_history: bool
    note: str  # how earlier audits were scored


@dataclass(frozen=True)
class SideView:
    audit_id: int
    date: str
    questionnaire: str
    overall: float | None
    overall_display: str
    verdict: str
    verdict_label: str
    level: str
    coverage_display: str


@dataclass(frozen=True)
class AreaChange:
    id: str
    index: int
    title: str
    before: float | None
    after: float | None
    before_display: str
    after_display: str
    delta: float | None
    delta_display: str
    direction: str  # compare.Direction
    direction_label: str


@dataclass(frozen=True)
class QuestionChange:
    number: str
    text: str
    before: str
    after: str
    before_display: str
    after_display: str
    delta: float | None
    delta_display: str
    direction: str
    direction_label: str


@dataclass(frozen=True)
class RecommendationChange:
    text: str
    category_label: str


@dataclass(frozen=True)
class ComparisonView:
    """This audit against the previous comparable one (`domain.compare`), both scored
    under the current rule."""

    before: SideView
    after: SideView
    same_version: bool
    overall_delta: float | None
    overall_delta_display: str
    direction: str
    direction_label: str
    sentence: str
    dimensions: list[AreaChange]
    improved: int
    declined: int
    changes: list[QuestionChange]
    resolved: list[RecommendationChange]
    new: list[RecommendationChange]
    still_open: int
    note: str  # e.g. different questionnaire versions: compared on shared questions


@dataclass(frozen=True)
class ResultView:
    lang: str
    preview: bool  # in progress: live, provisional numbers
    questionnaire_id: str
    questionnaire_version: str
    questionnaire_title: str
    result: Headline
    dimensions: list[AreaView]
    strongest: list[AreaRef]
    weakest: list[AreaRef]
    start: StartView | None
    verdict_sentence: str
    decisions: list[str]  # what leadership is asked to decide, from failures and the start
    recommendations: list[RecommendationView]
    first_actions: list[RecommendationView]
    roadmap: list[RoadmapPhase]
    comparison: ComparisonView | None
    trend: TrendView
    perception: dict[str, Any] | None = None
    benchmark: BenchmarkView | None = None

    def area(self, area_id: str) -> AreaView | None:
        return next((a for a in self.dimensions if a.id == area_id), None)

    @property
    def recommendation_count(self) -> int:
        return len(self.recommendations)


@dataclass(frozen=True)
class BenchmarkRow:
    """One group's anonymised distribution (overall or one area) beside this audit."""

    id: str  # "overall" or the area id
    title: str
    n: int
    q1: int  # every peer figure is a whole multiple of 5 (domain/benchmark.py)
    median: int
    q3: int
    minimum: int | None  # only from 10 peers
    maximum: int | None
    you: float | None  # this audit's own (exact) score
    you_display: str
    percentile: int | None  # share of peers below this audit, peers in its cell half
    median_display: str
    middle_display: str  # "50–65%": the middle half of the peers
    range_display: str  # "30–90%", "" under 10 peers
    position: str  # where this audit stands, in words


@dataclass(frozen=True)
class BenchmarkView:
    """How this audit compares with anonymised peers (issue 16); `rows` empty and
    `unavailable` set when the group is too small to be shown."""

    title: str  # "Na tle podobnych bibliotek" / "How you compare with similar libraries"
    intro: str  # who the peers are: how many, which version, latest audit of each
    version_note: str  # peers on other versions and how they count ("" if none)
    anonymity_note: str
    unavailable: str  # why nothing is shown ("" when shown)
    peers: int
    same_version: int
    version: str
    overall: BenchmarkRow | None
    areas: list[BenchmarkRow]
    withheld: list[str]  # titles of areas with too few peers of their own

    @property
    def shown(self) -> bool:
        return self.overall is not None or bool(self.areas)
