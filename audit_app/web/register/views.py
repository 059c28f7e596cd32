"""The contact register blueprint: importing the view modules registers their routes."""

from __future__ import annotations

from audit_app.web.register import (  # noqa: F401 - imported for their routes
    data_views,
    followup_views,
    import_views,
    interaction_views,
    membership_views,
    organisation_views,
    people_views,
)
from audit_app.web.register.blueprint import bp

__all__ = ["bp"]
