"""Forms of the questionnaire administration pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired


class UploadForm(FlaskForm):
    file = FileField(
        _l("Questionnaire file (YAML)"),
        validators=[FileRequired()],
        render_kw={"accept": ".yaml,.yml"},
    )


class ActionForm(FlaskForm):
    """Publish, withdraw, offer again: a button and the CSRF token."""
