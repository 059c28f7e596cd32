"""Evidence files of an invited respondent's own answers (when EVIDENCE_FROM_RESPONDENTS
allows it): attach, download and remove, with the respondent's token as the only key.
A respondent sees only their own files; the audit's editors see all of them."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from audit_app.errors import UserError
from audit_app.extensions import db, limiter
from audit_app.models import EvidenceFile, Respondent
from audit_app.services import evidence_files as service
from audit_app.services.audits import questionnaire_for
from audit_app.web.downloads import download
from audit_app.web.evidence_files.views import message
from audit_app.web.respond.views import _audit, _gone, _respondent, bp


def _allowed(token: str) -> Respondent | ResponseReturnValue:
    if not current_app.config["EVIDENCE_FROM_RESPONDENTS"]:
        abort(404)
    found = _respondent(token)
    return _gone(found) if isinstance(found, str) else found


def _back(token: str, respondent: Respondent, question_id: str) -> str:
    questionnaire = questionnaire_for(_audit(respondent))
    question = questionnaire.question(question_id)
    section = questionnaire.section_of(question.id) if question else None
    return url_for("respond.show", token=token, section=section.id if section else None,
                   _anchor=f"q-{question_id}" if question else None)  # fmt: skip


def _own(respondent: Respondent, file_id: int) -> EvidenceFile:
    try:
        row = service.file_of(_audit(respondent), file_id)
    except UserError:
        abort(404)
    if row.respondent_id != respondent.id:
        abort(404)
    return row


@bp.post("/<token>/evidence-files")
@limiter.limit("60 per hour")
def upload_file(token: str) -> ResponseReturnValue:
    respondent = _allowed(token)
    if not isinstance(respondent, Respondent):
        return respondent
    question_id = (request.form.get("question_id") or "").strip()
    file = request.files.get(f"file-{question_id}")
    try:
        if file is None or not file.filename:
            raise UserError("no_file", field="file")
        service.attach(_audit(respondent), question_id, file.filename, file.read(),
                       respondent=respondent)  # fmt: skip
    except UserError as error:
        db.session.rollback()
        flash(message(error.message), "error")
        return redirect(_back(token, respondent, question_id))
    db.session.commit()
    flash(_("The file is attached as evidence."), "success")
    return redirect(_back(token, respondent, question_id))


@bp.get("/<token>/evidence-files/<int:file_id>")
def download_file(token: str, file_id: int) -> ResponseReturnValue:
    respondent = _allowed(token)
    if not isinstance(respondent, Respondent):
        return respondent
    row = _own(respondent, file_id)
    try:
        data = service.content(row)
    except UserError:
        abort(404)
    return download(data, row.content_type, row.filename)


@bp.post("/<token>/evidence-files/<int:file_id>/remove")
def remove_file(token: str, file_id: int) -> ResponseReturnValue:
    respondent = _allowed(token)
    if not isinstance(respondent, Respondent):
        return respondent
    row = _own(respondent, file_id)
    question_id = row.question_id
    service.remove(_audit(respondent), file_id, None)
    db.session.commit()
    flash(_("The file is removed."), "success")
    return redirect(_back(token, respondent, question_id))
