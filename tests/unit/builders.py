"""Build `Questionnaire` objects directly in Python for domain tests (no YAML)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from audit_app.domain.questionnaire import (
    Band,
    Condition,
    Level,
    Level3,
    Option,
    Question,
    Questionnaire,
    Recommendation,
    Role,
    Scale,
    Section,
    TargetProfile,
    Text,
    VerdictRule,
)


def t(en: str, pl: str | None = None) -> Text:
    """A Text; the Polish side defaults to the English with a "PL:" prefix."""
    return Text(pl=pl if pl is not None else f"PL: {en}", en=en)


def options(scores: dict[str, float] | Sequence[float]) -> tuple[Option, ...]:
    """Options from {value: score}, or from a list of scores (values "0", "1", ...)."""
    pairs = (
        scores.items() if isinstance(scores, dict) else ((str(i), s) for i, s in enumerate(scores))
    )
    return tuple(Option(value=v, score=s, label=t(f"option {v}")) for v, s in pairs)


def make_scale(
    scale_id: str = "maturity",
    scores: dict[str, float] | Sequence[float] = (0, 1, 2, 3, 4),
    dont_know: bool = True,
    not_applicable: bool = True,
) -> Scale:
    return Scale(scale_id, options(scores), dont_know=dont_know, not_applicable=not_applicable)


MATURITY = make_scale()


def rec(
    rec_id: str,
    below: float,
    impact: Level3 = "medium",
    effort: Level3 = "low",
    horizon: Text | None = None,
) -> Recommendation:
    return Recommendation(
        id=rec_id,
        below=below,
        text=t(f"do {rec_id}"),
        impact=impact,
        effort=effort,
        horizon=horizon,
    )


def _question(
    qid: str,
    qtype: str,
    *,
    text: Text | None = None,
    weight: float = 1.0,
    critical: bool = False,
    dont_know: bool = True,
    not_applicable: bool = True,
    show_if: Condition | None = None,
    requires: str | None = None,
    recs: Iterable[Recommendation] = (),
    **extra: object,
) -> Question:
    return Question(
        id=qid,
        type=qtype,  # type: ignore[arg-type]
        text=text or t(f"question {qid}"),
        weight=weight,
        critical=critical,
        dont_know=dont_know,
        not_applicable=not_applicable,
        show_if=show_if,
        requires=requires,
        recommendations=tuple(recs),
        **extra,  # type: ignore[arg-type]
    )


def scale_q(qid: str, scale: Scale = MATURITY, **kw: object) -> Question:
    kw.setdefault("dont_know", scale.dont_know)
    kw.setdefault("not_applicable", scale.not_applicable)
    return _question(qid, "scale", scale=scale, **kw)  # type: ignore[arg-type]


def single_q(qid: str, scores: dict[str, float], **kw: object) -> Question:
    return _question(qid, "single", options=options(scores), **kw)  # type: ignore[arg-type]


def multiple_q(
    qid: str, scores: dict[str, float], max_score: float | None = None, **kw: object
) -> Question:
    return _question(  # type: ignore[arg-type]
        qid, "multiple", options=options(scores), max_score=max_score, **kw
    )


def number_q(
    qid: str, bands: Sequence[tuple[float | None, float | None, float]], **kw: object
) -> Question:
    """Bands as (min, max, score)."""
    made = tuple(Band(lo, hi, score, t(f"{lo}-{hi}", f"{lo}-{hi}")) for lo, hi, score in bands)
    return _question(qid, "number", bands=made, **kw)  # type: ignore[arg-type]


def text_q(qid: str, **kw: object) -> Question:
    return _question(qid, "text", **kw)  # type: ignore[arg-type]


def section(
    sid: str,
    *questions: Question,
    weight: float = 1.0,
    recs: Iterable[Recommendation] = (),
    title: Text | None = None,
) -> Section:
    return Section(
        id=sid,
        title=title or t(f"section {sid}"),
        questions=tuple(questions),
        weight=weight,
        recommendations=tuple(recs),
    )


DEFAULT_LEVELS = (
    Level("initial", 0, t("Initial", "Początkowy")),
    Level("developing", 40, t("Developing", "Rozwijający się")),
    Level("mature", 75, t("Mature", "Dojrzały")),
)


def questionnaire(
    *sections: Section,
    verdict: VerdictRule | None = None,
    levels: Sequence[Level] = DEFAULT_LEVELS,
    targets: Sequence[TargetProfile] = (),
    qid: str = "test-audit",
) -> Questionnaire:
    return Questionnaire(
        id=qid,
        version="1.0.0",
        title=t("Test audit"),
        description=t("A questionnaire built in tests"),
        organisation_types=("library", "company"),
        roles=(Role("leadership", t("Leadership")),),
        scales={MATURITY.id: MATURITY},
        sections=tuple(sections),
        levels=tuple(levels),
        verdict=verdict or VerdictRule(),
        targets=tuple(targets),
        content_hash="0" * 64,
    )
