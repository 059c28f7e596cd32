"""Evidence files of audit answers: attach (a plain form post from the answering page,
which redirects back to the question), download, remove."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, request
from flask.typing import ResponseReturnValue
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_login import current_user, login_required

from audit_app.errors import UserError
from audit_app.extensions import db
from audit_app.services import access
from audit_app.services import evidence_files as service
from audit_app.web.downloads import download
from audit_app.web.evidence.views import back_to_question

bp = Blueprint("evidence_files", __name__)


def message(code: str) -> str:
    limit = format_decimal(current_app.config["EVIDENCE_MAX_MB"])
    return {
        "unknown_question": _("This question is not part of the audit."),
        "no_file": _("Choose a file to attach."),
        "file_empty": _("The file is empty."),
        "file_too_large": _("The file is larger than %(mb)s MB; attach a smaller one.", mb=limit),
        "file_type_not_allowed": _(
            "Only PDF files, images (PNG, JPEG, GIF, WebP) and office documents (Word, "
            "Excel, PowerPoint, OpenDocument, RTF) can be attached. The type is read "
            "from the file's content, not from its name."
        ),
    }.get(code, _("The file could not be attached."))


@bp.post("/audits/<int:audit_id>/evidence-files")
@login_required
def upload(audit_id: int) -> ResponseReturnValue:
    audit = access.audit_or_404(current_user, audit_id, edit=True)
    question_id = (request.form.get("question_id") or "").strip()
    file = request.files.get(f"file-{question_id}")
    try:
        if file is None or not file.filename:
            raise UserError("no_file", field="file")
        service.attach(audit, question_id, file.filename, file.read(), user=current_user)
    except UserError as error:
        db.session.rollback()
        flash(message(error.message), "error")
        return redirect(back_to_question(audit, question_id))
    db.session.commit()
    flash(_("The file is attached as evidence."), "success")
    return redirect(back_to_question(audit, question_id))


@bp.get("/audits/<int:audit_id>/evidence-files/<int:file_id>")
@login_required
def download_file(audit_id: int, file_id: int) -> ResponseReturnValue:
    audit = access.audit_or_404(current_user, audit_id)
    try:
        row = service.file_of(audit, file_id)
        data = service.content(row)
    except UserError:
        abort(404)
    return download(data, row.content_type, row.filename)


@bp.post("/audits/<int:audit_id>/evidence-files/<int:file_id>/remove")
@login_required
def remove(audit_id: int, file_id: int) -> ResponseReturnValue:
    audit = access.audit_or_404(current_user, audit_id, edit=True)
    try:
        question_id = service.file_of(audit, file_id).question_id
        service.remove(audit, file_id, current_user)
    except UserError:
        abort(404)
    db.session.commit()
    flash(_("The file is removed."), "success")
    return redirect(back_to_question(audit, question_id))


@bp.app_template_global()
def file_size(size: int) -> str:
    if size < 1024 * 1024:
        return _("%(n)s KB", n=format_decimal(max(1, round(size / 1024))))
    return _("%(n)s MB", n=format_decimal(round(size / 1024 / 1024, 1)))


@bp.app_template_global()
def evidence_max_mb() -> str:
    return str(format_decimal(current_app.config["EVIDENCE_MAX_MB"]))
