"""/api/v1/questionnaires: the catalogue of questionnaires new audits can use."""

from __future__ import annotations

from flask.typing import ResponseReturnValue

from audit_app.services.questionnaires import catalogue
from audit_app.web.api import serialize
from audit_app.web.api.blueprint import bp, fail, page, paging


@bp.get("/questionnaires")
def list_questionnaires() -> ResponseReturnValue:
    limit, offset = paging()
    questionnaires = catalogue().all()
    items = [serialize.questionnaire_summary(q) for q in questionnaires[offset : offset + limit]]
    return page(items, len(questionnaires), limit, offset)


@bp.get("/questionnaires/<questionnaire_id>")
def get_questionnaire(questionnaire_id: str) -> ResponseReturnValue:
    questionnaire = catalogue().get(questionnaire_id)
    if questionnaire is None:
        fail(404, "not_found")
    return serialize.questionnaire_detail(questionnaire)
