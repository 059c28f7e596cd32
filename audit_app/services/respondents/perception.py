"""Combining the respondents' answers and the perception gap, as the plain values the
results page and the full report show; anonymity applied here."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from audit_app.domain.history import signed
from audit_app.domain.respondents import (
    DISPUTE_SPREAD,
    GroupResult,
    Response,
    combine,
    combine_group,
    gap_roles,
    group_shown,
    perception_gap,
)
from audit_app.domain.scoring_text import fmt, fmt_percent
from audit_app.models import Audit
from audit_app.models.respondents import (
    CONSULTANT_ROLE,
    Respondent,
)
from audit_app.reporting.role_charts import grouped_bar_chart
from audit_app.services.audits import answers_of, questionnaire_for
from audit_app.services.respondents.answers import (
    answers_of_respondent,
    has_answered,
    invited_roles,
)
from audit_app.services.respondents.collection import (
    collection_of,
    consultant_role,
    min_group_size,
)
from audit_app.services.respondents.links import links_of, respondents_of
from audit_app.wording import Translator, translator


@dataclass
class Responses:
    """What is combined: invited responses (not excluded, with answers) and the
    consultant's own, if the consultant has answered."""

    invited: list[Response]
    consultant: Response | None

    @property
    def all(self) -> list[Response]:
        return self.invited + ([self.consultant] if self.consultant else [])


def responses(audit: Audit) -> Responses:
    invited = []
    for respondent in respondents_of(audit):
        if respondent.excluded_at is not None:
            continue
        answers = answers_of_respondent(respondent)
        if has_answered(answers):
            invited.append(Response(f"r{respondent.id}", respondent.role, answers))
    own = answers_of(audit)
    consultant = Response("consultant", consultant_role(audit), own) if has_answered(own) else None
    return Responses(invited, consultant)


def _labels(minimum: int, high: str, low: str, t: Translator) -> dict[str, str]:
    """Fixed texts of the partials in the report's language: the PDF partial has no
    gettext of its own, so it shows these."""
    _ = t.gettext
    lang = t.lang
    return {
        "heading": _("How the organisation sees itself"),
        "intro": t.ngettext(
            "CRM succeeds only when leadership, managers and front-line staff see the same "
            "reality. Each person's answers are combined question by question (the median); "
            "a group is shown only when at least %(num)d person of it has answered, so no one "
            "can be singled out.",
            "CRM succeeds only when leadership, managers and front-line staff see the same "
            "reality. Each person's answers are combined question by question (the median); "
            "a group is shown only when at least %(num)d people of it have answered, so no one "
            "can be singled out.",
            minimum,
        ),
        "respondents": _("Respondents"),
        "combined": _("Everyone"),
        "role": _("Role"),
        "answered": _("Answered"),
        "invited": _("Invited"),
        "overall": _("Overall score"),
        "status": _("Status"),
        "dimension": _("Dimension"),
        "chart_title": _("Scores by dimension and role"),
        "gap_heading": _("Perception gap"),
        "gap_intro": _(
            "Score of %(high)s minus the score of %(low)s, in percentage points. A positive "
            "gap means the first group sees the practice as more mature than the second.",
            high=high,
            low=low,
        ),
        "gap": _("Gap (percentage points)"),
        "largest_gap": _("Largest gap"),
        "gap_unavailable": _("The perception gap appears when both groups have enough answers."),
        "disputed_heading": _("Disputed items: a workshop agenda"),
        "disputed_intro": _(
            "Questions where answers lie %(points)s or more percentage points apart (two or "
            "more steps on a 0–4 scale). Discuss them together: people see the same practice "
            "differently.",
            points=fmt(DISPUTE_SPREAD, lang),
        ),
        "no_disputed": _("No question is disputed: people broadly agree."),
        "question": _("Question"),
        "median": _("Median"),
        "spread": _("Spread (points)"),
        "range": _("Lowest – highest"),
        "by_role": _("By role"),
        "dont_know": _("Don't know"),
        "not_consulted_heading": _("Roles not consulted"),
        "not_consulted_intro": _("Nobody in these roles has answered:"),
        "too_few_heading": _("Not enough answers yet"),
        "too_few_intro": t.ngettext(
            "These groups are hidden until at least %(num)d person of each has answered:",
            "These groups are hidden until at least %(num)d people of each have answered:",
            minimum,
        ),
        "shown": _("shown"),
        "not_enough": _("not enough answers yet"),
        "not_consulted": _("not consulted"),
        "closed": _("Collection closed"),
        "open": _("Collection open"),
        "combined_hidden": t.ngettext(
            "Combined results appear once at least %(num)d invited person has answered.",
            "Combined results appear once at least %(num)d invited people have answered.",
            minimum,
        ),
        "no_data": _("no data"),
        "consultant": _("Consultant"),
        "with_consultant": _("includes the consultant's own assessment"),
    }


def perception_context(audit: Audit, lang: str) -> dict[str, Any] | None:
    """Everything the perception-gap partials show, as plain JSON-ready values with
    texts in `lang`; None when nobody was invited (no personal and no shared link).

    Anonymity is applied here: a role's numbers are present only when the role has at
    least `min_group_size()` answering invited respondents; everybody's combined
    numbers and the disputed items only when that many invited people answered."""
    respondents = respondents_of(audit)
    links = links_of(audit)
    if not respondents and not links:
        return None
    return _perception(audit, respondents, translator(lang))


def _perception(audit: Audit, respondents: list[Respondent], t: Translator) -> dict[str, Any]:
    _ = t.gettext
    lang = t.lang
    questionnaire = questionnaire_for(audit)
    minimum = min_group_size()
    given = responses(audit)
    everything = combine(questionnaire, given.all)
    combined = everything.combined
    # Without the consultant: who counts towards the minimum, also per question.
    invited_by_role: dict[str, list[Response]] = {}
    for response in given.invited:
        invited_by_role.setdefault(response.role, []).append(response)
    invited_groups = {
        role: combine_group(questionnaire, group) for role, group in invited_by_role.items()
    }
    own_role = consultant_role(audit)
    consultant_in = given.consultant is not None

    asked = invited_roles(audit, respondents)
    role_list: list[tuple[str, str]] = [(r.id, r.label.get(lang)) for r in questionnaire.roles]
    if own_role == CONSULTANT_ROLE and consultant_in:
        role_list.append((CONSULTANT_ROLE, _("Consultant")))
    labels_by_role = dict(role_list)
    pair = gap_roles(questionnaire)
    high_label = labels_by_role.get(pair[0], "") if pair else ""
    low_label = labels_by_role.get(pair[1], "") if pair else ""
    texts = _labels(minimum, high_label, low_label, t)

    roles: list[dict[str, Any]] = []
    shown_roles: dict[str, GroupResult] = {}
    for role, label in role_list:
        answered = len(invited_by_role.get(role, []))
        with_consultant = consultant_in and own_role == role
        group = everything.roles.get(role)
        if group is not None and (role == CONSULTANT_ROLE or group_shown(answered, minimum)):
            status = "shown"
            shown_roles[role] = group
        elif answered == 0 and not with_consultant and role not in asked:
            # Nobody invited in this role: not asked. Invited people who have not
            # answered yet are "not enough answers yet", like any group below the minimum.
            status = "not_consulted"
        else:
            status = "too_few"
        shown = status == "shown"
        roles.append(
            {
                "id": role,
                "label": label,
                "invited": sum(1 for r in respondents if r.role == role and not r.excluded_at),
                "answered": answered,
                "shown": shown,
                "status": status,
                "status_label": texts[
                    "shown" if shown else status.replace("too_few", "not_enough")
                ],
                "with_consultant": with_consultant,
                "overall": group.overall if shown and group else None,
                "overall_display": fmt_percent(group.overall, lang) if shown and group else "",
            }
        )

    answered_total = len(given.invited)
    combined_shown = group_shown(answered_total, minimum)
    high = shown_roles.get(pair[0]) if pair else None
    low = shown_roles.get(pair[1]) if pair else None
    gaps = {g.section_id: g.gap for g in perception_gap(questionnaire, high, low)}

    dimensions: list[dict[str, Any]] = []
    for index, section in enumerate(questionnaire.sections, start=1):
        whole = _section_percent(combined, section.id) if combined_shown else None
        gap = gaps[section.id] if high is not None and low is not None else None
        values: list[dict[str, Any]] = []
        for entry in roles:
            percent = _section_percent(shown_roles.get(entry["id"]), section.id)
            values.append(
                {
                    "role": entry["id"],
                    "percent": percent,
                    "display": fmt_percent(percent, lang) if entry["shown"] else "",
                }
            )
        dimensions.append(
            {
                "id": section.id,
                "index": index,
                "title": section.title.get(lang),
                "combined": whole,
                "combined_display": fmt_percent(whole, lang) if combined_shown else "",
                "scores": values,
                "gap": gap,
                "gap_display": signed(gap, lang) if gap is not None else "",
            }
        )
    known_gaps = [d for d in dimensions if d["gap"] is not None]
    largest = max(known_gaps, key=lambda d: abs(d["gap"]), default=None)

    numbers = {q.id: i for i, q in enumerate(questionnaire.questions, start=1)}
    titles = {s.id: s.title.get(lang) for s in questionnaire.sections}
    disputed: list[dict[str, Any]] = []
    for item in combined.disputed if combined_shown else ():
        question = questionnaire.question(item.question_id)
        if question is None:  # pragma: no cover - combined from this questionnaire
            continue
        by_role: list[dict[str, Any]] = []
        for entry in roles:
            group = shown_roles.get(entry["id"])
            in_role = group.question(item.question_id) if group else None
            if in_role is None or in_role.median is None:
                continue
            counted = invited_groups.get(entry["id"])
            per_question = counted.question(item.question_id) if counted else None
            enough = entry["id"] == CONSULTANT_ROLE or (
                per_question is not None and group_shown(per_question.answered, minimum)
            )
            by_role.append(
                {
                    "role": entry["id"],
                    "label": entry["label"],
                    "median": in_role.median if enough else None,
                    "display": (
                        fmt_percent(in_role.median, lang) if enough else texts["not_enough"]
                    ),
                }
            )
        disputed.append(
            {
                "id": item.question_id,
                "number": numbers[item.question_id],
                "text": question.text.get(lang),
                "dimension": titles[item.section_id],
                "median": item.median,
                "median_display": fmt_percent(item.median, lang),
                "spread": item.spread,
                "spread_display": fmt(item.spread or 0.0, lang),
                "lowest_display": fmt_percent(item.percents[0], lang),
                "highest_display": fmt_percent(item.percents[-1], lang),
                "answered": item.answered,
                "dont_know": item.dont_know,
                "roles": by_role,
            }
        )

    series: list[tuple[str, list[float | None]]] = []
    if combined_shown:
        series.append((texts["combined"], [d["combined"] for d in dimensions]))
    for entry in roles:
        group = shown_roles.get(entry["id"])
        if group is not None:
            series.append(
                (entry["label"], [_section_percent(group, s.id) for s in questionnaire.sections])
            )
    chart = grouped_bar_chart(
        [f"{d['index']}. {d['title']}" for d in dimensions],
        series,
        title=texts["chart_title"],
        no_data=texts["no_data"],
        lang=lang,
        chart_id="perception-chart",
    )
    collection = collection_of(audit)
    active = [r for r in respondents if r.excluded_at is None]
    return {
        "lang": lang,
        "min_group_size": minimum,
        "open": collection is None or collection.closed_at is None,
        "counts": {
            "invited": len(active),
            "answered": answered_total,
            "finished": sum(1 for r in active if r.finished_at is not None),
            "excluded": len(respondents) - len(active),
        },
        "consultant": {
            "included": consultant_in,
            "role": own_role,
            "role_label": labels_by_role.get(own_role, texts["consultant"]),
        },
        "combined": {
            "shown": combined_shown,
            "answered": answered_total,
            "overall": combined.overall if combined_shown else None,
            "overall_display": fmt_percent(combined.overall, lang) if combined_shown else "",
        },
        "roles": roles,
        "dimensions": dimensions,
        "gap": {
            "available": high is not None and low is not None,
            "high": {"id": pair[0] if pair else "", "label": high_label},
            "low": {"id": pair[1] if pair else "", "label": low_label},
            "largest": (
                {"title": largest["title"], "gap_display": largest["gap_display"]}
                if largest
                else None
            ),
        },
        "disputed_threshold": DISPUTE_SPREAD,
        "disputed": disputed,
        "not_consulted": [r["label"] for r in roles if r["status"] == "not_consulted"],
        "too_few": [
            {"label": r["label"], "answered": r["answered"]}
            for r in roles
            if r["status"] == "too_few"
        ],
        "chart_svg": chart,
        "labels": texts,
    }


def _section_percent(group: GroupResult | None, section_id: str) -> float | None:
    if group is None:
        return None
    found = group.section(section_id)
    return found.percent if found else None
