"""Forms of the questionnaire administration pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired

from audit_app.web.form_base import AppForm


class UploadForm(AppForm):
    file = FileField(
        _l("Questionnaire file (YAML)"),
        validators=[FileRequired()],
        render_kw={"accept": ".yaml,.yml"},
    )


class ActionForm(AppForm):
    """Publish, withdraw, offer again: a button and the CSRF token."""
