"""The API blueprint with every resource's views attached (one module per resource)."""

from __future__ import annotations

from audit_app.web.api import audits, openapi, organisations, questionnaires, register, reports
from audit_app.web.api.blueprint import bp

__all__ = ["audits", "bp", "openapi", "organisations", "questionnaires", "register", "reports"]
