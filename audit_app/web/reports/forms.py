"""Forms of the report pages: issue a PDF, create a share link, revoke one."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectField
from wtforms.validators import DataRequired

from audit_app.services.sharing import DEFAULT_DAYS, SHARE_DAYS
from audit_app.web.form_base import AppForm


def design_choices() -> list[tuple[str, str]]:
    return [
        ("full", _l("Full audit report")),
        ("brief", _l("Executive brief (2 pages)")),
        ("progress", _l("Progress report (two audits compared)")),
    ]


def language_choices() -> list[tuple[str, str]]:
    return [("pl", "Polski"), ("en", "English")]


class IssueForm(AppForm):
    design = SelectField(
        _l("Report"), choices=design_choices, default="full", validators=[DataRequired()]
    )
    lang = SelectField(
        _l("Language of the report"),
        choices=language_choices,
        default="pl",
        validators=[DataRequired()],
    )
    # 0 = the previous submitted audit of the organisation (progress report only).
    compare_to = SelectField(_l("Compare with (progress report)"), coerce=int, default=0)
    archival = BooleanField(
        _l("Archival copy (PDF/A-3b with the audit's result attached as data)"), default=False
    )


def days_choices() -> list[tuple[int, str]]:
    return [(days, _l("%(days)s days", days=days)) for days in SHARE_DAYS]


class ShareForm(AppForm):
    days = SelectField(_l("Link valid for"), coerce=int, choices=days_choices, default=DEFAULT_DAYS)


class RevokeForm(AppForm):
    """Only the CSRF token."""
