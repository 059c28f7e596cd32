"""Linking contact-register interactions to audit answers as evidence (plain form
posts from the answering page; each redirects back to the question)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required

from audit_app.domain.numbers import parse_id
from audit_app.errors import UserError
from audit_app.extensions import db
from audit_app.models import Audit
from audit_app.services import access
from audit_app.services import audits as audit_service
from audit_app.services import evidence as service

bp = Blueprint("evidence", __name__)


def _message(code: str) -> str:
    return {
        "unknown_question": _("This question is not part of the audit."),
        "interaction_not_found": _(
            "Choose an interaction with this organisation or its people from the list."
        ),
        "already_linked": _("This interaction is already linked to the question."),
    }.get(code, _("The evidence could not be linked."))


def back_to_question(audit: Audit, question_id: str | None) -> str:
    """The question on the answering page (or on the results once submitted)."""
    questionnaire = audit_service.questionnaire_for(audit)
    question = questionnaire.question(question_id or "")
    if audit.status == "submitted":
        anchor = f"question-{question.id}" if question else None
        return url_for("results.show", audit_id=audit.id, _anchor=anchor)
    section = questionnaire.section_of(question.id) if question else None
    return url_for(
        "audits.answer",
        audit_id=audit.id,
        section=section.id if section else None,
        _anchor=f"q-{question.id}" if question else None,
    )


@bp.post("/audits/<int:audit_id>/evidence")
@login_required
def link(audit_id: int) -> ResponseReturnValue:
    audit = access.audit_or_404(current_user, audit_id, edit=True)
    question_id = (request.form.get("question_id") or "").strip()
    raw = request.form.get(f"interaction-{question_id}") or request.form.get("interaction_id")
    try:
        interaction_id = parse_id((raw or "").strip())
        if interaction_id is None:
            raise UserError("interaction_not_found", field="interaction_id")
        service.link(audit, question_id, interaction_id, current_user)
    except UserError as error:
        db.session.rollback()
        message = _message(error.message)
        return render_template(
            "evidence/error.html",
            audit=audit,
            message=message,
            back=back_to_question(audit, question_id),
        ), 400
    db.session.commit()
    flash(_("The interaction is linked as evidence."), "success")
    return redirect(back_to_question(audit, question_id))


@bp.post("/audits/<int:audit_id>/evidence/<int:link_id>/unlink")
@login_required
def unlink(audit_id: int, link_id: int) -> ResponseReturnValue:
    audit = access.audit_or_404(current_user, audit_id, edit=True)
    try:
        removed = service.unlink(audit, link_id, current_user)
    except UserError:
        abort(404)
    question_id = removed.question_id
    db.session.commit()
    flash(_("The evidence link is removed; the interaction stays in the register."), "success")
    return redirect(back_to_question(audit, question_id))
