"""The plain data a report is rendered from.

`build_context` turns an audit (and the organisation's other audits) into nested
dicts, lists, strings and numbers in the report's language: nothing in it refers to
the database, so the same JSON can be stored with the issued PDF, rendered again
and shown on the read-only share page.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Any

from flask import current_app
from sqlalchemy import select

from audit_app.domain.answer_text import action_status_label, verdict_label
from audit_app.domain.questionnaire import Questionnaire
from audit_app.domain.scoring import to_json
from audit_app.domain.scoring_text import fmt_percent
from audit_app.errors import UserError
from audit_app.extensions import db
from audit_app.models import Action, Audit, User
from audit_app.reporting.glyphs import printable
from audit_app.services import audits as audit_service
from audit_app.services.respondents import perception_context
from audit_app.services.result_model import earlier_audits, previous_audit, result_model
from audit_app.wording import Translator, translator

# 2: the one result model (December 2026); 1: the report's own figures (share pages of
# reports issued before still read it).
CONTEXT_FORMAT = 2
DESIGNS = ("full", "brief", "progress")
# In the report's language unless REPORT_BRAND_NAME names the firm.
DEFAULT_BRAND_NAMES = {"pl": "Audyt gotowości CRM", "en": "CRM Readiness Audit"}
DEFAULT_BRAND_LOGO = "brand/logo.svg"
DEFAULT_ACCENT = "#1f5f8b"
_COLOUR = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")


class ContextError(Exception):
    """The report cannot be built (code for the web layer and the CLI)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


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
    """Everything a report design needs, as plain JSON-ready values in `lang`: the one
    result model (`services.result_model`) plus who issued the report, when and for whom."""
    if design not in DESIGNS:
        raise ContextError("unknown_design")
    if audit.status != "submitted":
        raise ContextError("not_submitted")
    t = translator(lang)
    now = now or datetime.now(UTC)
    other = None
    if design == "progress":
        other = compare_to or previous_audit(audit)
        if other is None or other.id == audit.id:
            raise ContextError("nothing_to_compare")
    try:
        view = result_model(
            audit,
            lang,
            compare_to=other,
            perception=perception_context(audit, lang) if design == "full" else None,
        )
    except UserError as error:
        raise ContextError("bad_comparison") from error
    questionnaire = audit_service.questionnaire_for(audit)
    consultant = db.session.get(User, audit.created_by_id) if audit.created_by_id else None
    context: dict[str, Any] = to_json(view)
    context.update(
        {
            "format": CONTEXT_FORMAT,
            "design": design,
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
            # The share page of reports issued before the model read this key.
            "top_actions": context["first_actions"],
            "actions": _actions(audit, now.date(), t),
            "method": _method(questionnaire, t),
        }
    )
    if design != "progress":
        context["comparison"] = None
    cleaned: dict[str, Any] = printable(context, current_app.config["REPORTS_DIR"] / "fonts")
    return cleaned


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


def context_audit_ids(context: dict[str, Any]) -> list[int]:
    ids = [int(context["audit"]["id"])]
    comparison = context.get("comparison")
    if comparison:
        ids += [comparison["before"]["audit_id"], comparison["after"]["audit_id"]]
    return sorted(set(ids))
