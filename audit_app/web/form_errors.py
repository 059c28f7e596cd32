"""A service's UserError shown on the form that was submitted (shared by the blueprints;
each blueprint keeps its own translated messages)."""

from __future__ import annotations

from flask import flash
from wtforms.form import BaseForm

from audit_app.errors import UserError


def show_error(form: BaseForm, error: UserError, message: str) -> None:
    """The message goes under the field the error names; an error of no field is flashed."""
    if error.field and error.field in form:
        field = form[error.field]
        field.errors = [*field.errors, message]
    else:
        flash(message, "error")
