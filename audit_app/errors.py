"""User-facing errors and the one error page renderer."""

from __future__ import annotations

from flask import Flask, render_template, request
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException

from audit_app.extensions import db


class UserError(Exception):
    """An error the user caused; `field` names the form field it belongs to."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def _titles() -> dict[int, str]:
    return {
        400: _("Bad request"),
        403: _("You do not have access to this page"),
        404: _("Page not found"),
        405: _("Method not allowed"),
        409: _("Conflict"),
        413: _("File too large"),
        429: _("Too many attempts, try again in a minute"),
        500: _("Something went wrong on our side"),
    }


def init_app(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> tuple[str | dict[str, str], int]:
        code = error.code or 500
        title = _titles().get(code, error.name)
        if request.accept_mimetypes.best == "application/json" or request.is_json:
            return {"error": title}, code
        return render_template("errors/error.html", code=code, title=title), code

    @app.errorhandler(Exception)
    def server_error(error: Exception) -> tuple[str, int]:
        db.session.rollback()
        app.logger.exception("Unhandled error: %s", error)
        return render_template("errors/error.html", code=500, title=_titles()[500]), 500
