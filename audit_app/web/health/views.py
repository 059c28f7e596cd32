"""`/health`: for load balancers and monitoring; open without login."""

from __future__ import annotations

from flask import Blueprint
from flask.typing import ResponseReturnValue
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from audit_app.extensions import db
from audit_app.services.questionnaires import catalogue

bp = Blueprint("health", __name__)


@bp.route("/health")
def health() -> ResponseReturnValue:
    try:
        db.session.execute(text("SELECT 1"))
        database = "ok"
    except SQLAlchemyError:
        db.session.rollback()
        database = "unavailable"
    status = "ok" if database == "ok" else "unavailable"
    body = {
        "status": status,
        "database": database,
        "questionnaires": len(catalogue().questionnaires),
        "questionnaire_errors": len(catalogue().errors),
    }
    return body, 200 if status == "ok" else 503
