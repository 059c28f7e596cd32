"""Public answering pages for invited respondents: /respond/<token>, no account needed.

The app lets the `respond` blueprint through without login; the signed token is the
only key and gives access to exactly one respondent's answers (a shared link only
lets a person start a new, anonymous answer set of its role). The answering page is
the audit's own (`web/answering.py`, `audits/_answering.html`, `audit.js`) with other
URLs and texts.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
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
from audit_app.extensions import db, limiter
from audit_app.i18n import current_language
from audit_app.models import Audit, Respondent, RespondentLink
from audit_app.services import evidence_files
from audit_app.services import respondents as service
from audit_app.services.audits import questionnaire_for
from audit_app.web import answering
from audit_app.web.audits.forms import QuestionState, json_error, posted_question_ids

bp = Blueprint("respond", __name__, url_prefix="/respond")

SESSION_KEY = "respond_links"  # shared link id -> the respondent this browser started


@bp.after_request
def _private(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def _gone(reason: str) -> ResponseReturnValue:
    """The page (or JSON for audit.js) of a link that opens nothing: 404 unknown, 410
    expired, revoked or the audit submitted; 409 while collection is paused."""
    status = 404 if reason == "not_found" else 410
    if request.is_json or request.accept_mimetypes.best == "application/json":
        if reason == "submitted":
            return jsonify(ok=False, locked=True, code="audit_closed"), 410
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


def _page(template: str, token: str, audit: Audit, **values: Any) -> str:
    """A respondent page, with what all of them show: who asks, and the anonymity
    threshold."""
    return render_template(
        template,
        token=token,
        audit=audit,
        organisation=audit.organisation,
        min_group_size=service.min_group_size(),
        **values,
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
    if "section" not in request.args:  # a personal link again: carry on where they were
        resume = answering.resume_url(
            questionnaire,
            service.answers_of_respondent(found),
            lambda section_id: url_for("respond.show", token=token, section=section_id),
        )
        if resume is not None:
            return redirect(resume)
    section = answering.section_of(questionnaire, request.args.get("section"))
    return _render_section(token, found, audit, questionnaire, section)


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
    return _page(
        "respond/start.html",
        token,
        audit,
        link=link,
        questionnaire=questionnaire,
        role_label=_role_label(questionnaire, link.role),
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
    return _page(
        "respond/answer.html",
        token,
        audit,
        respondent=respondent,
        role_label=_role_label(questionnaire, respondent.role),
        # The respondent's own evidence files (web/respond/files.py), where allowed.
        evidence_files=(
            evidence_files.files_of(audit, respondent)
            if current_app.config["EVIDENCE_FROM_RESPONDENTS"]
            else None
        ),
        **answering.section_page(
            questionnaire,
            section,
            service.answer_rows(respondent),
            lambda section_id: url_for("respond.show", token=token, section=section_id),
            posted,
        ),
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
    section = answering.section_of(questionnaire, request.args.get("section"))
    states, problems = answering.save_posted_section(
        section,
        set(posted_question_ids(request.form)),
        service.answer_rows(respondent),
        partial(service.save_answer, respondent),
        last_save_wins=True,  # one person's own answers: no base revision
    )
    db.session.commit()
    if problems:
        return _render_section(token, respondent, audit, questionnaire, section, states, 400)
    following = answering.following_section(questionnaire, section)
    if following is not None:
        flash(_("Answers saved."), "success")
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
    return _page(
        "respond/done.html",
        token,
        audit,
        respondent=found,
        questionnaire=questionnaire,
        progress=service.progress(found, questionnaire),
    )


# --------------------------------------------------------------------------- autosave (JSON)


@bp.post("/<token>/answers/<question_id>")
def save(token: str, question_id: str) -> ResponseReturnValue:
    found = _respondent(token)
    if isinstance(found, str):
        return _gone(found)
    respondent = found
    questionnaire = questionnaire_for(_audit(respondent))
    question = questionnaire.question(question_id)
    if question is None:
        return json_error("unknown_question", 404)
    return answering.autosave(
        questionnaire,
        question,
        partial(service.save_answer, respondent),
        lambda: service.answers_of_respondent(respondent),
        locked_message=_("Answers are no longer being collected; thank you for taking part."),
    )
