"""A scoring result as plain text for the terminal."""

from __future__ import annotations

from audit_app.domain.questionnaire import Questionnaire
from audit_app.domain.recommendations import RecommendationItem
from audit_app.domain.scoring import AuditResult
from audit_app.domain.scoring_text import VERDICT_LABELS, fmt_percent

HEADINGS = {
    "en": (
        "Overall",
        "Level",
        "Verdict",
        "Evidence coverage",
        "Lowest section",
        "Sections",
        "Recommendations",
        "provisional: too many answers unknown",
        "triggered by",
    ),
    "pl": (
        "Wynik ogólny",
        "Poziom",
        "Werdykt",
        "Pokrycie dowodami",
        "Najsłabszy obszar",
        "Obszary",
        "Rekomendacje",
        "wstępny: zbyt wiele odpowiedzi „nie wiem”",
        "wynika z",
    ),
}


def result_as_text(
    questionnaire: Questionnaire, result: AuditResult, items: list[RecommendationItem], lang: str
) -> str:
    h = HEADINGS[lang]
    level = next((lv for lv in questionnaire.levels if lv.id == result.level_id), None)
    lowest = next((s for s in questionnaire.sections if s.id == result.lowest_section_id), None)
    lines = [
        questionnaire.title.get(lang),
        f"{h[0]}: {fmt_percent(result.overall, lang)}  ({result.explanation.get(lang)})",
        f"{h[1]}: {level.label.get(lang) if level else '-'}",
        f"{h[2]}: {VERDICT_LABELS[result.verdict].get(lang)}",
    ]
    lines += [f"  - {reason.get(lang)}" for reason in result.verdict_reasons]
    lines.append(f"{h[3]}: {fmt_percent(result.coverage, lang)}")
    if result.provisional:
        lines.append(f"  ({h[7]})")
    lines.append(f"{h[4]}: {lowest.title.get(lang) if lowest else '-'}")
    lines.append(f"\n{h[5]}:")
    for section, section_score in zip(questionnaire.sections, result.sections, strict=True):
        lines.append(f"  {fmt_percent(section_score.percent, lang):>7}  {section.title.get(lang)}")
    lines.append(f"\n{h[6]}:")
    for number, item in enumerate(items, 1):
        cited = ", ".join(f"{t.question_id}={t.answer}" for t in item.triggered_by)
        lines.append(
            f"{number:>3}. [{item.category}, {item.impact}/{item.effort}] {item.text.get(lang)}"
        )
        if cited:
            lines.append(f"     {h[8]}: {cited}")
    return "\n".join(lines)
