"""/api/v1 reports: request a PDF (202), follow its status, download it when finished."""

from __future__ import annotations

from flask import url_for
from flask.typing import ResponseReturnValue

from audit_app.errors import UserError
from audit_app.extensions import db
from audit_app.models import Audit, ReportRequest
from audit_app.services import access
from audit_app.services import report_requests as service
from audit_app.web.api import serialize
from audit_app.web.api.blueprint import (
    MAX_ID,
    api_user,
    audit_for,
    bp,
    check_id,
    fail,
    int_field,
    json_body,
    text_field,
)
from audit_app.web.pdf import pdf_response

STATUS_OF = {"not_submitted": 409}


def _request_or_404(request_id: int) -> ReportRequest:
    item = db.session.get(ReportRequest, check_id(request_id))
    if item is None:
        fail(404, "not_found")
    access.organisation_or_404(api_user(), item.organisation_id)
    return item


@bp.post("/audits/<int:audit_id>/reports")
def request_report(audit_id: int) -> ResponseReturnValue:
    audit = audit_for(audit_id, edit=True)
    data = json_body()
    design = text_field(data, "design", max_length=30) or "full"
    lang = text_field(data, "lang", max_length=5) or api_user().language or "pl"
    compare_id = int_field(data, "compare_to")
    compare_to = None
    if compare_id is not None:
        compare_to = db.session.get(Audit, compare_id) if 0 < compare_id <= MAX_ID else None
        if compare_to is None or compare_to.organisation_id != audit.organisation_id:
            fail(422, "bad_comparison", {"field": "compare_to"})
    try:
        item = service.create(audit, api_user(), design=design, lang=lang, compare_to=compare_to)
    except UserError as error:
        db.session.rollback()
        fail(STATUS_OF.get(error.message, 422), error.message, {"field": error.field})
    db.session.commit()
    service.dispatch(item)
    db.session.commit()
    status_url = url_for("api.report_status", request_id=item.id)
    return (
        serialize.report_request(item, service.report_of(item)),
        202,
        {"Location": status_url},
    )


@bp.get("/reports/<int:request_id>")
def report_status(request_id: int) -> ResponseReturnValue:
    item = _request_or_404(request_id)
    before = item.status
    service.refresh(item)
    if item.status != before:
        db.session.commit()
    return serialize.report_request(item, service.report_of(item))


@bp.get("/reports/<int:request_id>/pdf")
def report_pdf(request_id: int) -> ResponseReturnValue:
    """The archived PDF, byte for byte as issued."""
    item = _request_or_404(request_id)
    report = service.report_of(item)
    if item.status == "failed":
        fail(409, "report_failed", {"status": item.status, "error": item.error})
    if item.status != "finished" or report is None:
        fail(409, "report_not_ready", {"status": item.status})
    return pdf_response(report)
