"""Absolute links in mail: from the web request when there is one, else from APP_URL
(mail queued by the command line or cron)."""

from __future__ import annotations

from typing import Any

from flask import current_app, has_request_context, url_for

from audit_app.errors import UserError


def external_url(endpoint: str, **values: Any) -> str:
    if has_request_context():
        return url_for(endpoint, _external=True, **values)
    base = current_app.config.get("APP_URL")
    if not base:
        raise UserError("app_url_missing")
    with current_app.test_request_context(base_url=str(base)):
        return url_for(endpoint, _external=True, **values)
