"""The consultant's side of several respondents: invite by link, see who answered,
remind, exclude a response with a reason, close collection, preview the perception gap.

Everyone who may see the audit sees this page (the perception summary respects the
anonymity threshold); the links themselves and every change are for those who may
edit the audit (viewers get 403 on every POST).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from audit_app.domain.questionnaire import Questionnaire
from audit_app.errors import UserError
from audit_app.extensions import db
from audit_app.i18n import current_language
from audit_app.models import Audit, Respondent, RespondentLink
from audit_app.models.respondents import CONSULTANT_ROLE
from audit_app.services import access
from audit_app.services import respondents as service
from audit_app.services.audits import questionnaire_for
from audit_app.services.mail import outbox
from audit_app.web.respondents.forms import (
    ConfirmForm,
    ConsultantRoleForm,
    ExcludeForm,
    InviteForm,
    LinkForm,
)
from audit_app.web.respondents.mail_views import invite_by_mail, mail_context

bp = Blueprint("respondents", __name__)


def _role_choices(questionnaire: Questionnaire) -> list[SelectChoice]:
    lang = current_language()
    return [SelectChoice(r.id, r.label.get(lang)) for r in questionnaire.roles]


def _role_labels(questionnaire: Questionnaire) -> dict[str, str]:
    lang = current_language()
    labels = {r.id: r.label.get(lang) for r in questionnaire.roles}
    labels[CONSULTANT_ROLE] = _("Consultant")
    return labels


def _forms(audit: Audit, questionnaire: Questionnaire, **given: Any) -> dict[str, Any]:
    invite = given.get("invite_form") or InviteForm(prefix="invite")
    link = given.get("link_form") or LinkForm(prefix="link")
    invite.role.choices = _role_choices(questionnaire)
    link.role.choices = _role_choices(questionnaire)
    own = given.get("role_form") or ConsultantRoleForm(prefix="own")
    own.role.choices = [SelectChoice(CONSULTANT_ROLE, _("Consultant (a group of its own)"))] + [
        SelectChoice(r.id, r.label.get(current_language())) for r in questionnaire.roles
    ]
    if not own.is_submitted():
        own.role.data = service.consultant_role(audit)
    return {
        "invite_form": invite,
        "link_form": link,
        "role_form": own,
        "exclude_form": given.get("exclude_form") or ExcludeForm(prefix="exclude"),
        "exclude_for": given.get("exclude_for"),
        "confirm_form": ConfirmForm(),
    }


def _link_url(item: Respondent | RespondentLink) -> str:
    return url_for("respond.show", token=service.token_for(item), _external=True)


def _mailto(
    audit: Audit, questionnaire: Questionnaire, url: str, email: str = "", name: str = ""
) -> str:
    lang = current_language()
    subject = _(
        "Your view on %(organisation)s: %(title)s",
        organisation=audit.organisation.name,
        title=questionnaire.title.get(lang),
    )
    greeting = _("Hello %(name)s,", name=name) if name else _("Hello,")
    body = "\n\n".join(
        [
            greeting,
            _(
                "we are assessing how ready %(organisation)s is for CRM and would like to hear "
                "how you see it. Answering takes about 15 minutes and works on a phone; your "
                "answers are saved as you go.",
                organisation=audit.organisation.name,
            ),
            url,
            _("Thank you!"),
        ]
    )
    return f"mailto:{quote(email, safe='@')}?subject={quote(subject)}&body={quote(body)}"


def _render(audit: Audit, status: int = 200, **given: Any) -> ResponseReturnValue:
    questionnaire = questionnaire_for(audit)
    editable = access.can_edit(current_user, audit.organisation)
    rows = []
    anonymous_number = 0
    people = service.respondents_of(audit)
    for respondent in people:
        answers = service.answers_of_respondent(respondent)
        if respondent.anonymous:
            anonymous_number += 1
        url = _link_url(respondent) if editable else ""
        rows.append(
            {
                "respondent": respondent,
                "number": anonymous_number if respondent.anonymous else None,
                "progress": service.progress(respondent, questionnaire),
                "answered": service.has_answered(answers),
                "status": service.status_of(respondent, answers),
                "link_status": service.status_of_link(respondent),
                "url": url,
                "mailto": (
                    _mailto(audit, questionnaire, url, respondent.email, respondent.name)
                    if editable and not respondent.anonymous
                    else ""
                ),
            }
        )
    links = []
    for link in service.links_of(audit):
        url = _link_url(link) if editable else ""
        links.append(
            {
                "link": link,
                "url": url,
                "status": service.status_of_link(link),
                # The same status as each row of the list: the counts agree.
                "started": sum(
                    service.status_of(r, service.answers_of_respondent(r)) in service.STARTED
                    for r in link.respondents
                ),
                "mailto": _mailto(audit, questionnaire, url) if editable else "",
            }
        )
    return render_template(
        "respondents/index.html",
        audit=audit,
        organisation=audit.organisation,
        questionnaire=questionnaire,
        rows=rows,
        links=links,
        role_labels=_role_labels(questionnaire),
        editable=editable,
        collection_open=service.is_open(audit),
        perception=service.perception_context(audit, current_language()),
        min_group_size=service.min_group_size(),
        **_forms(audit, questionnaire, **given),
        **mail_context(audit, people),
    ), status


def _respondent_or_404(audit: Audit, respondent_id: int) -> Respondent:
    found = service.respondent_of_audit(audit, respondent_id)
    if found is None:
        abort(404)
    return found


def _back(audit: Audit) -> ResponseReturnValue:
    return redirect(url_for("respondents.index", audit_id=audit.id))


def _if_confirmed(change: Callable[[], None], message: str) -> None:
    """The one-button POSTs: make the change only when the confirm form (CSRF) is valid."""
    if ConfirmForm().validate_on_submit():
        change()
        db.session.commit()
        flash(message, "success")


@bp.get("/audits/<int:audit_id>/respondents")
@login_required
def index(audit_id: int) -> ResponseReturnValue:
    audit = access.audit_or_404(current_user, audit_id)
    return _render(audit)


def _user_error(error: UserError) -> str:
    return {
        "unknown_role": _("Choose one of the questionnaire's roles."),
        "bad_days": _("Choose how long the link stays valid."),
        "too_long": _("This text is too long."),
        "reason_required": _("Give a reason; it is kept in the audit trail."),
    }.get(error.message, _("The change could not be saved."))


def _show_error(form: InviteForm | LinkForm, error: UserError) -> None:
    """Undo the refused change; its message goes on the field it names (else the role)."""
    db.session.rollback()
    field = getattr(form, error.field or "role", form.role)
    field.errors = [_user_error(error)]


@bp.post("/audits/<int:audit_id>/respondents/invite")
@login_required
def invite(audit_id: int) -> ResponseReturnValue:
    audit = access.audit_or_404(current_user, audit_id, edit=True)
    questionnaire = questionnaire_for(audit)
    form = InviteForm(prefix="invite")
    form.role.choices = _role_choices(questionnaire)
    if not form.validate_on_submit():
        return _render(audit, 400, invite_form=form)
    try:
        respondent = service.invite(
            audit,
            role=form.role.data or "",
            user=current_user,
            department=form.department.data or "",
            name=form.name.data or "",
            email=form.email.data or "",
            days=int(form.days.data or service.DEFAULT_DAYS),
        )
    except UserError as error:
        _show_error(form, error)
        return _render(audit, 400, invite_form=form)
    message = invite_by_mail(audit, respondent, form)
    db.session.commit()
    outbox.wake_sender()
    flash(message, "success")
    return redirect(url_for("respondents.remind", audit_id=audit.id, respondent_id=respondent.id))


@bp.post("/audits/<int:audit_id>/respondents/links")
@login_required
def create_link(audit_id: int) -> ResponseReturnValue:
    audit = access.audit_or_404(current_user, audit_id, edit=True)
    questionnaire = questionnaire_for(audit)
    form = LinkForm(prefix="link")
    form.role.choices = _role_choices(questionnaire)
    if not form.validate_on_submit():
        return _render(audit, 400, link_form=form)
    try:
        service.create_link(
            audit,
            role=form.role.data or "",
            user=current_user,
            department=form.department.data or "",
            days=int(form.days.data or service.DEFAULT_DAYS),
        )
    except UserError as error:
        _show_error(form, error)
        return _render(audit, 400, link_form=form)
    db.session.commit()
    flash(_("The shared link is ready; copy it below."), "success")
    return redirect(url_for("respondents.index", audit_id=audit.id, _anchor="shared-links"))


@bp.post("/audits/<int:audit_id>/respondents/consultant-role")
@login_required
def consultant_role(audit_id: int) -> ResponseReturnValue:
    audit = access.audit_or_404(current_user, audit_id, edit=True)
    questionnaire = questionnaire_for(audit)
    form = ConsultantRoleForm(prefix="own")
    form.role.choices = [SelectChoice(CONSULTANT_ROLE, CONSULTANT_ROLE)] + [
        SelectChoice(r.id, r.id) for r in questionnaire.roles
    ]
    if not form.validate_on_submit():
        return _render(audit, 400, role_form=form)
    service.set_consultant_role(audit, form.role.data or CONSULTANT_ROLE, current_user)
    db.session.commit()
    flash(_("Saved."), "success")
    return _back(audit)


@bp.post("/audits/<int:audit_id>/respondents/close")
@login_required
def close(audit_id: int) -> ResponseReturnValue:
    audit = access.audit_or_404(current_user, audit_id, edit=True)
    _if_confirmed(
        lambda: service.close(audit, current_user),
        _("Collection is closed: the links no longer accept answers."),
    )
    return _back(audit)


@bp.post("/audits/<int:audit_id>/respondents/reopen")
@login_required
def reopen(audit_id: int) -> ResponseReturnValue:
    audit = access.audit_or_404(current_user, audit_id, edit=True)
    _if_confirmed(lambda: service.reopen(audit, current_user), _("Collection is open again."))
    return _back(audit)


@bp.get("/audits/<int:audit_id>/respondents/<int:respondent_id>/remind")
@login_required
def remind(audit_id: int, respondent_id: int) -> ResponseReturnValue:
    audit = access.audit_or_404(current_user, audit_id, edit=True)
    respondent = _respondent_or_404(audit, respondent_id)
    questionnaire = questionnaire_for(audit)
    url = _link_url(respondent)
    return render_template(
        "respondents/remind.html",
        audit=audit,
        organisation=audit.organisation,
        respondent=respondent,
        role_labels=_role_labels(questionnaire),
        url=url,
        mailto=_mailto(audit, questionnaire, url, respondent.email, respondent.name),
        link_status=service.status_of_link(respondent),
        confirm_form=ConfirmForm(),
        **mail_context(audit, [respondent]),
    )


@bp.get("/audits/<int:audit_id>/respondents/<int:respondent_id>/exclude")
@login_required
def exclude_form(audit_id: int, respondent_id: int) -> ResponseReturnValue:
    audit = access.audit_or_404(current_user, audit_id, edit=True)
    respondent = _respondent_or_404(audit, respondent_id)
    return _render_exclude(audit, respondent, ExcludeForm(prefix="exclude"))


def _render_exclude(
    audit: Audit, respondent: Respondent, form: ExcludeForm, status: int = 200
) -> ResponseReturnValue:
    questionnaire = questionnaire_for(audit)
    return render_template(
        "respondents/exclude.html",
        audit=audit,
        organisation=audit.organisation,
        respondent=respondent,
        role_labels=_role_labels(questionnaire),
        form=form,
    ), status


@bp.post("/audits/<int:audit_id>/respondents/<int:respondent_id>/exclude")
@login_required
def exclude(audit_id: int, respondent_id: int) -> ResponseReturnValue:
    audit = access.audit_or_404(current_user, audit_id, edit=True)
    respondent = _respondent_or_404(audit, respondent_id)
    form = ExcludeForm(prefix="exclude")
    if not form.validate_on_submit():
        return _render_exclude(audit, respondent, form, 400)
    try:
        service.exclude(respondent, form.reason.data or "", current_user)
    except UserError as error:
        db.session.rollback()
        form.reason.errors = [_user_error(error)]
        return _render_exclude(audit, respondent, form, 400)
    db.session.commit()
    flash(_("The response is excluded from the results."), "success")
    return _back(audit)


@bp.post("/audits/<int:audit_id>/respondents/<int:respondent_id>/include")
@login_required
def include(audit_id: int, respondent_id: int) -> ResponseReturnValue:
    audit = access.audit_or_404(current_user, audit_id, edit=True)
    respondent = _respondent_or_404(audit, respondent_id)
    _if_confirmed(
        lambda: service.include(respondent, current_user), _("The response counts again.")
    )
    return _back(audit)
