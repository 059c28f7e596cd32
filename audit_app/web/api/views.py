"""The API blueprint with every resource's views attached (one module per resource)."""

from __future__ import annotations

from audit_app.web.api import (
    audits,
    campaigns,
    openapi,
    organisations,
    questionnaires,
    register,
    reports,
)
from audit_app.web.api.blueprint import bp

__all__ = [
    "audits",
    "bp",
    "campaigns",
    "openapi",
    "organisations",
    "questionnaires",
    "register",
    "reports",
]
