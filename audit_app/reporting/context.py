"""The plain data a report is rendered from.

`build_context` turns an audit (and the organisation's other audits) into nested
dicts, lists, strings and numbers in the report's language: nothing in it refers to
the database, so the same JSON can be stored with the issued PDF, rendered again
and shown on the read-only share page.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any

from flask import current_app
from sqlalchemy import select

from audit_app.domain.answers import band_for, is_number
from audit_app.domain.questionnaire import Question, Questionnaire
from audit_app.domain.recommendations import RecommendationItem, recommend
from audit_app.domain.scoring import AuditResult, QuestionScore, result_from_dict
from audit_app.domain.scoring_text import fmt, fmt_percent
from audit_app.extensions import db
from audit_app.models import Action, Answer, Audit, User
from audit_app.reporting.glyphs import printable
from audit_app.reporting.i18n import TIMEZONE, Translator, translator
from audit_app.services import audits as audit_service
from audit_app.services import evidence as evidence_service

CONTEXT_FORMAT = 1
DESIGNS = ("full", "brief", "progress")
# In the report's language unless REPORT_BRAND_NAME names the firm.
DEFAULT_BRAND_NAMES = {"pl": "Audyt gotowości CRM", "en": "CRM Readiness Audit"}
DEFAULT_BRAND_LOGO = "brand/logo.svg"
DEFAULT_ACCENT = "#1f5f8b"
_COLOUR = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
TOP_ACTIONS = 5


class ContextError(Exception):
    """The report cannot be built (code for the web layer and the CLI)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


# --- selection of audits --------------------------------------------------------------


def _submitted_of_organisation(audit: Audit) -> list[Audit]:
    return list(
        db.session.scalars(
            select(Audit)
            .where(
                Audit.organisation_id == audit.organisation_id,
                Audit.status == "submitted",
                Audit.submitted_at.is_not(None),
            )
            .order_by(Audit.submitted_at, Audit.id)
        )
    )


def _questionnaire_id(audit: Audit) -> str:
    return str(audit.questionnaire_version.questionnaire_id)


def earlier_audits(audit: Audit) -> list[Audit]:
    """Submitted audits of the same organisation and questionnaire before this one."""
    if audit.submitted_at is None:
        return []
    return [
        other
        for other in _submitted_of_organisation(audit)
        if other.id != audit.id
        and _questionnaire_id(other) == _questionnaire_id(audit)
        and _aware(other.submitted_at) <= _aware(audit.submitted_at)
    ]


def previous_audit(audit: Audit) -> Audit | None:
    """The default comparison of a progress report: the latest earlier submitted audit
    of the organisation (same questionnaire preferred)."""
    same = earlier_audits(audit)
    if same:
        return same[-1]
    others = [
        other
        for other in _submitted_of_organisation(audit)
        if other.id != audit.id
        and audit.submitted_at is not None
        and _aware(other.submitted_at) <= _aware(audit.submitted_at)
    ]
    return others[-1] if others else None


def _aware(value: datetime | None) -> datetime:
    if value is None:
        return datetime.min.replace(tzinfo=UTC)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


# --- branding ---------------------------------------------------------------------------


def brand_settings(lang: str = "en") -> dict[str, Any]:
    """REPORT_BRAND_NAME, REPORT_BRAND_LOGO (a path under reports/), REPORT_ACCENT_COLOR."""
    config = current_app.config
    default_name = DEFAULT_BRAND_NAMES.get(lang, DEFAULT_BRAND_NAMES["en"])
    name = str(config.get("REPORT_BRAND_NAME") or default_name)
    accent = str(config.get("REPORT_ACCENT_COLOR") or DEFAULT_ACCENT)
    if not _COLOUR.match(accent):
        current_app.logger.warning(
            "REPORT_ACCENT_COLOR %r is not #rgb/#rrggbb; default used", accent
        )
        accent = DEFAULT_ACCENT
    logo = config.get("REPORT_BRAND_LOGO")
    if logo is None:  # unset: the built-in logo; an empty value means no logo
        logo = DEFAULT_BRAND_LOGO
    logo_path: str | None = None
    if logo:
        root = current_app.config["REPORTS_DIR"].resolve()
        candidate = (root / str(logo)).resolve()
        if candidate.is_file() and candidate.is_relative_to(root):
            logo_path = candidate.relative_to(root).as_posix()
        else:
            current_app.logger.warning("REPORT_BRAND_LOGO %r is not a file under reports/", logo)
    return {"name": name, "logo": logo_path, "accent": accent}


# --- the context --------------------------------------------------------------------------


def build_context(
    audit: Audit,
    design: str,
    lang: str,
    *,
    compare_to: Audit | None = None,
    issued_by: User | None = None,
    now: datetime | None = None,
) -> dict[str, Any]:
    """Everything a report design needs, as plain JSON-ready values in `lang`."""
    if design not in DESIGNS:
        raise ContextError("unknown_design")
    if audit.status != "submitted":
        raise ContextError("not_submitted")
    t = translator(lang)
    now = now or datetime.now(UTC)
    questionnaire = audit_service.questionnaire_for(audit)
    result = audit_service.current_result(audit)
    items = recommend(questionnaire, result)
    answers = {a.question_id: a for a in audit.answers}
    consultant = db.session.get(User, audit.created_by_id) if audit.created_by_id else None

    evidence = evidence_service.evidence_for(audit, for_report=True)  # named with consent
    dimensions = _dimensions(questionnaire, result, answers, t, _contacts(evidence, t))
    numbers = {q["id"]: q["number"] for d in dimensions for q in d["all_questions"]}
    recommendations = [_recommendation(item, questionnaire, numbers, t) for item in items]
    scored = [d for d in dimensions if d["percent"] is not None]
    ranked = sorted(scored, key=lambda d: (-d["percent"], d["index"]))
    k = min(3, max(1, len(ranked) // 2)) if ranked else 0

    context: dict[str, Any] = {
        "format": CONTEXT_FORMAT,
        "design": design,
        "lang": lang,
        "issued": {
            "at": now.isoformat(),
            "date": t.date(now),
            "by": issued_by.name if issued_by else None,
        },
        "brand": brand_settings(lang),
        "organisation": _organisation(audit, t),
        "audit": _audit(audit, questionnaire, consultant, t),
        "questionnaire": {
            "id": questionnaire.id,
            "version": questionnaire.version,
            "title": questionnaire.title.get(lang),
            "description": questionnaire.description.get(lang),
            "content_hash": questionnaire.content_hash,
            "questions": len(questionnaire.questions),
            "sections": len(questionnaire.sections),
        },
        "result": _result(result, questionnaire, t),
        "dimensions": dimensions,
        "strongest": [_dimension_ref(d) for d in ranked[:k]],
        "weakest": [_dimension_ref(d) for d in reversed(ranked[-k:])] if k else [],
        "recommendations": recommendations,
        "top_actions": recommendations[:TOP_ACTIONS],
        "roadmap": _roadmap(recommendations, t),
        "trend": _trend(audit, questionnaire, t),
        "actions": _actions(audit, now.date(), t),
        "method": _method(questionnaire, t),
        "comparison": None,
    }
    if design == "progress":
        other = compare_to or previous_audit(audit)
        if other is None or other.id == audit.id:
            raise ContextError("nothing_to_compare")
        if other.status != "submitted" or other.organisation_id != audit.organisation_id:
            raise ContextError("bad_comparison")
        context["comparison"] = _comparison(audit, other, now.date(), t)
    if design == "full":
        context["perception"] = _perception(audit, lang)
    context["verdict_sentence"] = _verdict_sentence(context, t)
    cleaned: dict[str, Any] = printable(context, current_app.config["REPORTS_DIR"] / "fonts")
    return cleaned


def _perception(audit: Audit, lang: str) -> dict[str, Any] | None:
    """How leadership, managers and staff see the organisation (invited respondents),
    for the chapter in reports/_partials/perception.html; None when nobody was invited."""
    try:
        from audit_app.services.respondents import perception_context
    except ImportError:  # pragma: no cover - the respondents feature is optional
        return None
    return perception_context(audit, lang)


def _organisation(audit: Audit, t: Translator) -> dict[str, Any]:
    organisation = audit.organisation
    types = {
        "library": t.gettext("Library"),
        "company": t.gettext("Company"),
        "public": t.gettext("Public institution"),
        "ngo": t.gettext("Non-governmental organisation"),
        "other": t.gettext("Other organisation"),
    }
    return {
        "id": organisation.id,
        "name": organisation.name,
        "type": organisation.type,
        "type_label": types.get(organisation.type, organisation.type),
        "city": organisation.city or "",
        "sector": organisation.sector or "",
    }


def _audit(
    audit: Audit, questionnaire: Questionnaire, consultant: User | None, t: Translator
) -> dict[str, Any]:
    return {
        "id": audit.id,
        "started": t.date(audit.started_at),
        "submitted": t.date(audit.submitted_at),
        "submitted_at": audit.submitted_at.isoformat() if audit.submitted_at else None,
        "consultant": consultant.name if consultant else "",
        "questionnaire_label": f"{questionnaire.title.get(t.lang)} {questionnaire.version}",
    }


VERDICT_KEYS = ("ready", "conditional", "not_ready")


def verdict_label(verdict: str, t: Translator) -> str:
    return {
        "ready": t.gettext("Ready"),
        "conditional": t.gettext("Conditionally ready"),
        "not_ready": t.gettext("Not ready"),
    }.get(verdict, verdict)


def _level(questionnaire: Questionnaire, level_id: str | None, lang: str) -> dict[str, str]:
    level = next((lv for lv in questionnaire.levels if lv.id == level_id), None)
    if level is None:
        return {"id": "", "label": "—", "description": ""}
    return {
        "id": level.id,
        "label": level.label.get(lang),
        "description": level.description.get(lang) if level.description else "",
    }


def _pct(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def _result(result: AuditResult, questionnaire: Questionnaire, t: Translator) -> dict[str, Any]:
    lang = t.lang
    return {
        "overall": _pct(result.overall),
        "overall_display": fmt_percent(result.overall, lang),
        "level": _level(questionnaire, result.level_id, lang),
        "levels": [
            {
                "id": lv.id,
                "label": lv.label.get(lang),
                "min": lv.min,
                "min_display": fmt(lv.min, lang),
            }
            for lv in questionnaire.levels
        ],
        "verdict": result.verdict,
        "verdict_label": verdict_label(result.verdict, t),
        "reasons": [r.get(lang) for r in result.verdict_reasons],
        "provisional": result.provisional,
        "coverage": _pct(result.coverage),
        "coverage_display": fmt_percent(result.coverage, lang),
        "coverage_explanation": result.coverage_explanation.get(lang),
        "explanation": result.explanation.get(lang),
        "target": _pct(result.target),
        "target_display": fmt_percent(result.target, lang) if result.target is not None else "",
        "gap_display": fmt(result.gap, lang) if result.gap is not None else "",
        "critical_failures": len(result.critical_failures),
    }


def _status_label(status: str, t: Translator) -> str:
    return {
        "scored": t.gettext("Scored"),
        "dont_know": t.gettext("Don't know"),
        "na": t.gettext("Not applicable"),
        "unanswered": t.gettext("No answer"),
        "hidden": t.gettext("Not asked (display condition not met)"),
        "unscored": t.gettext("Open question, not scored"),
    }.get(status, status)


def _answer_view(
    question: Question, score: QuestionScore | None, row: Answer | None, t: Translator
) -> tuple[str, str]:
    """(the answer as the respondent gave it, what that answer means)."""
    lang = t.lang
    status = score.status if score else "unanswered"
    value = score.answer if score else None
    if status == "unscored":
        text = row.value if row is not None and isinstance(row.value, str) else ""
        return (text or t.gettext("No answer"), "")
    if status != "scored":
        return (_status_label(status, t), "")
    if question.type in ("scale", "single") and isinstance(value, str):
        option = next((o for o in question.choices if o.value == value), None)
        if option is None:
            return (value, "")
        return (option.label.get(lang), option.anchor.get(lang) if option.anchor else "")
    if question.type == "multiple" and isinstance(value, list):
        labels = [o.label.get(lang) for o in question.options if o.value in value]
        return ("; ".join(labels) if labels else t.gettext("None of the options"), "")
    if question.type == "number" and is_number(value):
        unit = question.unit.get(lang) if question.unit else ""
        shown = f"{fmt(value, lang)} {unit}".strip() if unit != "%" else f"{fmt(value, lang)}%"
        band = band_for(question, value)
        return (shown, band.label.get(lang) if band else "")
    return (str(value), "")


def _dimensions(
    questionnaire: Questionnaire,
    result: AuditResult,
    answers: dict[str, Answer],
    t: Translator,
    contacts: dict[str, list[dict[str, Any]]] | None = None,
) -> list[dict[str, Any]]:
    lang = t.lang
    contacts = contacts or {}
    dimensions: list[dict[str, Any]] = []
    for s_index, section in enumerate(questionnaire.sections, start=1):
        score = result.section(section.id)
        questions: list[dict[str, Any]] = []
        for q_index, question in enumerate(section.questions, start=1):
            q_score = result.question(question.id)
            row = answers.get(question.id)
            shown, meaning = _answer_view(question, q_score, row, t)
            status = q_score.status if q_score else "unanswered"
            questions.append(
                {
                    "id": question.id,
                    "number": f"{s_index}.{q_index}",
                    "text": question.text.get(lang),
                    "help": question.help.get(lang) if question.help else "",
                    "critical": question.critical,
                    "weight": question.weight,
                    "weight_display": fmt(question.weight, lang),
                    "status": status,
                    "status_label": _status_label(status, t),
                    "answer": shown,
                    "meaning": meaning,
                    "percent": _pct(q_score.percent) if q_score else None,
                    "percent_display": fmt_percent(q_score.percent if q_score else None, lang),
                    "explanation": q_score.explanation.get(lang) if q_score else "",
                    "note": (row.note if row else "") or "",
                    "evidence": (row.evidence if row else "") or "",
                    "contacts": contacts.get(question.id, []),
                    "critical_failure": question.id in result.critical_failures,
                }
            )
        percent = score.percent if score else None
        dimensions.append(
            {
                "id": section.id,
                "index": s_index,
                "title": section.title.get(lang),
                "description": section.description.get(lang) if section.description else "",
                "percent": _pct(percent),
                "percent_display": fmt_percent(percent, lang),
                "target": _pct(score.target) if score else None,
                "target_display": (
                    fmt_percent(score.target, lang) if score and score.target is not None else ""
                ),
                "gap_display": fmt(score.gap, lang) if score and score.gap is not None else "",
                "weight_display": fmt(section.weight, lang),
                "answered": score.answered if score else 0,
                "total": score.total if score else 0,
                "explanation": score.explanation.get(lang) if score else "",
                "questions": [q for q in questions if q["status"] != "hidden"],
                "all_questions": questions,
            }
        )
    return dimensions


def channel_label(channel: str, t: Translator) -> str:
    return {
        "in_person": t.gettext("In person"),
        "phone": t.gettext("Phone"),
        "email": t.gettext("E-mail"),
        "video": t.gettext("Video call"),
        "chat": t.gettext("Chat"),
        "letter": t.gettext("Letter"),
        "event": t.gettext("Event"),
    }.get(channel, channel)


def _contacts(
    evidence: dict[str, list[dict[str, Any]]], t: Translator
) -> dict[str, list[dict[str, Any]]]:
    """Interactions linked as evidence, per question, as JSON-ready values in `t.lang`."""
    return {
        question_id: [
            {
                "who": item["who_text"],
                "people": item["who"],
                "channel": item["channel"],
                "channel_label": channel_label(item["channel"], t),
                "date": t.date(item["occurred_at"]),
                "day": _local_day(item["occurred_at"]),
                "subject": item["subject"],
                "stale": item["stale"],
                "stale_label": (
                    t.gettext("stale: older than %(days)s days", days=item["stale_after_days"])
                    if item["stale"]
                    else ""
                ),
            }
            for item in items
        ]
        for question_id, items in evidence.items()
    }


def _dimension_ref(dimension: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": dimension["id"],
        "title": dimension["title"],
        "percent": dimension["percent"],
        "percent_display": dimension["percent_display"],
    }


def _level_label(level: str, t: Translator) -> str:
    return {"low": t.gettext("low"), "medium": t.gettext("medium"), "high": t.gettext("high")}.get(
        level, level
    )


def category_label(category: str, t: Translator) -> str:
    return {
        "quick_win": t.gettext("Quick win"),
        "major_project": t.gettext("Major project"),
        "fill_in": t.gettext("Fill-in"),
        "thankless": t.gettext("Low priority"),
    }.get(category, category)


def _recommendation(
    item: RecommendationItem, questionnaire: Questionnaire, numbers: dict[str, str], t: Translator
) -> dict[str, Any]:
    lang = t.lang
    section = next((s for s in questionnaire.sections if s.id == item.section_id), None)
    return {
        "id": item.id,
        "scope": item.scope,
        "text": item.text.get(lang),
        "horizon": item.horizon.get(lang) if item.horizon else "",
        "impact": item.impact,
        "impact_label": _level_label(item.impact, t),
        "effort": item.effort,
        "effort_label": _level_label(item.effort, t),
        "category": item.category,
        "category_label": category_label(item.category, t),
        "priority": round(item.priority, 2),
        "priority_display": fmt(item.priority, lang),
        "dimension": section.title.get(lang) if section else "",
        "questions": [numbers.get(tr.question_id, tr.question_id) for tr in item.triggered_by],
        "after": [numbers.get(b, b) for b in item.blocked_by],
    }


def _roadmap(recommendations: list[dict[str, Any]], t: Translator) -> list[dict[str, Any]]:
    phases = [
        (
            "quick_wins",
            ("quick_win",),
            t.gettext("Quick wins"),
            t.gettext("0–3 months"),
            t.gettext("High or medium impact for little effort: start here."),
        ),
        (
            "major_projects",
            ("major_project",),
            t.gettext("Major projects"),
            t.gettext("3–12 months"),
            t.gettext("High or medium impact that needs planning, a budget and an owner."),
        ),
        (
            "later",
            ("fill_in", "thankless"),
            t.gettext("Later improvements"),
            t.gettext("when capacity allows"),
            t.gettext("Low impact: do them alongside other work or when the main steps are done."),
        ),
    ]
    return [
        {
            "id": key,
            "title": title,
            "horizon": horizon,
            "intro": intro,
            "items": [r for r in recommendations if r["category"] in categories],
        }
        for key, categories, title, horizon, intro in phases
    ]


def _result_of(audit: Audit) -> AuditResult | None:
    return result_from_dict(audit.result) if audit.result else None


def _trend(audit: Audit, questionnaire: Questionnaire, t: Translator) -> dict[str, Any]:
    lang = t.lang
    series = [*earlier_audits(audit), audit]
    points: list[dict[str, Any]] = []
    previous: float | None = None
    for item in series:
        result = _result_of(item)
        if result is None:
            continue
        overall = result.overall
        delta = None if previous is None or overall is None else overall - previous
        points.append(
            {
                "audit_id": item.id,
                "iso": _local_day(item.submitted_at),
                "date": t.date(item.submitted_at, "medium"),
                "date_short": t.date(item.submitted_at, "short"),
                "overall": _pct(overall),
                "overall_display": fmt_percent(overall, lang),
                "delta_display": _signed(delta, lang),
                "verdict": result.verdict,
                "verdict_label": verdict_label(result.verdict, t),
                "level": _level(questionnaire, result.level_id, lang)["label"],
                "sections": {s.section_id: _pct(s.percent) for s in result.sections},
                "current": item.id == audit.id,
            }
        )
        previous = overall if overall is not None else previous
    rows = []
    for section in questionnaire.sections:
        values = [p["sections"].get(section.id) for p in points]
        rows.append(
            {
                "id": section.id,
                "title": section.title.get(lang),
                "values": [fmt_percent(v, lang) for v in values],
                "change": _signed(_change(values), lang),
            }
        )
    return {"points": points, "dimensions": rows, "has_history": len(points) > 1}


def _local_day(value: datetime | None) -> str:
    return _aware(value).astimezone(TIMEZONE).date().isoformat()


def _change(values: Sequence[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return known[-1] - known[0] if len(known) > 1 else None


def _signed(value: float | None, lang: str) -> str:
    if value is None:
        return ""
    if round(value, 1) == 0:
        return "±0"
    return ("+" if value > 0 else "−") + fmt(abs(value), lang)


def action_status_label(status: str, t: Translator) -> str:
    return {
        "todo": t.gettext("To do"),
        "in_progress": t.gettext("In progress"),
        "done": t.gettext("Done"),
        "dropped": t.gettext("Dropped"),
    }.get(status, status)


def _actions(audit: Audit, today: date, t: Translator) -> dict[str, Any]:
    """Actions agreed after earlier audits (and this one), with their status today."""
    audits = [*earlier_audits(audit), audit]
    ids = [a.id for a in audits]
    dates = {a.id: t.date(a.submitted_at, "medium") for a in audits}
    rows = db.session.scalars(
        select(Action).where(Action.audit_id.in_(ids)).order_by(Action.audit_id, Action.id)
    ).all()
    items = []
    counts = {"todo": 0, "in_progress": 0, "done": 0, "dropped": 0}
    for action in rows:
        overdue = (
            action.status in ("todo", "in_progress")
            and action.due_date is not None
            and action.due_date < today
        )
        counts[action.status] = counts.get(action.status, 0) + 1
        items.append(
            {
                "title": action.title,
                "owner": action.owner or "",
                "due": t.date(action.due_date, "medium") if action.due_date else "",
                "status": action.status,
                "status_label": action_status_label(action.status, t),
                "overdue": overdue,
                "audit_date": dates.get(action.audit_id, ""),
                "from_this_audit": action.audit_id == audit.id,
            }
        )
    return {
        "items": items,
        "done": counts.get("done", 0),
        "open": counts.get("todo", 0) + counts.get("in_progress", 0),
        "overdue": sum(1 for i in items if i["overdue"]),
        "total": len(items),
    }


def _method(questionnaire: Questionnaire, t: Translator) -> dict[str, Any]:
    rule = questionnaire.verdict
    lang = t.lang
    return {
        "ready_min_overall": fmt_percent(rule.ready_min_overall, lang),
        "ready_min_section": fmt_percent(rule.ready_min_section, lang),
        "conditional_min_overall": fmt_percent(rule.conditional_min_overall, lang),
        "critical_below": fmt_percent(rule.critical_below, lang),
        "critical_cap": verdict_label(rule.critical_cap, t),
        "provisional_below": fmt_percent(rule.provisional_below_coverage, lang),
    }


def _comparison(audit: Audit, other: Audit, today: date, t: Translator) -> dict[str, Any]:
    """Two audits of one organisation side by side: earlier ("before") and later."""
    lang = t.lang
    before, after = sorted((audit, other), key=lambda a: (_aware(a.submitted_at), a.id))
    q_before = audit_service.questionnaire_for(before)
    q_after = audit_service.questionnaire_for(after)
    r_before = audit_service.current_result(before)
    r_after = audit_service.current_result(after)

    def side(item: Audit, questionnaire: Questionnaire, result: AuditResult) -> dict[str, Any]:
        return {
            "audit_id": item.id,
            "date": t.date(item.submitted_at),
            "questionnaire": f"{questionnaire.title.get(lang)} {questionnaire.version}",
            "overall": _pct(result.overall),
            "overall_display": fmt_percent(result.overall, lang),
            "verdict": result.verdict,
            "verdict_label": verdict_label(result.verdict, t),
            "level": _level(questionnaire, result.level_id, lang)["label"],
            "coverage_display": fmt_percent(result.coverage, lang),
        }

    dimensions = []
    for index, section in enumerate(q_after.sections, start=1):
        now_score = r_after.section(section.id)
        then_score = r_before.section(section.id)
        then = then_score.percent if then_score else None
        now = now_score.percent if now_score else None
        delta = None if then is None or now is None else now - then
        dimensions.append(
            {
                "id": section.id,
                "index": index,
                "title": section.title.get(lang),
                "before": _pct(then),
                "after": _pct(now),
                "before_display": fmt_percent(then, lang),
                "after_display": fmt_percent(now, lang),
                "delta": None if delta is None else round(delta, 1),
                "delta_display": _signed(delta, lang),
                "direction": _direction(delta),
            }
        )

    numbers = {
        q.id: f"{si}.{qi}"
        for si, s in enumerate(q_after.sections, start=1)
        for qi, q in enumerate(s.questions, start=1)
    }
    answers_before = {a.question_id: a for a in before.answers}
    answers_after = {a.question_id: a for a in after.answers}
    changes = []
    for question in q_after.questions:
        old_q = q_before.question(question.id)
        s_now, s_then = r_after.question(question.id), r_before.question(question.id)
        if old_q is None or s_now is None or s_then is None:
            continue
        if s_now.answer == s_then.answer and s_now.status == s_then.status:
            continue
        shown_then, _meaning = _answer_view(old_q, s_then, answers_before.get(question.id), t)
        shown_now, _meaning = _answer_view(question, s_now, answers_after.get(question.id), t)
        delta = (
            None
            if s_now.percent is None or s_then.percent is None
            else s_now.percent - s_then.percent
        )
        changes.append(
            {
                "number": numbers.get(question.id, question.id),
                "text": question.text.get(lang),
                "before": shown_then,
                "after": shown_now,
                "before_display": fmt_percent(s_then.percent, lang),
                "after_display": fmt_percent(s_now.percent, lang),
                "delta": None if delta is None else round(delta, 1),
                "delta_display": _signed(delta, lang),
                "direction": _direction(delta),
            }
        )
    changes.sort(key=_largest_improvement_first)

    recs_before = {(i.id, i.target_id): i for i in recommend(q_before, r_before)}
    recs_after = {(i.id, i.target_id): i for i in recommend(q_after, r_after)}
    resolved = [
        {"text": i.text.get(lang), "category_label": category_label(i.category, t)}
        for key, i in recs_before.items()
        if key not in recs_after
    ]
    new = [
        {"text": i.text.get(lang), "category_label": category_label(i.category, t)}
        for key, i in recs_after.items()
        if key not in recs_before
    ]
    still_open = sum(1 for key in recs_after if key in recs_before)
    overall_delta = (
        None
        if r_before.overall is None or r_after.overall is None
        else r_after.overall - r_before.overall
    )
    improved = [d for d in dimensions if d["direction"] == "up"]
    declined = [d for d in dimensions if d["direction"] == "down"]
    return {
        "before": side(before, q_before, r_before),
        "after": side(after, q_after, r_after),
        "same_version": q_before.content_hash == q_after.content_hash,
        "overall_delta": None if overall_delta is None else round(overall_delta, 1),
        "overall_delta_display": _signed(overall_delta, lang),
        "direction": _direction(overall_delta),
        "dimensions": dimensions,
        "improved": len(improved),
        "declined": len(declined),
        "changes": changes,
        "resolved": resolved,
        "new": new,
        "still_open": still_open,
        "actions": _actions(after, today, t),
    }


def _largest_improvement_first(change: dict[str, Any]) -> float:
    delta = change["delta"]
    return -float(delta) if delta is not None else 1000.0


def _direction(delta: float | None) -> str:
    if delta is None:
        return "none"
    if delta >= 0.05:
        return "up"
    if delta <= -0.05:
        return "down"
    return "same"


def _verdict_sentence(context: dict[str, Any], t: Translator) -> str:
    result = context["result"]
    values = {"score": result["overall_display"], "level": result["level"]["label"]}
    weakest = context["weakest"][0]["title"] if context["weakest"] else ""
    if result["verdict"] == "ready":
        sentence = t.gettext(
            "The organisation is ready to implement a CRM system (overall score %(score)s, "
            "level “%(level)s”).",
            **values,
        )
    elif result["verdict"] == "conditional":
        sentence = t.gettext(
            "The organisation can implement a CRM system once the gaps below are closed "
            "(overall score %(score)s, level “%(level)s”).",
            **values,
        )
    else:
        sentence = t.gettext(
            "The organisation is not ready to implement a CRM system yet: the basics must "
            "come first (overall score %(score)s, level “%(level)s”).",
            **values,
        )
    if weakest and result["verdict"] != "ready":
        sentence += " " + t.gettext("Start with “%(dimension)s”.", dimension=weakest)
    if result["provisional"]:
        sentence += " " + t.gettext(
            "The result is provisional: too many answers are missing or unknown."
        )
    return sentence


def context_audit_ids(context: dict[str, Any]) -> list[int]:
    ids = [int(context["audit"]["id"])]
    comparison = context.get("comparison")
    if comparison:
        ids += [comparison["before"]["audit_id"], comparison["after"]["audit_id"]]
    return sorted(set(ids))
