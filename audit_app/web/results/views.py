"""Results of an audit (with the recommendations roadmap and its actions), an
organisation's history, and the comparison of two audits."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required

from audit_app.domain.scoring_text import fmt, fmt_percent
from audit_app.errors import NotFound, UserError
from audit_app.extensions import db
from audit_app.i18n import current_language, page_date_labels, when_label
from audit_app.models import Action, Audit
from audit_app.services import access, campaigns
from audit_app.services import actions as action_service
from audit_app.services.audits import questionnaire_for
from audit_app.services.compare import (
    audit_date,
    compare_view,
    history_view,
    organisation_audit,
    organisation_audits,
)
from audit_app.services.respondents import perception_context
from audit_app.services.results import results_page
from audit_app.web.form_errors import show_error
from audit_app.web.results.forms import ActionForm, CompareForm

bp = Blueprint("results", __name__)


def _signed(value: float | None) -> str:
    """A change in percentage points with its sign: "+5", "−2.5", "0"; "–" for none."""
    if value is None:
        return "–"
    text = fmt(abs(value), current_language())
    if text == "0":
        return "0"
    return ("+" if value > 0 else "−") + text


@bp.context_processor
def helpers() -> dict[str, Any]:
    lang = current_language()
    return {
        "fmt_pct": lambda value: fmt_percent(value, lang),
        "fmt_number": lambda value: "–" if value is None else fmt(value, lang),
        "fmt_change": _signed,
        "audit_date": audit_date,
    }


def _error_message(error: UserError) -> str:
    messages = {
        "audit_not_submitted": _("Actions can be planned once the audit is submitted."),
        "unknown_recommendation": _("This recommendation is not part of the audit's results."),
        "title_required": _("Describe the action."),
        "title_too_long": _("The action is too long."),
        "owner_too_long": _("The owner's name is too long."),
        "unknown_status": _("Choose a status from the list."),
        "same_audit": _("Pick two different audits to compare."),
        "different_questionnaires": _(
            "These audits were answered with different questionnaires and cannot be compared. "
            "Pick two audits of the same questionnaire."
        ),
    }
    return messages.get(error.message, error.message)


def _render_results(
    audit: Audit,
    *,
    new_forms: dict[str, ActionForm] | None = None,
    edit_forms: dict[int, ActionForm] | None = None,
    status: int = 200,
) -> ResponseReturnValue:
    view = results_page(
        audit,
        current_language(),
        area=request.args.get("area", ""),
        horizon=request.args.get("horizon", ""),
    )
    can_edit = access.can_edit(current_user, audit.organisation)
    create_forms: dict[str, ActionForm] = {}
    update_forms: dict[int, ActionForm] = {}
    if can_edit:
        new_forms = new_forms or {}
        edit_forms = edit_forms or {}
        for item in view.model.recommendations:
            create_forms[item.id] = new_forms.get(item.id) or ActionForm(
                prefix=f"new-{item.id}",
                formdata=None,
                # The short title; a heading cut from the text loses its "…".
                data={"title": item.title.removesuffix("…"), "status": "todo"},
            )
        for action in audit.actions:
            update_forms[action.id] = _edit_form(action, edit_forms)
    return (
        render_template(
            "results/show.html",
            view=view,
            can_edit=can_edit,
            create_forms=create_forms,
            update_forms=update_forms,
            open_form=next(iter(new_forms or {}), None),
            failed_forms=[*(new_forms or {}).values(), *(edit_forms or {}).values()],
            perception=perception_context(audit, current_language()),
        ),
        status,
    )


def _edit_form(action: Action, edit_forms: dict[int, ActionForm]) -> ActionForm:
    return edit_forms.get(action.id) or ActionForm(
        prefix=f"action-{action.id}", formdata=None, obj=action
    )


def _show_error(form: ActionForm, error: UserError) -> None:
    """Undo the refused change and say why: on its field, else (e.g. an unknown
    recommendation) flashed."""
    db.session.rollback()
    show_error(form, error, _error_message(error))


def _action_fields(form: ActionForm) -> dict[str, Any]:
    """The action form's fields as the action service takes them."""
    return {
        "title": form.title.data or "",
        "owner": form.owner.data or "",
        "due_date": form.due_date.data,
        "status": form.status.data or "todo",
    }


def _to_action(action: Action) -> ResponseReturnValue:
    return redirect(url_for(".show", audit_id=action.audit_id, _anchor=f"action-{action.id}"))


@bp.route("/audits/<int:audit_id>/results")
@login_required
def show(audit_id: int) -> ResponseReturnValue:
    try:
        audit = access.audit_or_404(current_user, audit_id)
    except NotFound:
        # A campaign's organiser sees the results of members that agreed to share them.
        shared = db.session.get(Audit, audit_id)
        if shared is None or not campaigns.organiser_may_see(current_user, shared):
            raise
        audit = shared
    return _render_results(audit)


@bp.route("/audits/<int:audit_id>/actions", methods=["GET", "POST"])
@login_required
def create_action(audit_id: int) -> ResponseReturnValue:
    audit = access.audit_or_404(current_user, audit_id, edit=True)
    if request.method == "GET":  # a failed post is shown at this URL: reload, bookmark
        return redirect(url_for(".show", audit_id=audit.id))
    recommendation_id = request.form.get("recommendation_id", "")
    form = ActionForm(prefix=f"new-{recommendation_id}")
    if form.validate_on_submit():
        try:
            action = action_service.create_action(
                audit, recommendation_id, **_action_fields(form), user=current_user
            )
        except UserError as error:
            _show_error(form, error)
        else:
            db.session.commit()
            flash(_("Action added to the plan."), "success")
            return _to_action(action)
    return _render_results(audit, new_forms={recommendation_id: form}, status=400)


@bp.route("/actions/<int:action_id>", methods=["GET", "POST"])
@login_required
def update_action(action_id: int) -> ResponseReturnValue:
    action = action_service.action_or_404(current_user, action_id, edit=True)
    if request.method == "GET":
        return _to_action(action)
    audit = action.audit
    form = ActionForm(prefix=f"action-{action.id}")
    if form.validate_on_submit():
        try:
            changed = action_service.update_action(
                action, **_action_fields(form), user=current_user
            )
        except UserError as error:
            _show_error(form, error)
        else:
            db.session.commit()
            flash(_("Action saved.") if changed else _("Nothing to change."), "success")
            return _to_action(action)
    return _render_results(audit, edit_forms={action.id: form}, status=400)


@bp.route("/organisations/<int:organisation_id>/history")
@login_required
def history(organisation_id: int) -> ResponseReturnValue:
    organisation = access.organisation_or_404(current_user, organisation_id)
    labels = page_date_labels()
    view = history_view(organisation, current_language(), labels.day)
    form = _compare_form(view.audits, formdata=False, when=labels.when)
    first, second = view.default_pair
    if first is not None:
        form.a.data = first
    if second is not None:
        form.b.data = second
    return render_template("results/history.html", view=view, form=form)


def _compare_form(
    audits: list[Audit], *, formdata: bool, when: Callable[[datetime], str] = when_label
) -> CompareForm:
    form = CompareForm(formdata=request.args if formdata else None)
    lang = current_language()
    choices = [(audit.id, _audit_choice(audit, when, lang)) for audit in reversed(audits)]
    form.a.choices = choices
    form.b.choices = choices
    return form


def _audit_choice(audit: Audit, when: Callable[[datetime], str], lang: str) -> str:
    questionnaire = questionnaire_for(audit)
    state = fmt_percent(audit.overall, lang) if audit.status == "submitted" else _("in progress")
    return _(
        "%(date)s · %(title)s %(version)s · %(state)s",
        date=when(audit_date(audit)),
        title=questionnaire.title.get(lang),
        version=questionnaire.version,
        state=state,
    )


@bp.route("/organisations/<int:organisation_id>/compare")
@login_required
def compare(organisation_id: int) -> ResponseReturnValue:
    organisation = access.organisation_or_404(current_user, organisation_id)
    a_id = request.args.get("a", type=int)
    b_id = request.args.get("b", type=int)
    if a_id is None or b_id is None:
        flash(_("Pick two audits to compare."), "info")
        return redirect(url_for(".history", organisation_id=organisation.id))
    first = organisation_audit(organisation, a_id)
    second = organisation_audit(organisation, b_id)
    if first is None or second is None:
        abort(404)
    form = _compare_form(organisation_audits(organisation), formdata=True)
    try:
        # Two audits of one day told apart: date and time.
        view = compare_view(organisation, first, second, current_language(), when_label)
    except UserError as error:
        return (
            render_template(
                "results/compare.html",
                view=None,
                organisation=organisation,
                error=_error_message(error),
                form=form,
            ),
            400,
        )
    return render_template(
        "results/compare.html", view=view, organisation=organisation, error=None, form=form
    )
