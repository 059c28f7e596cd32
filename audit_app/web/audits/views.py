"""Starting an audit, answering it section by section (autosave with JavaScript, a
plain form post without), reviewing and submitting, reopening (administrators)."""

from __future__ import annotations

from functools import partial

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required

from audit_app.domain.numbers import parse_id
from audit_app.domain.questionnaire import Question, Questionnaire, Section
from audit_app.errors import UserError
from audit_app.extensions import db
from audit_app.i18n import current_language
from audit_app.models import Audit, Campaign, CampaignMember
from audit_app.services import access, evidence_files
from audit_app.services import audits as service
from audit_app.services import evidence as evidence_service
from audit_app.services.questionnaires import catalogue
from audit_app.web import answering
from audit_app.web.audits.forms import (
    QuestionState,
    ReopenForm,
    StartForm,
    SubmitForm,
    error_message,
    posted_question_ids,
)

bp = Blueprint("audits", __name__)


# --------------------------------------------------------------------------- start


@bp.route("/organisations/<int:organisation_id>/audits/new", methods=["GET", "POST"])
@login_required
def start(organisation_id: int) -> ResponseReturnValue:
    organisation = access.organisation_or_404(current_user, organisation_id, edit=True)
    available = catalogue().all()
    # Suited to the organisation's type first, the most specific (fewest types) first.
    suited = sorted(
        (q for q in available if organisation.type in q.organisation_types),
        key=lambda q: len(q.organisation_types),
    )
    others = [q for q in available if organisation.type not in q.organisation_types]
    ordered = suited + others
    form = StartForm()
    form.questionnaire.choices = [(q.id, q.title.get(current_language())) for q in ordered]
    if not form.is_submitted() and len(suited) == 1:
        form.questionnaire.data = suited[0].id
    # "Start the campaign audit" (?campaign=<membership id>): the campaign's questionnaire.
    campaign = _campaign_of(organisation.id, request.args.get("campaign", ""))
    known = {q.id for q in ordered}
    if campaign is not None and not form.is_submitted() and campaign.questionnaire_id in known:
        form.questionnaire.data = campaign.questionnaire_id
    if form.validate_on_submit():
        questionnaire = catalogue().get(form.questionnaire.data or "")
        if questionnaire is None:  # pragma: no cover - choices only list known ones
            abort(400)
        audit = service.start_audit(organisation, questionnaire, current_user)
        db.session.commit()
        flash(_("The audit has started. Answers are saved as you go."), "success")
        return redirect(url_for("audits.answer", audit_id=audit.id))
    status = 400 if form.is_submitted() else 200
    return render_template(
        "audits/start.html",
        organisation=organisation,
        form=form,
        questionnaires=ordered,
        suited={q.id for q in suited},
        in_progress=service.in_progress_audits(organisation),
        campaign=campaign,
    ), status


def _campaign_of(organisation_id: int, member_id: str) -> Campaign | None:
    """The campaign of a membership of this organisation (None for anything else)."""
    found_id = parse_id(member_id)
    member = db.session.get(CampaignMember, found_id) if found_id is not None else None
    if member is None or member.organisation_id != organisation_id:
        return None
    return member.campaign


# --------------------------------------------------------------------------- answer


def _editable(audit: Audit) -> bool:
    return audit.status == "in_progress" and access.can_edit(current_user, audit.organisation)


def _render_section(
    audit: Audit,
    questionnaire: Questionnaire,
    section: Section,
    posted: dict[str, QuestionState] | None = None,
    status: int = 200,
) -> ResponseReturnValue:
    rows = service.answer_rows(audit)
    return render_template(
        "audits/answer.html",
        audit=audit,
        organisation=audit.organisation,
        editable=_editable(audit),
        rows=rows,
        # Evidence from the contact register (templates/evidence/_question_evidence.html).
        evidence=evidence_service.evidence_for(audit),
        evidence_candidates=(
            evidence_service.candidates(audit, current_user)
            if access.can_edit(current_user, audit.organisation)
            else []
        ),
        # Evidence files (templates/evidence/_question_files.html).
        evidence_files=evidence_files.files_of(audit),
        **answering.section_page(
            questionnaire,
            section,
            rows,
            lambda section_id: url_for("audits.answer", audit_id=audit.id, section=section_id),
            posted,
        ),
    ), status


@bp.get("/audits/<int:audit_id>")
@login_required
def answer(audit_id: int) -> ResponseReturnValue:
    audit = access.audit_or_404(current_user, audit_id)
    if audit.status == "submitted":
        return redirect(url_for("results.show", audit_id=audit.id))
    questionnaire = service.questionnaire_for(audit)
    # Coming back to answer (not to read): carry on at the first unanswered question.
    if "section" not in request.args and _editable(audit):
        resume = answering.resume_url(
            questionnaire,
            service.answers_of(audit),
            lambda section_id: url_for("audits.answer", audit_id=audit.id, section=section_id),
        )
        if resume is not None:
            return redirect(resume)
    section = answering.section_of(questionnaire, request.args.get("section"))
    return _render_section(audit, questionnaire, section)


@bp.post("/audits/<int:audit_id>")
@login_required
def save_section(audit_id: int) -> ResponseReturnValue:
    """The no-JavaScript path: save every answer of the posted section."""
    audit = access.audit_or_404(current_user, audit_id, edit=True)
    if audit.status != "in_progress":
        flash(error_message("audit_locked"), "error")
        return redirect(url_for("results.show", audit_id=audit.id))
    questionnaire = service.questionnaire_for(audit)
    section = answering.section_of(questionnaire, request.args.get("section"))
    posted_ids = set(posted_question_ids(request.form))
    hidden_before = {q.id for q in section.questions} - service.visible_ids(audit, questionnaire)
    states, problems = answering.save_posted_section(
        section,
        posted_ids,
        service.answer_rows(audit),
        partial(service.save_answer, audit, user=current_user),
    )
    db.session.commit()
    if problems:
        return _render_section(audit, questionnaire, section, states, status=400)
    visible = service.visible_ids(audit, questionnaire)
    appeared = [
        q.id
        for q in section.questions
        if q.id in visible and q.id in hidden_before and q.id not in posted_ids
    ]
    if appeared:
        flash(_("Your answers opened more questions in this section."), "info")
        return redirect(
            url_for(
                "audits.answer", audit_id=audit.id, section=section.id, _anchor=f"q-{appeared[0]}"
            )
        )
    flash(_("Answers saved."), "success")
    following = answering.following_section(questionnaire, section)
    if following is not None:
        return redirect(url_for("audits.answer", audit_id=audit.id, section=following.id))
    return redirect(url_for("audits.review", audit_id=audit.id))


# --------------------------------------------------------------------------- autosave (JSON)


@bp.post("/audits/<int:audit_id>/answers/<question_id>")
@login_required
def save(audit_id: int, question_id: str) -> ResponseReturnValue:
    audit = access.audit_or_404(current_user, audit_id, edit=True)
    questionnaire = service.questionnaire_for(audit)
    question = questionnaire.question(question_id)
    if question is None:
        abort(404)
    if audit.status != "in_progress":
        return answering.locked(error_message("audit_locked"))
    return answering.autosave(
        questionnaire,
        question,
        partial(service.save_answer, audit, user=current_user),
        lambda: service.stored_values(audit_id),
        locked_message=error_message("audit_locked"),
    )


# --------------------------------------------------------------------------- review, submit


def _render_review(
    audit: Audit,
    submit_form: SubmitForm | None = None,
    reopen_form: ReopenForm | None = None,
    status: int = 200,
) -> ResponseReturnValue:
    questionnaire = service.questionnaire_for(audit)
    missing: list[tuple[Section, list[Question]]] = []
    missing_ids: set[str] = set()
    result = None
    if audit.status == "in_progress":
        missing_ids = set(service.missing_questions(audit))
        for section in questionnaire.sections:
            questions = [q for q in section.questions if q.id in missing_ids]
            if questions:
                missing.append((section, questions))
        result = service.current_result(audit)
    numbers = {q.id: index for index, q in enumerate(questionnaire.questions, start=1)}
    return render_template(
        "audits/review.html",
        audit=audit,
        organisation=audit.organisation,
        questionnaire=questionnaire,
        missing=missing,
        missing_count=len(missing_ids),
        numbers=numbers,
        progress=service.progress(audit, questionnaire),
        result=result,
        editable=_editable(audit),
        submit_form=submit_form or SubmitForm(),
        reopen_form=reopen_form or ReopenForm(),
    ), status


@bp.get("/audits/<int:audit_id>/submit")
@login_required
def review(audit_id: int) -> ResponseReturnValue:
    audit = access.audit_or_404(current_user, audit_id)
    return _render_review(audit)


@bp.post("/audits/<int:audit_id>/submit")
@login_required
def submit(audit_id: int) -> ResponseReturnValue:
    audit = access.audit_or_404(current_user, audit_id, edit=True)
    if audit.status == "submitted":
        flash(_("This audit has already been submitted; its results are below."), "info")
        return redirect(url_for("results.show", audit_id=audit.id))
    form = SubmitForm()
    if not form.validate_on_submit():
        return _render_review(audit, submit_form=form, status=400)
    try:
        service.submit(audit, current_user)
    except UserError as error:
        db.session.rollback()
        if error.message == "already_submitted":
            flash(_("This audit has already been submitted; its results are below."), "info")
            return redirect(url_for("results.show", audit_id=audit.id))
        flash(_("Some questions are still unanswered; answer them before submitting."), "error")
        return _render_review(audit, submit_form=form, status=400)
    db.session.commit()
    flash(_("The audit has been submitted and its scores are frozen."), "success")
    return redirect(url_for("results.show", audit_id=audit.id))


@bp.post("/audits/<int:audit_id>/reopen")
@login_required
def reopen(audit_id: int) -> ResponseReturnValue:
    audit = access.audit_or_404(current_user, audit_id, edit=True)
    if not current_user.is_admin:
        abort(403)
    if audit.status != "submitted":
        flash(_("This audit is not submitted; it is already open for answers."), "info")
        return redirect(url_for("audits.answer", audit_id=audit.id))
    form = ReopenForm()
    if not form.validate_on_submit():
        return _render_review(audit, reopen_form=form, status=400)
    try:
        service.reopen(audit, current_user, form.reason.data or "")
    except UserError:
        db.session.rollback()
        form.reason.errors = [_("Give a reason; it is kept in the audit trail.")]
        return _render_review(audit, reopen_form=form, status=400)
    db.session.commit()
    flash(_("The audit has been reopened; answers can be changed again."), "success")
    return redirect(url_for("audits.answer", audit_id=audit.id))
