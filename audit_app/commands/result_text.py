"""The one result model as plain text for the terminal (`audit-app score`)."""

from __future__ import annotations

from audit_app.domain.answer_text import Wording
from audit_app.domain.result_view import ResultView


def result_as_text(view: ResultView, t: Wording) -> str:
    """The same figures, rankings and sentences as the results page and the reports."""
    # Labels first: gettext calls inside f-strings are not found by the extractor.
    overall = t.gettext("Overall score")
    level = t.gettext("Maturity level")
    verdict = t.gettext("Verdict")
    coverage = t.gettext("Evidence coverage")
    r = view.result
    lines = [view.questionnaire_title, f"{overall}: {r.overall_display}  ({r.explanation})"]
    if r.best_case_sentence:
        lines.append(f"  {r.best_case_sentence}")
    lines += [f"{level}: {r.level.label}", f"{verdict}: {r.verdict_label}"]
    lines += [f"  - {reason}" for reason in r.reasons]
    lines.append(f"{coverage}: {r.coverage_display}")
    if r.provisional:
        lines.append("  (" + t.gettext("provisional result") + ")")
    if r.target_display:
        lines.append(
            t.gettext("Target for this type of organisation: %(target)s", target=r.target_display)
            + "  ("
            + t.gettext("%(gap)s percentage points", gap=r.gap_display or "0")
            + ")"
        )
    if view.start is not None:
        lines.append(f"{view.start.sentence} {view.start.reason}")
    lines.append("\n" + t.gettext("Dimensions") + ":")
    for area in view.dimensions:
        target = t.gettext("target %(target)s", target=area.target_display)
        shown = f"  {area.percent_display:>7}  {area.index}. {area.title}"
        lines.append(shown + (f"  ({target})" if area.target_display else ""))
    for heading, refs in (
        (t.gettext("Strongest dimensions"), view.strongest),
        (t.gettext("Weakest dimensions"), view.weakest),
    ):
        named = ", ".join(f"{a.title} {a.percent_display}" for a in refs) or "–"
        lines.append(f"{heading}: {named}")
    lines.append("\n" + t.gettext("Recommendations") + ":")
    because = t.gettext("Because of these answers:")
    for item in view.recommendations:
        impact = t.gettext("Impact: %(level)s", level=item.impact_label)
        effort = t.gettext("Effort: %(level)s", level=item.effort_label)
        lines.append(f"{item.number:>3}. {item.title} [{item.category_label}; {impact}; {effort}]")
        if item.rest:
            lines.append(f"     {item.rest}")
        cited = "; ".join(f"{c.number} {c.answer}" for c in item.triggers)
        if cited:
            lines.append(f"     {because} {cited}")
    return "\n".join(lines)
