"""Forgotten password: ask for a link by e-mail, then choose a new password with it.

Asking answers the same whether or not the address has an account (and is rate
limited like logging in); the link works once, for an hour; after the reset every
session of the user ends and they log in again."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import logout_user

from audit_app.errors import UserError
from audit_app.extensions import db, limiter
from audit_app.services.mail import outbox, password_reset, settings
from audit_app.web.auth.forms import MIN_PASSWORD
from audit_app.web.password.forms import ForgotForm, ResetForm

bp = Blueprint("password", __name__)


def _per_minute() -> str:
    """The same pace as login attempts (LOGIN_ATTEMPTS_PER_MINUTE)."""
    return f"{current_app.config['LOGIN_ATTEMPTS_PER_MINUTE']} per minute"


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit(_per_minute, methods=["POST"])
def forgot() -> ResponseReturnValue:
    form = ForgotForm()
    mail_on = settings.enabled()
    if mail_on and form.validate_on_submit():
        try:
            message = password_reset.request_reset(form.email.data or "")
        except UserError:  # APP_URL missing cannot happen in a request; kept for safety
            message = None
        db.session.commit()
        if message is not None:
            outbox.wake_sender()
        flash(
            _(
                "If an account exists for %(email)s, a link to choose a new password is on "
                "its way. It works for one hour.",
                email=form.email.data,
            ),
            "info",
        )
        return redirect(url_for("auth.login"))
    return render_template("password/forgot.html", form=form, mail_on=mail_on)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset(token: str) -> ResponseReturnValue:
    user = password_reset.user_of(token)
    if user is None:
        return render_template("password/link_gone.html"), 410
    form = ResetForm()
    if form.validate_on_submit():
        try:
            password_reset.reset(user, form.password.data or "")
        except UserError:
            db.session.rollback()
            form.password.errors = [_("Use at least %(n)d characters.", n=MIN_PASSWORD)]
            return render_template("password/reset.html", form=form, user=user), 400
        db.session.commit()
        logout_user()
        session.clear()
        flash(_("Your password has been changed. Log in with the new one."), "success")
        return redirect(url_for("auth.login"))
    return render_template("password/reset.html", form=form, user=user), (
        400 if form.is_submitted() else 200
    )
