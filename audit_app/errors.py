"""User-facing errors and the one error page renderer."""

from __future__ import annotations

from flask import Flask, render_template, request
from flask_babel import gettext as _
from sqlalchemy.exc import OperationalError
from werkzeug import exceptions
from werkzeug.exceptions import HTTPException

from audit_app.extensions import db


class UserError(Exception):
    """An error the user caused; `field` names the form field it belongs to."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotFound(Exception):  # noqa: N818 - named after the HTTP answer it becomes
    """The record does not exist, or the user may not learn that it does (404)."""


class Forbidden(Exception):  # noqa: N818
    """The user may see the record but not do this to it (403)."""


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

    @app.errorhandler(NotFound)
    def not_found(_error: NotFound) -> tuple[str | dict[str, str], int]:
        return http_error(exceptions.NotFound())

    @app.errorhandler(Forbidden)
    def forbidden(_error: Forbidden) -> tuple[str | dict[str, str], int]:
        return http_error(exceptions.Forbidden())

    @app.errorhandler(Exception)
    def server_error(error: Exception) -> tuple[str, int]:
        db.session.rollback()
        app.logger.exception("Unhandled error: %s", error)
        return render_template("errors/error.html", code=500, title=_titles()[500]), 500

    @app.errorhandler(OperationalError)
    def database_error(
        error: OperationalError,
    ) -> tuple[str | dict[str, str], int] | tuple[str | dict[str, str], int, dict[str, str]]:
        """A database still locked after the busy timeout (SQLite: another worker keeps
        writing; PostgreSQL: lock_not_available) is a 503 the user can retry, not a 500."""
        if not database_busy(error):
            return server_error(error)
        db.session.rollback()
        app.logger.warning("Database busy, answered 503: %s", error.orig)
        title = _("The database is busy: nothing was changed. Try again in a moment.")
        headers = {"Retry-After": str(BUSY_RETRY_AFTER)}
        if request.accept_mimetypes.best == "application/json" or request.is_json:
            return {"error": title, "message": title, "code": "database_busy"}, 503, headers
        return render_template("errors/error.html", code=503, title=title), 503, headers


BUSY_RETRY_AFTER = 5  # seconds, in the Retry-After header of a "database busy" 503


def database_busy(error: OperationalError) -> bool:
    """SQLite's "database is locked" / "database is busy", PostgreSQL's 55P03."""
    original = getattr(error, "orig", None)
    if getattr(original, "sqlstate", None) == "55P03":
        return True
    text = str(original if original is not None else error).lower()
    return "database is locked" in text or "database is busy" in text
