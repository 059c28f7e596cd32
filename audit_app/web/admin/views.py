"""User administration: list, create and edit accounts (administrators only)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from audit_app.errors import UserError
from audit_app.extensions import db
from audit_app.models import User
from audit_app.services import users as service
from audit_app.services.mail import outbox, password_reset, settings
from audit_app.web.admin.forms import ROLE_LABELS, EditUserForm, NewUserForm
from audit_app.web.auth.forms import LANGUAGE_CHOICES
from audit_app.web.auth.views import keep_session
from audit_app.web.form_base import AppForm
from audit_app.web.form_errors import show_error
from audit_app.web.sorting import sorting_from

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
@login_required
def require_admin() -> None:
    if not current_user.is_admin:
        abort(403)


@bp.app_template_global()
def role_label(code: str | None) -> str:
    """The translated label of a role code ("viewer" -> "Viewer")."""
    label = ROLE_LABELS.get(code or "")
    return str(label) if label is not None else (code or "")


def _error_message(error: UserError) -> str:
    messages = {
        "email_taken": _("A user with this e-mail address already exists."),
        "self_demotion": _(
            "You cannot take the administrator role away from yourself. "
            "Ask another administrator to do it."
        ),
        "self_deactivation": _(
            "You cannot deactivate your own account. Ask another administrator to do it."
        ),
        "password_too_short": _("Use at least %(n)d characters.", n=service.MIN_PASSWORD),
        "name_required": _("Enter the user's name."),
        "unknown_role": _("Choose one of the listed roles."),
        "unknown_language": _("Choose one of the listed languages."),
        "unknown_organisation": _("One of the chosen organisations no longer exists."),
    }
    return messages.get(error.message, _("The data could not be saved."))


@bp.route("/users")
def users() -> ResponseReturnValue:
    sorting = sorting_from(request.args, list(service.SORT_COLUMNS), "name")
    return render_template(
        "admin/users.html",
        rows=service.list_users(sorting.column, sorting.descending),
        sorting=sorting,
        languages={c.value: c.label for c in LANGUAGE_CHOICES},
        mail_on=settings.enabled(),
        mail_counts=outbox.counts(),
    )


@bp.route("/users/new", methods=["GET", "POST"])
def create_user() -> ResponseReturnValue:
    form = NewUserForm()
    if form.validate_on_submit():
        try:
            user = service.create(
                current_user,
                email=form.email.data or "",
                name=form.name.data or "",
                password=form.password.data or "",
                role=form.role.data or "viewer",
                language=form.language.data or "pl",
            )
        except UserError as error:
            db.session.rollback()
            show_error(form, error, _error_message(error))
        else:
            notice = password_reset.notify_new_user(user)
            db.session.commit()
            outbox.wake_sender()
            flash(_("The account of %(name)s was created.", name=user.name), "success")
            if notice is not None:
                flash(_("%(email)s is told about it by e-mail.", email=user.email), "info")
            return redirect(url_for("admin.edit_user", user_id=user.id))
    return render_template("admin/new_user.html", form=form)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
def edit_user(user_id: int) -> ResponseReturnValue:
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    organisations = service.all_organisations()
    created = service.created_ids(user)
    form = EditUserForm(obj=user)
    form.organisations.choices = [SelectChoice(o.id, o.name) for o in organisations]
    if not form.is_submitted():
        form.organisations.data = sorted(service.access_ids(user))
    if form.validate_on_submit():
        try:
            changes = service.update(
                current_user,
                user,
                name=form.name.data or "",
                role=form.role.data or "",
                language=form.language.data or "",
                active=bool(form.active.data),
                password=form.password.data or None,
                organisation_ids=form.organisations.data or [],
            )
        except UserError as error:
            db.session.rollback()
            show_error(form, error, _error_message(error))
        else:
            db.session.commit()
            if user.id == current_user.id:
                keep_session(user)  # your own new password does not log you out here
            if changes:
                flash(_("The changes to %(name)s were saved.", name=user.name), "success")
            else:
                flash(_("Nothing was changed."), "info")
            return redirect(url_for("admin.users"))
    return render_template(
        "admin/edit_user.html",
        sessions_form=AppForm(),
        form=form,
        user=user,
        created=created,
        is_self=user.id == current_user.id,
    )


@bp.route("/users/<int:user_id>/sessions", methods=["POST"])
def end_sessions(user_id: int) -> ResponseReturnValue:
    """ "Log out everywhere": every browser signed in as this user must log in again."""
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    if not AppForm().validate_on_submit():
        abort(400)
    service.log_out_everywhere(current_user, user)
    db.session.commit()
    if user.id == current_user.id:
        return redirect(url_for("auth.login"))
    flash(_("%(name)s was logged out everywhere.", name=user.name), "success")
    return redirect(url_for("admin.edit_user", user_id=user.id))
