"""/account/tokens: a user's own API tokens (create: the secret is shown once; revoke),
and a human page listing the API's endpoints."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required

from audit_app.errors import UserError
from audit_app.extensions import db
from audit_app.models import ApiToken
from audit_app.services import api_tokens
from audit_app.web.sorting import sorting_from
from audit_app.web.tokens.forms import RevokeForm, TokenForm

bp = Blueprint("tokens", __name__, url_prefix="/account/tokens")


def _error_message(error: UserError) -> str:
    messages = {
        "name_required": _("Give the token a name."),
        "name_too_long": _("The name is too long."),
        "too_many_tokens": _(
            "You have %(count)s active tokens, the most allowed; revoke one first.",
            count=api_tokens.MAX_ACTIVE_TOKENS,
        ),
    }
    return messages.get(error.message, _("The token could not be created."))


def _page(
    form: TokenForm,
    *,
    created: ApiToken | None = None,
    secret: str | None = None,
    status: int = 200,
) -> ResponseReturnValue:
    sorting = sorting_from(request.args, list(api_tokens.SORT_COLUMNS), "status")
    return render_template(
        "tokens/index.html",
        form=form,
        revoke_form=RevokeForm(),
        tokens=api_tokens.tokens_of(current_user, sorting.column, sorting.descending),
        sorting=sorting,
        created=created,
        secret=secret,
    ), status


@bp.get("")
@login_required
def index() -> ResponseReturnValue:
    return _page(TokenForm(formdata=None))


@bp.post("")
@login_required
def create() -> ResponseReturnValue:
    form = TokenForm()
    if not form.validate_on_submit():
        return _page(form, status=400)
    try:
        token, secret = api_tokens.create(current_user, form.name.data or "")
    except UserError as error:
        db.session.rollback()
        form.name.errors = [*form.name.errors, _error_message(error)]
        return _page(form, status=400)
    db.session.commit()
    # The secret is shown in this response only: it is not stored anywhere.
    response = make_response(_page(TokenForm(formdata=None), created=token, secret=secret))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/<int:token_id>/revoke")
@login_required
def revoke(token_id: int) -> ResponseReturnValue:
    token = api_tokens.token_of(current_user, token_id)
    if token is None:
        abort(404)
    if not RevokeForm().validate_on_submit():
        abort(400)
    if api_tokens.revoke(current_user, token):
        db.session.commit()
        flash(
            _("The token %(name)s has been revoked; it no longer works.", name=token.name),
            "success",
        )
    return redirect(url_for("tokens.index"))


@bp.get("/api")
@login_required
def api_reference() -> ResponseReturnValue:
    from audit_app.web.api.openapi import operations

    return render_template("tokens/api.html", operations=operations())
