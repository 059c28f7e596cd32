"""Public answering pages for invited respondents: /respond/<token>, no account needed.

The app lets the `respond` blueprint through without login; the signed token is the
only key and gives access to exactly one respondent's answers (a shared link only
lets a person start a new, anonymous answer set of its role). The answering form is
the audit's own (`audits/_question.html` and `audit.js`) with a different save URL.
"""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from audit_app.domain.questionnaire import Questionnaire, Section
from audit_app.errors import UserError
from audit_app.extensions import db, limiter
from audit_app.i18n import current_language
from audit_app.models import Audit, Respondent, RespondentLink
from audit_app.services import respondents as service
from audit_app.services.audits import questionnaire_for
from audit_app.web.audits.forms import (
    QuestionState,
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
from audit_app.web.audits.views import QuestionItem

bp = Blueprint("respond", __name__, url_prefix="/respond")

SESSION_KEY = "respond_links"  # shared link id -> the respondent this browser started


@bp.after_request
def _private(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def _gone(reason: str) -> ResponseReturnValue:
    status = 404 if reason == "not_found" else 410
    if request.is_json or request.accept_mimetypes.best == "application/json":
        locked = reason == "closed"
        return jsonify(
            ok=False, locked=locked, code="audit_locked" if locked else reason
        ), 409 if locked else status
    return render_template("respond/gone.html", reason=reason), status


def _resolve(token: str) -> Respondent | RespondentLink | str:
    try:
        return service.resolve(token)
    except service.LinkNotFound:
        return "not_found"
    except service.LinkGone as gone:
        return gone.reason


def _respondent(token: str) -> Respondent | str:
    found = _resolve(token)
    if isinstance(found, RespondentLink):
        return "not_found"  # a shared link has no answers of its own
    return found


def _audit(item: Respondent | RespondentLink) -> Audit:
    audit = db.session.get(Audit, item.audit_id)
    if audit is None:  # pragma: no cover - resolve checked it
        abort(404)
    return audit


def _role_label(questionnaire: Questionnaire, role: str) -> str:
    lang = current_language()
    return next((r.label.get(lang) for r in questionnaire.roles if r.id == role), role)


def _section(questionnaire: Questionnaire, section_id: str | None) -> Section:
    return next(
        (s for s in questionnaire.sections if s.id == section_id), questionnaire.sections[0]
    )


# --------------------------------------------------------------------------- pages


@bp.get("/<token>")
def show(token: str) -> ResponseReturnValue:
    found = _resolve(token)
    if isinstance(found, str):
        return _gone(found)
    if isinstance(found, RespondentLink):
        return _landing(token, found)
    audit = _audit(found)
    questionnaire = questionnaire_for(audit)
    return _render_section(
        token, found, audit, questionnaire, _section(questionnaire, request.args.get("section"))
    )


def _started_here(link: RespondentLink) -> Respondent | None:
    started = session.get(SESSION_KEY) or {}
    respondent_id = started.get(str(link.id)) if isinstance(started, dict) else None
    if not isinstance(respondent_id, int):
        return None
    respondent = db.session.get(Respondent, respondent_id)
    if respondent is None or respondent.link_id != link.id or respondent.revoked_at is not None:
        return None
    return respondent


def _landing(token: str, link: RespondentLink) -> ResponseReturnValue:
    own = _started_here(link)
    if own is not None:
        return redirect(url_for("respond.show", token=service.token_for(own)))
    audit = _audit(link)
    questionnaire = questionnaire_for(audit)
    return render_template(
        "respond/start.html",
        token=token,
        link=link,
        organisation=audit.organisation,
        questionnaire=questionnaire,
        role_label=_role_label(questionnaire, link.role),
        min_group_size=service.min_group_size(),
    )


@bp.post("/<token>/start")
@limiter.limit("60 per hour")
def start(token: str) -> ResponseReturnValue:
    found = _resolve(token)
    if isinstance(found, str):
        return _gone(found)
    if not isinstance(found, RespondentLink):
        return redirect(url_for("respond.show", token=token))
    own = _started_here(found)
    if own is None:
        own = service.start_from_link(found)
        db.session.commit()
        started = dict(session.get(SESSION_KEY) or {})
        started[str(found.id)] = own.id
        session[SESSION_KEY] = started
    return redirect(url_for("respond.show", token=service.token_for(own)))


def _render_section(
    token: str,
    respondent: Respondent,
    audit: Audit,
    questionnaire: Questionnaire,
    section: Section,
    posted: dict[str, QuestionState] | None = None,
    status: int = 200,
) -> ResponseReturnValue:
    rows = service.answer_rows(respondent)
    visible = service.visible_ids(respondent, questionnaire)
    numbers = {q.id: i for i, q in enumerate(questionnaire.questions, start=1)}
    items = [
        QuestionItem(
            question,
            numbers[question.id],
            (posted or {}).get(question.id) or state_from_answer(question, rows.get(question.id)),
            question.id in visible,
        )
        for question in section.questions
    ]
    sections = questionnaire.sections
    position = sections.index(section)
    return render_template(
        "respond/answer.html",
        token=token,
        respondent=respondent,
        audit=audit,
        organisation=audit.organisation,
        questionnaire=questionnaire,
        section=section,
        sections=sections,
        previous_section=sections[position - 1] if position > 0 else None,
        next_section=sections[position + 1] if position + 1 < len(sections) else None,
        items=items,
        progress=service.progress(respondent, questionnaire),
        section_counts=service.section_progress(respondent, questionnaire),
        hidden_count=sum(1 for item in items if not item.visible),
        role_label=_role_label(questionnaire, respondent.role),
        min_group_size=service.min_group_size(),
        lang=current_language(),
        display_value=display_value,
    ), status


@bp.post("/<token>")
def save_section(token: str) -> ResponseReturnValue:
    """The no-JavaScript path (and "Save and continue" with it): the whole section."""
    found = _respondent(token)
    if isinstance(found, str):
        return _gone(found)
    respondent = found
    audit = _audit(respondent)
    questionnaire = questionnaire_for(audit)
    section = _section(questionnaire, request.args.get("section"))
    posted_ids = set(posted_question_ids(request.form))
    rows = service.answer_rows(respondent)
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
        if (
            rows.get(question.id) is None
            and value is None
            and not (state.note.strip() or state.evidence.strip())
        ):
            continue
        try:
            # One person's own answers: the last save wins (no base revision).
            service.save_answer(
                respondent, question.id, value=value, note=state.note, evidence=state.evidence
            )
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
        return _render_section(token, respondent, audit, questionnaire, section, states, 400)
    position = questionnaire.sections.index(section)
    if position + 1 < len(questionnaire.sections):
        flash(_("Answers saved."), "success")
        following = questionnaire.sections[position + 1]
        return redirect(url_for("respond.show", token=token, section=following.id))
    service.finish(respondent)
    db.session.commit()
    return redirect(url_for("respond.done", token=token))


@bp.get("/<token>/done")
def done(token: str) -> ResponseReturnValue:
    found = _respondent(token)
    if isinstance(found, str):
        return _gone(found)
    audit = _audit(found)
    questionnaire = questionnaire_for(audit)
    return render_template(
        "respond/done.html",
        token=token,
        respondent=found,
        organisation=audit.organisation,
        questionnaire=questionnaire,
        progress=service.progress(found, questionnaire),
        min_group_size=service.min_group_size(),
    )


# --------------------------------------------------------------------------- autosave (JSON)


@bp.post("/<token>/answers/<question_id>")
def save(token: str, question_id: str) -> ResponseReturnValue:
    found = _respondent(token)
    if isinstance(found, str):
        return _gone(found)
    respondent = found
    audit = _audit(respondent)
    questionnaire = questionnaire_for(audit)
    question = questionnaire.question(question_id)
    if question is None:
        return json_error("unknown_question", 404)
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
    try:
        outcome = service.save_answer(
            respondent,
            question.id,
            value=coerce_json_value(question, payload.get("value")),
            note=note.replace("\r\n", "\n") if note is not None else None,
            evidence=evidence.replace("\r\n", "\n") if evidence is not None else None,
            base_revision=base,
        )
    except service.Conflict as conflict:
        stored = answer_json(conflict.current, question)
        db.session.rollback()
        return jsonify(ok=False, conflict=True, code="conflict", **stored), 409
    except UserError as error:
        db.session.rollback()
        if error.message == "audit_locked":
            return jsonify(
                ok=False, locked=True, code="audit_locked", message=_locked_message()
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
    body |= {
        "progress": service.progress(respondent, questionnaire).as_dict(),
        "sections": {
            sid: p.as_dict()
            for sid, p in service.section_progress(respondent, questionnaire).items()
        },
        "visible": sorted(service.visible_ids(respondent, questionnaire)),
    }
    return jsonify(body)


def _locked_message() -> str:
    return _("Answers are no longer being collected; thank you for taking part.")
