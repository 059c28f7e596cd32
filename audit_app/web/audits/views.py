"""Starting an audit, answering it section by section (autosave with JavaScript, a
plain form post without), reviewing and submitting, reopening (administrators)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required

from audit_app.domain.questionnaire import Question, Questionnaire, Section
from audit_app.errors import UserError
from audit_app.extensions import db
from audit_app.i18n import current_language
from audit_app.models import Audit
from audit_app.services import access
from audit_app.services import audits as service
from audit_app.services import evidence as evidence_service
from audit_app.services.questionnaires import catalogue
from audit_app.web.audits.forms import (
    QuestionState,
    ReopenForm,
    StartForm,
    SubmitForm,
    answer_json,
    coerce_json_value,
    display_value,
    error_message,
    json_error,
    posted_question_ids,
    state_from_answer,
    state_from_form,
    value_of,
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
    ), status


# --------------------------------------------------------------------------- answer


@dataclass
class QuestionItem:
    question: Question
    number: int
    state: QuestionState
    visible: bool

    @property
    def show_if_equals(self) -> list[str]:
        condition = self.question.show_if
        return list(condition.equals) if condition is not None else []


def _section(questionnaire: Questionnaire, section_id: str | None) -> Section:
    for section in questionnaire.sections:
        if section.id == section_id:
            return section
    return questionnaire.sections[0]


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
    visible = service.visible_ids(audit, questionnaire)
    numbers = {q.id: index for index, q in enumerate(questionnaire.questions, start=1)}
    items = []
    for question in section.questions:
        state = (posted or {}).get(question.id) or state_from_answer(
            question, rows.get(question.id)
        )
        items.append(QuestionItem(question, numbers[question.id], state, question.id in visible))
    position = questionnaire.sections.index(section)
    sections = questionnaire.sections
    return render_template(
        "audits/answer.html",
        audit=audit,
        organisation=audit.organisation,
        questionnaire=questionnaire,
        section=section,
        sections=sections,
        previous_section=sections[position - 1] if position > 0 else None,
        next_section=sections[position + 1] if position + 1 < len(sections) else None,
        items=items,
        progress=service.progress(audit, questionnaire),
        section_counts=service.section_progress(audit, questionnaire),
        hidden_count=sum(1 for item in items if not item.visible),
        editable=_editable(audit),
        rows=rows,
        lang=current_language(),
        display_value=display_value,
        # Evidence from the contact register (templates/evidence/_question_evidence.html).
        evidence=evidence_service.evidence_for(audit),
        evidence_candidates=(
            evidence_service.candidates(audit, current_user)
            if access.can_edit(current_user, audit.organisation)
            else []
        ),
    ), status


@bp.get("/audits/<int:audit_id>")
@login_required
def answer(audit_id: int) -> ResponseReturnValue:
    audit = access.audit_or_404(current_user, audit_id)
    if audit.status == "submitted":
        return redirect(url_for("results.show", audit_id=audit.id))
    questionnaire = service.questionnaire_for(audit)
    section = _section(questionnaire, request.args.get("section"))
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
    section = _section(questionnaire, request.args.get("section"))
    posted_ids = set(posted_question_ids(request.form))
    hidden_before = {q.id for q in section.questions} - service.visible_ids(audit, questionnaire)
    rows = service.answer_rows(audit)
    states: dict[str, QuestionState] = {}
    problems = 0
    for question in section.questions:
        if question.id not in posted_ids:
            continue
        state = state_from_form(question, request.form)
        states[question.id] = state
        value, code = value_of(question, state)
        if code is not None:
            state.error = error_message(code, question)
            problems += 1
            continue
        stored = rows.get(question.id)
        if stored is None and value is None and not (state.note.strip() or state.evidence.strip()):
            continue
        try:
            service.save_answer(
                audit,
                question.id,
                value=value,
                note=state.note,
                evidence=state.evidence,
                base_revision=state.revision,
                user=current_user,
            )
        except service.Conflict as conflict:
            state.conflict = conflict.current
            state.revision = conflict.current.revision  # saving again keeps this version
            state.error = _(
                "Someone else changed this answer while you were editing. Your version is "
                "shown; save again to keep it, or take theirs."
            )
            problems += 1
        except UserError as error:
            state.error = error_message(error.message, question)
            problems += 1
    db.session.commit()
    if problems:
        flash(
            _(
                "Some answers could not be saved; see the marked questions. "
                "Everything you entered is still here."
            ),
            "error",
        )
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
    position = questionnaire.sections.index(section)
    if position + 1 < len(questionnaire.sections):
        following = questionnaire.sections[position + 1]
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
        return jsonify(
            ok=False, locked=True, code="audit_locked", message=error_message("audit_locked")
        ), 409
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict):
        return json_error("bad_request", 400)
    note, evidence, base = (
        payload.get("note"),
        payload.get("evidence"),
        payload.get("base_revision"),
    )
    if not all(isinstance(v, str | None) for v in (note, evidence)):
        return json_error("bad_request", 400)
    if base is not None and (isinstance(base, bool) or not isinstance(base, int)):
        return json_error("bad_request", 400)
    value = coerce_json_value(question, payload.get("value"))
    try:
        outcome = service.save_answer(
            audit,
            question.id,
            value=value,
            note=note.replace("\r\n", "\n") if note is not None else None,
            evidence=evidence.replace("\r\n", "\n") if evidence is not None else None,
            base_revision=base,
            user=current_user,
        )
    except service.Conflict as conflict:
        stored = answer_json(conflict.current, question)
        db.session.rollback()
        return jsonify(ok=False, conflict=True, code="conflict", **stored), 409
    except UserError as error:
        db.session.rollback()
        if error.message == "audit_locked":
            return jsonify(
                ok=False, locked=True, code="audit_locked", message=error_message("audit_locked")
            ), 409
        return json_error(error.message, 400, question)
    saved = outcome.answer
    body: dict[str, Any] = {
        "ok": True,
        "changed": outcome.changed,
        "revision": saved.revision,
        "saved_at": saved.updated_at.isoformat() if saved.updated_at else None,
    }
    db.session.commit()
    progress = service.progress(audit, questionnaire)
    body |= {
        "progress": progress.as_dict(),
        "sections": {
            sid: p.as_dict() for sid, p in service.section_progress(audit, questionnaire).items()
        },
        "visible": sorted(service.visible_ids(audit, questionnaire)),
    }
    return jsonify(body)


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
