"""Models and domain objects as the API's JSON (see openapi.py for the schemas)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import url_for

from audit_app.domain.questionnaire import Option, Question, Questionnaire, Section, Text
from audit_app.models import Answer, Audit, IssuedReport, Organisation, ReportRequest, User
from audit_app.services import access
from audit_app.services import audits as audit_service


def iso(value: datetime | None) -> str | None:
    """RFC 3339 timestamps; SQLite hands back naive datetimes, which are UTC here."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.isoformat()


def text(value: Text | None) -> dict[str, str] | None:
    return None if value is None else {"pl": value.pl, "en": value.en}


def organisation(
    item: Organisation,
    user: User,
    *,
    audit_count: int | None = None,
    latest_overall: float | None = None,
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": item.id,
        "name": item.name,
        "type": item.type,
        "size": item.size,
        "sector": item.sector,
        "city": item.city,
        "created_at": iso(item.created_at),
        "can_edit": access.can_edit(user, item),
        "links": {
            "self": url_for("api.get_organisation", organisation_id=item.id),
            "audits": url_for("api.organisation_audits", organisation_id=item.id),
        },
    }
    if audit_count is not None:
        data["audit_count"] = audit_count
        data["latest_overall"] = latest_overall
    return data


def audit_summary(item: Audit, questionnaire: Questionnaire | None = None) -> dict[str, Any]:
    stored = item.questionnaire_version
    questionnaire = questionnaire or audit_service.questionnaire_for(item)
    return {
        "id": item.id,
        "organisation_id": item.organisation_id,
        "status": item.status,
        "questionnaire": {
            "id": stored.questionnaire_id,
            "version": stored.version,
            "title": text(questionnaire.title),
        },
        "started_at": iso(item.started_at),
        "submitted_at": iso(item.submitted_at),
        "overall": item.overall,
        "verdict": item.verdict,
        "links": {
            "self": url_for("api.get_audit", audit_id=item.id),
            "results": url_for("api.audit_results", audit_id=item.id),
            "organisation": url_for("api.get_organisation", organisation_id=item.organisation_id),
        },
    }


def answer(item: Answer) -> dict[str, Any]:
    return {
        "question_id": item.question_id,
        "value": item.value,
        "note": item.note,
        "evidence": item.evidence,
        "revision": item.revision,
        "updated_at": iso(item.updated_at),
    }


def audit_detail(item: Audit, user: User) -> dict[str, Any]:
    questionnaire = audit_service.questionnaire_for(item)
    data = audit_summary(item, questionnaire)
    progress = audit_service.progress(item, questionnaire)
    data |= {
        "questionnaire_content_hash": item.questionnaire_version.content_hash,
        "can_edit": item.status == "in_progress" and access.can_edit(user, item.organisation),
        "progress": progress.as_dict(),
        "answers": {
            question_id: answer(row)
            for question_id, row in sorted(audit_service.answer_rows(item).items())
        },
        "visible_questions": [
            q.id for q in questionnaire.questions if q.id in audit_service.visible_ids(item)
        ],
        "missing_questions": (
            audit_service.missing_questions(item) if item.status == "in_progress" else []
        ),
    }
    data["links"]["questionnaire"] = url_for(
        "api.get_questionnaire", questionnaire_id=questionnaire.id
    )
    return data


def questionnaire_summary(item: Questionnaire) -> dict[str, Any]:
    return {
        "id": item.id,
        "version": item.version,
        "title": text(item.title),
        "description": text(item.description),
        "organisation_types": list(item.organisation_types),
        "section_count": len(item.sections),
        "question_count": len(item.questions),
        "content_hash": item.content_hash,
        "links": {"self": url_for("api.get_questionnaire", questionnaire_id=item.id)},
    }


def _option(item: Option) -> dict[str, Any]:
    return {
        "value": item.value,
        "score": item.score,
        "label": text(item.label),
        "anchor": text(item.anchor),
    }


def _question(item: Question) -> dict[str, Any]:
    condition = item.show_if
    return {
        "id": item.id,
        "type": item.type,
        "text": text(item.text),
        "help": text(item.help),
        "evidence": text(item.evidence),
        "weight": item.weight,
        "critical": item.critical,
        "scored": item.scored,
        "dont_know": item.dont_know,
        "not_applicable": item.not_applicable,
        "options": [_option(o) for o in item.choices],
        "bands": [
            {"min": b.min, "max": b.max, "score": b.score, "label": text(b.label)}
            for b in item.bands
        ],
        "unit": text(item.unit),
        "show_if": (
            None
            if condition is None
            else {
                "question": condition.question,
                "equals": list(condition.equals),
                "min_score": condition.min_score,
            }
        ),
        "requires": item.requires,
    }


def _section(item: Section) -> dict[str, Any]:
    return {
        "id": item.id,
        "title": text(item.title),
        "description": text(item.description),
        "weight": item.weight,
        "questions": [_question(q) for q in item.questions],
    }


def questionnaire_detail(item: Questionnaire) -> dict[str, Any]:
    data = questionnaire_summary(item)
    data |= {
        "sections": [_section(s) for s in item.sections],
        "levels": [
            {"id": level.id, "min": level.min, "label": text(level.label)} for level in item.levels
        ],
    }
    return data


def issued_report(item: IssuedReport) -> dict[str, Any]:
    return {
        "id": item.id,
        "filename": item.filename,
        "size": item.size,
        "pages": item.pages,
        "sha256": item.sha256,
        "created_at": iso(item.created_at),
    }


def report_request(item: ReportRequest, report: IssuedReport | None) -> dict[str, Any]:
    links = {
        "self": url_for("api.report_status", request_id=item.id),
        "audit": url_for("api.get_audit", audit_id=item.audit_id),
    }
    if item.status == "finished" and report is not None:
        links["pdf"] = url_for("api.report_pdf", request_id=item.id)
    return {
        "id": item.id,
        "audit_id": item.audit_id,
        "organisation_id": item.organisation_id,
        "design": item.design,
        "lang": item.lang,
        "status": item.status,
        "error": item.error,
        "created_at": iso(item.created_at),
        "started_at": iso(item.started_at),
        "finished_at": iso(item.finished_at),
        "report": issued_report(report) if report is not None else None,
        "links": links,
    }
