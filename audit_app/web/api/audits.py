"""/api/v1 audits: start, show, answer (with the web's conflict rule), submit, results,
the peer benchmark."""

from __future__ import annotations

from flask import request, url_for
from flask.typing import ResponseReturnValue

from audit_app.errors import UserError
from audit_app.extensions import db
from audit_app.services import audits as service
from audit_app.services.benchmarks import benchmark_document
from audit_app.services.questionnaires import catalogue
from audit_app.services.result_model import results_document
from audit_app.web.api import serialize
from audit_app.web.api.blueprint import (
    api_user,
    audit_for,
    bp,
    check_text,
    fail,
    int_field,
    json_body,
    organisation_for,
    text_field,
)
from audit_app.web.audits.forms import coerce_json_value, error_message
from audit_app.wording import REPORT_LANGUAGES

MAX_QUESTION_ID = 100


@bp.post("/organisations/<int:organisation_id>/audits")
def start_audit(organisation_id: int) -> ResponseReturnValue:
    organisation = organisation_for(organisation_id, edit=True)
    data = json_body()
    questionnaire_id = text_field(data, "questionnaire_id", required=True, max_length=100) or ""
    questionnaire = catalogue().get(questionnaire_id)
    if questionnaire is None:
        fail(422, "unknown_questionnaire", {"field": "questionnaire_id"})
    user = api_user()
    audit = service.start_audit(organisation, questionnaire, user)
    db.session.commit()
    return (
        serialize.audit_detail(audit, user),
        201,
        {"Location": url_for("api.get_audit", audit_id=audit.id)},
    )


@bp.get("/audits/<int:audit_id>")
def get_audit(audit_id: int) -> ResponseReturnValue:
    return serialize.audit_detail(audit_for(audit_id), api_user())


@bp.put("/audits/<int:audit_id>/answers/<question_id>")
def save_answer(audit_id: int, question_id: str) -> ResponseReturnValue:
    """Store one answer. `base_revision` (the revision the client last read; 0 = none)
    makes a save that would overwrite someone else's newer answer a 409 conflict."""
    audit = audit_for(audit_id, edit=True)
    questionnaire = service.questionnaire_for(audit)
    question = questionnaire.question(question_id) if len(question_id) <= MAX_QUESTION_ID else None
    if question is None:
        fail(404, "not_found", {"question_id": question_id[:MAX_QUESTION_ID]})
    if audit.status != "in_progress":
        fail(409, "audit_locked")
    data = json_body()
    if "value" not in data:
        fail(422, "field_required", {"field": "value"})
    check_text(data["value"], "value")
    note = text_field(data, "note")
    evidence = text_field(data, "evidence")
    base = int_field(data, "base_revision")
    user = api_user()
    try:
        outcome = service.save_answer(
            audit,
            question.id,
            value=coerce_json_value(question, data["value"]),
            note=note.replace("\r\n", "\n") if note is not None else None,
            evidence=evidence.replace("\r\n", "\n") if evidence is not None else None,
            base_revision=base,
            user=user,
        )
    except service.Conflict as conflict:
        current = serialize.answer(conflict.current)
        db.session.rollback()
        fail(409, "conflict", {"current": current})
    except UserError as error:
        db.session.rollback()
        if error.message == "audit_locked":
            fail(409, "audit_locked")
        fail(
            422,
            error.message,
            {"field": "value", "question_id": question.id},
            message=error_message(error.message, question),
        )
    saved = serialize.answer(outcome.answer)
    db.session.commit()
    return {
        "answer": saved,
        "changed": outcome.changed,
        "progress": service.progress(audit, questionnaire).as_dict(),
        "visible_questions": [
            q.id for q in questionnaire.questions if q.id in service.visible_ids(audit)
        ],
    }


@bp.post("/audits/<int:audit_id>/submit")
def submit_audit(audit_id: int) -> ResponseReturnValue:
    audit = audit_for(audit_id, edit=True)
    try:
        service.submit(audit, api_user())
    except UserError as error:
        db.session.rollback()
        if error.message == "already_submitted":
            fail(409, "already_submitted")
        # Unanswered questions: the audit is not in a state that can be submitted.
        missing = [m for m in (error.field or "").split(",") if m]
        fail(409, error.message, {"missing": missing})
    db.session.commit()
    return serialize.audit_detail(audit, api_user())


@bp.get("/audits/<int:audit_id>/results")
def audit_results(audit_id: int) -> ResponseReturnValue:
    """The frozen result of a submitted audit (a live, provisional one while in
    progress: `frozen` false), its recommendations in priority order, and `model`: the one
    result model in `lang` (default: the token user's language), the same figures,
    rankings and sentences as the results page and the PDF reports."""
    audit = audit_for(audit_id)
    lang = request.args.get("lang") or api_user().language or "pl"
    if lang not in REPORT_LANGUAGES:
        fail(422, "unknown_language", {"lang": lang})
    return results_document(audit, lang)


def _flag(name: str) -> bool:
    raw = request.args.get(name, "false")
    if raw not in ("true", "false"):
        fail(400, "invalid_parameter", {"parameter": name, "allowed": ["true", "false"]})
    return raw == "true"


@bp.get("/audits/<int:audit_id>/benchmark")
def audit_benchmark(audit_id: int) -> ResponseReturnValue:
    """How the audit compares with anonymised peers (the result model's `benchmark`):
    organisations of the same type, optionally the same size band or sector, that
    consented; same access as the results."""
    audit = audit_for(audit_id)
    lang = request.args.get("lang") or api_user().language or "pl"
    if lang not in REPORT_LANGUAGES:
        fail(422, "unknown_language", {"lang": lang})
    return benchmark_document(
        audit, lang, same_size=_flag("same_size"), same_sector=_flag("same_sector")
    )
