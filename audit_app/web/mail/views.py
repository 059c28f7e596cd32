"""Unsubscribing from optional mail (the link in reminders and digests, and the
List-Unsubscribe header). The signed token is the permission: no login. The POST also
answers mail programs' one-click unsubscribe (RFC 8058), which sends no CSRF token."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from flask.typing import ResponseReturnValue
from flask_wtf.csrf import validate_csrf
from wtforms import ValidationError

from audit_app.extensions import csrf, db
from audit_app.services.mail import optouts

bp = Blueprint("mail", __name__)


@bp.get("/mail/unsubscribe/<token>")
def unsubscribe(token: str) -> ResponseReturnValue:
    email = optouts.email_of(token) or abort(404)
    return render_template(
        "mail/unsubscribe.html", email=email, done=False, opted_out=optouts.unsubscribed(email)
    )


@bp.post("/mail/unsubscribe/<token>")
@csrf.exempt
def unsubscribe_post(token: str) -> ResponseReturnValue:
    email = optouts.email_of(token) or abort(404)
    one_click = request.form.get("List-Unsubscribe") == "One-Click"
    if not one_click:
        try:
            validate_csrf(request.form.get("csrf_token"))
        except ValidationError:
            abort(400)
    if request.form.get("action") == "resubscribe" and not one_click:
        optouts.opt_back_in(email)
    else:
        optouts.opt_out(email)
    db.session.commit()
    return render_template(
        "mail/unsubscribe.html", email=email, done=True, opted_out=optouts.unsubscribed(email)
    )
