"""Administrators manage questionnaires in the browser: upload and check a file,
preview it as respondents will see it, compare it with the version in use, publish it
for new audits, withdraw or offer again a questionnaire."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from audit_app.domain.questionnaire import Questionnaire
from audit_app.errors import UserError
from audit_app.extensions import db
from audit_app.services import questionnaire_admin as service
from audit_app.services.questionnaires import catalogue
from audit_app.web import answering
from audit_app.web.audits.forms import json_error, posted_question_ids
from audit_app.web.questionnaire_admin.forms import ActionForm, UploadForm
from audit_app.web.questionnaire_admin.preview import PreviewSave, preview_answers, preview_rows

bp = Blueprint("questionnaire_admin", __name__, url_prefix="/admin/questionnaires")
LANGUAGES = ("pl", "en")


@bp.before_request
@login_required
def require_admin() -> None:
    if not current_user.is_admin:
        abort(403)


def _message(code: str) -> str:
    messages = {
        "draft_not_found": _("This uploaded file is no longer available; upload it again."),
        "already_published": _("This exact file is already the version in use."),
        "version_not_higher": _(
            "The version in the file is not higher than the version in use. Raise "
            "'version' in the file (e.g. from 1.0.0 to 1.1.0) and upload it again."
        ),
        "questionnaire_not_found": _("There is no questionnaire with this id."),
    }
    return messages.get(code, _("The change could not be made."))


@bp.get("")
def index() -> ResponseReturnValue:
    return _index(UploadForm())


def _index(form: UploadForm, problems: list[Any] | None = None, status: int = 200) -> Any:
    cat = catalogue()
    return render_template(
        "questionnaire_admin/index.html",
        form=form,
        action_form=ActionForm(),
        questionnaires=cat.everything(),
        withdrawn=cat.withdrawn,
        load_errors=cat.errors,
        load_warnings=cat.warnings,
        problems=problems,
    ), status


@bp.post("")
def upload() -> ResponseReturnValue:
    form = UploadForm()
    if not form.validate_on_submit():
        return _index(form, status=400)
    file = form.file.data
    try:
        digest = service.upload(file.read(), file.filename or "upload.yaml")
    except service.UploadInvalid as invalid:
        return _index(form, invalid.problems, 400)
    return redirect(url_for("questionnaire_admin.draft", digest=digest))


def _draft_or_404(digest: str) -> Questionnaire:
    questionnaire = service.draft(digest)
    if questionnaire is None:
        abort(404)
    return questionnaire


@bp.get("/drafts/<digest>")
def draft(digest: str) -> ResponseReturnValue:
    questionnaire = _draft_or_404(digest)
    return render_template(
        "questionnaire_admin/draft.html",
        digest=digest,
        questionnaire=questionnaire,
        current=service.in_use(questionnaire.id),
        changes=service.changes_of(questionnaire),
        form=ActionForm(),
    )


@bp.post("/drafts/<digest>/publish")
def publish(digest: str) -> ResponseReturnValue:
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        published = service.publish(digest, current_user)
    except UserError as error:
        flash(_message(error.message), "error")
        return redirect(url_for("questionnaire_admin.draft", digest=digest))
    db.session.commit()
    flash(
        _(
            "Version %(version)s of “%(title)s” is published: new audits use it. "
            "Audits already started keep their version.",
            version=published.version,
            title=published.title.get(_lang()),
        ),
        "success",
    )
    return redirect(url_for("questionnaire_admin.index"))


@bp.post("/<questionnaire_id>/withdraw")
def withdraw(questionnaire_id: str) -> ResponseReturnValue:
    return _set_offered(questionnaire_id, withdrawn=True)


@bp.post("/<questionnaire_id>/offer")
def offer(questionnaire_id: str) -> ResponseReturnValue:
    return _set_offered(questionnaire_id, withdrawn=False)


def _set_offered(questionnaire_id: str, *, withdrawn: bool) -> ResponseReturnValue:
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        service.withdraw(questionnaire_id, current_user, withdrawn=withdrawn)
    except UserError as error:
        flash(_message(error.message), "error")
        return redirect(url_for("questionnaire_admin.index"))
    db.session.commit()
    if withdrawn:
        flash(_("The questionnaire is withdrawn: new audits can no longer use it."), "success")
    else:
        flash(_("The questionnaire is offered for new audits again."), "success")
    return redirect(url_for("questionnaire_admin.index"))


# --------------------------------------------------------------------------- preview


def _lang() -> str:
    lang = request.args.get("lang")
    return lang if lang in LANGUAGES else str(current_user.language or "pl")


def _render_preview(
    digest: str, questionnaire: Questionnaire, posted: Any = None, status: int = 200
) -> ResponseReturnValue:
    lang = _lang()
    section = answering.section_of(questionnaire, request.args.get("section"))
    with force_locale(lang):
        page = answering.section_page(
            questionnaire,
            section,
            preview_rows(digest),  # type: ignore[arg-type]  # looks like stored answers
            lambda section_id: url_for(
                "questionnaire_admin.preview", digest=digest, section=section_id, lang=lang
            ),
            posted,
        )
        html = render_template(
            "questionnaire_admin/preview.html", digest=digest, preview_lang=lang, **page
        )
    return html, status


@bp.get("/drafts/<digest>/preview")
def preview(digest: str) -> ResponseReturnValue:
    return _render_preview(digest, _draft_or_404(digest))


@bp.post("/drafts/<digest>/preview")
def preview_section(digest: str) -> ResponseReturnValue:
    """The no-JavaScript path: keep the section's answers, go to the next section."""
    questionnaire = _draft_or_404(digest)
    section = answering.section_of(questionnaire, request.args.get("section"))
    with force_locale(_lang()):
        states, problems = answering.save_posted_section(
            section,
            set(posted_question_ids(request.form)),
            preview_rows(digest),  # type: ignore[arg-type]
            PreviewSave(digest, questionnaire),
            last_save_wins=True,
        )
    if problems:
        return _render_preview(digest, questionnaire, states, 400)
    following = answering.following_section(questionnaire, section)
    target = following.id if following is not None else section.id
    return redirect(
        url_for("questionnaire_admin.preview", digest=digest, section=target, lang=_lang())
    )


@bp.post("/drafts/<digest>/preview/answers/<question_id>")
def preview_answer(digest: str, question_id: str) -> ResponseReturnValue:
    """audit.js's autosave, into the session."""
    questionnaire = _draft_or_404(digest)
    question = questionnaire.question(question_id)
    if question is None:
        return json_error("unknown_question", 404)
    return answering.autosave(
        questionnaire,
        question,
        PreviewSave(digest, questionnaire),
        lambda: preview_answers(digest),
        locked_message="",
    )


@bp.app_template_global()
def scoring_field(code: str) -> str:
    """The translated name of a `ScoringChange.field` (domain/questionnaire_diff.py)."""
    names = {
        "type": _("Answer type"),
        "weight": _("Weight"),
        "critical": _("Critical"),
        "options": _("Answers and their points"),
        "bands": _("Number ranges and their points"),
        "max_score": _("Points for 100 %"),
        "dont_know": _("“Don't know” offered"),
        "not_applicable": _("“Not applicable” offered"),
        "recommendations": _("Recommendations (fire below a score)"),
        "section_weight": _("Section weight"),
        "levels": _("Maturity levels"),
        "verdict": _("Verdict thresholds"),
        "targets": _("Targets"),
    }
    return names.get(code, code)
